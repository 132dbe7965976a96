//! The Leptos shell: renders the core, adds no rules of its own.

mod app;
pub mod browser;
pub mod credentials_panel;
#[cfg(feature = "dev-defaults")]
mod dev_defaults;
pub mod endpoint_panel;
pub mod field;
pub mod flow_runner;
pub mod form_state;
pub mod import_export;
pub mod invoke_panel;
pub mod notice_view;
pub mod panic_banner;
pub mod result_view;
pub mod review;
pub mod rollback_panel;
pub mod runtime_picker;
pub mod session;
mod site_config;
pub mod sso_panel;

pub use app::App;
