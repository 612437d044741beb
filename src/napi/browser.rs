//! The N-API surface of the browser model (`fetch`): what a browser sends
//! (`planRequest`), its preflight checks (`checkPreflight`), and the whole
//! fetch as a flow JS drives with real HTTP (`BrowserFetch`). Conversion and
//! argument checks only; no CORS logic.

use napi::{Error, Result, Status};
use napi_derive::napi;

use crate::fetch::{self, BrowserRequest, ObservedResponse, Problem};

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
    // Chromium takes any digits as the status (a 4-digit one included);
    // a page's Response holds 16 bits.
    let status = u16::try_from(resp.status).ok().ok_or_else(|| {
        invalid(format!(
            "response.status must be an HTTP status from 0 to 65535, got {}",
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
            severity: p.severity.as_str().to_string(),
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
/// A response head as Chromium reads it (src/fetch/head.rs).
#[napi(object)]
pub struct JsResponseHead {
    pub status: u32,
    pub status_text: String,
    pub http_version: String,
    pub headers: Vec<Vec<String>>,
}

/// The length of the response head at the start of `raw` (bytes), or
/// `null` while it is incomplete.
#[napi]
pub fn response_head_length(raw: napi::bindgen_prelude::Buffer) -> Option<u32> {
    fetch::head_length(&raw).and_then(|n| u32::try_from(n).ok())
}

/// Parses a raw response head as Chromium does; a head Chromium refuses
/// throws an Error with code `INVALID_HTTP_RESPONSE`.
#[napi]
pub fn parse_response_head(raw: napi::bindgen_prelude::Buffer) -> Result<JsResponseHead> {
    match fetch::parse_head(&raw) {
        Ok(head) => Ok(JsResponseHead {
            status: u32::from(head.status),
            status_text: head.status_text,
            http_version: head.version,
            headers: to_js_pairs(head.headers),
        }),
        Err(why) => Err(Error::new(
            Status::InvalidArg,
            format!("{}: {why}", fetch::INVALID_HTTP_RESPONSE),
        )),
    }
}

/// The `Location` a browser's redirect would follow in a response (`status`,
/// header pairs), as text to resolve against the request URL; `null` when
/// the response is not followed as a redirect (src/fetch/head.rs).
#[napi]
pub fn redirect_location(resp: JsObservedResponse) -> Result<Option<String>> {
    Ok(fetch::redirect_location(&to_response(resp)?))
}

#[napi]
pub fn check_preflight(req: JsBrowserRequest, resp: JsObservedResponse) -> Result<Vec<JsProblem>> {
    let req = to_request(req)?;
    let resp = to_response(resp)?;
    Ok(to_js(fetch::check_preflight(&req, &resp)))
}

/// What `fetch(url, { method, headers, credentials })` from a page at
/// `origin` is, for [`BrowserFetch`].
#[napi(object)]
pub struct JsFetchInput {
    /// The absolute URL, as a URL parser serialises it (`new URL(u).href`).
    pub url: String,
    pub origin: String,
    pub method: String,
    pub headers: Vec<Vec<String>>,
    pub credentials: bool,
    /// Stop after the preflight.
    pub preflight_only: Option<bool>,
    /// Send one extra request with another Origin before warning about a
    /// missing `Vary: Origin`.
    pub probe_vary: Option<bool>,
}

/// A request to send, as the browser would send it.
#[napi(object)]
pub struct JsOutgoing {
    #[napi(ts_type = "'preflight' | 'actual' | 'vary-probe'")]
    pub stage: String,
    pub url: String,
    pub method: String,
    pub headers: Vec<Vec<String>>,
    pub purpose: String,
}

/// A response as received, with its `Location` resolved against the request
/// URL (`location`), or the raw value when it does not parse
/// (`invalidLocation`).
#[napi(object)]
pub struct JsReceived {
    pub status: u32,
    pub headers: Vec<Vec<String>>,
    pub location: Option<String>,
    pub invalid_location: Option<String>,
}

#[napi(object)]
pub struct JsStagedProblem {
    pub code: String,
    #[napi(ts_type = "'error' | 'warning'")]
    pub severity: String,
    pub message: String,
    pub fix: String,
    #[napi(ts_type = "'preflight' | 'actual' | 'vary-probe'")]
    pub stage: String,
    /// Index into `exchanges`.
    pub exchange: u32,
}

#[napi(object)]
pub struct JsExchange {
    pub request: JsOutgoing,
    pub response: Option<JsObservedResponse>,
    pub redirect_to: Option<String>,
}

#[napi(object)]
pub struct JsOutcome {
    pub allowed: bool,
    pub problems: Vec<JsStagedProblem>,
    pub exchanges: Vec<JsExchange>,
    pub notes: Vec<String>,
}

/// Why a fetch cannot start (`code`, `message`).
#[napi(object)]
pub struct JsRefusal {
    pub code: String,
    pub message: String,
}

fn to_js_pairs(pairs: Vec<(String, String)>) -> Vec<Vec<String>> {
    pairs.into_iter().map(|(n, v)| vec![n, v]).collect()
}

fn to_js_outgoing(out: fetch::Outgoing) -> JsOutgoing {
    JsOutgoing {
        stage: out.stage.as_str().to_string(),
        url: out.url,
        method: out.method,
        headers: to_js_pairs(out.headers),
        purpose: out.purpose,
    }
}

/// The whole fetch of a page, driven by the caller's HTTP (src/fetch/flow.rs):
/// `nextRequest()` says what to send, `receive()` takes the answer, until
/// `nextRequest()` is `null`; then `outcome()`.
#[napi]
pub struct BrowserFetch {
    flow: Option<fetch::Flow>,
    refusal: Option<fetch::FlowError>,
}

#[napi]
impl BrowserFetch {
    #[napi(constructor)]
    pub fn new(input: JsFetchInput) -> Result<Self> {
        let req = BrowserRequest {
            origin: input.origin,
            method: input.method,
            headers: pairs(input.headers, "request")?,
            credentials: input.credentials,
        };
        let options = fetch::FlowOptions {
            preflight_only: input.preflight_only.unwrap_or(false),
            probe_vary: input.probe_vary.unwrap_or(true),
        };
        Ok(match fetch::Flow::new(&input.url, &req, options) {
            Ok(flow) => BrowserFetch {
                flow: Some(flow),
                refusal: None,
            },
            Err(refusal) => BrowserFetch {
                flow: None,
                refusal: Some(refusal),
            },
        })
    }

    /// Why the browser would not even start this fetch, if so.
    #[napi]
    pub fn refusal(&self) -> Option<JsRefusal> {
        self.refusal.as_ref().map(|r| JsRefusal {
            code: r.code.to_string(),
            message: r.message.clone(),
        })
    }

    /// The request to send now, or `null` when the fetch is over.
    #[napi]
    pub fn next_request(&self) -> Option<JsOutgoing> {
        self.flow.as_ref()?.next_request().map(to_js_outgoing)
    }

    /// The answer to the request `nextRequest()` returned.
    #[napi]
    pub fn receive(&mut self, response: JsReceived) -> Result<()> {
        let location = match (response.location, response.invalid_location) {
            (Some(href), _) => Some(Ok(href)),
            (None, Some(raw)) => Some(Err(raw)),
            (None, None) => None,
        };
        let observed = to_response(JsObservedResponse {
            status: response.status,
            headers: response.headers,
        })?;
        if let Some(flow) = self.flow.as_mut() {
            flow.receive(observed, location);
        }
        Ok(())
    }

    /// The extra Vary request failed (the warning is then assumed).
    #[napi]
    pub fn probe_failed(&mut self, reason: String) {
        if let Some(flow) = self.flow.as_mut() {
            flow.probe_failed(&reason);
        }
    }

    /// The verdict, the exchanges and the notes so far.
    #[napi]
    pub fn outcome(&self) -> JsOutcome {
        let Some(flow) = self.flow.as_ref() else {
            return JsOutcome {
                allowed: false,
                problems: Vec::new(),
                exchanges: Vec::new(),
                notes: Vec::new(),
            };
        };
        let outcome = flow.outcome();
        JsOutcome {
            allowed: outcome.allowed,
            problems: outcome
                .problems
                .into_iter()
                .map(|staged| {
                    let stage = staged.stage.as_str().to_string();
                    let exchange = u32::try_from(staged.exchange).unwrap_or(u32::MAX);
                    let p = staged.problem;
                    JsStagedProblem {
                        code: p.code.to_string(),
                        severity: p.severity.as_str().to_string(),
                        message: p.message,
                        fix: p.fix,
                        stage,
                        exchange,
                    }
                })
                .collect(),
            exchanges: outcome
                .exchanges
                .into_iter()
                .map(|e| JsExchange {
                    request: to_js_outgoing(e.request),
                    response: e.response.map(|r| JsObservedResponse {
                        status: u32::from(r.status),
                        headers: to_js_pairs(r.headers),
                    }),
                    redirect_to: e.redirect_to,
                })
                .collect(),
            notes: outcome.notes,
        }
    }
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
        assert!(to_response(resp(2000)).is_ok());
        assert!(to_response(resp(65536)).is_err());
        assert!(to_response(resp(u32::MAX)).is_err());
    }

    #[test]
    fn plan() {
        let plan = plan_request(js_req(vec![]));
        assert!(plan.is_ok_and(|p| p.preflight && p.method == "PUT"));
    }

    #[test]
    fn browser_fetch_converts_both_ways() {
        let input = |url: &str, method: &str| JsFetchInput {
            url: url.into(),
            origin: "https://a.example".into(),
            method: method.into(),
            headers: vec![vec!["X-A".into(), "1".into()]],
            credentials: false,
            preflight_only: None,
            probe_vary: Some(false),
        };
        let refused = BrowserFetch::new(input("ftp://x/", "GET"));
        assert!(refused.is_ok_and(|f| f.refusal().is_some_and(|r| r.code == "NOT_HTTP")));
        let Ok(mut flow) = BrowserFetch::new(input("https://b.example/x", "GET")) else {
            panic!("a valid input");
        };
        assert!(flow.refusal().is_none());
        let pre = flow.next_request();
        assert!(pre
            .as_ref()
            .is_some_and(|r| r.stage == "preflight" && r.method == "OPTIONS"));
        let answer = |status, headers: &[(&str, &str)], location: Option<&str>| JsReceived {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| vec![n.to_string(), v.to_string()])
                .collect(),
            location: location.map(String::from),
            invalid_location: None,
        };
        let cors = [
            ("Access-Control-Allow-Origin", "https://a.example"),
            ("Access-Control-Allow-Headers", "x-a"),
            ("Vary", "Origin"),
        ];
        assert!(flow.receive(answer(204, &cors, None)).is_ok());
        assert!(flow
            .receive(answer(302, &cors, Some("https://c.example/y")))
            .is_ok());
        let outcome = flow.outcome();
        assert_eq!(outcome.exchanges.len(), 2);
        assert_eq!(
            outcome.exchanges[1].redirect_to.as_deref(),
            Some("https://c.example/y")
        );
        // A bad status is an argument error, not a verdict.
        assert!(flow.receive(answer(70000, &[], None)).is_err());
    }
}

/// Why a text is not how a browser writes an origin, and the origin a
/// browser would send for it (`rust-cors check --origin`).
#[napi(object)]
pub struct JsNotSerialized {
    /// e.g. `ends with a slash and has an upper-case host`.
    pub reason: String,
    pub serialized: Option<String>,
}

/// `null` when `text` is a serialized origin (or `null`), else why not
/// ([`fetch::check_serialized_origin`], the rule the policy's
/// `RUST_CORS_ORIGIN_NEVER_MATCHES` uses too).
#[napi]
pub fn check_origin_text(text: String) -> Option<JsNotSerialized> {
    fetch::check_serialized_origin(&text).map(|miss| JsNotSerialized {
        reason: miss.describe(),
        serialized: miss.serialized,
    })
}
