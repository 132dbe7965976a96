//! The sign-in machine on the host: every branch, with answers made as the
//! shell will make them (the wire response parsed with the vendored model),
//! and every call it asks for built with that model, to see it on the wire.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::messages::message;
use super::*;
use crate::core::client::{CallError, CallReport, TransportError};
use crate::core::endpoint::SsoService;
use crate::core::model::ServiceModel;
use crate::core::request::{HttpRequest, build_request};
use crate::core::response::{HttpResponse, parse_response};
use crate::core::workflow::{Effect, MAX_PAGES, UnsignedCall, Workflow};

const START_URL: &str = "https://d-1234567890.awsapps.com/start";
const CLIENT_SECRET: &str = "client-secret-0123456789";
const DEVICE_CODE: &str = "device-code-0123456789";
const ACCESS_TOKEN: &str = "aoa-access-token-0123456789";
const SECRET_KEY: &str = "role-secret-key-0123456789";
const SESSION_TOKEN: &str = "IQoJ-session-token-0123456789";

fn model(service: SsoService) -> &'static ServiceModel {
    use std::sync::OnceLock;
    static OIDC: OnceLock<ServiceModel> = OnceLock::new();
    static PORTAL: OnceLock<ServiceModel> = OnceLock::new();
    match service {
        SsoService::Oidc => OIDC.get_or_init(|| {
            ServiceModel::from_json(include_str!("../../../model/sso-oidc.json")).unwrap()
        }),
        SsoService::Portal => PORTAL.get_or_init(|| {
            ServiceModel::from_json(include_str!("../../../model/sso.json")).unwrap()
        }),
    }
}

/// The machine, a clock, and what it asked for last.
struct Harness {
    machine: SignIn,
    now: SystemTime,
    /// Every call made, as the shell would send it.
    wire: Vec<HttpRequest>,
    /// Every credentials or forget handed to the page.
    shown: Vec<Shown>,
    /// Everything the machine printed with `Debug`, and its events.
    debug: String,
}

impl Harness {
    fn new() -> Self {
        Self {
            machine: SignIn::default(),
            now: UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            wire: Vec::new(),
            shown: Vec::new(),
            debug: String::new(),
        }
    }

    fn event(&mut self, event: Event) -> Vec<Command> {
        self.debug.push_str(&format!("{event:?}\n"));
        let commands = self.machine.update(&(), event);
        self.debug
            .push_str(&format!("{commands:?}\n{:?}\n", self.machine));
        for c in &commands {
            if let Effect::Show(s) = c {
                self.shown.push(s.clone());
            }
            if let Effect::CallUnsigned(call) = c {
                let endpoint = match call.service {
                    SsoService::Oidc => "https://oidc.us-east-1.amazonaws.com",
                    SsoService::Portal => "https://portal.sso.us-east-1.amazonaws.com",
                };
                let request =
                    build_request(model(call.service), call.operation, endpoint, &call.input)
                        .unwrap_or_else(|e| panic!("{} does not build: {e}", call.operation));
                self.wire.push(request);
            }
        }
        commands
    }

    fn sign_in(&mut self, start_url: &str, region: &str) -> Vec<Command> {
        self.event(Event::SignIn {
            start_url: start_url.into(),
            region: region.into(),
            not_ready: None,
            now: self.now,
        })
    }

    /// Answers `call` with `response`, parsed with the call's model.
    fn answer(&mut self, call: &UnsignedCall, response: HttpResponse) -> Vec<Command> {
        let outcome = parse_response(model(call.service), call.operation, &response)
            .map_err(CallError::Response);
        self.report(call.ticket, outcome)
    }

    fn report(
        &mut self,
        ticket: u64,
        outcome: Result<crate::core::response::Output, CallError>,
    ) -> Vec<Command> {
        let report = CallReport {
            outcome,
            attempts: Vec::new(),
            last_request: None,
            clock_offset: None,
        };
        self.event(SignIn::answered_unsigned(ticket, Some(report), self.now))
    }

    fn wake(&mut self, ticket: u64) -> Vec<Command> {
        self.event(Event::Woke { ticket })
    }

    fn last_wire(&self) -> &HttpRequest {
        self.wire.last().unwrap()
    }

    /// Signs in up to the device authorization: the first CreateToken's wait.
    fn authorizing(&mut self, interval: u64) -> u64 {
        let register = only_call(&self.sign_in(START_URL, "us-east-1"));
        let start = only_call(&self.answer(
            &register,
            ok(json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET})),
        ));
        let commands = self.answer(
            &start,
            ok(json!({
                "deviceCode": DEVICE_CODE,
                "userCode": "BCDF-GHJK",
                "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
                "verificationUriComplete": "https://device.sso.us-east-1.amazonaws.com/?user_code=BCDF-GHJK",
                "expiresIn": 600,
                "interval": interval,
            })),
        );
        let (ticket, wait) = only_sleep(&commands);
        assert_eq!(wait, Duration::from_secs(interval));
        ticket
    }

    /// Signs in (approved at the first poll): the ListAccounts call and
    /// the token timer's ticket.
    fn signed_in(&mut self, token_seconds: u64) -> (UnsignedCall, u64) {
        let wait = self.authorizing(1);
        let poll = only_call(&self.wake(wait));
        let commands = self.answer(&poll, ok(json!({"accessToken": ACCESS_TOKEN, "tokenType": "Bearer", "expiresIn": token_seconds})));
        let [
            Effect::Sleep { ticket, duration },
            Effect::CallUnsigned(list),
        ] = commands.as_slice()
        else {
            panic!("{commands:?}");
        };
        assert_eq!(*duration, Duration::from_secs(token_seconds));
        (list.clone(), *ticket)
    }

    /// Signed in, one account listed and chosen, its one role listed.
    fn with_roles(&mut self, token_seconds: u64) -> u64 {
        let (list, token_timer) = self.signed_in(token_seconds);
        assert!(
            self.answer(&list, ok(accounts(&["111111111111"], None)))
                .is_empty()
        );
        let roles = only_call(&self.event(Event::ChooseAccount {
            account_id: "111111111111".into(),
        }));
        assert!(
            self.answer(&roles, ok(roles_page(&["Operator"], None)))
                .is_empty()
        );
        token_timer
    }

    /// Uses role Operator with credentials expiring `lifetime` from now:
    /// the commands.
    fn use_role(&mut self, lifetime: Duration) -> Vec<Command> {
        let get = only_call(&self.event(Event::UseRole {
            role_name: "Operator".into(),
        }));
        self.answer(
            &get,
            ok(role_credentials(
                "ASIAFIRSTEXAMPLE0001",
                self.now + lifetime,
            )),
        )
    }
}

