//! Long string arguments read with one conversion.
//!
//! napi-rs reads a `String` argument with two UTF-8 conversions (the first only measures the
//! result) into a zeroed buffer. For JSON text of a few kilobytes that costs as much as parsing
//! it. The length in UTF-16 units is free to ask (V8 keeps it), and UTF-8 takes at most three
//! bytes per unit, so one conversion into a buffer of that size is enough.

use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue, ValueType};
use napi::sys;
use std::ptr;

/// A JavaScript string as Rust text (lone surrogates become U+FFFD, as with `String`).
pub(crate) struct Text(pub(crate) String);

impl FromNapiValue for Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let fail =
            |status| napi::Error::new(napi::Status::StringExpected, format!("expected a string (Node-API status {status})"));
        let mut units = 0usize;
        // SAFETY: a null buffer asks for the length only.
        let status = unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut units) };
        if status != sys::Status::napi_ok {
            return Err(fail(status));
        }
        let capacity = units * 3 + 1;
        let mut bytes: Vec<u8> = Vec::with_capacity(capacity);
        let mut written = 0usize;
        // SAFETY: `bytes` has room for `capacity` bytes, which Node-API does not exceed (it
        // writes at most `capacity - 1` and a terminating NUL), and it reports how many it wrote.
        let status =
            unsafe { sys::napi_get_value_string_utf8(env, value, bytes.as_mut_ptr().cast(), capacity, &mut written) };
        if status != sys::Status::napi_ok {
            return Err(fail(status));
        }
        // SAFETY: the first `written` bytes were written just now.
        unsafe { bytes.set_len(written.min(capacity)) };
        String::from_utf8(bytes)
            .map(Text)
            .map_err(|_| napi::Error::new(napi::Status::StringExpected, "the string did not convert to UTF-8"))
    }
}

impl TypeName for Text {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ValidateNapiValue for Text {}

/// A string result made with one copy when it is ASCII (most prompts and redacted texts):
/// Node-API then builds a one-byte string from the bytes as they are, where the UTF-8 path
/// would decode them first.
pub(crate) struct OutText(pub(crate) String);

impl napi::bindgen_prelude::ToNapiValue for OutText {
    unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        let mut result = ptr::null_mut();
        let text = value.0;
        // SAFETY: the pointer and length describe `text`, alive for the call; Node-API copies.
        let status = unsafe {
            if text.is_ascii() {
                sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut result)
            } else {
                sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut result)
            }
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::new(
                napi::Status::GenericFailure,
                format!("could not create a string (Node-API status {status})"),
            ));
        }
        Ok(result)
    }
}

impl TypeName for OutText {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}
