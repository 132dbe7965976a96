//! Import and export of the request in the AWS CLI `--cli-input-json` shape,
//! and "Copy as" (AWS CLI, curl, boto3) for any form of the page.

use leptos::prelude::*;
use serde_json::Value;

use super::browser::random_bytes;
use super::form_state::{FormState, model};
use super::notice_view::notice_view;
use super::session::Session;
use crate::core::copy_as::{CopyFormat, CopySource, copy_as, copy_payload_as, shareable_request};
use crate::core::draft::{from_request, sensitive_paths};
use crate::core::member_path::MemberPath;
use crate::core::notice::Notice;
use crate::core::text::plural;
use crate::core::validate::validate;

/// The typed request to export or copy (sensitive members left out unless
/// the user revealed them), and the paths of those left out.
fn shareable(form: &FormState) -> (Value, Vec<String>) {
    form.draft.with_untracked(|d| {
        form.revealed
            .with_untracked(|r| shareable_request(form.spec.model, form.shape, d, r))
    })
}

/// The request JSON to export: the typed request, with sensitive members
/// left out unless the user revealed them.
pub fn export_json(form: &FormState) -> String {
    crate::core::json::to_string_pretty(&shareable(form).0)
}

/// The form as `format`, for the current endpoint; or why not.
fn copy_text(form: &FormState, session: &Session, format: CopyFormat) -> Result<String, String> {
    let (request, hidden) = shareable(form);
    // An operation whose body is one member (InvokeAgentRuntime's payload)
    // is a data-plane call.
    let raw_body = form.shape.payload.is_some();
    let route = if raw_body {
        session.data_route
    } else {
        session.route
    };
    // Tools outside the browser call the endpoint itself, not the relay.
    let endpoint = route
        .get_untracked()
        .map(|route| route.endpoint)
        .map_err(|e| format!("The endpoint cannot be used: {e}"))?;
    let source = CopySource {
        model: form.spec.model,
        operation: form.spec.write,
        endpoint: &endpoint,
        request: &request,
        hidden: &hidden,
    };
    let copy = if raw_body { copy_payload_as } else { copy_as };
    copy(format, &source, random_bytes()).map_err(|e| e.to_string())
}

/// The "Copy as" buttons, the copies they made (each in a read-only text
/// area named `<form prefix><format's control name>`, or why none), and
/// whether one was made (tracked).
pub fn copy_as_view(
    form: FormState,
    session: Session,
) -> (impl IntoView, impl IntoView, impl Fn() -> bool + Copy) {
    // What each button made last (a text, or why none), in the order of
    // CopyFormat::ALL.
    let copies = RwSignal::new([const { None::<Result<String, String>> }; 3]);
    let buttons = CopyFormat::ALL
        .into_iter()
        .enumerate()
        .map(|(i, format)| {
            let copy = move |_| {
                let made = copy_text(&form, &session, format);
                if let Ok(text) = &made {
                    to_clipboard(text);
                }
                copies.update(|c| c[i] = Some(made));
            };
            // The invoke panel's are "Copy call as …", so that each label
            // names one button on the page.
            let label = if form.prefix.is_empty() {
                format.label().to_owned()
            } else {
                format.label().replace("Copy as", "Copy call as")
            };
            view! { <button type="button" class="button button--ghost" on:click=copy>{label}</button> }
        })
        .collect_view();
    let outputs = move || {
        CopyFormat::ALL
            .into_iter()
            .zip(copies.get())
            .filter_map(|(format, made)| {
                let name = format!("{}{}", form.prefix, format.control_name());
                match made? {
                    Ok(text) => Some(view! {
                        <label class="field__label" for=name.clone()>
                            {format!("As {} (copied to the clipboard when allowed; credentials come from your environment)", format.name())}
                        </label>
                        <textarea class="field__control import__copy" id=name.clone() name=name
                            rows="10" readonly spellcheck="false" prop:value=text></textarea>
                    }
                    .into_any()),
                    Err(why) => Some(view! {
                        <p class="notice notice--error" data-testid="copy-error" data-format=name>
                            {format!("{}: {why}", format.label())}
                        </p>
                    }
                    .into_any()),
                }
            })
            .collect_view()
    };
    let made = move || copies.with(|c| c.iter().any(Option::is_some));
    (buttons, outputs, made)
}

