use super::*;
use crate::origin::Verdict;

fn text(s: &str) -> Given {
    Given::String(s.into())
}

fn header(given: Given) -> HeaderInput {
    HeaderInput {
        given,
        names: None,
        text: None,
        throws: false,
    }
}

fn names(list: &[&str]) -> HeaderInput {
    HeaderInput {
        given: Given::Array,
        names: Some(list.iter().map(|s| s.to_string()).collect()),
        text: None,
        throws: false,
    }
}

/// cors's defaults.
fn input(origin: OriginInput) -> PolicyInput {
    PolicyInput::defaults(origin)
}

fn codes(p: &PolicyInput) -> Vec<&'static str> {
    compile(p)
        .expect("compiles")
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect()
}

fn list(items: &[ItemInput]) -> OriginInput {
    OriginInput::List {
        items: items.to_vec(),
        match_all: false,
        ordered: false,
    }
}

fn s(v: &str) -> ItemInput {
    ItemInput::String(v.into())
}

fn re(source: &str) -> ItemInput {
    ItemInput::Regex {
        source: source.into(),
        flags: String::new(),
    }
}

#[test]
fn renders_lists_like_cors() {
    assert_eq!(
        names(&["GET", "POST"]).render().as_deref(),
        Some("GET,POST")
    );
    assert_eq!(
        header(text("GET, POST")).render().as_deref(),
        Some("GET, POST")
    );
    assert_eq!(names(&[]).render(), None);
    assert_eq!(header(Given::Undefined).render(), None);
    let mut n = header(Given::Number(42.0));
    n.text = Some("42".into());
    assert_eq!(n.render().as_deref(), Some("42"));
}

#[test]
fn default_policy_is_clean() {
    let p = compile(&input(OriginInput::Any)).expect("compiles");
    assert!(p.findings.is_empty());
    assert_eq!(p.methods.as_deref(), Some("GET,HEAD,PUT,PATCH,POST,DELETE"));
    assert!(matches!(p.allow_headers, AllowHeaders::Reflect));
    assert!(matches!(p.preflight, PreflightEnd::Respond { status: 204 }));
}

#[test]
fn wrong_types_of_cors_options_warn_and_keep_cors_behaviour() {
    let mut i = input(OriginInput::Any);
    i.credentials = text("true");
    let p = compile(&i).expect("cors answers it");
    assert!(!p.credentials);
    assert_eq!(p.findings[0].code, INVALID_OPTION);
    assert!(p.findings[0].message.contains("`credentials`"));

    let mut i = input(OriginInput::Any);
    i.methods = header(Given::Number(42.0));
    i.methods.text = Some("42".into());
    i.options_success_status = StatusInput {
        given: text("200"),
        status: 200,
    };
    let p = compile(&i).expect("cors answers it");
    assert_eq!(p.methods.as_deref(), Some("42"));
    assert!(matches!(p.preflight, PreflightEnd::Respond { status: 200 }));
    assert_eq!(
        p.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        vec![INVALID_OPTION, INVALID_OPTION]
    );

    i.strict = Given::Boolean(true);
    let e = compile(&i).expect_err("strict");
    assert_eq!(e.code, INVALID_OPTION);
}

#[test]
fn what_breaks_cors_is_an_error_unless_per_request() {
    let mut i = input(OriginInput::Any);
    i.methods = header(Given::Null);
    i.methods.throws = true;
    assert!(compile(&i).is_err());
    i.per_request = true;
    let p = compile(&i).expect("per request");
    assert!(matches!(p.preflight, PreflightEnd::Throws { .. }));
}

#[test]
fn own_options_of_the_wrong_type_are_errors() {
    let mut i = input(OriginInput::Any);
    i.strict_preflight = text("yes");
    assert!(compile(&i).is_err());
    let mut i = input(OriginInput::Any);
    i.cache_control = Given::Number(600.0);
    assert_eq!(
        compile(&i).expect("ok").cache_control.as_deref(),
        Some("max-age=600")
    );
    i.cache_control = Given::Number(-1.0);
    assert!(compile(&i).is_err());
}

