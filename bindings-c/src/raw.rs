//! The raw pointers of the boundary: text read from the caller, answers and errors written
//! to it, the panic guard. Each unsafe operation here is one small block with its SAFETY comment; the
//! functions that take pointers are `unsafe fn`, their contract stated in `# Safety`.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::failure::{c_string, delcredere_error, delcredere_status, Failure};
use crate::DELCREDERE_NUL_TERMINATED;

/// Reads text parameter `name`: `len` bytes at `ptr`, or up to the NUL when `len` is
/// `DELCREDERE_NUL_TERMINATED`. NULL is `null_pointer`; a NUL byte inside `len` bytes is
/// `invalid_length` (the length counts more than the text: its terminator, or bytes past it);
/// a length over `isize::MAX` is `invalid_length`; bytes that are not UTF-8 are
/// `invalid_utf8` with the offset of the first bad byte.
///
/// # Safety
/// `ptr` is NULL, or points to `len` readable bytes (to a NUL-terminated string when `len` is
/// `DELCREDERE_NUL_TERMINATED`) that stay unchanged for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    let bytes: &'a [u8] = if len == DELCREDERE_NUL_TERMINATED {
        // SAFETY: not NULL, and the caller promises a NUL-terminated string, unchanged for 'a.
        unsafe { CStr::from_ptr(ptr) }.to_bytes()
    } else {
        if len > isize::MAX as usize {
            return Err(Failure::argument(
                "invalid_length",
                name,
                &format!("length {len} is larger than any text"),
            ));
        }
        // SAFETY: not NULL, u8 has alignment 1, len <= isize::MAX, and the caller promises
        // `len` readable bytes, unchanged for 'a.
        let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(Failure::argument(
                "invalid_length",
                name,
                &format!(
                    "NUL byte at offset {at} of the {len} bytes given: the length counts more \
                     than the text (give it without the terminator, or DELCREDERE_NUL_TERMINATED)"
                ),
            ));
        }
        bytes
    };
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::argument(
            "invalid_utf8",
            name,
            &format!("not UTF-8: invalid byte at offset {}", e.valid_up_to()),
        )
    })
}

/// Optional text parameter `name`: NULL is `None`.
///
/// # Safety
/// As `text`.
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's promise for `ptr` and `len`, passed on.
        unsafe { text(ptr, len, name) }.map(Some)
    }
}

/// An out-parameter, checked (not NULL, aligned) before the call does its work, written once
/// it is done.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    /// Out-parameter `name`; NULL is `null_pointer`, a misaligned pointer `invalid_pointer`.
    ///
    /// # Safety
    /// `ptr` is NULL or valid for a write of a `T` until `Out::put`.
    pub unsafe fn required(ptr: *mut T, name: &str) -> Result<Out<T>, Failure> {
        if ptr.is_null() {
            Err(Failure::null(name))
        } else if !ptr.is_aligned() {
            Err(Failure::misaligned(name))
        } else {
            Ok(Out(ptr))
        }
    }

    /// Optional out-parameter `name`: NULL when the caller does not want it.
    ///
    /// # Safety
    /// As `Out::required`.
    pub unsafe fn optional(ptr: *mut T, name: &str) -> Result<Option<Out<T>>, Failure> {
        if ptr.is_null() {
            Ok(None)
        } else {
            // SAFETY: the caller's promise for `ptr`, passed on.
            unsafe { Out::required(ptr, name) }.map(Some)
        }
    }

    /// Writes the answer (what was there before is not read nor dropped).
    pub fn put(self, value: T) {
        self.set(value);
    }

    /// Writes a value, keeping the out-parameter for a later write.
    fn set(&self, value: T) {
        // SAFETY: checked not NULL and aligned in `required`, whose caller promised it valid
        // for a write of a T; `write` does not read or drop the old value.
        unsafe { self.0.write(value) }
    }
}

/// Text answers: `*out_json` gets a NUL-terminated string the caller frees with
/// `delcredere_string_free`, `*out_len` (when asked for) its length without the NUL.
pub(crate) struct OutText {
    json: Out<*mut c_char>,
    len: Option<Out<usize>>,
}

impl OutText {
    /// # Safety
    /// `json` and `len` as `Out::required` and `Out::optional`.
    pub unsafe fn new(json: *mut *mut c_char, len: *mut usize) -> Result<OutText, Failure> {
        Ok(OutText {
            // SAFETY: the caller's promise for `json`, passed on.
            json: unsafe { Out::required(json, "out_json") }?,
            // SAFETY: the caller's promise for `len`, passed on.
            len: unsafe { Out::optional(len, "out_len") }?,
        })
    }

    /// Hands `text` to the caller.
    pub fn put(self, text: String) {
        let text = c_string(text);
        if let Some(len) = self.len {
            len.put(text.as_bytes().len());
        }
        self.json.put(text.into_raw());
    }
}

/// Where a call reports its failure: `*out_error`, when the caller passed a place for it.
pub(crate) struct Report(Option<Out<*mut delcredere_error>>);

impl Report {
    /// Checks `out_error` and sets `*out_error` to NULL (a misaligned one cannot be written:
    /// the status alone then tells the caller).
    ///
    /// # Safety
    /// `out_error` is NULL or valid for a write of a pointer.
    pub unsafe fn new(out_error: *mut *mut delcredere_error) -> Report {
        // SAFETY: the caller's promise for `out_error`, passed on.
        let out = unsafe { Out::optional(out_error, "out_error") }.ok().flatten();
        if let Some(out) = &out {
            out.set(std::ptr::null_mut());
        }
        Report(out)
    }

    /// No place to report to: the status alone tells.
    pub fn none() -> Report {
        Report(None)
    }

    /// Runs a call's body with panics stopped (a panic is `internal`); on failure hands the
    /// error to `*out_error` (when asked for) and returns its status.
    pub fn run(self, body: impl FnOnce() -> Result<(), Failure>) -> delcredere_status {
        let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| Err(Failure::panicked(&*panic)));
        match result {
            Ok(()) => delcredere_status::Ok,
            Err(failure) => {
                let status = failure.status;
                if let Some(out) = self.0 {
                    out.put(failure.into_raw());
                }
                status
            }
        }
    }
}
