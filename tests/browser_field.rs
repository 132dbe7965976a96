//! Browser tests of the recursive form field, one per shape kind, in
//! headless Chromium (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use agentcore_console::core::draft;
use agentcore_console::core::member_path::MemberPath;
use agentcore_console::ui::field::{Field, FieldSpec};
use agentcore_console::ui::form_state::{FormState, flow_spec};
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the field for one top-level member of UpdateAgentRuntime into a
/// fresh container and returns the form state and the container.
fn mount(member: &str, initial: Value) -> (FormState, HtmlElement) {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let slot = Rc::new(Cell::new(None));
    let out = slot.clone();
    let member = flow_spec()
        .input()
        .members()
        .iter()
        .find(|m| m.name == member)
        .expect("member exists");
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let form = FormState::new(flow_spec(), initial.clone());
        provide_context(form);
        out.set(Some(form));
        view! { <Field spec=FieldSpec::member(&MemberPath::root(), member, None) /> }
    });
    handle.forget();
    (slot.get().expect("mounted"), container)
}

fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> Option<T> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    target
        .dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

fn type_into(root: &HtmlElement, name: &str, text: &str) {
    let input: HtmlInputElement =
        find(root, &format!("[name='{name}']")).unwrap_or_else(|| panic!("no control {name}"));
    input.set_value(text);
    fire(&input, "input");
    fire(&input, "focusout");
    fire(&input, "blur");
}

fn choose(root: &HtmlElement, name: &str, value: &str) {
    let select: HtmlSelectElement =
        find(root, &format!("select[name='{name}']")).unwrap_or_else(|| panic!("no select {name}"));
    select.set_value(value);
    fire(&select, "change");
}

fn click(root: &HtmlElement, selector: &str) {
    let button: HtmlElement =
        find(root, selector).unwrap_or_else(|| panic!("no button {selector}"));
    button.click();
}

#[wasm_bindgen_test]
async fn union_shows_only_the_chosen_member_and_switches() {
    let (form, root) = mount("agentRuntimeArtifact", json!({}));
    assert_eq!(count(&root, "[name^='agentRuntimeArtifact.']"), 0);
    choose(&root, "agentRuntimeArtifact", "codeConfiguration");
    leptos::task::tick().await;
    assert!(
        find::<HtmlSelectElement>(
            &root,
            "select[name='agentRuntimeArtifact.codeConfiguration.runtime']"
        )
        .is_some()
    );
    choose(&root, "agentRuntimeArtifact", "containerConfiguration");
    leptos::task::tick().await;
    assert!(
        find::<HtmlSelectElement>(
            &root,
            "select[name='agentRuntimeArtifact.codeConfiguration.runtime']"
        )
        .is_none()
    );
    type_into(
        &root,
        "agentRuntimeArtifact.containerConfiguration.containerUri",
        "public.ecr.aws/a/b:1",
    );
    leptos::task::tick().await;
    let sent = form.draft.with_untracked(|d| {
        draft::get(d, &MemberPath::from_control_name("agentRuntimeArtifact")).cloned()
    });
    assert_eq!(
        sent,
        Some(json!({"containerConfiguration": {"containerUri": "public.ecr.aws/a/b:1"}}))
    );
}

#[wasm_bindgen_test]
async fn optional_structure_is_collapsed_until_used() {
    let (form, root) = mount("networkConfiguration", json!({}));
    assert!(
        find::<HtmlSelectElement>(&root, "select[name='networkConfiguration.networkMode']")
            .is_none()
    );
    click(&root, "[data-expand='networkConfiguration']");
    leptos::task::tick().await;
    let mode: HtmlSelectElement =
        find(&root, "select[name='networkConfiguration.networkMode']").expect("expanded");
    let options: Vec<String> = (0..mode.length())
        .map(|i| mode.item(i).unwrap().get_attribute("value").unwrap())
        .collect();
    assert_eq!(options, vec!["", "PUBLIC", "VPC"]);
    choose(&root, "networkConfiguration.networkMode", "VPC");
    leptos::task::tick().await;
    assert_eq!(
        form.draft.with_untracked(|d| draft::get_text(
            d,
            &MemberPath::from_control_name("networkConfiguration.networkMode")
        )),
        "VPC"
    );
}

