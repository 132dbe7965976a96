//! AWS credentials from what users paste: the identity half of AWS Signature
//! Version 4 (access key id, secret access key and, for temporary
//! credentials, the session token sent as `X-Amz-Security-Token`).
//!
//! Accepted inputs and where each is specified:
//! - the `Credentials` structure of the AWS STS API reference, as printed by
//!   `aws sts assume-role`, `get-session-token` and `get-federation-token`;
//! - the `credential_process` JSON (`"Version": 1`) of the AWS SDKs and Tools
//!   reference guide, as printed by `aws configure export-credentials`
//!   (container/instance-metadata documents that spell the token `Token` too);
//! - the `roleCredentials` of IAM Identity Center `GetRoleCredentials`, as
//!   printed by `aws sso get-role-credentials`;
//! - the environment variables of the SDKs and Tools reference guide
//!   (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//!   `AWS_CREDENTIAL_EXPIRATION`), written as POSIX shell, cmd.exe or
//!   PowerShell assignments, as `export-credentials --format env` does;
//! - the shared credentials file (`~/.aws/credentials`, INI with
//!   `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`);
//! - the three values typed into separate fields.
//!
//! Secrets never leave this module through `Debug` or `Display`.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::timestamp::{Offsets, epoch_parts, format_rfc3339, parse_rfc3339, to_system_time};

/// The provider name given to the signer's credentials.
const PROVIDER_NAME: &str = "agentcore-console";

/// What `Debug` and `Display` print in place of a secret.
const REDACTED: &str = "<redacted>";

/// AWS credentials: an access key id, its secret and, for temporary
/// credentials, a session token and (usually) an expiration instant.
///
/// `Debug` and `Display` never print the secret or the session token, and
/// print the access key id masked (`ASIA…MPLE`).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// Builds credentials from their parts; an empty session token counts as
    /// none. No validation is done here: use [`parse_credentials`] or
    /// [`credentials_from_fields`] for user input.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiration: Option<SystemTime>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: session_token.filter(|t| !t.is_empty()),
            expiration,
        }
    }

    /// The access key id (`AKIA…` or `ASIA…`). Not a secret, but prefer
    /// [`Credentials::masked_access_key_id`] for display.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Never display it.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials. Never display it.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials stop working, if the pasted text said so.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// The access key id with only its first 4 and last 4 characters shown,
    /// e.g. `ASIA…MPLE`. Ids of 8 characters or fewer show only their first
    /// character, so that nothing pasted by mistake is shown whole.
    pub fn masked_access_key_id(&self) -> String {
        mask(&self.access_key_id)
    }

    /// Whether these are temporary credentials (a session token is present).
    pub fn is_temporary(&self) -> bool {
        self.session_token.is_some()
    }

    /// Whether the access key id is a long-term IAM user key (`AKIA…`).
    pub fn is_long_term_key(&self) -> bool {
        self.access_key_id.starts_with("AKIA")
    }

    /// How long the credentials remain valid at `now`: `None` when no
    /// expiration is known, `Some(Duration::ZERO)` when already expired.
    pub fn expires_in(&self, now: SystemTime) -> Option<Duration> {
        self.expiration
            .map(|expiration| expiration.duration_since(now).unwrap_or(Duration::ZERO))
    }

    /// Whether the credentials are known to have expired at `now` (an
    /// expiration equal to `now` counts as expired).
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expiration.is_some_and(|expiration| expiration <= now)
    }

    /// These credentials in the form the AWS SigV4 signer takes.
    pub fn to_aws_credentials(&self) -> aws_credential_types::Credentials {
        aws_credential_types::Credentials::new(
            self.access_key_id.clone(),
            self.secret_access_key.clone(),
            self.session_token.clone(),
            self.expiration,
            PROVIDER_NAME,
        )
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = if self.session_token.is_some() {
            REDACTED
        } else {
            "None"
        };
        let expiration = self
            .expiration
            .map_or_else(|| "None".to_owned(), format_instant);
        f.debug_struct("Credentials")
            .field(
                "access_key_id",
                &format_args!("{}", self.masked_access_key_id()),
            )
            .field("secret", &format_args!("{REDACTED}"))
            .field("session_token", &format_args!("{token}"))
            .field("expiration", &format_args!("{expiration}"))
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "access key {}, secret: {REDACTED}",
            self.masked_access_key_id()
        )?;
        if self.session_token.is_some() {
            write!(f, ", session token: {REDACTED}")?;
        } else {
            write!(f, ", no session token")?;
        }
        match self.expiration {
            Some(expiration) => write!(f, ", expires {}", format_instant(expiration)),
            None => write!(f, ", no expiration given"),
        }
    }
}

/// Which kind of text the credentials were read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialsFormat {
    /// STS JSON with a `Credentials` object (`aws sts assume-role`,
    /// `get-session-token`, `get-federation-token`).
    StsJson,
    /// Flat JSON with `AccessKeyId` at the top (`aws configure
    /// export-credentials`, `credential_process`, container/instance metadata).
    ProcessJson,
    /// IAM Identity Center JSON with `roleCredentials`
    /// (`aws sso get-role-credentials`).
    SsoJson,
    /// Environment variable assignments (`export AWS_ACCESS_KEY_ID=…`,
    /// `set …`, `$Env:…`).
    EnvironmentVariables,
    /// Shared credentials file lines (`aws_access_key_id = …`).
    CredentialsFile,
    /// Three values typed into separate fields.
    SeparateFields,
}

impl fmt::Display for CredentialsFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::StsJson => "AWS STS JSON (aws sts assume-role / get-session-token)",
            Self::ProcessJson => "credential process JSON (aws configure export-credentials)",
            Self::SsoJson => "IAM Identity Center JSON (aws sso get-role-credentials)",
            Self::EnvironmentVariables => "environment variables (AWS_ACCESS_KEY_ID=…)",
            Self::CredentialsFile => "shared credentials file (aws_access_key_id = …)",
            Self::SeparateFields => "separate fields",
        })
    }
}

