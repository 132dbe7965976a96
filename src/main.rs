//! Entry point of the browser build: installs the panic hook and mounts the page.

fn main() {
    agentcore_console::ui::panic_banner::install();
    leptos::mount::mount_to_body(agentcore_console::ui::App);
}
