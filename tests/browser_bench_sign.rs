//! Benchmark, not a test: how long signing one UpdateAgentRuntime request
//! takes in the browser: the median of 1,000 samples, each the mean of 10
//! signings in a row (the page's clock is coarsened to about 0.1 ms, longer
//! than one signing). Ignored by `cargo test`;
//! `scripts/bench-browser.mjs` runs it in a release build with
//! `--include-ignored` and prints the figure. The credentials are the AWS
//! documentation's example key, not a secret.
#![cfg(target_arch = "wasm32")]

use std::time::{Duration, UNIX_EPOCH};

use agentcore_console::core::credentials::Credentials;
use agentcore_console::core::request::HttpRequest;
use agentcore_console::core::sign::sign;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench-browser.mjs runs it"]
fn bench_sign_one_request() {
    let performance = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"performance".into()).ok())
        .expect("window.performance");
    let now_fn: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into())
        .expect("performance.now")
        .into();
    let now = || {
        now_fn
            .call0(&performance)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    let credentials = Credentials::new(
        "ASIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        Some("IQoJb3JpZ2luX2VjEXAMPLETOKEN".repeat(20)),
        None,
    );
    let body = format!(
        "{{\"agentRuntimeArtifact\":{{\"containerConfiguration\":{{\"containerUri\":\"123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:1\"}}}},\"roleArn\":\"arn:aws:iam::123456789012:role/R\",\"networkConfiguration\":{{\"networkMode\":\"PUBLIC\"}},\"environmentVariables\":{{{}}},\"clientToken\":\"5b1f0a3e-6f1e-4a57-9c0b-0c6f3f1d2e11\"}}",
        (0..50)
            .map(|i| format!("\"VAR_{i}\":\"value number {i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let request = HttpRequest {
        method: "PUT".into(),
        url: "https://bedrock-agentcore-control.us-east-1.amazonaws.com/runtimes/sample_agent-abc1234567/".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    };
    let when = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
    const BATCH: usize = 10;
    let mut times = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let start = now();
        for _ in 0..BATCH {
            let signed = sign(
                &request,
                &credentials,
                "us-east-1",
                "bedrock-agentcore",
                when,
            );
            assert!(signed.is_ok());
        }
        times.push((now() - start) / BATCH as f64);
    }
    times.sort_by(f64::total_cmp);
    let median = (times[499] + times[500]) / 2.0;
    console_log!(
        "BENCH sign-one-request median_ms={median:.4} p95_ms={:.4} n=1000",
        times[949]
    );
}
