//! The whole fetch a page's `fetch(url, { method, headers, credentials })`
//! makes, as a state machine the caller drives with real HTTP: the preflight
//! when one is needed, the actual request, each redirect (Fetch "HTTP-redirect
//! fetch": same-origin and cross-origin hops, the tainted origin, the method
//! change, the limit of 20), with the CORS check on every response of a
//! cross-origin hop, and one extra request to learn whether a specific
//! `Access-Control-Allow-Origin` depends on the Origin (for `Vary`).
//!
//! The caller (lib/check.js) only moves bytes: it asks [`Flow::next_request`]
//! what to send, sends it, and hands the answer to [`Flow::receive`] until
//! there is nothing left to send; then [`Flow::outcome`] has the verdict.

use super::*;
use crate::finding::shorten_line;

mod url;
use url::{parse_url, same_origin, UrlParts};

/// Longest value (in characters) a message or note quotes.
const MAX_SHOWN: usize = 200;

/// The kind of request the flow asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A CORS preflight (`OPTIONS`).
    Preflight,
    /// The request itself (first or redirected).
    Actual,
    /// The final request again with another `Origin`, to learn whether
    /// `Access-Control-Allow-Origin` depends on it.
    VaryProbe,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Preflight => "preflight",
            Stage::Actual => "actual",
            Stage::VaryProbe => "vary-probe",
        }
    }
}

/// A request to send, exactly as the browser would (the transport adds only
/// `Host`, `User-Agent` and connection headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub stage: Stage,
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    /// One line on why the browser sends it.
    pub purpose: String,
}

/// One request sent and its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub request: Outgoing,
    pub response: Option<ObservedResponse>,
    /// The absolute URL the response redirected to, when the flow followed it.
    pub redirect_to: Option<String>,
}

/// A problem and the exchange (index into [`Outcome::exchanges`]) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedProblem {
    pub problem: Problem,
    pub stage: Stage,
    pub exchange: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// No `Error` problem: the page can read the response.
    pub allowed: bool,
    pub problems: Vec<StagedProblem>,
    pub exchanges: Vec<Exchange>,
    /// Sentences for the reader (why a request was not sent, what a
    /// redirect changed, what the Vary probe found).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlowOptions {
    /// Stop after the first preflight (the actual request is not sent).
    pub preflight_only: bool,
    /// Send one more request with another Origin before warning about a
    /// missing `Vary: Origin` (otherwise the dependency is assumed).
    pub probe_vary: bool,
}

/// Why a flow cannot start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    pub code: &'static str,
    pub message: String,
}

/// The origin sent in the Vary probe (a reserved, never-resolving name).
pub const PROBE_ORIGIN: &str = "https://rust-cors-check.invalid";
const PROBE_ORIGIN_ALT: &str = "https://other.rust-cors-check.invalid";
/// Fetch: "If request's redirect count is 20, return a network error."
pub const MAX_REDIRECTS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Preflight,
    Actual,
    /// The final response (index) passed with this unvaried ACAO.
    VaryProbe(usize),
    Done,
}

/// Fetch's "request-body-header name"s, dropped when a redirect turns the
/// request into a GET.
const REQUEST_BODY_HEADERS: [&str; 4] = [
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
];

/// A fetch in progress.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The page's origin.
    origin: String,
    credentials: bool,
    options: FlowOptions,
    url: UrlParts,
    /// The current method (normalised; a redirect may change it to GET).
    method: String,
    /// The author request headers still sent (forbidden ones dropped, a
    /// repeated name combined, as a `Headers` object does).
    headers: Vec<(String, String)>,
    /// Response tainting "cors": set at the first cross-origin hop, for good.
    cors: bool,
    taint: Option<Taint>,
    redirects: usize,
    phase: Phase,
    exchanges: Vec<Exchange>,
    problems: Vec<StagedProblem>,
    notes: Vec<String>,
}

/// Author headers as a `Headers` object holds them: forbidden names dropped,
/// values trimmed, a repeated name (any case) combined with `, `.
fn header_list(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let value = crate::headers::trim_http_whitespace(value);
        if is_forbidden_request_header(name, value) {
            continue;
        }
        match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            None => out.push((name.clone(), value.to_string())),
        }
    }
    out
}