/// Something about accepted credentials that the user should know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsWarning {
    /// The key id starts with `AKIA`: a long-term IAM user key.
    #[error(
        "These are long-term access keys (AKIA…) of an IAM user. They work, but a leak stays \
         dangerous until the key is deleted: prefer temporary credentials from \
         `aws sts get-session-token` or `aws sts assume-role`."
    )]
    LongTermKey,
    /// No session token was given and the key id is not a temporary one.
    #[error(
        "No session token was given, so these are not temporary credentials. Prefer \
         temporary credentials from `aws sts get-session-token` or `aws sts assume-role`."
    )]
    NoSessionToken,
    /// The key id starts with `ASIA` (temporary) but no session token came
    /// with it: AWS will reject the requests.
    #[error(
        "The access key id starts with ASIA, which marks temporary credentials, but no \
         session token was given; AWS will reject requests until you add the session token \
         (AWS_SESSION_TOKEN) that came with it."
    )]
    MissingSessionToken,
    /// The access key id does not look like one AWS issues.
    #[error(
        "The access key id {masked} looks unusual: {problem}. Check that you copied the \
         access key id (not the secret) in full."
    )]
    UnusualAccessKeyId {
        /// The masked key id.
        masked: String,
        /// What is unusual about it.
        problem: String,
    },
    /// The secret access key does not look like one AWS issues.
    #[error(
        "The secret access key looks unusual: {problem}. Check that you copied the secret \
         access key in full."
    )]
    UnusualSecretAccessKey {
        /// What is unusual about it (never the secret itself).
        problem: String,
    },
    /// The pasted text held several credential profiles; only one was used.
    #[error(
        "The pasted text holds several profiles; only the first one, [{used}], was used. \
         Paste a single profile to use another."
    )]
    SeveralProfiles {
        /// The profile whose values were used.
        used: String,
    },
}

/// Why pasted credentials were refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// Nothing but whitespace was given.
    #[error(
        "Nothing was pasted. Paste the output of `aws sts assume-role`, `aws sts \
         get-session-token` or `aws configure export-credentials`, or the AWS_ACCESS_KEY_ID / \
         AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN lines."
    )]
    Empty,
    /// The text is none of the accepted formats.
    #[error(
        "The pasted text is not in a credentials format this console reads. Paste one of: the \
         JSON output of `aws sts assume-role` / `get-session-token` / `get-federation-token`; \
         the JSON of `aws configure export-credentials`; its `--format env` lines (`export \
         AWS_ACCESS_KEY_ID=…`, `set …`, `$Env:…`); or `aws_access_key_id = …` lines from \
         ~/.aws/credentials. Or type the three values into the separate fields."
    )]
    UnrecognizedFormat,
    /// Valid JSON, but not a credentials document.
    #[error(
        "The pasted JSON is not a credentials document: it has neither `Credentials` (as \
         printed by `aws sts assume-role` / `get-session-token`) nor `AccessKeyId` (as printed \
         by `aws configure export-credentials`). Paste the complete output of one of these \
         commands."
    )]
    UnrecognizedJson,
    /// The text looks like JSON but does not parse.
    #[error(
        "The pasted text looks like JSON but cannot be read: {problem} at line {line}, column \
         {column}. Copy the complete command output again."
    )]
    InvalidJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde_json found wrong.
        problem: String,
    },
    /// A required value is absent or empty.
    #[error("The pasted {container} has no `{field}`. Copy the complete output again.")]
    MissingField {
        /// `JSON` or `text`.
        container: &'static str,
        /// The name of the missing member or variable.
        field: String,
    },
    /// A value typed into a separate field is empty.
    #[error("The {field} is empty. Fill it in, or paste the whole credentials output instead.")]
    EmptyField {
        /// The field, e.g. `access key ID`.
        field: &'static str,
    },
    /// A JSON member has the wrong type.
    #[error(
        "`{field}` in the pasted JSON should be {expected}. Copy the command output again \
         without editing it."
    )]
    WrongType {
        /// The JSON member.
        field: String,
        /// What it should have been, e.g. `a string`.
        expected: &'static str,
    },
    /// A value contains whitespace, control or non-ASCII characters that
    /// credentials never contain (and that could not be sent in a header).
    #[error(
        "The {field} contains spaces, line breaks or other characters that AWS credentials \
         never contain. Copy it again as one unbroken value."
    )]
    InvalidCharacters {
        /// The field, e.g. `session token`.
        field: &'static str,
    },
    /// The expiration is not a readable timestamp.
    #[error(
        "The expiration `{value}` is not a valid timestamp ({problem}). It should look like \
         2026-11-28T22:31:42Z or 2026-11-28T22:31:42+00:00."
    )]
    InvalidExpiration {
        /// The value as pasted (at most 64 characters of it).
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The credentials are known to have expired.
    #[error(
        "These credentials expired at {expired_at} ({ago}). Get new ones (e.g. `aws sts \
         assume-role …` or `aws sts get-session-token`) and paste them again."
    )]
    Expired {
        /// The expiration instant in RFC 3339 UTC.
        expired_at: String,
        /// How long ago, e.g. `12 minutes ago`.
        ago: String,
    },
}

/// Credentials read from user input, with the format they were in and
/// anything worth warning about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// The format recognized.
    pub format: CredentialsFormat,
    /// Things the user should know (never reasons to refuse).
    pub warnings: Vec<CredentialsWarning>,
}

/// Reads credentials from pasted text in any of the formats listed in the
/// module documentation. Leading/trailing whitespace and Windows line
/// endings are tolerated. Never panics.
pub fn parse_credentials(text: &str) -> Result<ParsedCredentials, CredentialsError> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(CredentialsError::Empty);
    }
    let (raw, format, mut warnings) = if text.starts_with('{') {
        let (raw, format) = parse_json(text)?;
        (raw, format, Vec::new())
    } else {
        parse_lines(text)?
    };
    let mut parsed = finish(raw, format)?;
    warnings.append(&mut parsed.warnings);
    parsed.warnings = warnings;
    Ok(parsed)
}

