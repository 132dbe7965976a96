//! The protocol core: everything the console decides, with no browser
//! dependency. Effects (clock, randomness, network) are passed in.
//!
//! A request's life, module by module:
//!
//! 1. [`model`] — the AWS service model (botocore JSON, Smithy semantics):
//!    operations, HTTP bindings, shapes and their constraint traits.
//! 2. [`draft`] — the request as the user writes it (raw text at the leaves),
//!    and its conversion to and from the typed `--cli-input-json` document,
//!    addressed by [`member_path`]s (members, list indexes, map keys).
//! 3. [`validate`] — every constraint of the model, at any depth, plus the
//!    cross-field rules the service documents; errors name member paths.
//! 4. [`diff`] — what the update changes against the runtime's current
//!    configuration (UpdateAgentRuntime replaces it whole).
//! 5. [`request`] — rest-json serialization: URI labels, query string, JSON
//!    body, idempotency token.
//! 6. [`endpoint`] — region → endpoint URL by the service's endpoint rule set
//!    and partitions (standard, FIPS, dual-stack, custom).
//!    [`route`] — what a request is signed for and where it is sent
//!    (directly, or through a relay on the page's own origin); the saved
//!    region-and-endpoint settings; [`site_config`] — a site's optional
//!    `console-config.json`: defaults and locks for those settings.
//! 7. [`credentials`] — temporary credentials from what users paste.
//! 8. [`sign`] — AWS Signature Version 4: the canonical request and string
//!    to sign (shown in the page), signed with `aws-sigv4`'s signing key and
//!    signature.
//! 9. [`client`] — send with retries like the SDKs' standard mode and
//!    clock-skew correction, over a [`client::Transport`] and [`client::Clock`].
//! 10. [`response`] — the output document, or the error: code, message,
//!     request id, ValidationException fields, advice; [`timestamp`] —
//!     instants read from RFC 3339 and HTTP-date text.
//! 11. [`flow`] — the safe-update flow as a state machine: pre-flight,
//!     confirmation, one send per action, follow, stop.
//! 12. [`copy_as`] — the request as an AWS CLI command, a curl command or a
//!     boto3 script; [`image_ref`] — advice on container image tags.
//! 13. [`rollback`] — after an update: endpoints behind the latest version,
//!     pointing one (UpdateAgentRuntimeEndpoint), comparing two versions.
//! 14. [`workflow`] — what every workflow shares (effects, the machine's
//!     shape, work in flight, listing every page); [`picker`] — choosing a
//!     runtime and loading its configuration; [`notice`] — the messages
//!     panels show.
//! 15. [`invoke`] — "Try the agent": InvokeAgentRuntime on the data plane
//!     (its own model and endpoint rules), as a state machine; its streamed
//!     answer read by [`sse`] and shown by [`invoke::output`].
//!
//! 16. [`sso`] — "Sign in with IAM Identity Center": the device-code
//!     sign-in, accounts, roles and renewed role credentials, as a state
//!     machine.
//!
//! Shared by the messages of all of them: [`text`] — the word that goes
//! with a count ("1 entry", "2 entries").

pub mod client;
pub mod copy_as;
pub mod credentials;
pub mod decimal;
pub mod diff;
pub mod draft;
pub mod endpoint;
#[cfg(test)]
pub(crate) mod fakes;
pub mod flow;
pub mod image_ref;
pub mod invoke;
pub mod json;
pub mod member_path;
pub mod model;
pub(crate) mod model_raw;
pub mod notice;
pub mod picker;
pub mod regex;
pub mod request;
pub mod response;
pub mod rollback;
pub mod route;
pub mod sign;
pub mod site_config;
pub mod sse;
pub mod sso;
pub mod stored_draft;
pub mod text;
pub mod timestamp;
pub mod url;
pub mod validate;
pub mod workflow;
