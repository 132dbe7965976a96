//! The sign-in's state machine: [`SignIn`], its [`Phase`]s, events and
//! commands.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::messages::message;
use super::{
    AccessToken, Account, CLIENT_NAME, CLIENT_TYPE, Client, DEFAULT_INTERVAL, DEVICE_GRANT, Device,
    InUse, PAGE_SIZE, Picked, RENEWAL_RETRY, Remembered, SCOPE, SLOW_DOWN, Secret, Shown, Target,
    parse_start_url, renewal_wait,
};
use crate::core::client::{CallError, CallReport, TransportError};
use crate::core::credentials::Credentials;
use crate::core::endpoint::{EndpointParams, SsoService, resolve_sso_endpoint};
use crate::core::notice::Notice;
use crate::core::response::{ResponseError, format_utc};
use crate::core::text::plural;
use crate::core::workflow::{Effect, MAX_PAGES, NOT_CALLED, Tickets, UnsignedCall, Workflow};

const REGISTER_CLIENT: &str = "RegisterClient";
const START_DEVICE_AUTHORIZATION: &str = "StartDeviceAuthorization";
const CREATE_TOKEN: &str = "CreateToken";
const LIST_ACCOUNTS: &str = "ListAccounts";
const LIST_ACCOUNT_ROLES: &str = "ListAccountRoles";
const GET_ROLE_CREDENTIALS: &str = "GetRoleCredentials";
const LOGOUT: &str = "Logout";

/// Where the sign-in is.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Phase {
    /// Not signed in.
    #[default]
    SignedOut,
    /// RegisterClient in flight.
    Registering {
        /// The call.
        call: u64,
    },
    /// StartDeviceAuthorization in flight.
    Starting {
        /// The call.
        call: u64,
        /// The registration.
        client: Client,
    },
    /// Waiting for the user to approve in the browser: CreateToken every
    /// `device.interval`.
    Authorizing {
        /// The registration.
        client: Client,
        /// The codes and the link.
        device: Device,
        /// Asleep or polling.
        wait: Wait,
    },
    /// Signed in.
    SignedIn(Box<Session>),
    /// Logout in flight; everything else is forgotten already.
    SigningOut {
        /// The call.
        call: u64,
    },
    /// The access token expired (or the portal refused it): "sign in
    /// again". What was picked is kept; the role credentials in use work
    /// until their own expiry.
    SignInAgain,
}

/// Between two CreateToken calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Waiting `interval` (the wake-up's ticket).
    Sleeping(u64),
    /// CreateToken in flight.
    Polling(u64),
}

/// What a signed-in page is doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Work {
    /// Nothing in flight.
    #[default]
    Idle,
    /// Listing the accounts, page by page.
    ListingAccounts {
        /// The call.
        call: u64,
        /// The accounts of the pages read so far.
        listed: Vec<Account>,
        /// Pages read so far.
        pages: usize,
    },
    /// Listing the roles of an account, page by page.
    ListingRoles {
        /// The call.
        call: u64,
        /// The account.
        account_id: String,
        /// The role names of the pages read so far.
        listed: Vec<String>,
        /// Pages read so far.
        pages: usize,
    },
    /// GetRoleCredentials the user asked for in flight.
    FetchingCredentials {
        /// The call.
        call: u64,
        /// The account.
        account_id: String,
        /// The role.
        role_name: String,
    },
}

/// Renewing the role credentials in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// Waiting until it is time (the wake-up's ticket).
    Waiting(u64),
    /// GetRoleCredentials in flight.
    Calling(u64),
}

/// A signed-in page.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The access token.
    pub token: AccessToken,
    /// The wake-up at the token's expiry.
    pub token_timer: u64,
    /// The accounts listed.
    pub accounts: Vec<Account>,
    /// The roles listed for the picked account.
    pub roles: Vec<String>,
    /// What is in flight.
    pub work: Work,
    /// The role credentials handed to the page, if any.
    pub in_use: Option<InUse>,
    /// Their renewal, when one is planned.
    pub renewal: Option<Renewal>,
}

/// The sign-in's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignIn {
    /// Where it is.
    pub phase: Phase,
    /// Where the last sign-in went (kept when signed out, to pre-fill).
    pub target: Option<Target>,
    /// What the user picked (kept across "sign in again" and sign-out).
    pub picked: Picked,
    /// What the panel says.
    pub notice: Option<Notice>,
    tickets: Tickets,
    /// The latest time an event brought.
    now: Option<SystemTime>,
}

