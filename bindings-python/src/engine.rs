//! The core's [`Engine`] as the Python class `delcredere._delcredere.Engine`, the base of
//! `delcredere.Engine` (`spec/engine.md`).
//!
//! No method is written out here: [`PyEngine::call`] runs any method of the core's table
//! (`engine::methods::METHODS`, exported as `ENGINE_METHODS`) by name on its input read from
//! Python objects, and `delcredere.Engine` builds its methods from that table. What is here is
//! the constructors, the snapshot, and the fast path of the cover figures, which reads its
//! arguments without building a DTO object and answers as method `cover_figures` does.
//!
//! The engine sits behind a read-write lock: questions take it shared, changes exclusively.
//! Every call holds the GIL from start to end (inputs are Python objects), so the lock is never
//! waited on while the GIL is held by another lock holder.

use std::sync::{PoisonError, RwLock};

use delcredere::engine::methods::{method, CoverFiguresDto, METHODS};
use delcredere::engine::route::route;
use delcredere::engine::{Engine, EngineSetupDto};
use delcredere::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyTuple};
use serde::Deserialize;

use crate::errors::core_error;
use crate::from_python::PyInput;
use crate::guarded;
use crate::to_python::to_python;

/// A policy and its buyers' accounts, held between calls (ACC). Build it with
/// `Engine(policy)`, `Engine(setup=...)` or `Engine(snapshot=...)`.
#[pyclass(module = "delcredere._delcredere", name = "Engine", subclass, frozen)]
pub(crate) struct PyEngine {
    inner: RwLock<Engine>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyArg {
    policy: delcredere::PolicyDto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetupArg {
    setup: EngineSetupDto,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FiguresArgs {
    delivery: delcredere::cover::DeliveryOrderDto,
    as_of: delcredere::IsoDate,
}

impl PyEngine {
    pub(crate) fn read(&self) -> std::sync::RwLockReadGuard<'_, Engine> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Engine> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }
}

fn one_of_three(py: Python<'_>) -> PyErr {
    core_error(
        py,
        &Error::InvalidType {
            field: "policy".to_owned(),
            detail: "give exactly one of policy, setup and snapshot".to_owned(),
        },
    )
}

#[pymethods]
impl PyEngine {
    /// An engine for `policy` (a policy dict), validated once; or, by keyword, a whole engine
    /// from `setup` (`{"policy", "buyers": [{"id", "buyer", "events"}]}`) or from `snapshot`
    /// text (of `snapshot()`).
    #[new]
    #[pyo3(signature = (policy=None, *, setup=None, snapshot=None))]
    fn new(
        py: Python<'_>,
        policy: Option<&Bound<'_, PyAny>>,
        setup: Option<&Bound<'_, PyAny>>,
        snapshot: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let engine = crate::guarded_value(py, || match (policy, setup, snapshot) {
            (Some(policy), None, None) => {
                let arg: PolicyArg = PyInput::fields(vec![("policy", policy.clone())]).parse(py)?;
                Engine::new(&arg.policy).map_err(|e| core_error(py, &e))
            }
            (None, Some(setup), None) => {
                let arg: SetupArg = PyInput::fields(vec![("setup", setup.clone())]).parse(py)?;
                Engine::load(arg.setup).map_err(|e| core_error(py, &e.with_prefix("setup")))
            }
            (None, None, Some(snapshot)) => {
                let text = snapshot_text(py, snapshot)?;
                Engine::restore(&text).map_err(|e| core_error(py, &e))
            }
            _ => Err(one_of_three(py)),
        })?;
        Ok(PyEngine {
            inner: RwLock::new(engine),
        })
    }

    /// Runs method `method` of `ENGINE_METHODS` on `input`, a dict of its parameters (camelCase
    /// keys); returns its output as Python values, amounts as `decimal.Decimal`.
    #[pyo3(signature = (method, input))]
    fn call<'py>(&self, py: Python<'py>, method: &str, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let input = PyInput::whole(input);
            let changes = method_of(method).is_some_and(|m| m.changes);
            let output = if changes {
                let mut engine = self.write();
                input.run(py, |input| engine.call(method, input))?
            } else {
                let engine = self.read();
                input.run(py, |input| engine.query(method, input))?
            };
            to_python(py, &output)
        })
    }

