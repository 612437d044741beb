//! The N-API surface of the policy: plain data in through serde, one
//! compiled policy out, one error channel (a thrown `TypeError` whose `code`
//! is the finding's). No CORS logic lives here.
//!
//! The data crosses as one JSON string each way: napi's value-by-value
//! (de)serializer costs one N-API call per value (about 27 µs for a typical
//! options object, measured), one string and `serde_json` about 2 µs.

use std::ffi::c_void;
use std::ptr;

use napi::bindgen_prelude::{Either, ToNapiValue, TypeName};
use napi::{sys, Env, Error, JsTypeError, Result, Status, ValueType};
use napi_derive::napi;

use super::raw;
use crate::export::{export_input, nginx};
use crate::origin::{Matcher, Verdict};
use crate::policy::{self, AllowHeaders, OriginRule, Policy, PolicyInput, PreflightEnd};

/// A compiled policy that holds native matchers: its [`view`] and the
/// matchers, each a JS function `(origin) => 1 | 0 | -1`. A policy without
/// matchers crosses as its view alone.
#[napi(object, object_from_js = false)]
pub struct CompiledPolicy {
    /// The [`view`] of the [`policy::Policy`].
    pub policy: String,
    #[napi(ts_type = "((origin: string) => number) | null")]
    pub matcher: Option<NativeFunction>,
    #[napi(ts_type = "Array<(origin: string) => number>")]
    pub pattern_matchers: Vec<NativeFunction>,
}

/// A plain N-API function (`napi_create_function`), handed to JS as is.
/// A matcher is one whose callback data is the matcher: a call costs one
/// `napi_get_cb_info` and one UTF-16 read into a stack buffer, without
/// napi-rs's argument and `External` checks (about half the cost of a
/// `#[napi]` function taking an `External` and a string, measured). The
/// matcher is freed by the function's finalizer.
pub struct NativeFunction(pub(crate) sys::napi_value);

impl TypeName for NativeFunction {
    fn type_name() -> &'static str {
        "Function"
    }

    fn value_type() -> ValueType {
        ValueType::Function
    }
}

impl ToNapiValue for NativeFunction {
    unsafe fn to_napi_value(_env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
        Ok(value.0)
    }
}

/// Origins up to this many UTF-16 units are read on the stack.
const STACK_UNITS: usize = 512;

/// Decide the origin passed as the one argument; -1 (JS decides) when the
/// argument cannot be read, which only a caller outside rust-cors can cause.
unsafe fn decide_argument(env: sys::napi_env, info: sys::napi_callback_info) -> i32 {
    let mut argc = 1usize;
    let mut argv = [ptr::null_mut(); 1];
    let mut data: *mut c_void = ptr::null_mut();
    // SAFETY: the pointers are valid for the call; `data` is the matcher
    // this function was created with, alive until its finalizer runs.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            &mut data,
        )
    };
    if status != sys::Status::napi_ok || argc < 1 || data.is_null() {
        return -1;
    }
    let matcher = unsafe { &(*(data as *const Owned)).matcher };
    // Not zeroed (1 KiB per request): napi writes the units it reports.
    let mut stack = std::mem::MaybeUninit::<[u16; STACK_UNITS]>::uninit();
    let mut len = 0usize;
    let status = unsafe {
        sys::napi_get_value_string_utf16(
            env,
            argv[0],
            stack.as_mut_ptr().cast(),
            STACK_UNITS,
            &mut len,
        )
    };
    if status != sys::Status::napi_ok || len > STACK_UNITS - 1 {
        return -1;
    }
    if len < STACK_UNITS - 1 {
        // SAFETY: napi wrote the first `len` units.
        let read = unsafe { std::slice::from_raw_parts(stack.as_ptr().cast::<u16>(), len) };
        return matcher.decide_unlisted_utf16(read).as_i32();
    }
    // Possibly cut at the buffer; what was read may already be too long to
    // match (a 10 KB Origin against patterns is not copied whole).
    if matcher.denies_longer_than(len) {
        return Verdict::Denied.as_i32();
    }
    // Possibly cut at the buffer: read the whole string.
    let mut total = 0usize;
    let status =
        unsafe { sys::napi_get_value_string_utf16(env, argv[0], ptr::null_mut(), 0, &mut total) };
    if status != sys::Status::napi_ok {
        return -1;
    }
    let mut heap = vec![0u16; total + 1];
    let status = unsafe {
        sys::napi_get_value_string_utf16(env, argv[0], heap.as_mut_ptr(), heap.len(), &mut len)
    };
    if status != sys::Status::napi_ok {
        return -1;
    }
    matcher
        .decide_unlisted_utf16(&heap[..len.min(total)])
        .as_i32()
}

