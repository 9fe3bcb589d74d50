//! How a call ends: `delcredere_status`, and the `delcredere_error` that says why.

use std::any::Any;
use std::ffi::{c_char, CString};

use delcredere::Error;

/// How a call ended. Every function that can fail returns one.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum delcredere_status {
    /// Done: the out-parameters hold the answer.
    Ok = 0,
    /// The input was refused: JSON that does not parse, a field's value, a rule of the engine
    /// (an unknown buyer, an event that contradicts the log). The error's code is one of the
    /// core's codes (`missing_field`, `unknown_buyer`, ...): mend the data.
    InputError = 1,
    /// The call itself is wrong: a NULL pointer, text that is not UTF-8, a length that counts
    /// more than the text, a pointer that is not a live engine (codes `null_pointer`,
    /// `invalid_pointer`, `invalid_utf8`, `invalid_length`, `invalid_handle`): mend the code
    /// that calls.
    ArgumentError = 2,
    /// A bug in the library (code `internal`): a panic stopped at the boundary, or an engine
    /// left unusable by one. Please report it.
    InternalError = 3,
}

/// Why a call failed. Owned by the library: free it with `delcredere_error_free`. The three
/// strings are NUL-terminated UTF-8, never NULL, valid until then.
#[repr(C)]
#[derive(Debug)]
pub struct delcredere_error {
    /// Stable snake_case code, e.g. `missing_field`, `unknown_buyer`, `null_pointer`: what a
    /// program reads. The core's codes are listed in `spec/`; the ABI's own in the README.
    pub code: *const c_char,
    /// Where: a field path in the JSON the call was given (`policy.insuranceYear.start`,
    /// `events[3].event.date`), a parameter of the call (`engine`, `out_json`), or empty for
    /// the whole call.
    pub field: *const c_char,
    /// Lowercase English message naming the field and the value: what a person reads.
    pub message: *const c_char,
}

/// A failed call, before it crosses the boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: delcredere_status,
    pub code: &'static str,
    pub field: String,
    pub message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure {
            status: if matches!(e, Error::Internal { .. }) {
                delcredere_status::InternalError
            } else {
                delcredere_status::InputError
            },
            code: e.code(),
            field: e.field().to_owned(),
            message: e.to_string(),
        }
    }
}

impl Failure {
    /// A malformed call: `code` is one of the ABI's own codes, `param` the parameter.
    pub fn argument(code: &'static str, param: &str, detail: &str) -> Self {
        Failure {
            status: delcredere_status::ArgumentError,
            code,
            field: param.to_owned(),
            message: format!("{param}: {detail}"),
        }
    }

    /// A NULL where a pointer is required.
    pub fn null(param: &str) -> Self {
        Failure::argument("null_pointer", param, "null pointer")
    }

    /// A pointer that is not aligned for what it points to.
    pub fn misaligned(param: &str) -> Self {
        Failure::argument("invalid_pointer", param, "pointer not aligned for its type")
    }

    /// A bug: `internal`, with no field.
    pub fn internal(detail: &str) -> Self {
        Failure::from(Error::Internal {
            detail: detail.to_owned(),
        })
    }

    /// A panic stopped at the boundary.
    pub fn panicked(panic: &(dyn Any + Send)) -> Self {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Failure::internal(&format!("panic: {detail}"))
    }

    /// A core error about JSON text given as parameter `name` (`policy`, `event`, `events`):
    /// its field path made relative to the call. The core names the whole text `input` and
    /// paths inside it from its root (`insuranceYear.start`, `[3].event`); here they become
    /// `policy`, `policy.insuranceYear.start`, `events[3].event`. Errors of the engine itself
    /// (`buyer.country`, `event`) already name the parameter and are left as they are.
    pub fn parsing(e: Error, name: &str) -> Self {
        let mut failure = Failure::from(e);
        let old = failure.field.clone();
        let new = if old == "input" {
            name.to_owned()
        } else if old.starts_with('[') {
            format!("{name}{old}")
        } else if old.is_empty() {
            return failure;
        } else {
            format!("{name}.{old}")
        };
        if let Some(rest) = failure.message.strip_prefix(old.as_str()) {
            failure.message = format!("{new}{rest}");
        }
        failure.field = new;
        failure
    }

    /// The error as the library hands it out (freed by `delcredere_error_free`).
    pub fn into_raw(self) -> *mut delcredere_error {
        Box::into_raw(Box::new(delcredere_error {
            code: c_string(self.code.to_owned()).into_raw().cast_const(),
            field: c_string(self.field).into_raw().cast_const(),
            message: c_string(self.message).into_raw().cast_const(),
        }))
    }
}

/// `text` as a C string; a NUL inside it (from a `\u0000` escape in JSON input quoted back in
/// a message) is written `\u0000`, so the C string is the whole text.
pub(crate) fn c_string(text: String) -> CString {
    let text = if text.contains('\0') {
        text.replace('\0', "\\u0000")
    } else {
        text
    };
    CString::new(text).unwrap_or_default()
}
