use serde_json::json;

use super::output::Shown;
use super::*;
use crate::core::response::{HttpResponse, parse_response};

const ARN: &str = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/agent-Ab12";

fn error(status: u16, code: &str) -> ResponseError {
    let answer = HttpResponse {
        status,
        headers: vec![("x-amzn-ErrorType".into(), code.into())],
        body: format!("{{\"message\":\"{code} happened\"}}"),
    };
    parse_response(ServiceModel::data_plane(), INVOKE_AGENT_RUNTIME, &answer).unwrap_err()
}

fn send(invoke: &mut Invoke, input: Value, now_ms: u64) -> Vec<Command> {
    invoke.update(Event::Send {
        input,
        random: [7; 16],
        now_ms,
    })
}

fn call_of(commands: &[Command]) -> (u64, Value, Duration) {
    match commands {
        [Command::Call { call, input, delay }] => (*call, input.clone(), *delay),
        other => panic!("one call expected, got {other:?}"),
    }
}

fn headers(invoke: &mut Invoke, call: u64, content_type: &str, now_ms: u64) {
    invoke.update(Event::Headers {
        call,
        status: 200,
        headers: vec![
            ("Content-Type".into(), content_type.into()),
            (SESSION_HEADER.into(), "served-session".into()),
        ],
        now_ms,
    });
}

#[test]
fn session_ids_are_uuids_long_enough_for_the_service() {
    let id = new_session_id([1; 16]);
    assert_eq!(id.len(), 36);
    assert_ne!(id, new_session_id([2; 16]));
    let model = ServiceModel::data_plane();
    let input = model.input_of(INVOKE_AGENT_RUNTIME).unwrap();
    let member = input
        .members()
        .iter()
        .find(|m| m.name == SESSION_MEMBER)
        .unwrap();
    let shape = model.shape(&member.shape);
    assert!(id.len() as i64 >= shape.min.unwrap() && id.len() as i64 <= shape.max.unwrap());
    assert_eq!(
        member.location_name.as_deref().map(str::to_ascii_lowercase),
        Some(SESSION_HEADER.to_owned())
    );
}

#[test]
fn only_model_retryable_errors_before_the_first_byte_are_retried() {
    let model = ServiceModel::data_plane();
    let conflict = error(409, "RetryableConflictException");
    assert!(should_retry(model, Some(&conflict), 0, 1));
    assert!(should_retry(model, Some(&conflict), 0, 2));
    assert!(!should_retry(model, Some(&conflict), 0, MAX_ATTEMPTS));
    assert!(
        !should_retry(model, Some(&conflict), 1, 1),
        "never after a byte"
    );
    for (status, code) in [
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
        (424, "RuntimeClientError"),
        (400, "ValidationException"),
    ] {
        assert!(
            !should_retry(model, Some(&error(status, code)), 0, 1),
            "{code}"
        );
    }
    assert!(!should_retry(model, None, 0, 1), "no answer: not retried");
    assert_eq!(retry_delay(1, 0.5), Duration::from_millis(500));
    assert_eq!(retry_delay(2, 0.5), Duration::from_secs(1));
    assert_eq!(retry_delay(30, 0.5), Duration::from_secs(10));
    assert_eq!(retry_delay(1, 0.0), Duration::from_millis(1));
}

#[test]
fn an_invoke_streams_events_and_ends_done_with_timings() {
    let mut invoke = Invoke::new();
    assert_eq!(invoke.phase().name(), "idle");
    let commands = send(
        &mut invoke,
        json!({"agentRuntimeArn": ARN, "payload": "{}"}),
        1_000,
    );
    let (call, input, delay) = call_of(&commands);
    assert_eq!(delay, Duration::ZERO);
    let session = new_session_id([7; 16]);
    assert_eq!(input[SESSION_MEMBER], json!(session));
    assert_eq!(invoke.phase().name(), "sending");
    // A second send while one runs is ignored.
    assert!(send(&mut invoke, json!({}), 1_001).is_empty());
    headers(&mut invoke, call, "text/event-stream", 1_250);
    assert_eq!(invoke.phase().name(), "streaming");
    invoke.update(Event::Chunk {
        call,
        bytes: b"data: {\"delta\":\"Hel".to_vec(),
    });
    invoke.update(Event::Chunk {
        call,
        bytes: b"lo\"}\n\ndata: tail".to_vec(),
    });
    invoke.update(Event::End {
        call,
        now_ms: 3_000,
    });
    let Phase::Done {
        session_id,
        received,
        timing,
    } = invoke.phase()
    else {
        panic!("done expected, got {}", invoke.phase().name())
    };
    assert_eq!(session_id, &session);
    assert_eq!(received.session_id.as_deref(), Some("served-session"));
    assert_eq!(received.view.total_bytes(), 35);
    assert_eq!(
        *timing,
        Timing {
            first_byte_ms: Some(250),
            total_ms: 2_000
        }
    );
    let Shown::Events(events) = received.view.shown() else {
        panic!("events expected")
    };
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].text, "{\n  \"delta\": \"Hello\"\n}");
    assert_eq!(events[1].text, "tail");
}

#[test]
fn a_given_session_id_is_kept() {
    let mut invoke = Invoke::new();
    let mine = "my-session-0123456789012345678901234";
    let (_, input, _) = call_of(&send(
        &mut invoke,
        json!({"agentRuntimeArn": ARN, SESSION_MEMBER: mine}),
        0,
    ));
    assert_eq!(input[SESSION_MEMBER], json!(mine));
}

