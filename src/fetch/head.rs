//! How Chromium reads a response head beyond the CORS headers: which
//! `Location` a redirect follows, and which repeated headers make the
//! response a network error (net/http/http_response_headers.cc `IsRedirect`,
//! net/http/http_stream_parser.cc `HeadersContainMultipleCopiesOfField`).
//!
//! Header values arrive as Latin-1 strings, one char per byte, as Node's
//! parser gives them.

use super::{ObservedResponse, Problem, Severity};
use crate::finding::shorten_line;

/// Several values of `Location`, `Content-Disposition`, or (without chunked
/// transfer coding) `Content-Length` that differ: Chromium fails the fetch.
pub const CONFLICTING_RESPONSE_HEADERS: &str = "CONFLICTING_RESPONSE_HEADERS";

/// HTTP whitespace trimmed as Chromium trims a value (SP and HT).
fn trim_value(v: &str) -> &str {
    v.trim_matches(|c| c == ' ' || c == '\t')
}

fn values<'a>(resp: &'a ObservedResponse, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    resp.headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| trim_value(v))
}

/// Whether the response is chunked (`Transfer-Encoding` lists `chunked`).
fn is_chunked(resp: &ObservedResponse) -> bool {
    values(resp, "transfer-encoding")
        .flat_map(|v| v.split(','))
        .any(|t| trim_value(t).eq_ignore_ascii_case("chunked"))
}

/// The header a response repeats with different values, which makes
/// Chromium fail it (`ERR_RESPONSE_HEADERS_MULTIPLE_*`), if any.
pub fn conflicting_header(resp: &ObservedResponse) -> Option<&'static str> {
    let chunked = is_chunked(resp);
    ["Content-Length", "Content-Disposition", "Location"]
        .into_iter()
        .filter(|name| *name != "Content-Length" || !chunked)
        .find(|name| {
            let mut all = values(resp, name);
            all.next()
                .is_some_and(|first| all.any(|other| other != first))
        })
}

/// The problem for [`conflicting_header`].
pub fn conflicting_header_problem(name: &str, resp: &ObservedResponse) -> Problem {
    let shown: Vec<String> = values(resp, name)
        .map(|v| format!("'{}'", shorten_line(v, 60)))
        .collect();
    let chromium = match name {
        "Location" => "ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION",
        "Content-Length" => "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH",
        _ => "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION",
    };
    Problem {
        code: CONFLICTING_RESPONSE_HEADERS,
        severity: Severity::Error,
        message: format!(
            "The response (status {}) has {} {name} headers with different values ({}): a browser fails it as a possible response-splitting attack ({chromium}, a network error).",
            resp.status,
            shown.len(),
            shown.join(", ")
        ),
        fix: format!("send one {name} header"),
    }
}

/// The `Location` a redirect follows: the first non-empty value (a 3xx with
/// none is not a redirect but the response), its bytes read as UTF-8 (a
/// byte sequence that is not UTF-8 becomes U+FFFD), as Chromium does before
/// resolving it against the request URL.
pub fn redirect_location(resp: &ObservedResponse) -> Option<String> {
    let raw = values(resp, "location").find(|v| !v.is_empty())?;
    let bytes: Option<Vec<u8>> = raw
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    Some(match bytes {
        Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        // Not a Latin-1 string: already decoded text.
        None => raw.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)]) -> ObservedResponse {
        ObservedResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn the_first_non_empty_location_is_followed() {
        assert_eq!(redirect_location(&resp(302, &[])), None);
        assert_eq!(redirect_location(&resp(302, &[("Location", "")])), None);
        assert_eq!(redirect_location(&resp(302, &[("Location", " \t ")])), None);
        assert_eq!(
            redirect_location(&resp(302, &[("location", ""), ("Location", " /a ")])).as_deref(),
            Some("/a")
        );
        // Raw UTF-8 bytes, received as Latin-1 chars.
        assert_eq!(
            redirect_location(&resp(302, &[("Location", "/caf\u{c3}\u{a9}")])).as_deref(),
            Some("/caf\u{e9}")
        );
        assert_eq!(
            redirect_location(&resp(302, &[("Location", "/\u{e9}")])).as_deref(),
            Some("/\u{fffd}")
        );
    }

    #[test]
    fn repeated_headers_with_different_values_fail() {
        let two = resp(302, &[("Location", "/a"), ("Location", "/b")]);
        assert_eq!(conflicting_header(&two), Some("Location"));
        let same = resp(302, &[("Location", "/a"), ("Location", " /a")]);
        assert_eq!(conflicting_header(&same), None);
        let lengths = resp(200, &[("Content-Length", "1"), ("Content-Length", "2")]);
        assert_eq!(conflicting_header(&lengths), Some("Content-Length"));
        let chunked = resp(
            200,
            &[
                ("Transfer-Encoding", "chunked"),
                ("Content-Length", "1"),
                ("Content-Length", "2"),
            ],
        );
        assert_eq!(conflicting_header(&chunked), None);
        let p = conflicting_header_problem("Location", &two);
        assert!(p.message.contains("'/a', '/b'"), "{}", p.message);
    }
}
