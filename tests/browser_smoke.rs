//! Browser sanity check: the app mounts into a real document (headless
//! Chromium via wasm-bindgen-test-runner; `cargo test --target
//! wasm32-unknown-unknown`, see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::document;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn app_mounts_and_renders_a_heading() {
    leptos::mount::mount_to_body(agentcore_console::ui::App);
    let h1 = document()
        .query_selector("h1")
        .expect("query_selector")
        .expect("the app renders an <h1>");
    assert!(!h1.text_content().unwrap_or_default().trim().is_empty());
}
