//! Expiration: reading the instant, refusing expired credentials, and the
//! words for when (`2026-11-28T21:31:42Z`, `12 minutes ago`).

use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError};
use crate::core::text::plural;
use crate::core::timestamp::{Offsets, epoch_parts, format_rfc3339, parse_rfc3339};

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

/// Parses an RFC 3339 timestamp, with `Z` or a numeric offset (a space in
/// place of the `T` is tolerated).
pub(super) fn parse_timestamp(value: &str) -> Result<SystemTime, CredentialsError> {
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
pub(super) fn format_instant(instant: SystemTime) -> String {
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
    let (count, one, many) = match seconds {
        0..60 => return "just now".to_owned(),
        60..3_600 => (seconds / 60, "minute", "minutes"),
        3_600..172_800 => (seconds / 3_600, "hour", "hours"),
        _ => (seconds / 86_400, "day", "days"),
    };
    format!("{count} {} ago", plural(count, one, many))
}