impl Flow {
    /// Starts the fetch of `url` (absolute, as a URL parser serialises it)
    /// that `req` describes.
    pub fn new(url: &str, req: &BrowserRequest, options: FlowOptions) -> Result<Flow, FlowError> {
        let url = parse_url(url);
        if !url.is_http {
            return Err(FlowError {
                code: "NOT_HTTP",
                message: format!(
                    "{} is not an http: or https: URL",
                    shorten_line(&url.href, MAX_SHOWN)
                ),
            });
        }
        if is_forbidden_method(&req.method) {
            return Err(FlowError {
                code: "FORBIDDEN_METHOD",
                message: format!(
                    "fetch() refuses the method {} (a forbidden method), so no browser can send it",
                    shorten_line(&req.method, MAX_SHOWN)
                ),
            });
        }
        if url.has_credentials {
            return Err(FlowError {
                code: "URL_WITH_CREDENTIALS",
                message: "fetch() rejects a URL with credentials (user:password@) before sending anything".to_string(),
            });
        }
        let mut flow = Flow {
            origin: req.origin.clone(),
            credentials: req.credentials,
            options,
            url,
            method: normalize_method(&req.method),
            headers: header_list(&req.headers),
            cors: false,
            taint: None,
            redirects: 0,
            phase: Phase::Done,
            exchanges: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        };
        flow.start_hop();
        if options.preflight_only && flow.phase != Phase::Preflight {
            return Err(FlowError {
                code: "NO_PREFLIGHT",
                message: format!(
                    "--preflight-only: a browser sends no preflight for {} {}, so there is nothing to check without the actual request (drop --preflight-only)",
                    shorten_line(&flow.method, MAX_SHOWN),
                    if flow.cors { "with only CORS-safelisted headers" } else { "to its own origin" }
                ),
            });
        }
        Ok(flow)
    }

    /// The request as the CORS rules see it on the current hop: the origin
    /// serialised (`null` once tainted), the current method and headers.
    fn current_request(&self) -> BrowserRequest {
        BrowserRequest {
            origin: self.serialized_origin(),
            method: self.method.clone(),
            headers: self.headers.clone(),
            credentials: self.credentials,
        }
    }

    fn serialized_origin(&self) -> String {
        if self.taint.is_some() {
            "null".to_string()
        } else {
            self.origin.clone()
        }
    }

    /// Fetch "main fetch" for the current URL: same-origin (basic) or CORS,
    /// and then whether a preflight comes first.
    fn start_hop(&mut self) {
        let basic = !self.cors && same_origin(&self.url.origin, &self.origin);
        if basic {
            if self.exchanges.is_empty() {
                self.notes.push(format!(
                    "{} is the URL's own origin: a browser applies no CORS checks to a same-origin request",
                    shorten_line(&self.origin, MAX_SHOWN)
                ));
            }
            self.phase = Phase::Actual;
            return;
        }
        self.cors = true;
        self.phase = if plan(&self.current_request()).is_some() {
            Phase::Preflight
        } else {
            Phase::Actual
        };
    }

