//! Whether a browser sends a preflight, and what it carries: the Fetch
//! Standard's safelists (methods, request headers) and forbidden headers, with
//! Chromium's additions (client hints).

use super::{BrowserRequest, PreflightPlan};
use crate::headers::{is_tchar, trim_http_whitespace};

/// Normalises a method the way the Fetch Standard does: `DELETE`, `GET`,
/// `HEAD`, `OPTIONS`, `POST` and `PUT` are matched byte-case-insensitively and
/// upper-cased; any other method (including `patch`) is kept as written.
pub fn normalize_method(method: &str) -> String {
    const STANDARD: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    match STANDARD.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(m) => (*m).to_string(),
        None => method.to_string(),
    }
}

/// `CONNECT`, `TRACE` or `TRACK`, in any case: `fetch()` throws before
/// sending anything (Fetch "forbidden method").
pub fn is_forbidden_method(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// `GET`, `HEAD` or `POST` (compare after [`normalize_method`]).
pub fn is_cors_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// A header that a script cannot set: browsers drop it silently from the
/// author request headers (Fetch "forbidden request-header").
pub fn is_forbidden_request_header(name: &str, value: &str) -> bool {
    const NAMES: [&str; 21] = [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    if NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return true;
    }
    let starts_with_ci = |prefix: &str| {
        name.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if starts_with_ci("proxy-") || starts_with_ci("sec-") {
        return true;
    }
    const OVERRIDES: [&str; 3] = [
        "x-http-method",
        "x-http-method-override",
        "x-method-override",
    ];
    if OVERRIDES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return value.split(',').any(|m| {
            let m = trim_http_whitespace(m);
            ["CONNECT", "TRACE", "TRACK"]
                .iter()
                .any(|f| f.eq_ignore_ascii_case(m))
        });
    }
    false
}

/// A byte a CORS-safelisted `accept` / `content-type` value may not contain.
fn is_cors_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != 0x09)
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7F
        )
}

/// A byte allowed in a CORS-safelisted `accept-language` / `content-language`.
fn is_language_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
}

/// The value as Latin-1 bytes, or `None` if it has a character above U+00FF
/// (not a byte string, so no browser could send it).
fn latin1(value: &str) -> Option<Vec<u8>> {
    value
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

/// Latin-1 length of a value (characters, each one byte on the wire).
fn wire_len(value: &str) -> usize {
    value.chars().count()
}

/// The Fetch Standard's "CORS-safelisted request-header" (name, value), with
/// the names Chromium adds: `Intervention` and the legacy client hints
/// (`Device-Memory`, `DPR`, `Downlink`, `Width`, `Viewport-Width`, `RTT`,
/// `ECT`, `Save-Data`) when their values are well-formed. The value should
/// already be trimmed of HTTP whitespace.
pub fn is_cors_safelisted_request_header(name: &str, value: &str) -> bool {
    if wire_len(value) > 128 {
        return false;
    }
    let Some(bytes) = latin1(value) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "accept" => !bytes.iter().any(|&b| is_cors_unsafe_byte(b)),
        "accept-language" | "content-language" => bytes.iter().all(|&b| is_language_byte(b)),
        "content-type" => {
            !bytes.iter().any(|&b| is_cors_unsafe_byte(b)) && is_safelisted_mime_essence(&bytes)
        }
        "range" => is_safelisted_range(&bytes),
        // Chromium: added by the browser itself for interventions.
        "intervention" => true,
        // Chromium's legacy client hints, each with its value grammar.
        "device-memory" | "dpr" | "downlink" => is_decimal(&bytes),
        "width" | "viewport-width" | "rtt" => is_digits(&bytes),
        "ect" => matches!(value, "slow-2g" | "2g" | "3g" | "4g"),
        "save-data" => value.eq_ignore_ascii_case("on"),
        _ => false,
    }
}

/// `1*DIGIT`.
fn is_digits(value: &[u8]) -> bool {
    !value.is_empty() && value.iter().all(u8::is_ascii_digit)
}

/// `1*DIGIT [ "." 1*DIGIT ]`.
fn is_decimal(value: &[u8]) -> bool {
    match value.iter().position(|&b| b == b'.') {
        None => is_digits(value),
        Some(dot) => is_digits(&value[..dot]) && is_digits(&value[dot + 1..]),
    }
}