/// Builds credentials from three values typed into separate fields. Each is
/// trimmed; an empty session token means none.
pub fn credentials_from_fields(
    access_key_id: &str,
    secret_access_key: &str,
    session_token: &str,
) -> Result<ParsedCredentials, CredentialsError> {
    let access_key_id = access_key_id.trim();
    let secret_access_key = secret_access_key.trim();
    if access_key_id.is_empty() {
        return Err(CredentialsError::EmptyField {
            field: "access key ID",
        });
    }
    if secret_access_key.is_empty() {
        return Err(CredentialsError::EmptyField {
            field: "secret access key",
        });
    }
    let raw = RawCredentials {
        access_key_id: Some(access_key_id.to_owned()),
        secret_access_key: Some(secret_access_key.to_owned()),
        session_token: non_empty(session_token.trim()),
        expiration: None,
    };
    finish(raw, CredentialsFormat::SeparateFields)
}

/// Refuses credentials known to have expired at `now`, saying when they
/// expired and what to do.
pub fn check_usable(creds: &Credentials, now: SystemTime) -> Result<(), CredentialsError> {
    match creds.expiration {
        Some(expiration) if expiration <= now => Err(CredentialsError::Expired {
            expired_at: format_instant(expiration),
            ago: human_ago(now.duration_since(expiration).unwrap_or(Duration::ZERO)),
        }),
        _ => Ok(()),
    }
}

/// Values collected before validation; names match the AWS fields.
#[derive(Default)]
struct RawCredentials {
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<SystemTime>,
}

/// Checks the collected values and adds warnings.
fn finish(
    raw: RawCredentials,
    format: CredentialsFormat,
) -> Result<ParsedCredentials, CredentialsError> {
    let (container, id_name, secret_name) = match format {
        CredentialsFormat::StsJson | CredentialsFormat::ProcessJson => {
            ("JSON", "AccessKeyId", "SecretAccessKey")
        }
        CredentialsFormat::SsoJson => ("JSON", "accessKeyId", "secretAccessKey"),
        CredentialsFormat::CredentialsFile => {
            ("text", "aws_access_key_id", "aws_secret_access_key")
        }
        CredentialsFormat::EnvironmentVariables | CredentialsFormat::SeparateFields => {
            ("text", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        }
    };
    let missing = |field: &str| CredentialsError::MissingField {
        container,
        field: field.to_owned(),
    };
    let access_key_id = raw.access_key_id.ok_or_else(|| missing(id_name))?;
    let secret_access_key = raw.secret_access_key.ok_or_else(|| missing(secret_name))?;
    check_characters(&access_key_id, "access key ID")?;
    check_characters(&secret_access_key, "secret access key")?;
    if let Some(token) = &raw.session_token {
        check_characters(token, "session token")?;
    }
    let credentials = Credentials::new(
        access_key_id,
        secret_access_key,
        raw.session_token,
        raw.expiration,
    );
    let warnings = warnings_for(&credentials);
    Ok(ParsedCredentials {
        credentials,
        format,
        warnings,
    })
}

/// The warnings that apply to well-formed credentials.
fn warnings_for(creds: &Credentials) -> Vec<CredentialsWarning> {
    let mut warnings = Vec::new();
    let id = creds.access_key_id();
    if creds.is_long_term_key() {
        warnings.push(CredentialsWarning::LongTermKey);
    } else if !creds.is_temporary() {
        if id.starts_with("ASIA") {
            warnings.push(CredentialsWarning::MissingSessionToken);
        } else {
            warnings.push(CredentialsWarning::NoSessionToken);
        }
    }
    if let Some(problem) = access_key_id_problem(id) {
        warnings.push(CredentialsWarning::UnusualAccessKeyId {
            masked: creds.masked_access_key_id(),
            problem,
        });
    }
    if let Some(problem) = secret_problem(creds.secret_access_key()) {
        warnings.push(CredentialsWarning::UnusualSecretAccessKey { problem });
    }
    warnings
}

/// What looks wrong about an access key id, if anything. AWS documents ids
/// as 16–128 characters of `[A-Z0-9]` (`\w` in the IAM API); the ones issued
/// start with `AKIA` (IAM user) or `ASIA` (temporary).
fn access_key_id_problem(id: &str) -> Option<String> {
    let length = id.chars().count();
    if !(16..=128).contains(&length) {
        return Some(format!(
            "it is {length} characters long, while AWS key ids have 16 to 128 (usually 20)"
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("it contains characters other than capital letters and digits".to_owned());
    }
    if !(id.starts_with("AKIA") || id.starts_with("ASIA")) {
        return Some("it starts with neither AKIA nor ASIA".to_owned());
    }
    None
}

/// What looks wrong about a secret access key, if anything (never
/// including the secret). Issued secrets are 40 base64 characters.
fn secret_problem(secret: &str) -> Option<String> {
    let length = secret.chars().count();
    if !secret
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
    {
        return Some("it contains characters other than letters, digits, `+` and `/`".to_owned());
    }
    if length != 40 {
        return Some(format!(
            "it is {length} characters long, while AWS secret keys are usually 40"
        ));
    }
    None
}

/// Refuses values with characters that credentials never contain.
fn check_characters(value: &str, field: &'static str) -> Result<(), CredentialsError> {
    if value.chars().all(|c| c.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(CredentialsError::InvalidCharacters { field })
    }
}

/// Reads the JSON formats.
fn parse_json(text: &str) -> Result<(RawCredentials, CredentialsFormat), CredentialsError> {
    let value: Value = serde_json::from_str(text).map_err(json_error)?;
    let Value::Object(top) = value else {
        return Err(CredentialsError::UnrecognizedJson);
    };
    if let Some(inner) = top.get("Credentials") {
        let Value::Object(inner) = inner else {
            return Err(CredentialsError::WrongType {
                field: "Credentials".to_owned(),
                expected: "an object",
            });
        };
        let raw = read_pascal_case(inner)?;
        return Ok((raw, CredentialsFormat::StsJson));
    }
    if let Some(inner) = top.get("roleCredentials") {
        let Value::Object(inner) = inner else {
            return Err(CredentialsError::WrongType {
                field: "roleCredentials".to_owned(),
                expected: "an object",
            });
        };
        let raw = RawCredentials {
            access_key_id: json_string(inner, "accessKeyId")?,
            secret_access_key: json_string(inner, "secretAccessKey")?,
            session_token: json_string(inner, "sessionToken")?,
            expiration: json_expiration(inner, "expiration", EpochUnit::Millis)?,
        };
        return Ok((raw, CredentialsFormat::SsoJson));
    }
    if top.contains_key("AccessKeyId") || top.contains_key("SecretAccessKey") {
        let raw = read_pascal_case(&top)?;
        return Ok((raw, CredentialsFormat::ProcessJson));
    }
    Err(CredentialsError::UnrecognizedJson)
}

/// Reads `AccessKeyId`, `SecretAccessKey`, `SessionToken` (or `Token`) and
/// `Expiration` from one JSON object.
fn read_pascal_case(object: &Map<String, Value>) -> Result<RawCredentials, CredentialsError> {
    let session_token = match json_string(object, "SessionToken")? {
        Some(token) => Some(token),
        None => json_string(object, "Token")?,
    };
    Ok(RawCredentials {
        access_key_id: json_string(object, "AccessKeyId")?,
        secret_access_key: json_string(object, "SecretAccessKey")?,
        session_token,
        expiration: json_expiration(object, "Expiration", EpochUnit::Seconds)?,
    })
}

/// A trimmed, non-empty string member; absent, `null` and `""` are `None`.
fn json_string(
    object: &Map<String, Value>,
    field: &str,
) -> Result<Option<String>, CredentialsError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(non_empty(s.trim())),
        Some(_) => Err(CredentialsError::WrongType {
            field: field.to_owned(),
            expected: "a string",
        }),
    }
}

/// What a numeric expiration counts.
#[derive(Clone, Copy)]
enum EpochUnit {
    Seconds,
    Millis,
}

/// An expiration member: an RFC 3339 string, or an integer count since the
/// Unix epoch (milliseconds for IAM Identity Center, seconds otherwise).
fn json_expiration(
    object: &Map<String, Value>,
    field: &str,
    unit: EpochUnit,
) -> Result<Option<SystemTime>, CredentialsError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => match s.trim() {
            "" => Ok(None),
            s => parse_timestamp(s).map(Some),
        },
        Some(Value::Number(n)) => {
            let Some(count) = n.as_i64() else {
                return Err(CredentialsError::InvalidExpiration {
                    value: super::json::number_text(n),
                    problem: "a number of seconds must be a whole number".to_owned(),
                });
            };
            let (secs, nanos) = match unit {
                EpochUnit::Seconds => (count, 0),
                EpochUnit::Millis => (
                    count.div_euclid(1000),
                    count.rem_euclid(1000) as u32 * 1_000_000,
                ),
            };
            to_system_time(secs, nanos).map(Some).ok_or_else(|| {
                CredentialsError::InvalidExpiration {
                    value: super::json::number_text(n),
                    problem: "it is out of the supported range".to_owned(),
                }
            })
        }
        Some(_) => Err(CredentialsError::WrongType {
            field: field.to_owned(),
            expected: "a timestamp string",
        }),
    }
}