#[wasm_bindgen_test]
async fn list_rows_add_and_remove_within_max() {
    let (form, root) = mount("allowedPorts", json!({}));
    for _ in 0..5 {
        click(&root, "[data-add='allowedPorts']");
        leptos::task::tick().await;
    }
    assert_eq!(count(&root, "select[name^='allowedPorts.']"), 5);
    let add: HtmlElement = find(&root, "[data-add='allowedPorts']").unwrap();
    assert!(add.has_attribute("disabled"), "max 5 items");
    choose(&root, "allowedPorts.1", "port");
    leptos::task::tick().await;
    type_into(&root, "allowedPorts.1.port", "9001");
    leptos::task::tick().await;
    click(&root, ".row__remove");
    leptos::task::tick().await;
    let items = form
        .draft
        .with_untracked(|d| draft::get(d, &MemberPath::from_control_name("allowedPorts")).cloned())
        .unwrap();
    assert_eq!(items.as_array().unwrap().len(), 4);
    assert_eq!(
        form.draft.with_untracked(|d| draft::get_text(
            d,
            &MemberPath::from_control_name("allowedPorts.0.port")
        )),
        "9001"
    );
    assert!(find::<HtmlInputElement>(&root, "[name='allowedPorts.0.port']").is_some());
}

#[wasm_bindgen_test]
async fn map_rows_add_remove_and_paste_lines_with_masked_values() {
    let (form, root) = mount("environmentVariables", json!({}));
    click(&root, "[data-add='environmentVariables']");
    leptos::task::tick().await;
    type_into(&root, "environmentVariables.0.key", "A");
    type_into(&root, "environmentVariables.0.value", "1");
    let value: HtmlInputElement = find(&root, "[name='environmentVariables.0.value']").unwrap();
    assert_eq!(value.type_(), "password", "sensitive values are masked");
    click(&root, "[data-reveal='environmentVariables']");
    leptos::task::tick().await;
    // Revealed, the long value (up to 5000 characters) is a textarea.
    assert!(
        find::<web_sys::HtmlTextAreaElement>(
            &root,
            "textarea[name='environmentVariables.0.value']"
        )
        .is_some()
    );
    let paste: web_sys::HtmlTextAreaElement =
        find(&root, "[name='environmentVariables.paste']").unwrap();
    paste.set_value("B=2\nexport C=three");
    fire(&paste, "input");
    leptos::task::tick().await;
    let add_lines: HtmlElement = root
        .query_selector_all("button")
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .map(|n| n.unchecked_into::<HtmlElement>())
                .find(|b| b.text_content().unwrap_or_default() == "Add lines")
        })
        .unwrap()
        .expect("Add lines button");
    add_lines.click();
    leptos::task::tick().await;
    assert_eq!(count(&root, "[name$='.key']"), 3);
    click(&root, ".row__remove");
    leptos::task::tick().await;
    let entries = form
        .draft
        .with_untracked(|d| {
            draft::get(d, &MemberPath::from_control_name("environmentVariables")).cloned()
        })
        .unwrap();
    assert_eq!(
        entries,
        json!([{"key": "B", "value": "2"}, {"key": "C", "value": "three"}])
    );
}

#[wasm_bindgen_test]
async fn integer_shows_its_range_and_marks_bad_input_after_leaving() {
    let (_form, root) = mount(
        "lifecycleConfiguration",
        json!({"lifecycleConfiguration": {}}),
    );
    click(&root, "[data-expand='lifecycleConfiguration']");
    leptos::task::tick().await;
    assert!(root.text_content().unwrap().contains("60–1209600"));
    type_into(&root, "lifecycleConfiguration.maxLifetime", "12x");
    leptos::task::tick().await;
    let input: HtmlInputElement =
        find(&root, "[name='lifecycleConfiguration.maxLifetime']").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap();
    let error_id = described.split_whitespace().next().unwrap();
    let message = document()
        .get_element_by_id(error_id)
        .unwrap()
        .text_content()
        .unwrap();
    assert!(message.contains("whole number"), "{message}");
    type_into(&root, "lifecycleConfiguration.maxLifetime", "600");
    leptos::task::tick().await;
    let input: HtmlInputElement =
        find(&root, "[name='lifecycleConfiguration.maxLifetime']").unwrap();
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn boolean_is_tri_state_and_string_is_masked_when_sensitive() {
    let (form, root) = mount("metadataConfiguration", json!({}));
    click(&root, "[data-expand='metadataConfiguration']");
    leptos::task::tick().await;
    let select: HtmlSelectElement =
        find(&root, "select[name='metadataConfiguration.requireMMDSV2']").unwrap();
    let options: Vec<String> = (0..select.length())
        .map(|i| select.item(i).unwrap().get_attribute("value").unwrap())
        .collect();
    assert_eq!(options, vec!["", "true", "false"]);
    choose(&root, "metadataConfiguration.requireMMDSV2", "false");
    leptos::task::tick().await;
    assert_eq!(
        form.draft.with_untracked(|d| draft::get_text(
            d,
            &MemberPath::from_control_name("metadataConfiguration.requireMMDSV2")
        )),
        "false"
    );

    let (_form, root) = mount("description", json!({}));
    let input: HtmlInputElement = find(&root, "[name='description']").unwrap();
    assert_eq!(input.type_(), "password");
    click(&root, "[data-reveal='description']");
    leptos::task::tick().await;
    assert!(
        find::<web_sys::HtmlTextAreaElement>(&root, "textarea[name='description']").is_some(),
        "long strings use a textarea"
    );
}

#[wasm_bindgen_test]
async fn a_list_level_error_marks_the_list_group() {
    let ports: Vec<Value> = (0..6)
        .map(|i| json!({"port": (9000 + i).to_string()}))
        .collect();
    let (form, root) = mount("allowedPorts", json!({"allowedPorts": ports}));
    form.submitted.set(true);
    leptos::task::tick().await;
    let group: HtmlElement = find(&root, "[data-path='allowedPorts']").unwrap();
    assert_eq!(group.get_attribute("role").as_deref(), Some("group"));
    assert_eq!(group.id(), "f-allowedPorts");
    assert_eq!(group.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = group.get_attribute("aria-describedby").unwrap();
    // Other tests mount their own `allowedPorts`: look inside this one.
    let message = find::<HtmlElement>(&root, &format!("[id='{described}']"))
        .unwrap()
        .text_content()
        .unwrap();
    assert!(message.contains("At most 5 entries"), "{message}");
    click(&root, ".row__remove");
    leptos::task::tick().await;
    assert_eq!(
        group.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
}

/// Mounts the fields of several top-level members over one form.
fn mount_members(members: &'static [&'static str], initial: Value) -> (FormState, HtmlElement) {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let slot = Rc::new(Cell::new(None));
    let out = slot.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let form = FormState::new(flow_spec(), initial.clone());
        provide_context(form);
        out.set(Some(form));
        form.shape
            .members()
            .iter()
            .filter(|m| members.contains(&m.name.as_str()))
            .map(|m| view! { <Field spec=FieldSpec::member(&MemberPath::root(), m, None) /> })
            .collect_view()
    });
    handle.forget();
    (slot.get().expect("mounted"), container)
}

