//! The input: plain data resolved by JS (lib/options.js), read with serde.

use serde::Deserialize;

use crate::finding::shorten;

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
    /// A bigint, as its decimal text (`0n` is the one falsy value).
    BigInt(String),
    /// Any other object, function or symbol, described for messages
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
    pub(super) fn is_nullish(&self) -> bool {
        matches!(self, Given::Undefined | Given::Null)
    }

    /// How a message names the value: `the string "true"`, `the number 42`.
    pub fn describe(&self) -> String {
        match self {
            Given::Undefined => "undefined".into(),
            Given::Null => "null".into(),
            Given::Boolean(value) => format!("the boolean {value}"),
            Given::Number(value) => format!("the number {}", js_number(*value)),
            Given::String(value) => format!("the string {:?}", shorten(value, 60)),
            Given::StringObject(value) => {
                format!("a String object {:?}", shorten(value, 60))
            }
            Given::Array => "an array".into(),
            Given::BigInt(value) => format!("the bigint {}n", shorten(value, 60)),
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
    pub(super) fn render(&self) -> Option<String> {
        let text = match (&self.names, &self.given) {
            (Some(names), _) => names.join(","),
            (None, Given::String(value)) | (None, Given::StringObject(value)) => value.clone(),
            (None, _) => self.text.clone()?,
        };
        (!text.is_empty()).then_some(text)
    }

    /// The names, for the token check: array elements, or a text split on commas.
    pub(super) fn names(&self) -> Vec<String> {
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
    /// How many elements of an origin list only inherit from
    /// `RegExp.prototype` (`Object.create(RegExp.prototype)`): cors's
    /// `test()` throws on them. JS tests such a list in order itself.
    #[serde(default)]
    pub origin_not_regexps: u32,
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
            origin_not_regexps: 0,
        }
    }
}

/// JS's `Number.prototype.toString` for the numbers messages show.
pub(super) fn js_number(n: f64) -> String {
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
