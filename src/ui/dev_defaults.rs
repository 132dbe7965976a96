//! Development only (cargo feature `dev-defaults`, used by `make run`):
//! fills the emulator's endpoint and temporary credentials from
//! `./dev-defaults.json`, which the run command's local server writes and
//! serves. Release builds contain none of this.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::endpoint_panel::EndpointChoice;
use super::form_state::FormState;
use crate::core::credentials::{ParsedCredentials, parse_credentials};
use crate::core::draft;
use crate::core::member_path::MemberPath;
use crate::core::response::text_member;

/// Fetches the development defaults and applies them.
pub fn load(
    form: FormState,
    credentials: RwSignal<Option<ParsedCredentials>>,
    choice: EndpointChoice,
    note: RwSignal<Option<String>>,
) {
    spawn_local(async move {
        let Ok(response) = gloo_net::http::Request::get("./dev-defaults.json")
            .send()
            .await
        else {
            return;
        };
        let Ok(body) = response.text().await else {
            return;
        };
        let Ok(defaults) = serde_json::from_str::<Value>(&body) else {
            return;
        };
        let text = text_member;
        let endpoint = text(&defaults, "endpointUrl");
        choice.custom.set(endpoint.clone());
        choice.region.set(text(&defaults, "region"));
        if let Some(c) = defaults.get("credentials") {
            let process_json = serde_json::json!({
                "Version": 1,
                "AccessKeyId": text(c, "accessKeyId"),
                "SecretAccessKey": text(c, "secretAccessKey"),
                "SessionToken": text(c, "sessionToken"),
                "Expiration": text(c, "expiration"),
            });
            if let Ok(parsed) = parse_credentials(&process_json.to_string()) {
                credentials.set(Some(parsed));
            }
        }
        let id = text(&defaults, "agentRuntimeId");
        let id_path = MemberPath::root().member(form.spec.id_member());
        if !id.is_empty()
            && form
                .draft
                .with_untracked(|d| draft::get_text(d, &id_path))
                .is_empty()
        {
            form.update_draft(|d| draft::set(d, &id_path, Value::String(id)));
        }
        note.set(Some(format!(
            "Development mode: using the local AWS emulator at {endpoint} with temporary credentials from its STS."
        )));
    });
}
