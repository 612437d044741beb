//! Options → a validated policy: rendered header values, the origin
//! matcher, and the misconfiguration diagnostics with their stable codes.
//!
//! JS has already turned each option *form* into plain data (functions and
//! stateful RegExps never come here), so this module is pure Rust and is
//! tested with `cargo test`.

use regex::bytes::RegexSet;

use crate::headers::is_token;
use crate::js_regex::{translate, Translation};
use crate::origin::Matcher;
use crate::pattern::{parse_pattern, OriginPattern};

/// A list-valued header option: either a list of names (rendered here,
/// joined with `,` as cors does) or a ready text value (sent verbatim).
#[derive(Debug, Clone, Default)]
pub struct ListOption {
    pub list: Option<Vec<String>>,
    pub text: Option<String>,
}

impl ListOption {
    /// The value cors would send, or `None` when it would send nothing.
    pub fn render(&self) -> Option<String> {
        let v = match (&self.list, &self.text) {
            (Some(list), _) => list.join(","),
            (None, Some(text)) => text.clone(),
            (None, None) => return None,
        };
        if v.is_empty() {
            None
        } else {
            Some(v)
        }
    }

    /// The names, for validation: list elements, or the text split on commas.
    fn names(&self) -> Vec<String> {
        match (&self.list, &self.text) {
            (Some(list), _) => list.clone(),
            (None, Some(text)) => text.split(',').map(|s| s.trim().to_string()).collect(),
            (None, None) => Vec::new(),
        }
    }
}

/// One element of an origin allow-list, already flattened in order.
#[derive(Debug, Clone)]
pub enum OriginItem {
    Exact(String),
    Regex { source: String, flags: String },
    Pattern(String),
}

/// The shape of the origin option after JS resolved its form.
#[derive(Debug, Clone)]
pub enum OriginSpec {
    /// Falsy origin: no CORS at all.
    Disabled,
    /// `'*'` (the default).
    Any,
    /// A fixed string, sent verbatim.
    Fixed(String),
    /// `true` or another truthy non-list value: reflect the request origin.
    Reflect,
    /// A RegExp, a pattern or a (nested) array of origins.
    List {
        items: Vec<OriginItem>,
        match_all: bool,
    },
    /// A callback decides per request.
    Dynamic,
}

#[derive(Debug, Clone)]
pub struct PolicySpec {
    pub origin: OriginSpec,
    pub credentials: bool,
    pub methods: ListOption,
    /// `None` means: reflect Access-Control-Request-Headers.
    pub allowed_headers: Option<ListOption>,
    pub exposed_headers: ListOption,
    /// The text cors would send, and the number when the option was one.
    pub max_age_text: Option<String>,
    pub max_age_number: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub message: String,
}

pub const WILDCARD_CREDENTIALS: &str = "RUST_CORS_WILDCARD_CREDENTIALS";
pub const REFLECT_CREDENTIALS: &str = "RUST_CORS_REFLECT_CREDENTIALS";
pub const NULL_ORIGIN: &str = "RUST_CORS_NULL_ORIGIN";
pub const UNANCHORED_REGEX: &str = "RUST_CORS_UNANCHORED_REGEX";
pub const INSECURE_ORIGIN: &str = "RUST_CORS_INSECURE_ORIGIN";
pub const INVALID_TOKEN: &str = "RUST_CORS_INVALID_TOKEN";
pub const MAX_AGE: &str = "RUST_CORS_MAX_AGE";

/// Browsers have capped preflight caching at 2 hours (Chromium) or 24 hours
/// (Firefox); more than a day is never honoured.
const MAX_AGE_LIMIT: f64 = 86_400.0;

/// The compiled origin rule.
#[derive(Debug)]
pub struct CompiledOrigin {
    /// Exact origins for the JS `Set`, in first-seen order, deduplicated.
    pub exact: Vec<String>,
    pub match_all: bool,
    /// Indices (into the RegExp items, in order) that must run as JS RegExps.
    pub js_regexes: Vec<u32>,
    /// Why each of those runs in JS.
    pub js_reasons: Vec<String>,
    /// The Rust matcher, when some RegExp or pattern is decided in Rust.
    pub matcher: Option<Matcher>,
}