fn ok(doc: Value) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: doc.to_string(),
    }
}

/// An OIDC error as the service sends it: the shape in x-amzn-ErrorType,
/// the OAuth error in the body.
fn oidc_error(code: &str, error: &str) -> HttpResponse {
    HttpResponse {
        status: if code == "InvalidClientException" {
            401
        } else {
            400
        },
        headers: vec![("x-amzn-ErrorType".into(), code.into())],
        body: json!({"error": error, "error_description": "described"}).to_string(),
    }
}

fn portal_error(status: u16, code: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("x-amzn-ErrorType".into(), code.into())],
        body: json!({"message": "Session token not found or invalid"}).to_string(),
    }
}

fn accounts(ids: &[&str], next: Option<&str>) -> Value {
    let list: Vec<Value> = ids
        .iter()
        .map(|id| json!({"accountId": id, "accountName": format!("name-{id}"), "emailAddress": format!("{id}@example.com")}))
        .collect();
    let mut doc = json!({ "accountList": list });
    if let Some(n) = next {
        doc["nextToken"] = json!(n);
    }
    doc
}

fn roles_page(names: &[&str], next: Option<&str>) -> Value {
    let list: Vec<Value> = names
        .iter()
        .map(|n| json!({"roleName": n, "accountId": "111111111111"}))
        .collect();
    let mut doc = json!({ "roleList": list });
    if let Some(n) = next {
        doc["nextToken"] = json!(n);
    }
    doc
}

fn role_credentials(key: &str, expiration: SystemTime) -> Value {
    let ms = expiration.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
    json!({"roleCredentials": {"accessKeyId": key, "secretAccessKey": SECRET_KEY, "sessionToken": SESSION_TOKEN, "expiration": ms}})
}

fn only_call(commands: &[Command]) -> UnsignedCall {
    match commands {
        [Effect::CallUnsigned(call)] => call.clone(),
        other => panic!("expected one call, got {other:?}"),
    }
}

fn only_sleep(commands: &[Command]) -> (u64, Duration) {
    match commands {
        [Effect::Sleep { ticket, duration }] => (*ticket, *duration),
        other => panic!("expected one sleep, got {other:?}"),
    }
}