#[test]
fn credential_diagnostics() {
    let mut i = input(OriginInput::Any);
    i.credentials = Given::Boolean(true);
    assert_eq!(codes(&i), vec![WILDCARD_CREDENTIALS]);
    i.origin = OriginInput::Reflect(Given::Boolean(true));
    assert_eq!(codes(&i), vec![REFLECT_CREDENTIALS]);
    for (origin, expected) in [
        ("http://api.example.com", vec![INSECURE_ORIGIN]),
        ("http://localhost:5173", vec![]),
        ("http://[::1]:5173", vec![]),
    ] {
        i.origin = OriginInput::Fixed {
            value: origin.into(),
            object: false,
        };
        assert_eq!(codes(&i), expected, "{origin}");
    }
}

#[test]
fn null_and_regex_diagnostics() {
    let i = input(list(&[
        s("null"),
        re(r"example\.com$"),
        re(r"^https:\/\/example.com$"),
        re(r"^https:\/\/(.+\.)?example\.com$"),
    ]));
    assert_eq!(
        codes(&i),
        vec![NULL_ORIGIN, UNANCHORED_REGEX, UNANCHORED_REGEX]
    );
}

#[test]
fn anchoring_checks() {
    assert!(regex_anchoring_problem(r"^https://a\.com$").is_none());
    assert!(regex_anchoring_problem(r"^https://a\.com\$").is_some());
    assert!(regex_anchoring_problem(r"^https://a\.com\\$").is_none());
    assert!(regex_anchoring_problem(r"https://a\.com").is_some());
    assert!(regex_anchoring_problem(r"^https://[a.]b\.com$").is_none());
    assert!(regex_anchoring_problem(r"^https://a.com$").is_some());
}

#[test]
fn token_and_max_age_diagnostics() {
    let mut i = input(OriginInput::Any);
    i.methods = names(&["GET", "PO ST"]);
    i.allowed_headers = Some(header(text("X-Ok, X(bad)")));
    assert_eq!(codes(&i), vec![INVALID_TOKEN, INVALID_TOKEN]);
    for (given, bad) in [
        (Given::Number(600.0), false),
        (Given::Number(0.0), false),
        (Given::Number(86400.0), false),
        (Given::Number(86401.0), true),
        (Given::Number(-1.0), true),
        (Given::Number(1.5), true),
        (Given::Number(f64::NAN), true),
        (Given::Number(1e21), true),
    ] {
        let mut i = input(OriginInput::Any);
        i.max_age = header(given.clone());
        i.max_age.text = Some("x".into());
        assert_eq!(codes(&i) == vec![MAX_AGE], bad, "{given:?}");
    }
    let mut i = input(OriginInput::Any);
    i.max_age = header(Given::Boolean(true));
    i.max_age.text = Some("true".into());
    let p = compile(&i).expect("cors sends it");
    assert_eq!(p.max_age.as_deref(), Some("true"));
    assert_eq!(p.findings[0].code, INVALID_OPTION);
}

#[test]
fn lists_split_exact_patterns_and_regexes() {
    let i = input(list(&[
        s("https://a.com"),
        s("https://*.example.com"),
        re(r"^https:\/\/b\.com$"),
        re(r"^https:\/\/(?!evil)\w+\.com$"),
    ]));
    let p = compile(&i).expect("compiles");
    let OriginRule::List {
        pattern_strings,
        js_regexes,
        ..
    } = &p.origin
    else {
        panic!("a list")
    };
    assert_eq!(pattern_strings, &vec![1]);
    assert_eq!(js_regexes, &vec![1]);
    assert!(p.matcher.is_some());
    let m = p.matcher.as_ref().expect("matcher");
    assert_eq!(m.decide_unlisted("https://b.com"), Verdict::Allowed);
    assert_eq!(m.decide_unlisted("https://x.example.com"), Verdict::Allowed);
    assert_eq!(m.decide_unlisted("https://evil-b.com"), Verdict::Denied);
    // Exact origins are JS's: the matcher never answers them.
    assert_eq!(m.decide_unlisted("https://a.com"), Verdict::Denied);
}

