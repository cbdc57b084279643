//! Hot calls as raw Node-API functions. napi-rs's generated wrappers register a borrow scope
//! for every call with a reference argument; on a tiny render that bookkeeping costs more than
//! the work. These functions read their arguments with plain Node-API calls instead, and keep
//! the same guarantees: arguments are checked, errors are thrown as the core's JSON error
//! object, and panics are caught here, never unwinding into Node.

use crate::error::{catch_panic, to_message};
use crate::template::render_encoded_utf8;
use bridle::{Error, ErrorKind};
use napi::bindgen_prelude::{FromNapiValue, Unknown};
use napi::sys;
use std::ffi::CString;
use std::ptr;

/// `renderScratch(handle, scratch: Uint8Array, length)`: renders the template from the slots
/// the facade wrote as UTF-8 into `scratch[0..length]`.
unsafe extern "C" fn render_scratch(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let result = catch_panic(|| unsafe {
        let mut argc = 3usize;
        let mut argv = [ptr::null_mut(); 3];
        check(sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()))?;
        let mut handle = 0u32;
        check(sys::napi_get_value_uint32(env, argv[0], &mut handle))?;
        let (mut kind, mut length, mut data) = (0, 0usize, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        check(sys::napi_get_typedarray_info(env, argv[1], &mut kind, &mut length, &mut data, &mut buffer, &mut offset))?;
        if kind != sys::TypedarrayType::uint8_array {
            return Err(Error::new(ErrorKind::InvalidArgument, "the scratch buffer must be a Uint8Array"));
        }
        let mut used = 0u32;
        check(sys::napi_get_value_uint32(env, argv[2], &mut used))?;
        if used as usize > length {
            return Err(Error::new(ErrorKind::InvalidArgument, "template values overrun the scratch buffer"));
        }
        let bytes: &[u8] = if used == 0 { &[] } else { std::slice::from_raw_parts(data.cast::<u8>(), used as usize) };
        render_encoded_utf8(handle, bytes, |output| {
            let mut string = ptr::null_mut();
            let status = sys::napi_create_string_utf8(env, output.as_ptr().cast(), output.len() as isize, &mut string);
            check(status).map(|()| string)
        })?
    });
    match result {
        Ok(value) => value,
        Err(error) => {
            throw(env, &error);
            ptr::null_mut()
        }
    }
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

type RawFunction = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

const HOT_FUNCTIONS: &[(&std::ffi::CStr, RawFunction)] = &[(c"renderScratch", render_scratch)];

/// The hot functions as one object (`{ renderScratch }`), handed to the facade once at load.
#[napi_derive::napi(js_name = "hotFunctions")]
pub fn hot_functions(env: napi::Env) -> napi::Result<Unknown<'static>> {
    let env = env.raw();
    let fail = |what: &str| napi::Error::from_reason(format!("could not create the hot functions: {what}"));
    unsafe {
        let mut object = ptr::null_mut();
        if sys::napi_create_object(env, &mut object) != sys::Status::napi_ok {
            return Err(fail("object"));
        }
        for (name, function) in HOT_FUNCTIONS {
            let mut value = ptr::null_mut();
            let length = name.count_bytes() as isize;
            if sys::napi_create_function(env, name.as_ptr(), length, Some(*function), ptr::null_mut(), &mut value)
                != sys::Status::napi_ok
                || sys::napi_set_named_property(env, object, name.as_ptr(), value) != sys::Status::napi_ok
            {
                return Err(fail(&name.to_string_lossy()));
            }
        }
        Unknown::from_napi_value(env, object)
    }
}