    /// What to send now, or `None` when the fetch is over.
    pub fn next_request(&self) -> Option<Outgoing> {
        let origin = self.serialized_origin();
        match &self.phase {
            Phase::Done => None,
            Phase::Preflight => {
                let req = self.current_request();
                let planned = plan(&req)?;
                let mut headers = vec![
                    ("Origin".to_string(), origin),
                    (
                        "Access-Control-Request-Method".to_string(),
                        planned.method.clone(),
                    ),
                ];
                if let Some(names) = &planned.request_headers {
                    headers.push(("Access-Control-Request-Headers".to_string(), names.clone()));
                }
                headers.push(("Accept".to_string(), "*/*".to_string()));
                Some(Outgoing {
                    stage: Stage::Preflight,
                    url: self.url.href.clone(),
                    method: "OPTIONS".to_string(),
                    headers,
                    purpose: preflight_purpose(&planned),
                })
            }
            Phase::Actual => {
                let mut headers = self.headers.clone();
                if !headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
                {
                    headers.push(("Accept".to_string(), "*/*".to_string()));
                }
                // Fetch "append a request Origin header": always in CORS
                // mode, and for a same-origin request unless GET or HEAD.
                let purpose = if self.cors {
                    headers.push(("Origin".to_string(), origin));
                    if self.taint.is_some() {
                        "the actual request, with Origin: null (tainted by a cross-origin redirect)"
                    } else {
                        "the actual request (CORS)"
                    }
                } else {
                    if self.method != "GET" && self.method != "HEAD" {
                        headers.push(("Origin".to_string(), origin));
                    }
                    "the actual request (same-origin: no CORS check)"
                };
                Some(Outgoing {
                    stage: Stage::Actual,
                    url: self.url.href.clone(),
                    method: self.method.clone(),
                    headers,
                    purpose: purpose.to_string(),
                })
            }
            Phase::VaryProbe(final_index) => {
                let last = self.exchanges.get(*final_index)?;
                let probe = probe_origin(&self.origin);
                let mut request = last.request.clone();
                for (name, value) in &mut request.headers {
                    if name.eq_ignore_ascii_case("origin") {
                        *value = probe.to_string();
                    }
                }
                request.stage = Stage::VaryProbe;
                request.purpose = format!(
                    "not a browser request: the same {} with Origin: {probe}, to learn whether Access-Control-Allow-Origin depends on the Origin (it has no Vary: Origin)",
                    shorten_line(&request.method, MAX_SHOWN)
                );
                Some(request)
            }
        }
    }

    /// The response to the request [`Flow::next_request`] returned.
    /// `location` is the response's `Location` resolved against the request
    /// URL by a URL parser: `Some(Ok(href))`, or `Some(Err(raw))` when it
    /// does not parse; `None` without a `Location`.
    pub fn receive(
        &mut self,
        response: ObservedResponse,
        location: Option<Result<String, String>>,
    ) {
        let Some(request) = self.next_request() else {
            return;
        };
        let index = self.exchanges.len();
        self.exchanges.push(Exchange {
            request,
            response: Some(response.clone()),
            redirect_to: None,
        });
        // Chromium fails a response with conflicting repeated headers
        // before anything reads it (a network error).
        if let Some(name) = conflicting_header(&response) {
            let problem = conflicting_header_problem(name, &response);
            match self.phase {
                Phase::Done => {}
                Phase::VaryProbe(_) => self.probe_failed(&problem.message),
                Phase::Preflight => {
                    self.push(problem, Stage::Preflight, index);
                    self.phase = Phase::Done;
                }
                Phase::Actual => {
                    self.push(problem, Stage::Actual, index);
                    self.phase = Phase::Done;
                }
            }
            return;
        }
        match self.phase.clone() {
            Phase::Done => {}
            Phase::Preflight => self.receive_preflight(index, &response),
            Phase::Actual => self.receive_actual(index, &response, location),
            Phase::VaryProbe(final_index) => {
                let final_response = self
                    .exchanges
                    .get(final_index)
                    .and_then(|e| e.response.clone());
                if let Some(final_response) = final_response {
                    let other = allow_origin(&response);
                    match vary_problem(&final_response, Some(&response)) {
                        Some(problem) => {
                            self.notes.push(format!(
                                "Access-Control-Allow-Origin depends on the Origin: another origin got {}, so the response needs Vary: Origin",
                                other.map_or("none".to_string(), |v| format!("'{}'", shorten_line(&v, MAX_SHOWN)))
                            ));
                            self.push(problem, Stage::Actual, final_index);
                        }
                        None => self.notes.push(
                            "Access-Control-Allow-Origin is the same for another origin (a constant), so no Vary: Origin is needed".to_string(),
                        ),
                    }
                }
                self.phase = Phase::Done;
            }
        }
    }

    /// The Vary probe could not be sent or answered: assume the dependency.
    pub fn probe_failed(&mut self, reason: &str) {
        if let Phase::VaryProbe(final_index) = self.phase {
            let final_response = self
                .exchanges
                .get(final_index)
                .and_then(|e| e.response.clone());
            if let Some(problem) = final_response.as_ref().and_then(|r| vary_problem(r, None)) {
                self.push(problem, Stage::Actual, final_index);
            }
            self.notes.push(format!(
                "the extra request with another Origin failed ({}), so Access-Control-Allow-Origin is assumed to depend on the Origin",
                shorten_line(reason, MAX_SHOWN)
            ));
            self.phase = Phase::Done;
        }
    }

