//! The options compiler: `policy::compile` (and `diagnose`) on arbitrary
//! policy specs, the shapes JS hands to Rust after resolving each option's
//! form, then the compiled matcher on arbitrary origins.
//!
//! Properties: nothing panics; a list origin compiles to an origin rule (or
//! a `RUST_CORS_INVALID_OPTION` error naming `origin`) and other origins to
//! none; header values render as cors joins them; every exact origin is
//! allowed by the matcher, and the matcher's verdicts are consistent.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_cors::origin::Verdict;
use rust_cors::policy::{
    compile, compile_origin, ListOption, OriginItem, OriginSpec, PolicySpec, INVALID_OPTION,
};

const FLAG_CHARS: &[u8] = b"dgimsuvy";

#[derive(Arbitrary, Debug)]
enum FItem {
    Exact(String),
    Regex(String, u8),
    RegexRawFlags(String, String),
    Pattern(String),
    /// A pattern built around a host, so that valid patterns are common.
    HostPattern(u8, String, u8),
}

#[derive(Arbitrary, Debug)]
enum FOrigin {
    Disabled,
    Any,
    Fixed(String),
    Reflect,
    List(Vec<FItem>, bool),
    Dynamic,
}

#[derive(Arbitrary, Debug)]
struct FList {
    list: Option<Vec<String>>,
    text: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct FSpec {
    origin: FOrigin,
    credentials: bool,
    methods: FList,
    allowed_headers: Option<FList>,
    exposed_headers: FList,
    max_age_text: Option<String>,
    max_age_number: Option<f64>,
    probes: Vec<String>,
}

fn flags(bits: u8) -> String {
    FLAG_CHARS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, &c)| char::from(c))
        .collect()
}

fn item(i: FItem) -> OriginItem {
    match i {
        FItem::Exact(s) => OriginItem::Exact(s),
        FItem::Regex(source, bits) => OriginItem::Regex {
            source,
            flags: flags(bits),
        },
        FItem::RegexRawFlags(source, flags) => OriginItem::Regex { source, flags },
        FItem::Pattern(s) => OriginItem::Pattern(s),
        FItem::HostPattern(scheme, host, port) => {
            let scheme =
                ["https", "http", "wss", "chrome-extension", "HTTPS"][usize::from(scheme % 5)];
            let port = ["", ":*", ":8080", ":443", ":0", ":99999"][usize::from(port % 6)];
            OriginItem::Pattern(format!("{scheme}://*.{host}{port}"))
        }
    }
}

fn list(l: FList) -> ListOption {
    ListOption {
        list: l.list,
        text: l.text,
    }
}

fn expected_render(l: &ListOption) -> Option<String> {
    let v = match (&l.list, &l.text) {
        (Some(v), _) => v.join(","),
        (None, Some(t)) => t.clone(),
        (None, None) => return None,
    };
    (!v.is_empty()).then_some(v)
}

fuzz_target!(|f: FSpec| {
    let origin = match f.origin {
        FOrigin::Disabled => OriginSpec::Disabled,
        FOrigin::Any => OriginSpec::Any,
        FOrigin::Fixed(s) => OriginSpec::Fixed(s),
        FOrigin::Reflect => OriginSpec::Reflect,
        FOrigin::Dynamic => OriginSpec::Dynamic,
        FOrigin::List(items, match_all) => OriginSpec::List {
            items: items.into_iter().take(64).map(item).collect(),
            match_all,
        },
    };
    let spec = PolicySpec {
        origin,
        credentials: f.credentials,
        methods: list(f.methods),
        allowed_headers: f.allowed_headers.map(list),
        exposed_headers: list(f.exposed_headers),
        max_age_text: f.max_age_text,
        max_age_number: f.max_age_number,
    };
    let compiled = match compile(&spec) {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(e.code, INVALID_OPTION);
            assert!(e.message.contains("`origin`"), "{}", e.message);
            assert!(matches!(spec.origin, OriginSpec::List { .. }));
            return;
        }
    };
    assert_eq!(compiled.methods, expected_render(&spec.methods));
    assert_eq!(
        compiled.exposed_headers,
        expected_render(&spec.exposed_headers)
    );
    assert_eq!(compiled.reflect_headers, spec.allowed_headers.is_none());
    assert_eq!(
        compiled.allowed_headers,
        spec.allowed_headers.as_ref().and_then(expected_render)
    );
    for d in &compiled.diagnostics {
        assert!(d.code.starts_with("RUST_CORS_") && d.message.starts_with("rust-cors: "));
    }

    let OriginSpec::List { items, match_all } = &spec.origin else {
        assert!(compiled.origin.is_none());
        return;
    };
    let o = compiled
        .origin
        .expect("a list origin compiles to an origin rule");
    assert_eq!(o.match_all, *match_all);
    let n_regex = items
        .iter()
        .filter(|i| matches!(i, OriginItem::Regex { .. }))
        .count();
    assert!(o.js_regexes.iter().all(|&i| (i as usize) < n_regex));
    assert_eq!(o.js_regexes.len(), o.js_reasons.len());
    // compile_origin alone gives the same rule.
    let again = compile_origin(items, *match_all).expect("compiled once already");
    assert_eq!(again.exact, o.exact);
    assert_eq!(again.js_regexes, o.js_regexes);

    if let Some(m) = &o.matcher {
        for e in o.exact.iter().take(8) {
            assert_eq!(m.decide_str(e), Verdict::Allowed, "exact origin {e:?}");
        }
        for p in f.probes.iter().take(8) {
            let a = m.decide_str(p);
            assert_eq!(a, m.decide_str(p), "deterministic");
        }
    }
});
