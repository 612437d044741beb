//! The options compiler: `policy::compile` on arbitrary inputs of the shape
//! JS hands to Rust (`PolicyInput`, lib/options.js), then the compiled
//! matcher on arbitrary origins; and the JSON boundary itself on arbitrary
//! bytes.
//!
//! Properties: nothing panics; an input never fails where cors answers (a
//! list origin, strings and RegExps of any content, compiles; only the
//! options cors breaks on and rust-cors's own options are errors, each a
//! `RUST_CORS_INVALID_OPTION`); header values render as cors joins them; the
//! pattern indices are in order and in range; the matcher's verdicts are
//! deterministic; the view JS reads has every field, values intact.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_cors::napi::policy::{ALLOW_HEADERS, EXPOSE_HEADERS, FIELDS, MAX_AGE, METHODS};
use rust_cors::policy::{
    compile, AllowHeaders, Given, HeaderInput, ItemInput, OriginInput, OriginRule, PolicyInput,
    StatusInput, INVALID_OPTION,
};

const FLAG_CHARS: &[u8] = b"dgimsuvy";

#[derive(Arbitrary, Debug)]
enum FItem {
    String(String),
    Regex(String, u8),
    /// A pattern built around a host, so that valid patterns are common.
    HostPattern(u8, String, u8),
}

#[derive(Arbitrary, Debug)]
enum FGiven {
    Undefined,
    Null,
    Boolean(bool),
    Number(f64),
    String(String),
    Array,
    Other(String),
}

#[derive(Arbitrary, Debug)]
struct FHeader {
    given: FGiven,
    names: Option<Vec<String>>,
    text: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct FSpec {
    origin: u8,
    items: Vec<FItem>,
    fixed: String,
    match_all: bool,
    credentials: FGiven,
    methods: FHeader,
    allowed_headers: Option<FHeader>,
    exposed_headers: FHeader,
    max_age: FHeader,
    status: i32,
    per_request: bool,
    strict: bool,
    probes: Vec<String>,
    json: String,
}

fn flags(bits: u8) -> String {
    FLAG_CHARS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, &c)| char::from(c))
        .collect()
}

fn given(g: FGiven) -> Given {
    match g {
        FGiven::Undefined => Given::Undefined,
        FGiven::Null => Given::Null,
        FGiven::Boolean(b) => Given::Boolean(b),
        FGiven::Number(n) => Given::Number(n),
        FGiven::String(s) => Given::String(s),
        FGiven::Array => Given::Array,
        FGiven::Other(s) => Given::Other(s),
    }
}

fn header(h: FHeader) -> HeaderInput {
    HeaderInput {
        given: given(h.given),
        names: h.names,
        text: h.text,
        throws: false,
    }
}

fn item(i: FItem) -> ItemInput {
    match i {
        FItem::String(s) => ItemInput::String(s),
        FItem::Regex(source, bits) => ItemInput::Regex {
            source,
            flags: flags(bits),
        },
        FItem::HostPattern(scheme, host, port) => {
            let scheme =
                ["https", "http", "wss", "chrome-extension", "HTTPS"][usize::from(scheme % 5)];
            let port = ["", ":*", ":8080", ":443", ":0", ":99999"][usize::from(port % 6)];
            ItemInput::String(format!("{scheme}://*.{host}{port}"))
        }
    }
}

fn expected_render(h: &HeaderInput) -> Option<String> {
    let v = match (&h.names, &h.given) {
        (Some(names), _) => names.join(","),
        (None, Given::String(s)) | (None, Given::StringObject(s)) => s.clone(),
        (None, _) => h.text.clone()?,
    };
    (!v.is_empty()).then_some(v)
}

