//! After an update (core::rollback): the Endpoints panel (every endpoint of
//! the chosen runtime, pointing a named one at a version through the same
//! checked, confirmed and followed flow as the update), the Versions panel
//! (compare two versions, restore one into the form) and, once an update
//! reached READY, the offers to move the named endpoints left behind.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::flow_runner::Runner;
use super::form_state::{FormState, flow_spec, model};
use super::result_view::ResultView;
use super::review::diff_row;
use super::runtime_picker::{CurrentConfig, list_all};
use super::session::Session;
use crate::core::diff::DiffRow;
use crate::core::draft::{self, from_request};
use crate::core::flow::{Event, Flow, FlowSpec, Phase, Status};
use crate::core::member_path::MemberPath;
use crate::core::model::{
    GET_AGENT_RUNTIME, LIST_AGENT_RUNTIME_ENDPOINTS, LIST_AGENT_RUNTIME_VERSIONS,
};
use crate::core::response::text_member;
use crate::core::rollback::{
    EndpointRow, endpoint_rows, latest_version, point_input, point_offers, version_diff,
};

/// Pointing an endpoint: UpdateAgentRuntimeEndpoint, checked and followed
/// with GetAgentRuntimeEndpoint, always confirmed.
pub fn endpoint_spec() -> FlowSpec<'static> {
    FlowSpec::update_agent_runtime_endpoint(model())
}

/// State shared by the Endpoints and Versions panels and the offers.
#[derive(Clone, Copy)]
pub struct Rollback {
    session: Session,
    form: FormState,
    current: RwSignal<Option<CurrentConfig>>,
    /// The runtime whose endpoints and versions are listed.
    runtime_id: RwSignal<String>,
    endpoints: RwSignal<Vec<Value>>,
    /// The runtime's versions (ListAgentRuntimeVersions items), listed by
    /// the picker when a runtime is chosen and here after a change.
    pub versions: RwSignal<Vec<Value>>,
    message: RwSignal<Option<(bool, String)>>,
    /// Version chosen per endpoint name.
    chosen: RwSignal<BTreeMap<String, String>>,
    /// Descriptions the user edited, per endpoint name.
    edited: RwSignal<BTreeMap<String, String>>,
    /// The endpoint and version a send is for.
    pointing: RwSignal<(String, String)>,
    /// The main update reached READY.
    update_ready: Memo<bool>,
    /// The endpoint flow.
    pub runner: Runner,
}

impl Rollback {
    /// The panels' state; `update` is the main update flow (its READY
    /// refreshes the endpoints).
    pub fn new(
        session: Session,
        form: FormState,
        current: RwSignal<Option<CurrentConfig>>,
        update: ReadSignal<Flow>,
    ) -> Self {
        let runtime_id = RwSignal::new(String::new());
        let endpoints = RwSignal::new(Vec::new());
        let pointing = RwSignal::new((String::new(), String::new()));
        let edited = RwSignal::new(BTreeMap::<String, String>::new());
        let input = Callback::new(move |()| {
            let (name, version) = pointing.get_untracked();
            let edit = edited.with_untracked(|e| e.get(&name).cloned());
            let input = point_input(
                &endpoint_spec(),
                &runtime_id.get_untracked(),
                &name,
                &version,
                edit.as_deref(),
            );
            (input, usize::from(version.is_empty()))
        });
        let update_ready = Memo::new(move |_| {
            update.with(|f| {
                f.follow()
                    .is_some_and(|f| !f.active() && f.status() == Some(&Status::Ready))
            })
        });
        let mut this = Self {
            session,
            form,
            current,
            runtime_id,
            endpoints,
            versions: RwSignal::new(Vec::new()),
            message: RwSignal::new(None),
            chosen: RwSignal::new(BTreeMap::new()),
            edited,
            pointing,
            update_ready,
            runner: Runner::new(
                endpoint_spec(),
                session,
                input,
                Callback::new(|_| {}),
                Callback::new(|_| {}),
                "endpoint-result-title",
            ),
        };
        this.runner.on_current = Callback::new(move |_| this.list(true));
        Effect::new(move |_| {
            if update_ready.get() {
                this.list(true);
            }
        });
        this
    }

