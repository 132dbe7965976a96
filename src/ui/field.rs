//! The one recursive, model-driven form control: a member of any shape
//! becomes a fieldset (structure), a choice (union), rows (list, map) or a
//! single control (enum, boolean, integer, string). Every control is named by
//! its member path (the automation contract in the README).

use leptos::prelude::*;
use serde_json::Value;

use super::form_state::{FormState, control_id, error_id, help_id, model};
use crate::core::draft::{self, map_entry};
use crate::core::member_path::MemberPath;
use crate::core::model::{Shape, ShapeKind, plain_text};
use crate::core::validate::integer_bounds;

/// Everything a field needs to know about the member it renders.
#[derive(Clone)]
pub struct FieldSpec {
    /// Member path (its rendering is the control's `name`).
    pub path: MemberPath,
    /// Label shown to the user.
    pub label: String,
    /// Target shape.
    pub shape: &'static Shape,
    /// Whether the member is required.
    pub required: bool,
    /// Documentation (HTML from the model; shown as text).
    pub doc: String,
    /// Path of the sensitive member this value belongs to, if any.
    pub mask: Option<MemberPath>,
    /// Whether this is a list item or map value (empty text is a value).
    pub in_collection: bool,
    /// The id of a `<datalist>` of values to offer (a text control only).
    pub choices: Option<&'static str>,
}

impl FieldSpec {
    /// The spec of a list item or a map key/value: present once its row exists.
    pub fn item(
        path: MemberPath,
        label: String,
        shape: &'static Shape,
        mask: Option<MemberPath>,
    ) -> Self {
        Self {
            path,
            label,
            shape,
            required: true,
            doc: String::new(),
            mask,
            in_collection: true,
            choices: None,
        }
    }

    /// The spec of one member of a structure or union.
    pub fn member(
        parent: &MemberPath,
        member: &'static crate::core::model::Member,
        mask: Option<MemberPath>,
    ) -> Self {
        Self::member_of(model(), parent, member, mask)
    }

    /// [`Self::member`] in another service's model (the data plane's).
    pub fn member_of(
        model: &'static crate::core::model::ServiceModel,
        parent: &MemberPath,
        member: &'static crate::core::model::Member,
        mask: Option<MemberPath>,
    ) -> Self {
        let shape = model.shape(&member.shape);
        let path = parent.member(&member.name);
        let doc = if member.documentation.is_empty() {
            shape.documentation.clone()
        } else {
            member.documentation.clone()
        };
        let mask = mask.or_else(|| shape.sensitive.then(|| path.clone()));
        Self {
            path,
            label: member.name.clone(),
            shape,
            required: member.required,
            doc,
            mask,
            in_collection: false,
            choices: None,
        }
    }
}

/// A form control for one member, of any shape.
#[component]
pub fn Field(spec: FieldSpec) -> AnyView {
    match &spec.shape.kind {
        ShapeKind::Structure(_) => structure(spec),
        ShapeKind::Union(_) => union(spec),
        ShapeKind::List(_) => list(spec),
        ShapeKind::Map { .. } => map(spec),
        _ => leaf(spec),
    }
}

fn required_mark(required: bool) -> impl IntoView {
    required.then(|| {
        view! { <span class="field__required" title="required">" *"<span class="visually-hidden">" (required)"</span></span> }
    })
}

/// The model documentation as help text: first sentence, the rest on demand.
fn help(path: &MemberPath, doc: &str) -> impl IntoView {
    let text = plain_text(doc);
    let id = prefixed(help_id(path));
    (!text.is_empty()).then(move || {
        let first_end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
        let (first, rest) = text.split_at(first_end);
        let first = first.to_owned();
        let rest = rest.trim().to_owned();
        view! {
            <div class="field__help" id=id>
                <span>{first}</span>
                {(!rest.is_empty()).then(|| view! {
                    <details class="field__more"><summary>"More"</summary><p class="field__doc">{rest}</p></details>
                })}
            </div>
        }
    })
}

/// The messages beside a control (`shown`: its [`FormState::shown_errors_memo`]).
fn error_list(path: &MemberPath, shown: Memo<Vec<String>>) -> impl IntoView {
    let id = prefixed(error_id(path));
    view! {
        <div class="field__error" id=id aria-live="polite">
            {move || shown.get().into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
        </div>
    }
}

/// An element id (`f-…`, `err-…`, `help-…`) with the form's prefix after
/// its kind: `f-invoke.payload`.
fn prefixed(id: String) -> String {
    let prefix = expect_context::<FormState>().prefix;
    match id.split_once('-') {
        Some((kind, path)) if !prefix.is_empty() => format!("{kind}-{prefix}{path}"),
        _ => id,
    }
}

/// `aria-invalid` of a control or group: whether errors show beside it.
fn invalid_attr(shown: Memo<Vec<String>>) -> impl Fn() -> &'static str + Clone {
    move || {
        if shown.with(Vec::is_empty) {
            "false"
        } else {
            "true"
        }
    }
}