/// Turns a serde_json error into one that names line and column.
fn json_error(error: serde_json::Error) -> CredentialsError {
    let (line, column) = (error.line(), error.column());
    let full = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let problem = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    let problem = if error.is_eof() {
        format!("{problem} (was the text cut off?)")
    } else {
        problem
    };
    CredentialsError::InvalidJson {
        line,
        column,
        problem,
    }
}

/// Which name a credential line sets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    AccessKeyId,
    Secret,
    Token,
    Expiration,
}

/// Reads environment-variable and credentials-file lines.
fn parse_lines(
    text: &str,
) -> Result<(RawCredentials, CredentialsFormat, Vec<CredentialsWarning>), CredentialsError> {
    let mut raw = RawCredentials::default();
    let mut warnings = Vec::new();
    let mut recognized = false;
    let mut ini = false;
    let mut profile: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            ini = true;
            let name = header.trim().to_owned();
            match &profile {
                Some(used) if recognized => {
                    warnings.push(CredentialsWarning::SeveralProfiles { used: used.clone() });
                    break;
                }
                _ => profile = Some(name),
            }
            continue;
        }
        let Some((name, value)) = split_assignment(line) else {
            continue;
        };
        let (slot, is_ini_name) = match classify_name(name) {
            Some(found) => found,
            None => continue,
        };
        recognized = true;
        ini |= is_ini_name;
        let value = unquote(value);
        match slot {
            Slot::AccessKeyId => raw.access_key_id = non_empty(value),
            Slot::Secret => raw.secret_access_key = non_empty(value),
            Slot::Token => raw.session_token = non_empty(value),
            Slot::Expiration => {
                raw.expiration = match value {
                    "" => None,
                    v => Some(parse_timestamp(v)?),
                }
            }
        }
    }
    if !recognized {
        return Err(CredentialsError::UnrecognizedFormat);
    }
    let format = if ini {
        CredentialsFormat::CredentialsFile
    } else {
        CredentialsFormat::EnvironmentVariables
    };
    Ok((raw, format, warnings))
}

