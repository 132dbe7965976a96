//! The update flow as a state machine: events in, commands out (in the
//! spirit of crux's `update`). Every decision of a safe update lives here:
//!
//! 1. **Pre-flight** — before a write, the resource is read with the
//!    operation's *check* operation (GetAgentRuntime for UpdateAgentRuntime),
//!    whose input is the write's URI labels (Smithy `httpLabel`).
//! 2. **Confirm** — when the write clears members, meets a resource that is
//!    not READY, or the pre-flight itself failed for any reason other than
//!    `ResourceNotFoundException`, the user must confirm. A spec may ask to
//!    confirm every write ([`FlowSpec::always_confirm`]): then the
//!    confirmation names the resource, the version it is on and the version
//!    the write moves it to ([`VersionMove`]). A confirmation
//!    belongs to the [`Target`] it checked: confirming for another one runs
//!    the pre-flight again.
//! 3. **Send** — once per user action: while a call is in flight, further
//!    sends are ignored. Each user-initiated send gets a fresh idempotency
//!    token unless the user gave one; automatic retries (in
//!    [`super::client`]) reuse it, and so does "Send again with the same
//!    clientToken" after an outcome that may have been applied (a server
//!    error, no answer, or any failure of the connection: a browser reports
//!    a dropped connection like a CORS block, see [`super::client`]).
//! 4. **Follow** — after the write is accepted, the check operation is
//!    polled with backoff until the status is final, for at most
//!    [`FOLLOW_LIMIT`].
//! 5. **Stop** — the user stops following, or forgets the credentials: every
//!    call in flight is abandoned and every state holding a signature is
//!    dropped; the page always ends in a visible state.
//!
//! The shell executes [`Command`]s (calls, sleeps, focus) and feeds their
//! results back as [`Event`]s; nothing here touches the network or a clock.
//!
//! Files: [`machine`] (states, events, commands, `update`), [`follow`]
//! (polling an accepted write), [`spec`] (what an operation needs, read
//! from the model), [`status`] (status words).

pub mod follow;
pub mod machine;
pub mod spec;
pub mod status;

pub use follow::{FOLLOW_FIRST_DELAY, FOLLOW_LIMIT, FOLLOW_MAX_DELAY, Follow, Poll, Polling};
pub use machine::{
    Command, ConfirmReasons, Event, Flow, Focus, Next, Phase, Prepared, Submission, Target,
    VersionMove, may_have_been_applied,
};
pub use spec::{CurrentConfig, FAILURE_REASON_MEMBER, FlowSpec};
pub use status::Status;
