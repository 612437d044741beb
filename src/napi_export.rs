//! N-API wrapper for the configuration exporters (`export`). Conversion only.

use napi_derive::napi;

use crate::export::nginx::{self, AllowedHeaders, ExportInput, OriginRule};
use crate::pattern::parse_pattern;

/// A RegExp as `source` and `flags`.
#[napi(object)]
pub struct JsRegexSource {
    pub source: String,
    pub flags: String,
}

/// A policy resolved by `lib/nginx.js` (`exportInput`).
#[napi(object)]
pub struct JsExportInput {
    /// "disabled" | "any" | "fixed" | "reflect" | "list"
    #[napi(ts_type = "'disabled' | 'any' | 'fixed' | 'reflect' | 'list'")]
    pub origin_kind: String,
    pub fixed: Option<String>,
    pub exact: Option<Vec<String>>,
    pub patterns: Option<Vec<String>>,
    pub regexes: Option<Vec<JsRegexSource>>,
    pub match_all: Option<bool>,
    pub credentials: bool,
    pub methods: Option<String>,
    pub reflect_headers: bool,
    pub allowed_headers: Option<String>,
    pub exposed_headers: Option<String>,
    pub max_age: Option<String>,
    pub status: u32,
    pub private_network: bool,
    pub cache_control: Option<String>,
}

/// The configuration, or why it cannot be made (`option` names the option).
#[napi(object, object_from_js = false)]
pub struct JsNginxExport {
    pub http: Option<String>,
    pub location: Option<String>,
    pub error_option: Option<String>,
    pub error_reason: Option<String>,
}

fn failure(option: &str, reason: String) -> JsNginxExport {
    JsNginxExport {
        http: None,
        location: None,
        error_option: Some(option.to_string()),
        error_reason: Some(reason),
    }
}

/// Render a resolved policy as nginx configuration.
#[napi(catch_unwind)]
pub fn export_nginx(input: JsExportInput, prefix: String) -> JsNginxExport {
    let origin = match input.origin_kind.as_str() {
        "disabled" => OriginRule::Disabled,
        "any" => OriginRule::Any,
        "fixed" => OriginRule::Fixed(input.fixed.unwrap_or_default()),
        "reflect" => OriginRule::Reflect,
        _ => {
            let mut patterns = Vec::new();
            for text in input.patterns.unwrap_or_default() {
                match parse_pattern(&text) {
                    Ok(p) => patterns.push(p),
                    Err(why) => return failure("origin", why),
                }
            }
            OriginRule::List {
                exact: input.exact.unwrap_or_default(),
                patterns,
                regexes: input
                    .regexes
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| (r.source, r.flags))
                    .collect(),
                match_all: input.match_all.unwrap_or(false),
            }
        }
    };
    let export = ExportInput {
        origin,
        credentials: input.credentials,
        methods: input.methods,
        allowed_headers: if input.reflect_headers {
            AllowedHeaders::Reflect
        } else {
            AllowedHeaders::Fixed(input.allowed_headers)
        },
        exposed_headers: input.exposed_headers,
        max_age: input.max_age,
        status: u16::try_from(input.status).unwrap_or(u16::MAX),
        private_network: input.private_network,
        cache_control: input.cache_control,
    };
    match nginx::render(&export, &prefix) {
        Ok(config) => JsNginxExport {
            http: Some(config.http),
            location: Some(config.location),
            error_option: None,
            error_reason: None,
        },
        Err(e) => failure(e.option, e.reason),
    }
}