fn notice(h: &Harness) -> String {
    h.machine
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

// -- signing in -----------------------------------------------------------

#[test]
fn sign_in_registers_starts_and_polls_until_approved_then_lists_every_account_page() {
    let mut h = Harness::new();
    assert_eq!(h.machine.state_name(), "signed-out");
    let register = only_call(&h.sign_in(" https://d-1234567890.awsapps.com/start#/ ", "us-east-1"));
    assert_eq!(h.machine.state_name(), "registering");
    assert_eq!(
        (
            register.service,
            register.operation,
            register.region.as_str()
        ),
        (SsoService::Oidc, "RegisterClient", "us-east-1")
    );
    assert_eq!(
        h.last_wire().url,
        "https://oidc.us-east-1.amazonaws.com/client/register"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&h.last_wire().body).unwrap(),
        json!({"clientName": "agentcore-console", "clientType": "public", "scopes": ["sso:account:access"]})
    );
    assert!(matches!(h.machine.phase, Phase::Registering { .. }));

    let start = only_call(&h.answer(
        &register,
        ok(json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET})),
    ));
    assert_eq!(h.machine.state_name(), "starting");
    assert_eq!(
        h.last_wire().url,
        "https://oidc.us-east-1.amazonaws.com/device_authorization"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&h.last_wire().body).unwrap(),
        json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET, "startUrl": START_URL}),
        "the start URL without the portal's #/"
    );
    let wait = only_sleep(&h.answer(
        &start,
        ok(json!({"deviceCode": DEVICE_CODE, "userCode": "BCDF-GHJK", "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
                  "verificationUriComplete": "https://device.sso.us-east-1.amazonaws.com/?user_code=BCDF-GHJK", "expiresIn": 600, "interval": 2})),
    ));
    assert_eq!(wait.1, Duration::from_secs(2));
    assert_eq!(h.machine.state_name(), "authorizing");
    let Phase::Authorizing { device, .. } = &h.machine.phase else {
        panic!()
    };
    assert_eq!(device.user_code, "BCDF-GHJK");
    assert_eq!(
        device.verification_uri,
        "https://device.sso.us-east-1.amazonaws.com/?user_code=BCDF-GHJK"
    );
    assert_eq!(device.expires_at, h.now + Duration::from_secs(600));
    assert!(notice(&h).contains("BCDF-GHJK"), "{}", notice(&h));

    // pending keeps polling at the interval
    let poll = only_call(&h.wake(wait.0));
    assert_eq!(
        h.last_wire().url,
        "https://oidc.us-east-1.amazonaws.com/token"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&h.last_wire().body).unwrap(),
        json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET, "grantType": "urn:ietf:params:oauth:grant-type:device_code", "deviceCode": DEVICE_CODE})
    );
    let wait = only_sleep(&h.answer(
        &poll,
        oidc_error("AuthorizationPendingException", "authorization_pending"),
    ));
    assert_eq!(wait.1, Duration::from_secs(2));
    let poll = only_call(&h.wake(wait.0));
    h.now += Duration::from_secs(5);
    let commands = h.answer(
        &poll,
        ok(json!({"accessToken": ACCESS_TOKEN, "tokenType": "Bearer", "expiresIn": 3600})),
    );
    let [Effect::Sleep { duration, .. }, Effect::CallUnsigned(list)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(
        *duration,
        Duration::from_secs(3600),
        "the token's expiry is watched"
    );
    assert_eq!(h.machine.state_name(), "signed-in");
    let session = h.machine.session().unwrap();
    assert_eq!(session.token.expires_at, h.now + Duration::from_secs(3600));

    // the access token goes in the bearer header, never in the URL
    let wire = h.last_wire().clone();
    assert_eq!(wire.method, "GET");
    assert_eq!(
        wire.url,
        "https://portal.sso.us-east-1.amazonaws.com/assignment/accounts?max_result=100"
    );
    assert_eq!(header(&wire, "x-amz-sso_bearer_token"), Some(ACCESS_TOKEN));
    let next = only_call(&h.answer(
        list,
        ok(accounts(&["111111111111", "222222222222"], Some("page-2"))),
    ));
    assert_eq!(
        h.last_wire().url,
        "https://portal.sso.us-east-1.amazonaws.com/assignment/accounts?max_result=100&next_token=page-2"
    );
    assert!(
        h.answer(&next, ok(accounts(&["333333333333"], None)))
            .is_empty()
    );
    let ids: Vec<&str> = h
        .machine
        .session()
        .unwrap()
        .accounts
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["111111111111", "222222222222", "333333333333"]);
    assert_eq!(
        h.machine.session().unwrap().accounts[0].email,
        "111111111111@example.com"
    );
    assert!(
        notice(&h).ends_with("3 accounts you may use."),
        "{}",
        notice(&h)
    );
}

