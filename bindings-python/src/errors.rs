//! The core's errors as Python exceptions.
//!
//! The exception classes live in `delcredere._errors` (pure Python, so they can carry a real
//! constructor and pickle): `PolicyError` for `invalid_policy`, `InternalError` for
//! `internal`, `InputError` for every other code. Each carries the core's `code`, `field`,
//! `problems` and message unchanged.

use delcredere::ffi::ErrorDto;
use delcredere::{Error, Problem};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

use crate::to_python::to_python;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class name for a core error code.
fn class_name(code: &str) -> &'static str {
    match code {
        "invalid_policy" => "PolicyError",
        "internal" => "InternalError",
        _ => "InputError",
    }
}

fn build(py: Python<'_>, dto: &ErrorDto) -> PyResult<PyErr> {
    let module = ERRORS.get_or_try_init(py, || Ok::<_, PyErr>(py.import("delcredere._errors")?.unbind()))?;
    let class = module.bind(py).getattr(class_name(&dto.code))?;
    let problems = to_python(py, &dto.problems)?;
    let exception = class.call1((dto.message.as_str(), dto.code.as_str(), dto.field.as_str(), problems))?;
    Ok(PyErr::from_value(exception))
}

/// A core [`Error`] as the matching Python exception.
pub(crate) fn core_error(py: Python<'_>, error: &Error) -> PyErr {
    let dto = ErrorDto::from(error);
    build(py, &dto).unwrap_or_else(|e| e)
}

/// Most problems listed on a batch error (the first ones by row).
const MAX_ROW_PROBLEMS: usize = 1000;

/// The `InputError` of a batch with bad rows: `code`, `field` and message of the first bad
/// row (`rows[17].amount`), the count in the message, each bad row (up to 1000) in `problems`.
pub(crate) fn rows_error(py: Python<'_>, errors: &[(usize, Error)]) -> PyErr {
    let Some((_, first)) = errors.first() else {
        return internal_error(py, "rows_error without rows");
    };
    let mut dto = ErrorDto::from(first);
    dto.message = format!(
        "{} ({} bad row(s); errors=\"column\" keeps them in an error column)",
        dto.message,
        errors.len()
    );
    dto.problems = errors
        .iter()
        .take(MAX_ROW_PROBLEMS)
        .map(|(_, e)| Problem::from_error(e.field(), e))
        .collect();
    build(py, &dto).unwrap_or_else(|e| e)
}

/// An `InternalError` (e.g. for a caught panic).
pub(crate) fn internal_error(py: Python<'_>, detail: &str) -> PyErr {
    core_error(
        py,
        &Error::Internal {
            detail: detail.to_owned(),
        },
    )
}
