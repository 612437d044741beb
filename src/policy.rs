//! The policy: every option, validated, rendered and compiled in one place.
//!
//! JS resolves the option *forms* only it can read (functions, RegExp
//! objects, String objects, array-likes, getters) into plain data, the
//! [`PolicyInput`]; the N-API layer deserializes it with serde. [`compile`]
//! turns it into one [`Policy`]: the header values rendered once, the origin
//! rule with its matcher, and the [`Finding`]s (misconfigurations, each with
//! a stable code, a message that names the option and a fix).
//!
//! The rule that shapes this module: **never fail where cors works**. A
//! value that cors@2.8.6 answers requests with, however sloppy, compiles to
//! exactly what cors sends, plus a warning. Only configurations that break
//! cors itself on every preflight, and wrong types of rust-cors's own options,
//! are errors. `strict: true` turns every warning into an error.

use regex::bytes::RegexSet;
use serde::{Deserialize, Serialize};

use crate::headers::is_token;
use crate::js_regex::{translate, Translation};
use crate::origin::Matcher;
use crate::pattern::{is_pattern, parse_pattern, OriginPattern};

// ---------------------------------------------------------------------------
// The input: plain data resolved by JS (lib/options.js).

/// What JS found for one option: its type, and its value when it is a
/// primitive that Rust needs to judge. Externally tagged, so that serde reads
/// it in one pass: `"undefined"`, `{"boolean":true}`, `{"number":600}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Given {
    /// Absent (the key is left out of the JSON).
    #[default]
    Undefined,
    Null,
    Boolean(bool),
    Number(#[serde(deserialize_with = "js_number_value")] f64),
    String(String),
    /// A `String` object (`new String('x')`).
    StringObject(String),
    /// A real `Array`.
    Array,
    /// Any other object, function, symbol or bigint, described for messages
    /// (`an object`, `a function`, `the RegExp /x/`).
    Other(String),
}

/// A JS number as JSON carries it: a number, or for the values JSON has no
/// syntax for, the string `NaN`, `Infinity` or `-Infinity`.
fn js_number_value<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    struct JsNumber;
    impl serde::de::Visitor<'_> for JsNumber {
        type Value = f64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number, NaN, Infinity or -Infinity")
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<f64, E> {
            match v {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(E::custom(format!("not a number: {other:?}"))),
            }
        }
    }
    deserializer.deserialize_any(JsNumber)
}

impl Given {
    fn is_nullish(&self) -> bool {
        matches!(self, Given::Undefined | Given::Null)
    }

    /// How a message names the value: `the string "true"`, `the number 42`.
    pub fn describe(&self) -> String {
        match self {
            Given::Undefined => "undefined".into(),
            Given::Null => "null".into(),
            Given::Boolean(value) => format!("the boolean {value}"),
            Given::Number(value) => format!("the number {}", js_number(*value)),
            Given::String(value) => format!("the string {:?}", truncate(value, 60)),
            Given::StringObject(value) => {
                format!("a String object {:?}", truncate(value, 60))
            }
            Given::Array => "an array".into(),
            Given::Other(describe) => describe.clone(),
        }
    }
}

/// A list-valued header option (`methods`, `allowedHeaders`,
/// `exposedHeaders`) or `maxAge`, as cors would send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderInput {
    #[serde(default)]
    pub given: Given,
    /// An array of strings: the names, joined with `,` here as cors does.
    #[serde(default)]
    pub names: Option<Vec<String>>,
    /// Any other form: the text cors sends (JS applied the form's own
    /// `join()` or `toString()`); `None` when cors sends no header.
    #[serde(default)]
    pub text: Option<String>,
    /// cors throws on every preflight with this value (`methods: null`, a
    /// `join` that is not a function).
    #[serde(default)]
    pub throws: bool,
}

impl HeaderInput {
    /// The header value cors sends, or `None` for no header.
    fn render(&self) -> Option<String> {
        let text = match (&self.names, &self.given) {
            (Some(names), _) => names.join(","),
            (None, Given::String(value)) | (None, Given::StringObject(value)) => value.clone(),
            (None, _) => self.text.clone()?,
        };
        (!text.is_empty()).then_some(text)
    }

    /// The names, for the token check: array elements, or a text split on commas.
    fn names(&self) -> Vec<String> {
        match (&self.names, self.render()) {
            (Some(names), _) => names.clone(),
            (None, Some(text)) => text.split(',').map(|s| s.trim().to_string()).collect(),
            (None, None) => Vec::new(),
        }
    }
}

/// One element of an origin allow-list, flattened in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemInput {
    /// A string: an exact origin, or a pattern when it holds `*`.
    String(String),
    /// A RegExp's source and flags.
    Regex { source: String, flags: String },
}

