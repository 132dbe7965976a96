//! What a panic leaves behind: the panic's message in the browser console
//! (as `console_error_panic_hook` writes it) and a banner at the top of the
//! page saying what happened and what to do, instead of a page that silently
//! stopped answering.
//!
//! The banner is written with plain DOM calls, outside Leptos: a panic may
//! leave the reactive system (or the wasm instance, which traps right after
//! the hook) unusable. Its "Reload" is a plain link for the same reason.

/// `data-testid` of the banner (part of the README's automation contract).
pub const PANIC_BANNER_TEST_ID: &str = "panic-banner";

/// What the banner says.
pub const PANIC_MESSAGE: &str =
    "The console hit an internal error. Your draft is saved; reload the page.";

/// Installs the panic hook: every panic is logged to the browser console,
/// then the banner is shown. Call once, before mounting the page.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner();
    }));
}

/// Shows the banner at the top of the page (once, however many panics).
/// Does nothing outside a document; never panics itself.
pub fn show_banner() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let selector = format!("[data-testid={PANIC_BANNER_TEST_ID}]");
    if let Ok(Some(_)) = document.query_selector(&selector) {
        return;
    }
    let (Some(body), Ok(banner), Ok(reload)) = (
        document.body(),
        document.create_element("div"),
        document.create_element("a"),
    ) else {
        return;
    };
    banner.set_class_name("panic-banner");
    // A failed attribute write leaves a plainer banner; nothing to do about it here.
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", PANIC_BANNER_TEST_ID);
    banner.set_text_content(Some(PANIC_MESSAGE));
    reload.set_class_name("panic-banner__reload");
    let _ = reload.set_attribute("href", &window.location().href().unwrap_or_default());
    reload.set_text_content(Some("Reload"));
    let _ = banner.append_with_node_1(&reload);
    let _ = body.prepend_with_node_1(&banner);
}
