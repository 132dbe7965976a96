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
        bearer: None,
        random: [7; 16],
        now_ms,
    })
}

fn call_of(commands: &[Command]) -> (u64, Value, Duration) {
    match commands {
        [
            Command::Call {
                call, input, delay, ..
            },
        ] => (*call, input.clone(), *delay),
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

fn data_route(relay: Option<&str>) -> Route {
    use crate::core::route::{EndpointSettings, PageOrigin, SendVia};
    let page = PageOrigin::parse("https://console.example.com");
    EndpointSettings {
        region: "us-east-1".into(),
        send_via: if relay.is_some() {
            SendVia::Relay
        } else {
            SendVia::Direct
        },
        relay_url: relay.unwrap_or_default().into(),
        ..Default::default()
    }
    .data_plane_route(page.as_ref())
    .unwrap()
}

#[test]
fn a_bearer_token_goes_with_every_attempt_unsigned_and_is_never_printed() {
    let mut invoke = Invoke::new();
    let commands = invoke.update(Event::Send {
        input: json!({"agentRuntimeArn": ARN, "payload": "{}"}),
        bearer: Some(Bearer("eyJ.secret.jwt".into())),
        random: [1; 16],
        now_ms: 0,
    });
    let Some(Command::Call { call, bearer, .. }) = commands.first() else {
        panic!("{commands:?}")
    };
    assert_eq!(
        bearer.as_ref().map(|b| b.0.as_str()),
        Some("eyJ.secret.jwt")
    );
    assert!(!format!("{commands:?}").contains("secret"), "{commands:?}");
    let retried = invoke.update(Event::Failed {
        call: *call,
        failure: Failure::Service(error(409, "RetryableConflictException")),
        jitter: 0.5,
        now_ms: 5,
    });
    assert!(
        matches!(
            retried.as_slice(),
            [Command::Call {
                bearer: Some(_),
                ..
            }]
        ),
        "{retried:?}"
    );
    assert!(invoke.sent_with_bearer());
    // Forgetting the credentials stops the call and drops the token.
    let stopped = invoke.update(Event::Forgotten);
    assert!(matches!(stopped.as_slice(), [Command::Abort { .. }]));
    assert_eq!(invoke.phase().name(), "stopped");
    assert!(!invoke.sent_with_bearer());

    let request = prepare(
        &data_route(None),
        &json!({"agentRuntimeArn": ARN, "payload": "{}", "qualifier": "DEFAULT"}),
        Auth::Bearer(" eyJ.secret.jwt "),
        std::time::UNIX_EPOCH,
    )
    .unwrap();
    assert_eq!(
        request.header("authorization"),
        Some("Bearer eyJ.secret.jwt")
    );
    assert!(request.header("x-amz-date").is_none(), "not signed");
    assert!(request.string_to_sign.is_empty());
    assert!(request.url.starts_with(
        "https://bedrock-agentcore.us-east-1.amazonaws.com/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-east-1"
    ));
}

#[test]
fn a_sigv4_invoke_is_signed_for_the_data_plane_and_sent_through_a_host_relay() {
    use crate::core::credentials::Credentials;
    let credentials = Credentials::new(
        "ASIAEXAMPLEEXAMPLE12",
        "s3cr3t/KEY",
        Some("tok".into()),
        None,
    );
    let auth = || Auth::SigV4 {
        credentials: &credentials,
        clock_offset: 0,
    };
    let input = json!({"agentRuntimeArn": ARN, "payload": "{\"prompt\":\"hi\"}"});
    let now = std::time::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
    let request = prepare(&data_route(Some("/aws/{host}")), &input, auth(), now).unwrap();
    assert_eq!(
        request.signed_host(),
        Some("bedrock-agentcore.us-east-1.amazonaws.com")
    );
    assert!(request.url.starts_with(
        "https://console.example.com/aws/bedrock-agentcore.us-east-1.amazonaws.com/runtimes/"
    ));
    assert!(
        request
            .string_to_sign
            .contains("/us-east-1/bedrock-agentcore/aws4_request")
    );
    assert_eq!(request.body, "{\"prompt\":\"hi\"}");
    // Expired credentials are not used.
    let expired = Credentials::new(
        "ASIAEXAMPLEEXAMPLE12",
        "k",
        Some("t".into()),
        Some(std::time::UNIX_EPOCH),
    );
    let refused = prepare(
        &data_route(None),
        &input,
        Auth::SigV4 {
            credentials: &expired,
            clock_offset: 0,
        },
        now,
    );
    assert!(matches!(refused, Err(CallError::Credentials(_))));
}

#[test]
fn an_error_answer_is_read_with_the_data_plane_model_and_masks_the_secrets() {
    use crate::core::credentials::Credentials;
    let credentials = Credentials::new(
        "ASIAEXAMPLEEXAMPLE12",
        "s3cr3t/KEY",
        Some("tok3n".into()),
        None,
    );
    let failure = failure_of(
        HttpResponse {
            status: 424,
            headers: vec![("x-amzn-ErrorType".into(), "RuntimeClientError".into())],
            body: r#"{"message":"<b>agent</b> leaked s3cr3t/KEY and tok3n"}"#.into(),
        },
        Some(&credentials),
    );
    let Failure::Service(e) = &failure else {
        panic!("{failure:?}")
    };
    assert_eq!(e.code(), "RuntimeClientError");
    let message = failure.message();
    assert!(message.contains("<b>agent</b>"), "as text: {message}");
    assert!(
        !message.contains("s3cr3t/KEY") && !message.contains("tok3n"),
        "{message}"
    );
    assert!(skew_offset(&failure, std::time::UNIX_EPOCH).is_none());
}

#[test]
fn access_denied_advice_names_the_invoke_actions() {
    let plain = advice("AccessDeniedException", false).unwrap();
    assert!(
        plain
            .action
            .contains("bedrock-agentcore:InvokeAgentRuntime ")
    );
    assert!(!plain.action.contains("ForUser"));
    let user = advice("AccessDeniedException", true).unwrap();
    assert!(
        user.action
            .contains("bedrock-agentcore:InvokeAgentRuntimeForUser")
    );
    assert!(
        advice("RuntimeClientError", false)
            .unwrap()
            .meaning
            .contains("untrusted")
    );
    assert!(
        advice("ThrottlingException", false).is_some(),
        "the shared advice"
    );
}

#[test]
fn a_jwt_authorizer_in_the_configuration_means_a_bearer_token() {
    assert!(takes_bearer_token(
        &json!({"authorizerConfiguration": {"customJWTAuthorizer": {"discoveryUrl": "https://idp/.well-known/openid-configuration"}}})
    ));
    assert!(!takes_bearer_token(
        &json!({"authorizerConfiguration": null})
    ));
    assert!(!takes_bearer_token(&json!({"agentRuntimeId": "x"})));
}

#[test]
fn the_defaults_are_a_valid_call_once_a_runtime_is_chosen() {
    use crate::core::draft::from_request;
    use crate::core::validate::validate;
    let model = ServiceModel::data_plane();
    let shape = model.input_of(INVOKE_AGENT_RUNTIME).unwrap();
    let mut input = defaults([9; 16]);
    assert_eq!(input["payload"], json!("{\"prompt\": \"Hello\"}"));
    assert_eq!(input[QUALIFIER_MEMBER], json!("DEFAULT"));
    assert!(input[SESSION_MEMBER].as_str().unwrap().len() >= 33);
    let no_runtime = send_problem(&input, 0, false, "", None).unwrap();
    assert!(no_runtime.contains("runtime picker"), "{no_runtime}");
    input[ARN_MEMBER] = json!(ARN);
    let (draft, problems) = from_request(model, shape, &input);
    assert!(problems.is_empty() && validate(model, shape, &draft).is_empty());
    assert_eq!(send_problem(&input, 0, false, "", None), None);
    assert!(
        send_problem(&input, 2, false, "", None)
            .unwrap()
            .contains("2 fields")
    );
    assert!(
        send_problem(&input, 0, true, " ", None)
            .unwrap()
            .contains("invoke.bearerToken")
    );
    assert_eq!(send_problem(&input, 0, true, "eyJ", None), None);
    assert_eq!(
        send_problem(&input, 0, false, "", Some("no credentials".into())).as_deref(),
        Some("no credentials")
    );
}

#[test]
fn the_logs_link_names_the_endpoints_log_group() {
    assert_eq!(
        logs_url("eu-west-1", "agent-Ab12", "DEFAULT"),
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fbedrock-agentcore$252Fruntimes$252Fagent-Ab12-DEFAULT"
    );
}

#[test]
fn the_shown_text_holds_each_event_or_the_document() {
    let mut view = ResponseView::new(Some("text/event-stream"));
    view.push(b"data: {\"a\":1}\n\ndata: plain\n\n");
    assert_eq!(view.shown().to_text(), "{\n  \"a\": 1\n}\nplain");
    let mut binary = ResponseView::new(Some("application/octet-stream"));
    binary.push(&[0, 1, 2]);
    binary.finish();
    assert!(binary.shown().to_text().starts_with("3 bytes, not text"));
}

#[test]
fn a_runtime_arn_gives_its_account_and_id_and_nothing_else_does() {
    let arn = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/agent-Ab12";
    assert_eq!(runtime_arn_parts(arn), Some(("123456789012", "agent-Ab12")));
    let china = "arn:aws-cn:bedrock-agentcore:cn-north-1:123456789012:runtime/a-1";
    assert_eq!(runtime_arn_parts(china), Some(("123456789012", "a-1")));
    for not in [
        "agent-Ab12",
        "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime-endpoint/a/DEFAULT",
        "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a/b",
        "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a:2",
        "arn:aws:bedrock-agentcore:us-east-1::runtime/a",
    ] {
        assert_eq!(runtime_arn_parts(not), None, "{not}");
    }
}

#[test]
fn naming_by_id_keeps_an_account_the_user_set_and_leaves_ids_alone() {
    let arn = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/agent-Ab12";
    let mut input = serde_json::json!({ARN_MEMBER: arn, QUALIFIER_MEMBER: "DEFAULT"});
    name_runtime_by_id(&mut input);
    assert_eq!(
        input,
        serde_json::json!({ARN_MEMBER: "agent-Ab12", ACCOUNT_MEMBER: "123456789012", QUALIFIER_MEMBER: "DEFAULT"})
    );
    let mut set = serde_json::json!({ARN_MEMBER: arn, ACCOUNT_MEMBER: "210987654321"});
    let before = set.clone();
    name_runtime_by_id(&mut set);
    assert_eq!(set, before);
    let mut id = serde_json::json!({ARN_MEMBER: "agent-Ab12"});
    name_runtime_by_id(&mut id);
    assert_eq!(id, serde_json::json!({ARN_MEMBER: "agent-Ab12"}));
}

/// An answer refusing the signature's time: the service's clock is
/// 2026-11-18 11:26:40 UTC.
fn skewed() -> Failure {
    let answer = HttpResponse {
        status: 403,
        headers: vec![("x-amzn-ErrorType".into(), "InvalidSignatureException".into())],
        body: r#"{"message":"Signature expired: 20261118T110640Z is now earlier than 20261118T112140Z (20261118T112640Z - 5 min.)"}"#.into(),
    };
    failure_of(answer, None)
}

/// The service refuses `call`'s signature time, seen at `now_ms`.
fn skew_refused(invoke: &mut Invoke, call: u64, now_ms: u64) -> Vec<Command> {
    invoke.update(Event::Failed {
        call,
        failure: skewed(),
        jitter: 0.5,
        now_ms,
    })
}

#[test]
fn a_refused_signature_time_is_signed_again_at_once_with_the_services_clock_once() {
    // the page's clock is 20 minutes behind the service's
    let service_ms = 1_795_001_200_000; // 2026-11-18T11:26:40Z
    let local_ms = service_ms - 20 * 60 * 1000;
    let mut invoke = Invoke::new();
    let (first, input, _) = call_of(&send(
        &mut invoke,
        json!({"agentRuntimeArn": ARN}),
        local_ms,
    ));
    let again = skew_refused(&mut invoke, first, local_ms);
    let [
        Command::Call {
            call: second,
            input: same,
            delay,
            clock_offset: Some(offset),
            ..
        },
    ] = again.as_slice()
    else {
        panic!("a re-signed call expected, got {again:?}")
    };
    assert_eq!(*offset, 20 * 60, "service − local, in seconds");
    assert_eq!(*delay, Duration::ZERO);
    assert_eq!(same, &input);
    let Phase::Sending { attempt, .. } = invoke.phase() else {
        panic!("{:?}", invoke.phase())
    };
    assert_eq!(*attempt, 1, "not counted as an attempt");
    // refused again: no second correction, and the error is shown
    assert!(skew_refused(&mut invoke, *second, local_ms + 10).is_empty());
    assert_eq!(invoke.phase().name(), "failed");

    // a bearer-token call is not signed: nothing to correct
    let mut jwt = Invoke::new();
    let sent = jwt.update(Event::Send {
        input: json!({"agentRuntimeArn": ARN}),
        bearer: Some(Bearer("eyJ.x.y".into())),
        random: [7; 16],
        now_ms: local_ms,
    });
    let (call, _, _) = call_of(&sent);
    assert!(skew_refused(&mut jwt, call, local_ms).is_empty());
}