/// The `origin` option after JS resolved its form.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OriginInput {
    /// A falsy origin: no CORS at all, `next()` for every request.
    Disabled,
    /// Exactly `'*'`.
    Any,
    /// A string or a String object: sent as is (a valid pattern string
    /// reflects matching origins instead).
    Fixed {
        value: String,
        #[serde(default)]
        object: bool,
    },
    /// `true` or another truthy value that is not a string, array or RegExp.
    Reflect(Given),
    /// A RegExp or a (nested) array; `match_all` when a truthy non-string
    /// element allows every origin; `ordered` when a stateful RegExp makes
    /// cors's order observable (then JS tests the elements itself).
    #[serde(rename_all = "camelCase")]
    List {
        items: Vec<ItemInput>,
        #[serde(default)]
        match_all: bool,
        #[serde(default)]
        ordered: bool,
    },
    /// A function decides per request.
    Dynamic,
}

/// `optionsSuccessStatus`: what it is, and the status Node writes for it
/// (`value | 0`, computed in JS).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInput {
    #[serde(default)]
    pub given: Given,
    pub status: i32,
}

/// Every option; an option left out of the JSON is `undefined`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyInput {
    pub origin: OriginInput,
    #[serde(default)]
    pub credentials: Given,
    #[serde(default)]
    pub methods: HeaderInput,
    /// `None`: `allowedHeaders` and `headers` are both falsy, so the
    /// request's `Access-Control-Request-Headers` is reflected.
    #[serde(default)]
    pub allowed_headers: Option<HeaderInput>,
    /// `true` when the value came from the alias `headers`.
    #[serde(default)]
    pub allowed_headers_alias: bool,
    #[serde(default)]
    pub exposed_headers: HeaderInput,
    #[serde(default)]
    pub max_age: HeaderInput,
    #[serde(default)]
    pub preflight_continue: Given,
    #[serde(default)]
    pub options_success_status: StatusInput,
    #[serde(default)]
    pub strict: Given,
    #[serde(default)]
    pub strict_preflight: Given,
    #[serde(default)]
    pub allow_private_network: Given,
    #[serde(default)]
    pub cache_control: Given,
    /// The options came from a delegate, per request: what breaks cors on
    /// every preflight is then reproduced per preflight, not refused here.
    #[serde(default)]
    pub per_request: bool,
}

impl PolicyInput {
    /// cors's defaults around an origin (for Rust callers, tests and fuzzers).
    pub fn defaults(origin: OriginInput) -> Self {
        PolicyInput {
            origin,
            credentials: Given::Undefined,
            methods: HeaderInput {
                given: Given::String("GET,HEAD,PUT,PATCH,POST,DELETE".into()),
                ..HeaderInput::default()
            },
            allowed_headers: None,
            allowed_headers_alias: false,
            exposed_headers: HeaderInput::default(),
            max_age: HeaderInput::default(),
            preflight_continue: Given::Boolean(false),
            options_success_status: StatusInput {
                given: Given::Number(204.0),
                status: 204,
            },
            strict: Given::Undefined,
            strict_preflight: Given::Undefined,
            allow_private_network: Given::Undefined,
            cache_control: Given::Undefined,
            per_request: false,
        }
    }
}

// ---------------------------------------------------------------------------
// The output: one policy.

/// How bad a finding is. Every finding of a policy that cors answers is a
/// warning; `strict` makes it an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Warning,
    Error,
}

/// One misconfiguration: a stable code, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

impl Finding {
    fn warning(code: &'static str, message: String, fix: impl Into<String>) -> Self {
        Finding {
            code,
            severity: Severity::Warning,
            message,
            fix: fix.into(),
        }
    }

    /// The text of the warning or error: the message, then the fix.
    pub fn text(&self) -> String {
        if self.fix.is_empty() {
            self.message.clone()
        } else {
            format!("{} {}", self.message, self.fix)
        }
    }
}

pub const INVALID_OPTION: &str = "RUST_CORS_INVALID_OPTION";
pub const INVALID_PATTERN: &str = "RUST_CORS_INVALID_PATTERN";
pub const WILDCARD_CREDENTIALS: &str = "RUST_CORS_WILDCARD_CREDENTIALS";
pub const REFLECT_CREDENTIALS: &str = "RUST_CORS_REFLECT_CREDENTIALS";
pub const NULL_ORIGIN: &str = "RUST_CORS_NULL_ORIGIN";
pub const UNANCHORED_REGEX: &str = "RUST_CORS_UNANCHORED_REGEX";
pub const INSECURE_ORIGIN: &str = "RUST_CORS_INSECURE_ORIGIN";
pub const INVALID_TOKEN: &str = "RUST_CORS_INVALID_TOKEN";
pub const MAX_AGE: &str = "RUST_CORS_MAX_AGE";