fn reveal_toggle(path: MemberPath, label: String) -> impl IntoView {
    let form = expect_context::<FormState>();
    let p = path.clone();
    let attr = form.name(&path);
    let shown = path.clone();
    view! {
        <button type="button" class="button button--small field__reveal"
            aria-pressed=move || if form.is_revealed(&p) { "true" } else { "false" }
            data-reveal=attr
            on:click=move |_| form.toggle_reveal(&path)>
            {move || if form.is_revealed(&shown) { "Hide" } else { "Reveal" }}
            <span class="visually-hidden">" " {label.clone()}</span>
        </button>
    }
}

fn structure(spec: FieldSpec) -> AnyView {
    let form = expect_context::<FormState>();
    let FieldSpec {
        path,
        label,
        shape,
        required,
        doc,
        mask,
        in_collection,
        ..
    } = spec;
    let shown = form.shown_errors_memo(path.clone());
    let optional = !required && !in_collection;
    let p = path.clone();
    let open = Memo::new(move |_| {
        !optional
            || form.expanded.with(|e| e.contains(&p))
            || form.with_at(&p, |d| draft::is_set_at(model(), shape, d, &p))
    });
    let members_view = {
        let path = path.clone();
        let mask = mask.clone();
        move || {
            shape
                .members()
                .iter()
                .map(|m| view! { <Field spec=FieldSpec::member(&path, m, mask.clone()) /> })
                .collect_view()
        }
    };
    let expand = {
        let path = path.clone();
        move |_| {
            form.expanded.update(|e| {
                e.insert(path.clone());
            })
        }
    };
    let clear = {
        let path = path.clone();
        move |_| {
            form.expanded.update(|e| {
                e.remove(&path);
            });
            form.update_draft(|d| draft::remove(d, &path));
        }
    };
    let is_sensitive_root = mask.as_ref() == Some(&path);
    view! {
        <fieldset class="group" id=control_id(&path) data-path=path.to_string() role="group" tabindex="-1"
            aria-invalid=invalid_attr(shown) aria-describedby=error_id(&path)>
            <legend class="group__legend">{label.clone()}{required_mark(required)}</legend>
            {is_sensitive_root.then(|| reveal_toggle(path.clone(), label.clone()))}
            {help(&path, &doc)}
            <Show when=move || open.get() fallback={
                let label = label.clone();
                let path = path.clone();
                move || view! {
                    <button type="button" class="button button--ghost" data-expand=path.to_string() on:click=expand.clone()>
                        "Add " {label.clone()}
                    </button>
                }
            }>
                <div class="group__body">{members_view.clone()}</div>
                {optional.then(|| view! {
                    <button type="button" class="button button--ghost button--small" on:click=clear.clone()>"Leave unset"</button>
                })}
            </Show>
            {error_list(&path, shown)}
        </fieldset>
    }
    .into_any()
}

fn union(spec: FieldSpec) -> AnyView {
    let form = expect_context::<FormState>();
    let FieldSpec {
        path,
        label,
        shape,
        required,
        doc,
        mask,
        in_collection,
        ..
    } = spec;
    let shown = form.shown_errors_memo(path.clone());
    let p = path.clone();
    let chosen = Memo::new(move |_| {
        form.with_at(&p, |d| match draft::get(d, &p) {
            Some(Value::Object(map)) => shape
                .members()
                .iter()
                .find(|m| map.contains_key(&m.name))
                .map(|m| m.name.clone()),
            _ => None,
        })
    });
    let on_change = {
        let path = path.clone();
        move |ev: leptos::ev::Event| {
            let choice = event_target_value(&ev);
            form.touch(&path);
            match shape.members().iter().find(|m| m.name == choice) {
                Some(member) => {
                    let mut value = serde_json::Map::new();
                    value.insert(
                        member.name.clone(),
                        draft::empty(model().shape(&member.shape)),
                    );
                    form.update_draft(|d| draft::set(d, &path, Value::Object(value)));
                }
                None => form.update_draft(|d| draft::remove(d, &path)),
            }
        }
    };
    let chosen_view = {
        let path = path.clone();
        move || {
            let name = chosen.get()?;
            let member = shape.members().iter().find(|m| m.name == name)?;
            // The chosen member is shown open: choosing it is using it.
            let spec = FieldSpec {
                required: true,
                ..FieldSpec::member(&path, member, mask.clone())
            };
            Some(view! { <Field spec=spec /> })
        }
    };
    let must_choose = required || in_collection;
    let id = control_id(&path);
    let describedby = format!("{} {}", error_id(&path), help_id(&path));
    let invalid = invalid_attr(shown);
    view! {
        <fieldset class="group group--union" data-path=path.to_string()>
            <legend class="group__legend">{label.clone()}{required_mark(required)}</legend>
            {help(&path, &doc)}
            <label class="field__label" for=id.clone()>"Choose one"</label>
            <select class="field__control" id=id name=path.to_string() aria-describedby=describedby
                aria-invalid=invalid
                on:change=on_change
                on:blur={ let path = path.clone(); move |_| form.touch(&path) }
                prop:value=move || chosen.get().unwrap_or_default()>
                <option value="">{if must_choose { "— choose —" } else { "— not set —" }}</option>
                {shape.members().iter().map(|m| view! { <option value=m.name.clone()>{m.name.clone()}</option> }).collect_view()}
            </select>
            <div class="group__body">{chosen_view}</div>
            {error_list(&path, shown)}
        </fieldset>
    }
    .into_any()
}