    /// For the picker: a runtime was chosen, list its endpoints.
    pub fn on_pick(self) -> Callback<String> {
        Callback::new(move |id: String| {
            self.runtime_id.set(id);
            self.chosen.set(BTreeMap::new());
            self.edited.set(BTreeMap::new());
            // The picker lists the versions itself.
            self.list(false);
        })
    }

    /// The runtime the form names (the one an update goes to).
    fn form_runtime(self) -> String {
        let id_member = self.form.spec.id_member();
        self.form
            .draft
            .with_untracked(|d| draft::get_text(d, &MemberPath::root().member(id_member)))
    }

    /// Lists every endpoint (all pages) of the runtime, and its versions
    /// when `versions`.
    fn list(self, versions: bool) {
        let id = self.form_runtime();
        if !id.is_empty() {
            self.runtime_id.set(id);
        }
        let id = self.runtime_id.get_untracked();
        if id.is_empty() {
            self.message
                .set(Some((true, "Choose a runtime first.".into())));
            return;
        }
        if let Some(why) = self.session.not_ready() {
            self.message.set(Some((true, why)));
            return;
        }
        let id_member = self.form.spec.id_member();
        spawn_local(async move {
            let base = json!({ id_member: id });
            let listed = if versions {
                list_all(self.session, LIST_AGENT_RUNTIME_VERSIONS, base.clone())
                    .await
                    .map(Some)
            } else {
                Ok(None)
            };
            let endpoints = list_all(self.session, LIST_AGENT_RUNTIME_ENDPOINTS, base).await;
            match (listed, endpoints) {
                (Ok(listed), Ok(endpoints)) => {
                    if let Some(listed) = listed {
                        self.versions.set(listed);
                    }
                    self.message.set(Some((
                        false,
                        format!(
                            "{} endpoint{}.",
                            endpoints.len(),
                            if endpoints.len() == 1 { "" } else { "s" }
                        ),
                    )));
                    self.endpoints.set(endpoints);
                }
                (Err(e), _) | (_, Err(e)) => self
                    .message
                    .set(Some((true, format!("Could not list endpoints: {e}")))),
            }
        });
    }

    /// The version numbers listed (tracked).
    fn numbers(self) -> Vec<String> {
        let member = self.form.spec.version_member();
        self.versions
            .with(|v| v.iter().map(|v| text_member(v, member)).collect())
    }

    fn latest(self) -> Option<String> {
        latest_version(self.numbers().iter().map(String::as_str))
    }

    fn rows(self) -> Vec<EndpointRow> {
        let latest = self.latest();
        self.endpoints.with(|e| endpoint_rows(e, latest.as_deref()))
    }

    /// Sends UpdateAgentRuntimeEndpoint for `endpoint` to `version`.
    fn point(self, endpoint: String, version: String) {
        // While a point is checked or sent, another click changes nothing:
        // the confirmation and the send read what is being pointed.
        if self.runner.flow.with_untracked(Flow::busy) {
            return;
        }
        self.pointing.set((endpoint, version));
        self.runner.send();
    }

    /// After the update reached READY: "Point <name> to version N" for each
    /// named endpoint behind (`data-point-offer="<name>"`).
    pub fn offers_view(self) -> impl IntoView {
        move || {
            if !self.update_ready.get() {
                return None;
            }
            let latest = self.latest()?;
            let offers = point_offers(&self.rows(), &latest);
            (!offers.is_empty()).then(|| {
                view! {
                    <div class="notice offers" data-testid="point-offers">
                        <p>"These named endpoints still serve an older version:"</p>
                        {offers.into_iter().map(|(name, version)| {
                            let label = format!("Point {name} to version {version}");
                            let n = name.clone();
                            view! {
                                <button type="button" class="button button--small" data-point-offer=name
                                    on:click=move |_| self.point(n.clone(), version.clone())>{label}</button>
                            }
                        }).collect_view()}
                    </div>
                }
            })
        }
    }

    fn version_options(self, selected: String) -> impl IntoView {
        self.numbers()
            .into_iter()
            .map(|v| {
                let is = v == selected;
                view! { <option value=v.clone() selected=is>{format!("version {v}")}</option> }
            })
            .collect_view()
    }

