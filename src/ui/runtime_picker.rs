//! Pick a runtime (ListAgentRuntimes, every page), one of its versions
//! (ListAgentRuntimeVersions), and load its current configuration
//! (GetAgentRuntime) into the form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::form_state::{FormState, model};
use super::session::Session;
use crate::core::draft::{self, from_request};
use crate::core::member_path::MemberPath;
use crate::core::model::{GET_AGENT_RUNTIME, LIST_AGENT_RUNTIME_VERSIONS, LIST_AGENT_RUNTIMES};
use crate::core::response::{format_utc, parse_timestamp, text_member};

/// Pages fetched at most when listing.
const MAX_PAGES: usize = 20;

pub use crate::core::flow::CurrentConfig;

/// Lists every page of a list operation, with the pagination keys and the
/// largest page size the model gives it; stops at the first error.
pub async fn list_all(
    session: Session,
    operation: &str,
    base: Value,
) -> Result<Vec<Value>, String> {
    let paginator = model()
        .paginator(operation)
        .ok_or_else(|| format!("The service model has no paginator for {operation}."))?;
    let page_size = model().max_page_size(operation);
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let input = paginator.page_input(&base, page_size, next.as_deref());
        let report = session
            .call(operation, input, |_| {})
            .await
            .ok_or("No credentials or endpoint.")?;
        let out = report.outcome.map_err(|e| e.to_string())?;
        items.extend(paginator.results(&out.json).iter().cloned());
        next = paginator.next_token(&out.json).map(str::to_owned);
        if next.is_none() {
            break;
        }
    }
    Ok(items)
}

fn describe(runtime: &Value) -> String {
    let text = |k: &str| {
        runtime
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let updated = runtime
        .get("lastUpdatedAt")
        .and_then(parse_timestamp)
        .map(format_utc)
        .unwrap_or_default();
    format!(
        "{} — {} · {} · v{} · updated {}",
        text("agentRuntimeName"),
        text("agentRuntimeId"),
        text("status"),
        text("agentRuntimeVersion"),
        updated
    )
}

/// The runtime picker panel.
#[component]
pub fn RuntimePicker(
    /// The configuration loaded into the form, if any.
    current: RwSignal<Option<CurrentConfig>>,
    /// Told the runtime id the user picked.
    #[prop(optional)]
    on_pick: Option<Callback<String>>,
    /// Where the chosen runtime's versions are kept (shared with other panels).
    #[prop(optional)]
    versions: Option<RwSignal<Vec<Value>>>,
) -> impl IntoView {
    let form = expect_context::<FormState>();
    let session = expect_context::<Session>();
    let spec = form.spec;
    let id_member = spec.id_member();
    let id_path = move || MemberPath::root().member(id_member);
    let runtimes = RwSignal::new(Vec::<Value>::new());
    let versions = versions.unwrap_or_else(|| RwSignal::new(Vec::new()));
    let version = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);

    let list = move |_| {
        if let Some(why) = session.not_ready() {
            message.set(Some((true, why)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match list_all(session, LIST_AGENT_RUNTIMES, json!({})).await {
                Ok(items) => {
                    message.set(Some((
                        false,
                        format!(
                            "{} runtime{} found.",
                            items.len(),
                            if items.len() == 1 { "" } else { "s" }
                        ),
                    )));
                    runtimes.set(items);
                }
                Err(e) => message.set(Some((true, format!("Could not list runtimes: {e}")))),
            }
            busy.set(false);
        });
    };
    let load_versions = move |id: String| {
        versions.set(Vec::new());
        version.set(String::new());
        spawn_local(async move {
            if let Ok(items) = list_all(
                session,
                LIST_AGENT_RUNTIME_VERSIONS,
                json!({ id_member: id }),
            )
            .await
            {
                versions.set(items);
            }
        });
    };
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if id.is_empty() {
            return;
        }
        form.update_draft(|d| draft::set(d, &id_path(), Value::String(id.clone())));
        if let Some(on_pick) = on_pick {
            on_pick.run(id.clone());
        }
        load_versions(id);
    };
    let load = move |_| {
        let id = form
            .draft
            .with_untracked(|d| draft::get_text(d, &id_path()));
        if id.is_empty() {
            message.set(Some((
                true,
                format!("Choose a runtime (or type its {id_member}) first."),
            )));
            return;
        }
        if let Some(why) = session.not_ready() {
            message.set(Some((true, why)));
            return;
        }
        let mut input = json!({ id_member: id });
        let chosen = version.get_untracked();
        if !chosen.is_empty() {
            input["agentRuntimeVersion"] = json!(chosen);
        }
        busy.set(true);
        spawn_local(async move {
            let report = session.call(GET_AGENT_RUNTIME, input, |_| {}).await;
            busy.set(false);
            let Some(report) = report else { return };
            match report.outcome {
                Ok(out) => {
                    let config = CurrentConfig::from_output(&spec, &out.json);
                    let (mut d, _) = from_request(model(), form.shape, &config.request);
                    draft::set(&mut d, &id_path(), Value::String(config.id().to_owned()));
                    form.set_draft(d);
                    form.touched.set(Default::default());
                    form.submitted.set(false);
                    form.server_errors.set(Vec::new());
                    message.set(Some((
                        false,
                        format!(
                            "Loaded version {} of {} ({}) into the form.",
                            config.version,
                            config.id(),
                            config.status
                        ),
                    )));
                    current.set(Some(config));
                }
                Err(e) => message.set(Some((
                    true,
                    format!("Could not load the configuration: {e}"),
                ))),
            }
        });
    };
    let selected = move || form.text(&id_path());

    view! {
        <section class="panel picker" aria-labelledby="picker-title">
            <h2 id="picker-title" class="panel__title">"Runtime"</h2>
            <p class="panel__hint">"Start from the runtime's current configuration, so the update changes only what you mean to."</p>
            <button type="button" class="button" on:click=list disabled=move || busy.get()>"List runtimes"</button>
            <label class="field__label" for="runtimePicker">"Runtime"</label>
            <select class="field__control" id="runtimePicker" name="runtimePicker" on:change=pick prop:value=selected>
                <option value="">{move || if runtimes.with(Vec::is_empty) { "— list runtimes first —" } else { "— choose a runtime —" }}</option>
                {move || runtimes.get().into_iter().map(|r| {
                    let id = text_member(&r, id_member);
                    view! { <option value=id>{describe(&r)}</option> }
                }).collect_view()}
            </select>
            <label class="field__label" for="runtimeVersion">"Version"</label>
            <select class="field__control" id="runtimeVersion" name="runtimeVersion"
                prop:value=move || version.get() on:change=move |ev| version.set(event_target_value(&ev))>
                <option value="">"latest"</option>
                {move || versions.get().into_iter().map(|v| {
                    let number = text_member(&v, spec.version_member());
                    let status = text_member(&v, spec.status_member());
                    view! { <option value=number.clone()>{format!("version {number} ({status})")}</option> }
                }).collect_view()}
            </select>
            <button type="button" class="button button--primary-outline" on:click=load disabled=move || busy.get()>"Load current configuration"</button>
            <div aria-live="polite" data-testid="picker-message">
                {move || message.get().map(|(bad, m)| view! { <p class=if bad { "notice notice--error" } else { "notice notice--ok" }>{m}</p> })}
            </div>
        </section>
    }
}