#[test]
fn stop_keeps_what_arrived_and_aborts_the_call() {
    let mut invoke = Invoke::new();
    let (call, _, _) = call_of(&send(&mut invoke, json!({"agentRuntimeArn": ARN}), 0));
    headers(&mut invoke, call, "text/plain", 40);
    invoke.update(Event::Chunk {
        call,
        bytes: b"partial answer".to_vec(),
    });
    assert_eq!(
        invoke.update(Event::Stop { now_ms: 500 }),
        [Command::Abort { call }]
    );
    assert_eq!(invoke.phase().name(), "stopped");
    let received = invoke.phase().received().unwrap();
    assert_eq!(received.view.shown(), Shown::Text("partial answer".into()));
    // Late events of the stopped call change nothing.
    invoke.update(Event::Chunk {
        call,
        bytes: b"more".to_vec(),
    });
    invoke.update(Event::End { call, now_ms: 600 });
    assert_eq!(invoke.phase().name(), "stopped");
    assert_eq!(invoke.phase().received().unwrap().view.total_bytes(), 14);
    // Stop while only sending: stopped with nothing received.
    invoke.update(Event::Reset);
    let (call, _, _) = call_of(&send(&mut invoke, json!({"agentRuntimeArn": ARN}), 0));
    assert_eq!(
        invoke.update(Event::Stop { now_ms: 10 }),
        [Command::Abort { call }]
    );
    assert!(invoke.phase().received().is_none());
    assert!(invoke.update(Event::Stop { now_ms: 11 }).is_empty());
}

#[test]
fn a_retryable_error_is_retried_with_the_same_session_then_fails() {
    let mut invoke = Invoke::new();
    let (first, input, _) = call_of(&send(&mut invoke, json!({"agentRuntimeArn": ARN}), 0));
    let conflict = || Failure::Service(error(409, "RetryableConflictException"));
    let (second, again, delay) = call_of(&invoke.update(Event::Failed {
        call: first,
        failure: conflict(),
        jitter: 0.25,
        now_ms: 100,
    }));
    assert_ne!(first, second);
    assert_eq!(again, input, "same input, same session id");
    assert_eq!(delay, Duration::from_millis(250));
    assert_eq!(invoke.phase().name(), "sending");
    let (third, _, _) = call_of(&invoke.update(Event::Failed {
        call: second,
        failure: conflict(),
        jitter: 0.25,
        now_ms: 300,
    }));
    assert!(
        invoke
            .update(Event::Failed {
                call: third,
                failure: conflict(),
                jitter: 0.25,
                now_ms: 900,
            })
            .is_empty()
    );
    let Phase::Failed {
        timing, failure, ..
    } = invoke.phase()
    else {
        panic!("failed expected")
    };
    assert_eq!(timing.total_ms, 900);
    assert!(
        failure
            .message()
            .contains("RetryableConflictException happened")
    );
}

#[test]
fn a_stream_that_breaks_fails_without_retry_and_keeps_its_bytes() {
    let mut invoke = Invoke::new();
    let (call, _, _) = call_of(&send(&mut invoke, json!({"agentRuntimeArn": ARN}), 0));
    headers(&mut invoke, call, "application/json", 10);
    invoke.update(Event::Chunk {
        call,
        bytes: b"{\"a\":".to_vec(),
    });
    let commands = invoke.update(Event::Failed {
        call,
        failure: Failure::Service(error(409, "RetryableConflictException")),
        jitter: 0.5,
        now_ms: 50,
    });
    assert!(commands.is_empty(), "never retried after the first byte");
    assert_eq!(invoke.phase().name(), "failed");
    assert_eq!(
        invoke.phase().received().unwrap().view.shown(),
        Shown::Text("{\"a\":".into())
    );
    let mut other = Invoke::new();
    let (call, _, _) = call_of(&send(&mut other, json!({"agentRuntimeArn": ARN}), 0));
    assert!(
        other
            .update(Event::Failed {
                call,
                failure: Failure::Transport("Failed to fetch".into()),
                jitter: 0.5,
                now_ms: 5,
            })
            .is_empty()
    );
    assert_eq!(other.phase().name(), "failed");
}

#[test]
fn the_form_engine_reads_validates_and_writes_the_invoke_input() {
    use crate::core::draft::{from_request, to_request};
    use crate::core::validate::validate;
    let model = ServiceModel::data_plane();
    let shape = model.input_of(INVOKE_AGENT_RUNTIME).unwrap();
    let input = json!({
        "agentRuntimeArn": ARN,
        "qualifier": "DEFAULT",
        "accountId": "123456789012",
        "runtimeSessionId": new_session_id([5; 16]),
        "contentType": "application/json",
        "payload": "{\"prompt\": \"hi\"}",
    });
    let (draft, problems) = from_request(model, shape, &input);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(validate(model, shape, &draft).is_empty());
    assert_eq!(to_request(model, shape, &draft), Some(input.clone()));
    let mut short = input.clone();
    short[SESSION_MEMBER] = json!("too-short");
    short["accountId"] = json!("12");
    let (draft, _) = from_request(model, shape, &short);
    let errors: Vec<String> = validate(model, shape, &draft)
        .iter()
        .map(|e| e.path.to_string())
        .collect();
    assert_eq!(errors, ["runtimeSessionId", "accountId"]);
}
