//! The review: what the update changes against the loaded configuration,
//! member by member, with cleared members standing out and a one-click
//! "Keep current value".

use leptos::prelude::*;
use serde_json::Value;

use super::form_state::{FormState, model};
use super::runtime_picker::CurrentConfig;
use crate::core::diff::{Change, DiffRow, cleared_count, diff, keep_current};
use crate::core::flow::Status;
use crate::core::image_ref::image_advice;
use crate::core::text::plural;

/// The rows of the review, live (empty until a configuration is loaded).
pub fn review_rows(
    form: FormState,
    current: RwSignal<Option<CurrentConfig>>,
) -> Memo<Vec<DiffRow>> {
    Memo::new(move |_| {
        current.with(|c| {
            let Some(c) = c else { return Vec::new() };
            form.request
                .with(|p| diff(model(), form.shape, &c.request, p))
        })
    })
}

fn shown(value: &Option<Value>, masked: bool) -> String {
    match value {
        None => "—".to_owned(),
        Some(_) if masked => "•••••• (hidden)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => crate::core::json::to_string(v),
    }
}

/// One diff row (`data-path`, `data-key` for a map entry, `data-change`),
/// sensitive values masked unless revealed; `extra` ends the row.
pub fn diff_row(form: FormState, r: &DiffRow, extra: AnyView) -> AnyView {
    let masked = r.sensitive && !form.is_revealed(&r.path.top());
    let path = r.path.to_string();
    view! {
        <tr class=format!("diff__row diff__row--{}", r.change.as_str()) data-path=path.clone()
            data-key=r.path.map_key().map(str::to_owned) data-change=r.change.as_str()>
            <td class="diff__path"><code>{path.clone()}</code></td>
            <td class="diff__change">{r.change.as_str()}</td>
            <td class="diff__value">{shown(&r.current, masked)}</td>
            <td class="diff__value">{shown(&r.proposed, masked)}</td>
            {extra}
        </tr>
    }
    .into_any()
}

/// The review panel (`data-testid="diff"`).
#[component]
pub fn Review(
    /// The loaded configuration.
    current: RwSignal<Option<CurrentConfig>>,
    /// Its diff against the form.
    rows: Memo<Vec<DiffRow>>,
) -> impl IntoView {
    let form = expect_context::<FormState>();
    let show_unchanged = RwSignal::new(true);
    let body = move || {
        let config = current.get()?;
        let all = rows.get();
        let cleared = cleared_count(&all);
        let count = |c: Change| all.iter().filter(|r| r.change == c).count();
        let summary = format!(
            "Against version {} ({}): {} added, {} changed, {} cleared, {} unchanged.",
            config.version,
            config.status,
            count(Change::Added),
            count(Change::Changed),
            cleared,
            count(Change::Unchanged)
        );
        let list = all
            .into_iter()
            .filter(|r| show_unchanged.get() || r.change != Change::Unchanged)
            .map(|r| {
                let keep = {
                    let r = r.clone();
                    move |_| form.update_draft(|d| keep_current(model(), form.shape, d, &r))
                };
                let action = (r.change == Change::Cleared).then(|| view! {
                    <button type="button" class="button button--small" on:click=keep>"Keep current value"</button>
                });
                diff_row(form, &r, view! { <td>{action}</td> }.into_any())
            })
            .collect_view();
        Some(view! {
            <p class="diff__summary">{summary}</p>
            {(cleared > 0).then(|| view! {
                <p class="notice notice--warning" data-testid="cleared-warning">
                    {format!("{cleared} {} set now will be cleared by this update. Keep the ones you still need.", plural(cleared, "member", "members"))}
                </p>
            })}
            {(config.status != Status::Ready).then(|| view! {
                <p class="notice notice--warning" data-testid="status-warning">
                    {format!("The runtime was {} when loaded, not READY: an update now will likely be refused with ConflictException.", config.status)}
                </p>
            })}
            {form.request.with(|p| image_advice(model(), form.shape, &config.request, p)).map(|a| view! {
                <p class="notice notice--warning" data-testid="image-tag-notice" data-reason=a.reason()>{a.message()}</p>
            })}
            <label class="diff__toggle"><input type="checkbox" prop:checked=move || show_unchanged.get()
                on:change=move |ev| show_unchanged.set(event_target_checked(&ev)) />" Show unchanged members"</label>
            <div class="diff__scroll">
                <table class="diff__table">
                    <thead><tr><th>"Member"</th><th>"Change"</th><th>"Now"</th><th>"After update"</th><th></th></tr></thead>
                    <tbody>{list}</tbody>
                </table>
            </div>
        })
    };
    view! {
        <Show when=move || current.with(Option::is_some)>
            <section class="panel diff" data-testid="diff" aria-labelledby="diff-title">
                <h2 id="diff-title" class="panel__title">"Review: what this update changes"</h2>
                {body}
            </section>
        </Show>
    }
}