unsafe extern "C" fn match_origin_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // No panic may cross into JS: one would become -1 (JS decides).
    let verdict = std::panic::catch_unwind(|| unsafe { decide_argument(env, info) }).unwrap_or(-1);
    let mut result = ptr::null_mut();
    // SAFETY: `env` is the live environment of this call.
    unsafe { sys::napi_create_int32(env, verdict, &mut result) };
    result
}

/// What a matcher function owns: the matcher, and the size it reported to
/// the JS engine (given back when it is freed).
struct Owned {
    matcher: Matcher,
    reported: i64,
}

unsafe extern "C" fn free_matcher(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the Box made in `matcher_function`, freed once, here.
    let owned = unsafe { Box::from_raw(data as *mut Owned) };
    let mut total = 0i64;
    // SAFETY: `env` is the environment the finalizer runs in.
    unsafe { sys::napi_adjust_external_memory(env, -owned.reported, &mut total) };
}

fn matcher_function(env: &Env, matcher: Matcher) -> Result<NativeFunction> {
    let reported = i64::try_from(matcher.approximate_size()).unwrap_or(i64::MAX / 2);
    let data = Box::into_raw(Box::new(Owned { matcher, reported })) as *mut c_void;
    let mut function = ptr::null_mut();
    // SAFETY: `env` is live; the name is a NUL-terminated literal.
    let status = unsafe {
        sys::napi_create_function(
            env.raw(),
            c"matchOrigin".as_ptr(),
            -1,
            Some(match_origin_callback),
            data,
            &mut function,
        )
    };
    if status != sys::Status::napi_ok {
        drop(unsafe { Box::from_raw(data as *mut Owned) });
        return Err(Error::new(
            Status::GenericFailure,
            "could not create the matcher function",
        ));
    }
    let status = unsafe {
        sys::napi_add_finalizer(
            env.raw(),
            function,
            data,
            Some(free_matcher),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if status != sys::Status::napi_ok {
        // The function exists and points at the matcher: leaking it is the
        // safe choice.
        return Err(Error::new(
            Status::GenericFailure,
            "could not attach the matcher's finalizer",
        ));
    }
    let mut total = 0i64;
    // SAFETY: `env` is live. The engine collects sooner when it knows.
    unsafe { sys::napi_adjust_external_memory(env.raw(), reported, &mut total) };
    Ok(NativeFunction(function))
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

/// Fields of a [`view`] are separated by NUL; inside a field, NUL is
/// written as SOH `0` and SOH as SOH `1` (only header values taken from the
/// options can hold either).
pub(crate) const VIEW_SEPARATOR: char = '\0';
const VIEW_ESCAPE: char = '\u{1}';

/// One field of a [`view`]: its position, and its name in `VIEW_FIELDS`, the
/// table lib/compiled.js decodes the view with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub index: usize,
    pub name: &'static str,
}

const fn field(index: usize, name: &'static str) -> Field {
    Field { index, name }
}

/// `p` (plain), or `e` when some field is escaped.
pub const ESCAPED: Field = field(0, "escaped");
/// The origin rule: `disabled`, `any`, `fixed`, `reflect`, `list` or `dynamic`.
pub const ORIGIN: Field = field(1, "origin");
/// `1` when a list allows every origin.
pub const MATCH_ALL: Field = field(2, "matchAll");
/// A list's pattern strings, as indices joined with `,`.
pub const PATTERN_STRINGS: Field = field(3, "patternStrings");
/// A list's JS-only RegExps, as indices joined with `,`.
pub const JS_REGEXES: Field = field(4, "jsRegexes");
/// `1` with credentials.
pub const CREDENTIALS: Field = field(5, "credentials");
/// `Access-Control-Allow-Methods`.
pub const METHODS: Field = field(6, "methods");
/// `reflect` or `fixed`, for `Access-Control-Allow-Headers`.
pub const ALLOW_HEADERS_RULE: Field = field(7, "allowHeadersRule");
/// The fixed `Access-Control-Allow-Headers`.
pub const ALLOW_HEADERS: Field = field(8, "allowHeaders");
/// `Access-Control-Expose-Headers`.
pub const EXPOSE_HEADERS: Field = field(9, "exposeHeaders");
/// `Access-Control-Max-Age`.
pub const MAX_AGE: Field = field(10, "maxAge");
/// The preflight's end: `continue`, `respond` or `throws`.
pub const PREFLIGHT: Field = field(11, "preflight");
/// The preflight's status, or cors's message when it throws.
pub const PREFLIGHT_VALUE: Field = field(12, "preflightValue");
/// `1` with `strictPreflight`.
pub const STRICT_PREFLIGHT: Field = field(13, "strictPreflight");
/// `1` with `allowPrivateNetwork`.
pub const ALLOW_PRIVATE_NETWORK: Field = field(14, "allowPrivateNetwork");
/// `Cache-Control` for answered preflights.
pub const CACHE_CONTROL: Field = field(15, "cacheControl");
/// The findings as JSON, empty when there are none.
pub const FINDINGS: Field = field(16, "findings");
/// How many findings, at their start, are the origin option's.
pub const ORIGIN_FINDINGS: Field = field(17, "originFindings");
/// `1` with `strict: true`.
pub const STRICT: Field = field(18, "strict");

/// Every field of a [`view`], in order.
pub const FIELDS: [Field; 19] = [
    ESCAPED,
    ORIGIN,
    MATCH_ALL,
    PATTERN_STRINGS,
    JS_REGEXES,
    CREDENTIALS,
    METHODS,
    ALLOW_HEADERS_RULE,
    ALLOW_HEADERS,
    EXPOSE_HEADERS,
    MAX_AGE,
    PREFLIGHT,
    PREFLIGHT_VALUE,
    STRICT_PREFLIGHT,
    ALLOW_PRIVATE_NETWORK,
    CACHE_CONTROL,
    FINDINGS,
    ORIGIN_FINDINGS,
    STRICT,
];

/// A [`policy::Policy`] as the request path reads it (`readView` in
/// lib/compiled.js): one string that JS splits, which costs a fraction of a
/// JSON text and its parse, or of an object built value by value through
/// N-API (both measured). The fields are [`FIELDS`], separated by NUL; an
/// absent header value is an empty field (cors sends no empty header).
pub fn view(policy: &Policy) -> String {
    fn flag(on: bool) -> &'static str {
        if on {
            "1"
        } else {
            ""
        }
    }
    fn indices(list: &[u32]) -> String {
        list.iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
    let (kind, match_all, patterns, js_regexes) = match &policy.origin {
        OriginRule::Disabled => ("disabled", false, String::new(), String::new()),
        OriginRule::Any => ("any", false, String::new(), String::new()),
        OriginRule::Fixed => ("fixed", false, String::new(), String::new()),
        OriginRule::Reflect => ("reflect", false, String::new(), String::new()),
        OriginRule::Dynamic => ("dynamic", false, String::new(), String::new()),
        OriginRule::List {
            match_all,
            pattern_strings,
            js_regexes,
            ..
        } => (
            "list",
            *match_all,
            indices(pattern_strings),
            indices(js_regexes),
        ),
    };
    let (allow_kind, allow_value) = match &policy.allow_headers {
        AllowHeaders::Reflect => ("reflect", ""),
        AllowHeaders::Fixed(value) => ("fixed", value.as_deref().unwrap_or("")),
    };
    let (end, end_value) = match &policy.preflight {
        PreflightEnd::Continue => ("continue", String::new()),
        PreflightEnd::Respond { status } => ("respond", status.to_string()),
        PreflightEnd::Throws { message } => ("throws", message.clone()),
    };
    let findings = if policy.findings.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&policy.findings).unwrap_or_default()
    };
    let mut fields = [""; FIELDS.len()];
    fields[ORIGIN.index] = kind;
    fields[MATCH_ALL.index] = flag(match_all);
    fields[PATTERN_STRINGS.index] = &patterns;
    fields[JS_REGEXES.index] = &js_regexes;
    fields[CREDENTIALS.index] = flag(policy.credentials);
    fields[METHODS.index] = policy.methods.as_deref().unwrap_or("");
    fields[ALLOW_HEADERS_RULE.index] = allow_kind;
    fields[ALLOW_HEADERS.index] = allow_value;
    fields[EXPOSE_HEADERS.index] = policy.expose_headers.as_deref().unwrap_or("");
    fields[MAX_AGE.index] = policy.max_age.as_deref().unwrap_or("");
    fields[PREFLIGHT.index] = end;
    fields[PREFLIGHT_VALUE.index] = &end_value;
    fields[STRICT_PREFLIGHT.index] = flag(policy.strict_preflight);
    fields[ALLOW_PRIVATE_NETWORK.index] = flag(policy.allow_private_network);
    fields[CACHE_CONTROL.index] = policy.cache_control.as_deref().unwrap_or("");
    fields[FINDINGS.index] = &findings;
    let origin_findings = policy.origin_findings.to_string();
    fields[ORIGIN_FINDINGS.index] = &origin_findings;
    fields[STRICT.index] = flag(policy.strict);
    let values = &fields[ESCAPED.index + 1..];
    let escaped = values
        .iter()
        .any(|f| f.contains([VIEW_SEPARATOR, VIEW_ESCAPE]));
    let mut out = String::with_capacity(values.iter().map(|f| f.len() + 1).sum::<usize>() + 1);
    out.push(if escaped { 'e' } else { 'p' });
    for field in values {
        out.push(VIEW_SEPARATOR);
        if escaped {
            for c in field.chars() {
                match c {
                    VIEW_SEPARATOR => out.push_str("\u{1}0"),
                    VIEW_ESCAPE => out.push_str("\u{1}1"),
                    c => out.push(c),
                }
            }
        } else {
            out.push_str(field);
        }
    }
    out
}

