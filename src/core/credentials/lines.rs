//! The line formats: environment variable assignments (POSIX shell,
//! cmd.exe, PowerShell, fish) and the shared credentials file (INI).

use super::expiry::parse_timestamp;
use super::parse::{CredentialsFormat, RawCredentials, non_empty};
use super::{CredentialsError, CredentialsWarning};

/// Which name a credential line sets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    AccessKeyId,
    Secret,
    Token,
    Expiration,
}

/// Reads environment-variable and credentials-file lines.
pub(super) fn parse_lines(
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
