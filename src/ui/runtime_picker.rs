//! The Runtime panel: renders the picker (core::picker) and sends it the
//! user's actions. Choosing a runtime puts its id in the form and has the
//! rollback panels list its versions, which the version select offers.

use leptos::prelude::*;
use serde_json::Value;

use super::flow_runner::Runner;
use super::form_state::FormState;
use super::notice_view::notice_view;
use super::rollback_panel::Rollback;
use super::session::Session;
use crate::core::draft;
use crate::core::member_path::MemberPath;
use crate::core::picker::{Event, Loaded, Picker, describe};
use crate::core::response::text_member;

pub use crate::core::flow::CurrentConfig;

/// The runtime picker panel.
#[component]
pub fn RuntimePicker(
    /// The configuration loaded into the form, if any.
    current: RwSignal<Option<CurrentConfig>>,
    /// The rollback panels: told the runtime picked; their versions are
    /// offered here.
    rollback: Rollback,
) -> impl IntoView {
    let form = expect_context::<FormState>();
    let session = expect_context::<Session>();
    let spec = form.spec;
    let id_member = spec.id_member();
    let id_path = move || MemberPath::root().member(id_member);
    let picker = Runner::<Picker>::new(spec, session, "picker-title").on_show(
        move |Loaded { draft, config }| {
            form.replace(draft);
            current.set(Some(config));
        },
    );
    let state = picker.state;
    // The version chosen (raw input; empty: the latest).
    let version = RwSignal::new(String::new());
    let busy = move || state.with(Picker::busy);

    let list = move |_| {
        picker.dispatch(Event::List {
            not_ready: session.not_ready(),
        })
    };
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if id.is_empty() {
            return;
        }
        form.update_draft(|d| draft::set(d, &id_path(), Value::String(id.clone())));
        version.set(String::new());
        rollback.picked(id);
    };
    let load = move |_| {
        picker.dispatch(Event::Load {
            id: form
                .draft
                .with_untracked(|d| draft::get_text(d, &id_path())),
            version: version.get_untracked(),
            not_ready: session.not_ready(),
        })
    };
    let selected = move || form.text(&id_path());

    view! {
        <section class="panel picker" aria-labelledby="picker-title">
            <h2 id="picker-title" class="panel__title">"Runtime"</h2>
            <p class="panel__hint">"Start from the runtime's current configuration, so the update changes only what you mean to."</p>
            <button type="button" class="button" on:click=list disabled=busy>"List runtimes"</button>
            <label class="field__label" for="runtimePicker">"Runtime"</label>
            <select class="field__control" id="runtimePicker" name="runtimePicker" on:change=pick prop:value=selected>
                <option value="">{move || if state.with(|p| p.runtimes.is_empty()) { "— list runtimes first —" } else { "— choose a runtime —" }}</option>
                {move || state.with(|p| p.runtimes.iter().map(|r| {
                    let id = text_member(r, id_member);
                    view! { <option value=id>{describe(&spec, r)}</option> }
                }).collect_view())}
            </select>
            <label class="field__label" for="runtimeVersion">"Version"</label>
            <select class="field__control" id="runtimeVersion" name="runtimeVersion"
                prop:value=move || version.get() on:change=move |ev| version.set(event_target_value(&ev))>
                <option value="">"latest"</option>
                {move || rollback.versions().into_iter().map(|v| {
                    let number = text_member(&v, spec.version_member());
                    let status = text_member(&v, spec.status_member());
                    view! { <option value=number.clone()>{format!("version {number} ({status})")}</option> }
                }).collect_view()}
            </select>
            <button type="button" class="button button--primary-outline" on:click=load disabled=busy>"Load current configuration"</button>
            <div aria-live="polite" data-testid="picker-message">
                {move || state.with(|p| p.notice.clone()).map(notice_view)}
            </div>
        </section>
    }
}