/// Compile the options JS resolved into one policy: its [`view`], or with
/// native matchers a [`CompiledPolicy`].
fn compile_policy(env: &Env, input: &str) -> Result<Either<String, CompiledPolicy>> {
    let (_, mut compiled) = compile_input(env, input)?;
    let policy = view(&compiled);
    if compiled.matcher.is_none() && compiled.pattern_matchers.is_empty() {
        return Ok(Either::A(policy));
    }
    let matcher = match compiled.matcher.take() {
        Some(m) => Some(matcher_function(env, m)?),
        None => None,
    };
    let pattern_matchers = std::mem::take(&mut compiled.pattern_matchers)
        .into_iter()
        .map(|m| matcher_function(env, m))
        .collect::<Result<Vec<_>>>()?;
    Ok(Either::B(CompiledPolicy {
        policy,
        matcher,
        pattern_matchers,
    }))
}

unsafe extern "C" fn compile_policy_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let run = || unsafe {
        let napi_env = Env::from_raw(env);
        let result =
            raw::with_string_argument(env, info, |input, _| compile_policy(&napi_env, input));
        match result {
            None => {
                raw::throw_type_error(
                    env,
                    policy::INVALID_OPTION,
                    "rust-cors: compilePolicy takes the resolved options as one string",
                );
                ptr::null_mut()
            }
            Some(Ok(compiled)) => Either::to_napi_value(env, compiled).unwrap_or(ptr::null_mut()),
            // Thrown already (a TypeError with the finding's code).
            Some(Err(e)) if e.status == Status::PendingException => ptr::null_mut(),
            Some(Err(e)) => {
                raw::throw_type_error(env, "RUST_CORS_INTERNAL", &e.reason);
                ptr::null_mut()
            }
        }
    };
    // No panic may cross into JS.
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        unsafe {
            raw::throw_type_error(
                env,
                "RUST_CORS_INTERNAL",
                "rust-cors: the policy compiler failed",
            )
        };
        ptr::null_mut()
    })
}

