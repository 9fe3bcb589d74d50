//! The core's errors as Python exceptions.
//!
//! The exception classes live in `delcredere._errors` (pure Python, so they can carry a real
//! constructor and pickle): `PolicyError` for `invalid_policy`, `InternalError` for
//! `internal`, `InputError` for every other code. Each carries the core's `code`, `field`,
//! `problems` and message unchanged.

use delcredere::ffi::ErrorDto;
use delcredere::Error;
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

/// An `InternalError` (e.g. for a caught panic).
pub(crate) fn internal_error(py: Python<'_>, detail: &str) -> PyErr {
    core_error(
        py,
        &Error::Internal {
            detail: detail.to_owned(),
        },
    )
}