/// A configuration that cannot work: thrown as a `TypeError` with `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub code: &'static str,
    pub message: String,
}

impl From<Finding> for ConfigError {
    fn from(f: Finding) -> Self {
        ConfigError {
            code: f.code,
            message: f.text(),
        }
    }
}

/// The origin rule, for the request path in JS.
#[derive(Debug)]
pub enum OriginRule {
    Disabled,
    /// `Access-Control-Allow-Origin: *`.
    Any,
    /// A fixed value, sent as is, with `Vary: Origin`.
    Fixed,
    /// Reflect any request origin, with `Vary: Origin`.
    Reflect,
    /// Reflect the request origin when the list allows it.
    List {
        match_all: bool,
        /// Indices (among the list's strings, in order) of the valid
        /// patterns; every other string is an exact origin.
        pattern_strings: Vec<u32>,
        /// Indices (among the list's RegExps, in order) that run as JS
        /// RegExps; the others, and the patterns, are decided by the
        /// policy's matcher.
        js_regexes: Vec<u32>,
    },
    /// An origin callback decides per request.
    Dynamic,
}

/// `Access-Control-Allow-Headers` on preflights.
#[derive(Debug, Clone)]
pub enum AllowHeaders {
    /// Echo `Access-Control-Request-Headers`, with `Vary`.
    Reflect,
    /// A fixed value, or none.
    Fixed(Option<String>),
}

/// How an answered preflight ends.
#[derive(Debug)]
pub enum PreflightEnd {
    /// `next()`: the app answers it.
    Continue,
    /// The status (`Content-Length: 0`, empty body).
    Respond { status: i32 },
    /// cors throws on every preflight with these options; this is its message.
    Throws { message: String },
}

/// Everything the middleware needs, every header value rendered once (JS
/// reads it as `bindings::view`).
#[derive(Debug)]
pub struct Policy {
    pub origin: OriginRule,
    pub credentials: bool,
    pub methods: Option<String>,
    pub allow_headers: AllowHeaders,
    pub expose_headers: Option<String>,
    pub max_age: Option<String>,
    pub preflight: PreflightEnd,
    pub strict_preflight: bool,
    pub allow_private_network: bool,
    pub cache_control: Option<String>,
    pub findings: Vec<Finding>,
    /// Handed to JS as a native function.
    pub matcher: Option<Matcher>,
    /// One matcher per valid pattern string of an ordered list, in order.
    pub pattern_matchers: Vec<Matcher>,
}

/// Browsers cap preflight caching at 2 hours (Chromium) or 24 hours
/// (Firefox); more than a day is never honoured.
const MAX_AGE_LIMIT: f64 = 86_400.0;

/// How many translated RegExps are kept in Rust when the whole set is too
/// large for the regex crate's size limit.
const SET_SPLIT: usize = 1000;

// ---------------------------------------------------------------------------
// Compiling.

/// Validate and compile a whole policy. `Err` only for configurations that
/// cors cannot answer either (listed in the README), for wrong types of
/// rust-cors's own options, and for any finding under `strict: true`.
pub fn compile(input: &PolicyInput) -> Result<Policy, ConfigError> {
    let strict = own_bool("strict", &input.strict)?;
    let strict_preflight = own_bool("strictPreflight", &input.strict_preflight)?;
    let allow_private_network = own_bool("allowPrivateNetwork", &input.allow_private_network)?;
    let cache_control = cache_control(&input.cache_control)?;

    let mut findings = Vec::new();
    let compiled_origin = compile_origin_rule(&input.origin, &mut findings);
    let credentials = credentials(&input.credentials, &mut findings);
    let methods = header_option(
        "methods",
        &input.methods,
        HeaderKind::Methods,
        &mut findings,
    );
    let preflight = preflight_end(input, &mut findings)?;
    let allow_headers = match &input.allowed_headers {
        None => AllowHeaders::Reflect,
        Some(h) => {
            let name = if input.allowed_headers_alias {
                "headers"
            } else {
                "allowedHeaders"
            };
            AllowHeaders::Fixed(header_option(name, h, HeaderKind::Names, &mut findings))
        }
    };
    let expose_headers = header_option(
        "exposedHeaders",
        &input.exposed_headers,
        HeaderKind::Names,
        &mut findings,
    );
    let max_age = max_age(&input.max_age, &mut findings);
    diagnose(input, credentials, &compiled_origin, &mut findings);

    if strict {
        if let Some(first) = findings.into_iter().next() {
            return Err(ConfigError::from(first));
        }
        findings = Vec::new();
    }
    let CompiledOrigin {
        rule,
        matcher,
        pattern_matchers,
        ..
    } = compiled_origin;
    Ok(Policy {
        origin: rule,
        credentials,
        methods,
        allow_headers,
        expose_headers,
        max_age,
        preflight,
        strict_preflight,
        allow_private_network,
        cache_control,
        findings,
        matcher,
        pattern_matchers,
    })
}

