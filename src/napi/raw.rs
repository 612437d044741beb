//! Plain N-API functions (`napi_create_function`) for the calls made per
//! compile or per request, where napi-rs's argument conversions cost more
//! than the work (measured: a `#[napi]` function of four arguments spent
//! about 600 ns on them, of a 900 ns call). The argument is one string, read
//! into a stack buffer; errors are thrown as `TypeError`s carrying a code.

use std::ffi::{CStr, CString};
use std::ptr;

use napi::{sys, Env, Error, Result, Status};

use super::policy::NativeFunction;

/// Arguments up to this many bytes are read on the stack.
const STACK_BYTES: usize = 4096;

/// Run `f` on the call's first argument read as UTF-8 and its second read
/// as a 32-bit integer (0 when absent); `None` when the first is not a
/// string, which only a caller outside rust-cors can cause.
///
/// # Safety
/// `env` and `info` are those of the running callback.
pub(crate) unsafe fn with_string_argument<R>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    f: impl FnOnce(&str, u32) -> R,
) -> Option<R> {
    let mut argc = 2usize;
    let mut argv = [ptr::null_mut(); 2];
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
    let mut second = 0u32;
    if argc >= 2 {
        // SAFETY: argv[1] is a value of this call; a non-number leaves 0.
        unsafe { sys::napi_get_value_uint32(env, argv[1], &mut second) };
    }
    // Not zeroed (4 KiB per call): napi writes the bytes it reports.
    let mut stack = std::mem::MaybeUninit::<[u8; STACK_BYTES]>::uninit();
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
    if status != sys::Status::napi_ok || len > STACK_BYTES - 1 {
        return None;
    }
    // napi never cuts a character: a string that fits leaves room for more.
    if len < STACK_BYTES - 4 {
        // SAFETY: napi wrote the first `len` bytes.
        let written = unsafe { std::slice::from_raw_parts(stack.as_ptr().cast::<u8>(), len) };
        return Some(f(std::str::from_utf8(written).ok()?, second));
    }
    let mut total = 0usize;
    // SAFETY: a NULL buffer asks for the length only.
    let status =
        unsafe { sys::napi_get_value_string_utf8(env, argv[0], ptr::null_mut(), 0, &mut total) };
    if status != sys::Status::napi_ok {
        return None;
    }
    let mut heap = vec![0u8; total + 1];
    // SAFETY: `heap` holds total + 1 bytes.
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
    Some(f(
        std::str::from_utf8(&heap[..len.min(total)]).ok()?,
        second,
    ))
}

/// A C string for N-API: NUL bytes would end it early, so they are dropped.
fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

/// Throw a `TypeError` whose `code` is `code`.
///
/// # Safety
/// `env` is the live environment of the running callback.
pub(crate) unsafe fn throw_type_error(env: sys::napi_env, code: &str, message: &str) {
    let (code, message) = (c_string(code), c_string(message));
    // SAFETY: both are NUL-terminated; the exception is pending when the
    // callback returns.
    unsafe { sys::napi_throw_type_error(env, code.as_ptr(), message.as_ptr()) };
}

/// A JS string of `text` (null when it cannot be made).
///
/// # Safety
/// `env` is the live environment of the running callback.
pub(crate) unsafe fn string_value(env: sys::napi_env, text: &str) -> sys::napi_value {
    let mut result = ptr::null_mut();
    // SAFETY: the bytes and their length describe `text`.
    unsafe {
        sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut result)
    };
    result
}

/// A JS function named `name` that runs `callback`.
pub(crate) fn function(
    env: &Env,
    name: &CStr,
    callback: unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value,
) -> Result<NativeFunction> {
    let mut function = ptr::null_mut();
    // SAFETY: `env` is live; the name is NUL-terminated.
    let status = unsafe {
        sys::napi_create_function(
            env.raw(),
            name.as_ptr(),
            -1,
            Some(callback),
            ptr::null_mut(),
            &mut function,
        )
    };
    if status != sys::Status::napi_ok {
        return Err(Error::new(
            Status::GenericFailure,
            format!("could not create {}", name.to_string_lossy()),
        ));
    }
    Ok(NativeFunction(function))
}