#[derive(Debug)]
pub struct Compiled {
    pub origin: Option<CompiledOrigin>,
    pub methods: Option<String>,
    pub allowed_headers: Option<String>,
    pub reflect_headers: bool,
    pub exposed_headers: Option<String>,
    pub max_age: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A configuration that cannot work: it becomes a JS `TypeError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub code: &'static str,
    pub message: String,
}

pub const INVALID_OPTION: &str = "RUST_CORS_INVALID_OPTION";

/// How many translated RegExps are kept in Rust when the whole set is too
/// large for the regex crate's size limit.
const SET_SPLIT: usize = 1000;

/// Every RegExp runs in JS (the regex set could not be built at all).
fn all_in_js(
    items: &[OriginItem],
    match_all: bool,
    exact: Vec<String>,
    patterns: Vec<OriginPattern>,
) -> CompiledOrigin {
    let n = items
        .iter()
        .filter(|i| matches!(i, OriginItem::Regex { .. }))
        .count() as u32;
    let matcher = if patterns.is_empty() {
        None
    } else {
        Some(Matcher::new(exact.iter().cloned(), None, patterns, false))
    };
    CompiledOrigin {
        exact,
        match_all,
        js_regexes: (0..n).collect(),
        js_reasons: vec![
            "the regex set could not be built; runs as a JS RegExp".to_string();
            n as usize
        ],
        matcher,
    }
}

pub fn compile_origin(
    items: &[OriginItem],
    match_all: bool,
) -> Result<CompiledOrigin, ConfigError> {
    let mut exact: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut patterns: Vec<OriginPattern> = Vec::new();
    let mut rust_regexes: Vec<String> = Vec::new();
    let mut rust_indices: Vec<u32> = Vec::new();
    let mut cr_sensitive = false;
    let mut js_regexes = Vec::new();
    let mut js_reasons = Vec::new();
    let mut regex_index = 0u32;
    for item in items {
        match item {
            OriginItem::Exact(s) => {
                if seen.insert(s.clone()) {
                    exact.push(s.clone());
                }
            }
            OriginItem::Pattern(p) => {
                let pat = parse_pattern(p).map_err(|message| ConfigError {
                    code: INVALID_OPTION,
                    message: format!("rust-cors: option `origin`: {message}"),
                })?;
                patterns.push(pat);
            }
            OriginItem::Regex { source, flags } => {
                match translate(source, flags) {
                    Translation::Exact {
                        pattern,
                        cr_sensitive: cr,
                    } => {
                        // A translation the regex crate refuses (size limits)
                        // simply runs in JS; that is found out below, when
                        // the set is built, so each pattern compiles once.
                        cr_sensitive |= cr;
                        rust_regexes.push(pattern);
                        rust_indices.push(regex_index);
                    }
                    Translation::Js { reason } => {
                        js_regexes.push(regex_index);
                        js_reasons.push(reason);
                    }
                }
                regex_index += 1;
            }
        }
    }
    let set = if rust_regexes.is_empty() {
        None
    } else {
        match RegexSet::new(&rust_regexes) {
            Ok(set) => Some(set),
            Err(first) => {
                // Too large together (tens of thousands of RegExps): keep the
                // ones that compile alone in smaller company, the rest in JS.
                let mut keep = Vec::new();
                for (pattern, index) in rust_regexes.iter().zip(&rust_indices) {
                    if keep.len() < SET_SPLIT && regex::bytes::Regex::new(pattern).is_ok() {
                        keep.push(pattern.as_str());
                    } else {
                        js_regexes.push(*index);
                        js_reasons.push(format!("not compiled into the regex set ({first})"));
                    }
                }
                let mut pairs: Vec<(u32, String)> =
                    js_regexes.drain(..).zip(js_reasons.drain(..)).collect();
                pairs.sort_by_key(|(i, _)| *i);
                (js_regexes, js_reasons) = pairs.into_iter().unzip();
                match RegexSet::new(&keep) {
                    Ok(set) if !keep.is_empty() => Some(set),
                    _ => {
                        js_regexes.clear();
                        js_reasons.clear();
                        return Ok(all_in_js(items, match_all, exact, patterns));
                    }
                }
            }
        }
    };
    let matcher = if set.is_none() && patterns.is_empty() {
        None
    } else {
        Some(Matcher::new(
            exact.iter().cloned(),
            set,
            patterns,
            cr_sensitive,
        ))
    };
    Ok(CompiledOrigin {
        exact,
        match_all,
        js_regexes,
        js_reasons,
        matcher,
    })
}

pub fn compile(spec: &PolicySpec) -> Result<Compiled, ConfigError> {
    let origin = match &spec.origin {
        OriginSpec::List { items, match_all } => Some(compile_origin(items, *match_all)?),
        _ => None,
    };
    let allowed_headers = spec.allowed_headers.as_ref().and_then(ListOption::render);
    Ok(Compiled {
        origin,
        methods: spec.methods.render(),
        reflect_headers: spec.allowed_headers.is_none(),
        allowed_headers,
        exposed_headers: spec.exposed_headers.render(),
        max_age: spec.max_age_text.clone().filter(|s| !s.is_empty()),
        diagnostics: diagnose(spec),
    })
}

fn is_local_host(origin: &str) -> bool {
    let rest = match origin.strip_prefix("http://") {
        Some(r) => r,
        None => return false,
    };
    let host = if let Some(v6) = rest.strip_prefix('[') {
        return v6.starts_with("::1]");
    } else {
        rest.split(':').next().unwrap_or(rest)
    };
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1"
}

/// The misconfigurations of a policy, in a stable order.
pub fn diagnose(spec: &PolicySpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let cred = spec.credentials;
    match &spec.origin {
        OriginSpec::Any if cred => out.push(Diagnostic {
            code: WILDCARD_CREDENTIALS,
            message: "rust-cors: `credentials: true` with `origin: '*'` (the default): browsers reject `Access-Control-Allow-Origin: *` on credentialed requests, so every such request fails. Set `origin` to the list of sites allowed to send credentials, e.g. origin: ['https://app.example.com']".into(),
        }),
        OriginSpec::Reflect if cred => out.push(Diagnostic {
            code: REFLECT_CREDENTIALS,
            message: "rust-cors: `origin: true` with `credentials: true` reflects any Origin, so every website can read your users' credentialed responses. List the allowed origins instead, e.g. origin: ['https://app.example.com'] or a pattern 'https://*.example.com'".into(),
        }),
        OriginSpec::List { match_all: true, .. } if cred => out.push(Diagnostic {
            code: REFLECT_CREDENTIALS,
            message: "rust-cors: option `origin` contains a non-string truthy entry (such as `true`), which allows every Origin, together with `credentials: true`: every website can read credentialed responses. Remove that entry and list the allowed origins".into(),
        }),
        _ => {}
    }
    let mut origins: Vec<&str> = Vec::new();
    let mut regexes: Vec<&str> = Vec::new();
    match &spec.origin {
        OriginSpec::Fixed(s) => origins.push(s),
        OriginSpec::List { items, .. } => {
            for it in items {
                match it {
                    OriginItem::Exact(s) | OriginItem::Pattern(s) => origins.push(s),
                    OriginItem::Regex { source, .. } => regexes.push(source),
                }
            }
        }
        _ => {}
    }
    if origins.contains(&"null") {
        out.push(Diagnostic {
            code: NULL_ORIGIN,
            message: "rust-cors: option `origin` allows 'null'. Browsers send `Origin: null` from sandboxed iframes, data: URLs, file: pages and some redirects, so any site can produce it. Remove 'null' and list real origins".into(),
        });
    }
    for re in &regexes {
        if let Some(problem) = regex_anchoring_problem(re) {
            out.push(Diagnostic {
                code: UNANCHORED_REGEX,
                message: format!(
                    "rust-cors: option `origin` RegExp /{}/ {problem}, so it can match origins you did not mean (e.g. https://evil-example.com for /example\\.com$/). Anchor it at both ends and escape every dot, e.g. /^https:\\/\\/(www\\.)?example\\.com$/, or use the pattern 'https://*.example.com'",
                    truncate(re, 80)
                ),
            });
        }
    }
    if cred {
        for o in origins
            .iter()
            .filter(|o| o.starts_with("http://") && !is_local_host(o))
        {
            out.push(Diagnostic {
                code: INSECURE_ORIGIN,
                message: format!(
                    "rust-cors: option `origin` allows the plain-http origin '{}' with `credentials: true`: anyone on the network path can impersonate it and read credentialed responses. Use its https:// origin",
                    truncate(o, 80)
                ),
            });
        }
    }
    for (option, list) in [
        ("methods", Some(&spec.methods)),
        ("allowedHeaders", spec.allowed_headers.as_ref()),
        ("exposedHeaders", Some(&spec.exposed_headers)),
    ] {
        let Some(list) = list else { continue };
        for name in list.names() {
            if name.is_empty() || is_token(&name) {
                continue;
            }
            out.push(Diagnostic {
                code: INVALID_TOKEN,
                message: format!(
                    "rust-cors: option `{option}` contains {:?}, which is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~ only), so browsers cannot match it and ignore the whole header. Fix or remove that name",
                    truncate(&name, 80)
                ),
            });
        }
    }
    if let Some(text) = &spec.max_age_text {
        let bad = match spec.max_age_number {
            Some(n) => !(n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_AGE_LIMIT),
            None => match text.parse::<u64>() {
                Ok(n) => !text.bytes().all(|b| b.is_ascii_digit()) || n as f64 > MAX_AGE_LIMIT,
                Err(_) => true,
            },
        };
        if bad && !text.is_empty() {
            out.push(Diagnostic {
                code: MAX_AGE,
                message: format!(
                    "rust-cors: option `maxAge` is {}, but Access-Control-Max-Age must be a whole number of seconds from 0 to 86400 (browsers cap it anyway: Chromium at 7200). Use e.g. maxAge: 600",
                    truncate(text, 40)
                ),
            });
        }
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Why a RegExp source is risky as an origin check, if it is.
pub fn regex_anchoring_problem(source: &str) -> Option<&'static str> {
    let starts = source.starts_with('^');
    let ends = ends_with_unescaped_dollar(source);
    if !starts && !ends {
        return Some("is anchored at neither end");
    }
    if !starts {
        return Some("is not anchored at the start (no ^)");
    }
    if !ends {
        return Some("is not anchored at the end (no $)");
    }
    if has_unescaped_host_dot(source) {
        return Some("has an unescaped '.' in the host, which matches any character");
    }
    None
}

fn ends_with_unescaped_dollar(source: &str) -> bool {
    let b = source.as_bytes();
    if b.last() != Some(&b'$') {
        return false;
    }
    let backslashes = b[..b.len() - 1]
        .iter()
        .rev()
        .take_while(|&&c| c == b'\\')
        .count();
    backslashes % 2 == 0
}

/// An unescaped `.` outside a class, directly followed by a letter or digit,
/// reads like a host name dot (`example.com`) but matches any character.
fn has_unescaped_host_dot(source: &str) -> bool {
    let b = source.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'.' if !in_class && b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) => {
                return true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(origin: OriginSpec) -> PolicySpec {
        PolicySpec {
            origin,
            credentials: false,
            methods: ListOption {
                list: None,
                text: Some("GET,HEAD,PUT,PATCH,POST,DELETE".into()),
            },
            allowed_headers: None,
            exposed_headers: ListOption::default(),
            max_age_text: None,
            max_age_number: None,
        }
    }

    fn codes(s: &PolicySpec) -> Vec<&'static str> {
        diagnose(s).into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn renders_lists_like_cors() {
        let l = ListOption {
            list: Some(vec!["GET".into(), "POST".into()]),
            text: None,
        };
        assert_eq!(l.render().as_deref(), Some("GET,POST"));
        let t = ListOption {
            list: None,
            text: Some("GET, POST".into()),
        };
        assert_eq!(t.render().as_deref(), Some("GET, POST"));
        assert_eq!(
            ListOption {
                list: Some(vec![]),
                text: None
            }
            .render(),
            None
        );
        assert_eq!(ListOption::default().render(), None);
    }

    #[test]
    fn default_policy_is_clean() {
        assert!(codes(&spec(OriginSpec::Any)).is_empty());
    }

    #[test]
    fn credential_diagnostics() {
        let mut s = spec(OriginSpec::Any);
        s.credentials = true;
        assert_eq!(codes(&s), vec![WILDCARD_CREDENTIALS]);
        s.origin = OriginSpec::Reflect;
        assert_eq!(codes(&s), vec![REFLECT_CREDENTIALS]);
        s.origin = OriginSpec::Fixed("http://api.example.com".into());
        assert_eq!(codes(&s), vec![INSECURE_ORIGIN]);
        s.origin = OriginSpec::Fixed("http://localhost:5173".into());
        assert!(codes(&s).is_empty());
        s.origin = OriginSpec::Fixed("http://[::1]:5173".into());
        assert!(codes(&s).is_empty());
        s.credentials = false;
        s.origin = OriginSpec::Fixed("http://api.example.com".into());
        assert!(codes(&s).is_empty());
    }

    #[test]
    fn null_and_regex_diagnostics() {
        let s = spec(OriginSpec::List {
            items: vec![
                OriginItem::Exact("null".into()),
                OriginItem::Regex {
                    source: r"example\.com$".into(),
                    flags: String::new(),
                },
                OriginItem::Regex {
                    source: r"^https:\/\/example.com$".into(),
                    flags: String::new(),
                },
                OriginItem::Regex {
                    source: r"^https:\/\/(.+\.)?example\.com$".into(),
                    flags: String::new(),
                },
            ],
            match_all: false,
        });
        assert_eq!(
            codes(&s),
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
        let mut s = spec(OriginSpec::Any);
        s.methods = ListOption {
            list: Some(vec!["GET".into(), "PO ST".into()]),
            text: None,
        };
        s.allowed_headers = Some(ListOption {
            list: None,
            text: Some("X-Ok, X(bad)".into()),
        });
        assert_eq!(codes(&s), vec![INVALID_TOKEN, INVALID_TOKEN]);
        let mut s = spec(OriginSpec::Any);
        for (text, number, bad) in [
            ("600", Some(600.0), false),
            ("0", Some(0.0), false),
            ("86400", Some(86400.0), false),
            ("86401", Some(86401.0), true),
            ("-1", Some(-1.0), true),
            ("1.5", Some(1.5), true),
            ("NaN", Some(f64::NAN), true),
            ("600", None, false),
            ("10m", None, true),
        ] {
            s.max_age_text = Some(text.into());
            s.max_age_number = number;
            assert_eq!(codes(&s) == vec![MAX_AGE], bad, "{text}");
        }
    }

    #[test]
    fn compile_renders_and_splits_regexes() {
        let mut s = spec(OriginSpec::List {
            items: vec![
                OriginItem::Exact("https://a.com".into()),
                OriginItem::Exact("https://a.com".into()),
                OriginItem::Regex {
                    source: r"^https:\/\/b\.com$".into(),
                    flags: String::new(),
                },
                OriginItem::Regex {
                    source: r"^https:\/\/(?!evil)\w+\.com$".into(),
                    flags: String::new(),
                },
            ],
            match_all: false,
        });
        s.exposed_headers = ListOption {
            list: Some(vec!["X-A".into(), "X-B".into()]),
            text: None,
        };
        s.max_age_text = Some("0".into());
        let c = compile(&s).expect("compiles");
        let o = c.origin.expect("list origin");
        assert_eq!(o.exact, vec!["https://a.com".to_string()]);
        assert_eq!(o.js_regexes, vec![1]);
        let m = o.matcher.expect("a regex is in Rust");
        assert_eq!(
            m.decide_str("https://b.com"),
            crate::origin::Verdict::Allowed
        );
        assert_eq!(
            m.decide_str("https://evil-b.com"),
            crate::origin::Verdict::Denied
        );
        assert_eq!(c.methods.as_deref(), Some("GET,HEAD,PUT,PATCH,POST,DELETE"));
        assert_eq!(c.exposed_headers.as_deref(), Some("X-A,X-B"));
        assert_eq!(c.max_age.as_deref(), Some("0"));
        assert!(c.reflect_headers);
    }

    #[test]
    fn too_many_regexes_spill_to_js_instead_of_failing() {
        let items: Vec<OriginItem> = (0..3000)
            .map(|i| OriginItem::Regex {
                source: format!(r"^https:\/\/(a|b|c|d)+{i}x[a-z0-9]{{1,60}}\.example\.com$"),
                flags: "i".into(),
            })
            .collect();
        let o = compile_origin(&items, false).expect("never an error");
        let m = o.matcher.expect("some stay in Rust");
        assert!(!o.js_regexes.is_empty(), "some run in JS");
        assert!(o.js_regexes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(o.js_regexes.len(), o.js_reasons.len());
        assert_eq!(
            m.decide_str("https://ab0xq.example.com"),
            crate::origin::Verdict::Allowed
        );
    }

    #[test]
    fn bad_patterns_are_config_errors() {
        let s = spec(OriginSpec::List {
            items: vec![OriginItem::Pattern("https://*.com".into())],
            match_all: false,
        });
        let e = compile(&s).expect_err("public suffix");
        assert_eq!(e.code, INVALID_OPTION);
        assert!(e.message.contains("origin"));
    }
}