/// A rust-cors option that is off or on: any other type is an error, since
/// no cors configuration uses it.
fn own_bool(name: &str, given: &Given) -> Result<bool, ConfigError> {
    match given {
        Given::Undefined | Given::Null => Ok(false),
        Given::Boolean(value) => Ok(*value),
        other => Err(ConfigError {
            code: INVALID_OPTION,
            message: format!(
                "rust-cors: option `{name}` must be a boolean; got {}. Use {name}: true to turn it on.",
                other.describe()
            ),
        }),
    }
}

fn cache_control(given: &Given) -> Result<Option<String>, ConfigError> {
    let valid = match given {
        Given::Undefined | Given::Null | Given::Boolean(false) => return Ok(None),
        Given::Number(value) if value.fract() == 0.0 && *value >= 0.0 && *value < 1e15 => {
            return Ok(Some(format!("max-age={}", js_number(*value))));
        }
        Given::String(value) => {
            !value.is_empty()
                && value
                    .bytes()
                    .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
        }
        _ => false,
    };
    match given {
        Given::String(value) if valid => Ok(Some(value.clone())),
        other => Err(ConfigError {
            code: INVALID_OPTION,
            message: format!(
                "rust-cors: option `cacheControl` must be a whole number of seconds or a Cache-Control string; got {}. e.g. cacheControl: 600 or 'public, max-age=600'",
                other.describe()
            ),
        }),
    }
}

/// cors sends `Access-Control-Allow-Credentials: true` for the boolean
/// `true` only.
fn credentials(given: &Given, findings: &mut Vec<Finding>) -> bool {
    match given {
        Given::Boolean(value) => *value,
        Given::Undefined | Given::Null => false,
        other => {
            let looks_true = matches!(other, Given::String(value) if value.eq_ignore_ascii_case("true"))
                || matches!(other, Given::Number(value) if *value == 1.0);
            findings.push(Finding::warning(
                INVALID_OPTION,
                format!(
                    "rust-cors: option `credentials` is {}; cors sends Access-Control-Allow-Credentials only for the boolean true, so credentialed requests are refused by browsers.",
                    other.describe()
                ),
                if looks_true {
                    "Use credentials: true (when it comes from the environment: credentials: process.env.CORS_CREDENTIALS === 'true')."
                } else {
                    "Use credentials: true or false."
                },
            ));
            false
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderKind {
    Methods,
    Names,
}

/// A list-valued header option: the value cors sends, with a warning for a
/// type cors does not mean to take.
fn header_option(
    name: &str,
    input: &HeaderInput,
    kind: HeaderKind,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let rendered = input.render();
    let falsy_primitive = matches!(input.given, Given::Boolean(false))
        || matches!(input.given, Given::Number(value) if value == 0.0);
    let well_typed = matches!(
        input.given,
        Given::String(_) | Given::StringObject(_) | Given::Array
    ) || input.given.is_nullish()
        // `allowedHeaders: false` reflects and `exposedHeaders: false` sends
        // nothing, in cors as the reader expects.
        || (kind == HeaderKind::Names && falsy_primitive);
    if !well_typed && !input.throws {
        let sends = match &rendered {
            Some(v) => format!("sends `{}`", truncate(v, 60)),
            None => "sends no header".to_string(),
        };
        let example = if kind == HeaderKind::Methods {
            "e.g. methods: ['GET', 'POST']"
        } else {
            "e.g. ['Content-Type', 'Authorization']"
        };
        findings.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `{name}` is {}; it must be a string or an array of strings, and cors {sends} for it.",
                input.given.describe()
            ),
            format!("Use a list of names, {example}."),
        ));
    }
    rendered
}