/// Splits one assignment line into name and raw value. Understands
/// `NAME=value`, `name = value`, `export NAME=value`, `set NAME=value`,
/// `set "NAME=value"`, `$Env:NAME = "value"`, `setx NAME value` and fish's
/// `set -gx NAME value`.
fn split_assignment(line: &str) -> Option<(&str, &str)> {
    let mut rest = line;
    let mut space_separated = false;
    if let Some(after) = strip_keyword(rest, "export") {
        rest = after;
    } else if let Some(after) = strip_keyword(rest, "setx") {
        rest = after;
        space_separated = true;
    } else if let Some(after) = strip_keyword(rest, "set") {
        rest = after;
        // fish: set -x / -gx NAME value
        while let Some(flagged) = rest.strip_prefix('-') {
            let end = flagged.find(char::is_whitespace)?;
            rest = flagged[end..].trim_start();
            space_separated = true;
        }
        // cmd.exe: set "NAME=value"
        if let Some(inner) = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            rest = inner;
        }
    } else if let Some(after) = strip_env_prefix(rest) {
        rest = after;
    }
    let name_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(name_end);
    if name.is_empty() {
        return None;
    }
    let after = after.trim_start();
    if let Some(value) = after.strip_prefix('=') {
        return Some((name, value));
    }
    if space_separated && !after.is_empty() {
        return Some((name, after));
    }
    None
}

/// Strips PowerShell's `$Env:` (case-insensitive).
fn strip_env_prefix(line: &str) -> Option<&str> {
    const PREFIX: &str = "$env:";
    let head = line.get(..PREFIX.len())?;
    if head.eq_ignore_ascii_case(PREFIX) {
        line.get(PREFIX.len()..)
    } else {
        None
    }
}

/// Strips a leading shell keyword (case-insensitive) followed by whitespace.
fn strip_keyword<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let head = line.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = line.get(keyword.len()..)?;
    if rest.starts_with(char::is_whitespace) {
        Some(rest.trim_start())
    } else {
        None
    }
}

/// Which credential a variable or credentials-file key sets, and whether the
/// name is credentials-file style (lower case).
fn classify_name(name: &str) -> Option<(Slot, bool)> {
    let slot = match name.to_ascii_uppercase().as_str() {
        "AWS_ACCESS_KEY_ID" => Slot::AccessKeyId,
        "AWS_SECRET_ACCESS_KEY" => Slot::Secret,
        "AWS_SESSION_TOKEN" | "AWS_SECURITY_TOKEN" => Slot::Token,
        "AWS_CREDENTIAL_EXPIRATION" => Slot::Expiration,
        _ => return None,
    };
    let is_ini = name.starts_with("aws_");
    Some((slot, is_ini))
}

/// Removes a trailing `;` and one pair of matching quotes.
fn unquote(value: &str) -> &str {
    let value = value.trim();
    let value = value.strip_suffix(';').map_or(value, str::trim_end);
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner.trim();
        }
    }
    value
}

/// Parses an RFC 3339 timestamp, with `Z` or a numeric offset (a space in
/// place of the `T` is tolerated).
fn parse_timestamp(value: &str) -> Result<SystemTime, CredentialsError> {
    let invalid = |problem: String| CredentialsError::InvalidExpiration {
        value: value.chars().take(64).collect(),
        problem,
    };
    let normalized = match (value.get(..10), value.get(10..11), value.get(11..)) {
        (Some(date), Some(" "), Some(time)) => format!("{date}T{time}"),
        _ => value.to_owned(),
    };
    parse_rfc3339(&normalized, Offsets::Allowed).map_err(invalid)
}

/// An instant in RFC 3339 UTC, e.g. `2026-11-28T21:31:42Z`.
fn format_instant(instant: SystemTime) -> String {
    format_rfc3339(instant).unwrap_or_else(|| {
        format!(
            "{} seconds after 1970-01-01T00:00:00Z",
            epoch_parts(instant).0
        )
    })
}

/// A past duration in words, e.g. `12 minutes ago`.
fn human_ago(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    let (count, unit) = match seconds {
        0..60 => return "just now".to_owned(),
        60..3_600 => (seconds / 60, "minute"),
        3_600..172_800 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural} ago")
}

/// First 4 and last 4 characters around `…`, char-aware.
fn mask(value: &str) -> String {
    let length = value.chars().count();
    match length {
        0 => String::new(),
        1..=8 => value.chars().take(1).chain(['…']).collect(),
        _ => value
            .chars()
            .take(4)
            .chain(['…'])
            .chain(value.chars().skip(length - 4))
            .collect(),
    }
}