fn to_clipboard(text: &str) {
    if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
        // Copying may be refused (no permission, insecure origin); the text
        // is shown in the page either way.
        let _ = clipboard.write_text(text);
    }
}

/// The import/export panel.
#[component]
pub fn ImportExport() -> impl IntoView {
    let form = expect_context::<FormState>();
    let session = expect_context::<Session>();
    let text = RwSignal::new(String::new());
    let messages = RwSignal::new(Vec::<Notice>::new());
    let exported = RwSignal::new(String::new());
    let import = move |_| {
        let source = text.get_untracked();
        match serde_json::from_str::<Value>(&source) {
            Err(e) => messages.set(vec![Notice::error(format!(
                "Not valid JSON at line {}, column {}: {}.",
                e.line(),
                e.column(),
                e
            ))]),
            Ok(json) if !json.is_object() => messages.set(vec![Notice::error(format!(
                "Expected a JSON object like {{\"{}\": …}}.",
                form.spec.id_member()
            ))]),
            Ok(json) => {
                let (d, problems) = from_request(model(), form.shape, &json);
                // What the import lacks shows at once, beside each control.
                // `extend`, not `collect`: collecting into a set sorts
                // first, and each sort instance costs the .wasm a few KB.
                let mut invalid = std::collections::BTreeSet::<MemberPath>::new();
                invalid.extend(
                    validate(model(), form.shape, &d)
                        .into_iter()
                        .map(|e| e.path),
                );
                form.replace(d);
                let mut out = vec![Notice::ok("Imported into the form.")];
                out.extend(problems.into_iter().map(|p| Notice::error(p.to_string())));
                if !invalid.is_empty() {
                    out.push(Notice::error(format!(
                        "The imported request has {} {} (marked in the form): {}.",
                        invalid.len(),
                        plural(invalid.len(), "problem", "problems"),
                        invalid
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                form.touched.set(invalid);
                messages.set(out);
            }
        }
    };
    let export = move |_| {
        let json = export_json(&form);
        to_clipboard(&json);
        exported.set(json);
    };
    let (copy_buttons, copy_outputs, copied) = copy_as_view(form, session);
    let hidden_note = move || {
        form.draft.with(|d| {
            let hidden: Vec<String> =
                sensitive_paths(model(), form.shape, d, &MemberPath::root())
                    .into_iter()
                    .filter(|p| !form.is_revealed(p))
                    .map(|p| p.to_string())
                    .collect();
            (!hidden.is_empty()).then(|| {
                format!(
                    "Not included while hidden: {}. Reveal them to include their values: an update without them clears them.",
                    hidden.join(", ")
                )
            })
        })
    };
    view! {
        <section class="panel import" aria-labelledby="import-title">
            <h2 id="import-title" class="panel__title">"Import / export JSON"</h2>
            <p class="panel__hint">"Same format as "<code>"aws bedrock-agentcore-control update-agent-runtime --cli-input-json"</code>"."</p>
            <label class="field__label" for="requestJson">"Request JSON"</label>
            <textarea class="field__control" id="requestJson" name="requestJson" rows="5" spellcheck="false"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="import__actions">
                <button type="button" class="button" on:click=import>"Import"</button>
                <button type="button" class="button button--ghost" on:click=export>"Copy form as JSON"</button>
                {copy_buttons}
            </div>
            <div class="import__messages" data-testid="import-messages" aria-live="polite">
                {move || messages.get().into_iter().map(notice_view).collect_view()}
            </div>
            {move || (!exported.get().is_empty()).then(|| view! {
                <label class="field__label" for="exportJson">"Current form as JSON (copied to the clipboard when allowed)"</label>
                <textarea class="field__control" id="exportJson" name="exportJson" rows="8" readonly spellcheck="false"
                    prop:value=move || exported.get()></textarea>
            })}
            {copy_outputs}
            {move || (!exported.get().is_empty() || copied()).then(hidden_note)}
        </section>
    }
}
