//! The little of URL parsing the flow needs: the origin of an absolute URL
//! and whether it carries credentials.

/// What the flow knows about an absolute URL (as a WHATWG URL parser
/// serialises it: lower-case scheme and host, no default port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UrlParts {
    pub(super) href: String,
    pub(super) is_http: bool,
    pub(super) has_credentials: bool,
    /// `scheme://host[:port]`, or `null` for a URL without an authority.
    pub(super) origin: String,
}

pub(super) fn parse_url(href: &str) -> UrlParts {
    let scheme_end = href.find(':').unwrap_or(0);
    let scheme = href[..scheme_end].to_ascii_lowercase();
    let is_http = scheme == "http" || scheme == "https";
    let (origin, has_credentials) = match href.get(scheme_end..).and_then(|r| r.strip_prefix("://"))
    {
        Some(rest) if is_http => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..end];
            let (userinfo, host) = match authority.rfind('@') {
                Some(at) => (&authority[..at], &authority[at + 1..]),
                None => ("", authority),
            };
            (format!("{scheme}://{host}"), !userinfo.is_empty())
        }
        _ => ("null".to_string(), false),
    };
    UrlParts {
        href: href.to_string(),
        is_http,
        has_credentials,
        origin,
    }
}

/// Same origin, where an opaque origin (`null`) is never same origin.
pub(super) fn same_origin(a: &str, b: &str) -> bool {
    a == b && a != "null"
}
