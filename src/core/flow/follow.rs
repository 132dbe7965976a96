//! Following an accepted write: the check operation is read again with
//! backoff (from [`FOLLOW_FIRST_DELAY`] doubling up to [`FOLLOW_MAX_DELAY`])
//! until the status is final, for at most [`FOLLOW_LIMIT`]. The readings
//! and the pace of the polling live in the follow itself.

use std::time::Duration;

use serde_json::Value;

use super::spec::{FAILURE_REASON_MEMBER, FlowSpec};
use super::status::Status;
use crate::core::client::CallReport;
use crate::core::response::text_member;

/// How long an update is followed before the page stops polling.
pub const FOLLOW_LIMIT: Duration = Duration::from_secs(120);
/// First wait between two readings while following.
pub const FOLLOW_FIRST_DELAY: Duration = Duration::from_secs(1);
/// Longest wait between two readings while following.
pub const FOLLOW_MAX_DELAY: Duration = Duration::from_secs(8);

/// Following an accepted write.
#[derive(Debug, Clone, PartialEq)]
pub struct Follow {
    /// Readings, oldest first: (status, version).
    pub readings: Vec<(Status, String)>,
    /// Why the update failed, when it did.
    pub failure_reason: Option<String>,
    /// Whether it is still polled.
    pub polling: Polling,
}

/// Where the polling of a follow stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Polling {
    /// Waiting before the next reading.
    Waiting(Poll),
    /// A reading is in flight.
    Reading(Poll),
    /// Polling ended; why, when it stopped before a final status.
    Ended(Option<String>),
}

/// The pace of a follow's polling: what is read, how long it has been
/// followed, the wait before the next reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Poll {
    input: Value,
    waited: Duration,
    delay: Duration,
}

/// What a reading leads to.
pub(super) enum Reading {
    /// Polling ended; with the configuration read, when it ended READY
    /// (the review compares against it from now on).
    Final(Option<Value>),
    /// Read again after this wait.
    Again(Duration),
}

impl Follow {
    /// The follow of a write the service accepted with `output` (the
    /// write's answer); `check_input` reads the resource again.
    pub(super) fn accepted(spec: &FlowSpec, output: &Value, check_input: Value) -> Self {
        let status = Status::parse(&text_member(output, spec.status_member()));
        let version = text_member(output, spec.version_member());
        let polling = if status.is_final() {
            Polling::Ended(None)
        } else {
            Polling::Waiting(Poll {
                input: check_input,
                waited: Duration::ZERO,
                delay: FOLLOW_FIRST_DELAY,
            })
        };
        Self {
            readings: vec![(status, version)],
            failure_reason: None,
            polling,
        }
    }

    /// The latest status read.
    pub fn status(&self) -> Option<&Status> {
        self.readings.last().map(|(s, _)| s)
    }

    /// Still polling.
    pub fn active(&self) -> bool {
        !matches!(self.polling, Polling::Ended(_))
    }

    /// Why following stopped early, if it did.
    pub fn note(&self) -> Option<&str> {
        match &self.polling {
            Polling::Ended(note) => note.as_deref(),
            _ => None,
        }
    }

    /// The wait before the next reading, when one is awaited.
    pub(super) fn waiting_for(&self) -> Option<Duration> {
        match &self.polling {
            Polling::Waiting(poll) => Some(poll.delay),
            _ => None,
        }
    }

    /// The wait is over: the next reading starts; its input.
    pub(super) fn read(&mut self) -> Option<Value> {
        match std::mem::replace(&mut self.polling, Polling::Ended(None)) {
            Polling::Waiting(poll) => {
                let input = poll.input.clone();
                self.polling = Polling::Reading(poll);
                Some(input)
            }
            other => {
                self.polling = other;
                None
            }
        }
    }

    /// Ends polling, saying why; `true` when a poll was going on.
    pub(super) fn end(&mut self, note: &str) -> bool {
        let was = self.active();
        if was {
            self.polling = Polling::Ended(Some(note.to_owned()));
        }
        was
    }