    fn row_view(self, row: EndpointRow) -> impl IntoView {
        let name = row.name.clone();
        let control = if row.follows_latest() {
            view! { <span class="endpoints__default" data-testid="endpoint-follows-latest">"Follows the latest version automatically"</span> }.into_any()
        } else {
            let latest = self.latest().unwrap_or_default();
            let selected = self
                .chosen
                .with_untracked(|c| c.get(&name).cloned())
                .unwrap_or(latest);
            let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
            view! {
                <select class="field__control" name=format!("endpointVersion.{name}") aria-label=format!("Version for {name}")
                    on:change=move |ev| { let v = event_target_value(&ev); self.chosen.update(|c| { c.insert(n1.clone(), v); }); }>
                    {self.version_options(selected)}
                </select>
                <input class="field__control" type="text" name=format!("endpointDescription.{name}") aria-label=format!("Description of {name}")
                    value=row.description.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); self.edited.update(|e| { e.insert(n2.clone(), v); }); } />
                <button type="button" class="button button--small" data-point-endpoint=name.clone()
                    disabled=move || self.runner.flow.with(Flow::busy)
                    on:click=move |_| {
                        let latest = self.latest().unwrap_or_default();
                        let v = self.chosen.with_untracked(|c| c.get(&n3).cloned()).unwrap_or(latest);
                        self.point(n3.clone(), v);
                    }>"Point endpoint"</button>
            }
            .into_any()
        };
        view! {
            <tr data-testid="endpoint-row" data-name=row.name.clone() data-live-version=row.live_version.clone()
                data-target-version=row.target_version.clone() data-status=row.status.as_str().to_owned()
                data-behind=row.behind.then_some("true")>
                <td><code>{row.name.clone()}</code></td>
                <td>{row.live_version.clone()}</td>
                <td>{row.target_version.clone()}</td>
                <td>{row.status.as_str().to_owned()}</td>
                <td class="endpoints__control">{control}</td>
            </tr>
        }
    }
}

/// The Endpoints panel (`data-testid="endpoints"`).
#[component]
pub fn EndpointsPanel(
    /// Shared state.
    rollback: Rollback,
) -> impl IntoView {
    let r = rollback;
    let flow = r.runner.flow;
    view! {
        <section class="panel endpoints" data-testid="endpoints" aria-labelledby="endpoints-title">
            <h2 id="endpoints-title" class="panel__title">"Endpoints"</h2>
            <p class="panel__hint">"DEFAULT follows the latest version by itself; named endpoints stay on their version until you point them."</p>
            <button type="button" class="button" on:click=move |_| r.list(true)>"List endpoints"</button>
            <div aria-live="polite" data-testid="endpoints-message">
                {move || r.message.get().map(|(bad, m)| view! { <p class=if bad { "notice notice--error" } else { "notice notice--ok" }>{m}</p> })}
            </div>
            <table class="endpoints__table">
                <thead><tr><th>"Name"</th><th>"Live"</th><th>"Target"</th><th>"Status"</th><th></th></tr></thead>
                <tbody>{move || r.rows().into_iter().map(|row| r.row_view(row)).collect_view()}</tbody>
            </table>
            <Show when=move || !flow.with(|f| matches!(f.phase, Phase::Idle))>
                <ResultView flow=flow.read_only() clock_offset=r.session.clock_offset
                    on_confirm=Callback::new(move |_| r.runner.confirm())
                    on_cancel=Callback::new(move |_| r.runner.dispatch(Event::Cancel))
                    on_resend=Callback::new(move |_| r.runner.resend())
                    on_stop_following=Callback::new(move |_| r.runner.dispatch(Event::StopFollowing))
                    testid="endpoint-result" title="Endpoint update" />
            </Show>
        </section>
    }
}

/// GetAgentRuntime for one version (`None`: the latest).
async fn get_version(
    session: Session,
    id: String,
    version: Option<String>,
) -> Result<Value, String> {
    let spec = flow_spec();
    let mut input = json!({ spec.id_member(): id });
    if let Some(v) = version {
        input[spec.version_member()] = json!(v);
    }
    let report = session
        .call(GET_AGENT_RUNTIME, input, |_| {})
        .await
        .ok_or("No credentials or endpoint.")?;
    report.outcome.map(|o| o.json).map_err(|e| e.to_string())
}

