//! Python bindings of `delcredere`: the native module `delcredere._delcredere`.
//!
//! Every function hands its arguments to [`delcredere::ffi::call`] and translates: Python
//! objects become a [`serde_json::Value`] ([`to_json`]), the core's output becomes Python
//! objects with amounts as `decimal.Decimal` ([`to_python`]), and the core's errors become the
//! exceptions of `delcredere._errors` ([`errors`]). No rule lives here.

mod errors;
mod to_json;
mod to_python;

use std::panic::{catch_unwind, AssertUnwindSafe};

use delcredere::ffi::{self, Input};
use delcredere::Decision;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::errors::{core_error, internal_error};
use crate::to_json::to_value;
use crate::to_python::to_python;

/// Runs `f`, turning a Rust panic into `InternalError` so that no `PanicException` reaches
/// the caller.
fn guarded<'py, F>(py: Python<'py>, f: F) -> PyResult<Bound<'py, PyAny>>
where
    F: FnOnce() -> PyResult<Bound<'py, PyAny>>,
{
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Err(internal_error(py, &detail))
    })
}

/// Runs op `op` of the core on an input that is already JSON, without holding the GIL, and
/// returns its output as Python objects.
fn run<'py>(py: Python<'py>, op: String, input: Value) -> PyResult<Bound<'py, PyAny>> {
    let result = py.detach(move || ffi::call(&op, Input::Value(input)));
    match result {
        Ok(output) => to_python(py, &output),
        Err(e) => Err(core_error(py, &e)),
    }
}

/// Builds the input object of an op from named Python arguments; paths start at each name.
fn object<'py>(fields: &[(&str, &Bound<'py, PyAny>)]) -> PyResult<Value> {
    let mut map = Map::new();
    for (name, value) in fields {
        map.insert((*name).to_owned(), to_value(value, name)?);
    }
    Ok(Value::Object(map))
}

/// Runs the core operation `op` on `input` (a dict of the op's camelCase input DTO) and
/// returns its output as plain Python values, amounts as `decimal.Decimal`.
#[pyfunction]
#[pyo3(signature = (op, input))]
fn call<'py>(py: Python<'py>, op: &Bound<'py, PyAny>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let op = match to_value(op, "op")? {
            Value::String(op) => op,
            other => {
                let error = delcredere::Error::InvalidType {
                    field: "op".to_owned(),
                    detail: format!("expected an op name (str), found {other}"),
                };
                return Err(core_error(py, &error));
            }
        };
        let value = to_value(input, "")?;
        run(py, op, value)
    })
}

/// Validates a policy (POL); returns `{"valid": bool, "problems": [...]}`.
#[pyfunction]
#[pyo3(signature = (policy))]
fn validate_policy<'py>(py: Python<'py>, policy: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy)])?;
        run(py, "validate_policy".to_owned(), input)
    })
}

/// Checks whether a buyer and receivable are insurable under a policy (BUY-1..5); returns
/// the decision as a dict.
#[pyfunction]
#[pyo3(signature = (policy, buyer, receivable))]
fn check_insurability<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    buyer: &Bound<'py, PyAny>,
    receivable: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("policy", policy), ("buyer", buyer), ("receivable", receivable)])?;
        run(py, "check_insurability".to_owned(), input)
    })
}

/// Renders a decision (a dict) in `lang` (`en`, `de`, `fr`, `nl`, `da`); returns the
/// explanation as a dict.
#[pyfunction]
#[pyo3(signature = (decision, lang))]
fn explain<'py>(
    py: Python<'py>,
    decision: &Bound<'py, PyAny>,
    lang: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("decision", decision), ("lang", lang)])?;
        run(py, "explain".to_owned(), input)
    })
}

/// The input of [`decision_from_dict`]: a decision under the key `decision`, so that error
/// paths read `decision.amounts...` as in `explain`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionInput {
    decision: Decision,
}

/// Reads a decision dict through the core's `Decision` DTO and returns it in canonical form
/// (amounts as `decimal.Decimal`); used to rebuild decisions, e.g. when unpickling.
#[pyfunction]
#[pyo3(signature = (decision))]
fn decision_from_dict<'py>(py: Python<'py>, decision: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let input = object(&[("decision", decision)])?;
        let parsed: DecisionInput = py
            .detach(move || ffi::parse(Input::Value(input)))
            .map_err(|e| core_error(py, &e))?;
        to_python(py, &parsed.decision)
    })
}

/// Native part of `delcredere`; use the `delcredere` package rather than this module.
#[pymodule]
mod _delcredere {
    use super::*;

    #[pymodule_export]
    use super::{call, check_insurability, decision_from_dict, explain, validate_policy};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("OPS", PyTuple::new(m.py(), ffi::OPS)?)?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
