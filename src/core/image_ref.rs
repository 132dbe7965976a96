//! Image-reference advice for the review. An agent runtime's container image
//! is named by `agentRuntimeArtifact.containerConfiguration.containerUri`,
//! an OCI reference `registry/repository[:tag][@sha256:digest]` (the
//! model's `RuntimeContainerUri` pattern). A tag is a mutable name: updating
//! the runtime with the same tag may keep the image the runtime already
//! resolved for it, so a new image needs a new tag or a digest. No tag means
//! `latest`, the most mutable tag of all.

use serde_json::Value;

use super::member_path::MemberPath;
use super::model::{ServiceModel, Shape};

/// The member path of the container image reference, segment by segment
/// (a host test checks it against the model).
pub const CONTAINER_URI: [&str; 3] = [
    "agentRuntimeArtifact",
    "containerConfiguration",
    "containerUri",
];

/// The tag an image reference without one stands for, and the one tag
/// always taken as mutable.
const LATEST: &str = "latest";

/// How an image is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// Pinned by content (`…@sha256:…`).
    Digest,
    /// By a tag (`…:1.4.2`); `latest` when the reference has no tag.
    Tag(String),
}

impl ImageRef {
    /// Reads a reference such as `123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:1.4.2`.
    /// A registry port (`host:5000/repo`) is not a tag: only the last path
    /// segment is read.
    pub fn parse(uri: &str) -> Self {
        if uri.contains("@sha256:") {
            return Self::Digest;
        }
        let name = uri.split('@').next().unwrap_or(uri);
        let last = name.rsplit('/').next().unwrap_or(name);
        match last.split_once(':') {
            Some((_, tag)) if !tag.is_empty() => Self::Tag(tag.to_owned()),
            _ => Self::Tag(LATEST.to_owned()),
        }
    }
}

/// Why the review advises about the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageAdvice {
    /// Same tag as the loaded configuration.
    UnchangedTag {
        /// The tag.
        tag: String,
    },
    /// A tag that is moved by design (`latest`, or no tag), changed or not.
    MutableTag {
        /// The tag (`latest`).
        tag: String,
        /// Whether the reference had no tag at all.
        implicit: bool,
    },
}

impl ImageAdvice {
    /// The name used in `data-reason`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::UnchangedTag { .. } => "unchanged-tag",
            Self::MutableTag { .. } => "mutable-tag",
        }
    }

    /// What the review says.
    pub fn message(&self) -> String {
        let what = match self {
            Self::UnchangedTag { tag } => {
                format!("The image tag “{tag}” is the same as in the loaded configuration")
            }
            Self::MutableTag {
                implicit: true,
                tag,
            } => format!("The image has no tag, which means “{tag}”, a tag that moves"),
            Self::MutableTag { tag, .. } => format!("The image tag “{tag}” is a tag that moves"),
        };
        format!(
            "{what}: the runtime may keep the image it already resolved for that tag. To roll out \
             a new image, use a new tag or a digest (…@sha256:…)."
        )
    }
}

/// The member path of [`CONTAINER_URI`] (`agentRuntimeArtifact.containerConfiguration.containerUri`).
pub fn container_uri_path() -> MemberPath {
    CONTAINER_URI
        .iter()
        .fold(MemberPath::root(), |path, segment| path.member(segment))
}

