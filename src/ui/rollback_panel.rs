//! After an update (core::rollback): the Endpoints panel (every endpoint of
//! the chosen runtime, pointing a named one at a version through the same
//! checked, confirmed and followed flow as the update), the Versions panel
//! (compare two versions, restore one into the form) and, once an update
//! reached READY, the offers to move the named endpoints left behind.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde_json::Value;

use super::flow_runner::{Input, Runner};
use super::form_state::{FormState, model};
use super::invoke_panel::TryAgent;
use super::notice_view::notice_view;
use super::result_view::ResultView;
use super::review::diff_row;
use super::runtime_picker::CurrentConfig;
use super::session::Session;
use crate::core::draft;
use crate::core::flow::{Command, Event, Flow, Phase, Status};
use crate::core::member_path::MemberPath;
use crate::core::picker::Loaded;
use crate::core::rollback::{self, EndpointRow, RollbackSpec, point_input, point_offers};

/// State shared by the Endpoints and Versions panels and the offers.
#[derive(Clone, Copy)]
pub struct Rollback {
    form: FormState,
    /// The panels' workflow: listing, comparing, restoring.
    panels: Runner<rollback::Rollback>,
    /// Version chosen per endpoint name.
    chosen: RwSignal<BTreeMap<String, String>>,
    /// Descriptions the user edited, per endpoint name.
    edited: RwSignal<BTreeMap<String, String>>,
    /// The endpoint and version a send is for.
    pointing: RwSignal<(String, String)>,
    /// The main update reached READY.
    pub update_ready: Memo<bool>,
    /// The endpoint flow: UpdateAgentRuntimeEndpoint, checked and followed
    /// with GetAgentRuntimeEndpoint, always confirmed.
    pub runner: Runner<Flow>,
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
        let spec = RollbackSpec::new(model());
        let panels = Runner::new(spec, session, "versions-title").on_show(
            move |Loaded { draft, config }| {
                form.replace(draft);
                current.set(Some(config));
            },
        );
        let update_ready = Memo::new(move |_| {
            update.with(|f| {
                f.follow()
                    .is_some_and(|f| !f.active() && f.status() == Some(&Status::Ready))
            })
        });
        let this = Self {
            form,
            panels,
            chosen: RwSignal::new(BTreeMap::new()),
            edited: RwSignal::new(BTreeMap::new()),
            pointing: RwSignal::new((String::new(), String::new())),
            update_ready,
            runner: Runner::new(spec.endpoint, session, "endpoint-result-title"),
        };
        // A fresh reading of the endpoint (after a point): list again.
        this.runner.on_show(move |command| {
            if let Command::Current(_) = command {
                this.list(true);
            }
        });
        Effect::new(move |_| {
            if update_ready.get() {
                this.list(true);
            }
        });
        this
    }

    /// For the picker: a runtime was chosen, list its versions and
    /// endpoints.
    pub fn picked(self, id: String) {
        self.chosen.set(BTreeMap::new());
        self.edited.set(BTreeMap::new());
        self.panels.dispatch(rollback::Event::Picked {
            id,
            not_ready: self.panels.session.not_ready(),
        });
    }

    /// Lists every endpoint (all pages) of the runtime the form names (else
    /// of the one listed last), and its versions when `versions`.
    fn list(self, versions: bool) {
        let id_member = self.form.spec.id_member();
        let form_id = self
            .form
            .draft
            .with_untracked(|d| draft::get_text(d, &MemberPath::root().member(id_member)));
        self.panels.dispatch(rollback::Event::List {
            form_id,
            versions,
            not_ready: self.panels.session.not_ready(),
        });
    }

    /// The runtime's versions (ListAgentRuntimeVersions items; tracked).
    pub fn versions(self) -> Vec<Value> {
        self.panels.state.with(|r| r.versions.clone())
    }

    /// The version numbers listed (tracked).
    fn numbers(self) -> Vec<String> {
        let spec = self.panels.context;
        self.panels.state.with(|r| r.numbers(&spec))
    }

    fn latest(self) -> Option<String> {
        let spec = self.panels.context;
        self.panels.state.with(|r| r.latest(&spec))
    }

    /// The endpoints' names (tracked).
    pub fn endpoint_names(self) -> Vec<String> {
        self.rows().into_iter().map(|r| r.name).collect()
    }

    fn rows(self) -> Vec<EndpointRow> {
        let spec = self.panels.context;
        self.panels.state.with(|r| r.rows(&spec))
    }

    /// UpdateAgentRuntimeEndpoint's input for what is being pointed, and
    /// whether it lacks a version.
    fn input(self) -> Input {
        let (name, version) = self.pointing.get_untracked();
        let edit = self.edited.with_untracked(|e| e.get(&name).cloned());
        let runtime_id = self.panels.state.with_untracked(|r| r.runtime_id.clone());
        let input = point_input(
            &self.runner.context,
            &runtime_id,
            &name,
            &version,
            edit.as_deref(),
        );
        (input, usize::from(version.is_empty()))
    }

    /// Sends UpdateAgentRuntimeEndpoint for `endpoint` to `version`.
    fn point(self, endpoint: String, version: String) {
        // While a point is checked or sent, another click changes nothing:
        // the confirmation and the send read what is being pointed.
        if self.runner.state.with_untracked(Flow::busy) {
            return;
        }
        self.pointing.set((endpoint, version));
        self.runner.send(self.input());
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

    fn row_view(self, row: EndpointRow, agent: TryAgent) -> impl IntoView {
        let name = row.name.clone();
        let logs = self.panels.session.route.with_untracked(|r| {
            let region = &r.as_ref().ok()?.endpoint.signing_region;
            let id = self.panels.state.with_untracked(|p| p.runtime_id.clone());
            Some(crate::core::invoke::logs_url(region, &id, &name))
        });
        let target = name.clone();
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
                    disabled=move || self.runner.state.with(Flow::busy)
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
                <td class="endpoints__control">{control}
                    <button type="button" class="button button--small" data-invoke-endpoint=name.clone()
                        on:click=move |_| agent.target(&target)>"Invoke"</button>
                    {logs.map(|href| view! {
                        <a class="endpoints__logs" data-endpoint-logs=name href=href target="_blank" rel="noopener noreferrer">"Logs"</a>
                    })}
                </td>
            </tr>
        }
    }
}

