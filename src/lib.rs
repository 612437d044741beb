//! rust-cors: the N-API surface. No logic lives here: each export converts
//! JS data into the plain Rust types of `policy`, `origin` and `fetch`, and back.

use napi::bindgen_prelude::External;
use napi_derive::napi;

pub mod export;
pub mod fetch;
#[cfg(test)]
mod fuzz_smoke;
pub mod headers;
pub mod js_regex;
pub mod napi_browser;
pub mod napi_export;
pub mod origin;
pub mod pattern;
pub mod policy;

use origin::Matcher;
use policy::{ListOption, OriginItem, OriginSpec, PolicySpec};

#[napi(object)]
pub struct JsListOption {
    pub list: Option<Vec<String>>,
    pub text: Option<String>,
}

/// One flattened origin entry: kind 0 = exact string, 1 = RegExp, 2 = pattern.
#[napi(object)]
pub struct JsOriginItem {
    pub kind: u32,
    pub value: String,
    pub flags: Option<String>,
}

#[napi(object)]
pub struct JsPolicyInput {
    /// "disabled" | "any" | "fixed" | "reflect" | "list" | "dynamic"
    pub origin_kind: String,
    pub fixed: Option<String>,
    pub items: Option<Vec<JsOriginItem>>,
    pub match_all: Option<bool>,
    pub credentials: bool,
    pub methods: JsListOption,
    /// Absent: reflect Access-Control-Request-Headers.
    pub allowed_headers: Option<JsListOption>,
    pub exposed_headers: JsListOption,
    pub max_age_text: Option<String>,
    pub max_age_number: Option<f64>,
}

#[napi(object)]
pub struct JsDiagnostic {
    pub code: String,
    pub message: String,
}

#[napi(object, object_from_js = false)]
pub struct JsCompiledOrigin {
    pub exact: Vec<String>,
    pub match_all: bool,
    pub js_regexes: Vec<u32>,
    pub js_reasons: Vec<String>,
    pub matcher: Option<External<Matcher>>,
}

#[napi(object, object_from_js = false)]
#[derive(Default)]
pub struct JsCompiled {
    /// Set when the configuration cannot work; JS throws it as a TypeError.
    pub error: Option<JsDiagnostic>,
    pub origin: Option<JsCompiledOrigin>,
    pub methods: Option<String>,
    pub allowed_headers: Option<String>,
    pub reflect_headers: bool,
    pub exposed_headers: Option<String>,
    pub max_age: Option<String>,
    pub diagnostics: Vec<JsDiagnostic>,
}

fn list_option(o: JsListOption) -> ListOption {
    ListOption {
        list: o.list,
        text: o.text,
    }
}

fn origin_items(items: Vec<JsOriginItem>) -> Vec<OriginItem> {
    items
        .into_iter()
        .map(|it| match it.kind {
            1 => OriginItem::Regex {
                source: it.value,
                flags: it.flags.unwrap_or_default(),
            },
            2 => OriginItem::Pattern(it.value),
            _ => OriginItem::Exact(it.value),
        })
        .collect()
}

fn js_origin(o: policy::CompiledOrigin) -> JsCompiledOrigin {
    JsCompiledOrigin {
        exact: o.exact,
        match_all: o.match_all,
        js_regexes: o.js_regexes,
        js_reasons: o.js_reasons,
        matcher: o.matcher.map(External::new),
    }
}

fn js_error(e: policy::ConfigError) -> JsCompiled {
    JsCompiled {
        error: Some(JsDiagnostic {
            code: e.code.to_string(),
            message: e.message,
        }),
        ..JsCompiled::default()
    }
}

/// Compile a whole policy (static options, or the options a delegate returned).
#[napi(catch_unwind)]
pub fn compile_policy(input: JsPolicyInput) -> JsCompiled {
    let origin = match input.origin_kind.as_str() {
        "disabled" => OriginSpec::Disabled,
        "any" => OriginSpec::Any,
        "fixed" => OriginSpec::Fixed(input.fixed.unwrap_or_default()),
        "reflect" => OriginSpec::Reflect,
        "dynamic" => OriginSpec::Dynamic,
        _ => OriginSpec::List {
            items: origin_items(input.items.unwrap_or_default()),
            match_all: input.match_all.unwrap_or(false),
        },
    };
    let spec = PolicySpec {
        origin,
        credentials: input.credentials,
        methods: list_option(input.methods),
        allowed_headers: input.allowed_headers.map(list_option),
        exposed_headers: list_option(input.exposed_headers),
        max_age_text: input.max_age_text,
        max_age_number: input.max_age_number,
    };
    match policy::compile(&spec) {
        Err(e) => js_error(e),
        Ok(c) => JsCompiled {
            error: None,
            origin: c.origin.map(js_origin),
            methods: c.methods,
            allowed_headers: c.allowed_headers,
            reflect_headers: c.reflect_headers,
            exposed_headers: c.exposed_headers,
            max_age: c.max_age,
            diagnostics: c
                .diagnostics
                .into_iter()
                .map(|d| JsDiagnostic {
                    code: d.code.to_string(),
                    message: d.message,
                })
                .collect(),
        },
    }
}

/// Compile only an origin allow-list (a value an origin callback returned).
#[napi(catch_unwind)]
pub fn compile_origin(items: Vec<JsOriginItem>, match_all: bool) -> napi::Result<JsCompiledOrigin> {
    policy::compile_origin(&origin_items(items), match_all)
        .map(js_origin)
        .map_err(|e| napi::Error::new(napi::Status::InvalidArg, e.message))
}

/// Decide one origin: 1 allowed, 0 denied, -1 JS must run the RegExps.
#[napi(catch_unwind)]
pub fn match_origin(matcher: &External<Matcher>, origin: String) -> i32 {
    matcher.decide_str(&origin).as_i32()
}