    /// The covered and uncovered parts of `delivery` (a dict) for the buyer with key `buyer` on
    /// `as_of` (a `datetime.date` or an ISO string), without the explanation: method
    /// `cover_figures`, read without building its input object.
    #[pyo3(signature = (buyer, delivery, as_of))]
    fn cover_figures<'py>(
        &self,
        py: Python<'py>,
        buyer: &Bound<'py, PyAny>,
        delivery: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let Ok(key) = buyer.cast::<PyString>() else {
                let e = Error::InvalidType {
                    field: "buyer".to_owned(),
                    detail: format!("expected a buyer key (str), found {}", buyer.get_type().name()?),
                };
                return Err(core_error(py, &e));
            };
            let key = key.to_str()?;
            let args: FiguresArgs =
                PyInput::fields(vec![("delivery", delivery.clone()), ("asOf", as_of.clone())]).parse(py)?;
            let engine = self.read();
            let figures = engine
                .cover_figures_of(key, &args.delivery, args.as_of.0)
                .map_err(|e| core_error(py, &e))?;
            to_python(py, &CoverFiguresDto::from(figures))
        })
    }

    /// The engine as snapshot text (format version 1): `Engine(snapshot=text)` reads it back.
    fn snapshot(&self, py: Python<'_>) -> PyResult<String> {
        crate::guarded_value(py, || self.read().snapshot().map_err(|e| core_error(py, &e)))
    }

    /// Whether `other` holds the same policy and buyers with the same logs.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<PyEngine>() {
            Ok(other) => {
                let other = other.get();
                std::ptr::eq(self, other) || *self.read() == *other.read()
            }
            Err(_) => false,
        }
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let engine = slf.get().read();
        let class = slf.get_type().qualname()?;
        Ok(format!("<{class}: {} buyer(s)>", engine.buyer_count()))
    }

    /// Number of buyers.
    fn __len__(&self) -> usize {
        self.read().buyer_count()
    }
}

/// The text of a snapshot given as `str` or `bytes` (UTF-8).
fn snapshot_text(py: Python<'_>, snapshot: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = snapshot.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    if let Ok(bytes) = snapshot.cast::<PyBytes>() {
        return String::from_utf8(bytes.as_bytes().to_vec()).map_err(|e| {
            core_error(
                py,
                &Error::InvalidJson {
                    field: "snapshot".to_owned(),
                    detail: e.to_string(),
                },
            )
        });
    }
    Err(core_error(
        py,
        &Error::InvalidType {
            field: "snapshot".to_owned(),
            detail: format!("expected snapshot text (str), found {}", snapshot.get_type().name()?),
        },
    ))
}

/// The core's method table as Python values: a tuple of `(name, changes, params, input,
/// output, doc)`, `params` a tuple of `(key, ts_type, optional)`.
pub(crate) fn methods_table<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    let rows = METHODS
        .iter()
        .map(|m| {
            let params = PyTuple::new(py, m.params.iter().map(|p| (p.name, p.ts_type, p.optional)))?;
            Ok((m.name, m.changes, params, m.input, m.output, m.doc))
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, rows)
}

/// The core's conversion of op `op`'s `input` (a dict) into an engine setup and a method call
/// (`engine::route::route`, `spec/vectors/README.md` "Through the engine"): a dict `{"setup",
/// "method", "input"}`, or `None` for an op no engine method answers. For the runners of the
/// conformance vectors and the cross-runtime test, so that every runtime asks its engine the
/// question the core's conversion makes of the op's input.
#[pyfunction]
#[pyo3(signature = (op, input))]
pub(crate) fn engine_route<'py>(py: Python<'py>, op: &str, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        match PyInput::whole(input).run(py, |input| route(op, input))? {
            Some(routed) => to_python(py, &routed),
            None => Ok(py.None().into_bound(py)),
        }
    })
}

/// The method of the core's table named `name`.
pub(crate) fn method_of(name: &str) -> Option<&'static delcredere::engine::methods::Method> {
    method(name)
}
