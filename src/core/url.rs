//! An absolute URL split at its parts (RFC 3986 §3: scheme, authority,
//! path-query-fragment), for the places that need one part of a URL the
//! console built or checked already. No validation here: see
//! [`super::endpoint`] for what an endpoint URL must be.

/// The parts of an absolute URL, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlSplit<'a> {
    /// `https` (empty when the text has no `://`).
    pub scheme: &'a str,
    /// `host[:port]` (with user info, if the text has any).
    pub authority: &'a str,
    /// Everything from the first `/`, `?` or `#` after the authority (empty
    /// when there is none).
    pub rest: &'a str,
}

/// Splits `url` at its scheme, authority and the rest.
pub fn split(url: &str) -> UrlSplit<'_> {
    let (scheme, after) = url.split_once("://").unwrap_or(("", url));
    let at = after.find(['/', '?', '#']).unwrap_or(after.len());
    UrlSplit {
        scheme,
        authority: &after[..at],
        rest: &after[at..],
    }
}

/// The host of an authority, lower case, without the port (an IPv6 host
/// keeps its brackets).
pub fn host_without_port(authority: &str) -> String {
    let host = if authority.starts_with('[') {
        authority
            .find(']')
            .map_or(authority, |end| &authority[..=end])
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_at_scheme_authority_and_the_rest() {
        let s = split("https://Host.example:8443/runtimes/a%2Fb/?x=1");
        assert_eq!(
            (s.scheme, s.authority, s.rest),
            ("https", "Host.example:8443", "/runtimes/a%2Fb/?x=1")
        );
        let s = split("http://127.0.0.1:4566?x=1");
        assert_eq!((s.authority, s.rest), ("127.0.0.1:4566", "?x=1"));
        assert_eq!(split("https://h").rest, "");
        assert_eq!(host_without_port("Host.example:8443"), "host.example");
        assert_eq!(host_without_port("[::1]:4566"), "[::1]");
    }
}