/// `Some(owned)` for a non-empty string.
fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;
    use aws_smithy_types::date_time::Format;

    const AKID: &str = "ASIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=abc";

    fn at(rfc3339: &str) -> SystemTime {
        SystemTime::try_from(DateTime::from_str(rfc3339, Format::DateTime).unwrap()).unwrap()
    }

    fn sts_json(expiration: &str) -> String {
        format!(
            r#"{{
    "Credentials": {{
        "AccessKeyId": "{AKID}",
        "SecretAccessKey": "{SECRET}",
        "SessionToken": "{TOKEN}",
        "Expiration": "{expiration}"
    }},
    "AssumedRoleUser": {{
        "AssumedRoleId": "AROA3XFRBF535PLBIFPI4:s3-access-example",
        "Arn": "arn:aws:sts::123456789012:assumed-role/xaccounts3access/s3-access-example"
    }}
}}"#
        )
    }

    fn assert_full(parsed: &ParsedCredentials, format: CredentialsFormat) {
        assert_eq!(parsed.format, format);
        assert_eq!(parsed.credentials.access_key_id(), AKID);
        assert_eq!(parsed.credentials.secret_access_key(), SECRET);
        assert_eq!(parsed.credentials.session_token(), Some(TOKEN));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn sts_assume_role_json_with_offset() {
        let parsed = parse_credentials(&sts_json("2026-11-28T22:31:42+00:00")).unwrap();
        assert_full(&parsed, CredentialsFormat::StsJson);
        assert_eq!(
            parsed.credentials.expiration(),
            Some(at("2026-11-28T22:31:42Z"))
        );
    }

    #[test]
    fn sts_json_with_z_and_other_offset() {
        let parsed = parse_credentials(&sts_json("2026-11-28T22:31:42Z")).unwrap();
        assert_eq!(
            parsed.credentials.expiration(),
            Some(at("2026-11-28T22:31:42Z"))
        );
        let parsed = parse_credentials(&sts_json("2026-11-28T23:31:42+01:00")).unwrap();
        assert_eq!(
            parsed.credentials.expiration(),
            Some(at("2026-11-28T22:31:42Z"))
        );
    }

    #[test]
    fn process_json_from_export_credentials() {
        let text = format!(
            "{{\"Version\": 1, \"AccessKeyId\": \"{AKID}\", \"SecretAccessKey\": \"{SECRET}\", \
             \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"2026-11-28T22:31:42+00:00\"}}"
        );
        let parsed = parse_credentials(&text).unwrap();
        assert_full(&parsed, CredentialsFormat::ProcessJson);
        assert!(parsed.credentials.expiration().is_some());
    }

    #[test]
    fn container_json_with_token_member() {
        let text = format!(
            "{{\"AccessKeyId\": \"{AKID}\", \"SecretAccessKey\": \"{SECRET}\", \
             \"Token\": \"{TOKEN}\", \"Expiration\": \"2026-11-28T22:31:42Z\"}}"
        );
        assert_full(
            &parse_credentials(&text).unwrap(),
            CredentialsFormat::ProcessJson,
        );
    }

    #[test]
    fn sso_role_credentials_json_with_millis() {
        let text = format!(
            "{{\"roleCredentials\": {{\"accessKeyId\": \"{AKID}\", \"secretAccessKey\": \
             \"{SECRET}\", \"sessionToken\": \"{TOKEN}\", \"expiration\": 1795905102000}}}}"
        );
        let parsed = parse_credentials(&text).unwrap();
        assert_full(&parsed, CredentialsFormat::SsoJson);
        assert_eq!(
            parsed.credentials.expiration(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_905_102))
        );
    }

    #[test]
    fn env_export_lines_with_crlf_comments_and_quotes() {
        let text = format!(
            "  # from aws configure export-credentials --format env\r\n\
             export AWS_ACCESS_KEY_ID={AKID}\r\n\
             \r\n\
             export AWS_SECRET_ACCESS_KEY='{SECRET}'\r\n\
             export AWS_SESSION_TOKEN=\"{TOKEN}\"\r\n\
             export AWS_CREDENTIAL_EXPIRATION=2026-11-28T22:31:42+00:00\r\n"
        );
        let parsed = parse_credentials(&text).unwrap();
        assert_full(&parsed, CredentialsFormat::EnvironmentVariables);
        assert_eq!(
            parsed.credentials.expiration(),
            Some(at("2026-11-28T22:31:42Z"))
        );
    }

    #[test]
    fn env_no_export_cmd_and_powershell_forms() {
        let forms = [
            format!(
                "AWS_ACCESS_KEY_ID={AKID}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_SESSION_TOKEN={TOKEN}"
            ),
            format!(
                "SET AWS_ACCESS_KEY_ID={AKID}\nset AWS_SECRET_ACCESS_KEY={SECRET}\nset \"AWS_SESSION_TOKEN={TOKEN}\""
            ),
            format!(
                "$Env:AWS_ACCESS_KEY_ID=\"{AKID}\"\n$env:AWS_SECRET_ACCESS_KEY = \"{SECRET}\";\n$ENV:AWS_SESSION_TOKEN=\"{TOKEN}\""
            ),
            format!(
                "setx AWS_ACCESS_KEY_ID {AKID}\nsetx AWS_SECRET_ACCESS_KEY {SECRET}\nsetx AWS_SESSION_TOKEN \"{TOKEN}\""
            ),
            format!(
                "set -gx AWS_ACCESS_KEY_ID {AKID}\nset -x AWS_SECRET_ACCESS_KEY {SECRET}\nset -x AWS_SESSION_TOKEN {TOKEN}"
            ),
        ];
        for text in forms {
            let parsed = parse_credentials(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_full(&parsed, CredentialsFormat::EnvironmentVariables);
        }
    }

    #[test]
    fn credentials_file_with_profile_header() {
        let text = format!(
            "[123456789012_AdministratorAccess]\n\
             aws_access_key_id = {AKID}\n\
             aws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\n\
             region = us-east-1\n"
        );
        let parsed = parse_credentials(&text).unwrap();
        assert_full(&parsed, CredentialsFormat::CredentialsFile);
        assert_eq!(parsed.credentials.expiration(), None);
    }

    #[test]
    fn several_profiles_uses_the_first_and_warns() {
        let text = format!(
            "[first]\naws_access_key_id={AKID}\naws_secret_access_key={SECRET}\n\
             aws_session_token={TOKEN}\n[second]\naws_access_key_id=ASIAOTHEREXAMPLE0001\n"
        );
        let parsed = parse_credentials(&text).unwrap();
        assert_eq!(parsed.credentials.access_key_id(), AKID);
        assert_eq!(
            parsed.warnings,
            vec![CredentialsWarning::SeveralProfiles {
                used: "first".to_owned()
            }]
        );
    }

    #[test]
    fn separate_fields_trim_and_treat_empty_token_as_none() {
        let parsed = credentials_from_fields(&format!(" {AKID} "), SECRET, "  ").unwrap();
        assert_eq!(parsed.format, CredentialsFormat::SeparateFields);
        assert_eq!(parsed.credentials.access_key_id(), AKID);
        assert_eq!(parsed.credentials.session_token(), None);
        assert!(!parsed.credentials.is_temporary());
        assert_eq!(
            parsed.warnings,
            vec![CredentialsWarning::MissingSessionToken]
        );
        let parsed = credentials_from_fields(AKID, SECRET, TOKEN).unwrap();
        assert!(parsed.credentials.is_temporary());
        assert!(parsed.warnings.is_empty());
        assert_eq!(
            credentials_from_fields("", SECRET, ""),
            Err(CredentialsError::EmptyField {
                field: "access key ID"
            })
        );
        assert_eq!(
            credentials_from_fields(AKID, " ", ""),
            Err(CredentialsError::EmptyField {
                field: "secret access key"
            })
        );
    }

    #[test]
    fn long_term_key_warns_once() {
        let parsed = credentials_from_fields("AKIAIOSFODNN7EXAMPLE", SECRET, "").unwrap();
        assert!(parsed.credentials.is_long_term_key());
        assert_eq!(parsed.warnings, vec![CredentialsWarning::LongTermKey]);
        assert!(
            parsed.warnings[0]
                .to_string()
                .contains("aws sts get-session-token")
        );
    }

    #[test]
    fn unusual_but_plausible_values_warn_without_refusing() {
        let parsed = credentials_from_fields("XYZW0000111122223333", "short+/", TOKEN).unwrap();
        let problems: Vec<String> = parsed
            .warnings
            .iter()
            .map(|warning| match warning {
                CredentialsWarning::UnusualAccessKeyId { problem, .. } => format!("id: {problem}"),
                CredentialsWarning::UnusualSecretAccessKey { problem } => {
                    format!("secret: {problem}")
                }
                other => format!("other: {other}"),
            })
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("id: ") && problems[0].contains("neither AKIA nor ASIA"));
        assert!(problems[1].starts_with("secret: ") && problems[1].contains("7 characters"));
        let parsed = credentials_from_fields("ASIA123", SECRET, TOKEN).unwrap();
        let [CredentialsWarning::UnusualAccessKeyId { problem, .. }] = &parsed.warnings[..] else {
            panic!("{:?}", parsed.warnings);
        };
        assert!(problem.contains("7 characters"), "{problem}");
        // The warning never reveals the secret.
        let parsed = credentials_from_fields(AKID, "not-base64-secret-value", TOKEN).unwrap();
        let text: String = parsed.warnings.iter().map(|w| w.to_string()).collect();
        assert!(text.contains("other than letters"));
        assert!(!text.contains("not-base64"));
    }

    #[test]
    fn no_session_token_warning_for_non_asia_ids() {
        let parsed = parse_credentials(&format!(
            "AWS_ACCESS_KEY_ID=ABCD0000111122223333\nAWS_SECRET_ACCESS_KEY={SECRET}"
        ))
        .unwrap();
        assert_eq!(parsed.warnings[0], CredentialsWarning::NoSessionToken);
    }

    #[test]
    fn empty_input_is_refused() {
        assert_eq!(parse_credentials(""), Err(CredentialsError::Empty));
        assert_eq!(parse_credentials(" \r\n\t "), Err(CredentialsError::Empty));
    }

    #[test]
    fn unrecognized_text_lists_the_accepted_formats() {
        let err = parse_credentials("hello world\nfoo: bar").unwrap_err();
        assert_eq!(err, CredentialsError::UnrecognizedFormat);
        let message = err.to_string();
        assert!(message.contains("aws sts assume-role"));
        assert!(message.contains("export-credentials"));
        assert!(message.contains("aws_access_key_id"));
        assert_eq!(
            parse_credentials("{\"UserId\": \"x\"}"),
            Err(CredentialsError::UnrecognizedJson)
        );
        assert_eq!(
            parse_credentials("{}").unwrap_err(),
            CredentialsError::UnrecognizedJson
        );
    }

    #[test]
    fn json_missing_field_names_it() {
        let text = format!("{{\"Credentials\": {{\"AccessKeyId\": \"{AKID}\"}}}}");
        let err = parse_credentials(&text).unwrap_err();
        assert_eq!(
            err,
            CredentialsError::MissingField {
                container: "JSON",
                field: "SecretAccessKey".to_owned()
            }
        );
        assert!(
            err.to_string()
                .starts_with("The pasted JSON has no `SecretAccessKey`")
        );
        let text = format!("{{\"SecretAccessKey\": \"{SECRET}\"}}");
        assert_eq!(
            parse_credentials(&text),
            Err(CredentialsError::MissingField {
                container: "JSON",
                field: "AccessKeyId".to_owned()
            })
        );
    }

    #[test]
    fn env_missing_variable_names_it() {
        assert_eq!(
            parse_credentials(&format!("export AWS_ACCESS_KEY_ID={AKID}")),
            Err(CredentialsError::MissingField {
                container: "text",
                field: "AWS_SECRET_ACCESS_KEY".to_owned()
            })
        );
        assert_eq!(
            parse_credentials(&format!("aws_secret_access_key = {SECRET}")),
            Err(CredentialsError::MissingField {
                container: "text",
                field: "aws_access_key_id".to_owned()
            })
        );
    }

    #[test]
    fn wrong_json_types_are_named() {
        let text = format!("{{\"AccessKeyId\": 42, \"SecretAccessKey\": \"{SECRET}\"}}");
        assert_eq!(
            parse_credentials(&text),
            Err(CredentialsError::WrongType {
                field: "AccessKeyId".to_owned(),
                expected: "a string"
            })
        );
        assert!(matches!(
            parse_credentials("{\"Credentials\": []}"),
            Err(CredentialsError::WrongType { .. })
        ));
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let text = "{\n  \"Credentials\": {\n    \"AccessKeyId\": \"x\",,\n  }\n}";
        match parse_credentials(text) {
            Err(CredentialsError::InvalidJson { line, column, .. }) => {
                assert_eq!(line, 3);
                assert!(column > 0);
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = parse_credentials("{\"Credentials\": {").unwrap_err();
        assert!(err.to_string().contains("cut off"), "{err}");
    }

    #[test]
    fn invalid_expiration_is_refused() {
        for bad in ["tomorrow", "2026-13-01T00:00:00Z", "2026-11-28T22:31:42"] {
            let err = parse_credentials(&sts_json(bad)).unwrap_err();
            assert!(
                matches!(&err, CredentialsError::InvalidExpiration { value, .. } if value == bad),
                "{bad}: {err:?}"
            );
        }
        let text = format!(
            "AWS_ACCESS_KEY_ID={AKID}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_CREDENTIAL_EXPIRATION=soon"
        );
        assert!(matches!(
            parse_credentials(&text),
            Err(CredentialsError::InvalidExpiration { .. })
        ));
    }

    #[test]
    fn space_separated_timestamp_is_tolerated() {
        let parsed = parse_credentials(&sts_json("2026-11-28 22:31:42+00:00")).unwrap();
        assert_eq!(
            parsed.credentials.expiration(),
            Some(at("2026-11-28T22:31:42Z"))
        );
    }

    #[test]
    fn values_with_inner_whitespace_are_refused() {
        let text = format!(
            "AWS_ACCESS_KEY_ID={AKID}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_SESSION_TOKEN=abc def"
        );
        assert_eq!(
            parse_credentials(&text),
            Err(CredentialsError::InvalidCharacters {
                field: "session token"
            })
        );
        assert_eq!(
            credentials_from_fields("ASIAÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ", SECRET, ""),
            Err(CredentialsError::InvalidCharacters {
                field: "access key ID"
            })
        );
    }

    #[test]
    fn debug_and_display_never_show_secrets() {
        let creds = Credentials::new(
            AKID,
            SECRET,
            Some(TOKEN.to_owned()),
            Some(at("2026-11-28T22:31:42Z")),
        );
        for text in [
            format!("{creds:?}"),
            format!("{creds:#?}"),
            creds.to_string(),
        ] {
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains(TOKEN), "{text}");
            assert!(!text.contains(AKID), "{text}");
            assert!(text.contains("ASIA…MPLE"), "{text}");
            assert!(text.contains("secret: <redacted>"), "{text}");
            assert!(text.contains("2026-11-28T22:31:42Z"), "{text}");
        }
        let parsed = parse_credentials(&sts_json("2026-11-28T22:31:42Z")).unwrap();
        let text = format!("{parsed:?}");
        assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
    }

    #[test]
    fn masking_is_char_aware() {
        let creds = |id: &str| Credentials::new(id, SECRET, None, None);
        assert_eq!(creds(AKID).masked_access_key_id(), "ASIA…MPLE");
        assert_eq!(creds("ÄÖÜßéèêëxyz").masked_access_key_id(), "ÄÖÜß…ëxyz");
        assert_eq!(creds("ABCDEFGH").masked_access_key_id(), "A…");
        assert_eq!(creds("").masked_access_key_id(), "");
    }

    #[test]
    fn expiry_queries() {
        let expiration = at("2026-11-28T22:31:42Z");
        let creds = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()), Some(expiration));
        let before = expiration - Duration::from_secs(600);
        assert_eq!(creds.expires_in(before), Some(Duration::from_secs(600)));
        assert!(!creds.is_expired(before));
        assert!(creds.is_expired(expiration));
        assert_eq!(
            creds.expires_in(expiration + Duration::from_secs(5)),
            Some(Duration::ZERO)
        );
        let forever = Credentials::new(AKID, SECRET, None, None);
        assert_eq!(forever.expires_in(before), None);
        assert!(!forever.is_expired(before));
    }

    #[test]
    fn check_usable_refuses_expired_with_time_and_age() {
        let expiration = at("2026-11-28T21:31:42Z");
        let creds = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()), Some(expiration));
        assert_eq!(
            check_usable(&creds, expiration - Duration::from_secs(1)),
            Ok(())
        );
        let err = check_usable(&creds, expiration + Duration::from_secs(12 * 60 + 5)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "These credentials expired at 2026-11-28T21:31:42Z (12 minutes ago). Get new ones \
             (e.g. `aws sts assume-role …` or `aws sts get-session-token`) and paste them again."
        );
        let err = check_usable(&creds, expiration + Duration::from_secs(3 * 3600)).unwrap_err();
        assert!(err.to_string().contains("(3 hours ago)"), "{err}");
        let err = check_usable(&creds, expiration + Duration::from_secs(60)).unwrap_err();
        assert!(err.to_string().contains("(1 minute ago)"), "{err}");
        let err = check_usable(&creds, expiration).unwrap_err();
        assert!(err.to_string().contains("(just now)"), "{err}");
        let err = check_usable(&creds, expiration + Duration::from_secs(5 * 86_400)).unwrap_err();
        assert!(err.to_string().contains("(5 days ago)"), "{err}");
        let no_expiry = Credentials::new(AKID, SECRET, None, None);
        assert_eq!(check_usable(&no_expiry, expiration), Ok(()));
    }

    #[test]
    fn converts_to_signer_credentials() {
        let expiration = at("2026-11-28T22:31:42Z");
        let creds = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()), Some(expiration));
        let aws = creds.to_aws_credentials();
        assert_eq!(aws.access_key_id(), AKID);
        assert_eq!(aws.secret_access_key(), SECRET);
        assert_eq!(aws.session_token(), Some(TOKEN));
        assert_eq!(aws.expiry(), Some(expiration));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let inputs = [
            "{",
            "[1,2]",
            "\"str\"",
            "é",
            "$Env:",
            "$Envé",
            "set",
            "set -",
            "set -x",
            "setx AWS_ACCESS_KEY_ID",
            "export =",
            "=",
            "[",
            "[]",
            "AWS_ACCESS_KEY_ID=\"",
            "AWS_ACCESS_KEY_ID='",
            "AWS_CREDENTIAL_EXPIRATION=2026-11-28é22:31:42Z",
            "AWS_CREDENTIAL_EXPIRATION=2026-11-2é 22:31:42Z",
            "{\"Expiration\": 1e300, \"AccessKeyId\": \"x\"}",
            "{\"Expiration\": 9223372036854775807, \"AccessKeyId\": \"x\", \"SecretAccessKey\": \"y\"}",
            "{\"roleCredentials\": {\"expiration\": -9223372036854775808}}",
        ];
        for input in inputs {
            let _ = parse_credentials(input);
        }
        assert!(matches!(
            parse_credentials("{\"Expiration\": 1e300, \"AccessKeyId\": \"x\"}"),
            Err(CredentialsError::InvalidExpiration { .. })
        ));
    }
}
