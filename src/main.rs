//! Entry point of the browser build: installs the panic hook and mounts the page.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(agentcore_console::ui::App);
}