/// What happens to the sign-in.
#[derive(Clone)]
// An event is handed over once, never stored: a call's report stays inline.
#[allow(clippy::large_enum_variant)]
pub enum Event {
    /// "Sign in" with the start URL and region as typed.
    SignIn {
        /// The start URL field.
        start_url: String,
        /// The region field.
        region: String,
        /// Why the page cannot reach the region's sign-in hosts now, in
        /// words, if so (their route: a relay must name the host).
        not_ready: Option<String>,
        /// Now, by the shell's clock.
        now: SystemTime,
    },
    /// "Cancel" while signing in.
    Cancel,
    /// An account chosen: list its roles.
    ChooseAccount {
        /// Its id.
        account_id: String,
    },
    /// "Use this role" (in the chosen account).
    UseRole {
        /// Its name.
        role_name: String,
    },
    /// "Sign out".
    SignOut,
    /// A call finished.
    Answered {
        /// The call's ticket.
        ticket: u64,
        /// Its report; `None` when it could not be made.
        report: Option<CallReport>,
        /// When, by the shell's clock (`None` from a runner that does not
        /// say: the latest time known is used).
        now: Option<SystemTime>,
    },
    /// A wait ended.
    Woke {
        /// Its ticket.
        ticket: u64,
    },
    /// The page forgot the credentials ("Forget"): sign out.
    CredentialsForgotten,
}

impl fmt::Debug for Event {
    /// A call's answer may hold secrets (a client secret, an access
    /// token, role credentials): only its ticket and outcome are printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignIn {
                start_url, region, ..
            } => write!(
                f,
                "SignIn {{ start_url: {start_url:?}, region: {region:?} }}"
            ),
            Self::Cancel => f.write_str("Cancel"),
            Self::ChooseAccount { account_id } => write!(f, "ChooseAccount({account_id})"),
            Self::UseRole { role_name } => write!(f, "UseRole({role_name})"),
            Self::SignOut => f.write_str("SignOut"),
            Self::Answered { ticket, report, .. } => {
                let outcome = match report.as_ref().map(|r| &r.outcome) {
                    None => "not made".to_owned(),
                    Some(Ok(out)) => format!("HTTP {}", out.status),
                    Some(Err(e)) => e.code(),
                };
                write!(f, "Answered {{ ticket: {ticket}, outcome: {outcome} }}")
            }
            Self::Woke { ticket } => write!(f, "Woke({ticket})"),
            Self::CredentialsForgotten => f.write_str("CredentialsForgotten"),
        }
    }
}

/// What the sign-in asks for.
pub type Command = Effect<Shown>;

/// An answer, read: the output document, or the error's code and words.
enum Answer {
    Output(Value),
    Failed { code: String, text: String },
}

/// Why an answer is no usable output, in words and by code.
fn read(service: SsoService, operation: &str, report: Option<CallReport>) -> Answer {
    let Some(report) = report else {
        return Answer::Failed {
            code: "NotCalled".into(),
            text: NOT_CALLED.into(),
        };
    };
    let advice = report.relay_advice();
    match report.outcome {
        Ok(out) => Answer::Output(out.json),
        Err(error) => {
            let code = error.code();
            let text = match (&error, message(service, operation, &code)) {
                (CallError::Response(ResponseError::Service(_)), Some(text)) => text.to_owned(),
                _ => error.to_string(),
            };
            let text = match advice {
                Some(advice) => format!("{text} {advice}"),
                None => text,
            };
            Answer::Failed { code, text }
        }
    }
}