fn max_age(input: &HeaderInput, findings: &mut Vec<Finding>) -> Option<String> {
    let rendered = input.render();
    match &input.given {
        Given::Undefined | Given::Null => {}
        Given::Number(value) => {
            let n = *value;
            if !(n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_AGE_LIMIT) {
                findings.push(max_age_finding(rendered.as_deref().unwrap_or("")));
            }
        }
        Given::String(value) | Given::StringObject(value) if !value.is_empty() => {
            findings.push(Finding::warning(
                INVALID_OPTION,
                format!(
                    "rust-cors: option `maxAge` is {}; it must be a number of seconds (cors sends the text as is).",
                    input.given.describe()
                ),
                format!(
                    "Use the number, e.g. maxAge: {}.",
                    value.trim().parse::<u64>().map_or("600".to_string(), |n| n.to_string())
                ),
            ));
            let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
            let in_range = value
                .parse::<u64>()
                .is_ok_and(|n| n as f64 <= MAX_AGE_LIMIT);
            let fine = value.is_empty() || (digits && in_range);
            if !fine {
                findings.push(max_age_finding(value));
            }
        }
        Given::Boolean(false) => {}
        other => findings.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `maxAge` is {}; it must be a number of seconds, and cors {}.",
                other.describe(),
                match &rendered {
                    Some(v) => format!("sends `Access-Control-Max-Age: {}`", truncate(v, 40)),
                    None => "sends no header".to_string(),
                }
            ),
            "Use e.g. maxAge: 600.",
        )),
    }
    rendered
}

fn max_age_finding(text: &str) -> Finding {
    Finding::warning(
        MAX_AGE,
        format!(
            "rust-cors: option `maxAge` is {}, but Access-Control-Max-Age must be a whole number of seconds from 0 to 86400 (browsers cap it anyway: Chromium at 7200).",
            truncate(text, 40)
        ),
        "Use e.g. maxAge: 600.",
    )
}

/// How a preflight ends, exactly as cors ends it.
/// Options on which cors fails every preflight: refused when they are given
/// once, and, from a delegate (per request, as cors reads them), answered
/// with `end`, which fails each preflight the same way.
fn fails_every_preflight(
    input: &PolicyInput,
    message: String,
    end: PreflightEnd,
) -> Result<PreflightEnd, ConfigError> {
    if input.per_request {
        Ok(end)
    } else {
        Err(ConfigError {
            code: INVALID_OPTION,
            message,
        })
    }
}

fn preflight_end(
    input: &PolicyInput,
    findings: &mut Vec<Finding>,
) -> Result<PreflightEnd, ConfigError> {
    let continues = match &input.preflight_continue {
        Given::Boolean(value) => *value,
        Given::Undefined | Given::Null => false,
        other => {
            let truthy = truthy(other);
            findings.push(Finding::warning(
                INVALID_OPTION,
                format!(
                    "rust-cors: option `preflightContinue` is {}; cors treats it as {truthy}, so preflights are {}.",
                    other.describe(),
                    if truthy { "passed on to the next handler" } else { "answered here" }
                ),
                "Use preflightContinue: true or false.",
            ));
            truthy
        }
    };
    if input.exposed_headers.throws {
        return Err(ConfigError {
            code: INVALID_OPTION,
            message: format!(
                "rust-cors: option `exposedHeaders` is {}, whose `join` is not a function; cors throws a TypeError on every request with it. Give a list, e.g. exposedHeaders: ['X-Request-Id'].",
                input.exposed_headers.given.describe()
            ),
        });
    }
    let allowed_name = if input.allowed_headers_alias {
        "headers"
    } else {
        "allowedHeaders"
    };
    let throwing = [
        ("methods", Some(&input.methods)),
        (allowed_name, input.allowed_headers.as_ref()),
        ("maxAge", Some(&input.max_age)),
    ]
    .into_iter()
    .find_map(|(name, option)| option.filter(|o| o.throws).map(|o| (name, o)));
    if let Some((name, option)) = throwing {
        let message = format!(
            "rust-cors: option `{name}` is {}; cors throws a TypeError on every preflight with it. Leave it out for the default, or give a plain value, e.g. methods: ['GET', 'POST'], maxAge: 600.",
            option.given.describe()
        );
        let end = PreflightEnd::Throws {
            message: message.clone(),
        };
        return fails_every_preflight(input, message, end);
    }
    if continues {
        return Ok(PreflightEnd::Continue);
    }
    let status = &input.options_success_status;
    if !(100..=999).contains(&status.status) {
        // Node throws in res.end() on every preflight.
        let message = format!(
            "rust-cors: option `optionsSuccessStatus` must be an HTTP status code (an integer from 100 to 999); got {}. Leave it out for 204, or use 200 for legacy browsers.",
            status.given.describe()
        );
        // Reproduced per preflight: Node refuses the status in res.end().
        let end = PreflightEnd::Respond {
            status: status.status,
        };
        return fails_every_preflight(input, message, end);
    }
    if !matches!(&status.given, Given::Number(value) if value.fract() == 0.0) {
        findings.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `optionsSuccessStatus` is {}; Node writes it as the status {}.",
                status.given.describe(),
                status.status
            ),
            format!("Use the number, optionsSuccessStatus: {}.", status.status),
        ));
    }
    Ok(PreflightEnd::Respond {
        status: status.status,
    })
}