    fn push(&mut self, problem: Problem, stage: Stage, exchange: usize) {
        self.problems.push(StagedProblem {
            problem,
            stage,
            exchange,
        });
    }

    fn push_all(&mut self, problems: Vec<Problem>, stage: Stage, exchange: usize) -> bool {
        let blocked = !allowed(&problems);
        for problem in problems {
            self.push(problem, stage, exchange);
        }
        blocked
    }

    fn receive_preflight(&mut self, index: usize, response: &ObservedResponse) {
        let req = self.current_request();
        let problems = check_preflight_after(&req, response, self.taint.as_ref());
        if self.push_all(problems, Stage::Preflight, index) {
            self.notes.push(format!(
                "the actual {} request was not sent: a browser stops at a failed preflight",
                shorten_line(&self.method, MAX_SHOWN)
            ));
            self.phase = Phase::Done;
        } else if self.options.preflight_only {
            self.notes.push(format!(
                "the actual {} request was not sent (--preflight-only): its response must pass the CORS check too",
                shorten_line(&self.method, MAX_SHOWN)
            ));
            self.phase = Phase::Done;
        } else {
            self.phase = Phase::Actual;
        }
    }

    fn receive_actual(
        &mut self,
        index: usize,
        response: &ObservedResponse,
        location: Option<Result<String, String>>,
    ) {
        // Fetch "HTTP fetch": the CORS check applies to every response of a
        // CORS request, a redirect included, before the redirect is followed.
        if self.cors {
            let problems =
                check_actual_after(&self.current_request(), response, self.taint.as_ref());
            if self.push_all(problems, Stage::Actual, index) {
                if is_redirect_status(response.status) && location.is_some() {
                    self.notes.push(
                        "a browser applies the CORS check to a redirect response before following it: the redirect itself must carry the CORS headers".to_string(),
                    );
                }
                self.phase = Phase::Done;
                return;
            }
        }
        match location {
            Some(target) if is_redirect_status(response.status) => {
                self.redirect(index, response.status, target)
            }
            _ => self.finish(index, response),
        }
    }