fn is_http_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

fn trim_ws_bytes(mut v: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = v {
        if is_http_ws(*first) {
            v = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = v {
        if is_http_ws(*last) {
            v = rest;
        } else {
            break;
        }
    }
    v
}

/// Parses a MIME type's essence (WHATWG "parse a MIME type"; parameters never
/// make parsing fail) and checks it is one of the three safelisted types.
fn is_safelisted_mime_essence(value: &[u8]) -> bool {
    let v = trim_ws_bytes(value);
    let Some(slash) = v.iter().position(|&b| b == b'/') else {
        return false;
    };
    let (typ, rest) = v.split_at(slash);
    let rest = rest.split_first().map_or(&[][..], |(_, r)| r);
    let sub_end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    let mut sub = &rest[..sub_end];
    while let [head @ .., last] = sub {
        if is_http_ws(*last) {
            sub = head;
        } else {
            break;
        }
    }
    let token = |t: &[u8]| !t.is_empty() && t.iter().all(|&b| is_tchar(b));
    if !token(typ) || !token(sub) {
        return false;
    }
    let is = |t: &str, s: &str| {
        typ.eq_ignore_ascii_case(t.as_bytes()) && sub.eq_ignore_ascii_case(s.as_bytes())
    };
    is("application", "x-www-form-urlencoded")
        || is("multipart", "form-data")
        || is("text", "plain")
}

/// A "simple range header value" as Chromium (156) accepts it: exactly
/// `bytes=START-` or `bytes=START-END`, `bytes` in lower case (the Fetch
/// Standard compares it case-insensitively; Chromium preflights `Bytes=0-`),
/// no whitespace, one range with a start (no suffix range `bytes=-500`),
/// START <= END, and both numbers below 2^63 - 1 (Chromium parses them as
/// signed 64-bit integers; larger values are preflighted).
fn is_safelisted_range(value: &[u8]) -> bool {
    let Some(rest) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let Some(dash) = rest.iter().position(|&b| b == b'-') else {
        return false;
    };
    let (start, end) = (&rest[..dash], &rest[dash + 1..]);
    let Some(start) = range_number(start) else {
        return false;
    };
    if end.is_empty() {
        return true;
    }
    range_number(end).is_some_and(|end| start <= end)
}

/// A non-empty run of ASCII digits below `i64::MAX`, as a number.
fn range_number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    (n < i64::MAX as u64).then_some(n)
}

/// The Fetch Standard's "CORS-unsafe request-header names": names of headers
/// that are not CORS-safelisted (or all safelisted ones too, once their values
/// add up to more than 1024 bytes), lower-cased, sorted and de-duplicated.
/// Forbidden request headers are skipped, as a browser drops them.
pub fn cors_unsafe_request_header_names(headers: &[(String, String)]) -> Vec<String> {
    let mut unsafe_names: Vec<String> = Vec::new();
    let mut potentially_unsafe: Vec<String> = Vec::new();
    let mut safelist_size = 0usize;
    for (name, value) in headers {
        let value = trim_http_whitespace(value);
        if is_forbidden_request_header(name, value) {
            continue;
        }
        if is_cors_safelisted_request_header(name, value) {
            potentially_unsafe.push(name.to_ascii_lowercase());
            safelist_size = safelist_size.saturating_add(wire_len(value));
        } else {
            unsafe_names.push(name.to_ascii_lowercase());
        }
    }
    if safelist_size > 1024 {
        unsafe_names.append(&mut potentially_unsafe);
    }
    unsafe_names.sort_unstable();
    unsafe_names.dedup();
    unsafe_names
}

/// What a browser sends as the preflight for `req`, or `None` when it sends
/// none (a CORS-safelisted method and only CORS-safelisted request headers).
pub fn plan(req: &BrowserRequest) -> Option<PreflightPlan> {
    let method = normalize_method(&req.method);
    let names = cors_unsafe_request_header_names(&req.headers);
    if is_cors_safelisted_method(&method) && names.is_empty() {
        return None;
    }
    let request_headers = if names.is_empty() {
        None
    } else {
        Some(names.join(","))
    };
    Some(PreflightPlan {
        method,
        request_headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::test_support::*;

    // ---- method normalisation and the safelists ----

    #[test]
    fn methods_are_normalised() {
        assert_eq!(normalize_method("get"), "GET");
        assert_eq!(normalize_method("dElEtE"), "DELETE");
        assert_eq!(normalize_method("options"), "OPTIONS");
        assert_eq!(normalize_method("put"), "PUT");
        assert_eq!(normalize_method("patch"), "patch");
        assert_eq!(normalize_method("PATCH"), "PATCH");
        assert_eq!(normalize_method("Propfind"), "Propfind");
        assert_eq!(normalize_method(""), "");
        assert!(is_cors_safelisted_method("GET"));
        assert!(is_cors_safelisted_method("HEAD"));
        assert!(is_cors_safelisted_method("POST"));
        assert!(!is_cors_safelisted_method("post"));
        assert!(!is_cors_safelisted_method("PUT"));
        assert!(is_forbidden_method("trace"));
        assert!(is_forbidden_method("CONNECT"));
        assert!(is_forbidden_method("Track"));
        assert!(!is_forbidden_method("TRACES"));
    }

    #[test]
    fn safelisted_accept_and_languages() {
        assert!(is_cors_safelisted_request_header(
            "Accept",
            "application/json, */*;q=0.8"
        ));
        assert!(!is_cors_safelisted_request_header("accept", "text/html(x)"));
        assert!(!is_cors_safelisted_request_header("accept", "a\u{1}b"));
        assert!(is_cors_safelisted_request_header("accept", "a\tb"));
        assert!(is_cors_safelisted_request_header(
            "Accept-Language",
            "en-US,en;q=0.9"
        ));
        assert!(is_cors_safelisted_request_header(
            "content-language",
            "de-DE, *"
        ));
        assert!(!is_cors_safelisted_request_header(
            "accept-language",
            "en_US"
        ));
        assert!(!is_cors_safelisted_request_header("accept-language", "é"));
        assert!(!is_cors_safelisted_request_header("x-custom", "1"));
        assert!(!is_cors_safelisted_request_header(
            "authorization",
            "Bearer x"
        ));
    }

    #[test]
    fn safelisted_content_type() {
        for ok in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "TEXT/Plain ; charset=utf-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=----x",
            "text/plain;;;",
            "text/plain;x=\u{e9}",
        ] {
            assert!(
                is_cors_safelisted_request_header("Content-Type", ok),
                "{ok}"
            );
        }
        for bad in [
            "application/json",
            "text/html",
            "text/plain; charset=\"utf-8\"",
            "text/plain; a=(b)",
            "text /plain",
            "textplain",
            "/plain",
            "text/",
            "text/plain:x",
            "",
        ] {
            assert!(
                !is_cors_safelisted_request_header("content-type", bad),
                "{bad}"
            );
        }
        let long = format!("text/plain; x={}", "a".repeat(120));
        assert!(!is_cors_safelisted_request_header("content-type", &long));
    }

    #[test]
    fn safelisted_range() {
        // As measured in Chromium 156.
        for ok in [
            "bytes=0-",
            "bytes=0-499",
            "bytes=5-5",
            "bytes=0009-10",
            "bytes=01-2",
            "bytes=0-9223372036854775806",
            "bytes=9223372036854775806-",
        ] {
            assert!(is_cors_safelisted_request_header("Range", ok), "{ok}");
        }
        for bad in [
            "bytes=-500",
            "bytes=-",
            "bytes=10-9",
            "bytes=1-0",
            "bytes=0-1,5-6",
            "bytes=0-1,",
            "bytes = 0-1",
            "bytes= 0-1",
            "bytes=0 -1",
            "bytes=0-\t1",
            "Bytes=0-",
            "BYTES=5-5",
            "items=0-1",
            "bytes0-1",
            "bytes=0x1-",
            "bytes=+1-",
            "bytes=9223372036854775807-",
            "bytes=0-9223372036854775807",
            "bytes=99999999999999999999-",
        ] {
            assert!(!is_cors_safelisted_request_header("range", bad), "{bad}");
        }
    }

    #[test]
    fn chromium_client_hints() {
        for (name, value) in [
            ("DPR", "2"),
            ("dpr", "2.5"),
            ("Device-Memory", "0.25"),
            ("Downlink", "10"),
            ("Width", "0"),
            ("Viewport-Width", "00"),
            ("RTT", "50"),
            ("ECT", "slow-2g"),
            ("ect", "4g"),
            ("Save-Data", "on"),
            ("Save-Data", "ON"),
            ("Intervention", "anything"),
        ] {
            assert!(
                is_cors_safelisted_request_header(name, value),
                "{name}: {value}"
            );
        }
        for (name, value) in [
            ("DPR", "x"),
            ("DPR", ".5"),
            ("DPR", "2.5.1"),
            ("DPR", "1e3"),
            ("Device-Memory", "8."),
            ("Width", "1.5"),
            ("RTT", "5.0"),
            ("ECT", "5g"),
            ("ECT", "4G"),
            ("ECT", "offline"),
            ("Save-Data", "off"),
            ("Width", ""),
        ] {
            assert!(
                !is_cors_safelisted_request_header(name, value),
                "{name}: {value}"
            );
        }
        let r = req("GET", &[("DPR", "2"), ("Save-Data", "on")], false);
        assert_eq!(plan(&r), None);
    }

    #[test]
    fn value_over_128_bytes_is_not_safelisted() {
        let v = "a".repeat(128);
        assert!(is_cors_safelisted_request_header("accept", &v));
        let v = "a".repeat(129);
        assert!(!is_cors_safelisted_request_header("accept", &v));
        // Latin-1 characters count one byte each; others are not byte strings.
        assert!(is_cors_safelisted_request_header(
            "accept",
            &"é".repeat(128)
        ));
        assert!(!is_cors_safelisted_request_header("accept", "\u{100}"));
    }

    #[test]
    fn unsafe_names_total_size_rule() {
        // Nine safelisted values of 128 bytes: 1152 > 1024, so all become unsafe.
        let v = "a".repeat(128);
        let names = ["accept", "accept-language", "content-language"];
        let headers: Vec<(String, String)> = (0..9)
            .map(|i| (names[i % 3].to_string(), v.clone()))
            .collect();
        assert_eq!(
            cors_unsafe_request_header_names(&headers),
            vec!["accept", "accept-language", "content-language"]
        );
        let small: Vec<(String, String)> = headers.into_iter().take(8).collect();
        assert!(cors_unsafe_request_header_names(&small).is_empty());
    }

    #[test]
    fn forbidden_headers_are_dropped() {
        assert!(is_forbidden_request_header("Cookie", "a=b"));
        assert!(is_forbidden_request_header("Sec-Fetch-Mode", "cors"));
        assert!(is_forbidden_request_header("proxy-authorization", "x"));
        assert!(is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "trace"
        ));
        assert!(!is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "PATCH"
        ));
        assert!(!is_forbidden_request_header("X-Custom", "1"));
        let r = req(
            "GET",
            &[("Cookie", "a=b"), ("Origin", "x"), ("Content-Length", "5")],
            false,
        );
        assert_eq!(plan(&r), None);
    }

    // ---- plan ----

    #[test]
    fn simple_requests_have_no_preflight() {
        assert_eq!(plan(&req("GET", &[], false)), None);
        assert_eq!(plan(&req("get", &[], true)), None);
        assert_eq!(plan(&req("HEAD", &[("Accept", "*/*")], false)), None);
        assert_eq!(
            plan(&req(
                "POST",
                &[("Content-Type", "text/plain;charset=UTF-8")],
                false
            )),
            None
        );
        assert_eq!(
            plan(&req("POST", &[("Content-Type", " text/plain \t")], false)),
            None
        );
    }

    #[test]
    fn preflight_plan_method_and_headers() {
        assert_eq!(
            plan(&req("put", &[], false)),
            Some(PreflightPlan {
                method: "PUT".into(),
                request_headers: None
            })
        );
        assert_eq!(
            plan(&req("patch", &[], false)),
            Some(PreflightPlan {
                method: "patch".into(),
                request_headers: None
            })
        );
        let r = req(
            "POST",
            &[
                ("X-B", "1"),
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("x-a", "2"),
                ("x-b", "3"),
            ],
            false,
        );
        assert_eq!(
            plan(&r),
            Some(PreflightPlan {
                method: "POST".into(),
                request_headers: Some("content-type,x-a,x-b".into())
            })
        );
    }

    // ---- the CORS check ----
}
