//! "Sign in with IAM Identity Center", as a state machine (events in,
//! commands out; [`SignIn`] implements [`crate::core::workflow::Workflow`]):
//! the OAuth 2.0 device authorization grant (RFC 8628) of IAM Identity
//! Center's OIDC service, then its access portal for accounts, roles and
//! role credentials, the way `aws sso login` and the SDKs' SSO credential
//! provider do it.
//!
//! Services and operations (vendored models `model/sso-oidc.json` and
//! `model/sso.json`, rest-json, every operation `smithy.api#noAuth`):
//!
//! - `oidc.<region>…`: RegisterClient (a `public` client with the scope
//!   [`SCOPE`]), StartDeviceAuthorization (the start URL → a device code,
//!   the user code and the verification link), CreateToken (grant
//!   [`DEVICE_GRANT`], polled every `interval` seconds; SlowDownException
//!   adds [`SLOW_DOWN`]);
//! - `portal.sso.<region>…`, the access token in `x-amz-sso_bearer_token`:
//!   ListAccounts and ListAccountRoles (every page, `nextToken`),
//!   GetRoleCredentials (`expiration` in epoch milliseconds), Logout.
//!
//! Phases, each holding its own data ([`Phase`]): signed out → registering
//! → starting → authorizing (polling) → signed in (accounts, roles, role
//! credentials renewed [`RENEW_BEFORE`] their expiry while the access token
//! is valid) → "sign in again" when the access token expires, keeping what
//! the user picked. Sign out calls Logout and forgets everything; Cancel
//! stops a sign-in.
//!
//! Secrets (the client secret, the device code, the access token, the role
//! credentials) are held in [`Secret`]s or
//! [`crate::core::credentials::Credentials`] and never printed by `Debug`;
//! the role credentials are handed to the page ([`Shown::Credentials`]) and
//! not kept here. Times come from the events (the shell's clock).
//!
//! The page's shell (`ui::sso_panel`) runs it through the one workflow
//! runner and remembers only [`Remembered`] (start URL, region, account id,
//! role name).

mod machine;
pub mod messages;
mod start_url;
#[cfg(test)]
mod tests;

use std::fmt;
use std::time::{Duration, SystemTime};

pub use machine::{Command, Event, Phase, SignIn, Wait, Work};
pub use start_url::{StartUrl, StartUrlError, parse_start_url};

use crate::core::credentials::Credentials;

/// The client name registered with IAM Identity Center (what its admin
/// sees).
pub const CLIENT_NAME: &str = "agentcore-console";
/// The only client type a device-code client can be.
pub const CLIENT_TYPE: &str = "public";
/// The scope that lets the access token list accounts and get role
/// credentials.
pub const SCOPE: &str = "sso:account:access";
/// CreateToken's grant type for a device code (RFC 8628 §3.4).
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// What SlowDownException adds to the polling interval (RFC 8628 §3.5).
pub const SLOW_DOWN: Duration = Duration::from_secs(5);
/// The polling interval when StartDeviceAuthorization gives none (RFC 8628).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// How long before their expiry role credentials are renewed.
pub const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);
/// The shortest wait before a renewal (credentials that live less than
/// twice [`RENEW_BEFORE`] are renewed halfway through their life).
pub const MIN_RENEWAL_WAIT: Duration = Duration::from_secs(5);
/// The wait before trying a failed renewal again.
pub const RENEWAL_RETRY: Duration = Duration::from_secs(30);
/// `maxResults` of the two listings (the models' maximum).
pub const PAGE_SIZE: u64 = 100;

/// What `Debug` prints in place of a secret.
const REDACTED: &str = "<redacted>";

/// A value that must not be shown: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, to send it. Never display it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Where to sign in: the start URL and the IAM Identity Center region (not
/// secrets: the page may remember them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The access portal's start URL.
    pub start_url: StartUrl,
    /// The region of the IAM Identity Center instance.
    pub region: String,
}

/// This page's client registration (RegisterClient).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// `clientId`.
    pub id: String,
    /// `clientSecret`.
    pub secret: Secret,
}

/// A device authorization in progress (StartDeviceAuthorization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// `deviceCode`: what CreateToken sends.
    pub code: Secret,
    /// `userCode`: what the user checks in the browser.
    pub user_code: String,
    /// `verificationUriComplete` (the user code in it), or
    /// `verificationUri`: the link the page offers.
    pub verification_uri: String,
    /// The wait between two CreateToken calls.
    pub interval: Duration,
    /// When the codes stop working.
    pub expires_at: SystemTime,
}

/// The access token (CreateToken).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// `accessToken`, sent as `x-amz-sso_bearer_token`.
    pub token: Secret,
    /// When it stops working.
    pub expires_at: SystemTime,
}

/// An account the user may use (ListAccounts' `AccountInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// `accountId`.
    pub id: String,
    /// `accountName`.
    pub name: String,
    /// `emailAddress`.
    pub email: String,
}

/// What the user picked (not secrets: the page may remember them to
/// pre-select them next time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picked {
    /// The account id.
    pub account_id: Option<String>,
    /// The role name in that account.
    pub role_name: Option<String>,
}

/// What the page remembers between visits (`localStorage`
/// [`Remembered::STORAGE_KEY`]), to pre-fill and pre-select: never a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remembered {
    /// The start URL.
    pub start_url: String,
    /// The IAM Identity Center region.
    pub region: String,
    /// The account and role picked.
    pub picked: Picked,
}

impl Remembered {
    /// The `localStorage` key.
    pub const STORAGE_KEY: &'static str = "agentcore-console.sso";

    /// Reads the saved text; anything missing or unreadable is empty.
    pub fn from_saved(saved: Option<&str>) -> Self {
        let json: serde_json::Value = saved
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        let text = |key: &str| json.get(key).and_then(serde_json::Value::as_str);
        Self {
            start_url: text("ssoStartUrl").unwrap_or_default().to_owned(),
            region: text("ssoRegion").unwrap_or_default().to_owned(),
            picked: Picked {
                account_id: text("accountId").map(str::to_owned),
                role_name: text("roleName").map(str::to_owned),
            },
        }
    }

    /// The text to save.
    pub fn to_saved(&self) -> String {
        crate::core::json::to_string(&serde_json::json!({
            "ssoStartUrl": self.start_url,
            "ssoRegion": self.region,
            "accountId": self.picked.account_id,
            "roleName": self.picked.role_name,
        }))
    }
}

/// The role credentials in use: whose, and until when (the credentials
/// themselves are the page's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InUse {
    /// The account id.
    pub account_id: String,
    /// The role name.
    pub role_name: String,
    /// When they expire.
    pub expiration: SystemTime,
}

/// What the machine hands to the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// Role credentials, first or renewed: into the credential state that
    /// pasting fills.
    Credentials(Credentials),
    /// Sign out: forget the role credentials, as "Forget" does.
    ForgetCredentials,
}

/// The wait before renewing credentials that expire at `expiration`, at
/// `now`: until [`RENEW_BEFORE`] their expiry, or halfway through what is
/// left when that is sooner, and never less than [`MIN_RENEWAL_WAIT`].
pub fn renewal_wait(now: SystemTime, expiration: SystemTime) -> Duration {
    let left = expiration.duration_since(now).unwrap_or(Duration::ZERO);
    left.saturating_sub(RENEW_BEFORE)
        .max(left / 2)
        .max(MIN_RENEWAL_WAIT)
}
