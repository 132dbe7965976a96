//! The JSON formats: STS `Credentials`, `credential_process` /
//! `export-credentials`, IAM Identity Center `roleCredentials`.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::CredentialsError;
use super::expiry::parse_timestamp;
use super::parse::{CredentialsFormat, RawCredentials, non_empty};
use crate::core::timestamp::to_system_time;

/// Reads the JSON formats.
pub(super) fn parse_json(
    text: &str,
) -> Result<(RawCredentials, CredentialsFormat), CredentialsError> {
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
                    value: crate::core::json::number_text(n),
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
                    value: crate::core::json::number_text(n),
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
