//! The checks a browser applies to responses: the CORS check, the
//! CORS-preflight checks, and the cache warning.

use super::*;
use crate::finding::shorten_line;
use crate::headers::{list_contains, parse_list, trim_http_whitespace};

/// Longest header value (in characters) a message quotes.
const MAX_SHOWN: usize = 120;

const PREFLIGHT_PREFIX: &str = "Response to preflight request doesn't pass access control check: ";
const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";

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

/// The Fetch Standard's CORS check (origin and credentials).
fn cors_check(
    req: &BrowserRequest,
    resp: &ObservedResponse,
    prefix: &str,
    taint: Option<&Taint>,
    out: &mut Vec<Problem>,
) {
    let origin = shorten_line(&req.origin, MAX_SHOWN);
    match get_header(resp, ACAO) {
        None => out.push(Problem::error(ORIGIN_NOT_ALLOWED,
            format!("{prefix}No 'Access-Control-Allow-Origin' header is present on the response."),
            match taint {
                Some(taint) => format!(
                    "{}, and this response allows no origin: {}",
                    taint_story(taint),
                    taint_fix(taint)
                ),
                None => format!("send Access-Control-Allow-Origin: {origin} (add {origin} to the allowed origins)"),
            },
        )),
        Some((value, count)) if count > 1 || value.contains(',') => out.push(Problem::error(MULTIPLE_ALLOW_ORIGIN,
            format!(
                "{prefix}The 'Access-Control-Allow-Origin' header contains multiple values '{}', but only one is allowed.",
                shorten_line(&value, MAX_SHOWN)
            ),
            format!(
                "send a single Access-Control-Allow-Origin whose value is only the request's origin ({origin}): match the list per request instead of sending it whole"
            ),
        )),
        Some((value, _)) if value == "*" => {
            if req.credentials {
                out.push(Problem::error(WILDCARD_WITH_CREDENTIALS,
                    format!("{prefix}The value of the 'Access-Control-Allow-Origin' header must not be the wildcard '*' when the request's credentials mode is 'include'."),
                    format!("send the request's origin ({origin}) instead of '*' (allow a list of origins, which are echoed back), or make the request without credentials"),
                ));
            }
        }
        Some((value, _)) if value != req.origin && taint.is_some() => {
            if let Some(taint) = taint {
                out.push(Problem::error(REDIRECT_TAINTED_ORIGIN,
                    format!(
                        "{prefix}The 'Access-Control-Allow-Origin' header has a value '{}' that is not equal to the supplied origin '{origin}': {}.",
                        shorten_line(&value, MAX_SHOWN),
                        taint_story(taint)
                    ),
                    taint_fix(taint),
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
            out.push(Problem::error(ORIGIN_NOT_ALLOWED,
                format!(
                    "{prefix}The 'Access-Control-Allow-Origin' header has a value '{}' that is not equal to the supplied origin '{origin}'.",
                    shorten_line(&value, MAX_SHOWN)
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
                    format!("'{}'", shorten_line(v, MAX_SHOWN)),
                    "send Access-Control-Allow-Credentials exactly once with the lower-case value true".to_string(),
                ),
                Some((v, _)) => (
                    format!("'{}'", shorten_line(v, MAX_SHOWN)),
                    "send Access-Control-Allow-Credentials: true (the credentials: true option), or make the request without credentials".to_string(),
                ),
            };
            out.push(Problem::error(CREDENTIALS_NOT_ALLOWED,
                format!("{prefix}The 'Access-Control-Allow-Credentials' header is {shown}, but it must be 'true' when the request's credentials mode is 'include'."),
                fix,
            ));
        }
    }
}

/// What to do about a tainted origin (never "allow null").
fn taint_fix(taint: &Taint) -> String {
    format!(
        "make the page request {} directly, or keep the redirect within one origin; do not allow the origin null instead: sandboxed iframes and local files send it too, so that would let any of them in",
        shorten_line(&taint.to, MAX_SHOWN)
    )
}

/// One line on why the origin became `null`.
fn taint_story(taint: &Taint) -> String {
    format!(
        "the request was redirected from {} to {}, another origin, so the browser sent Origin: null (a tainted origin)",
        shorten_line(&taint.from, MAX_SHOWN),
        shorten_line(&taint.to, MAX_SHOWN)
    )
}

/// A redirect status (Fetch: 301, 302, 303, 307, 308).
pub fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
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
    check_preflight_after(req, resp, None)
}

/// [`check_preflight`] for a request whose origin a redirect may have
/// tainted. A preflight answered with a redirect (a redirect status and a
/// `Location`) fails at that: a browser never follows it.
pub fn check_preflight_after(
    req: &BrowserRequest,
    resp: &ObservedResponse,
    taint: Option<&Taint>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if is_redirect_status(resp.status) {
        if let Some(location) = redirect_location(resp) {
            out.push(Problem::error(PREFLIGHT_REDIRECT,
                format!(
                    "{PREFLIGHT_PREFIX}Redirect is not allowed for a preflight request (the OPTIONS request got {} to {}).",
                    resp.status,
                    shorten_line(&location, MAX_SHOWN)
                ),
                format!(
                    "answer OPTIONS at the requested URL itself with a 2xx and the CORS headers (exempt OPTIONS from the redirect, e.g. an http-to-https or trailing-slash rule), or make the page request {} directly",
                    shorten_line(&location, MAX_SHOWN)
                ),
            ));
            return out;
        }
    }
    let answered = has_allow_headers(resp);
    if !answered {
        out.push(Problem::error(NO_CORS_HEADERS_ON_PREFLIGHT,
            format!("{PREFLIGHT_PREFIX}No 'Access-Control-Allow-Origin' header is present: the response (status {}) has no Access-Control-Allow-* header, so either nothing answered the CORS preflight or the CORS layer refused this origin (cors and rust-cors pass a preflight from a refused origin on without any header when an origin callback refuses it).", resp.status),
            "if this origin should be allowed, check that the CORS configuration allows it (an origin callback that refuses it, or a list without it, adds no header); and answer OPTIONS with the CORS middleware before routing and authentication (e.g. app.use(cors()) ahead of the routes): a framework's own OPTIONS or 404 reply has no CORS headers".to_string(),
        ));
    } else {
        cors_check(req, resp, PREFLIGHT_PREFIX, taint, &mut out);
    }
    if !(200..=299).contains(&resp.status) {
        out.push(Problem::error(PREFLIGHT_NOT_OK,
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

/// The names of an `Access-Control-Allow-Methods`/`-Headers` value (none
/// when absent), or `None` after reporting that a browser cannot parse it.
fn allow_list<'a>(
    raw: Option<&'a str>,
    header: &str,
    code: &'static str,
    example: &str,
    out: &mut Vec<Problem>,
) -> Option<Vec<&'a str>> {
    let raw = raw.unwrap_or("");
    let list = parse_list(raw);
    if list.is_none() {
        out.push(Problem::error(
            code,
            format!(
                "Cannot parse the {header} header '{}' in the preflight response.",
                shorten_line(raw, MAX_SHOWN)
            ),
            format!("send a comma-separated list of {example}"),
        ));
    }
    list
}

fn check_methods(req: &BrowserRequest, resp: &ObservedResponse, out: &mut Vec<Problem>) {
    let method = normalize_method(&req.method);
    let raw = get_header(resp, ACAM).map(|(v, _)| v);
    let Some(methods) = allow_list(
        raw.as_deref(),
        "Access-Control-Allow-Methods",
        INVALID_ALLOW_METHODS,
        "method names, e.g. GET,POST,PATCH",
        out,
    ) else {
        return;
    };
    if is_cors_safelisted_method(&method) || methods.iter().any(|m| *m == method) {
        return;
    }
    let wildcard = methods.contains(&"*");
    if wildcard && !req.credentials {
        return;
    }
    let shown = shorten_line(&method, MAX_SHOWN);
    let why = if raw.is_none() {
        " (the header is missing)"
    } else if wildcard {
        " ('*' does not cover methods when the request's credentials mode is 'include')"
    } else {
        ""
    };
    let upper = method.to_ascii_uppercase();
    let fix = if upper != method && methods.iter().any(|m| *m == upper) {
        format!("the browser sends {shown} as written and compares methods case-sensitively: write the method as {} in the request (or also list {shown})", shorten_line(&upper, MAX_SHOWN))
    } else {
        format!("add {shown} to Access-Control-Allow-Methods")
    };
    out.push(Problem::error(METHOD_NOT_ALLOWED,
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
    let Some(allowed) = allow_list(
        raw.as_deref(),
        "Access-Control-Allow-Headers",
        INVALID_ALLOW_HEADERS,
        "header names, e.g. Content-Type,Authorization",
        out,
    ) else {
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
        let shown = shorten_line(original_name(req, lower), MAX_SHOWN);
        if wildcard && !req.credentials && is_authorization {
            // The Fetch Standard excludes Authorization from `*`, but Chromium
            // (156) and Firefox still allow it, with a deprecation notice: a
            // warning today, an error once browsers enforce the standard.
            out.push(Problem::warning(HEADER_NOT_ALLOWED,
                format!("Request header field {shown} is covered only by '*' in Access-Control-Allow-Headers: browsers still allow this but have deprecated it, and the Fetch Standard says '*' never covers Authorization."),
                format!("add {shown} to Access-Control-Allow-Headers explicitly"),
            ));
            continue;
        }
        // Safelisted on its own, unsafe only through the 1024-byte total.
        let oversized = req.headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case(lower)
                && is_cors_safelisted_request_header(n, crate::headers::trim_http_whitespace(v))
        });
        let why = if oversized {
            " (its value is CORS-safelisted, but the safelisted values of the request add up to more than 1024 bytes)"
        } else if raw.is_none() {
            " (the header is missing)"
        } else if wildcard && is_authorization {
            " ('*' never covers Authorization)"
        } else if wildcard {
            " ('*' does not cover header names when the request's credentials mode is 'include')"
        } else {
            ""
        };
        out.push(Problem::error(HEADER_NOT_ALLOWED,
            format!("Request header field {shown} is not allowed by Access-Control-Allow-Headers in preflight response{why}."),
            if oversized {
                format!("add {shown} to Access-Control-Allow-Headers, or send shorter values (a preflight is needed once CORS-safelisted values exceed 1024 bytes in total)")
            } else {
                format!("add {shown} to Access-Control-Allow-Headers")
            },
        ));
    }
}

/// The checks a browser applies to the response of the actual (non-preflight)
/// request: the CORS check, plus a warning when a specific
/// `Access-Control-Allow-Origin` is not accompanied by `Vary: Origin` (assumed
/// to depend on the Origin: [`vary_problem`] can tell for sure).
pub fn check_actual(req: &BrowserRequest, resp: &ObservedResponse) -> Vec<Problem> {
    let mut out = check_actual_after(req, resp, None);
    out.extend(vary_problem(resp, None));
    out
}

/// The CORS check of a response to the actual request (a redirect included),
/// for a request whose origin a redirect may have tainted.
pub fn check_actual_after(
    req: &BrowserRequest,
    resp: &ObservedResponse,
    taint: Option<&Taint>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    cors_check(req, resp, "", taint, &mut out);
    out
}

/// The single, specific `Access-Control-Allow-Origin` of a response that does
/// not say `Vary: Origin` (or `Vary: *`): what a shared cache could serve to
/// another origin. `None` for `*`, no value, or several values.
pub fn unvaried_allow_origin(resp: &ObservedResponse) -> Option<String> {
    let (acao, count) = get_header(resp, ACAO)?;
    if count != 1 || acao == "*" || acao.contains(',') {
        return None;
    }
    let vary = get_header(resp, "vary").map(|(v, _)| v).unwrap_or_default();
    if list_contains(&vary, "origin") || list_contains(&vary, "*") {
        return None;
    }
    Some(acao)
}

/// `MISSING_VARY_ORIGIN` for `resp` when its `Access-Control-Allow-Origin` is
/// specific, not accompanied by `Vary: Origin`, and depends on the Origin:
/// `other_origin` is the response to the same request from another origin
/// (a different `Access-Control-Allow-Origin` there, or none, proves the
/// dependency); without it the dependency is assumed.
pub fn vary_problem(
    resp: &ObservedResponse,
    other_origin: Option<&ObservedResponse>,
) -> Option<Problem> {
    let acao = unvaried_allow_origin(resp)?;
    if let Some(other) = other_origin {
        if allow_origin(other).as_deref() == Some(acao.as_str()) {
            return None;
        }
    }
    Some(Problem::warning(MISSING_VARY_ORIGIN,
        format!(
            "The response allows the origin '{}' but its Vary header does not list Origin, so a shared cache may serve it to other origins.",
            shorten_line(&acao, MAX_SHOWN)
        ),
        "add Vary: Origin to every response whose Access-Control-Allow-Origin depends on the request's Origin".to_string(),
    ))
}

/// The (combined) `Access-Control-Allow-Origin` value of a response.
pub fn allow_origin(resp: &ObservedResponse) -> Option<String> {
    get_header(resp, ACAO).map(|(v, _)| v)
}

#[cfg(test)]
mod tests;
