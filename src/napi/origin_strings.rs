//! `compileOriginStrings` as a plain N-API function: the origin strings of
//! options that differ from a compiled policy only in them, compiled alone
//! (`policy::compile_origin_strings`). It runs for every request that builds
//! options with new origin strings, so its one argument is read into a stack
//! buffer without napi-rs's conversions (about 150 ns less per call than a
//! `#[napi]` function of four arguments, measured).
//!
//! The argument: one flag character, `'0' + fixed + 2 * credentials + 4 *
//! strict`, then the strings separated by NUL (one string when `fixed`: the
//! option itself). The answer: the findings as JSON, empty when there are
//! none, or `*` when the strings need a whole compile. Under `strict`, the
//! first finding is thrown as a `TypeError` carrying its code.

use std::ffi::CString;
use std::ptr;

use napi::{sys, Env, Error, Result, Status};
use napi_derive::napi;

use super::policy::{NativeFunction, VIEW_SEPARATOR};
use crate::policy;

/// Arguments up to this many bytes are read on the stack.
const STACK_BYTES: usize = 2048;

/// What the call answers: a string to return, or a `TypeError` to throw.
enum Answer {
    Text(String),
    Throw { code: String, message: String },
}

/// The answer for the argument text (see the module's documentation).
fn answer(argument: &str) -> Answer {
    let mut chars = argument.chars();
    let flags = chars
        .next()
        .and_then(|c| c.to_digit(10))
        .unwrap_or(u32::MAX);
    if flags > 7 {
        return Answer::Text("*".into());
    }
    let rest = chars.as_str();
    let strings: Vec<&str> = rest.split(VIEW_SEPARATOR).collect();
    match policy::compile_origin_strings(&strings, flags & 1 != 0, flags & 2 != 0, flags & 4 != 0) {
        Err(e) => Answer::Throw {
            code: e.code.to_string(),
            message: e.message,
        },
        Ok(None) => Answer::Text("*".into()),
        Ok(Some(findings)) if findings.is_empty() => Answer::Text(String::new()),
        Ok(Some(findings)) => Answer::Text(serde_json::to_string(&findings).unwrap_or_default()),
    }
}

/// Read the one string argument (UTF-8) and answer it; `None` when there is
/// no string argument, which only a caller outside rust-cors can cause.
unsafe fn call(env: sys::napi_env, info: sys::napi_callback_info) -> Option<Answer> {
    let mut argc = 1usize;
    let mut argv = [ptr::null_mut(); 1];
    // SAFETY: the pointers are valid for the call.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if status != sys::Status::napi_ok || argc < 1 {
        return None;
    }
    let mut stack = [0u8; STACK_BYTES];
    let mut len = 0usize;
    // SAFETY: `stack` holds STACK_BYTES bytes; napi writes at most that
    // many, NUL included, and reports the bytes written before it.
    let status = unsafe {
        sys::napi_get_value_string_utf8(
            env,
            argv[0],
            stack.as_mut_ptr().cast(),
            STACK_BYTES,
            &mut len,
        )
    };
    if status != sys::Status::napi_ok {
        return None;
    }
    if len < STACK_BYTES - 4 {
        return Some(answer(std::str::from_utf8(&stack[..len]).ok()?));
    }
    // Possibly cut at the buffer: read the whole string.
    let mut total = 0usize;
    let status =
        unsafe { sys::napi_get_value_string_utf8(env, argv[0], ptr::null_mut(), 0, &mut total) };
    if status != sys::Status::napi_ok {
        return None;
    }
    let mut heap = vec![0u8; total + 1];
    let status = unsafe {
        sys::napi_get_value_string_utf8(
            env,
            argv[0],
            heap.as_mut_ptr().cast(),
            heap.len(),
            &mut len,
        )
    };
    if status != sys::Status::napi_ok {
        return None;
    }
    Some(answer(std::str::from_utf8(&heap[..len.min(total)]).ok()?))
}

/// A C string for N-API: NUL bytes (none in rust-cors's codes and messages)
/// would end it early, so they are dropped.
fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

unsafe extern "C" fn compile_origin_strings_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // No panic may cross into JS.
    let answer = std::panic::catch_unwind(|| unsafe { call(env, info) })
        .ok()
        .flatten()
        .unwrap_or_else(|| Answer::Text("*".into()));
    let mut result = ptr::null_mut();
    match answer {
        Answer::Text(text) => {
            // SAFETY: `env` is the live environment of this call; the bytes
            // and their length describe `text`.
            unsafe {
                sys::napi_create_string_utf8(
                    env,
                    text.as_ptr().cast(),
                    text.len() as isize,
                    &mut result,
                )
            };
        }
        Answer::Throw { code, message } => {
            let (code, message) = (c_string(&code), c_string(&message));
            // SAFETY: both are NUL-terminated; the exception is pending when
            // the callback returns.
            unsafe { sys::napi_throw_type_error(env, code.as_ptr(), message.as_ptr()) };
        }
    }
    result
}

/// The `compileOriginStrings` function (made once, at load).
#[napi(ts_return_type = "(argument: string) => string")]
pub fn origin_strings_function(env: Env) -> Result<NativeFunction> {
    let mut function = ptr::null_mut();
    // SAFETY: `env` is live; the name is a NUL-terminated literal.
    let status = unsafe {
        sys::napi_create_function(
            env.raw(),
            c"compileOriginStrings".as_ptr(),
            -1,
            Some(compile_origin_strings_callback),
            ptr::null_mut(),
            &mut function,
        )
    };
    if status != sys::Status::napi_ok {
        return Err(Error::new(
            Status::GenericFailure,
            "could not create compileOriginStrings",
        ));
    }
    Ok(NativeFunction(function))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(a: Answer) -> String {
        match a {
            Answer::Text(t) => t,
            Answer::Throw { code, .. } => format!("throw {code}"),
        }
    }

    #[test]
    fn the_argument_carries_the_flags_then_the_strings() {
        assert_eq!(text(answer("2https://a.example\0https://b.example")), "");
        assert_eq!(text(answer("1https://*.example.com")), "*");
        assert_eq!(text(answer("1*")), "*");
        assert!(text(answer("2https://a.example/")).contains("RUST_CORS_ORIGIN_NEVER_MATCHES"));
        assert_eq!(
            text(answer("6https://a.example/")),
            "throw RUST_CORS_ORIGIN_NEVER_MATCHES"
        );
        assert!(text(answer("2http://a.example")).contains("RUST_CORS_INSECURE_ORIGIN"));
        assert_eq!(text(answer("0http://a.example")), "");
        // Not rust-cors's shape: a whole compile.
        assert_eq!(text(answer("")), "*");
        assert_eq!(text(answer("9x")), "*");
        assert_eq!(text(answer("xhttps://a.example")), "*");
    }
}
