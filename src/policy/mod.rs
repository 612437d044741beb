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

mod diagnose;
mod findings;
mod input;
mod options;
mod origin_rule;
#[cfg(test)]
mod tests;

pub use diagnose::regex_anchoring_problem;
pub use findings::*;
pub use input::*;

use crate::finding::shorten;
use crate::origin::Matcher;
use diagnose::{diagnose_headers, diagnose_origin};
use options::{
    cache_control, credentials, header_option, max_age, own_bool, preflight_end, HeaderKind,
};
use origin_rule::{compile_origin_rule, fixed_origin, strings_origin, CompiledOrigin};

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
/// reads it as `napi::policy::view`).
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
    /// With `strict: true` (then `findings` is empty).
    pub strict: bool,
    pub findings: Vec<Finding>,
    /// How many of `findings`, at their start, are the origin option's.
    pub origin_findings: usize,
    /// Handed to JS as a native function.
    pub matcher: Option<Matcher>,
    /// One matcher per valid pattern string of an ordered list, in order.
    pub pattern_matchers: Vec<Matcher>,
}

/// Validate and compile a whole policy. `Err` only for configurations that
/// cors cannot answer either (listed in the README), for wrong types of
/// rust-cors's own options, and for any finding under `strict: true`.
pub fn compile(input: &PolicyInput) -> Result<Policy, ConfigError> {
    let strict = own_bool("strict", &input.strict)?;
    let strict_preflight = own_bool("strictPreflight", &input.strict_preflight)?;
    let allow_private_network = own_bool("allowPrivateNetwork", &input.allow_private_network)?;
    let cache_control = cache_control(&input.cache_control)?;

    // The origin option's findings first (see `Policy::origin_findings`).
    let mut findings = Vec::new();
    let mut credential_findings = Vec::new();
    let credentials = credentials(&input.credentials, &mut credential_findings);
    let compiled_origin = compile_origin(
        &input.origin,
        input.origin_not_regexps,
        credentials,
        &mut findings,
    );
    let origin_findings = findings.len();
    findings.append(&mut credential_findings);
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
    diagnose_headers(input, &mut findings);

    let origin_findings = if strict {
        if let Some(first) = findings.into_iter().next() {
            return Err(ConfigError::from(first));
        }
        findings = Vec::new();
        0
    } else {
        origin_findings
    };
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
        strict,
        findings,
        origin_findings,
        matcher,
        pattern_matchers,
    })
}

/// The origin rule with its findings (the ones a policy starts with).
fn compile_origin<'a>(
    origin: &'a OriginInput,
    not_regexps: u32,
    credentials: bool,
    findings: &mut Vec<Finding>,
) -> CompiledOrigin<'a> {
    let compiled = compile_origin_rule(origin, findings);
    diagnose_origin(not_regexps, credentials, &compiled, findings);
    compiled
}

/// The origin part of options that differ from a compiled policy only in
/// their origin strings (a tenant's list, `{ origin: req.headers.origin }`),
/// compiled against that policy's `credentials` and `strict`: the findings
/// that replace its first `origin_findings`. `None` when the strings need
/// more than exact comparison (a valid pattern, or `'*'` alone): such
/// options are compiled whole. `fixed`: one string given as the option
/// itself, else the strings of a flat array.
pub fn compile_origin_strings(
    strings: &[&str],
    fixed: bool,
    credentials: bool,
    strict: bool,
) -> Result<Option<Vec<Finding>>, ConfigError> {
    let mut findings = Vec::new();
    let compiled = match strings {
        ["*"] if fixed => return Ok(None),
        [value] if fixed => fixed_origin(value, false, &mut findings),
        _ if fixed => return Ok(None),
        _ => strings_origin(strings, &[], false, false, &mut findings),
    };
    diagnose_origin(0, credentials, &compiled, &mut findings);
    let exact = match compiled.rule {
        OriginRule::Fixed => true,
        OriginRule::List {
            ref pattern_strings,
            ..
        } => pattern_strings.is_empty() && compiled.matcher.is_none(),
        _ => false,
    };
    if !exact {
        return Ok(None);
    }
    if strict {
        if let Some(first) = findings.into_iter().next() {
            return Err(ConfigError::from(first));
        }
        return Ok(Some(Vec::new()));
    }
    Ok(Some(findings))
}
