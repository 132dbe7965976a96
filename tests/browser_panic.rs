//! Browser test of the panic hook (`src/ui/panic_banner.rs`) in headless
//! Chromium: a panic keeps its message in the console, shows the banner, and
//! what was typed right before it, in the same turn of the event loop, is in
//! localStorage, as the banner says.
//!
//! Alone in its own test binary: it replaces the test runner's panic hook
//! for good and makes the wasm instance trap, as a real panic does.
#![cfg(target_arch = "wasm32")]

use agentcore_console::ui::panic_banner::{self, PANIC_BANNER_TEST_ID, PANIC_MESSAGE};
use leptos::prelude::document;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, EventInit, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/TypedBeforeThePanic";

fn deliberate_panic() {
    panic!("deliberate panic from browser_panic");
}

/// Everything `console.error` is called with from now on, kept in
/// `window.__consoleErrors` (and still passed on to the real console).
fn record_console_errors() {
    js_sys::Function::new_no_args(
        "window.__consoleErrors = []; const real = console.error; \
         console.error = function (...args) { window.__consoleErrors.push(args.join(' ')); \
         return real.apply(console, args); };",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("console.error wrapped");
}

fn console_errors() -> String {
    let window = web_sys::window().unwrap();
    let logged = js_sys::Reflect::get(&window, &"__consoleErrors".into()).unwrap();
    js_sys::Array::from(&logged).join("\n").into()
}

fn stored_values() -> String {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter_map(|key| storage.get_item(&key).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn wait_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

#[wasm_bindgen_test]
async fn a_panic_is_logged_shows_the_banner_and_the_draft_is_saved() {
    record_console_errors();
    panic_banner::install();
    leptos::mount::mount_to_body(agentcore_console::ui::App);
    wait_ms(50).await;

    let role: HtmlInputElement = document()
        .query_selector("[name='roleArn']")
        .unwrap()
        .expect("the form has roleArn")
        .unchecked_into();
    role.set_value(ROLE_ARN);
    let init = EventInit::new();
    init.set_bubbles(true);
    let selector = format!("[data-testid={PANIC_BANNER_TEST_ID}]");
    assert!(document().query_selector(&selector).unwrap().is_none());
    // The change and the panic in the same turn of the event loop, before
    // the draft's saving Effect had a chance to run: the harshest case.
    role.dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    let trigger: js_sys::Function = Closure::once_into_js(deliberate_panic).unchecked_into();
    let trapped = trigger.call0(&wasm_bindgen::JsValue::NULL);
    // The hook cannot be handed back to the test runner now (the thread
    // counts as panicking), so a failed assertion below is reported by ours:
    // in the console, which the runner prints.
    assert!(
        trapped.is_err(),
        "the panic aborts the call, as in the page"
    );
    wait_ms(100).await;

    let banner = document()
        .query_selector(&selector)
        .unwrap()
        .expect("the panic shows the banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.starts_with(PANIC_MESSAGE), "{text}");
    assert!(
        text.contains("Your draft is saved; reload the page"),
        "{text}"
    );
    let reload = banner.query_selector("a").unwrap().expect("a reload link");
    assert_eq!(
        reload.get_attribute("href"),
        web_sys::window().unwrap().location().href().ok()
    );
    assert!(
        console_errors().contains("deliberate panic from browser_panic"),
        "the panic message stays in the console: {}",
        console_errors()
    );
    assert!(
        stored_values().contains(ROLE_ARN),
        "the draft typed before the panic is saved"
    );
}
