//! botocore's JSON layout of the service model (`service-2.json`) and its
//! paginators (`paginators-1.json`), as plain data.
//!
//! Two readers share these types. `build.rs` parses the vendored files with
//! them and writes the same values back out as `static` Rust data, so the
//! shipped console parses no JSON model at start-up; `model.rs` turns either
//! form (static, or JSON read with [`serde_json`] on the host) into a
//! [`ServiceModel`](super::model::ServiceModel). Text and lists are `Cow`s:
//! borrowed in the static data, owned when parsed. Maps become lists of
//! pairs in the order the file lists them (the form shows members in that
//! order). Fields are botocore's keys in snake case, with botocore's meaning.

// build.rs includes this file too and uses only part of it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

/// Text: borrowed in the static data, owned when parsed.
pub type Str<'a> = Cow<'a, str>;
/// A list: borrowed in the static data, owned when parsed.
pub type List<'a, T> = Cow<'a, [T]>;
/// A JSON object's entries in file order.
pub type Entries<'a, T> = List<'a, (Str<'a>, T)>;

/// A whole `service-2.json`.
#[derive(Clone, Deserialize)]
pub struct RawModel<'a> {
    /// Service-wide facts.
    pub metadata: RawMetadata<'a>,
    /// Operations by name.
    #[serde(deserialize_with = "entries")]
    pub operations: Entries<'a, RawOperation<'a>>,
    /// Shapes by name.
    #[serde(deserialize_with = "entries")]
    pub shapes: Entries<'a, RawShape<'a>>,
}

/// The model's `metadata`.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMetadata<'a> {
    pub api_version: Str<'a>,
    pub endpoint_prefix: Str<'a>,
    pub protocol: Str<'a>,
    pub service_full_name: Str<'a>,
    pub signing_name: Str<'a>,
}

/// One operation.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawOperation<'a> {
    pub http: RawHttp<'a>,
    pub input: Option<ShapeRef<'a>>,
    pub output: Option<ShapeRef<'a>>,
    #[serde(default)]
    pub errors: List<'a, ShapeRef<'a>>,
    #[serde(default)]
    pub idempotent: bool,
    #[serde(default)]
    pub documentation: Str<'a>,
}

/// An operation's HTTP binding.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawHttp<'a> {
    pub method: Str<'a>,
    pub request_uri: Str<'a>,
    pub response_code: Option<u16>,
}

/// A reference to a shape by name.
#[derive(Clone, Deserialize)]
pub struct ShapeRef<'a> {
    pub shape: Str<'a>,
}

/// One shape, every kind in one record as botocore writes it.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawShape<'a> {
    #[serde(rename = "type")]
    pub kind: Str<'a>,
    #[serde(default, deserialize_with = "entries")]
    pub members: Entries<'a, RawMember<'a>>,
    #[serde(default)]
    pub required: List<'a, Str<'a>>,
    pub member: Option<ShapeRef<'a>>,
    pub key: Option<ShapeRef<'a>>,
    pub value: Option<ShapeRef<'a>>,
    #[serde(rename = "enum")]
    pub enum_values: Option<List<'a, Str<'a>>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<Str<'a>>,
    #[serde(default)]
    pub sensitive: bool,
    /// `streaming` trait of a blob (an event or byte stream).
    #[serde(default)]
    pub streaming: bool,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    pub error: Option<RawError>,
    /// `retryable` trait of an error (Smithy `@retryable`).
    pub retryable: Option<RawRetryable>,
    /// The member bound to the whole HTTP body (`httpPayload`), of a
    /// structure.
    pub payload: Option<Str<'a>>,
    #[serde(default)]
    pub documentation: Str<'a>,
}

/// The `retryable` trait as botocore writes it.
#[derive(Clone, Copy, Deserialize)]
pub struct RawRetryable {
    #[serde(default)]
    pub throttling: bool,
}

/// The `error` trait as botocore writes it.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawError {
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// A member of a structure.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMember<'a> {
    pub shape: Str<'a>,
    pub location: Option<Str<'a>>,
    pub location_name: Option<Str<'a>>,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub documentation: Str<'a>,
}

impl RawModel<'_> {
    /// Drops every text, for a model that no form shows (IAM Identity
    /// Center's: the page only calls it).
    pub fn drop_documentation(&mut self) {
        for (_, op) in self.operations.to_mut() {
            op.documentation = Cow::Borrowed("");
        }
        for (_, shape) in self.shapes.to_mut() {
            shape.documentation = Cow::Borrowed("");
            for (_, member) in shape.members.to_mut() {
                member.documentation = Cow::Borrowed("");
            }
        }
    }

    /// Drops the documentation the page never shows, so that the build
    /// ships only what the form displays: a field's help is its member's
    /// documentation, or, when the member has none, its target shape's
    /// (`ui::field`); fields exist only for members of shapes that some
    /// operation's input reaches. Every other text (operations, output and
    /// error shapes, shape texts that a member's own text hides) is cleared.
    pub fn keep_shown_documentation(&mut self) {
        let shapes = &self.shapes;
        let index = |name: &str| shapes.iter().position(|(n, _)| n == name);
        // Shapes that an operation's input reaches.
        let mut reached = vec![false; shapes.len()];
        let mut stack: Vec<usize> = self
            .operations
            .iter()
            .filter_map(|(_, op)| index(&op.input.as_ref()?.shape))
            .collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            let shape = &shapes[i].1;
            let refs = shape.members.iter().map(|(_, m)| &m.shape);
            let items = [&shape.member, &shape.key, &shape.value];
            let refs = refs.chain(items.into_iter().flatten().map(|r| &r.shape));
            stack.extend(refs.filter_map(|name| index(name)));
        }
        // Shapes whose own text is shown: targets of reached members
        // without documentation of their own.
        let mut shown = vec![false; shapes.len()];
        for (i, (_, shape)) in shapes.iter().enumerate() {
            for (_, member) in shape.members.iter() {
                if reached[i]
                    && member.documentation.is_empty()
                    && let Some(target) = index(&member.shape)
                {
                    shown[target] = true;
                }
            }
        }
        for (_, op) in self.operations.to_mut() {
            op.documentation = Cow::Borrowed("");
        }
        for (i, (_, shape)) in self.shapes.to_mut().iter_mut().enumerate() {
            if !shown[i] {
                shape.documentation = Cow::Borrowed("");
            }
            if !reached[i] {
                for (_, member) in shape.members.to_mut() {
                    member.documentation = Cow::Borrowed("");
                }
            }
        }
    }
}

/// A whole `paginators-1.json`.
#[derive(Clone, Deserialize)]
pub struct RawPaginators<'a> {
    /// Paginators by operation name.
    #[serde(deserialize_with = "entries")]
    pub pagination: Entries<'a, RawPaginator<'a>>,
}

/// One operation's paginator.
#[derive(Clone, Deserialize)]
pub struct RawPaginator<'a> {
    pub input_token: Str<'a>,
    pub output_token: Str<'a>,
    pub limit_key: Option<Str<'a>>,
    pub result_key: Str<'a>,
}

/// Reads a JSON object as its entries in file order (serde_json's own map
/// here sorts its keys).
fn entries<'de, 'a, D, T>(deserializer: D) -> Result<Entries<'a, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Clone,
{
    struct EntriesVisitor<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
        type Value = Vec<(String, T)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry::<String, T>()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    let entries = deserializer.deserialize_map(EntriesVisitor(PhantomData))?;
    Ok(Cow::Owned(
        entries
            .into_iter()
            .map(|(name, value)| (Cow::Owned(name), value))
            .collect(),
    ))
}