    /// The reading in flight answered (`None`: it could not be made).
    pub(super) fn answered(&mut self, spec: &FlowSpec, report: Option<CallReport>) -> Reading {
        let Polling::Reading(poll) = &self.polling else {
            return Reading::Final(None);
        };
        let mut poll = poll.clone();
        let Some(report) = report else {
            self.end("Stopped following: there are no credentials or no usable endpoint any more. The update goes on in AgentCore; paste credentials and load the configuration to see its status.");
            return Reading::Final(None);
        };
        let out = match report.outcome {
            Ok(out) => out,
            Err(e) => {
                self.end(&format!("Stopped following: {e}"));
                return Reading::Final(None);
            }
        };
        let status = Status::parse(&text_member(&out.json, spec.status_member()));
        let done = status.is_final();
        let ready = status == Status::Ready;
        self.readings
            .push((status, text_member(&out.json, spec.version_member())));
        self.failure_reason = out
            .json
            .get(FAILURE_REASON_MEMBER)
            .and_then(Value::as_str)
            .map(str::to_owned);
        poll.waited += poll.delay;
        if done {
            self.polling = Polling::Ended(None);
            return Reading::Final(ready.then_some(out.json));
        }
        if poll.waited >= FOLLOW_LIMIT {
            self.end(&format!(
                "Stopped following after {} minutes; load the configuration again to see the status.",
                FOLLOW_LIMIT.as_secs() / 60
            ));
            return Reading::Final(None);
        }
        poll.delay = (poll.delay * 2).min(FOLLOW_MAX_DELAY);
        let delay = poll.delay;
        self.polling = Polling::Waiting(poll);
        Reading::Again(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::client::{CallError, TransportError};
    use crate::core::model::ServiceModel;
    use crate::core::response::Output;
    use serde_json::json;

    fn spec() -> FlowSpec<'static> {
        FlowSpec::update_agent_runtime(ServiceModel::bundled())
    }

    fn read(status: &str, extra: Value) -> Option<CallReport> {
        let mut json = json!({"status": status, "agentRuntimeVersion": "2"});
        if let (Some(o), Value::Object(e)) = (json.as_object_mut(), extra) {
            o.extend(e);
        }
        Some(CallReport {
            outcome: Ok(Output {
                status: 200,
                json,
                timestamps: Vec::new(),
                request_id: None,
            }),
            attempts: Vec::new(),
            last_request: None,
            clock_offset: None,
        })
    }

    fn updating() -> Follow {
        let accepted = json!({"status": "UPDATING", "agentRuntimeVersion": "2"});
        Follow::accepted(&spec(), &accepted, json!({"agentRuntimeId": "a-1"}))
    }

    #[test]
    fn the_wait_doubles_up_to_its_cap_until_the_limit() {
        let mut f = updating();
        let mut waits = vec![f.waiting_for().unwrap()];
        let mut followed = Duration::ZERO;
        loop {
            assert_eq!(f.read(), Some(json!({"agentRuntimeId": "a-1"})));
            assert_eq!(f.read(), None, "one reading at a time");
            followed += *waits.last().unwrap();
            match f.answered(&spec(), read("UPDATING", json!({}))) {
                Reading::Again(wait) => waits.push(wait),
                Reading::Final(current) => {
                    assert!(current.is_none());
                    break;
                }
            }
        }
        assert_eq!(waits[..5], [1, 2, 4, 8, 8].map(Duration::from_secs));
        assert!(followed >= FOLLOW_LIMIT && followed < FOLLOW_LIMIT + FOLLOW_MAX_DELAY);
        assert!(!f.active());
        assert!(f.note().unwrap().contains("after 2 minutes"));
    }

    #[test]
    fn a_final_reading_ends_polling_and_a_ready_one_is_the_new_current() {
        let mut f = updating();
        f.read();
        let Reading::Final(Some(current)) = f.answered(&spec(), read("READY", json!({}))) else {
            panic!("READY ends the follow with the configuration read");
        };
        assert_eq!(current["status"], "READY");
        assert_eq!((f.active(), f.note()), (false, None));

        let mut f = updating();
        f.read();
        let failed = read("UPDATE_FAILED", json!({"failureReason": "image not found"}));
        assert!(matches!(f.answered(&spec(), failed), Reading::Final(None)));
        assert_eq!(f.failure_reason.as_deref(), Some("image not found"));
        assert_eq!(f.status(), Some(&Status::UpdateFailed));
    }

    #[test]
    fn a_reading_that_fails_or_cannot_be_made_stops_with_a_note() {
        let mut f = updating();
        f.read();
        let mut report = read("UPDATING", json!({})).unwrap();
        report.outcome = Err(CallError::Transport(TransportError::Timeout(
            Duration::from_secs(30),
        )));
        assert!(matches!(
            f.answered(&spec(), Some(report)),
            Reading::Final(None)
        ));
        assert!(f.note().unwrap().starts_with("Stopped following: "));

        let mut f = updating();
        f.read();
        assert!(matches!(f.answered(&spec(), None), Reading::Final(None)));
        assert!(f.note().unwrap().contains("no credentials"));
        assert!(!f.end("again"), "already ended");
    }
}