#[test]
fn invalid_patterns_stay_inert_literals() {
    for bad in [
        "https://*.com",
        "https://*.de",
        "*.example.com",
        "https://api.example.com/*",
    ] {
        let i = input(list(&[s(bad)]));
        let p = compile(&i).expect("cors answers it");
        assert_eq!(
            p.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            vec![INVALID_PATTERN],
            "{bad}"
        );
        let OriginRule::List {
            pattern_strings, ..
        } = &p.origin
        else {
            panic!("a list")
        };
        assert!(pattern_strings.is_empty(), "{bad} is an exact string");
        let fixed = input(OriginInput::Fixed {
            value: bad.into(),
            object: false,
        });
        assert!(matches!(
            compile(&fixed).expect("ok").origin,
            OriginRule::Fixed
        ));
    }
    let fixed = input(OriginInput::Fixed {
        value: "https://*.example.com".into(),
        object: false,
    });
    assert!(matches!(
        compile(&fixed).expect("ok").origin,
        OriginRule::List { .. }
    ));
}

#[test]
fn too_many_regexes_spill_to_js_instead_of_failing() {
    let items: Vec<ItemInput> = (0..3000)
        .map(|i| ItemInput::Regex {
            source: format!(r"^https:\/\/(a|b|c|d)+{i}x[a-z0-9]{{1,60}}\.example\.com$"),
            flags: "i".into(),
        })
        .collect();
    let p = compile(&input(list(&items))).expect("never an error");
    let OriginRule::List { js_regexes, .. } = &p.origin else {
        panic!("a list")
    };
    assert!(!js_regexes.is_empty());
    assert!(js_regexes.windows(2).all(|w| w[0] < w[1]));
    let m = p.matcher.as_ref().expect("some stay in Rust");
    assert_eq!(
        m.decide_unlisted("https://ab0xq.example.com"),
        Verdict::Allowed
    );
}

