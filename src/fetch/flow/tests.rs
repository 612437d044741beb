use super::*;
use crate::fetch::test_support::{codes, resp, ORIGIN};

const API: &str = "https://api.example.com/data";

fn request(method: &str, headers: &[(&str, &str)], credentials: bool) -> BrowserRequest {
    crate::fetch::test_support::req(method, headers, credentials)
}

fn start(url: &str, req: &BrowserRequest) -> Flow {
    let options = FlowOptions {
        preflight_only: false,
        probe_vary: true,
    };
    match Flow::new(url, req, options) {
        Ok(flow) => flow,
        Err(e) => panic!("{e:?}"),
    }
}

fn header<'a>(out: &'a Outgoing, name: &str) -> Option<&'a str> {
    out.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn step(flow: &Flow) -> Outgoing {
    match flow.next_request() {
        Some(out) => out,
        None => panic!("the flow is over: {:?}", flow.outcome()),
    }
}

fn all_codes(flow: &Flow) -> Vec<&'static str> {
    flow.outcome()
        .problems
        .iter()
        .map(|p| p.problem.code)
        .collect()
}

fn cors_ok(origin: &str) -> Vec<(String, String)> {
    vec![
        ("Access-Control-Allow-Origin".into(), origin.into()),
        ("Vary".into(), "Origin".into()),
        ("Access-Control-Allow-Methods".into(), "PUT".into()),
        ("Access-Control-Allow-Headers".into(), "x-a".into()),
    ]
}

fn answer(status: u16, headers: Vec<(String, String)>) -> ObservedResponse {
    ObservedResponse { status, headers }
}

#[test]
fn simple_get_then_done() {
    let mut flow = start(API, &request("get", &[], false));
    let out = step(&flow);
    assert_eq!((out.stage, out.method.as_str()), (Stage::Actual, "GET"));
    assert_eq!(header(&out, "origin"), Some(ORIGIN));
    assert_eq!(header(&out, "accept"), Some("*/*"));
    flow.receive(answer(200, cors_ok(ORIGIN)), None);
    assert!(flow.next_request().is_none());
    assert!(flow.outcome().allowed);
}

#[test]
fn preflight_then_actual_and_stop_after_failure() {
    let req = request("PUT", &[("X-A", "1"), ("Cookie", "a=b")], false);
    let mut flow = start(API, &req);
    let pre = step(&flow);
    assert_eq!(pre.stage, Stage::Preflight);
    assert_eq!(header(&pre, "access-control-request-method"), Some("PUT"));
    assert_eq!(header(&pre, "access-control-request-headers"), Some("x-a"));
    assert_eq!(header(&pre, "x-a"), None);
    flow.receive(answer(204, cors_ok(ORIGIN)), None);
    let actual = step(&flow);
    assert_eq!(header(&actual, "x-a"), Some("1"));
    assert_eq!(header(&actual, "cookie"), None);
    flow.receive(answer(200, cors_ok(ORIGIN)), None);
    assert!(flow.next_request().is_none());
    assert!(flow.outcome().allowed);

    let mut blocked = start(API, &req);
    blocked.receive(answer(404, vec![]), None);
    assert!(blocked.next_request().is_none());
    assert!(!blocked.outcome().allowed);
    assert_eq!(blocked.outcome().exchanges.len(), 1);
}

#[test]
fn redirected_preflight_is_blocked() {
    let mut flow = start(API, &request("PUT", &[], false));
    let mut headers = cors_ok(ORIGIN);
    headers.push(("Location".into(), "https://api.example.com/data/".into()));
    flow.receive(answer(301, headers), None);
    assert!(flow.next_request().is_none());
    assert_eq!(all_codes(&flow), vec![PREFLIGHT_REDIRECT]);
    // A 3xx without Location is just not ok.
    let mut flow = start(API, &request("PUT", &[], false));
    flow.receive(answer(302, cors_ok(ORIGIN)), None);
    assert_eq!(all_codes(&flow), vec![PREFLIGHT_NOT_OK]);
}

#[test]
fn same_origin_hop_keeps_the_origin() {
    let mut flow = start(API, &request("GET", &[], false));
    flow.receive(
        answer(302, cors_ok(ORIGIN)),
        Some(Ok("https://api.example.com/v2/data".into())),
    );
    let out = step(&flow);
    assert_eq!(out.url, "https://api.example.com/v2/data");
    assert_eq!(header(&out, "origin"), Some(ORIGIN));
    flow.receive(answer(200, cors_ok(ORIGIN)), None);
    assert!(flow.outcome().allowed);
}

