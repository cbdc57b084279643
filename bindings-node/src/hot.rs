//! Hot calls as raw Node-API functions. napi-rs's generated wrappers register a borrow scope
//! for every call with a reference argument; on a small render that bookkeeping costs more
//! than the work. These functions read their arguments with plain Node-API calls instead, and
//! keep the same guarantees: arguments are checked, errors are thrown as the core's JSON error
//! object, and panics are caught here, never unwinding into Node.
//!
//! The scratch buffer, a `Uint16Array` the facade owns and writes calls into, is handed over
//! by `adoptScratch` when it is created or grown: the addon keeps a reference to it and its
//! address, so a render call carries no argument at all (see `bridle::template::read_call`).

use crate::error::{catch_panic, to_message};
use crate::thread::THREAD;
use bridle::template::{push_str_as_utf16, push_utf8_as_latin1, read_call};
use bridle::{Error, ErrorKind};
use napi::bindgen_prelude::{FromNapiValue, Unknown};
use napi::sys;
use napi::JsValue;
use std::ffi::{CStr, CString};
use std::ptr;

/// `renderScratch()`: renders the call the facade wrote into the scratch buffer.
unsafe extern "C" fn render_scratch(env: sys::napi_env, _info: sys::napi_callback_info) -> sys::napi_value {
    let result = catch_panic(|| {
        THREAD.with(|thread| {
            let (address, capacity, _) = thread.scratch.get();
            if address.is_null() {
                return Err(Error::new(ErrorKind::InvalidArgument, "no scratch buffer was adopted"));
            }
            // SAFETY: the buffer is alive (referenced) and `capacity` units long; JavaScript
            // does not run during this call, and the slice ends with it.
            let scratch = unsafe { std::slice::from_raw_parts(address, capacity) };
            let (handle, slots) = read_call(scratch)?;
            let template = thread.template(handle)?;
            let mut string = ptr::null_mut();
            let mut output = thread.output.borrow_mut();
            output.clear();
            let mut bytes = thread.output_utf8.borrow_mut();
            bytes.clear();
            // Engines that walk data render UTF-8 (false: a lone surrogate, which only UTF-16 keeps).
            if template.renders_utf8() && template.render_utf16_to_utf8(slots, &mut bytes)? {
                if bytes.is_ascii() {
                    // ASCII is Latin-1, which V8 copies as it is.
                    let status = unsafe {
                        sys::napi_create_string_latin1(env, bytes.as_ptr().cast(), bytes.len() as isize, &mut string)
                    };
                    return check(status).map(|()| string);
                }
                let text = std::str::from_utf8(&bytes)
                    .map_err(|_| Error::new(ErrorKind::Internal, "a render produced invalid UTF-8"))?;
                // Latin-1 text (most European prose) also becomes a one-byte string by a copy.
                let mut latin1 = thread.output_latin1.borrow_mut();
                latin1.clear();
                if push_utf8_as_latin1(text, &mut latin1) {
                    let status = unsafe {
                        sys::napi_create_string_latin1(env, latin1.as_ptr().cast(), latin1.len() as isize, &mut string)
                    };
                    return check(status).map(|()| string);
                }
                // Transcoding here is faster than V8's UTF-8 decoder.
                push_str_as_utf16(text, &mut output);
            } else {
                template.render_utf16(slots, &mut output)?;
            }
            // V8 stores the result as Latin-1 when every unit fits.
            let status = unsafe { sys::napi_create_string_utf16(env, output.as_ptr(), output.len() as isize, &mut string) };
            check(status).map(|()| string)
        })
    });
    result.unwrap_or_else(|error| {
        unsafe { throw(env, &error) };
        ptr::null_mut()
    })
}

fn check(status: sys::napi_status) -> bridle::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::InvalidArgument, format!("bad argument (Node-API status {status})")))
    }
}

unsafe fn throw(env: sys::napi_env, error: &Error) {
    // serde_json escapes control characters, so the JSON never holds a NUL.
    let message = CString::new(to_message(error)).unwrap_or_default();
    unsafe { sys::napi_throw_error(env, ptr::null(), message.as_ptr()) };
}

/// Makes `scratch` (a `Uint16Array`) this thread's scratch buffer, releasing the previous one.
#[napi_derive::napi(js_name = "adoptScratch")]
pub fn adopt_scratch(env: napi::Env, scratch: Unknown<'_>) -> napi::Result<()> {
    let env = env.raw();
    unsafe {
        let (mut kind, mut length, mut data) = (0, 0usize, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        let status =
            sys::napi_get_typedarray_info(env, scratch.raw(), &mut kind, &mut length, &mut data, &mut buffer, &mut offset);
        if status != sys::Status::napi_ok || kind != sys::TypedarrayType::uint16_array {
            return Err(napi::Error::from_reason("the scratch buffer must be a Uint16Array"));
        }
        let mut reference = ptr::null_mut();
        if sys::napi_create_reference(env, scratch.raw(), 1, &mut reference) != sys::Status::napi_ok {
            return Err(napi::Error::from_reason("could not keep a reference to the scratch buffer"));
        }
        let (_, _, previous) =
            THREAD.with(|thread| thread.scratch.replace((data.cast_const().cast::<u16>(), length, reference)));
        if !previous.is_null() {
            sys::napi_delete_reference(env, previous);
        }
    }
    Ok(())
}

type RawFunction = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

const HOT_FUNCTIONS: &[(&CStr, RawFunction)] = &[(c"renderScratch", render_scratch)];

/// The hot functions as one object (`{ renderScratch }`); the facade asks once per addon.
#[napi_derive::napi(js_name = "hotFunctions")]
pub fn hot_functions(env: napi::Env) -> napi::Result<Unknown<'static>> {
    let env = env.raw();
    let fail = |what: &str| napi::Error::from_reason(format!("could not set up the hot functions: {what}"));
    unsafe {
        let mut object = ptr::null_mut();
        if sys::napi_create_object(env, &mut object) != sys::Status::napi_ok {
            return Err(fail("object"));
        }
        for (name, function) in HOT_FUNCTIONS {
            let mut value = ptr::null_mut();
            let name_length = name.count_bytes() as isize;
            if sys::napi_create_function(env, name.as_ptr(), name_length, Some(*function), ptr::null_mut(), &mut value)
                != sys::Status::napi_ok
                || sys::napi_set_named_property(env, object, name.as_ptr(), value) != sys::Status::napi_ok
            {
                return Err(fail(&name.to_string_lossy()));
            }
        }
        Unknown::from_napi_value(env, object)
    }
}