fn value_of(root: &HtmlElement, name: &str) -> String {
    let control: web_sys::Element =
        find(root, &format!("[name='{name}']")).unwrap_or_else(|| panic!("no control {name}"));
    js_sys::Reflect::get(&control, &"value".into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

fn invalid(root: &HtmlElement, name: &str) -> Option<String> {
    let control: web_sys::Element =
        find(root, &format!("[name='{name}']")).unwrap_or_else(|| panic!("no control {name}"));
    control.get_attribute("aria-invalid")
}

#[wasm_bindgen_test]
async fn a_replaced_draft_reaches_every_member_and_typing_in_one_leaves_the_others() {
    // Each top-level member's controls read their own part of the draft
    // (form_state's slices): a whole new draft (import, runtime picked) must
    // reach all of them, and typing in one must not disturb another.
    let (form, root) = mount_members(
        &["description", "lifecycleConfiguration"],
        json!({"description": "a", "lifecycleConfiguration": {"maxLifetime": "600"}}),
    );
    leptos::task::tick().await;
    assert_eq!(value_of(&root, "description"), "a");
    assert_eq!(value_of(&root, "lifecycleConfiguration.maxLifetime"), "600");
    form.replace(json!({"description": "b", "lifecycleConfiguration": {"maxLifetime": "12x"}}));
    form.submitted.set(true);
    leptos::task::tick().await;
    assert_eq!(value_of(&root, "description"), "b");
    assert_eq!(value_of(&root, "lifecycleConfiguration.maxLifetime"), "12x");
    assert_eq!(
        invalid(&root, "lifecycleConfiguration.maxLifetime").as_deref(),
        Some("true")
    );
    assert_eq!(invalid(&root, "description").as_deref(), Some("false"));

    let description: web_sys::Element = find(&root, "[name='description']").unwrap();
    js_sys::Reflect::set(&description, &"value".into(), &"bc".into()).unwrap();
    fire(&description, "input");
    leptos::task::tick().await;
    assert_eq!(
        form.draft.with_untracked(|d| d["description"].clone()),
        json!("bc")
    );
    assert_eq!(value_of(&root, "lifecycleConfiguration.maxLifetime"), "12x");
    assert_eq!(
        invalid(&root, "lifecycleConfiguration.maxLifetime").as_deref(),
        Some("true")
    );

    form.update_draft(|d| {
        draft::set(
            d,
            &MemberPath::from_control_name("lifecycleConfiguration.maxLifetime"),
            json!("900"),
        )
    });
    leptos::task::tick().await;
    assert_eq!(value_of(&root, "lifecycleConfiguration.maxLifetime"), "900");
    assert_eq!(
        invalid(&root, "lifecycleConfiguration.maxLifetime").as_deref(),
        Some("false")
    );
    assert_eq!(value_of(&root, "description"), "bc");
}