#[test]
fn cross_origin_hop_taints_the_origin() {
    let mut flow = start(API, &request("GET", &[], false));
    flow.receive(
        answer(302, cors_ok(ORIGIN)),
        Some(Ok("https://cdn.example.net/data".into())),
    );
    let out = step(&flow);
    assert_eq!(header(&out, "origin"), Some("null"));
    flow.receive(answer(200, cors_ok(ORIGIN)), None);
    assert_eq!(all_codes(&flow), vec![REDIRECT_TAINTED_ORIGIN]);
    let problem = &flow.outcome().problems[0].problem;
    assert!(problem
        .message
        .contains("redirected from https://api.example.com/data"));
    assert!(!problem.fix.contains("add null"));
    assert!(problem.fix.contains("do not allow the origin null"));
    // `*` or `null` pass.
    let mut star = start(API, &request("GET", &[], false));
    star.receive(
        answer(302, cors_ok(ORIGIN)),
        Some(Ok("https://cdn.example.net/x".into())),
    );
    star.receive(
        answer(
            200,
            vec![("Access-Control-Allow-Origin".into(), "*".into())],
        ),
        None,
    );
    assert!(star.outcome().allowed);
}

#[test]
fn first_hop_from_the_page_origin_does_not_taint() {
    // Page origin -> its own URL -> another origin: not tainted (the
    // request's origin was same origin with the redirecting URL).
    let page_url = format!("{ORIGIN}/go");
    let mut flow = start(&page_url, &request("GET", &[], false));
    let out = step(&flow);
    assert_eq!(
        header(&out, "origin"),
        None,
        "same-origin GET has no Origin"
    );
    flow.receive(answer(302, vec![]), Some(Ok(API.into())));
    let out = step(&flow);
    assert_eq!(header(&out, "origin"), Some(ORIGIN));
    flow.receive(answer(200, cors_ok(ORIGIN)), None);
    assert!(flow.outcome().allowed, "{:?}", flow.outcome());
}

#[test]
fn redirect_response_needs_cors_headers_itself() {
    let mut flow = start(API, &request("GET", &[], false));
    flow.receive(
        answer(302, vec![]),
        Some(Ok("https://api.example.com/x".into())),
    );
    assert!(flow.next_request().is_none());
    assert_eq!(all_codes(&flow), vec![ORIGIN_NOT_ALLOWED]);
}

#[test]
fn cross_origin_redirect_preflights_again_with_null() {
    let mut flow = start(API, &request("PUT", &[("X-A", "1")], false));
    flow.receive(answer(204, cors_ok(ORIGIN)), None);
    flow.receive(
        answer(307, cors_ok(ORIGIN)),
        Some(Ok("https://b.example.org/y".into())),
    );
    let pre = step(&flow);
    assert_eq!(pre.stage, Stage::Preflight);
    assert_eq!(header(&pre, "origin"), Some("null"));
    flow.receive(answer(204, cors_ok("null")), None);
    let actual = step(&flow);
    assert_eq!(actual.method, "PUT");
    flow.receive(answer(200, cors_ok("null")), None);
    assert!(flow.outcome().allowed, "{:?}", flow.outcome());
}

#[test]
fn post_becomes_get_and_authorization_is_dropped() {
    let req = request(
        "POST",
        &[
            ("Content-Type", "text/plain"),
            ("Authorization", "Bearer t"),
        ],
        false,
    );
    let mut flow = start(API, &req);
    let headers = vec![
        (
            "Access-Control-Allow-Origin".to_string(),
            ORIGIN.to_string(),
        ),
        (
            "Access-Control-Allow-Headers".to_string(),
            "authorization".to_string(),
        ),
    ];
    flow.receive(answer(204, headers.clone()), None);
    flow.receive(
        answer(302, headers),
        Some(Ok("https://other.example.org/z".into())),
    );
    let out = step(&flow);
    assert_eq!(
        out.stage,
        Stage::Actual,
        "GET without Authorization needs no preflight"
    );
    assert_eq!(out.method, "GET");
    assert_eq!(header(&out, "content-type"), None);
    assert_eq!(header(&out, "authorization"), None);
    // 307 keeps the method.
    let mut keep = start(API, &request("POST", &[], false));
    keep.receive(
        answer(307, cors_ok(ORIGIN)),
        Some(Ok("https://api.example.com/b".into())),
    );
    assert_eq!(step(&keep).method, "POST");
    // 303 turns PUT into GET.
    let mut see_other = start(API, &request("PUT", &[], false));
    see_other.receive(answer(204, cors_ok(ORIGIN)), None);
    see_other.receive(
        answer(303, cors_ok(ORIGIN)),
        Some(Ok("https://api.example.com/b".into())),
    );
    assert_eq!(step(&see_other).method, "GET");
}