#[test]
fn roles_of_the_chosen_account_are_listed_page_by_page_and_role_credentials_handed_to_the_page() {
    let mut h = Harness::new();
    let (list, _) = h.signed_in(8 * 3600);
    h.answer(&list, ok(accounts(&["111111111111"], None)));
    let roles = only_call(&h.event(Event::ChooseAccount {
        account_id: "111111111111".into(),
    }));
    assert_eq!(
        h.last_wire().url,
        "https://portal.sso.us-east-1.amazonaws.com/assignment/roles?account_id=111111111111&max_result=100"
    );
    let more = only_call(&h.answer(
        &roles,
        ok(roles_page(&["Operator", "ReadOnly"], Some("r2"))),
    ));
    assert_eq!(
        h.last_wire().url,
        "https://portal.sso.us-east-1.amazonaws.com/assignment/roles?account_id=111111111111&max_result=100&next_token=r2"
    );
    h.answer(&more, ok(roles_page(&["Admin"], None)));
    assert_eq!(
        h.machine.session().unwrap().roles,
        ["Operator", "ReadOnly", "Admin"]
    );
    assert_eq!(notice(&h), "3 roles in account 111111111111.");

    let commands = h.use_role(Duration::from_secs(3600));
    let wire = h.last_wire().clone();
    assert_eq!(
        wire.url,
        "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?account_id=111111111111&role_name=Operator"
    );
    assert_eq!(header(&wire, "x-amz-sso_bearer_token"), Some(ACCESS_TOKEN));
    let [
        Effect::Show(Shown::Credentials(creds)),
        Effect::Sleep { duration, .. },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(creds.access_key_id(), "ASIAFIRSTEXAMPLE0001");
    assert_eq!(
        (creds.secret_access_key(), creds.session_token()),
        (SECRET_KEY, Some(SESSION_TOKEN))
    );
    assert_eq!(creds.expiration(), Some(h.now + Duration::from_secs(3600)));
    assert_eq!(
        *duration,
        Duration::from_secs(55 * 60),
        "renewed 5 minutes before expiry"
    );
    assert_eq!(
        h.machine.picked,
        Picked {
            account_id: Some("111111111111".into()),
            role_name: Some("Operator".into())
        }
    );
    assert!(
        notice(&h).starts_with("Using role Operator in account 111111111111"),
        "{}",
        notice(&h)
    );
}

#[test]
fn slow_down_adds_five_seconds_to_the_interval_each_time() {
    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let poll = only_call(&h.wake(wait));
    let (wait, d) = only_sleep(&h.answer(&poll, oidc_error("SlowDownException", "slow_down")));
    assert_eq!(d, Duration::from_secs(6));
    let poll = only_call(&h.wake(wait));
    let (wait, d) = only_sleep(&h.answer(&poll, oidc_error("SlowDownException", "slow_down")));
    assert_eq!(d, Duration::from_secs(11));
    let poll = only_call(&h.wake(wait));
    let (_, d) = only_sleep(&h.answer(
        &poll,
        oidc_error("AuthorizationPendingException", "authorization_pending"),
    ));
    assert_eq!(
        d,
        Duration::from_secs(11),
        "pending keeps the slower interval"
    );
}

#[test]
fn a_denied_sign_in_ends_with_what_to_do() {
    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let poll = only_call(&h.wake(wait));
    assert!(
        h.answer(&poll, oidc_error("AccessDeniedException", "access_denied"))
            .is_empty()
    );
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert_eq!(
        notice(&h),
        message(SsoService::Oidc, "CreateToken", "AccessDeniedException").unwrap()
    );
    assert!(h.machine.notice.as_ref().unwrap().is_error());
    assert!(h.wake(wait).is_empty(), "nothing polls any more");
}

#[test]
fn an_expired_code_ends_the_sign_in_whether_the_service_or_the_clock_says_so() {
    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let poll = only_call(&h.wake(wait));
    assert!(
        h.answer(&poll, oidc_error("ExpiredTokenException", "expired_token"))
            .is_empty()
    );
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert!(notice(&h).starts_with("The code expired before the sign-in was approved."));

    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let poll = only_call(&h.wake(wait));
    h.now += Duration::from_secs(600);
    assert!(
        h.answer(
            &poll,
            oidc_error("AuthorizationPendingException", "authorization_pending")
        )
        .is_empty()
    );
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert!(notice(&h).starts_with("The code expired"));
}

#[test]
fn other_oidc_errors_end_the_sign_in_and_a_network_failure_polls_again() {
    let mut h = Harness::new();
    let wait = h.authorizing(3);
    let poll = only_call(&h.wake(wait));
    let (wait, d) = only_sleep(&h.report(
        poll.ticket,
        Err(CallError::Transport(TransportError::Network(
            "offline".into(),
        ))),
    ));
    assert_eq!(d, Duration::from_secs(3));
    assert!(
        notice(&h).contains("Trying again in 3 seconds."),
        "{}",
        notice(&h)
    );
    let poll = only_call(&h.wake(wait));
    assert!(
        h.answer(
            &poll,
            oidc_error("InvalidClientException", "invalid_client")
        )
        .is_empty()
    );
    assert_eq!(
        notice(&h),
        message(SsoService::Oidc, "CreateToken", "InvalidClientException").unwrap()
    );

    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let poll = only_call(&h.wake(wait));
    assert!(
        h.report(
            poll.ticket,
            Err(CallError::Transport(TransportError::CorsBlocked(
                "https://oidc.us-east-1.amazonaws.com".into()
            )))
        )
        .is_empty()
    );
    assert_eq!(
        h.machine.phase,
        Phase::SignedOut,
        "a blocked answer does not unblock by itself"
    );
}

#[test]
fn a_start_url_that_is_no_portal_is_said_so_and_a_failed_registration_too() {
    let mut h = Harness::new();
    let register = only_call(&h.sign_in(START_URL, "us-east-1"));
    let start = only_call(&h.answer(
        &register,
        ok(json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET})),
    ));
    assert!(
        h.answer(
            &start,
            oidc_error("InvalidRequestException", "invalid_request")
        )
        .is_empty()
    );
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert!(
        notice(&h).starts_with("The start URL is not an IAM Identity Center portal"),
        "{}",
        notice(&h)
    );
    assert_eq!(
        h.machine.target.as_ref().unwrap().start_url.as_str(),
        START_URL,
        "the form keeps it"
    );

    let mut h = Harness::new();
    let register = only_call(&h.sign_in(START_URL, "us-east-1"));
    assert!(
        h.answer(
            &register,
            oidc_error("InternalServerException", "server_error")
        )
        .is_empty()
    );
    assert_eq!(
        notice(&h),
        message(
            SsoService::Oidc,
            "RegisterClient",
            "InternalServerException"
        )
        .unwrap()
    );
    let register = only_call(&h.sign_in(START_URL, "us-east-1"));
    assert!(
        h.answer(&register, ok(json!({"clientId": "only-an-id"})))
            .is_empty()
    );
    assert!(notice(&h).contains("lacks what it must hold"));
}

#[test]
fn a_verification_link_that_is_not_an_https_page_is_never_offered() {
    let mut h = Harness::new();
    let register = only_call(&h.sign_in(START_URL, "us-east-1"));
    let start = only_call(&h.answer(
        &register,
        ok(json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET})),
    ));
    let commands = h.answer(
        &start,
        ok(json!({
            "deviceCode": DEVICE_CODE,
            "userCode": "BCDF-GHJK",
            "verificationUriComplete": "javascript:alert(1)",
            "expiresIn": 600,
            "interval": 1,
        })),
    );
    assert!(commands.is_empty(), "{commands:?}");
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert!(notice(&h).contains("lacks what it must hold"));
}

