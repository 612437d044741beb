use super::*;
use crate::fetch::test_support::*;

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
fn oversized_safelisted_values_are_explained() {
    let v = "a".repeat(128);
    let names = ["Accept", "Accept-Language", "Content-Language"];
    let headers: Vec<(&str, &str)> = (0..9).map(|i| (names[i % 3], v.as_str())).collect();
    let r = req("GET", &headers, false);
    let p = check_preflight(&r, &resp(204, &[("Access-Control-Allow-Origin", "*")]));
    assert_eq!(codes(&p), vec![HEADER_NOT_ALLOWED; 3]);
    assert!(
        p[0].message.contains("more than 1024 bytes"),
        "{}",
        p[0].message
    );
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
