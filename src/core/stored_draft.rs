//! The draft as the browser keeps it between visits (`localStorage`):
//! versioned, without secrets, and restored with a report of anything that
//! could not be brought back.
//!
//! What is stored is an envelope `{"format": 1, "request": …}` whose request
//! is the typed `--cli-input-json` document of the draft, minus every
//! `sensitive` member and every idempotency token (a `clientToken` belongs
//! to one send; restoring it would make a later, different update look like
//! a repeat of the old one). Format 0 is what earlier versions stored: the
//! raw draft, with no envelope.

use serde_json::{Map, Value, json};

use super::draft::{from_request, to_request, without_sensitive};
use super::model::{ServiceModel, Shape};

/// The envelope's format version.
pub const DRAFT_FORMAT: u64 = 1;

/// The text to store for a draft.
pub fn to_stored(model: &ServiceModel, shape: &Shape, draft: &Value) -> String {
    let safe = without_sensitive(model, shape, draft);
    let mut request = to_request(model, shape, &safe).unwrap_or(Value::Object(Map::new()));
    if let Value::Object(map) = &mut request {
        for m in shape.members().iter().filter(|m| m.idempotency_token) {
            map.remove(&m.name);
        }
    }
    super::json::to_string(&json!({ "format": DRAFT_FORMAT, "request": request }))
}

/// A draft brought back from storage.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoredDraft {
    /// The draft (empty when nothing could be restored).
    pub draft: Value,
    /// What could not be brought back, one sentence each (empty when all
    /// of it was).
    pub problems: Vec<String>,
}