#[test]
fn redirect_network_errors() {
    let go = |target: Result<String, String>| {
        let mut flow = start(API, &request("GET", &[], false));
        flow.receive(answer(302, cors_ok(ORIGIN)), Some(target));
        all_codes(&flow)
    };
    assert_eq!(go(Err("http://[".into())), vec![REDIRECT_INVALID_LOCATION]);
    assert_eq!(
        go(Ok("data:text/plain,x".into())),
        vec![REDIRECT_INVALID_LOCATION]
    );
    assert_eq!(
        go(Ok("https://u:p@api.example.com/x".into())),
        vec![REDIRECT_WITH_CREDENTIALS]
    );
    let mut flow = start(API, &request("GET", &[], false));
    for i in 0..=MAX_REDIRECTS {
        assert!(flow.next_request().is_some(), "{i}");
        flow.receive(
            answer(302, cors_ok(ORIGIN)),
            Some(Ok(format!("https://api.example.com/{i}"))),
        );
    }
    assert_eq!(all_codes(&flow), vec![REDIRECT_LIMIT]);
    assert_eq!(flow.outcome().exchanges.len(), MAX_REDIRECTS + 1);
}

#[test]
fn vary_probe_decides_the_warning() {
    let unvaried = vec![(
        "Access-Control-Allow-Origin".to_string(),
        ORIGIN.to_string(),
    )];
    // Constant: the other origin gets the same value.
    let mut flow = start(API, &request("GET", &[], false));
    flow.receive(answer(200, unvaried.clone()), None);
    let probe = step(&flow);
    assert_eq!(probe.stage, Stage::VaryProbe);
    assert_eq!(header(&probe, "origin"), Some(PROBE_ORIGIN));
    flow.receive(answer(200, unvaried.clone()), None);
    assert!(flow.next_request().is_none());
    assert!(all_codes(&flow).is_empty());
    // Echoed: it differs.
    let mut flow = start(API, &request("GET", &[], false));
    flow.receive(answer(200, unvaried.clone()), None);
    flow.receive(answer(200, vec![]), None);
    assert_eq!(all_codes(&flow), vec![MISSING_VARY_ORIGIN]);
    assert!(flow.outcome().allowed);
    // The probe failed: assumed.
    let mut flow = start(API, &request("GET", &[], false));
    flow.receive(answer(200, unvaried.clone()), None);
    flow.probe_failed("timeout");
    assert_eq!(all_codes(&flow), vec![MISSING_VARY_ORIGIN]);
    // Not for a PUT.
    let mut flow = start(API, &request("PUT", &[], false));
    flow.receive(answer(204, cors_ok(ORIGIN)), None);
    flow.receive(answer(200, unvaried), None);
    assert!(flow.next_request().is_none());
    assert!(all_codes(&flow).is_empty());
    assert_eq!(codes(&[]), Vec::<&str>::new());
    let _ = resp(200, &[]);
}

#[test]
fn refuses_what_fetch_refuses_up_front() {
    let req = request("GET", &[], false);
    let options = FlowOptions::default();
    assert!(Flow::new("ftp://x/", &req, options).is_err());
    assert!(Flow::new("https://u:p@x/", &req, options).is_err());
    let trace = request("trace", &[], false);
    assert_eq!(
        Flow::new(API, &trace, options).err().map(|e| e.code),
        Some("FORBIDDEN_METHOD")
    );
    let only = FlowOptions {
        preflight_only: true,
        probe_vary: false,
    };
    assert_eq!(
        Flow::new(API, &req, only).err().map(|e| e.code),
        Some("NO_PREFLIGHT")
    );
    assert!(Flow::new(API, &request("PUT", &[], false), only).is_ok());
}

#[test]
fn odd_urls_do_not_panic() {
    for url in [
        "",
        ":",
        "://",
        "http://",
        "http://@",
        "https://a@b@c/",
        "é://x",
        "http:/x",
    ] {
        let _ = parse_url(url);
        let _ = Flow::new(url, &request("GET", &[], false), FlowOptions::default());
    }
}
