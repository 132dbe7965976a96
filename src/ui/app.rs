//! The page: wires the panels to the core and to the browser's effects.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::browser::{self, BrowserClock, FetchTransport};
use super::credentials_panel::CredentialsPanel;
use super::endpoint_panel::{EndpointChoice, EndpointPanel, variant_from_value};
use super::field::{Field, FieldSpec};
use super::form_state::{FormState, input_shape, model};
use super::import_export::ImportExport;
use super::result_view::{FollowState, Invalid, ResultView, RunState};
use crate::core::client::{CallContext, CallError, call};
use crate::core::credentials::ParsedCredentials;
use crate::core::draft::{from_request, to_request, without_sensitive};
use crate::core::endpoint::{EndpointParams, EndpointVariant, resolve_endpoint};
use crate::core::model::UPDATE_AGENT_RUNTIME;
use crate::core::request::fill_idempotency_token;
use crate::core::response::{ResponseError, control_path};

/// `localStorage` key of the non-sensitive draft.
const DRAFT_KEY: &str = "agentcore-console.draft";
/// `localStorage` key of the region and endpoint choice (not secret).
const SETTINGS_KEY: &str = "agentcore-console.settings";

/// Restores the saved draft, passed through the model so that only known,
/// non-sensitive members come back.
fn restored_draft() -> Value {
    let saved = browser::load(DRAFT_KEY).and_then(|s| serde_json::from_str::<Value>(&s).ok());
    let request = saved.and_then(|d| to_request(model(), input_shape(), &d));
    match request {
        Some(r) => without_sensitive(model(), input_shape(), &from_request(model(), input_shape(), &r).0),
        None => Value::Object(Default::default()),
    }
}

