//! The browser's side of CORS, after the Fetch Standard: whether a request
//! needs a preflight (and what the browser would send in it), the CORS check,
//! and the checks a browser applies to a preflight response.
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

use crate::headers::{is_tchar, list_contains, parse_list, trim_http_whitespace};

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

const PREFLIGHT_PREFIX: &str = "Response to preflight request doesn't pass access control check: ";
const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The browser blocks the request.
    Error,
    /// The request works here, but something is fragile (e.g. caching).
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A stable code, one of the constants of this module.
    pub code: &'static str,
    pub severity: Severity,
    /// One line, in a browser's words.
    pub message: String,
    /// What to change, e.g. "add Content-Type to Access-Control-Allow-Headers".
    pub fix: String,
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

/// The Fetch Standard's "CORS-safelisted request-header" (name, value). The
/// value should already be trimmed of HTTP whitespace.
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
        _ => false,
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

/// Fetch "parse a single range header value" without whitespace, and the
/// safelist rule that the range must have a start (`bytes=N-` or `bytes=N-M`).
fn is_safelisted_range(value: &[u8]) -> bool {
    let unit_end = value
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(value.len());
    if !value[..unit_end].eq_ignore_ascii_case(b"bytes") {
        return false;
    }
    let Some(rest) = value[unit_end..].strip_prefix(b"=") else {
        return false;
    };
    let start_len = rest
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    let (start, rest) = rest.split_at(start_len);
    let Some(end) = rest.strip_prefix(b"-") else {
        return false;
    };
    if !end.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if start.is_empty() {
        // A suffix range ("bytes=-500") or no range at all.
        return false;
    }
    if end.is_empty() {
        return true;
    }
    // start <= end, compared as decimal numbers of any length.
    let strip = |d: &[u8]| -> usize { d.iter().position(|&b| b != b'0').unwrap_or(d.len()) };
    let (s, e) = (&start[strip(start)..], &end[strip(end)..]);
    s.len() < e.len() || (s.len() == e.len() && s <= e)
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

/// The combined value of a response header (all values, trimmed, joined by
/// ", "), and how many times it appeared; `None` if absent.
fn get_header(resp: &ObservedResponse, name: &str) -> Option<(String, usize)> {
    let mut combined: Option<String> = None;
    let mut count = 0usize;
    for (n, v) in &resp.headers {
        if !n.eq_ignore_ascii_case(name) {
            continue;
        }
        count += 1;
        let v = trim_http_whitespace(v);
        match &mut combined {
            Some(c) => {
                c.push_str(", ");
                c.push_str(v);
            }
            None => combined = Some(v.to_string()),
        }
    }
    combined.map(|c| (c, count))
}

fn problem(code: &'static str, severity: Severity, message: String, fix: String) -> Problem {
    Problem {
        code,
        severity,
        message,
        fix,
    }
}

/// Shortens a header value for a one-line message.
fn show(value: &str) -> String {
    const MAX: usize = 120;
    let one_line: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= MAX {
        return one_line;
    }
    let mut s: String = one_line.chars().take(MAX).collect();
    s.push('…');
    s
}

/// The Fetch Standard's CORS check (origin and credentials).
fn cors_check(req: &BrowserRequest, resp: &ObservedResponse, prefix: &str, out: &mut Vec<Problem>) {
    let origin = show(&req.origin);
    match get_header(resp, ACAO) {
        None => out.push(problem(
            ORIGIN_NOT_ALLOWED,
            Severity::Error,
            format!("{prefix}No 'Access-Control-Allow-Origin' header is present on the response."),
            format!("send Access-Control-Allow-Origin: {origin} (add {origin} to the allowed origins)"),
        )),
        Some((value, count)) if count > 1 || value.contains(',') => out.push(problem(
            MULTIPLE_ALLOW_ORIGIN,
            Severity::Error,
            format!(
                "{prefix}The 'Access-Control-Allow-Origin' header contains multiple values '{}', but only one is allowed.",
                show(&value)
            ),
            format!(
                "send a single Access-Control-Allow-Origin whose value is only the request's origin ({origin}): match the list per request instead of sending it whole"
            ),
        )),
        Some((value, _)) if value == "*" => {
            if req.credentials {
                out.push(problem(
                    WILDCARD_WITH_CREDENTIALS,
                    Severity::Error,
                    format!("{prefix}The value of the 'Access-Control-Allow-Origin' header must not be the wildcard '*' when the request's credentials mode is 'include'."),
                    format!("send the request's origin ({origin}) instead of '*' (allow a list of origins, which are echoed back), or make the request without credentials"),
                ));
            }
        }
        Some((value, _)) if value != req.origin => {
            let fix = if value.strip_suffix('/') == Some(req.origin.as_str()) {
                format!("drop the trailing slash: Access-Control-Allow-Origin must be exactly {origin} (an origin has no path)")
            } else if value.eq_ignore_ascii_case(&req.origin) {
                format!("Access-Control-Allow-Origin must be exactly {origin}, byte for byte (origins are compared case-sensitively)")
            } else {
                format!("send Access-Control-Allow-Origin: {origin} for this origin (add {origin} to the allowed origins, or echo the matching origin rather than a fixed one)")
            };
            out.push(problem(
                ORIGIN_NOT_ALLOWED,
                Severity::Error,
                format!(
                    "{prefix}The 'Access-Control-Allow-Origin' header has a value '{}' that is not equal to the supplied origin '{origin}'.",
                    show(&value)
                ),
                fix,
            ));
        }
        Some(_) => {}
    }
    if req.credentials {
        let acac = get_header(resp, ACAC);
        let ok = matches!(&acac, Some((v, _)) if v == "true");
        if !ok {
            let (shown, fix) = match &acac {
                None => (
                    "missing".to_string(),
                    "send Access-Control-Allow-Credentials: true (the credentials: true option), or make the request without credentials".to_string(),
                ),
                Some((v, _)) if v.eq_ignore_ascii_case("true") => (
                    format!("'{}'", show(v)),
                    "send Access-Control-Allow-Credentials exactly once with the lower-case value true".to_string(),
                ),
                Some((v, _)) => (
                    format!("'{}'", show(v)),
                    "send Access-Control-Allow-Credentials: true (the credentials: true option), or make the request without credentials".to_string(),
                ),
            };
            out.push(problem(
                CREDENTIALS_NOT_ALLOWED,
                Severity::Error,
                format!("{prefix}The 'Access-Control-Allow-Credentials' header is {shown}, but it must be 'true' when the request's credentials mode is 'include'."),
                fix,
            ));
        }
    }
}

/// Whether the response carries any `Access-Control-Allow-*` header.
fn has_allow_headers(resp: &ObservedResponse) -> bool {
    const PREFIX: &[u8] = b"access-control-allow-";
    resp.headers.iter().any(|(n, _)| {
        n.as_bytes()
            .get(..PREFIX.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(PREFIX))
    })
}

/// The request's header name with the casing the script used.
fn original_name<'a>(req: &'a BrowserRequest, lower: &'a str) -> &'a str {
    req.headers
        .iter()
        .map(|(n, _)| n.as_str())
        .find(|n| n.eq_ignore_ascii_case(lower))
        .unwrap_or(lower)
}

/// The checks a browser applies to the response of a CORS preflight for
/// `req`: the CORS check, an ok status, and the allowed methods and headers.
pub fn check_preflight(req: &BrowserRequest, resp: &ObservedResponse) -> Vec<Problem> {
    let mut out = Vec::new();
    let answered = has_allow_headers(resp);
    if !answered {
        out.push(problem(
            NO_CORS_HEADERS_ON_PREFLIGHT,
            Severity::Error,
            format!("{PREFLIGHT_PREFIX}No 'Access-Control-Allow-Origin' header is present: the response (status {}) has no Access-Control-Allow-* header, so nothing answered the CORS preflight.", resp.status),
            "answer OPTIONS with the CORS middleware before routing and authentication (e.g. app.use(cors()) ahead of the routes); a framework's own OPTIONS or 404 reply has no CORS headers".to_string(),
        ));
    } else {
        cors_check(req, resp, PREFLIGHT_PREFIX, &mut out);
    }
    if !(200..=299).contains(&resp.status) {
        out.push(problem(
            PREFLIGHT_NOT_OK,
            Severity::Error,
            format!("{PREFLIGHT_PREFIX}It does not have HTTP ok status (got {}).", resp.status),
            "answer the preflight with a 2xx status (cors answers 204 unless optionsSuccessStatus says otherwise); make sure no authentication, routing or error handler rejects the OPTIONS request first".to_string(),
        ));
    }
    if !answered {
        return out;
    }
    check_methods(req, resp, &mut out);
    check_headers(req, resp, &mut out);
    out
}

fn check_methods(req: &BrowserRequest, resp: &ObservedResponse, out: &mut Vec<Problem>) {
    let method = normalize_method(&req.method);
    let raw = get_header(resp, ACAM).map(|(v, _)| v);
    let raw_ref = raw.as_deref().unwrap_or("");
    let Some(methods) = parse_list(raw_ref) else {
        out.push(problem(
            INVALID_ALLOW_METHODS,
            Severity::Error,
            format!(
                "Cannot parse the Access-Control-Allow-Methods header '{}' in the preflight response.",
                show(raw_ref)
            ),
            "send a comma-separated list of method names, e.g. GET,POST,PATCH".to_string(),
        ));
        return;
    };
    if is_cors_safelisted_method(&method) || methods.iter().any(|m| *m == method) {
        return;
    }
    let wildcard = methods.contains(&"*");
    if wildcard && !req.credentials {
        return;
    }
    let shown = show(&method);
    let why = if raw.is_none() {
        " (the header is missing)"
    } else if wildcard {
        " ('*' does not cover methods when the request's credentials mode is 'include')"
    } else {
        ""
    };
    let upper = method.to_ascii_uppercase();
    let fix = if upper != method && methods.iter().any(|m| *m == upper) {
        format!("the browser sends {shown} as written and compares methods case-sensitively: write the method as {} in the request (or also list {shown})", show(&upper))
    } else {
        format!("add {shown} to Access-Control-Allow-Methods")
    };
    out.push(problem(
        METHOD_NOT_ALLOWED,
        Severity::Error,
        format!("Method {shown} is not allowed by Access-Control-Allow-Methods in preflight response{why}."),
        fix,
    ));
}

fn check_headers(req: &BrowserRequest, resp: &ObservedResponse, out: &mut Vec<Problem>) {
    let unsafe_names = cors_unsafe_request_header_names(&req.headers);
    if unsafe_names.is_empty() {
        return;
    }
    let raw = get_header(resp, ACAH).map(|(v, _)| v);
    let raw_ref = raw.as_deref().unwrap_or("");
    let Some(allowed) = parse_list(raw_ref) else {
        out.push(problem(
            INVALID_ALLOW_HEADERS,
            Severity::Error,
            format!(
                "Cannot parse the Access-Control-Allow-Headers header '{}' in the preflight response.",
                show(raw_ref)
            ),
            "send a comma-separated list of header names, e.g. Content-Type,Authorization".to_string(),
        ));
        return;
    };
    let wildcard = allowed.contains(&"*");
    // In request order of first appearance (stable and readable), not sorted.
    let mut reported: Vec<&str> = Vec::new();
    for (name, _) in &req.headers {
        let Some(lower) = unsafe_names
            .iter()
            .find(|u| u.eq_ignore_ascii_case(name))
            .map(String::as_str)
        else {
            continue;
        };
        if reported.contains(&lower) {
            continue;
        }
        reported.push(lower);
        if allowed.iter().any(|a| a.eq_ignore_ascii_case(lower)) {
            continue;
        }
        let is_authorization = lower == "authorization";
        if wildcard && !req.credentials && !is_authorization {
            continue;
        }
        let shown = show(original_name(req, lower));
        if wildcard && !req.credentials && is_authorization {
            // The Fetch Standard excludes Authorization from `*`, but Chromium
            // (156) and Firefox still allow it, with a deprecation notice: a
            // warning today, an error once browsers enforce the standard.
            out.push(problem(
                HEADER_NOT_ALLOWED,
                Severity::Warning,
                format!("Request header field {shown} is covered only by '*' in Access-Control-Allow-Headers: browsers still allow this but have deprecated it, and the Fetch Standard says '*' never covers Authorization."),
                format!("add {shown} to Access-Control-Allow-Headers explicitly"),
            ));
            continue;
        }
        let why = if raw.is_none() {
            " (the header is missing)"
        } else if wildcard && is_authorization {
            " ('*' never covers Authorization)"
        } else if wildcard {
            " ('*' does not cover header names when the request's credentials mode is 'include')"
        } else {
            ""
        };
        out.push(problem(
            HEADER_NOT_ALLOWED,
            Severity::Error,
            format!("Request header field {shown} is not allowed by Access-Control-Allow-Headers in preflight response{why}."),
            format!("add {shown} to Access-Control-Allow-Headers"),
        ));
    }
}

/// The checks a browser applies to the response of the actual (non-preflight)
/// request: the CORS check, plus a warning when a specific
/// `Access-Control-Allow-Origin` is not accompanied by `Vary: Origin`.
pub fn check_actual(req: &BrowserRequest, resp: &ObservedResponse) -> Vec<Problem> {
    let mut out = Vec::new();
    cors_check(req, resp, "", &mut out);
    if let Some((acao, 1)) = get_header(resp, ACAO) {
        if acao != "*" && !acao.contains(',') {
            let vary = get_header(resp, "vary").map(|(v, _)| v).unwrap_or_default();
            if !list_contains(&vary, "origin") && !list_contains(&vary, "*") {
                out.push(problem(
                    MISSING_VARY_ORIGIN,
                    Severity::Warning,
                    format!(
                        "The response allows the origin '{}' but its Vary header does not list Origin, so a shared cache may serve it to other origins.",
                        show(&acao)
                    ),
                    "add Vary: Origin to every response whose Access-Control-Allow-Origin depends on the request's Origin".to_string(),
                ));
            }
        }
    }
    out
}

/// Whether a browser would let the request through: no `Error` problem.
pub fn allowed(problems: &[Problem]) -> bool {
    !problems.iter().any(|p| p.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://app.example.com";

    fn req(method: &str, headers: &[(&str, &str)], credentials: bool) -> BrowserRequest {
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

    fn resp(status: u16, headers: &[(&str, &str)]) -> ObservedResponse {
        ObservedResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn codes(problems: &[Problem]) -> Vec<&'static str> {
        problems.iter().map(|p| p.code).collect()
    }

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
        assert!(is_cors_safelisted_request_header("Range", "bytes=0-"));
        assert!(is_cors_safelisted_request_header("range", "bytes=0-499"));
        assert!(is_cors_safelisted_request_header("range", "BYTES=5-5"));
        assert!(is_cors_safelisted_request_header("range", "bytes=0009-10"));
        assert!(!is_cors_safelisted_request_header("range", "bytes=-500"));
        assert!(!is_cors_safelisted_request_header("range", "bytes=-"));
        assert!(!is_cors_safelisted_request_header("range", "bytes=10-9"));
        assert!(!is_cors_safelisted_request_header("range", "bytes=0-1,5-6"));
        assert!(!is_cors_safelisted_request_header("range", "bytes = 0-1"));
        assert!(!is_cors_safelisted_request_header("range", "items=0-1"));
        assert!(!is_cors_safelisted_request_header("range", "bytes0-1"));
        let big = format!("bytes={}-{}", "9".repeat(40), "1".repeat(41));
        assert!(is_cors_safelisted_request_header("range", &big));
        let inverted = format!("bytes={}-{}", "9".repeat(41), "1".repeat(41));
        assert!(!is_cors_safelisted_request_header("range", &inverted));
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

    #[test]
    fn allowed_preflight_and_actual() {
        let r = req("PUT", &[("Content-Type", "application/json")], true);
        let pre = resp(
            204,
            &[
                ("Access-Control-Allow-Origin", ORIGIN),
                ("Vary", "Origin"),
                ("Access-Control-Allow-Credentials", "true"),
                (
                    "Access-Control-Allow-Methods",
                    "GET,HEAD,PUT,PATCH,POST,DELETE",
                ),
                ("Access-Control-Allow-Headers", "content-type"),
            ],
        );
        let p = check_preflight(&r, &pre);
        assert!(p.is_empty(), "{p:?}");
        assert!(allowed(&p));
        let act = resp(
            200,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("vary", "Accept-Encoding, origin"),
                ("access-control-allow-credentials", "true"),
            ],
        );
        assert!(check_actual(&r, &act).is_empty());
    }

    #[test]
    fn origin_missing_or_different() {
        let r = req("GET", &[], false);
        let p = check_actual(&r, &resp(200, &[]));
        assert_eq!(codes(&p), vec![ORIGIN_NOT_ALLOWED]);
        assert!(p[0]
            .message
            .contains("No 'Access-Control-Allow-Origin' header"));
        assert!(p[0].fix.contains(ORIGIN));
        assert!(!allowed(&p));

        let p = check_actual(
            &r,
            &resp(
                200,
                &[
                    ("Access-Control-Allow-Origin", "https://other.example"),
                    ("Vary", "Origin"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![ORIGIN_NOT_ALLOWED]);
        assert!(p[0].message.contains("'https://other.example'"));

        let slash = format!("{ORIGIN}/");
        let p = check_actual(
            &r,
            &resp(
                200,
                &[("Access-Control-Allow-Origin", &slash), ("Vary", "Origin")],
            ),
        );
        assert_eq!(codes(&p), vec![ORIGIN_NOT_ALLOWED]);
        assert!(p[0].fix.contains("trailing slash"));

        let upper = ORIGIN.to_uppercase();
        let p = check_actual(
            &r,
            &resp(
                200,
                &[("Access-Control-Allow-Origin", &upper), ("Vary", "Origin")],
            ),
        );
        assert!(p[0].fix.contains("case-sensitively"));
    }

    #[test]
    fn acao_value_is_trimmed_and_null_origin_works() {
        let r = req("GET", &[], false);
        let padded = format!("  {ORIGIN}\t");
        let p = check_actual(
            &r,
            &resp(
                200,
                &[("Access-Control-Allow-Origin", &padded), ("Vary", "Origin")],
            ),
        );
        assert!(p.is_empty(), "{p:?}");
        let mut n = req("GET", &[], false);
        n.origin = "null".into();
        let p = check_actual(
            &n,
            &resp(
                200,
                &[("Access-Control-Allow-Origin", "null"), ("Vary", "Origin")],
            ),
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn wildcard_origin() {
        let anon = req("GET", &[], false);
        let star = resp(200, &[("Access-Control-Allow-Origin", "*")]);
        assert!(check_actual(&anon, &star).is_empty());
        let cred = req("GET", &[], true);
        let p = check_actual(
            &cred,
            &resp(
                200,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Credentials", "true"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![WILDCARD_WITH_CREDENTIALS]);
        // Both problems at once.
        let p = check_actual(&cred, &star);
        assert_eq!(
            codes(&p),
            vec![WILDCARD_WITH_CREDENTIALS, CREDENTIALS_NOT_ALLOWED]
        );
    }

    #[test]
    fn multiple_allow_origin() {
        let r = req("GET", &[], false);
        let p = check_actual(
            &r,
            &resp(
                200,
                &[
                    ("Access-Control-Allow-Origin", ORIGIN),
                    ("Access-Control-Allow-Origin", ORIGIN),
                    ("Vary", "Origin"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![MULTIPLE_ALLOW_ORIGIN]);
        assert!(p[0].message.contains(&format!("'{ORIGIN}, {ORIGIN}'")));
        let joined = format!("{ORIGIN},https://b.example");
        let p = check_actual(&r, &resp(200, &[("Access-Control-Allow-Origin", &joined)]));
        assert_eq!(codes(&p), vec![MULTIPLE_ALLOW_ORIGIN]);
        let p = check_actual(
            &r,
            &resp(
                200,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Origin", "*"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![MULTIPLE_ALLOW_ORIGIN]);
    }

    #[test]
    fn credentials_must_be_exactly_true() {
        let r = req("GET", &[], true);
        let base = [("Access-Control-Allow-Origin", ORIGIN), ("Vary", "Origin")];
        let p = check_actual(&r, &resp(200, &base));
        assert_eq!(codes(&p), vec![CREDENTIALS_NOT_ALLOWED]);
        assert!(p[0].message.contains("is missing"));
        for bad in ["True", "1", "yes", ""] {
            let mut h = base.to_vec();
            h.push(("Access-Control-Allow-Credentials", bad));
            let p = check_actual(&r, &resp(200, &h));
            assert_eq!(codes(&p), vec![CREDENTIALS_NOT_ALLOWED], "{bad}");
        }
        let mut h = base.to_vec();
        h.push(("Access-Control-Allow-Credentials", "true"));
        h.push(("Access-Control-Allow-Credentials", "true"));
        assert_eq!(
            codes(&check_actual(&r, &resp(200, &h))),
            vec![CREDENTIALS_NOT_ALLOWED]
        );
        // Without credentials the header does not matter.
        let anon = req("GET", &[], false);
        assert!(check_actual(&anon, &resp(200, &base)).is_empty());
    }

    #[test]
    fn missing_vary_origin_is_a_warning() {
        let r = req("GET", &[], false);
        let p = check_actual(&r, &resp(200, &[("Access-Control-Allow-Origin", ORIGIN)]));
        assert_eq!(codes(&p), vec![MISSING_VARY_ORIGIN]);
        assert_eq!(p[0].severity, Severity::Warning);
        assert!(allowed(&p));
        let p = check_actual(
            &r,
            &resp(
                200,
                &[
                    ("Access-Control-Allow-Origin", ORIGIN),
                    ("Vary", "Accept, Origin-X"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![MISSING_VARY_ORIGIN]);
        // Vary: * also prevents reuse.
        let p = check_actual(
            &r,
            &resp(
                200,
                &[("Access-Control-Allow-Origin", ORIGIN), ("Vary", "*")],
            ),
        );
        assert!(p.is_empty());
        // Vary split over two headers.
        let p = check_actual(
            &r,
            &resp(
                200,
                &[
                    ("Vary", "Accept"),
                    ("Access-Control-Allow-Origin", ORIGIN),
                    ("VARY", "origin"),
                ],
            ),
        );
        assert!(p.is_empty());
        // Not on a `*` response.
        let p = check_actual(&r, &resp(200, &[("Access-Control-Allow-Origin", "*")]));
        assert!(p.is_empty());
        // A mismatching origin without Vary: both, error first.
        let p = check_actual(
            &r,
            &resp(200, &[("Access-Control-Allow-Origin", "https://x.example")]),
        );
        assert_eq!(codes(&p), vec![ORIGIN_NOT_ALLOWED, MISSING_VARY_ORIGIN]);
    }

    // ---- preflight checks ----

    #[test]
    fn no_cors_headers_on_preflight() {
        let r = req("PUT", &[("X-A", "1")], false);
        let p = check_preflight(&r, &resp(404, &[("Content-Type", "text/html")]));
        assert_eq!(
            codes(&p),
            vec![NO_CORS_HEADERS_ON_PREFLIGHT, PREFLIGHT_NOT_OK]
        );
        assert!(p[0].message.starts_with(PREFLIGHT_PREFIX));
        assert!(p[0].message.contains("status 404"));
        // Express's automatic OPTIONS answer: 200 with Allow, no CORS headers.
        let p = check_preflight(&r, &resp(200, &[("Allow", "GET,HEAD")]));
        assert_eq!(codes(&p), vec![NO_CORS_HEADERS_ON_PREFLIGHT]);
        // Max-Age alone is not an Allow-* header.
        let p = check_preflight(&r, &resp(204, &[("Access-Control-Max-Age", "5")]));
        assert_eq!(codes(&p), vec![NO_CORS_HEADERS_ON_PREFLIGHT]);
    }

    #[test]
    fn preflight_not_ok() {
        let r = req("PUT", &[], false);
        for status in [301u16, 401, 403, 404, 500, 199, 300, 0] {
            let p = check_preflight(
                &r,
                &resp(
                    status,
                    &[
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Methods", "PUT"),
                    ],
                ),
            );
            assert_eq!(codes(&p), vec![PREFLIGHT_NOT_OK], "{status}");
            assert!(p[0].message.contains(&format!("got {status}")));
        }
        for status in [200u16, 204, 299] {
            let p = check_preflight(
                &r,
                &resp(
                    status,
                    &[
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Methods", "PUT"),
                    ],
                ),
            );
            assert!(p.is_empty(), "{status}");
        }
    }

    #[test]
    fn method_rules() {
        let ok = |r: &BrowserRequest, acam: &str| {
            check_preflight(
                r,
                &resp(
                    204,
                    &[
                        ("Access-Control-Allow-Origin", ORIGIN),
                        ("Access-Control-Allow-Credentials", "true"),
                        ("Access-Control-Allow-Methods", acam),
                    ],
                ),
            )
        };
        let put = req("put", &[], false);
        assert!(ok(&put, "GET, PUT").is_empty());
        assert!(ok(&put, "*").is_empty());
        let p = ok(&put, "GET,POST");
        assert_eq!(codes(&p), vec![METHOD_NOT_ALLOWED]);
        assert!(p[0].message.contains("Method PUT is not allowed"));
        assert_eq!(p[0].fix, "add PUT to Access-Control-Allow-Methods");
        // Case-sensitive comparison after normalisation.
        let p = ok(&put, "put");
        assert_eq!(codes(&p), vec![METHOD_NOT_ALLOWED]);
        let patch = req("patch", &[], false);
        let p = ok(&patch, "GET,PATCH");
        assert_eq!(codes(&p), vec![METHOD_NOT_ALLOWED]);
        assert!(p[0].message.contains("Method patch"));
        assert!(p[0].fix.contains("case-sensitively"));
        assert!(ok(&req("PATCH", &[], false), "GET,PATCH").is_empty());
        // `*` does not count with credentials.
        let put_cred = req("PUT", &[], true);
        let p = ok(&put_cred, "*");
        assert_eq!(codes(&p), vec![METHOD_NOT_ALLOWED]);
        assert!(p[0].message.contains("credentials mode"));
        assert!(ok(&put_cred, "*, PUT").is_empty());
        // Safelisted methods never need listing.
        assert!(ok(&req("POST", &[("X-A", "1")], false), "PUT")
            .iter()
            .all(|p| p.code != METHOD_NOT_ALLOWED));
        // Missing header.
        let p = check_preflight(&put, &resp(204, &[("Access-Control-Allow-Origin", "*")]));
        assert_eq!(codes(&p), vec![METHOD_NOT_ALLOWED]);
        assert!(p[0].message.contains("missing"));
    }

    #[test]
    fn invalid_allow_methods_is_a_network_error() {
        let r = req("PUT", &[], false);
        let p = check_preflight(
            &r,
            &resp(
                204,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Methods", "GET PUT"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![INVALID_ALLOW_METHODS]);
        // Even for a safelisted method, the parse failure blocks the request.
        let g = req("GET", &[("X-A", "1")], false);
        let p = check_preflight(
            &g,
            &resp(
                204,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Methods", "GET;"),
                    ("Access-Control-Allow-Headers", "x-a"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![INVALID_ALLOW_METHODS]);
    }

    #[test]
    fn header_rules() {
        let check = |r: &BrowserRequest, acah: &str| {
            check_preflight(
                r,
                &resp(
                    204,
                    &[
                        ("Access-Control-Allow-Origin", ORIGIN),
                        ("Access-Control-Allow-Credentials", "true"),
                        ("Access-Control-Allow-Headers", acah),
                    ],
                ),
            )
        };
        let r = req(
            "POST",
            &[("Content-Type", "application/json"), ("X-Request-Id", "1")],
            false,
        );
        assert!(check(&r, "content-type, x-request-id").is_empty());
        assert!(check(&r, "CONTENT-TYPE,X-REQUEST-ID").is_empty());
        assert!(check(&r, "*").is_empty());
        let p = check(&r, "x-request-id");
        assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED]);
        assert!(p[0]
            .message
            .contains("Request header field Content-Type is not allowed"));
        assert_eq!(p[0].fix, "add Content-Type to Access-Control-Allow-Headers");
        // Every missing header is reported, in request order, once.
        let p = check(&r, "");
        assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED, HEADER_NOT_ALLOWED]);
        assert!(p[0].fix.contains("Content-Type"));
        assert!(p[1].fix.contains("X-Request-Id"));
        // `*` and credentials.
        let rc = req("POST", &[("X-Request-Id", "1")], true);
        let p = check(&rc, "*");
        assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED]);
        assert!(p[0].message.contains("credentials mode"));
        // `*` does not cover Authorization in the Fetch Standard; browsers
        // still allow it (deprecated), so without credentials it is a warning.
        let ra = req("GET", &[("Authorization", "Bearer x"), ("X-A", "1")], false);
        let p = check(&ra, "*");
        assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED]);
        assert!(matches!(p[0].severity, Severity::Warning));
        assert!(allowed(&p));
        assert!(p[0].message.contains("Authorization"));
        assert!(p[0].message.contains("never covers"));
        assert!(check(&ra, "*, authorization").is_empty());
        // Missing header entirely.
        let p = check_preflight(&ra, &resp(204, &[("Access-Control-Allow-Origin", "*")]));
        assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED, HEADER_NOT_ALLOWED]);
        assert!(p[0].message.contains("missing"));
        // Duplicate request headers with different casing are reported once.
        let rd = req("GET", &[("X-Dup", "1"), ("x-dup", "2")], false);
        let p = check(&rd, "x-other");
        assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED]);
        assert!(p[0].fix.contains("X-Dup"));
    }

    #[test]
    fn safelisted_headers_need_no_listing_unless_oversized() {
        let r = req(
            "PUT",
            &[
                ("Accept", "application/json"),
                ("Content-Type", "text/plain"),
            ],
            false,
        );
        let p = check_preflight(
            &r,
            &resp(
                204,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Methods", "PUT"),
                ],
            ),
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn invalid_allow_headers_is_a_network_error() {
        let r = req("GET", &[("X-A", "1")], false);
        let p = check_preflight(
            &r,
            &resp(
                204,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Headers", "x-a; x-b"),
                ],
            ),
        );
        assert_eq!(codes(&p), vec![INVALID_ALLOW_HEADERS]);
    }

    #[test]
    fn every_problem_in_a_stable_order() {
        let r = req("DELETE", &[("X-A", "1"), ("Authorization", "x")], true);
        let pre = resp(
            500,
            &[
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET"),
                ("Access-Control-Allow-Headers", "x-b"),
            ],
        );
        let p = check_preflight(&r, &pre);
        assert_eq!(
            codes(&p),
            vec![
                WILDCARD_WITH_CREDENTIALS,
                CREDENTIALS_NOT_ALLOWED,
                PREFLIGHT_NOT_OK,
                METHOD_NOT_ALLOWED,
                HEADER_NOT_ALLOWED,
                HEADER_NOT_ALLOWED,
            ]
        );
        assert!(p.iter().all(|p| p.severity == Severity::Error));
        assert!(p
            .iter()
            .all(|p| !p.message.contains('\n') && !p.fix.contains('\n')));
        assert_eq!(check_preflight(&r, &pre), p);
    }

    #[test]
    fn messages_stay_one_line_and_short() {
        let mut r = req("GET", &[], false);
        r.origin = format!("https://a\r\nb{}", "x".repeat(10_000));
        let long = format!("x\ny{}", "z".repeat(10_000));
        let p = check_actual(&r, &resp(200, &[("Access-Control-Allow-Origin", &long)]));
        for pr in &p {
            assert!(!pr.message.contains('\n') && !pr.message.contains('\r'));
            assert!(pr.message.len() < 1000, "{}", pr.message.len());
            assert!(pr.fix.len() < 1000);
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let weird = [
            "",
            " ",
            ",",
            "\u{0}",
            "é",
            "\u{1F600}",
            "bytes=",
            "text/",
            "/",
            ";",
            "*",
            "null",
        ];
        for a in weird {
            for b in weird {
                let r = BrowserRequest {
                    origin: a.into(),
                    method: b.into(),
                    headers: vec![
                        (a.into(), b.into()),
                        (b.into(), a.into()),
                        ("range".into(), a.into()),
                        ("content-type".into(), b.into()),
                    ],
                    credentials: a.len() % 2 == 0,
                };
                let s = ObservedResponse {
                    status: 204,
                    headers: vec![
                        (a.into(), b.into()),
                        (ACAO.into(), a.into()),
                        (ACAM.into(), b.into()),
                        (ACAH.into(), a.into()),
                    ],
                };
                let _ = plan(&r);
                let _ = check_preflight(&r, &s);
                let _ = check_actual(&r, &s);
            }
        }
    }
}
