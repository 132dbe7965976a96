//! The browser's `RegExp` (what the console uses in the page) gives the same
//! answer as the host's ECMAScript engine (regress) on every pattern of the
//! vendored model, for the values in `tests/fixtures/pattern_cases.json`
//! (generated from the patterns, plus the property tests' mutations; kept
//! current by `pattern_cases_fixture_is_current` in tests/properties.rs).
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;

use agentcore_console::core::model::{Pattern, ServiceModel};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("fixtures/pattern_cases.json");

#[wasm_bindgen_test]
fn browser_regexp_agrees_with_the_host_engine_on_every_model_pattern() {
    let cases: serde_json::Value = serde_json::from_str(CASES).expect("fixture is JSON");
    let cases = cases.as_array().expect("fixture is a list");
    let mut covered = BTreeSet::new();
    let mut disagreements = Vec::new();
    for case in cases {
        let pattern = case["pattern"].as_str().expect("pattern");
        let compiled = Pattern::new(pattern).expect("model pattern compiles in the browser");
        for (key, expected) in [("matches", true), ("rejects", false)] {
            for text in case[key].as_array().expect("texts") {
                let text = text.as_str().expect("text");
                if compiled.matches(text) != expected {
                    disagreements.push(format!("/{pattern}/ on {text:?}: host says {expected}"));
                }
            }
        }
        covered.insert(pattern.to_owned());
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    for shape in ServiceModel::bundled().shapes() {
        if let Some(pattern) = &shape.pattern {
            assert!(
                covered.contains(&pattern.source),
                "{}: pattern not in the fixture",
                shape.name
            );
        }
    }
}