fuzz_target!(|f: FSpec| {
    // The JSON boundary: arbitrary text is an input or a serde error, never a panic.
    if let Ok(input) = serde_json::from_str::<PolicyInput>(&f.json) {
        let _ = compile(&input);
    }

    let n_items = f.items.len().min(64);
    let origin = match f.origin % 6 {
        0 => OriginInput::Disabled,
        1 => OriginInput::Any,
        2 => OriginInput::Fixed {
            value: f.fixed,
            object: false,
        },
        3 => OriginInput::Reflect(Given::Boolean(true)),
        4 => OriginInput::Dynamic,
        _ => OriginInput::List {
            items: f.items.into_iter().take(64).map(item).collect(),
            match_all: f.match_all,
            ordered: false,
        },
    };
    let input = PolicyInput {
        origin,
        credentials: given(f.credentials),
        methods: header(f.methods),
        allowed_headers: f.allowed_headers.map(header),
        allowed_headers_alias: false,
        exposed_headers: header(f.exposed_headers),
        max_age: header(f.max_age),
        preflight_continue: Given::Undefined,
        options_success_status: StatusInput {
            given: Given::Number(f64::from(f.status)),
            status: f.status,
        },
        strict: Given::Boolean(f.strict),
        strict_preflight: Given::Undefined,
        allow_private_network: Given::Undefined,
        cache_control: Given::Undefined,
        per_request: f.per_request,
    };
    let policy = match compile(&input) {
        Ok(p) => p,
        Err(e) => {
            assert!(e.code.starts_with("RUST_CORS_"), "{}", e.code);
            assert!(e.message.starts_with("rust-cors: "), "{}", e.message);
            // Without strict, only what breaks cors on every preflight fails.
            if !f.strict {
                assert_eq!(e.code, INVALID_OPTION);
                assert!(
                    !(100..=999).contains(&f.status) && !f.per_request,
                    "{}",
                    e.message
                );
            }
            return;
        }
    };
    assert_eq!(policy.methods, expected_render(&input.methods));
    assert_eq!(
        policy.expose_headers,
        expected_render(&input.exposed_headers)
    );
    match (&policy.allow_headers, &input.allowed_headers) {
        (AllowHeaders::Reflect, None) => {}
        (AllowHeaders::Fixed(v), Some(h)) => assert_eq!(v, &expected_render(h)),
        _ => panic!("allowed headers: reflect exactly when the option is absent"),
    }
    for finding in &policy.findings {
        assert!(
            finding.code.starts_with("RUST_CORS_") && finding.message.starts_with("rust-cors: ")
        );
    }
    if let OriginRule::List {
        pattern_strings,
        js_regexes,
        ..
    } = &policy.origin
    {
        assert!(pattern_strings.windows(2).all(|w| w[0] < w[1]));
        assert!(pattern_strings
            .iter()
            .all(|&i| (i as usize) < n_items.max(1)));
        assert!(js_regexes.windows(2).all(|w| w[0] < w[1]));
    }
    if let Some(m) = &policy.matcher {
        for p in f.probes.iter().take(8) {
            assert_eq!(m.decide_unlisted(p), m.decide_unlisted(p), "deterministic");
            let units: Vec<u16> = p.encode_utf16().collect();
            let _ = m.decide_unlisted_utf16(&units);
        }
    }
    // The view JS splits: every field whatever the values hold, each header
    // value coming back as rendered.
    let view = rust_cors::napi::policy::view(&policy);
    let escaped = view.starts_with('e');
    let fields: Vec<String> = view
        .split('\0')
        .map(|f| if escaped { unescape(f) } else { f.to_string() })
        .collect();
    assert_eq!(fields.len(), FIELDS.len(), "{view:?}");
    assert_eq!(
        fields[METHODS.index],
        policy.methods.clone().unwrap_or_default()
    );
    assert_eq!(
        fields[EXPOSE_HEADERS.index],
        policy.expose_headers.clone().unwrap_or_default()
    );
    assert_eq!(
        fields[MAX_AGE.index],
        policy.max_age.clone().unwrap_or_default()
    );
    if let AllowHeaders::Fixed(value) = &policy.allow_headers {
        assert_eq!(
            fields[ALLOW_HEADERS.index],
            value.clone().unwrap_or_default()
        );
    }
});

/// What lib/policy.js does to an escaped field.
fn unescape(field: &str) -> String {
    let mut out = String::new();
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1}' {
            match chars.next() {
                Some('0') => out.push('\0'),
                Some('1') => out.push('\u{1}'),
                other => panic!("a lone escape before {other:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}
