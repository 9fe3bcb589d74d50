//! The C ABI of delcredere: a shared and a static library (`libdelcredere_c`) with the header
//! `include/delcredere.h`, generated from this crate by cbindgen, for programs that link a
//! native library (C, C++, C# through P/Invoke, Java through its foreign-function API, Go
//! through cgo, Python through ctypes). `README.md` beside this crate is the integrator's guide.
//!
//! The ABI is thin over the core: `delcredere_call` is `delcredere::ffi::call_json` (an op
//! name and its JSON input in, its JSON output out), and the engine handle
//! (`delcredere_engine`) is `delcredere::engine::Engine` behind a read-write lock, with a
//! cover check in plain C numbers on the hot path (`delcredere_engine_cover`).
//!
//! Rules of every function:
//! - It returns a `delcredere_status` (or, for the few that cannot fail, its answer). On
//!   failure `*out_error`, when the caller passes a place for it, gets a `delcredere_error`
//!   (`code`, `field`, `message`); on success it is set to NULL.
//! - Text goes in as a pointer and a length in bytes, UTF-8, without a terminator; or with
//!   length `DELCREDERE_NUL_TERMINATED` for a NUL-terminated string.
//! - What the library returns, it owns until the caller gives it back: strings to
//!   `delcredere_string_free`, errors to `delcredere_error_free`, engines to
//!   `delcredere_engine_free`. Each accepts NULL and does nothing then.
//! - No panic crosses the boundary: it becomes the error `internal`.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, CStr, CString};

use delcredere::ffi;

mod engine;
mod failure;
mod raw;

pub use engine::{
    delcredere_cover, delcredere_cover_type, delcredere_engine, delcredere_engine_account_state,
    delcredere_engine_add_buyer, delcredere_engine_apply, delcredere_engine_apply_all, delcredere_engine_buyer_id,
    delcredere_engine_call, delcredere_engine_check_cover, delcredere_engine_cover, delcredere_engine_cover_text,
    delcredere_engine_free, delcredere_engine_limit_state, delcredere_engine_load, delcredere_engine_new,
    delcredere_engine_obligations, delcredere_engine_restore, delcredere_engine_snapshot, delcredere_overdue_effect,
    delcredere_payment_security, delcredere_receivable_kind, DELCREDERE_END_OF_MONTH,
};
use failure::Failure;
pub use failure::{delcredere_error, delcredere_status};
use raw::{text, Out, OutText, Report};

/// The version of the ABI this header describes: the one `delcredere_abi_version` of a
/// matching library returns. It changes when a function, type or constant of the header
/// changes in a way that breaks a program built against the previous one.
pub const DELCREDERE_ABI_VERSION: u32 = 1;

/// A text length meaning "up to the NUL terminator".
pub const DELCREDERE_NUL_TERMINATED: usize = usize::MAX;

const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => c"",
};

/// The library's version, e.g. `"0.1.0"`: a static NUL-terminated string (never free it).
#[no_mangle]
pub extern "C" fn delcredere_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The ABI version of the library loaded: compare it with `DELCREDERE_ABI_VERSION` of the
/// header the program was built with.
#[no_mangle]
pub extern "C" fn delcredere_abi_version() -> u32 {
    DELCREDERE_ABI_VERSION
}

/// The names of the ops `delcredere_call` knows, sorted, as a JSON array of strings.
///
/// # Safety
/// `out_json` is valid for a write of a pointer; `out_len` and `out_error` are NULL or valid
/// for a write of their type.
#[no_mangle]
pub unsafe extern "C" fn delcredere_ops(
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        let names = serde_json::to_string(ffi::OPS).map_err(|e| Failure::internal(&e.to_string()))?;
        out.put(names);
        Ok(())
    })
}

/// Runs op `op` on its JSON input (an object: the op's input DTO, camelCase) and hands back
/// its JSON output (a `Decision`, a report...): what `delcredere::ffi::call_json` answers, as
/// every runtime answers it. Op names are `delcredere_ops`; inputs and outputs are described
/// in `spec/` and shown in `spec/vectors/`.
///
/// # Safety
/// `op` and `input` are NULL or point to text as `DELCREDERE_NUL_TERMINATED` describes;
/// `out_json` is valid for a write of a pointer; `out_len` and `out_error` are NULL or valid
/// for a write of their type.
#[no_mangle]
pub unsafe extern "C" fn delcredere_call(
    op: *const c_char,
    op_len: usize,
    input: *const c_char,
    input_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `out_json` and `out_len`, passed on.
        let out = unsafe { OutText::new(out_json, out_len) }?;
        // SAFETY: the caller's promise for `op`, passed on.
        let op = unsafe { text(op, op_len, "op") }?;
        // SAFETY: the caller's promise for `input`, passed on.
        let input = unsafe { text(input, input_len, "input") }?;
        out.put(ffi::call_json(op, input)?);
        Ok(())
    })
}

/// The day number of an ISO date (`"2026-03-01"`): days since 1970-01-01, as
/// `delcredere_engine_cover` takes dates (Java's `LocalDate.toEpochDay()`, C#'s
/// `DateOnly.DayNumber - 719162`, C's `time_t / 86400` at midnight UTC). A date that is not
/// `yyyy-mm-dd` is `invalid_date` (field `date`).
///
/// # Safety
/// `date` as `DELCREDERE_NUL_TERMINATED` describes; `out_day` valid for a write of an
/// `int32_t`; `out_error` NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn delcredere_day_number(
    date: *const c_char,
    date_len: usize,
    out_day: *mut i32,
    out_error: *mut *mut delcredere_error,
) -> delcredere_status {
    // SAFETY: the caller's promise for `out_error`, passed on.
    let report = unsafe { Report::new(out_error) };
    report.run(|| {
        // SAFETY: the caller's promise for `out_day`, passed on.
        let out = unsafe { Out::required(out_day, "out_day") }?;
        // SAFETY: the caller's promise for `date`, passed on.
        let date = unsafe { text(date, date_len, "date") }?;
        out.put(engine::day_number(delcredere::calendar::parse_date("date", date)?));
        Ok(())
    })
}

/// Gives back a string the library returned (`out_json` of any call). NULL does nothing.
///
/// # Safety
/// `text` is NULL or a string this library returned and that was not given back before.
#[no_mangle]
pub unsafe extern "C" fn delcredere_string_free(text: *mut c_char) {
    if !text.is_null() {
        // SAFETY: the caller promises a string of this library (made by `CString::into_raw`)
        // not given back before.
        drop(unsafe { CString::from_raw(text) });
    }
}

/// Gives back an error the library returned (`*out_error` of any call), with its strings.
/// NULL does nothing.
///
/// # Safety
/// `error` is NULL or an error this library returned and that was not given back before.
#[no_mangle]
pub unsafe extern "C" fn delcredere_error_free(error: *mut delcredere_error) {
    if error.is_null() {
        return;
    }
    // SAFETY: the caller promises an error of this library (made by `Box::into_raw`) not
    // given back before.
    let error = unsafe { Box::from_raw(error) };
    for text in [error.code, error.field, error.message] {
        if !text.is_null() {
            // SAFETY: each string of an error is made by `CString::into_raw` and freed once,
            // here, with its error.
            drop(unsafe { CString::from_raw(text.cast_mut()) });
        }
    }
}