    /// Fetch "HTTP-redirect fetch".
    fn redirect(&mut self, index: usize, status: u16, target: Result<String, String>) {
        let fail = |flow: &mut Flow, code: &'static str, message: String, fix: String| {
            flow.push(Problem::error(code, message, fix), Stage::Actual, index);
            flow.phase = Phase::Done;
        };
        let href = match target {
            Ok(href) => href,
            Err(raw) => {
                return fail(
                    self,
                    REDIRECT_INVALID_LOCATION,
                    format!(
                        "The redirect's Location '{}' is not a valid URL (network error).",
                        shorten_line(&raw, MAX_SHOWN)
                    ),
                    "send an absolute http(s) URL, or a valid relative one, in Location"
                        .to_string(),
                )
            }
        };
        let next = parse_url(&href);
        if !next.is_http {
            return fail(
                self,
                REDIRECT_INVALID_LOCATION,
                format!("The request was redirected to '{}', which is not an http(s) URL (network error).", shorten_line(&href, MAX_SHOWN)),
                "redirect only to http: or https: URLs".to_string(),
            );
        }
        if self.redirects >= MAX_REDIRECTS {
            return fail(
                self,
                REDIRECT_LIMIT,
                format!("More than {MAX_REDIRECTS} redirects (network error)."),
                "fix the redirect loop: a browser gives up after 20 redirects".to_string(),
            );
        }
        self.redirects += 1;
        // Fetch: mode "cors" and credentials in the URL across origins, or
        // any credentials in the URL once the response tainting is "cors".
        if next.has_credentials && (self.cors || !same_origin(&self.origin, &next.origin)) {
            return fail(
                self,
                REDIRECT_WITH_CREDENTIALS,
                format!("The request was redirected to a URL with credentials (user:password@) at {} (network error).", shorten_line(&next.origin, MAX_SHOWN)),
                "redirect to a URL without user:password@ (send credentials in a header or cookie)".to_string(),
            );
        }
        let mut changes: Vec<String> = Vec::new();
        let to_get = ((status == 301 || status == 302) && self.method == "POST")
            || (status == 303 && self.method != "GET" && self.method != "HEAD");
        if to_get {
            changes.push(format!(
                "the method becomes GET (was {}) and the body is dropped",
                shorten_line(&self.method, MAX_SHOWN)
            ));
            self.method = "GET".to_string();
            self.headers.retain(|(n, _)| {
                !REQUEST_BODY_HEADERS
                    .iter()
                    .any(|b| n.eq_ignore_ascii_case(b))
            });
        }
        let cross = !same_origin(&self.url.origin, &next.origin);
        if cross {
            let before = self.headers.len();
            self.headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            if self.headers.len() != before {
                changes.push(
                    "the Authorization header is removed (a cross-origin redirect)".to_string(),
                );
            }
            if self.taint.is_none() && !same_origin(&self.origin, &self.url.origin) {
                self.taint = Some(Taint {
                    from: self.url.href.clone(),
                    to: next.href.clone(),
                });
                changes.push(
                    "the request's origin is tainted: from now on the browser sends Origin: null"
                        .to_string(),
                );
            }
        }
        let kind = if cross {
            "another origin"
        } else {
            "the same origin"
        };
        let mut note = format!(
            "redirect {}: {status} from {} to {} ({kind})",
            self.redirects,
            shorten_line(&self.url.href, MAX_SHOWN),
            shorten_line(&next.href, MAX_SHOWN)
        );
        if !changes.is_empty() {
            note.push_str(": ");
            note.push_str(&changes.join("; "));
        }
        self.notes.push(note);
        if let Some(exchange) = self.exchanges.get_mut(index) {
            exchange.redirect_to = Some(next.href.clone());
        }
        self.url = next;
        self.start_hop();
    }

    fn finish(&mut self, index: usize, response: &ObservedResponse) {
        if response.status >= 400 {
            self.notes.push(format!(
                "the actual request got {}: that is the server's own answer (CORS only decides whether the page may read it)",
                response.status
            ));
        }
        self.phase = Phase::Done;
        if !self.cors || unvaried_allow_origin(response).is_none() {
            return;
        }
        if !self.options.probe_vary {
            if let Some(problem) = vary_problem(response, None) {
                self.push(problem, Stage::Actual, index);
            }
            return;
        }
        if self.method == "GET" || self.method == "HEAD" {
            self.phase = Phase::VaryProbe(index);
        } else {
            self.notes.push(format!(
                "Vary: Origin not checked: HTTP caches do not serve a response to {} to later requests",
                shorten_line(&self.method, MAX_SHOWN)
            ));
        }
    }

    /// The verdict so far (final once [`Flow::next_request`] is `None`).
    pub fn outcome(&self) -> Outcome {
        Outcome {
            allowed: !self
                .problems
                .iter()
                .any(|p| p.problem.severity == Severity::Error),
            problems: self.problems.clone(),
            exchanges: self.exchanges.clone(),
            notes: self.notes.clone(),
        }
    }
}

fn probe_origin(origin: &str) -> &'static str {
    if origin == PROBE_ORIGIN {
        PROBE_ORIGIN_ALT
    } else {
        PROBE_ORIGIN
    }
}

fn preflight_purpose(planned: &PreflightPlan) -> String {
    let mut parts = Vec::new();
    if !is_cors_safelisted_method(&planned.method) {
        parts.push(format!(
            "{} is not GET, HEAD or POST",
            shorten_line(&planned.method, MAX_SHOWN)
        ));
    }
    if let Some(names) = &planned.request_headers {
        parts.push(format!(
            "the request sets non-safelisted headers ({})",
            shorten_line(names, MAX_SHOWN)
        ));
    }
    format!(
        "preflight: a browser sends OPTIONS first, as {}",
        parts.join(" and ")
    )
}

#[cfg(test)]
mod tests;
