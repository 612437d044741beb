//! The browser's side of CORS, after the Fetch Standard (and Chromium where
//! the two part): whether a request needs a preflight and what the browser
//! sends in it (`safelist`), the CORS check and the preflight checks
//! (`check`), and the whole fetch a page's `fetch()` makes, preflights and
//! redirects included (`flow`).
//!
//! This is the single implementation behind `explain()` and the
//! `rust-cors check` command. It never panics on input: every string may be
//! empty, huge or odd.
//!
//! Reporting: every problem found is reported, in a stable order, each with a
//! stable `code`, a one-line message phrased like a browser console, and a
//! fix. Two deliberate simplifications:
//! - when a preflight response carries no `Access-Control-Allow-*` header at
//!   all, only `NO_CORS_HEADERS_ON_PREFLIGHT` (and `PREFLIGHT_NOT_OK`, if the
//!   status is not 2xx) are reported: the origin, method and header problems
//!   all follow from nothing answering the preflight;
//! - `MISSING_VARY_ORIGIN` is checked on actual responses only (HTTP caches do
//!   not store `OPTIONS` responses, and a browser's preflight cache is keyed
//!   by origin).

mod check;
mod flow;
mod head;
mod safelist;
mod serialize;

pub use crate::finding::{Finding as Problem, Severity};
pub use check::*;
pub use flow::*;
pub use head::*;
pub use safelist::*;
pub use serialize::*;

/// The preflight response has no `Access-Control-Allow-*` header at all.
pub const NO_CORS_HEADERS_ON_PREFLIGHT: &str = "NO_CORS_HEADERS_ON_PREFLIGHT";
/// The preflight response status is not 200–299.
pub const PREFLIGHT_NOT_OK: &str = "PREFLIGHT_NOT_OK";
/// `Access-Control-Allow-Origin` is missing or not the request's origin.
pub const ORIGIN_NOT_ALLOWED: &str = "ORIGIN_NOT_ALLOWED";
/// `Access-Control-Allow-Origin: *` on a request with credentials.
pub const WILDCARD_WITH_CREDENTIALS: &str = "WILDCARD_WITH_CREDENTIALS";
/// Credentials were sent but `Access-Control-Allow-Credentials` is not `true`.
pub const CREDENTIALS_NOT_ALLOWED: &str = "CREDENTIALS_NOT_ALLOWED";
/// The request's method is not allowed by `Access-Control-Allow-Methods`.
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
/// A request header is not allowed by `Access-Control-Allow-Headers`.
pub const HEADER_NOT_ALLOWED: &str = "HEADER_NOT_ALLOWED";
/// Several `Access-Control-Allow-Origin` values (repeated header or a list).
pub const MULTIPLE_ALLOW_ORIGIN: &str = "MULTIPLE_ALLOW_ORIGIN";
/// Warning: a specific `Access-Control-Allow-Origin` without `Vary: Origin`.
pub const MISSING_VARY_ORIGIN: &str = "MISSING_VARY_ORIGIN";
/// `Access-Control-Allow-Methods` is not a list of tokens (network error).
pub const INVALID_ALLOW_METHODS: &str = "INVALID_ALLOW_METHODS";
/// `Access-Control-Allow-Headers` is not a list of tokens (network error).
pub const INVALID_ALLOW_HEADERS: &str = "INVALID_ALLOW_HEADERS";
/// The preflight was answered with a redirect: a browser never follows one.
pub const PREFLIGHT_REDIRECT: &str = "PREFLIGHT_REDIRECT";
/// After a redirect to another origin the browser sends `Origin: null` (a
/// tainted origin), and `Access-Control-Allow-Origin` names the page's origin.
pub const REDIRECT_TAINTED_ORIGIN: &str = "REDIRECT_TAINTED_ORIGIN";
/// More than 20 redirects (network error).
pub const REDIRECT_LIMIT: &str = "REDIRECT_LIMIT";
/// A redirect to a URL with `user:password@` the browser refuses (network error).
pub const REDIRECT_WITH_CREDENTIALS: &str = "REDIRECT_WITH_CREDENTIALS";
/// A redirect to a URL that is not http(s), or that cannot be parsed
/// (network error).
pub const REDIRECT_INVALID_LOCATION: &str = "REDIRECT_INVALID_LOCATION";

/// A request as a page's script would make it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserRequest {
    /// The serialised origin of the page (`https://app.example.com`, `null`).
    pub origin: String,
    /// The method as the script wrote it (`patch` stays `patch`).
    pub method: String,
    /// Author request headers: (name, value).
    pub headers: Vec<(String, String)>,
    /// Credentials mode "include" (cookies, HTTP auth, client certificates).
    pub credentials: bool,
}

/// A response as received: status and raw header pairs, in order; a name may
/// repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

/// What a browser sends as its preflight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightPlan {
    /// `Access-Control-Request-Method`: the normalised method.
    pub method: String,
    /// `Access-Control-Request-Headers`: the CORS-unsafe request header names,
    /// lower-cased, sorted, de-duplicated, joined by `,`; `None` if there are
    /// none.
    pub request_headers: Option<String>,
}

/// Why the request's origin is serialised as `null`: the first redirect that
/// tainted it (from a URL of one origin to another, neither the page's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub from: String,
    pub to: String,
}

/// Whether a browser would let the request through: no `Error` problem.
pub fn allowed(problems: &[Problem]) -> bool {
    !problems.iter().any(|p| p.severity == Severity::Error)
}

#[cfg(test)]
pub(crate) mod test_support {
    pub use super::*;

    pub const ORIGIN: &str = "https://app.example.com";

    pub fn req(method: &str, headers: &[(&str, &str)], credentials: bool) -> BrowserRequest {
        BrowserRequest {
            origin: ORIGIN.to_string(),
            method: method.to_string(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            credentials,
        }
    }

    pub fn resp(status: u16, headers: &[(&str, &str)]) -> ObservedResponse {
        ObservedResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    pub fn codes(problems: &[Problem]) -> Vec<&'static str> {
        problems.iter().map(|p| p.code).collect()
    }
}