fn count_at(form: FormState, path: MemberPath) -> Memo<usize> {
    Memo::new(move |_| {
        form.with_at(&path, |d| match draft::get(d, &path) {
            Some(Value::Array(items)) => items.len(),
            _ => 0,
        })
    })
}

fn bounds_text(shape: &Shape, noun: &str) -> String {
    match (shape.min, shape.max) {
        (Some(a), Some(b)) => format!("{a}–{b} {noun}"),
        (Some(a), None) if a > 0 => format!("at least {a} {noun}"),
        (_, Some(b)) => format!("up to {b} {noun}"),
        _ => String::new(),
    }
}

/// The legend of a list or map, with its size bounds.
fn collection_legend(label: &str, required: bool, shape: &Shape, noun: &str) -> impl IntoView {
    let hint = bounds_text(shape, noun);
    view! {
        <legend class="group__legend">{label.to_owned()}{required_mark(required)}
            {(!hint.is_empty()).then(|| view! { <span class="field__hint">" (" {hint.clone()} ")"</span> })}
        </legend>
    }
}

/// Appends an empty row to a list or map; disabled at the maximum.
fn add_button(
    path: &MemberPath,
    label: &str,
    shape: &'static Shape,
    count: Memo<usize>,
    text: &'static str,
) -> impl IntoView {
    let form = expect_context::<FormState>();
    let max = shape.max.map(|m| m as usize);
    let target = path.clone();
    view! {
        <button type="button" class="button button--small" data-add=path.to_string()
            disabled=move || max.is_some_and(|m| count.get() >= m)
            on:click=move |_| form.update_draft(|d| draft::push_item(model(), d, &target, shape))>
            {text}<span class="visually-hidden">" to " {label.to_owned()}</span>
        </button>
    }
}

/// For a list or map imported explicitly empty (kept, so validated): the
/// way back to "not sent".
fn leave_unset(form: FormState, path: MemberPath, count: Memo<usize>) -> impl IntoView {
    let p = path.clone();
    let explicit =
        Memo::new(move |_| count.get() == 0 && form.with_at(&p, |d| draft::is_explicit(d, &p)));
    move || {
        let path = path.clone();
        explicit.get().then(|| view! {
            <button type="button" class="button button--ghost button--small"
                on:click=move |_| form.update_draft(|d| draft::remove(d, &path))>"Leave unset"</button>
        })
    }
}

