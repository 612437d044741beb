//! The N-API surface of the policy: plain data in through serde, one
//! compiled policy out, one error channel (a thrown `TypeError` whose `code`
//! is the finding's). No CORS logic lives here.
//!
//! The data crosses as one JSON string each way: napi's value-by-value
//! (de)serializer costs one N-API call per value (about 27 µs for a typical
//! options object, measured), one string and `serde_json` about 2 µs.

use napi::bindgen_prelude::{External, Utf16String};
use napi::{Env, Error, JsTypeError, Result, Status};
use napi_derive::napi;

use crate::export::{export_input, nginx};
use crate::origin::Matcher;
use crate::policy::{self, Policy, PolicyInput};

/// A compiled policy: the serialized [`policy::Policy`] and its native
/// matchers, which JS holds as opaque handles.
#[napi(object, object_from_js = false)]
pub struct CompiledPolicy {
    /// The serialized [`policy::Policy`], as JSON.
    pub policy: String,
    pub matcher: Option<External<Matcher>>,
    pub pattern_matchers: Vec<External<Matcher>>,
}

/// Throw a `TypeError` carrying `code`, and hand napi the pending exception.
fn type_error(env: &Env, code: &str, message: String) -> Error {
    let error = JsTypeError::from(Error::new(code, message));
    // SAFETY: `env` is the live environment of this call.
    unsafe { error.throw_into(env.raw()) };
    Error::new(Status::PendingException, String::new())
}

/// Deserialize and compile the options JS resolved (lib/options.js).
fn compile_input(env: &Env, input: &str) -> Result<(PolicyInput, Policy)> {
    let input: PolicyInput = serde_json::from_str(input).map_err(|e| {
        type_error(
            env,
            policy::INVALID_OPTION,
            format!("rust-cors: the resolved options do not have the expected shape: {e}"),
        )
    })?;
    let compiled = policy::compile(&input).map_err(|e| type_error(env, e.code, e.message))?;
    Ok((input, compiled))
}

/// Compile the options JS resolved into one policy.
#[napi(catch_unwind)]
pub fn compile_policy(env: Env, input: String) -> Result<CompiledPolicy> {
    let (_, mut compiled) = compile_input(&env, &input)?;
    let matcher = compiled.matcher.take().map(External::new);
    let pattern_matchers = std::mem::take(&mut compiled.pattern_matchers)
        .into_iter()
        .map(External::new)
        .collect();
    let view = serde_json::to_string(&compiled)
        .map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    Ok(CompiledPolicy {
        policy: view,
        matcher,
        pattern_matchers,
    })
}

/// The nginx configuration of a policy: `{ http, location }`, or a thrown
/// `TypeError` (code `RUST_CORS_NOT_EXPORTABLE`, `option` names the option).
#[napi(object, object_from_js = false)]
pub struct NginxExport {
    pub http: String,
    pub location: String,
}

#[napi(catch_unwind)]
pub fn export_nginx(env: Env, input: String, prefix: String) -> Result<NginxExport> {
    let (input, compiled) = compile_input(&env, &input)?;
    let config = export_input(&input, &compiled)
        .and_then(|export| nginx::render(&export, &prefix))
        .map_err(|e| {
            type_error(
                &env,
                "RUST_CORS_NOT_EXPORTABLE",
                format!(
                    "rust-cors: cannot export to nginx: option `{}`: {}",
                    e.option, e.reason
                ),
            )
        })?;
    Ok(NginxExport {
        http: config.http,
        location: config.location,
    })
}

/// Decide one origin that JS's exact-origin Set did not hold, on its UTF-16
/// code units (exact, lone surrogates included): 1 allowed, 0 denied, -1
/// JS must run the RegExps.
#[napi(catch_unwind)]
pub fn match_origin(
    matcher: &External<Matcher>,
    #[napi(ts_arg_type = "string")] origin: Utf16String,
) -> i32 {
    matcher.decide_unlisted_utf16(&origin).as_i32()
}