/// The Versions panel (`data-testid="versions"`): compare two versions,
/// restore one into the form.
#[component]
pub fn VersionsPanel(
    /// Shared state.
    rollback: Rollback,
) -> impl IntoView {
    let r = rollback;
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let rows = RwSignal::new(None::<(String, String, Vec<DiffRow>)>);
    let message = RwSignal::new(None::<(bool, String)>);
    let pick = |ev: leptos::ev::Event, s: RwSignal<String>| s.set(event_target_value(&ev));
    let compare = move |_| {
        let id = r.runtime_id.get_untracked();
        let (a, b) = (from.get_untracked(), to.get_untracked());
        if id.is_empty() || a.is_empty() || b.is_empty() {
            message.set(Some((
                true,
                "Choose a runtime and two versions first.".into(),
            )));
            return;
        }
        spawn_local(async move {
            let older = get_version(r.session, id.clone(), Some(a.clone())).await;
            let newer = get_version(r.session, id, Some(b.clone())).await;
            match (older, newer) {
                (Ok(older), Ok(newer)) => {
                    message.set(None);
                    rows.set(Some((
                        a,
                        b,
                        version_diff(model(), r.form.shape, &older, &newer),
                    )));
                }
                (Err(e), _) | (_, Err(e)) => {
                    message.set(Some((true, format!("Could not read the versions: {e}"))))
                }
            }
        });
    };
    let restore = move |version: String| {
        let id = r.runtime_id.get_untracked();
        spawn_local(async move {
            let old = get_version(r.session, id.clone(), Some(version.clone())).await;
            let latest = get_version(r.session, id, None).await;
            let (old, latest) = match (old, latest) {
                (Ok(o), Ok(l)) => (o, l),
                (Err(e), _) | (_, Err(e)) => {
                    message.set(Some((
                        true,
                        format!("Could not restore version {version}: {e}"),
                    )));
                    return;
                }
            };
            let spec = r.form.spec;
            let old = CurrentConfig::from_output(&spec, &old);
            let latest = CurrentConfig::from_output(&spec, &latest);
            let (mut d, _) = from_request(model(), r.form.shape, &old.request);
            let id_path = MemberPath::root().member(spec.id_member());
            draft::set(&mut d, &id_path, Value::String(old.id().to_owned()));
            r.form.set_draft(d);
            r.form.touched.set(Default::default());
            r.form.submitted.set(false);
            r.form.server_errors.set(Vec::new());
            message.set(Some((false, format!(
                "Loaded version {version}'s configuration into the form; the review compares it with the latest version ({}). Sending it makes a new version with this configuration.",
                latest.version
            ))));
            r.current.set(Some(latest));
        });
    };
    let diff_view = move || {
        rows.get().map(|(a, b, rows)| {
            let list = rows.iter().map(|row| diff_row(r.form, row, ().into_any())).collect_view();
            view! {
                <div class="diff__scroll" data-testid="version-diff" data-from=a.clone() data-to=b.clone()>
                    <table class="diff__table">
                        <thead><tr><th>"Member"</th><th>"Change"</th><th>{format!("Version {a}")}</th><th>{format!("Version {b}")}</th></tr></thead>
                        <tbody>{list}</tbody>
                    </table>
                </div>
            }
        })
    };
    view! {
        <section class="panel versions" data-testid="versions" aria-labelledby="versions-title">
            <h2 id="versions-title" class="panel__title">"Versions"</h2>
            <p class="panel__hint">"Two ways back: point an endpoint at an older version (instant), or restore an older configuration and send it as a new version."</p>
            <label class="field__label" for="compareFrom">"Compare version"</label>
            <select class="field__control" id="compareFrom" name="compareFrom" on:change=move |ev| pick(ev, from)>
                <option value="">"—"</option>
                {move || r.version_options(from.get_untracked())}
            </select>
            <label class="field__label" for="compareTo">"with version"</label>
            <select class="field__control" id="compareTo" name="compareTo" on:change=move |ev| pick(ev, to)>
                <option value="">"—"</option>
                {move || r.version_options(to.get_untracked())}
            </select>
            <button type="button" class="button" on:click=compare>"Compare versions"</button>
            <div aria-live="polite" data-testid="versions-message">
                {move || message.get().map(|(bad, m)| view! { <p class=if bad { "notice notice--error" } else { "notice notice--ok" }>{m}</p> })}
            </div>
            {diff_view}
            <ul class="versions__list">
                {move || r.numbers().into_iter().map(|v| {
                    let label = format!("Restore version {v}");
                    let version = v.clone();
                    view! {
                        <li>
                            <button type="button" class="button button--small" data-restore-version=v
                                on:click=move |_| restore(version.clone())>{label}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