#[test]
fn input_deserializes_from_the_json_js_sends() {
    // The shape lib/options.js produces (options left out are undefined).
    let json = r#"{
        "origin": {"list": {"items": [{"string": "https://a.com"},
                   {"regex": {"source": "^x$", "flags": "i"}}], "matchAll": false}},
        "credentials": {"boolean": true},
        "methods": {"given": "array", "names": ["GET"]},
        "allowedHeaders": null,
        "maxAge": {"given": {"number": "NaN"}, "text": "NaN"},
        "optionsSuccessStatus": {"given": {"number": 204}, "status": 204}
    }"#;
    let i: PolicyInput = serde_json::from_str(json).expect("deserializes");
    let p = compile(&i).expect("compiles");
    assert_eq!(p.max_age.as_deref(), Some("NaN"));
    assert_eq!(p.findings[0].code, MAX_AGE);
    assert!(p.credentials);
    assert_eq!(i.strict, Given::Undefined);
    let OriginInput::List { match_all, .. } = &i.origin else {
        panic!("a list")
    };
    assert!(!match_all);
    let all = json.replace(r#""matchAll": false"#, r#""matchAll": true"#);
    let i: PolicyInput = serde_json::from_str(&all).expect("deserializes");
    assert!(matches!(
        i.origin,
        OriginInput::List {
            match_all: true,
            ..
        }
    ));
    for bad in [
        json.replace(r#"{"list":"#, r#"{"nonsense":"#),
        json.replace(r#""NaN""#, r#""nan""#),
        json.replace(r#"{"boolean": true}"#, r#"{"boolean": "yes"}"#),
    ] {
        assert!(serde_json::from_str::<PolicyInput>(&bad).is_err(), "{bad}");
    }
}

#[test]
fn near_miss_origins_are_found_with_their_serialized_form() {
    let p = compile(&input(list(&[
        s("https://ok.example.com"),
        s("https://app.example.com/"),
        s("*"),
        s("https://*.example.com"),
        s("null"),
    ])))
    .expect("compiles");
    let near: Vec<_> = p
        .findings
        .iter()
        .filter(|f| f.code == ORIGIN_NEVER_MATCHES)
        .collect();
    assert_eq!(near.len(), 2, "{near:?}");
    assert_eq!(
        near[0].near_miss,
        Some(NearMiss {
            entry: "https://app.example.com/".into(),
            serialized: Some("https://app.example.com".into()),
        })
    );
    assert!(near[1].message.contains("'*' inside an array"));
    let fixed = input(OriginInput::Fixed {
        value: "localhost:5173".into(),
        object: false,
    });
    assert!(compile(&fixed).expect("compiles").findings[0]
        .fix
        .contains("'http://localhost:5173'"));
    let mut strict = fixed;
    strict.strict = Given::Boolean(true);
    assert_eq!(
        compile(&strict).expect_err("strict").code,
        ORIGIN_NEVER_MATCHES
    );
    // a long list reports ten entries one by one, then a count
    let many: Vec<ItemInput> = (0..15)
        .map(|i| s(&format!("https://a{i}.example.com/")))
        .collect();
    assert_eq!(
        codes(&input(list(&many)))
            .iter()
            .filter(|c| **c == ORIGIN_NEVER_MATCHES)
            .count(),
        11
    );
}

#[test]
fn a_bigint_zero_is_falsy() {
    let mut i = input(OriginInput::Any);
    i.preflight_continue = Given::BigInt("0".into());
    assert!(matches!(
        compile(&i).expect("compiles").preflight,
        PreflightEnd::Respond { status: 204 }
    ));
    i.preflight_continue = Given::BigInt("1".into());
    assert!(matches!(
        compile(&i).expect("compiles").preflight,
        PreflightEnd::Continue
    ));
}

/// The origin strings compiled alone give exactly the findings a whole
/// compile starts with, and a whole compile's findings start with the
/// origin option's (`Policy::origin_findings`).
#[test]
fn origin_strings_alone_match_the_start_of_a_whole_compile() {
    let forms: &[&[&str]] = &[
        &["https://a.example.com", "https://b.example.com"],
        &["https://a.example.com/", "HTTPS://B.example.com", "null"],
        &["http://a.example.com", "http://localhost:3000"],
        &["*", "https://a.example.com"],
        &["https://*.example.com", "https://a.example.com"],
        &["https://*.", "https://x.example.com:443"],
        &[
            "a/", "b/", "c/", "d/", "e/", "f/", "g/", "h/", "i/", "j/", "k/", "l/",
        ],
    ];
    for strings in forms {
        for credentials in [false, true] {
            for fixed in [false, true] {
                if fixed && strings.len() != 1 {
                    continue;
                }
                let origin = if fixed {
                    OriginInput::Fixed {
                        value: strings[0].to_string(),
                        object: false,
                    }
                } else {
                    list(
                        &strings
                            .iter()
                            .map(|s| ItemInput::String(s.to_string()))
                            .collect::<Vec<_>>(),
                    )
                };
                let mut whole_input = input(origin);
                whole_input.credentials = Given::Boolean(credentials);
                // A finding outside the origin option, to be kept after.
                whole_input.methods = names(&["GET", "BAD NAME"]);
                let whole = compile(&whole_input).expect("compiles");
                let alone =
                    compile_origin_strings(strings, fixed, credentials, false).expect("no strict");
                match alone {
                    Some(findings) => {
                        let head: Vec<_> = whole.findings[..whole.origin_findings]
                            .iter()
                            .map(|f| (f.code, f.message.clone()))
                            .collect();
                        let got: Vec<_> = findings
                            .iter()
                            .map(|f| (f.code, f.message.clone()))
                            .collect();
                        assert_eq!(got, head, "{strings:?} credentials={credentials}");
                        assert!(whole.findings[whole.origin_findings..]
                            .iter()
                            .any(|f| f.code == INVALID_TOKEN));
                    }
                    // Only what is more than exact comparison compiles whole.
                    None => assert!(strings.iter().any(|s| s.contains('*')), "{strings:?}"),
                }
            }
        }
    }
}
