//! Fetches the site's optional `console-config.json` once, at start-up
//! (index.html preloads it beside the `.wasm`), and hands it to the region
//! and endpoint panel. The reading and the rules are the core's
//! ([`crate::core::site_config`]).

use leptos::task::spawn_local;

use super::browser;
use super::endpoint_panel::EndpointChoice;
use crate::core::response::HttpResponse;
use crate::core::site_config::{LoadedSiteConfig, SITE_CONFIG_URL};

/// Fetches the site configuration and applies it to `choice`.
pub fn load(choice: EndpointChoice) {
    spawn_local(async move {
        let page = browser::page_origin();
        let loaded = match gloo_net::http::Request::get(SITE_CONFIG_URL).send().await {
            Ok(response) => {
                let response = HttpResponse {
                    status: response.status(),
                    headers: response.headers().entries().collect(),
                    body: response.text().await.unwrap_or_default(),
                };
                LoadedSiteConfig::from_response(&response, page.as_ref())
            }
            Err(e) => LoadedSiteConfig::unreadable(&e.to_string()),
        };
        choice.apply_site(loaded);
    });
}