/// Restores a stored draft: only members the model knows, without secrets
/// or idempotency tokens; everything left behind is reported.
pub fn restore(model: &ServiceModel, shape: &Shape, stored: Option<&str>) -> RestoredDraft {
    let empty = || Value::Object(Map::new());
    let Some(text) = stored else {
        return RestoredDraft {
            draft: empty(),
            problems: Vec::new(),
        };
    };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return RestoredDraft {
            draft: empty(),
            problems: vec![
                "The draft saved by your last visit could not be read (it is not JSON), so the form starts empty.".into(),
            ],
        };
    };
    let mut problems = Vec::new();
    let request = match value.get("format").and_then(Value::as_u64) {
        Some(DRAFT_FORMAT) => value.get("request").cloned().unwrap_or_else(empty),
        Some(other) => {
            problems.push(format!(
                "The saved draft has format {other}, which this version of the console does not know (it writes format {DRAFT_FORMAT}); what it could read is restored."
            ));
            value.get("request").cloned().unwrap_or_else(empty)
        }
        // Format 0: the raw draft of earlier versions.
        None => to_request(model, shape, &value).unwrap_or_else(empty),
    };
    if !request.is_object() {
        problems
            .push("The saved draft is not a request document, so the form starts empty.".into());
        return RestoredDraft {
            draft: empty(),
            problems,
        };
    }
    let (draft, import_problems) = from_request(model, shape, &request);
    problems.extend(
        import_problems
            .iter()
            .map(|p| format!("From the saved draft: {p}.")),
    );
    let mut draft = without_sensitive(model, shape, &draft);
    if let Value::Object(map) = &mut draft {
        for m in shape.members().iter().filter(|m| m.idempotency_token) {
            if map
                .remove(&m.name)
                .is_some_and(|v| v != Value::String(String::new()))
            {
                problems.push(format!(
                    "`{}` was not restored: a token belongs to one send.",
                    m.name
                ));
            }
        }
    }
    RestoredDraft { draft, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::draft::get_text;
    use crate::core::member_path::MemberPath;
    use crate::core::model::UPDATE_AGENT_RUNTIME;

    fn shape() -> &'static Shape {
        ServiceModel::bundled()
            .input_of(UPDATE_AGENT_RUNTIME)
            .unwrap()
    }

    fn model() -> &'static ServiceModel {
        ServiceModel::bundled()
    }

    fn draft_with_secrets() -> Value {
        json!({
            "agentRuntimeId": "a-1234567890",
            "roleArn": "arn:aws:iam::123456789012:role/r",
            "description": "sensitive words",
            "clientToken": "my-token-0123456789012345678901234567",
            "environmentVariables": [{"key": "A.B", "value": "1"}],
            "authorizerConfiguration": {"customJWTAuthorizer": {"discoveryUrl": "https://example.com/.well-known/openid-configuration", "allowedAudience": ["aud one", "aud.two"]}}
        })
    }

    #[test]
    fn the_stored_draft_is_versioned_and_holds_no_secret_or_token() {
        let stored = to_stored(model(), shape(), &draft_with_secrets());
        let v: Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(v["format"], DRAFT_FORMAT);
        assert!(!stored.contains("sensitive words"), "{stored}");
        assert!(!stored.contains("my-token"), "{stored}");
        assert!(stored.contains("arn:aws:iam::123456789012:role/r"));
    }

    #[test]
    fn a_stored_draft_round_trips_without_sensitive_members() {
        let stored = to_stored(model(), shape(), &draft_with_secrets());
        let restored = restore(model(), shape(), Some(&stored));
        assert!(restored.problems.is_empty(), "{:?}", restored.problems);
        assert_eq!(
            get_text(&restored.draft, &MemberPath::from_control_name("roleArn")),
            "arn:aws:iam::123456789012:role/r"
        );
        assert_eq!(
            get_text(
                &restored.draft,
                &MemberPath::from_control_name(
                    "authorizerConfiguration.customJWTAuthorizer.allowedAudience.1"
                )
            ),
            "aud.two"
        );
        assert_eq!(
            get_text(
                &restored.draft,
                &MemberPath::from_control_name("environmentVariables.0.key")
            ),
            "",
            "sensitive"
        );
        assert_eq!(
            get_text(
                &restored.draft,
                &MemberPath::from_control_name("clientToken")
            ),
            ""
        );
        assert_eq!(
            get_text(
                &restored.draft,
                &MemberPath::from_control_name("description")
            ),
            ""
        );
    }

    #[test]
    fn an_unreadable_draft_is_reported_not_silently_emptied() {
        let restored = restore(model(), shape(), Some("{not json"));
        assert_eq!(restored.draft, json!({}));
        assert_eq!(restored.problems.len(), 1);
        assert!(restored.problems[0].contains("could not be read"));
        assert!(restore(model(), shape(), None).problems.is_empty());
    }

    #[test]
    fn members_an_older_model_had_are_reported() {
        let stored = json!({"format": 1, "request": {"roleArn": "arn:aws:iam::123456789012:role/r", "retiredMember": "x", "lifecycleConfiguration": {"idleRuntimeSessionTimeout": "soon"}}}).to_string();
        let restored = restore(model(), shape(), Some(&stored));
        assert_eq!(
            get_text(&restored.draft, &MemberPath::from_control_name("roleArn")),
            "arn:aws:iam::123456789012:role/r"
        );
        let all = restored.problems.join("\n");
        assert!(all.contains("retiredMember"), "{all}");
        assert_eq!(restored.problems.len(), 1, "{all}");
    }

    #[test]
    fn a_draft_saved_by_an_earlier_version_is_still_restored() {
        let legacy = json!({"roleArn": "arn:aws:iam::123456789012:role/r", "clientToken": "old-token-0123456789012345678901234", "environmentVariables": [{"key": "K", "value": "v"}]}).to_string();
        let restored = restore(model(), shape(), Some(&legacy));
        assert_eq!(
            get_text(&restored.draft, &MemberPath::from_control_name("roleArn")),
            "arn:aws:iam::123456789012:role/r"
        );
        assert_eq!(
            get_text(
                &restored.draft,
                &MemberPath::from_control_name("clientToken")
            ),
            ""
        );
        assert!(restored.problems.iter().any(|p| p.contains("clientToken")));
    }

    #[test]
    fn keys_with_dots_and_explicit_empties_survive_the_stored_draft() {
        let request = json!({
            "networkConfiguration": {},
            "authorizerConfiguration": {"customJWTAuthorizer": {
                "discoveryUrl": "https://example.com/.well-known/openid-configuration",
                "advertisedScopeMapping": {"read.all": "agent.read", "plain": "agent.plain"}}}
        });
        let (draft, problems) = from_request(model(), shape(), &request);
        assert!(problems.is_empty(), "{problems:?}");
        let stored = to_stored(model(), shape(), &draft);
        let restored = restore(model(), shape(), Some(&stored));
        assert!(restored.problems.is_empty(), "{:?}", restored.problems);
        let mapping = MemberPath::from_control_name(
            "authorizerConfiguration.customJWTAuthorizer.advertisedScopeMapping",
        );
        assert_eq!(
            get_text(&restored.draft, &mapping.key("read.all")),
            "agent.read"
        );
        assert_eq!(
            to_request(model(), shape(), &restored.draft).as_ref(),
            Some(&request)
        );
    }
}