#[test]
fn bad_start_urls_and_regions_are_refused_before_any_call() {
    for (url, expected) in [
        ("", "Enter your AWS access portal URL"),
        ("   ", "Enter your AWS access portal URL"),
        ("http://d-1234567890.awsapps.com/start", "plain http://"),
        ("d-1234567890.awsapps.com/start", "has no scheme"),
        ("ftp://d-1234567890.awsapps.com/start", "scheme `ftp`"),
        ("https://user@d-1234567890.awsapps.com/start", "user name"),
        ("https:///start", "no host"),
        ("https://d-1234567890.awsapps.com/start?x=1", "query string"),
    ] {
        let mut h = Harness::new();
        assert!(h.sign_in(url, "us-east-1").is_empty(), "{url}");
        assert!(notice(&h).contains(expected), "{url}: {}", notice(&h));
        assert_eq!(h.machine.phase, Phase::SignedOut);
    }
    for region in ["", "US EAST", "us-east-1.evil.example"] {
        let mut h = Harness::new();
        assert!(h.sign_in(START_URL, region).is_empty(), "{region}");
        assert!(h.machine.notice.as_ref().unwrap().is_error());
    }
    // a route the page cannot use (a relay with a fixed upstream): its words
    let mut h = Harness::new();
    let refused = h.event(Event::SignIn {
        start_url: START_URL.into(),
        region: "us-east-1".into(),
        not_ready: Some("needs the relay URL's {host} form".into()),
        now: h.now,
    });
    assert!(refused.is_empty());
    assert_eq!(notice(&h), "needs the relay URL's {host} form");
    assert_eq!(h.machine.phase, Phase::SignedOut);
    for url in [
        "http://127.0.0.1:4566/start",
        "http://localhost/start",
        "http://[::1]:8080/start",
        "https://d-1234567890.awsapps.com/start/",
    ] {
        assert!(parse_start_url(url).is_ok(), "{url}");
    }
    assert_eq!(
        parse_start_url("https://x.awsapps.com/start#")
            .unwrap()
            .as_str(),
        "https://x.awsapps.com/start"
    );
}

// -- signed in --------------------------------------------------------------

