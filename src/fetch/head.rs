//! How Chromium reads a response head beyond the CORS headers: which
//! `Location` a redirect follows, and which repeated headers make the
//! response a network error (net/http/http_response_headers.cc `IsRedirect`,
//! net/http/http_stream_parser.cc `HeadersContainMultipleCopiesOfField`).
//!
//! Header values arrive as Latin-1 strings, one char per byte, as Node's
//! parser gives them.

use super::{ObservedResponse, Problem};
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
    Problem::error(
        CONFLICTING_RESPONSE_HEADERS,
        format!(
            "The response (status {}) has {} {name} headers with different values ({}): a browser fails it as a possible response-splitting attack ({chromium}, a network error).",
            resp.status,
            shown.len(),
            shown.join(", ")
        ),
        format!("send one {name} header"),
    )
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

/// A response head as Chromium reads it (net/http/http_util.cc
/// `AssembleRawHeaders`, http_response_headers.cc `ParseStatusLine` and
/// `HeadersIterator`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: u16,
    pub status_text: String,
    /// `1.1`, `1.0` ...
    pub version: String,
    pub headers: Vec<(String, String)>,
}

/// Why a head is not HTTP/1.x to Chromium.
pub const INVALID_HTTP_RESPONSE: &str = "INVALID_HTTP_RESPONSE";

/// The length of a response head in `buf` (through its empty line) as
/// Chromium finds it: lines end with LF or CRLF. `None` while incomplete.
pub fn head_length(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(at) = buf.get(i..)?.iter().position(|&b| b == b'\n') {
        let end = i + at + 1;
        match buf.get(end..) {
            Some([b'\n', ..]) => return Some(end + 1),
            Some([b'\r', b'\n', ..]) => return Some(end + 2),
            _ => i = end,
        }
    }
    None
}

fn is_lws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_lws(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_lws(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|&b| !is_lws(b)).map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Parses a response head (bytes up to and including its empty line, or
/// all that arrived before the connection closed) as Chromium does: up to
/// 4 bytes before a case-insensitive `HTTP`, LF or CRLF line ends, the
/// status code as the digits after the version, obs-fold lines joined to
/// the header before, `Name : value` trimmed, lines without a colon or with
/// a name that is not a token skipped, values kept as they are otherwise.
pub fn parse_head(buf: &[u8]) -> Result<ResponseHead, String> {
    let start = (0..=4.min(buf.len().saturating_sub(4)))
        .find(|&i| buf.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"http")))
        .ok_or_else(|| {
            "the response does not start with an HTTP/1.x status line (Chromium: ERR_INVALID_HTTP_RESPONSE)"
                .to_string()
        })?;
    let text = &buf[start..];
    let mut lines = text
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status_line = lines.next().unwrap_or_default();
    // "HTTP/1.1": the version after the slash, when there is one.
    let after_http = &status_line[4..];
    let version_end = after_http
        .iter()
        .position(|&b| b == b' ')
        .unwrap_or(after_http.len());
    let version = match after_http[..version_end] {
        [b'/', major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit() => {
            format!("{}.{}", char::from(major), char::from(minor))
        }
        _ => "1.0".to_string(),
    };
    let rest = &after_http[version_end..];
    let rest = &rest[rest.iter().position(|&b| b != b' ').unwrap_or(rest.len())..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (status, status_text) = if digits == 0 {
        (200, "OK".to_string())
    } else {
        let code = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(u32::MAX);
        let status = u16::try_from(code)
            .ok()
            .filter(|c| *c >= 100)
            .ok_or_else(|| {
                format!(
                    "the status code {} is not 100 to 65535 (Chromium: ERR_INVALID_HTTP_RESPONSE)",
                    shorten_line(&latin1(&rest[..digits]), 20)
                )
            })?;
        (status, latin1(trim_lws(&rest[digits..])))
    };
    // Header lines, obs-fold continuations joined with one space.
    let mut joined: Vec<Vec<u8>> = Vec::new();
    let mut continuable = false;
    for line in lines {
        if line.is_empty() {
            break;
        }
        if is_lws(line[0]) && continuable {
            if let Some(last) = joined.last_mut() {
                last.push(b' ');
                last.extend_from_slice(trim_lws(line));
            }
            continue;
        }
        continuable = line
            .iter()
            .position(|&b| b == b':')
            .is_some_and(|colon| !trim_lws(&line[..colon]).is_empty());
        joined.push(line.to_vec());
    }
    let headers = joined
        .iter()
        .filter_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            let name = &line[..colon];
            if name.first().is_none_or(|&b| is_lws(b)) {
                return None;
            }
            let name = trim_lws(name);
            is_token(name).then(|| (latin1(name), latin1(trim_lws(&line[colon + 1..]))))
        })
        .collect();
    Ok(ResponseHead {
        status,
        status_text,
        version,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::test_support::resp;

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
    fn heads_are_read_as_chromium_reads_them() {
        let h = parse_head(b"HTTP/1.1 200 OK\r\nA: 1\r\n\r\n").expect("valid");
        assert_eq!(
            (h.status, h.status_text.as_str(), h.version.as_str()),
            (200, "OK", "1.1")
        );
        assert_eq!(h.headers, vec![("A".to_string(), "1".to_string())]);
        // Bare LF, lower-case version, leading junk, a space before the colon,
        // obs-fold, a line without a colon, a control character in a value.
        let h = parse_head(b"  http/1.1 204 No\nX-A : 1\nX-B: a\n  b\nnonsense\nX-C: a\x01b\n\n")
            .expect("valid");
        assert_eq!(h.status, 204);
        assert_eq!(
            h.headers,
            vec![
                ("X-A".to_string(), "1".to_string()),
                ("X-B".to_string(), "a b".to_string()),
                ("X-C".to_string(), "a\u{1}b".to_string()),
            ]
        );
        // Chromium reads a 4-digit status as it is.
        assert_eq!(
            parse_head(b"HTTP/1.1 2000 OK\r\n\r\n").map(|h| h.status),
            Ok(2000)
        );
        assert!(parse_head(b"HTTP/1.1 99999 OK\r\n\r\n").is_err());
        assert!(parse_head(b"hello").is_err());
        assert_eq!(parse_head(b"HTTP/1.0\r\n\r\n").map(|h| h.status), Ok(200));
        assert_eq!(
            head_length(b"HTTP/1.1 200 OK\r\nA: 1\r\n\r\nbody"),
            Some(25)
        );
        assert_eq!(head_length(b"HTTP/1.1 200 OK\nA: 1\n\nbody"), Some(22));
        assert_eq!(head_length(b"HTTP/1.1 200 OK\r\nA: 1\r\n"), None);
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