/// The `compilePolicy` function, a plain N-API function ([`raw`]): the
/// options JS resolved, as JSON, compiled into one policy (lib/native.js
/// installs it once).
#[napi(ts_return_type = "(input: string) => string | CompiledPolicy")]
pub fn policy_compiler_function(env: Env) -> Result<NativeFunction> {
    raw::function(&env, c"compilePolicy", compile_policy_callback)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{compile, Given, HeaderInput, ItemInput, OriginInput};

    fn names(list: &[&str]) -> HeaderInput {
        HeaderInput {
            given: Given::Array,
            names: Some(list.iter().map(|s| s.to_string()).collect()),
            text: None,
            throws: false,
        }
    }

    fn fields(view: &str) -> Vec<&str> {
        view.split('\0').collect()
    }

    #[test]
    fn a_view_has_every_field_in_order() {
        let mut input = PolicyInput::defaults(OriginInput::List {
            items: vec![
                ItemInput::String("https://a.example".into()),
                ItemInput::String("https://*.example.com".into()),
            ],
            match_all: false,
            ordered: false,
        });
        input.credentials = Given::Boolean(true);
        input.exposed_headers = names(&["X-Id", "X-Two"]);
        let v = view(&compile(&input).expect("compiles"));
        assert_eq!(
            fields(&v),
            [
                "p",
                "list",
                "",
                "1",
                "",
                "1",
                "GET,HEAD,PUT,PATCH,POST,DELETE",
                "reflect",
                "",
                "X-Id,X-Two",
                "",
                "respond",
                "204",
                "",
                "",
                "",
                "",
                "0",
                ""
            ]
        );
    }

    #[test]
    fn nul_and_soh_in_a_value_are_escaped() {
        let mut input = PolicyInput::defaults(OriginInput::Any);
        input.methods = names(&["GET\0X", "A\u{1}B"]);
        let compiled = compile(&input).expect("compiles");
        let v = view(&compiled);
        let f = fields(&v);
        assert_eq!(f.len(), FIELDS.len());
        assert_eq!(f[ESCAPED.index], "e");
        assert_eq!(f[METHODS.index], "GET\u{1}0X,A\u{1}1B");
        // The findings (an invalid token) are JSON, which escapes both itself.
        assert!(f[FINDINGS.index].starts_with('['), "{}", f[FINDINGS.index]);
    }

    #[test]
    fn fields_are_in_order_and_named_as_js_reads_them() {
        for (at, field) in FIELDS.iter().enumerate() {
            assert_eq!(field.index, at, "{}", field.name);
        }
        // lib/compiled.js decodes the view with its VIEW_FIELDS table.
        let js = include_str!("../../lib/compiled.js");
        let table = js
            .split_once("const VIEW_FIELDS = Object.freeze([")
            .and_then(|(_, rest)| rest.split_once("])"))
            .map(|(table, _)| table)
            .expect("lib/compiled.js has its VIEW_FIELDS table");
        let names: Vec<&str> = table
            .split(',')
            .map(|name| name.trim().trim_matches('\''))
            .collect();
        let rust: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(names, rust);
    }
}