fn text_of(doc: &Value, member: &str) -> Option<String> {
    doc.get(member)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn seconds_of(doc: &Value, member: &str) -> Option<Duration> {
    doc.get(member)
        .and_then(Value::as_u64)
        .map(Duration::from_secs)
}

/// The words for an answer that lacks what it must hold.
fn unreadable(operation: &str) -> String {
    format!("IAM Identity Center's answer to {operation} lacks what it must hold. Sign in again.")
}

impl SignIn {
    /// A signed-out machine that pre-selects what the page remembered.
    pub fn remembering(picked: Picked) -> Self {
        Self {
            picked,
            ..Self::default()
        }
    }

    /// What the page may remember of this sign-in (never a secret), once
    /// one was started.
    pub fn remembered(&self) -> Option<Remembered> {
        let target = self.target.as_ref()?;
        Some(Remembered {
            start_url: target.start_url.as_str().to_owned(),
            region: target.region.clone(),
            picked: self.picked.clone(),
        })
    }

    /// The phase's name, for the page's `data-sso-state`: `signed-out`,
    /// `registering`, `starting`, `authorizing`, `signed-in`, `signing-out`
    /// or `sign-in-again`.
    pub fn state_name(&self) -> &'static str {
        match self.phase {
            Phase::SignedOut => "signed-out",
            Phase::Registering { .. } => "registering",
            Phase::Starting { .. } => "starting",
            Phase::Authorizing { .. } => "authorizing",
            Phase::SignedIn(_) => "signed-in",
            Phase::SigningOut { .. } => "signing-out",
            Phase::SignInAgain => "sign-in-again",
        }
    }

    /// Whether a sign-in is under way (registering, starting, authorizing).
    pub fn signing_in(&self) -> bool {
        matches!(
            self.phase,
            Phase::Registering { .. } | Phase::Starting { .. } | Phase::Authorizing { .. }
        )
    }

    /// The signed-in session, if signed in.
    pub fn session(&self) -> Option<&Session> {
        match &self.phase {
            Phase::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    fn call(
        &mut self,
        service: SsoService,
        operation: &'static str,
        input: Value,
    ) -> (u64, Command) {
        let ticket = self.tickets.fresh();
        let region = self
            .target
            .as_ref()
            .map(|t| t.region.clone())
            .unwrap_or_default();
        let call = UnsignedCall {
            ticket,
            service,
            region,
            operation,
            input,
        };
        (ticket, Effect::CallUnsigned(call))
    }

    fn sleep(&mut self, duration: Duration) -> (u64, Command) {
        let ticket = self.tickets.fresh();
        (ticket, Effect::Sleep { ticket, duration })
    }

    fn signed_out(&mut self, notice: Notice) -> Vec<Command> {
        self.phase = Phase::SignedOut;
        self.notice = Some(notice);
        Vec::new()
    }

    fn sign_in(
        &mut self,
        start_url: &str,
        region: &str,
        not_ready: Option<String>,
    ) -> Vec<Command> {
        if !matches!(self.phase, Phase::SignedOut | Phase::SignInAgain) {
            return Vec::new();
        }
        let start_url = match parse_start_url(start_url) {
            Ok(url) => url,
            Err(e) => return self.refuse(e.to_string()),
        };
        let region = region.trim().to_owned();
        let params = EndpointParams {
            region: region.clone(),
            ..EndpointParams::default()
        };
        if let Err(e) = resolve_sso_endpoint(SsoService::Oidc, &params) {
            return self.refuse(e.to_string());
        }
        if let Some(problem) = not_ready {
            return self.refuse(problem);
        }
        self.target = Some(Target { start_url, region });
        let (call, command) = self.call(
            SsoService::Oidc,
            REGISTER_CLIENT,
            json!({"clientName": CLIENT_NAME, "clientType": CLIENT_TYPE, "scopes": [SCOPE]}),
        );
        self.phase = Phase::Registering { call };
        self.notice = None;
        vec![command]
    }

    /// Bad input: the phase stays as it is (signed out or "sign in again").
    fn refuse(&mut self, text: String) -> Vec<Command> {
        self.notice = Some(Notice::error(text));
        Vec::new()
    }

    fn registered(&mut self, answer: Answer) -> Vec<Command> {
        let doc = match answer {
            Answer::Output(doc) => doc,
            Answer::Failed { text, .. } => return self.signed_out(Notice::error(text)),
        };
        let (Some(id), Some(secret)) = (text_of(&doc, "clientId"), text_of(&doc, "clientSecret"))
        else {
            return self.signed_out(Notice::error(unreadable(REGISTER_CLIENT)));
        };
        let client = Client {
            id,
            secret: Secret::new(secret),
        };
        let start_url = self
            .target
            .as_ref()
            .map(|t| t.start_url.as_str().to_owned())
            .unwrap_or_default();
        let (call, command) = self.call(
            SsoService::Oidc,
            START_DEVICE_AUTHORIZATION,
            json!({"clientId": client.id, "clientSecret": client.secret.expose(), "startUrl": start_url}),
        );
        self.phase = Phase::Starting { call, client };
        vec![command]
    }

    fn started(&mut self, client: Client, answer: Answer, now: SystemTime) -> Vec<Command> {
        let doc = match answer {
            Answer::Output(doc) => doc,
            Answer::Failed { text, .. } => return self.signed_out(Notice::error(text)),
        };
        // the page offers it as a link: only a web page (never `javascript:`)
        let link = text_of(&doc, "verificationUriComplete")
            .or_else(|| text_of(&doc, "verificationUri"))
            .filter(|link| link.starts_with("https://"));
        let (Some(code), Some(user_code), Some(link), Some(expires_in)) = (
            text_of(&doc, "deviceCode"),
            text_of(&doc, "userCode"),
            link,
            seconds_of(&doc, "expiresIn"),
        ) else {
            return self.signed_out(Notice::error(unreadable(START_DEVICE_AUTHORIZATION)));
        };
        let interval = seconds_of(&doc, "interval")
            .filter(|i| !i.is_zero())
            .unwrap_or(DEFAULT_INTERVAL);
        let device = Device {
            code: Secret::new(code),
            user_code,
            verification_uri: link,
            interval,
            expires_at: now + expires_in,
        };
        let (ticket, sleep) = self.sleep(interval);
        self.notice = Some(Notice::ok(format!(
            "Open the link, check that it shows the code {}, and allow the access. This page \
             waits for it until {}.",
            device.user_code,
            format_utc(device.expires_at)
        )));
        self.phase = Phase::Authorizing {
            client,
            device,
            wait: Wait::Sleeping(ticket),
        };
        vec![sleep]
    }

    fn poll(&mut self, client: Client, device: Device) -> Vec<Command> {
        let (call, command) = self.call(
            SsoService::Oidc,
            CREATE_TOKEN,
            json!({
                "clientId": client.id,
                "clientSecret": client.secret.expose(),
                "grantType": DEVICE_GRANT,
                "deviceCode": device.code.expose(),
            }),
        );
        self.phase = Phase::Authorizing {
            client,
            device,
            wait: Wait::Polling(call),
        };
        vec![command]
    }

    fn polled(
        &mut self,
        client: Client,
        mut device: Device,
        answer: Answer,
        now: SystemTime,
    ) -> Vec<Command> {
        match answer {
            Answer::Output(doc) => {
                let (Some(token), Some(expires_in)) =
                    (text_of(&doc, "accessToken"), seconds_of(&doc, "expiresIn"))
                else {
                    return self.signed_out(Notice::error(unreadable(CREATE_TOKEN)));
                };
                self.signed_in(
                    AccessToken {
                        token: Secret::new(token),
                        expires_at: now + expires_in,
                    },
                    expires_in,
                )
            }
            Answer::Failed { code, .. }
                if now >= device.expires_at
                    && matches!(
                        code.as_str(),
                        "AuthorizationPendingException" | "SlowDownException"
                    ) =>
            {
                self.signed_out(Notice::error(
                    message(SsoService::Oidc, CREATE_TOKEN, "ExpiredTokenException")
                        .unwrap_or_default(),
                ))
            }
            Answer::Failed { code, text } => {
                let keep_polling = match code.as_str() {
                    "AuthorizationPendingException" => true,
                    "SlowDownException" => {
                        device.interval += SLOW_DOWN;
                        true
                    }
                    // the network failed once: the code is still good
                    "Timeout" | "ConnectionFailed" | "NetworkError" => {
                        self.notice = Some(Notice::error(format!(
                            "{text} Trying again in {} seconds.",
                            device.interval.as_secs()
                        )));
                        true
                    }
                    _ => false,
                };
                if !keep_polling {
                    return self.signed_out(Notice::error(text));
                }
                let (ticket, sleep) = self.sleep(device.interval);
                self.phase = Phase::Authorizing {
                    client,
                    device,
                    wait: Wait::Sleeping(ticket),
                };
                vec![sleep]
            }
        }
    }

    fn signed_in(&mut self, token: AccessToken, lifetime: Duration) -> Vec<Command> {
        let (token_timer, timer) = self.sleep(lifetime);
        let (call, list) = self.call(
            SsoService::Portal,
            LIST_ACCOUNTS,
            json!({"accessToken": token.token.expose(), "maxResults": PAGE_SIZE}),
        );
        self.notice = Some(Notice::ok(format!(
            "Signed in until {}. Listing your accounts…",
            format_utc(token.expires_at)
        )));
        self.phase = Phase::SignedIn(Box::new(Session {
            token,
            token_timer,
            accounts: Vec::new(),
            roles: Vec::new(),
            work: Work::ListingAccounts {
                call,
                listed: Vec::new(),
                pages: 0,
            },
            in_use: None,
            renewal: None,
        }));
        vec![timer, list]
    }

    /// A portal call of the session: its input with the access token.
    fn portal(
        &mut self,
        session: &Session,
        operation: &'static str,
        mut input: Value,
    ) -> (u64, Command) {
        input["accessToken"] = Value::String(session.token.token.expose().to_owned());
        self.call(SsoService::Portal, operation, input)
    }

    fn sign_in_again(&mut self, text: String) -> Vec<Command> {
        self.phase = Phase::SignInAgain;
        self.notice = Some(Notice::error(text));
        vec![Effect::AbandonCalls]
    }

    fn choose_account(&mut self, mut session: Box<Session>, account_id: String) -> Vec<Command> {
        if self.picked.account_id.as_deref() != Some(account_id.as_str()) {
            self.picked.role_name = None;
        }
        self.picked.account_id = Some(account_id.clone());
        session.roles.clear();
        let (call, command) = self.portal(
            &session,
            LIST_ACCOUNT_ROLES,
            json!({"accountId": account_id, "maxResults": PAGE_SIZE}),
        );
        session.work = Work::ListingRoles {
            call,
            account_id,
            listed: Vec::new(),
            pages: 0,
        };
        self.phase = Phase::SignedIn(session);
        vec![command]
    }

    fn use_role(&mut self, mut session: Box<Session>, role_name: String) -> Vec<Command> {
        let Some(account_id) = self.picked.account_id.clone() else {
            self.phase = Phase::SignedIn(session);
            return self.refuse("Choose an account first.".into());
        };
        self.picked.role_name = Some(role_name.clone());
        let (call, command) = self.portal(
            &session,
            GET_ROLE_CREDENTIALS,
            json!({"accountId": account_id, "roleName": role_name}),
        );
        session.work = Work::FetchingCredentials {
            call,
            account_id,
            role_name,
        };
        self.phase = Phase::SignedIn(session);
        vec![command]
    }

    /// Sign out: forget everything now; Logout with the access token, if
    /// there is one.
    fn sign_out(&mut self, forget_credentials: bool) -> Vec<Command> {
        let mut commands = vec![Effect::AbandonCalls];
        if forget_credentials {
            commands.push(Effect::Show(Shown::ForgetCredentials));
        }
        match std::mem::take(&mut self.phase) {
            Phase::SignedIn(session) => {
                let (call, logout) = self.portal(&session, LOGOUT, json!({}));
                self.phase = Phase::SigningOut { call };
                self.notice = Some(Notice::ok("Signing out…"));
                commands.push(logout);
            }
            _ => {
                self.notice = Some(Notice::ok("Signed out."));
            }
        }
        commands
    }

    fn signed_in_answer(
        &mut self,
        mut session: Box<Session>,
        ticket: u64,
        report: Option<CallReport>,
        now: SystemTime,
    ) -> Vec<Command> {
        if session.renewal == Some(Renewal::Calling(ticket)) {
            session.renewal = None;
            let answer = read(SsoService::Portal, GET_ROLE_CREDENTIALS, report);
            let Some(used) = session.in_use.clone() else {
                self.phase = Phase::SignedIn(session);
                return Vec::new();
            };
            return self.credentials(
                session,
                answer,
                now,
                (used.account_id, used.role_name),
                true,
            );
        }
        match std::mem::take(&mut session.work) {
            Work::ListingAccounts {
                call,
                listed,
                pages,
            } if call == ticket => {
                let answer = read(SsoService::Portal, LIST_ACCOUNTS, report);
                self.accounts_page(session, answer, listed, pages)
            }
            Work::ListingRoles {
                call,
                account_id,
                listed,
                pages,
            } if call == ticket => {
                let answer = read(SsoService::Portal, LIST_ACCOUNT_ROLES, report);
                self.roles_page(session, answer, account_id, listed, pages)
            }
            Work::FetchingCredentials {
                call,
                account_id,
                role_name,
            } if call == ticket => {
                let answer = read(SsoService::Portal, GET_ROLE_CREDENTIALS, report);
                self.credentials(session, answer, now, (account_id, role_name), false)
            }
            other => {
                // an answer to something no longer asked
                session.work = other;
                self.phase = Phase::SignedIn(session);
                Vec::new()
            }
        }
    }

    /// A portal error: "sign in again" for UnauthorizedException, else the
    /// words, staying signed in.
    fn portal_failed(&mut self, session: Box<Session>, code: &str, text: String) -> Vec<Command> {
        if code == "UnauthorizedException" {
            return self.sign_in_again(text);
        }
        self.phase = Phase::SignedIn(session);
        self.notice = Some(Notice::error(text));
        Vec::new()
    }

    fn accounts_page(
        &mut self,
        mut session: Box<Session>,
        answer: Answer,
        mut listed: Vec<Account>,
        pages: usize,
    ) -> Vec<Command> {
        let doc = match answer {
            Answer::Output(doc) => doc,
            Answer::Failed { code, text } => {
                return self.portal_failed(
                    session,
                    &code,
                    format!("Could not list your accounts: {text}"),
                );
            }
        };
        listed.extend(
            doc.get("accountList")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| {
                    Some(Account {
                        id: text_of(a, "accountId")?,
                        name: text_of(a, "accountName").unwrap_or_default(),
                        email: text_of(a, "emailAddress").unwrap_or_default(),
                    })
                }),
        );
        let pages = pages + 1;
        if let Some(next) = text_of(&doc, "nextToken").filter(|_| pages < MAX_PAGES) {
            let (call, command) = self.portal(
                &session,
                LIST_ACCOUNTS,
                json!({"maxResults": PAGE_SIZE, "nextToken": next}),
            );
            session.work = Work::ListingAccounts {
                call,
                listed,
                pages,
            };
            self.phase = Phase::SignedIn(session);
            return vec![command];
        }
        let n = listed.len();
        session.accounts = listed;
        self.notice = Some(Notice::ok(format!(
            "Signed in until {}: {n} {} you may use.",
            format_utc(session.token.expires_at),
            plural(n, "account", "accounts")
        )));
        // pre-select what was picked before, if it is still there
        match self.picked.account_id.clone() {
            Some(id) if session.accounts.iter().any(|a| a.id == id) => {
                self.choose_account(session, id)
            }
            _ => {
                self.picked = Picked::default();
                self.phase = Phase::SignedIn(session);
                Vec::new()
            }
        }
    }

    fn roles_page(
        &mut self,
        mut session: Box<Session>,
        answer: Answer,
        account_id: String,
        mut listed: Vec<String>,
        pages: usize,
    ) -> Vec<Command> {
        let doc = match answer {
            Answer::Output(doc) => doc,
            Answer::Failed { code, text } => {
                return self.portal_failed(
                    session,
                    &code,
                    format!("Could not list the roles of account {account_id}: {text}"),
                );
            }
        };
        listed.extend(
            doc.get("roleList")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| text_of(r, "roleName")),
        );
        let pages = pages + 1;
        if let Some(next) = text_of(&doc, "nextToken").filter(|_| pages < MAX_PAGES) {
            let (call, command) = self.portal(
                &session,
                LIST_ACCOUNT_ROLES,
                json!({"accountId": account_id, "maxResults": PAGE_SIZE, "nextToken": next}),
            );
            session.work = Work::ListingRoles {
                call,
                account_id,
                listed,
                pages,
            };
            self.phase = Phase::SignedIn(session);
            return vec![command];
        }
        if self
            .picked
            .role_name
            .as_ref()
            .is_some_and(|r| !listed.contains(r))
        {
            self.picked.role_name = None;
        }
        let n = listed.len();
        self.notice = Some(Notice::ok(format!(
            "{n} {} in account {account_id}.",
            plural(n, "role", "roles")
        )));
        session.roles = listed;
        self.phase = Phase::SignedIn(session);
        Vec::new()
    }

    /// GetRoleCredentials answered for `(account_id, role_name)`, asked by
    /// the user or by a `renewal`.
    fn credentials(
        &mut self,
        mut session: Box<Session>,
        answer: Answer,
        now: SystemTime,
        (account_id, role_name): (String, String),
        renewal: bool,
    ) -> Vec<Command> {
        let doc = match answer {
            Answer::Output(doc) => doc,
            Answer::Failed { code, text } => {
                let text = format!(
                    "Could not get the credentials of role {role_name} in account {account_id}: {text}"
                );
                if renewal && code != "UnauthorizedException" {
                    return self.retry_renewal(session, text, now);
                }
                return self.portal_failed(session, &code, text);
            }
        };
        let creds = &doc["roleCredentials"];
        let (Some(key), Some(secret), Some(token), Some(ms)) = (
            text_of(creds, "accessKeyId"),
            text_of(creds, "secretAccessKey"),
            text_of(creds, "sessionToken"),
            creds.get("expiration").and_then(Value::as_u64),
        ) else {
            return self.portal_failed(session, "", unreadable(GET_ROLE_CREDENTIALS));
        };
        let expiration = UNIX_EPOCH + Duration::from_millis(ms);
        let credentials = Credentials::new(key, secret, Some(token), Some(expiration));
        session.in_use = Some(InUse {
            account_id: account_id.clone(),
            role_name: role_name.clone(),
            expiration,
        });
        let mut commands = vec![Effect::Show(Shown::Credentials(credentials))];
        let wait = renewal_wait(now, expiration);
        let verb = if renewal { "Renewed" } else { "Using" };
        if now + wait < session.token.expires_at {
            let (ticket, sleep) = self.sleep(wait);
            session.renewal = Some(Renewal::Waiting(ticket));
            commands.push(sleep);
            self.notice = Some(Notice::ok(format!(
                "{verb} role {role_name} in account {account_id}: its credentials expire at {} and are renewed at {}.",
                format_utc(expiration),
                format_utc(now + wait)
            )));
        } else {
            session.renewal = None;
            self.notice = Some(Notice::ok(format!(
                "{verb} role {role_name} in account {account_id}: its credentials expire at {}, \
                 after your sign-in ends ({}): sign in again then.",
                format_utc(expiration),
                format_utc(session.token.expires_at)
            )));
        }
        self.phase = Phase::SignedIn(session);
        commands
    }

    /// A renewal failed for a reason that may pass: try again after
    /// [`RENEWAL_RETRY`] while the credentials in use and the token last.
    fn retry_renewal(
        &mut self,
        mut session: Box<Session>,
        text: String,
        now: SystemTime,
    ) -> Vec<Command> {
        let retry_at = now + RENEWAL_RETRY;
        let lasting = session
            .in_use
            .as_ref()
            .is_some_and(|u| retry_at < u.expiration)
            && retry_at < session.token.expires_at;
        let mut commands = Vec::new();
        if lasting {
            let (ticket, sleep) = self.sleep(RENEWAL_RETRY);
            session.renewal = Some(Renewal::Waiting(ticket));
            commands.push(sleep);
            self.notice = Some(Notice::error(format!(
                "{text} Trying again in {} seconds.",
                RENEWAL_RETRY.as_secs()
            )));
        } else {
            self.notice = Some(Notice::error(text));
        }
        self.phase = Phase::SignedIn(session);
        commands
    }

    fn woke(&mut self, ticket: u64) -> Vec<Command> {
        match std::mem::take(&mut self.phase) {
            Phase::Authorizing {
                client,
                device,
                wait: Wait::Sleeping(t),
            } if t == ticket => self.poll(client, device),
            Phase::SignedIn(session) if session.token_timer == ticket => {
                let text = format!(
                    "Your IAM Identity Center sign-in ended at {}: sign in again. {}",
                    format_utc(session.token.expires_at),
                    session
                        .in_use
                        .as_ref()
                        .map(|u| format!(
                            "The role credentials in use work until {}.",
                            format_utc(u.expiration)
                        ))
                        .unwrap_or_default()
                );
                self.sign_in_again(text.trim_end().to_owned())
            }
            Phase::SignedIn(mut session) if session.renewal == Some(Renewal::Waiting(ticket)) => {
                let Some(used) = session.in_use.clone() else {
                    session.renewal = None;
                    self.phase = Phase::SignedIn(session);
                    return Vec::new();
                };
                let (call, command) = self.portal(
                    &session,
                    GET_ROLE_CREDENTIALS,
                    json!({"accountId": used.account_id, "roleName": used.role_name}),
                );
                session.renewal = Some(Renewal::Calling(call));
                self.phase = Phase::SignedIn(session);
                vec![command]
            }
            other => {
                self.phase = other;
                Vec::new()
            }
        }
    }

    fn answered(
        &mut self,
        ticket: u64,
        report: Option<CallReport>,
        now: SystemTime,
    ) -> Vec<Command> {
        match std::mem::take(&mut self.phase) {
            Phase::Registering { call } if call == ticket => {
                self.registered(read(SsoService::Oidc, REGISTER_CLIENT, report))
            }
            Phase::Starting { call, client } if call == ticket => self.started(
                client,
                read(SsoService::Oidc, START_DEVICE_AUTHORIZATION, report),
                now,
            ),
            Phase::Authorizing {
                client,
                device,
                wait: Wait::Polling(t),
            } if t == ticket => {
                // the browser blocked the answer: polling again will not help
                let blocked = matches!(
                    report.as_ref().map(|r| &r.outcome),
                    Some(Err(CallError::Transport(TransportError::CorsBlocked(_))))
                );
                let answer = read(SsoService::Oidc, CREATE_TOKEN, report);
                if blocked && let Answer::Failed { text, .. } = answer {
                    return self.signed_out(Notice::error(text));
                }
                self.polled(client, device, answer, now)
            }
            Phase::SignedIn(session) => self.signed_in_answer(session, ticket, report, now),
            Phase::SigningOut { call } if call == ticket => {
                let notice = match read(SsoService::Portal, LOGOUT, report) {
                    Answer::Output(_) => Notice::ok("Signed out."),
                    Answer::Failed { text, .. } => Notice::ok(format!(
                        "Signed out of this page; IAM Identity Center's sign-out did not \
                         answer as expected: {text}"
                    )),
                };
                self.signed_out(notice)
            }
            other => {
                self.phase = other;
                Vec::new()
            }
        }
    }
}

