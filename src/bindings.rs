//! The N-API surface of the policy: plain data in through serde, one
//! compiled policy out, one error channel (a thrown `TypeError` whose `code`
//! is the finding's). No CORS logic lives here.

use napi::bindgen_prelude::External;
use napi::{Env, Error, JsTypeError, Result, Status, Unknown};
use napi_derive::napi;

use crate::origin::Matcher;
use crate::policy::{self, PolicyInput};

/// A compiled policy: the serialized [`policy::Policy`] and its native
/// matchers, which JS holds as opaque handles.
#[napi(object, object_from_js = false)]
pub struct CompiledPolicy {
    #[napi(ts_type = "import('./index').CompiledPolicyView")]
    pub policy: serde_json::Value,
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

/// Compile the options JS resolved (see lib/options.js) into one policy.
#[napi(catch_unwind)]
pub fn compile_policy(env: Env, input: Unknown) -> Result<CompiledPolicy> {
    let input: PolicyInput = env.from_js_value(input).map_err(|e| {
        type_error(
            &env,
            policy::INVALID_OPTION,
            format!("rust-cors: the resolved options do not have the expected shape: {e}"),
        )
    })?;
    let mut compiled = policy::compile(&input).map_err(|e| type_error(&env, e.code, e.message))?;
    let matcher = compiled.matcher.take().map(External::new);
    let pattern_matchers = std::mem::take(&mut compiled.pattern_matchers)
        .into_iter()
        .map(External::new)
        .collect();
    let view = serde_json::to_value(&compiled)
        .map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    Ok(CompiledPolicy {
        policy: view,
        matcher,
        pattern_matchers,
    })
}

/// Decide one origin: 1 allowed, 0 denied, -1 JS must run the RegExps.
#[napi(catch_unwind)]
pub fn match_origin(matcher: &External<Matcher>, origin: String) -> i32 {
    matcher.decide_str(&origin).as_i32()
}
