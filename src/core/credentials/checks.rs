//! What AWS-issued credentials look like: the warnings for unusual ones,
//! and the characters credentials never contain.

use super::{Credentials, CredentialsError, CredentialsWarning};

/// The warnings that apply to well-formed credentials.
pub(super) fn warnings_for(creds: &Credentials) -> Vec<CredentialsWarning> {
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
pub(super) fn check_characters(value: &str, field: &'static str) -> Result<(), CredentialsError> {
    if value.chars().all(|c| c.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(CredentialsError::InvalidCharacters { field })
    }
}
