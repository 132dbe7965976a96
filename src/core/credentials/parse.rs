//! Reading credentials from pasted text or separate fields: which format
//! it is, then one check of the values found.

use std::fmt;
use std::time::SystemTime;

use super::checks::{check_characters, warnings_for};
use super::json::parse_json;
use super::lines::parse_lines;
use super::{Credentials, CredentialsError, CredentialsWarning};

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
    /// Role credentials from "Sign in with IAM Identity Center".
    SignIn,
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
            Self::SignIn => "IAM Identity Center sign-in",
        })
    }
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

/// Values collected before validation; names match the AWS fields.
#[derive(Default)]
pub(super) struct RawCredentials {
    pub(super) access_key_id: Option<String>,
    pub(super) secret_access_key: Option<String>,
    pub(super) session_token: Option<String>,
    pub(super) expiration: Option<SystemTime>,
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
        CredentialsFormat::SsoJson | CredentialsFormat::SignIn => {
            ("JSON", "accessKeyId", "secretAccessKey")
        }
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

/// `Some(owned)` for a non-empty string.
pub(super) fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}
