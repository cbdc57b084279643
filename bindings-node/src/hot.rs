//! Hot calls as raw Node-API functions. napi-rs's generated wrappers register a borrow scope
//! for every call with a reference argument; on a tiny render that bookkeeping costs more than
//! the work. These functions read their arguments with plain Node-API calls instead, and keep
//! the same guarantees: arguments are checked, errors are thrown as the core's JSON error
//! object, and panics are caught here, never unwinding into Node.
//!
//! The scratch buffer (a `Uint8Array` the facade owns) is handed over once, in
//! `hotFunctions(scratch)`: the addon keeps a strong reference to it and its address, so a
//! render call carries just two numbers.

use crate::error::{catch_panic, to_message};
use crate::template::render_encoded_utf8;
use bridle::{Error, ErrorKind};
use napi::bindgen_prelude::{FromNapiValue, Unknown};
use napi::JsValue;
use napi::sys;
use std::cell::Cell;
use std::ffi::{CStr, CString};
use std::ptr;

thread_local! {
    /// This thread's scratch buffer: its address and length in bytes. The backing store of an
    /// ArrayBuffer never moves, and the reference taken in `hot_functions` keeps it alive.
    static SCRATCH: Cell<(*const u8, usize)> = const { Cell::new((ptr::null(), 0)) };
}

/// `renderScratch(handle, length)`: renders the template from the slots the facade wrote as
/// UTF-8 into `scratch[0..length]`.
unsafe extern "C" fn render_scratch(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let result = catch_panic(|| unsafe {
        let mut argc = 2usize;
        let mut argv = [ptr::null_mut(); 2];
        check(sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()))?;
        let mut handle = 0u32;
        check(sys::napi_get_value_uint32(env, argv[0], &mut handle))?;
        let mut used = 0u32;
        check(sys::napi_get_value_uint32(env, argv[1], &mut used))?;
        let (address, capacity) = SCRATCH.with(Cell::get);
        if address.is_null() || used as usize > capacity {
            return Err(Error::new(ErrorKind::InvalidArgument, "template values overrun the scratch buffer"));
        }
        // SAFETY: the buffer is alive (referenced) and at least `used` bytes long; JavaScript
        // does not run during this call, and the slice ends with it.
        let bytes: &[u8] = if used == 0 { &[] } else { std::slice::from_raw_parts(address, used as usize) };
        render_encoded_utf8(handle, bytes, |output| create_string(env, output))?
    });
    result.unwrap_or_else(|error| {
        throw(env, &error);
        ptr::null_mut()
    })
}

/// A JavaScript string from `text`: ASCII goes in as Latin-1, a plain copy, which V8 makes
/// faster than decoding UTF-8.
unsafe fn create_string(env: sys::napi_env, text: &str) -> bridle::Result<sys::napi_value> {
    let mut string = ptr::null_mut();
    let length = text.len() as isize;
    let status = if text.is_ascii() {
        unsafe { sys::napi_create_string_latin1(env, text.as_ptr().cast(), length, &mut string) }
    } else {
        unsafe { sys::napi_create_string_utf8(env, text.as_ptr().cast(), length, &mut string) }
    };
    check(status).map(|()| string)
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

const HOT_FUNCTIONS: &[(&CStr, RawFunction)] = &[(c"renderScratch", render_scratch)];

/// Adopts `scratch` as this thread's scratch buffer and returns the hot functions as one
/// object (`{ renderScratch }`); the facade calls it once per loaded addon.
#[napi_derive::napi(js_name = "hotFunctions")]
pub fn hot_functions(env: napi::Env, scratch: Unknown<'_>) -> napi::Result<Unknown<'static>> {
    let env = env.raw();
    let fail = |what: &str| napi::Error::from_reason(format!("could not set up the hot functions: {what}"));
    unsafe {
        let (mut kind, mut length, mut data) = (0, 0usize, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        if sys::napi_get_typedarray_info(env, scratch.raw(), &mut kind, &mut length, &mut data, &mut buffer, &mut offset)
            != sys::Status::napi_ok
            || kind != sys::TypedarrayType::uint8_array
        {
            return Err(fail("the scratch buffer must be a Uint8Array"));
        }
        // Never released: the buffer lives as long as the addon on this thread.
        let mut reference = ptr::null_mut();
        if sys::napi_create_reference(env, scratch.raw(), 1, &mut reference) != sys::Status::napi_ok {
            return Err(fail("reference"));
        }
        SCRATCH.with(|cell| cell.set((data.cast_const().cast::<u8>(), length)));

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
