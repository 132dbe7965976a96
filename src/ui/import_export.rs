//! Import and export of the request in the AWS CLI `--cli-input-json` shape.

use leptos::prelude::*;
use serde_json::Value;

use super::form_state::{FormState, input_shape, model};
use crate::core::draft::{self, from_request, sensitive_paths, to_request};
use crate::core::member_path::MemberPath;
use crate::core::validate::validate;

/// The request JSON to export: the typed request, with sensitive members
/// left out unless the user revealed them.
pub fn export_json(form: &FormState) -> String {
    let mut d = form.draft.get_untracked();
    let revealed = form.revealed.get_untracked();
    for path in sensitive_paths(model(), input_shape(), &d, &MemberPath::root()) {
        if !revealed.contains(&path) {
            draft::remove(&mut d, &path);
        }
    }
    let json = to_request(model(), input_shape(), &d).unwrap_or(Value::Object(Default::default()));
    serde_json::to_string_pretty(&json).unwrap_or_default()
}

/// The import/export panel.
#[component]
pub fn ImportExport() -> impl IntoView {
    let form = expect_context::<FormState>();
    let text = RwSignal::new(String::new());
    let messages = RwSignal::new(Vec::<(bool, String)>::new());
    let exported = RwSignal::new(String::new());
    let import = move |_| {
        let source = text.get_untracked();
        match serde_json::from_str::<Value>(&source) {
            Err(e) => messages.set(vec![(
                true,
                format!(
                    "Not valid JSON at line {}, column {}: {}.",
                    e.line(),
                    e.column(),
                    e
                ),
            )]),
            Ok(json) if !json.is_object() => messages.set(vec![(
                true,
                "Expected a JSON object like {\"agentRuntimeId\": …}.".to_owned(),
            )]),
            Ok(json) => {
                let (d, problems) = from_request(model(), input_shape(), &json);
                // What the import lacks shows at once, beside each control.
                let invalid: std::collections::BTreeSet<MemberPath> =
                    validate(model(), input_shape(), &d)
                        .into_iter()
                        .map(|e| e.path)
                        .collect();
                form.draft.set(d);
                form.expanded.set(Default::default());
                form.server_errors.set(Vec::new());
                let mut out = vec![(false, "Imported into the form.".to_owned())];
                out.extend(problems.into_iter().map(|p| (true, p.to_string())));
                if !invalid.is_empty() {
                    out.push((
                        true,
                        format!(
                            "The imported request has {} problem{} (marked in the form): {}.",
                            invalid.len(),
                            if invalid.len() == 1 { "" } else { "s" },
                            invalid
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                form.touched.update(|t| t.extend(invalid));
                messages.set(out);
            }
        }
    };
    let export = move |_| {
        let json = export_json(&form);
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            // Copying may be refused (no permission, insecure origin); the
            // JSON is shown below either way.
            let _ = clipboard.write_text(&json);
        }
        exported.set(json);
    };
    let hidden_note = move || {
        form.draft.with(|d| {
            let hidden: Vec<String> =
                sensitive_paths(model(), input_shape(), d, &MemberPath::root())
                    .into_iter()
                    .filter(|p| !form.is_revealed(p))
                    .map(|p| p.to_string())
                    .collect();
            (!hidden.is_empty()).then(|| {
                format!(
                    "Not included while hidden: {}. Reveal them to include their values.",
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
            </div>
            <div class="import__messages" data-testid="import-messages" aria-live="polite">
                {move || messages.get().into_iter().map(|(bad, m)| view! {
                    <p class=if bad { "notice notice--error" } else { "notice notice--ok" }>{m}</p>
                }).collect_view()}
            </div>
            {move || (!exported.get().is_empty()).then(|| view! {
                <label class="field__label" for="exportJson">"Current form as JSON (copied to the clipboard when allowed)"</label>
                <textarea class="field__control" id="exportJson" name="exportJson" rows="8" readonly spellcheck="false"
                    prop:value=move || exported.get()></textarea>
                {hidden_note}
            })}
        </section>
    }
}