/// The advice for an update from `current` to `proposed` (typed request
/// documents of the input shape `input`), if any: a tag (not a digest) that
/// is unchanged, or a mutable tag even when changed. `None` when the
/// request names no container image or the model has no such member.
pub fn image_advice(
    model: &ServiceModel,
    input: &Shape,
    current: &Value,
    proposed: &Value,
) -> Option<ImageAdvice> {
    model.shape_at_path(input, &container_uri_path())?;
    let uri = |doc: &Value| {
        CONTAINER_URI
            .iter()
            .try_fold(doc, |v, segment| v.get(segment))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let proposed_uri = uri(proposed).filter(|u| !u.is_empty())?;
    let ImageRef::Tag(tag) = ImageRef::parse(&proposed_uri) else {
        return None;
    };
    if tag == LATEST {
        let implicit = !proposed_uri.ends_with(&format!(":{LATEST}"));
        return Some(ImageAdvice::MutableTag { tag, implicit });
    }
    (uri(current).as_deref() == Some(proposed_uri.as_str()))
        .then_some(ImageAdvice::UnchangedTag { tag })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::UPDATE_AGENT_RUNTIME;
    use serde_json::json;

    const REPO: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent";

    fn doc(uri: &str) -> Value {
        json!({"agentRuntimeArtifact": {"containerConfiguration": {"containerUri": uri}}})
    }

    fn advice(current: &Value, proposed: &Value) -> Option<ImageAdvice> {
        let model = ServiceModel::bundled();
        image_advice(
            model,
            model.input_of(UPDATE_AGENT_RUNTIME).unwrap(),
            current,
            proposed,
        )
    }

    #[test]
    fn the_container_uri_path_is_a_string_member_of_the_model() {
        let model = ServiceModel::bundled();
        let input = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let shape = model.shape_at_path(input, &container_uri_path()).unwrap();
        assert!(shape.is_scalar());
        assert_eq!(
            container_uri_path().to_string(),
            "agentRuntimeArtifact.containerConfiguration.containerUri"
        );
    }

    #[test]
    fn references_are_read_as_digest_tag_or_implicit_latest() {
        assert_eq!(
            ImageRef::parse(&format!("{REPO}:1.4.2")),
            ImageRef::Tag("1.4.2".into())
        );
        assert_eq!(ImageRef::parse(REPO), ImageRef::Tag("latest".into()));
        assert_eq!(
            ImageRef::parse(&format!("{REPO}@sha256:abc")),
            ImageRef::Digest
        );
        assert_eq!(
            ImageRef::parse(&format!("{REPO}:1.0@sha256:abc")),
            ImageRef::Digest
        );
        assert_eq!(
            ImageRef::parse("host:5000/team/agent"),
            ImageRef::Tag("latest".into())
        );
        assert_eq!(
            ImageRef::parse("host:5000/team/agent:v2"),
            ImageRef::Tag("v2".into())
        );
    }

    #[test]
    fn an_unchanged_tag_gets_the_notice_and_a_new_tag_does_not() {
        let tagged = doc(&format!("{REPO}:1.4.2"));
        assert_eq!(
            advice(&tagged, &tagged),
            Some(ImageAdvice::UnchangedTag {
                tag: "1.4.2".into()
            })
        );
        assert_eq!(advice(&tagged, &doc(&format!("{REPO}:1.5.0"))), None);
        assert_eq!(
            advice(&json!({}), &tagged),
            None,
            "a first image is not a re-deploy"
        );
    }

    #[test]
    fn latest_and_no_tag_get_the_notice_even_when_changed() {
        let current = doc(&format!("{REPO}:1.4.2"));
        let latest = advice(&current, &doc(&format!("{REPO}:latest"))).unwrap();
        assert_eq!(
            latest,
            ImageAdvice::MutableTag {
                tag: "latest".into(),
                implicit: false
            }
        );
        assert_eq!(latest.reason(), "mutable-tag");
        let none = advice(&current, &doc(REPO)).unwrap();
        assert_eq!(
            none,
            ImageAdvice::MutableTag {
                tag: "latest".into(),
                implicit: true
            }
        );
        assert!(none.message().contains("no tag"));
    }

    #[test]
    fn a_digest_or_no_container_gets_no_notice() {
        let pinned = doc(&format!("{REPO}@sha256:0123456789abcdef"));
        assert_eq!(advice(&pinned, &pinned), None);
        let code =
            json!({"agentRuntimeArtifact": {"codeConfiguration": {"runtime": "PYTHON_3_12"}}});
        assert_eq!(advice(&doc(REPO), &code), None);
        assert_eq!(advice(&json!({}), &json!({})), None);
    }

    #[test]
    fn the_message_says_what_to_do() {
        let m = ImageAdvice::UnchangedTag { tag: "v1".into() }.message();
        assert!(m.contains("may keep the image it already resolved"), "{m}");
        assert!(m.contains("new tag or a digest"), "{m}");
    }
}
