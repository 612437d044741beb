//! `compileOriginStrings`, a plain N-API function ([`super::raw`]): the
//! origin strings of options that differ from a compiled policy only in
//! them, compiled alone (`policy::compile_origin_strings`). It runs for
//! every request that builds options with new origin strings.
//!
//! The arguments: the strings separated by NUL (one string when `fixed`:
//! the option itself), and the flags, `fixed + 2 * credentials + 4 *
//! strict + 8 * the number of strings` (a string that holds NUL splits into
//! more, and is compiled whole). The answer: the findings as JSON, empty when there are
//! none, or `*` when the strings need a whole compile. Under `strict`, the
//! first finding is thrown as a `TypeError` carrying its code.

use napi::{sys, Env, Result};
use napi_derive::napi;

use super::policy::{NativeFunction, VIEW_SEPARATOR};
use super::raw;
use crate::policy;

/// What the call answers: a string to return, or a `TypeError` to throw.
enum Answer {
    Text(String),
    Throw { code: String, message: String },
}

/// The answer for the arguments (see the module's documentation).
fn answer(argument: &str, flags: u32) -> Answer {
    let strings: Vec<&str> = argument.split(VIEW_SEPARATOR).collect();
    // A string that holds NUL itself splits into more: a whole compile.
    if flags >> 3 != strings.len() as u32 {
        return Answer::Text("*".into());
    }
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

unsafe extern "C" fn compile_origin_strings_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // No panic may cross into JS: one becomes `*` (a whole compile).
    let answer =
        std::panic::catch_unwind(|| unsafe { raw::with_string_argument(env, info, answer) })
            .ok()
            .flatten()
            .unwrap_or_else(|| Answer::Text("*".into()));
    match answer {
        // SAFETY: `env` is the live environment of this call.
        Answer::Text(text) => unsafe { raw::string_value(env, &text) },
        Answer::Throw { code, message } => {
            unsafe { raw::throw_type_error(env, &code, &message) };
            std::ptr::null_mut()
        }
    }
}

/// The `compileOriginStrings` function (lib/native.js installs it once).
#[napi(ts_return_type = "(strings: string, flags: number) => string")]
pub fn origin_strings_function(env: Env) -> Result<NativeFunction> {
    raw::function(
        &env,
        c"compileOriginStrings",
        compile_origin_strings_callback,
    )
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
    fn the_arguments_are_the_strings_and_the_flags() {
        assert_eq!(
            text(answer("https://a.example\0https://b.example", 2 + 16)),
            ""
        );
        assert_eq!(text(answer("https://*.example.com", 1 + 8)), "*");
        assert_eq!(text(answer("*", 1 + 8)), "*");
        assert!(
            text(answer("https://a.example/", 2 + 8)).contains("RUST_CORS_ORIGIN_NEVER_MATCHES")
        );
        assert_eq!(
            text(answer("https://a.example/", 6 + 8)),
            "throw RUST_CORS_ORIGIN_NEVER_MATCHES"
        );
        assert!(text(answer("http://a.example", 2 + 8)).contains("RUST_CORS_INSECURE_ORIGIN"));
        assert_eq!(text(answer("http://a.example", 8)), "");
        // A string with NUL in it (three pieces, two strings): a whole compile.
        assert_eq!(
            text(answer("https://a.example\0x\0https://b.example", 16)),
            "*"
        );
    }
}