fn list(spec: FieldSpec) -> AnyView {
    let form = expect_context::<FormState>();
    let FieldSpec {
        path,
        label,
        shape,
        required,
        doc,
        mask,
        ..
    } = spec;
    let shown = form.shown_errors_memo(path.clone());
    let ShapeKind::List(item_name) = &shape.kind else {
        unreachable!("list() renders lists")
    };
    let item_shape = model().shape(item_name);
    let count = count_at(form, path.clone());
    let min = shape.min.unwrap_or(0) as usize;
    let rows = {
        let path = path.clone();
        let label = label.clone();
        move || {
            let n = count.get();
            (0..n)
                .map(|i| {
                    let item_path = path.index(i);
                    let spec = FieldSpec::item(item_path.clone(), format!("{} #{}", label, i + 1), item_shape, mask.clone());
                    let remove = move |_| form.update_draft(|d| draft::remove(d, &item_path));
                    let can_remove = !(required && n <= min.max(1));
                    view! {
                        <div class="row">
                            <div class="row__body"><Field spec=spec /></div>
                            <button type="button" class="button button--ghost button--small row__remove"
                                disabled=!can_remove on:click=remove>
                                "Remove"<span class="visually-hidden">{format!(" {} #{}", label, i + 1)}</span>
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <fieldset class="group group--list" id=control_id(&path) data-path=path.to_string() role="group" tabindex="-1"
            aria-invalid=invalid_attr(shown) aria-describedby=error_id(&path)>
            {collection_legend(&label, required, shape, "items")}
            {help(&path, &doc)}
            <div class="group__body">{rows}</div>
            {add_button(&path, &label, shape, count, "Add item")}
            {leave_unset(form, path.clone(), count)}
            {error_list(&path, shown)}
        </fieldset>
    }
    .into_any()
}

fn map(spec: FieldSpec) -> AnyView {
    let form = expect_context::<FormState>();
    let FieldSpec {
        path,
        label,
        shape,
        required,
        doc,
        mask,
        ..
    } = spec;
    let shown = form.shown_errors_memo(path.clone());
    let ShapeKind::Map { key, value } = &shape.kind else {
        unreachable!("map() renders maps")
    };
    let key_shape = model().shape(key);
    let value_shape = model().shape(value);
    let count = count_at(form, path.clone());
    let rows = {
        let path = path.clone();
        let label = label.clone();
        let mask = mask.clone();
        move || {
            (0..count.get())
                .map(|i| {
                    let entry_path = path.index(i);
                    let key_path = entry_path.member(draft::MAP_KEY);
                    let key_spec = FieldSpec::item(key_path, format!("Key #{}", i + 1), key_shape, None);
                    let value_path = entry_path.member(draft::MAP_VALUE);
                    let value_spec = FieldSpec::item(value_path, format!("Value #{}", i + 1), value_shape, mask.clone());
                    let remove = move |_| form.update_draft(|d| draft::remove(d, &entry_path));
                    view! {
                        <div class="row row--entry">
                            <div class="row__key"><Field spec=key_spec /></div>
                            <div class="row__value"><Field spec=value_spec /></div>
                            <button type="button" class="button button--ghost button--small row__remove" on:click=remove>
                                "Remove"<span class="visually-hidden">{format!(" {} entry #{}", label, i + 1)}</span>
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    let paste_text = RwSignal::new(String::new());
    let paste_error = RwSignal::new(None::<String>);
    let add_lines = {
        let path = path.clone();
        move |_| match draft::parse_key_value_lines(&paste_text.get_untracked()) {
            Ok(pairs) => {
                form.update_draft(|d| {
                    for (k, v) in pairs {
                        draft::append(d, &path, map_entry(k, Value::String(v)));
                    }
                });
                paste_text.set(String::new());
                paste_error.set(None);
            }
            Err(e) => paste_error.set(Some(e)),
        }
    };
    let is_sensitive_root = mask.as_ref() == Some(&path);
    let paste_name = format!("{path}.paste");
    view! {
        <fieldset class="group group--map" id=control_id(&path) data-path=path.to_string() role="group" tabindex="-1"
            aria-invalid=invalid_attr(shown) aria-describedby=error_id(&path)>
            {collection_legend(&label, required, shape, "entries")}
            {is_sensitive_root.then(|| reveal_toggle(path.clone(), label.clone()))}
            {help(&path, &doc)}
            <div class="group__body">{rows}</div>
            <div class="group__actions">
                {add_button(&path, &label, shape, count, "Add entry")}
                {leave_unset(form, path.clone(), count)}
                <details class="paste">
                    <summary>"Paste KEY=value lines"</summary>
                    <label class="visually-hidden" for=paste_name.clone()>"KEY=value lines for " {label.clone()}</label>
                    <textarea class="field__control paste__text" id=paste_name.clone() name=paste_name rows="4"
                        placeholder="LOG_LEVEL=info\nMODEL_ID=my-model"
                        prop:value=move || paste_text.get()
                        on:input=move |ev| paste_text.set(event_target_value(&ev))></textarea>
                    <button type="button" class="button button--small" on:click=add_lines>"Add lines"</button>
                    {move || paste_error.get().map(|e| view! { <p class="field__error">{e}</p> })}
                </details>
            </div>
            {error_list(&path, shown)}
        </fieldset>
    }
    .into_any()
}

fn leaf(spec: FieldSpec) -> AnyView {
    let form = expect_context::<FormState>();
    let FieldSpec {
        path,
        label,
        shape,
        required,
        doc,
        mask,
        choices,
        ..
    } = spec;
    let shown = form.shown_errors_memo(path.clone());
    let name = form.name(&path);
    let id = prefixed(control_id(&path));
    let describedby = format!("{} {}", prefixed(error_id(&path)), prefixed(help_id(&path)));
    let value = {
        let path = path.clone();
        Memo::new(move |_| form.text(&path))
    };
    let invalid = invalid_attr(shown);
    let on_input = {
        let path = path.clone();
        move |ev: leptos::ev::Event| form.set_text(&path, event_target_value(&ev))
    };
    let on_blur = {
        let path = path.clone();
        move |_| form.touch(&path)
    };
    let masked = {
        let mask = mask.clone();
        move || mask.as_ref().is_some_and(|m| !form.is_revealed(m))
    };
    let hint = match &shape.kind {
        ShapeKind::Integer | ShapeKind::Long => {
            let (lo, hi) = integer_bounds(shape);
            match (shape.min, shape.max) {
                (None, None) => "whole number".to_owned(),
                _ => format!("{lo}–{hi}"),
            }
        }
        ShapeKind::String => match (shape.min, shape.max) {
            (Some(a), Some(b)) => format!("{a}–{b} characters"),
            (None, Some(b)) => format!("up to {b} characters"),
            _ => String::new(),
        },
        _ => String::new(),
    };
    let control = match &shape.kind {
        ShapeKind::Enum(values) => {
            let options = values.iter().map(|v| view! { <option value=v.clone()>{v.clone()}</option> }).collect_view();
            view! {
                <select class="field__control" id=id.clone() name=name.clone() aria-describedby=describedby.clone()
                    aria-invalid=invalid.clone() aria-required=required.to_string()
                    on:change=on_input.clone() on:blur=on_blur.clone() prop:value=move || value.get()>
                    <option value="">"— not set —"</option>
                    {options}
                </select>
            }
            .into_any()
        }
        ShapeKind::Boolean => view! {
            <select class="field__control" id=id.clone() name=name.clone() aria-describedby=describedby.clone()
                aria-invalid=invalid.clone() aria-required=required.to_string()
                on:change=on_input.clone() on:blur=on_blur.clone() prop:value=move || value.get()>
                <option value="">"— not set —"</option>
                <option value="true">"true"</option>
                <option value="false">"false"</option>
            </select>
        }
        .into_any(),
        _ => {
            let numeric = matches!(shape.kind, ShapeKind::Integer | ShapeKind::Long);
            let long = matches!(shape.kind, ShapeKind::String) && shape.max.unwrap_or(0) > 2048;
            let id = id.clone();
            let name = name.clone();
            let describedby = describedby.clone();
            let invalid = invalid.clone();
            let on_input = on_input.clone();
            let on_blur = on_blur.clone();
            (move || {
                if masked() {
                    view! {
                        <input class="field__control" type="password" autocomplete="off" id=id.clone() name=name.clone()
                            aria-describedby=describedby.clone() aria-invalid=invalid.clone()
                            on:input=on_input.clone() on:blur=on_blur.clone() prop:value=move || value.get() />
                    }
                    .into_any()
                } else if long {
                    view! {
                        <textarea class="field__control" rows="3" id=id.clone() name=name.clone()
                            aria-describedby=describedby.clone() aria-invalid=invalid.clone()
                            on:input=on_input.clone() on:blur=on_blur.clone() prop:value=move || value.get()></textarea>
                    }
                    .into_any()
                } else {
                    view! {
                        <input class="field__control" type="text" spellcheck="false" autocomplete="off"
                            inputmode=if numeric { "numeric" } else { "text" } list=choices
                            id=id.clone() name=name.clone()
                            aria-describedby=describedby.clone() aria-invalid=invalid.clone()
                            on:input=on_input.clone() on:blur=on_blur.clone() prop:value=move || value.get() />
                    }
                    .into_any()
                }
            })
            .into_any()
        }
    };
    let is_sensitive_root = mask.as_ref() == Some(&path);
    let invalid_class = move || !shown.with(Vec::is_empty);
    view! {
        <div class="field" class:field--invalid=invalid_class data-path=name>
            <div class="field__head">
                <label class="field__label" for=id>{label.clone()}{required_mark(required)}</label>
                {(!hint.is_empty()).then(|| view! { <span class="field__hint">{hint.clone()}</span> })}
                {is_sensitive_root.then(|| reveal_toggle(path.clone(), label.clone()))}
            </div>
            {control}
            {error_list(&path, shown)}
            {help(&path, &doc)}
        </div>
    }
    .into_any()
}