fn truthy(given: &Given) -> bool {
    match given {
        Given::Undefined | Given::Null => false,
        Given::Boolean(value) => *value,
        Given::Number(value) => *value != 0.0 && !value.is_nan(),
        Given::String(value) => !value.is_empty(),
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// The origin rule.

struct CompiledOrigin {
    rule: OriginRule,
    matcher: Option<Matcher>,
    pattern_matchers: Vec<Matcher>,
    /// The strings that count as exact origins (diagnostics).
    exact: Vec<String>,
    /// The valid patterns (diagnostics).
    patterns: Vec<String>,
    /// The RegExp sources (diagnostics).
    regexes: Vec<String>,
}

impl CompiledOrigin {
    fn simple(rule: OriginRule) -> Self {
        CompiledOrigin {
            rule,
            matcher: None,
            pattern_matchers: Vec::new(),
            exact: Vec::new(),
            patterns: Vec::new(),
            regexes: Vec::new(),
        }
    }
}

/// A string with `*` is a pattern when it parses; otherwise it stays the
/// inert literal cors compares it as, with a warning.
fn classify_string(s: &str, findings: &mut Vec<Finding>) -> Option<OriginPattern> {
    if !is_pattern(s) {
        return None;
    }
    match parse_pattern(s) {
        Ok(p) => Some(p),
        Err(problem) => {
            findings.push(Finding::warning(
                INVALID_PATTERN,
                format!(
                    "rust-cors: option `origin`: {problem}. It is kept as a plain string, compared exactly as cors compares it, so it matches only an Origin equal to {:?}.",
                    truncate(s, 80)
                ),
                "Write a valid pattern (a scheme, then `*.` before a domain you control, e.g. 'https://*.example.com', or `:*` for the port), or list the origins.",
            ));
            None
        }
    }
}

fn compile_origin_rule(origin: &OriginInput, findings: &mut Vec<Finding>) -> CompiledOrigin {
    match origin {
        OriginInput::Disabled => CompiledOrigin::simple(OriginRule::Disabled),
        OriginInput::Any => CompiledOrigin::simple(OriginRule::Any),
        OriginInput::Dynamic => CompiledOrigin::simple(OriginRule::Dynamic),
        OriginInput::Reflect(_) => CompiledOrigin::simple(OriginRule::Reflect),
        OriginInput::Fixed { value, object } => {
            // cors sends a String object's value as is, pattern or not.
            let pattern = if *object {
                None
            } else {
                classify_string(value, findings)
            };
            match pattern {
                Some(p) => list_origin(
                    &[ItemInput::String(value.clone())],
                    false,
                    false,
                    vec![Some(p)],
                ),
                None => {
                    let mut c = CompiledOrigin::simple(OriginRule::Fixed);
                    c.exact.push(value.clone());
                    c
                }
            }
        }
        OriginInput::List {
            items,
            match_all,
            ordered,
        } => {
            let parsed = items
                .iter()
                .filter_map(|item| match item {
                    ItemInput::String(value) => Some(classify_string(value, findings)),
                    ItemInput::Regex { .. } => None,
                })
                .collect();
            list_origin(items, *match_all, *ordered, parsed)
        }
    }
}

/// Compile a list; `parsed` holds, for each string item in order, its
/// pattern when it is a valid one.
fn list_origin(
    items: &[ItemInput],
    match_all: bool,
    ordered: bool,
    parsed: Vec<Option<OriginPattern>>,
) -> CompiledOrigin {
    let mut exact = Vec::new();
    let mut pattern_texts = Vec::new();
    let mut regex_sources = Vec::new();
    let mut pattern_strings = Vec::new();
    let mut patterns = Vec::new();
    let mut regexes: Vec<(&str, &str)> = Vec::new();
    let mut strings = items.iter().filter_map(|i| match i {
        ItemInput::String(value) => Some(value),
        ItemInput::Regex { .. } => None,
    });
    for (index, pattern) in parsed.into_iter().enumerate() {
        let Some(value) = strings.next() else { break };
        match pattern {
            Some(p) => {
                pattern_strings.push(index as u32);
                pattern_texts.push(value.clone());
                patterns.push(p);
            }
            None => exact.push(value.clone()),
        }
    }
    for item in items {
        if let ItemInput::Regex { source, flags } = item {
            regexes.push((source, flags));
            regex_sources.push(source.clone());
        }
    }
    if ordered {
        // JS tests every element in order on the user's objects; Rust only
        // decides each valid pattern on its own.
        let pattern_matchers = patterns
            .into_iter()
            .map(|p| Matcher::new(std::iter::empty(), None, vec![p], false))
            .collect();
        return CompiledOrigin {
            rule: OriginRule::List {
                match_all,
                pattern_strings,
                js_regexes: (0..regexes.len() as u32).collect(),
            },
            matcher: None,
            pattern_matchers,
            exact,
            patterns: pattern_texts,
            regexes: regex_sources,
        };
    }
    let (matcher, js_regexes) = build_matcher(&regexes, patterns);
    CompiledOrigin {
        rule: OriginRule::List {
            match_all,
            pattern_strings,
            js_regexes,
        },
        matcher,
        pattern_matchers: Vec::new(),
        exact,
        patterns: pattern_texts,
        regexes: regex_sources,
    }
}

/// The matcher for translated RegExps and patterns, and the indices of the
/// RegExps that run in JS.
fn build_matcher(
    regexes: &[(&str, &str)],
    patterns: Vec<OriginPattern>,
) -> (Option<Matcher>, Vec<u32>) {
    let mut rust_regexes: Vec<String> = Vec::new();
    let mut rust_indices: Vec<u32> = Vec::new();
    let mut js: Vec<u32> = Vec::new();
    let mut cr_sensitive = false;
    for (index, (source, flags)) in regexes.iter().enumerate() {
        match translate(source, flags) {
            Translation::Exact {
                pattern,
                cr_sensitive: cr,
            } => {
                cr_sensitive |= cr;
                rust_regexes.push(pattern);
                rust_indices.push(index as u32);
            }
            Translation::Js { .. } => js.push(index as u32),
        }
    }
    let set = if rust_regexes.is_empty() {
        None
    } else {
        match RegexSet::new(&rust_regexes) {
            Ok(set) => Some(set),
            Err(_) => {
                // Too large together (tens of thousands of RegExps): keep the
                // ones that compile alone, up to a bound, the rest in JS.
                let mut keep = Vec::new();
                for (pattern, index) in rust_regexes.iter().zip(&rust_indices) {
                    if keep.len() < SET_SPLIT && regex::bytes::Regex::new(pattern).is_ok() {
                        keep.push(pattern.as_str());
                    } else {
                        js.push(*index);
                    }
                }
                match RegexSet::new(&keep) {
                    Ok(set) if !keep.is_empty() => Some(set),
                    _ => {
                        js = (0..regexes.len() as u32).collect();
                        None
                    }
                }
            }
        }
    };
    js.sort_unstable();
    let matcher = if set.is_none() && patterns.is_empty() {
        None
    } else {
        Some(Matcher::new(
            std::iter::empty(),
            set,
            patterns,
            cr_sensitive,
        ))
    };
    (matcher, js)
}

// ---------------------------------------------------------------------------
// Diagnostics of policies that work but are risky.

fn is_local_host(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    if let Some(v6) = rest.strip_prefix('[') {
        return v6.starts_with("::1]");
    }
    let host = rest.split(':').next().unwrap_or(rest);
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1"
}

fn diagnose(
    input: &PolicyInput,
    credentials: bool,
    origin: &CompiledOrigin,
    out: &mut Vec<Finding>,
) {
    let match_all = matches!(
        origin.rule,
        OriginRule::List {
            match_all: true,
            ..
        }
    );
    match &origin.rule {
        OriginRule::Any if credentials => out.push(Finding::warning(
            WILDCARD_CREDENTIALS,
            "rust-cors: `credentials: true` with `origin: '*'` (the default): browsers reject `Access-Control-Allow-Origin: *` on credentialed requests, so every such request fails.".into(),
            "Set `origin` to the list of sites allowed to send credentials, e.g. origin: ['https://app.example.com'].",
        )),
        OriginRule::Reflect if credentials => out.push(Finding::warning(
            REFLECT_CREDENTIALS,
            "rust-cors: `origin: true` with `credentials: true` reflects any Origin, so every website can read your users' credentialed responses.".into(),
            "List the allowed origins instead, e.g. origin: ['https://app.example.com'] or a pattern 'https://*.example.com'.",
        )),
        _ if match_all && credentials => out.push(Finding::warning(
            REFLECT_CREDENTIALS,
            "rust-cors: option `origin` contains a non-string truthy entry (such as `true`), which allows every Origin, together with `credentials: true`: every website can read credentialed responses.".into(),
            "Remove that entry and list the allowed origins.",
        )),
        _ => {}
    }
    let named = origin.exact.iter().chain(&origin.patterns);
    if origin.exact.iter().any(|o| o == "null") {
        out.push(Finding::warning(
            NULL_ORIGIN,
            "rust-cors: option `origin` allows 'null'. Browsers send `Origin: null` from sandboxed iframes, data: URLs, file: pages and some redirects, so any site can produce it.".into(),
            "Remove 'null' and list real origins.",
        ));
    }
    for re in &origin.regexes {
        if let Some(problem) = regex_anchoring_problem(re) {
            out.push(Finding::warning(
                UNANCHORED_REGEX,
                format!(
                    "rust-cors: option `origin` RegExp /{}/ {problem}, so it can match origins you did not mean (e.g. https://evil-example.com for /example\\.com$/).",
                    truncate(re, 80)
                ),
                "Anchor it at both ends and escape every dot, e.g. /^https:\\/\\/(www\\.)?example\\.com$/, or use the pattern 'https://*.example.com'.",
            ));
        }
    }
    if credentials {
        for o in named.filter(|o| o.starts_with("http://") && !is_local_host(o)) {
            out.push(Finding::warning(
                INSECURE_ORIGIN,
                format!(
                    "rust-cors: option `origin` allows the plain-http origin '{}' with `credentials: true`: anyone on the network path can impersonate it and read credentialed responses.",
                    truncate(o, 80)
                ),
                "Use its https:// origin.",
            ));
        }
    }
    let allowed_name = if input.allowed_headers_alias {
        "headers"
    } else {
        "allowedHeaders"
    };
    for (option, list) in [
        ("methods", Some(&input.methods)),
        (allowed_name, input.allowed_headers.as_ref()),
        ("exposedHeaders", Some(&input.exposed_headers)),
    ] {
        let Some(list) = list else { continue };
        for name in list.names() {
            if name.is_empty() || is_token(&name) {
                continue;
            }
            out.push(Finding::warning(
                INVALID_TOKEN,
                format!(
                    "rust-cors: option `{option}` contains {:?}, which is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~ only), so browsers cannot match it and ignore the whole header.",
                    truncate(&name, 80)
                ),
                "Fix or remove that name.",
            ));
        }
    }
}

/// JS's `Number.prototype.toString` for the numbers messages show.
fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
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
pub(crate) mod tests {
    use super::*;
    use crate::origin::Verdict;

    pub(crate) fn text(s: &str) -> Given {
        Given::String(s.into())
    }

    pub(crate) fn header(given: Given) -> HeaderInput {
        HeaderInput {
            given,
            names: None,
            text: None,
            throws: false,
        }
    }

    pub(crate) fn names(list: &[&str]) -> HeaderInput {
        HeaderInput {
            given: Given::Array,
            names: Some(list.iter().map(|s| s.to_string()).collect()),
            text: None,
            throws: false,
        }
    }

    /// cors's defaults.
    pub(crate) fn input(origin: OriginInput) -> PolicyInput {
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
        assert_eq!(m.decide_str("https://b.com"), Verdict::Allowed);
        assert_eq!(m.decide_str("https://x.example.com"), Verdict::Allowed);
        assert_eq!(m.decide_str("https://evil-b.com"), Verdict::Denied);
        // Exact origins are JS's: the matcher never answers them.
        assert_eq!(m.decide_str("https://a.com"), Verdict::Denied);
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
        assert_eq!(m.decide_str("https://ab0xq.example.com"), Verdict::Allowed);
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
}

#[cfg(test)]
mod timing {
    use super::*;

    #[test]
    #[ignore]
    fn time_compile() {
        let json = r#"{"origin":{"list":{"items":[{"string":"https://app.example.com"},{"string":"https://c175000.example.com"},{"string":"https://admin.example.com"}]}},"credentials":{"boolean":true},"methods":{"given":"array","names":["GET","POST","OPTIONS","PUT","DELETE","PATCH"]},"allowedHeaders":{"given":"array","names":["Content-Type","Authorization","X-Cold-175000"]},"exposedHeaders":{"given":"array","names":["X-Request-Id"]},"maxAge":{"given":{"number":600}},"preflightContinue":{"boolean":false},"optionsSuccessStatus":{"given":{"number":204},"status":204}}"#;
        let n = 20000;
        let t = std::time::Instant::now();
        for _ in 0..n {
            let i: PolicyInput = serde_json::from_str(json).unwrap();
            std::hint::black_box(i);
        }
        println!("parse {:?}", t.elapsed() / n);
        let i: PolicyInput = serde_json::from_str(json).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(compile(&i).unwrap());
        }
        println!("compile {:?}", t.elapsed() / n);
        let p = compile(&i).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(crate::bindings::view(&p));
        }
        println!("view {:?}", t.elapsed() / n);
    }
}
