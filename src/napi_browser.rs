//! N-API wrappers for the browser model (`fetch.rs`) and the origin-pattern
//! parser (`pattern.rs`). Conversion and argument checks only; no CORS logic.

use napi::{Error, Result, Status};
use napi_derive::napi;

use crate::fetch::{self, BrowserRequest, ObservedResponse, Problem, Severity};
use crate::pattern;

/// A request as a page's script would make it.
#[napi(object)]
pub struct JsBrowserRequest {
    /// The page's serialised origin, e.g. `https://app.example.com`.
    pub origin: String,
    /// The method as the script wrote it.
    pub method: String,
    /// Author request headers as `[name, value]` pairs.
    pub headers: Vec<Vec<String>>,
    /// Credentials mode "include".
    pub credentials: bool,
}

/// A response as observed: status and raw `[name, value]` pairs in order.
#[napi(object)]
pub struct JsObservedResponse {
    pub status: u32,
    pub headers: Vec<Vec<String>>,
}

/// One problem a browser would report.
#[napi(object)]
pub struct JsProblem {
    pub code: String,
    /// `"error"` (the browser blocks the request) or `"warning"`.
    #[napi(ts_type = "'error' | 'warning'")]
    pub severity: String,
    pub message: String,
    pub fix: String,
}

/// Whether a browser sends a preflight, and what it carries.
#[napi(object)]
pub struct JsPlan {
    pub preflight: bool,
    /// The normalised method (`Access-Control-Request-Method`).
    pub method: String,
    /// `Access-Control-Request-Headers`, if any.
    pub request_headers: Option<String>,
}

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn pairs(headers: Vec<Vec<String>>, what: &str) -> Result<Vec<(String, String)>> {
    headers
        .into_iter()
        .enumerate()
        .map(|(i, pair)| {
            let len = pair.len();
            let mut it = pair.into_iter();
            match (it.next(), it.next(), it.next()) {
                (Some(name), Some(value), None) => Ok((name, value)),
                _ => Err(invalid(format!(
                    "{what}.headers[{i}] must be a [name, value] pair of strings, got {len} item(s)"
                ))),
            }
        })
        .collect()
}

fn to_request(req: JsBrowserRequest) -> Result<BrowserRequest> {
    Ok(BrowserRequest {
        origin: req.origin,
        method: req.method,
        headers: pairs(req.headers, "request")?,
        credentials: req.credentials,
    })
}

fn to_response(resp: JsObservedResponse) -> Result<ObservedResponse> {
    let status = u16::try_from(resp.status)
        .ok()
        .filter(|s| *s <= 999)
        .ok_or_else(|| {
            invalid(format!(
                "response.status must be an HTTP status from 0 to 999, got {}",
                resp.status
            ))
        })?;
    Ok(ObservedResponse {
        status,
        headers: pairs(resp.headers, "response")?,
    })
}

fn to_js(problems: Vec<Problem>) -> Vec<JsProblem> {
    problems
        .into_iter()
        .map(|p| JsProblem {
            code: p.code.to_string(),
            severity: match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_string(),
            message: p.message,
            fix: p.fix,
        })
        .collect()
}

/// Whether a browser sends a CORS preflight for this request, with the
/// preflight's method and `Access-Control-Request-Headers`.
#[napi]
pub fn plan_request(req: JsBrowserRequest) -> Result<JsPlan> {
    let req = to_request(req)?;
    Ok(match fetch::plan(&req) {
        Some(plan) => JsPlan {
            preflight: true,
            method: plan.method,
            request_headers: plan.request_headers,
        },
        None => JsPlan {
            preflight: false,
            method: fetch::normalize_method(&req.method),
            request_headers: None,
        },
    })
}

/// The problems a browser finds in the response to the preflight of `req`.
#[napi]
pub fn check_preflight(req: JsBrowserRequest, resp: JsObservedResponse) -> Result<Vec<JsProblem>> {
    let req = to_request(req)?;
    let resp = to_response(resp)?;
    Ok(to_js(fetch::check_preflight(&req, &resp)))
}

/// The problems a browser finds in the response to the actual request `req`.
#[napi]
pub fn check_actual(req: JsBrowserRequest, resp: JsObservedResponse) -> Result<Vec<JsProblem>> {
    let req = to_request(req)?;
    let resp = to_response(resp)?;
    Ok(to_js(fetch::check_actual(&req, &resp)))
}

/// `true` if `pattern` is a valid origin pattern; otherwise throws an
/// `InvalidArg` error whose message names the problem and the fix.
#[napi]
pub fn parse_origin_pattern(pattern: String) -> Result<bool> {
    pattern::parse_pattern(&pattern)
        .map(|_| true)
        .map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js_req(headers: Vec<Vec<String>>) -> JsBrowserRequest {
        JsBrowserRequest {
            origin: "https://a.example".into(),
            method: "put".into(),
            headers,
            credentials: false,
        }
    }

    #[test]
    fn malformed_pairs_are_errors() {
        let e = to_request(js_req(vec![vec!["x-a".into()]])).err();
        assert!(e.is_some_and(|e| e.reason.contains("request.headers[0]")));
        let e = to_request(js_req(vec![vec!["a".into(), "b".into(), "c".into()]])).err();
        assert!(e.is_some_and(|e| e.status == Status::InvalidArg));
        assert!(to_request(js_req(vec![vec!["a".into(), "b".into()]])).is_ok());
    }

    #[test]
    fn status_range() {
        let resp = |status| JsObservedResponse {
            status,
            headers: vec![],
        };
        assert!(to_response(resp(999)).is_ok());
        assert!(to_response(resp(0)).is_ok());
        assert!(to_response(resp(1000)).is_err());
        assert!(to_response(resp(u32::MAX)).is_err());
    }

    #[test]
    fn plan_and_pattern() {
        let plan = plan_request(js_req(vec![]));
        assert!(plan.is_ok_and(|p| p.preflight && p.method == "PUT"));
        assert!(parse_origin_pattern("https://*.example.com".into()).is_ok_and(|v| v));
        let e = parse_origin_pattern("https://*.com".into()).err();
        assert!(
            e.is_some_and(|e| e.status == Status::InvalidArg && e.reason.contains("public suffix"))
        );
    }
}