#[test]
fn role_credentials_are_renewed_before_they_expire_while_the_token_lasts() {
    let mut h = Harness::new();
    h.with_roles(8 * 3600);
    let commands = h.use_role(Duration::from_secs(3600));
    let (renewal, wait) = match commands.as_slice() {
        [Effect::Show(_), Effect::Sleep { ticket, duration }] => (*ticket, *duration),
        other => panic!("{other:?}"),
    };
    h.now += wait;
    let get = only_call(&h.wake(renewal));
    assert_eq!(
        h.last_wire().url,
        "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?account_id=111111111111&role_name=Operator"
    );
    let commands = h.answer(
        &get,
        ok(role_credentials(
            "ASIARENEWEXAMPLE0002",
            h.now + Duration::from_secs(3600),
        )),
    );
    let [
        Effect::Show(Shown::Credentials(renewed)),
        Effect::Sleep { .. },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(renewed.access_key_id(), "ASIARENEWEXAMPLE0002");
    assert!(
        notice(&h).starts_with("Renewed role Operator"),
        "{}",
        notice(&h)
    );
    assert_eq!(h.shown.len(), 2);

    // short-lived credentials (the emulator's test setting): halfway, never in a loop
    assert_eq!(
        renewal_wait(h.now, h.now + Duration::from_secs(120)),
        Duration::from_secs(60)
    );
    assert_eq!(
        renewal_wait(h.now, h.now + Duration::from_secs(4)),
        MIN_RENEWAL_WAIT
    );
    assert_eq!(
        renewal_wait(h.now, h.now - Duration::from_secs(4)),
        MIN_RENEWAL_WAIT
    );
}

#[test]
fn no_renewal_is_planned_past_the_access_token_and_a_failed_renewal_is_tried_again() {
    let mut h = Harness::new();
    h.with_roles(1800);
    let commands = h.use_role(Duration::from_secs(3600));
    assert!(
        matches!(commands.as_slice(), [Effect::Show(_)]),
        "{commands:?}"
    );
    assert!(
        notice(&h).contains("after your sign-in ends"),
        "{}",
        notice(&h)
    );

    let mut h = Harness::new();
    h.with_roles(8 * 3600);
    let commands = h.use_role(Duration::from_secs(3600));
    let [_, Effect::Sleep { ticket, .. }] = commands.as_slice() else {
        panic!()
    };
    let get = only_call(&h.wake(*ticket));
    let (retry, d) = only_sleep(&h.answer(&get, portal_error(429, "TooManyRequestsException")));
    assert_eq!(d, RENEWAL_RETRY);
    assert!(
        notice(&h).contains("The access portal is limiting requests"),
        "{}",
        notice(&h)
    );
    assert!(h.machine.session().is_some(), "still signed in");
    let get = only_call(&h.wake(retry));
    assert_eq!(get.operation, "GetRoleCredentials");
    // the portal no longer takes the token: sign in again
    let commands = h.answer(&get, portal_error(401, "UnauthorizedException"));
    assert_eq!(commands, vec![Effect::AbandonCalls]);
    assert_eq!(h.machine.phase, Phase::SignInAgain);
}

#[test]
fn an_expired_access_token_says_sign_in_again_and_keeps_what_was_picked() {
    let mut h = Harness::new();
    let token_timer = h.with_roles(3600);
    h.use_role(Duration::from_secs(1800));
    h.now += Duration::from_secs(3600);
    assert_eq!(h.wake(token_timer), vec![Effect::AbandonCalls]);
    assert_eq!(h.machine.phase, Phase::SignInAgain);
    assert_eq!(h.machine.state_name(), "sign-in-again");
    assert!(notice(&h).contains("sign in again"), "{}", notice(&h));
    let picked = Picked {
        account_id: Some("111111111111".into()),
        role_name: Some("Operator".into()),
    };
    assert_eq!(h.machine.picked, picked);
    assert!(
        !h.shown.contains(&Shown::ForgetCredentials),
        "the credentials in use are not taken away"
    );

    // signing in again pre-selects the account (its roles are listed) and the role
    let (list, _) = h.signed_in(3600);
    let roles = only_call(&h.answer(&list, ok(accounts(&["222222222222", "111111111111"], None))));
    assert_eq!(roles.operation, "ListAccountRoles");
    assert_eq!(roles.input["accountId"], "111111111111");
    h.answer(&roles, ok(roles_page(&["Operator"], None)));
    assert_eq!(h.machine.picked, picked);
}

#[test]
fn the_portal_refusing_the_token_during_use_says_sign_in_again() {
    let mut h = Harness::new();
    let (list, _) = h.signed_in(3600);
    assert_eq!(
        h.answer(&list, portal_error(401, "UnauthorizedException")),
        vec![Effect::AbandonCalls]
    );
    assert_eq!(h.machine.phase, Phase::SignInAgain);
    assert!(notice(&h).ends_with("sign in again."), "{}", notice(&h));

    // other portal errors stay signed in, with the words
    let mut h = Harness::new();
    h.with_roles(3600);
    let get = only_call(&h.event(Event::UseRole {
        role_name: "Gone".into(),
    }));
    assert!(
        h.answer(&get, portal_error(404, "ResourceNotFoundException"))
            .is_empty()
    );
    assert!(h.machine.session().is_some());
    assert!(
        notice(&h).contains("You have no access to that account or role"),
        "{}",
        notice(&h)
    );
}

#[test]
fn listing_stops_after_the_most_pages_and_stale_answers_are_ignored() {
    let mut h = Harness::new();
    let (mut list, _) = h.signed_in(3600);
    for page in 1..MAX_PAGES {
        list = only_call(&h.answer(&list, ok(accounts(&[&format!("{page:012}")], Some("more")))));
    }
    assert!(
        h.answer(&list, ok(accounts(&["999999999999"], Some("more"))))
            .is_empty()
    );
    assert_eq!(h.machine.session().unwrap().accounts.len(), MAX_PAGES);

    // choosing another account while roles are listed: the first listing's answer is dropped
    let first = only_call(&h.event(Event::ChooseAccount {
        account_id: "000000000001".into(),
    }));
    let second = only_call(&h.event(Event::ChooseAccount {
        account_id: "000000000002".into(),
    }));
    assert!(
        h.answer(&first, ok(roles_page(&["Stale"], None)))
            .is_empty()
    );
    assert!(h.machine.session().unwrap().roles.is_empty());
    h.answer(&second, ok(roles_page(&["Fresh"], None)));
    assert_eq!(h.machine.session().unwrap().roles, ["Fresh"]);
}

// -- signing out, cancelling ---------------------------------------------------

#[test]
fn sign_out_calls_logout_with_the_token_and_forgets_everything() {
    let mut h = Harness::new();
    h.with_roles(3600);
    h.use_role(Duration::from_secs(3600));
    let commands = h.event(Event::SignOut);
    let [
        Effect::AbandonCalls,
        Effect::Show(Shown::ForgetCredentials),
        Effect::CallUnsigned(logout),
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(
        (h.last_wire().method.as_str(), h.last_wire().url.as_str()),
        ("POST", "https://portal.sso.us-east-1.amazonaws.com/logout")
    );
    assert_eq!(
        header(h.last_wire(), "x-amz-sso_bearer_token"),
        Some(ACCESS_TOKEN)
    );
    assert!(matches!(h.machine.phase, Phase::SigningOut { .. }));
    assert_eq!(h.machine.state_name(), "signing-out");
    assert!(
        !format!("{:?}", h.machine.phase).contains("Secret"),
        "no secret is held any more"
    );
    let logout = logout.clone();
    assert!(
        h.event(Event::CredentialsForgotten).is_empty(),
        "the page forgetting the credentials it was told to forget does not stop the Logout"
    );
    assert_eq!(h.machine.state_name(), "signing-out");
    assert!(h.answer(&logout, ok(json!({}))).is_empty());
    assert_eq!(
        (h.machine.phase.clone(), notice(&h)),
        (Phase::SignedOut, "Signed out.".to_owned())
    );
    assert_eq!(
        h.machine.target.as_ref().unwrap().start_url.as_str(),
        START_URL,
        "not secret: kept to pre-fill"
    );
}

#[test]
fn sign_out_during_polling_stops_it_without_logout() {
    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let commands = h.event(Event::SignOut);
    assert_eq!(
        commands,
        vec![Effect::AbandonCalls, Effect::Show(Shown::ForgetCredentials)]
    );
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert!(h.wake(wait).is_empty(), "the next poll does not happen");
    assert_eq!(
        h.wire.len(),
        2,
        "RegisterClient and StartDeviceAuthorization only"
    );
}

#[test]
fn cancel_during_polling_stops_it_and_keeps_the_form() {
    let mut h = Harness::new();
    let wait = h.authorizing(1);
    let poll = only_call(&h.wake(wait));
    assert_eq!(h.event(Event::Cancel), vec![Effect::AbandonCalls]);
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert_eq!(notice(&h), "Sign-in cancelled.");
    assert!(
        h.answer(
            &poll,
            ok(json!({"accessToken": ACCESS_TOKEN, "expiresIn": 3600}))
        )
        .is_empty(),
        "a late token is dropped"
    );
    assert_eq!(h.machine.phase, Phase::SignedOut);
    assert!(h.machine.target.is_some());
    assert!(h.event(Event::Cancel).is_empty(), "nothing to cancel");
}

#[test]
fn forgetting_the_credentials_signs_out_with_logout_but_does_not_forget_them_twice() {
    let mut h = Harness::new();
    h.with_roles(3600);
    let commands = h.event(Event::CredentialsForgotten);
    let [Effect::AbandonCalls, Effect::CallUnsigned(logout)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(logout.operation, "Logout");
    assert!(
        h.event(Event::SignIn {
            start_url: START_URL.into(),
            region: "us-east-1".into(),
            not_ready: None,
            now: h.now
        })
        .is_empty(),
        "busy signing out"
    );
}

#[test]
fn only_the_start_url_region_account_and_role_are_remembered_and_they_pre_select() {
    let mut h = Harness::new();
    assert_eq!(h.machine.remembered(), None, "nothing before a sign-in");
    h.with_roles(3600);
    h.use_role(Duration::from_secs(3600));
    let remembered = h.machine.remembered().unwrap();
    let saved = remembered.to_saved();
    for secret in [
        CLIENT_SECRET,
        DEVICE_CODE,
        ACCESS_TOKEN,
        SECRET_KEY,
        SESSION_TOKEN,
    ] {
        assert!(!saved.contains(secret), "{secret} in {saved}");
    }
    let back = Remembered::from_saved(Some(&saved));
    assert_eq!(back, remembered);
    assert_eq!(back.start_url, START_URL);
    assert_eq!(back.region, "us-east-1");
    assert!(back.picked.account_id.is_some() && back.picked.role_name.is_some());
    assert_eq!(SignIn::remembering(back.picked.clone()).picked, back.picked);
    assert_eq!(
        Remembered::from_saved(Some("not json")),
        Remembered::default()
    );
    assert_eq!(Remembered::from_saved(None), Remembered::default());
}

#[test]
fn no_secret_is_ever_printed_by_debug() {
    let mut h = Harness::new();
    h.with_roles(8 * 3600);
    h.use_role(Duration::from_secs(3600));
    h.event(Event::SignOut);
    assert!(h.debug.contains("<redacted>"));
    for secret in [
        CLIENT_SECRET,
        DEVICE_CODE,
        ACCESS_TOKEN,
        SECRET_KEY,
        SESSION_TOKEN,
    ] {
        assert!(!h.debug.contains(secret), "{secret} printed:\n{}", h.debug);
    }
    // what the test saw on the wire did carry them
    let wire = format!("{:?}", h.wire);
    for secret in [CLIENT_SECRET, DEVICE_CODE, ACCESS_TOKEN] {
        assert!(wire.contains(secret), "{secret}");
    }
}

#[test]
fn every_secret_input_member_of_both_models_is_redacted() {
    use crate::core::workflow::SECRET_MEMBERS;
    for service in [SsoService::Oidc, SsoService::Portal] {
        let model = model(service);
        for op in model.operations() {
            let input = model.input_of(&op.name).unwrap();
            for member in input.members() {
                if model.shape(&member.shape).sensitive {
                    assert!(
                        SECRET_MEMBERS.contains(&member.name.as_str()),
                        "{} {}",
                        op.name,
                        member.name
                    );
                }
            }
        }
    }
}

// -- through the client ----------------------------------------------------------

mod through_the_client {
    //! The machine's calls made by [`call_unsigned`] over a scripted
    //! transport, as the page's runner will make them: the endpoint of each
    //! call's service and region, no signature, the bearer header.

    use super::*;
    use crate::core::client::{Clock, UnsignedContext, call_unsigned};
    use crate::core::endpoint::{EndpointParams, resolve_sso_endpoint};
    use crate::core::fakes::{FakeClock, Script, block_on};
    use crate::core::route::{PageOrigin, Route, parse_relay_url};

    /// Runs `commands` and what their answers bring, waking only the
    /// polling waits; returns what was shown.
    fn run(
        machine: &mut SignIn,
        route_for: &dyn Fn(&UnsignedCall) -> Route,
        transport: &Script,
        clock: &FakeClock,
        mut commands: Vec<Command>,
    ) -> Vec<Shown> {
        let mut shown = Vec::new();
        while !commands.is_empty() {
            let mut next = Vec::new();
            for command in commands {
                match command {
                    Effect::CallUnsigned(call) => {
                        let route = route_for(&call);
                        let ctx = UnsignedContext {
                            model: model(call.service),
                            route: &route,
                            answered_origin: None,
                        };
                        let report = block_on(call_unsigned(
                            &ctx,
                            transport,
                            clock,
                            call.operation,
                            &call.input,
                            |_| {},
                        ));
                        next.extend(machine.update(
                            &(),
                            SignIn::answered_unsigned(call.ticket, Some(report), clock.now()),
                        ));
                    }
                    Effect::Sleep { ticket, duration } if machine.signing_in() => {
                        block_on(clock.sleep(duration));
                        next.extend(machine.update(&(), Event::Woke { ticket }));
                    }
                    Effect::Show(s) => shown.push(s),
                    _ => {}
                }
            }
            commands = next;
        }
        shown
    }

    fn direct(call: &UnsignedCall) -> Route {
        let params = EndpointParams {
            region: call.region.clone(),
            ..EndpointParams::default()
        };
        Route::direct(resolve_sso_endpoint(call.service, &params).unwrap())
    }

    fn wire(status: u16, code: Option<&str>, doc: Value) -> Result<HttpResponse, TransportError> {
        let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
        if let Some(code) = code {
            headers.push(("x-amzn-ErrorType".to_owned(), code.to_owned()));
        }
        Ok(HttpResponse {
            status,
            headers,
            body: doc.to_string(),
        })
    }

    fn sign_in_answers() -> Vec<Result<HttpResponse, TransportError>> {
        vec![
            wire(
                200,
                None,
                json!({"clientId": "client-1", "clientSecret": CLIENT_SECRET}),
            ),
            wire(
                200,
                None,
                json!({"deviceCode": DEVICE_CODE, "userCode": "BCDF-GHJK", "verificationUriComplete": "https://device.sso.eu-west-1.amazonaws.com/?user_code=BCDF-GHJK", "expiresIn": 600, "interval": 1}),
            ),
            wire(
                400,
                Some("AuthorizationPendingException"),
                json!({"error": "authorization_pending", "error_description": null}),
            ),
            wire(
                200,
                None,
                json!({"accessToken": ACCESS_TOKEN, "tokenType": "Bearer", "expiresIn": 28800}),
            ),
            wire(200, None, accounts(&["111111111111"], None)),
        ]
    }

    /// Signs in through `route_for` in `region`, up to the accounts listed.
    fn signed_in(
        region: &str,
        route_for: &dyn Fn(&UnsignedCall) -> Route,
    ) -> (SignIn, Script, FakeClock) {
        let transport = Script::new(sign_in_answers());
        let clock = FakeClock::new();
        let mut machine = SignIn::default();
        let first = machine.update(
            &(),
            Event::SignIn {
                start_url: START_URL.into(),
                region: region.into(),
                not_ready: None,
                now: clock.now(),
            },
        );
        run(&mut machine, route_for, &transport, &clock, first);
        (machine, transport, clock)
    }

    #[test]
    fn the_sign_in_goes_unsigned_to_each_service_host_and_the_token_only_to_the_portal() {
        let (mut machine, transport, clock) = signed_in("eu-west-1", &direct);
        assert_eq!(machine.session().unwrap().accounts.len(), 1);
        assert_eq!(
            *clock.slept.borrow(),
            [Duration::from_secs(1), Duration::from_secs(1)],
            "polled at the interval"
        );
        let commands = machine.update(
            &(),
            Event::ChooseAccount {
                account_id: "111111111111".into(),
            },
        );
        transport.answers.borrow_mut().extend([
            wire(200, None, roles_page(&["Operator"], None)),
            // throttled once: tried again, as the SDKs do
            wire(
                429,
                Some("TooManyRequestsException"),
                json!({"message": "Rate exceeded"}),
            ),
            wire(
                200,
                None,
                role_credentials(
                    "ASIAFIRSTEXAMPLE0001",
                    clock.now() + Duration::from_secs(3600),
                ),
            ),
        ]);
        run(&mut machine, &direct, &transport, &clock, commands);
        let commands = machine.update(
            &(),
            Event::UseRole {
                role_name: "Operator".into(),
            },
        );
        let shown = run(&mut machine, &direct, &transport, &clock, commands);
        assert!(
            matches!(shown.as_slice(), [Shown::Credentials(c)] if c.access_key_id() == "ASIAFIRSTEXAMPLE0001")
        );

        let seen = transport.seen.borrow();
        let urls: Vec<&str> = seen.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://oidc.eu-west-1.amazonaws.com/client/register",
                "https://oidc.eu-west-1.amazonaws.com/device_authorization",
                "https://oidc.eu-west-1.amazonaws.com/token",
                "https://oidc.eu-west-1.amazonaws.com/token",
                "https://portal.sso.eu-west-1.amazonaws.com/assignment/accounts?max_result=100",
                "https://portal.sso.eu-west-1.amazonaws.com/assignment/roles?account_id=111111111111&max_result=100",
                "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=111111111111&role_name=Operator",
                "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=111111111111&role_name=Operator",
            ]
        );
        for request in seen.iter() {
            assert_eq!(
                request.header("authorization"),
                None,
                "unsigned: {}",
                request.url
            );
            assert_eq!(request.header("x-amz-security-token"), None);
            let portal = request.url.contains("portal.sso.");
            assert_eq!(
                request.header("x-amz-sso_bearer_token"),
                portal.then_some(ACCESS_TOKEN),
                "{}",
                request.url
            );
            assert!(
                !request.url.contains(ACCESS_TOKEN) && !request.body.contains(ACCESS_TOKEN),
                "{}",
                request.url
            );
            assert!(!request.is_relayed());
        }
    }

    #[test]
    fn through_a_host_relay_each_call_names_its_own_host() {
        let page = PageOrigin::parse("https://console.example.com").unwrap();
        let relay = parse_relay_url("/aws/{host}", Some(&page)).unwrap();
        let relayed = |call: &UnsignedCall| Route {
            relay: Some(relay.clone()),
            ..direct(call)
        };
        let (_, transport, _) = signed_in("us-east-1", &relayed);
        let seen = transport.seen.borrow();
        assert_eq!(
            seen[0].url,
            "https://console.example.com/aws/oidc.us-east-1.amazonaws.com/client/register"
        );
        assert_eq!(
            seen[4].url,
            "https://console.example.com/aws/portal.sso.us-east-1.amazonaws.com/assignment/accounts?max_result=100"
        );
        assert!(seen.iter().all(|r| r.is_relayed()));
        assert_eq!(
            seen[4].signed_host(),
            Some("portal.sso.us-east-1.amazonaws.com")
        );
    }
}