/// The console page.
#[component]
pub fn App() -> impl IntoView {
    let form = FormState::new(restored_draft());
    provide_context(form);
    let credentials = RwSignal::new(None::<ParsedCredentials>);
    let now = RwSignal::new(browser::now());
    set_interval(move || now.set(browser::now()), std::time::Duration::from_secs(1));

    let settings: Value = browser::load(SETTINGS_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null);
    let setting = |k: &str| settings.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let region = setting("region");
    let choice = EndpointChoice {
        region: RwSignal::new(if region.is_empty() { "us-east-1".to_owned() } else { region }),
        variant: RwSignal::new(variant_from_value(&setting("variant"))),
        custom: RwSignal::new(setting("endpointUrl")),
    };
    let resolved = Memo::new(move |_| {
        let custom = choice.custom.get();
        resolve_endpoint(&EndpointParams {
            region: choice.region.get(),
            variant: choice.variant.get(),
            custom_endpoint: (!custom.trim().is_empty()).then_some(custom),
        })
    });
    let run = RwSignal::new(RunState::Idle);
    let follow = RwSignal::new(None::<FollowState>);
    let clock_offset = RwSignal::new(0i64);
    let dev_note = RwSignal::new(None::<String>);

    // Persist what is safe to persist: the draft without sensitive members,
    // and the endpoint choice. Never credentials.
    Effect::new(move |_| {
        let stored = form.draft.with(|d| without_sensitive(model(), input_shape(), d));
        browser::store(DRAFT_KEY, &stored.to_string());
    });
    Effect::new(move |_| {
        let variant = match choice.variant.get() {
            EndpointVariant::Standard => "standard",
            EndpointVariant::Fips => "fips",
            EndpointVariant::DualStack => "dualstack",
            EndpointVariant::FipsDualStack => "fips-dualstack",
        };
        let settings = serde_json::json!({"region": choice.region.get(), "variant": variant, "endpointUrl": choice.custom.get()});
        browser::store(SETTINGS_KEY, &settings.to_string());
    });

    #[cfg(feature = "dev-defaults")]
    super::dev_defaults::load(form, credentials, choice, dev_note);

    let invalid = Signal::derive(move || {
        form.errors.with(|errors| {
            errors
                .iter()
                .map(|e| Invalid {
                    path: e.path.clone(),
                    message: e.problem.to_string(),
                })
                .collect::<Vec<_>>()
        })
    });
    let sending = move || matches!(run.get(), RunState::Sending(_));

    let send = move || {
        form.submitted.set(true);
        let error_count = form.errors.with_untracked(Vec::len);
        if error_count > 0 {
            run.set(RunState::Blocked(format!(
                "{error_count} field{} need{} attention (listed below and marked in the form). Nothing was sent.",
                if error_count == 1 { "" } else { "s" },
                if error_count == 1 { "s" } else { "" }
            )));
            return;
        }
        let Some(parsed) = credentials.get_untracked() else {
            run.set(RunState::Blocked("No credentials: paste temporary credentials in the Credentials panel. Nothing was sent.".into()));
            browser::focus("credentialsPaste");
            return;
        };
        let endpoint = match resolved.get_untracked() {
            Ok(e) => e,
            Err(e) => {
                run.set(RunState::Blocked(format!("The endpoint cannot be used: {e} Nothing was sent.")));
                return;
            }
        };
        let mut input = form
            .draft
            .with_untracked(|d| to_request(model(), input_shape(), d))
            .unwrap_or(Value::Object(Default::default()));
        fill_idempotency_token(model(), UPDATE_AGENT_RUNTIME, &mut input, browser::random_bytes());
        form.server_errors.set(Vec::new());
        follow.set(None);
        run.set(RunState::Sending(Vec::new()));
        let offset = clock_offset.get_untracked();
        spawn_local(async move {
            let ctx = CallContext {
                model: model(),
                endpoint: &endpoint,
                credentials: &parsed.credentials,
                clock_offset: offset,
            };
            let report = call(&ctx, &FetchTransport, &BrowserClock, UPDATE_AGENT_RUNTIME, &input, |attempt| {
                run.update(|s| {
                    if let RunState::Sending(list) = s {
                        list.push(attempt.clone());
                    }
                })
            })
            .await;
            if let Some(offset) = report.clock_offset {
                clock_offset.set(offset);
            }
            if let Err(CallError::Response(ResponseError::Service(e))) = &report.outcome {
                let mapped: Vec<(String, String)> = form.draft.with_untracked(|d| {
                    e.fields
                        .iter()
                        .filter_map(|f| {
                            let path = f.path.as_deref()?;
                            Some((control_path(model(), input_shape(), d, path)?, f.message.clone()))
                        })
                        .collect()
                });
                form.server_errors.set(mapped);
            }
            run.set(RunState::Finished(Arc::new(report)));
            browser::focus("result-title");
        });
    };

    let members = input_shape()
        .members()
        .iter()
        .map(|m| view! { <Field spec=FieldSpec::member("", m, None) /> })
        .collect_view();
    let pending = move || {
        let n = form.errors.with(Vec::len);
        (n > 0).then(|| format!("{n} field{} still need{} attention.", if n == 1 { "" } else { "s" }, if n == 1 { "s" } else { "" }))
    };

    view! {
        <header class="topbar">
            <div class="topbar__inner">
                <h1 class="topbar__title">"AgentCore console"</h1>
                <p class="topbar__subtitle">"Update an Amazon Bedrock AgentCore agent runtime — validated, signed in your browser, nothing stored."</p>
            </div>
        </header>
        {move || dev_note.get().map(|n| view! { <p class="devbanner" data-testid="dev-defaults">{n}</p> })}
        <main class="layout">
            <aside class="layout__side">
                <CredentialsPanel credentials=credentials now=now />
                <EndpointPanel choice=choice resolved=resolved />
                <ImportExport />
            </aside>
            <div class="layout__main">
                <form class="panel request" aria-labelledby="request-title" novalidate
                    on:submit=move |ev| { ev.prevent_default(); send(); }>
                    <h2 id="request-title" class="panel__title">"UpdateAgentRuntime"</h2>
                    <p class="panel__hint">"An update replaces the runtime's whole configuration: members left empty here are cleared."
                        " Fields marked " <span class="field__required">"*"</span> " are required."</p>
                    <div class="request__fields">{members}</div>
                    <div class="sendbar">
                        <button type="submit" class="button button--primary" aria-busy=move || sending().to_string()
                            disabled=sending>
                            "Update agent runtime"
                        </button>
                        <span class="sendbar__note" aria-live="polite">{pending}</span>
                    </div>
                </form>
                <ResultView state=run follow=follow invalid=invalid clock_offset=clock_offset />
            </div>
        </main>
    }
}
