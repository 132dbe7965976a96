//! The start URL of an IAM Identity Center access portal, as users paste it
//! (`https://d-1234567890.awsapps.com/start`, often with the `#/` the
//! portal's address bar shows): an absolute `https://` URL, or plain
//! `http://` for this computer only (a local emulator). The URL is not
//! fetched: StartDeviceAuthorization names it, and IAM Identity Center says
//! whether it is one of its portals.

use std::fmt;

use crate::core::endpoint::{check_base_url, is_loopback_host};
use crate::core::url::{host_without_port, split};

/// Why a start URL cannot be used, as the page says it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartUrlError {
    /// Nothing was entered.
    #[error(
        "Enter your AWS access portal URL, e.g. https://d-1234567890.awsapps.com/start (IAM \
         Identity Center shows it in its settings, as the AWS access portal URL)."
    )]
    Empty,
    /// Plain `http://` to another computer.
    #[error(
        "The start URL `{0}` uses plain http:// for a host that is not this computer: use \
         https:// (plain http:// is only for localhost, 127.0.0.1 or [::1])."
    )]
    PlainHttp(String),
    /// Not an absolute http(s) URL.
    #[error(
        "The start URL `{url}` {problem}. It looks like https://d-1234567890.awsapps.com/start."
    )]
    Invalid {
        /// The URL as given (at most 200 characters of it).
        url: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// A checked start URL.
#[derive(Clone, PartialEq, Eq)]
pub struct StartUrl(String);

impl StartUrl {
    /// The URL as StartDeviceAuthorization sends it (trimmed, without a
    /// trailing `#` or `#/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for StartUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StartUrl({})", self.0)
    }
}

impl fmt::Display for StartUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a start URL as typed.
pub fn parse_start_url(raw: &str) -> Result<StartUrl, StartUrlError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(StartUrlError::Empty);
    }
    let shown: String = trimmed.chars().take(200).collect();
    // the portal's address bar adds `#/`; it is not part of the start URL
    let url = trimmed
        .strip_suffix("#/")
        .or_else(|| trimmed.strip_suffix('#'))
        .unwrap_or(trimmed);
    let parts = split(url);
    if parts.scheme.eq_ignore_ascii_case("http")
        && !is_loopback_host(&host_without_port(parts.authority))
    {
        return Err(StartUrlError::PlainHttp(shown));
    }
    check_base_url(url).map_err(|problem| StartUrlError::Invalid {
        url: shown,
        problem,
    })?;
    Ok(StartUrl(url.to_owned()))
}
