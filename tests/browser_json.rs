//! In the browser, `core::json` takes a non-integer number's digits from the
//! page's own `Number.prototype.toString` and lays them out as serde_json
//! does, and `core::decimal` reads decimal text through serde_json: both must
//! agree with what serde_json writes and `str::parse` reads (the expected
//! texts are serde_json's, on the host)
//! (`cargo test --target wasm32-unknown-unknown`, see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use agentcore_console::core::{decimal::parse_f64, json};
use serde_json::json;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn numbers_are_written_as_on_the_host() {
    // The shortest round-trip digits, as serde_json writes them on the host.
    for (value, text) in [
        (json!(1764365502.5), "1764365502.5"),
        (json!(1764365502.0), "1764365502.0"),
        (json!(0.1), "0.1"),
        (json!(2.0), "2.0"),
        (json!(-0.0), "-0.0"),
        (json!(1e15), "1000000000000000.0"),
        (json!(1e16), "1e+16"),
        (json!(1.5e16), "1.5e+16"),
        (json!(1e21), "1e+21"),
        (json!(1e-5), "0.00001"),
        (json!(1e-6), "1e-6"),
        (json!(-2.5e-7), "-2.5e-7"),
        (json!(5e-324), "5e-324"),
        (json!(f64::MAX), "1.7976931348623157e+308"),
        (json!(123456789.125), "123456789.125"),
        (json!(u64::MAX), "18446744073709551615"),
        (json!(i64::MIN), "-9223372036854775808"),
    ] {
        assert_eq!(json::to_string(&value), text);
    }
    assert_eq!(
        json::to_string_pretty(&json!({"createdAt": 1.5, "l": [1, "a\u{1}"]})),
        "{\n  \"createdAt\": 1.5,\n  \"l\": [\n    1,\n    \"a\\u0001\"\n  ]\n}"
    );
}

#[wasm_bindgen_test]
fn decimal_text_is_read_as_on_the_host() {
    assert_eq!(parse_f64("+1764365502.5"), Some(1764365502.5));
    assert_eq!(parse_f64(".5e1"), Some(5.0));
    assert_eq!(parse_f64("inf"), None);
}