/// The Endpoints panel (`data-testid="endpoints"`).
#[component]
pub fn EndpointsPanel(
    /// Shared state.
    rollback: Rollback,
    /// "Try the agent", which each row's "Invoke" points at its endpoint.
    agent: TryAgent,
) -> impl IntoView {
    let r = rollback;
    let flow = r.runner.state;
    view! {
        <section class="panel endpoints" data-testid="endpoints" aria-labelledby="endpoints-title">
            <h2 id="endpoints-title" class="panel__title">"Endpoints"</h2>
            <p class="panel__hint">"DEFAULT follows the latest version by itself; named endpoints stay on their version until you point them."</p>
            <button type="button" class="button" on:click=move |_| r.list(true)>"List endpoints"</button>
            <div aria-live="polite" data-testid="endpoints-message">
                {move || r.panels.state.with(|p| p.endpoints_notice.clone()).map(notice_view)}
            </div>
            <table class="endpoints__table">
                <thead><tr><th>"Name"</th><th>"Live"</th><th>"Target"</th><th>"Status"</th><th></th></tr></thead>
                <tbody>{move || r.rows().into_iter().map(|row| r.row_view(row, agent)).collect_view()}</tbody>
            </table>
            <Show when=move || !flow.with(|f| matches!(f.phase, Phase::Idle))>
                <ResultView flow=flow.read_only() clock_offset=r.runner.session.clock_offset
                    on_confirm=Callback::new(move |_| r.runner.confirm(r.input()))
                    on_cancel=Callback::new(move |_| r.runner.dispatch(Event::Cancel))
                    on_resend=Callback::new(move |_| r.runner.resend())
                    on_stop_following=Callback::new(move |_| r.runner.dispatch(Event::StopFollowing))
                    testid="endpoint-result" title="Endpoint update" />
            </Show>
        </section>
    }
}

/// The Versions panel (`data-testid="versions"`): compare two versions,
/// restore one into the form.
#[component]
pub fn VersionsPanel(
    /// Shared state.
    rollback: Rollback,
) -> impl IntoView {
    let r = rollback;
    let state = r.panels.state;
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let pick = |ev: leptos::ev::Event, s: RwSignal<String>| s.set(event_target_value(&ev));
    let compare = move |_| {
        r.panels.dispatch(rollback::Event::Compare {
            from: from.get_untracked(),
            to: to.get_untracked(),
        })
    };
    let restore = move |version: String| r.panels.dispatch(rollback::Event::Restore { version });
    let diff_view = move || {
        state.with(|s| s.compared.clone()).map(|rollback::Compared { from: a, to: b, rows }| {
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
                {move || state.with(|s| s.versions_notice.clone()).map(notice_view)}
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
