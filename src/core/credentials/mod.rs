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
//!
//! By concern: `parse` tells the format apart and checks the values once;
//! `json` and `lines` read the formats; `checks` knows what issued keys look
//! like; `expiry` reads, refuses and words expiration instants; `error`
//! holds what the user is told.

mod checks;
mod error;
mod expiry;
mod json;
mod lines;
mod parse;

use std::fmt;
use std::time::{Duration, SystemTime};

pub use error::{CredentialsError, CredentialsWarning};
pub use expiry::check_usable;
use expiry::format_instant;
pub use parse::{CredentialsFormat, ParsedCredentials, credentials_from_fields, parse_credentials};

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