impl Workflow for SignIn {
    type Context = ();
    type Event = Event;
    type Command = Command;
    type Show = Shown;

    fn update(&mut self, _context: &(), event: Event) -> Vec<Command> {
        match event {
            Event::SignIn {
                start_url,
                region,
                not_ready,
                now,
            } => {
                self.now = Some(now);
                self.sign_in(&start_url, &region, not_ready)
            }
            Event::Cancel if self.signing_in() => {
                self.phase = Phase::SignedOut;
                self.notice = Some(Notice::ok("Sign-in cancelled."));
                vec![Effect::AbandonCalls]
            }
            Event::Cancel => Vec::new(),
            Event::ChooseAccount { account_id } => match std::mem::take(&mut self.phase) {
                Phase::SignedIn(session) => self.choose_account(session, account_id),
                other => {
                    self.phase = other;
                    Vec::new()
                }
            },
            Event::UseRole { role_name } => match std::mem::take(&mut self.phase) {
                Phase::SignedIn(session) => self.use_role(session, role_name),
                other => {
                    self.phase = other;
                    Vec::new()
                }
            },
            Event::SignOut => self.sign_out(true),
            Event::CredentialsForgotten => {
                // signing out forgets the credentials itself: its Logout goes on
                if matches!(self.phase, Phase::SignedOut | Phase::SigningOut { .. }) {
                    return Vec::new();
                }
                self.sign_out(false)
            }
            Event::Answered {
                ticket,
                report,
                now,
            } => {
                let now = now.or(self.now).unwrap_or(UNIX_EPOCH);
                self.now = Some(now);
                self.answered(ticket, report, now)
            }
            Event::Woke { ticket } => self.woke(ticket),
        }
    }

    fn effect(command: Command) -> Effect<Shown> {
        command
    }

    fn answered(ticket: u64, report: Option<CallReport>) -> Event {
        Event::Answered {
            ticket,
            report,
            now: None,
        }
    }

    fn answered_unsigned(ticket: u64, report: Option<CallReport>, now: SystemTime) -> Event {
        Event::Answered {
            ticket,
            report,
            now: Some(now),
        }
    }

    fn woke(ticket: u64) -> Option<Event> {
        Some(Event::Woke { ticket })
    }

    fn forgotten() -> Event {
        Event::CredentialsForgotten
    }
}
