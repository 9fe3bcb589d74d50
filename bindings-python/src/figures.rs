//! The answer of `Engine.cover_figures`: the Python class `delcredere.CoverFigures`
//! (`spec/engine.md` "From Python").
//!
//! One small immutable object instead of the dict of method `cover_figures` (four dicts were
//! most of a call's time): the figures as attributes, `Decimal`s built when the answer is (no
//! lazy work). It also reads as that dict (a `collections.abc.Mapping`, registered by the
//! package): `r["covered"]` is `{"amount": Decimal, "currency": str}`, and `dict(r)`, `==`,
//! `keys()`, `items()` give the method's dict, so code written for the dict keeps working.

use delcredere::cover::CoverFigures;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::from_python::decimal_type;

/// The covered and uncovered parts of a delivery, as `Engine.cover_figures` answers them: the
/// amounts `Decimal`s of the delivery's currency. Reads as the dict of
/// `Engine.call("cover_figures", ...)`.
#[pyclass(module = "delcredere._delcredere", name = "CoverFigures", frozen, mapping)]
pub(crate) struct PyCoverFigures {
    /// The part of the delivery that is insured.
    #[pyo3(get)]
    covered: Py<PyAny>,
    /// The part that is not.
    #[pyo3(get)]
    uncovered: Py<PyAny>,
    /// The currency of the amounts (the policy's).
    #[pyo3(get)]
    currency: Py<PyString>,
    /// The cover used (`namedLimit`, `selfAssessed`, `automatic` or `none`).
    #[pyo3(get)]
    cover_type: Py<PyString>,
    /// The named limit used, if any, in the same currency.
    #[pyo3(get)]
    limit: Option<Py<PyAny>>,
    /// Whether an overdue takes the delivery out of cover (OVD-2, OVD-3, DIS-6).
    #[pyo3(get)]
    excluded_by_overdue: bool,
}

/// A cover type's name as a `str`, one object per type.
pub(crate) fn cover_type_str<'py>(py: Python<'py>, t: delcredere::cover::CoverType) -> Bound<'py, PyString> {
    static NAMES: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();
    let names = NAMES.get_or_init(py, || {
        delcredere::cover::CoverType::ALL
            .iter()
            .map(|t| PyString::intern(py, t.as_str()).unbind())
            .collect()
    });
    match names.get(t as usize) {
        Some(name) => name.bind(py).clone(),
        None => PyString::new(py, t.as_str()),
    }
}

impl PyCoverFigures {
    /// The answer for `f`, its amounts the `Decimal` objects `decimal` makes of them (all of
    /// `f`'s amounts are of `f.covered`'s currency, `currency`).
    pub(crate) fn new<'py>(
        py: Python<'py>,
        f: &CoverFigures,
        currency: Bound<'py, PyString>,
        mut decimal: impl FnMut(rust_decimal::Decimal) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCoverFigures>> {
        let limit = match f.limit {
            Some(limit) if limit.currency == f.covered.currency => Some(decimal(limit.amount)?.unbind()),
            Some(_) => return Err(crate::errors::internal_error(py, "a limit in another currency")),
            None => None,
        };
        let figures = PyCoverFigures {
            covered: decimal(f.covered.amount)?.unbind(),
            uncovered: decimal(f.uncovered.amount)?.unbind(),
            currency: currency.unbind(),
            cover_type: cover_type_str(py, f.cover_type).unbind(),
            limit,
            excluded_by_overdue: f.overdue.is_some_and(|e| e.excludes()),
        };
        Bound::new(py, figures)
    }

    /// `{"amount": amount, "currency": currency}`.
    fn money<'py>(&self, py: Python<'py>, amount: &Py<PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        out.set_item(intern!(py, "amount"), amount.bind(py))?;
        out.set_item(intern!(py, "currency"), self.currency.bind(py))?;
        Ok(out)
    }

    /// The keys of the method's dict, in its order.
    fn key_names(&self) -> &'static [&'static str] {
        if self.limit.is_some() {
            &["covered", "uncovered", "coverType", "limit", "excludedByOverdue"]
        } else {
            &["covered", "uncovered", "coverType", "excludedByOverdue"]
        }
    }

    /// The value of key `key` of the method's dict, `None` for a key it does not have.
    fn value<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(match key {
            "covered" => Some(self.money(py, &self.covered)?.into_any()),
            "uncovered" => Some(self.money(py, &self.uncovered)?.into_any()),
            "coverType" => Some(self.cover_type.bind(py).clone().into_any()),
            "limit" => match &self.limit {
                Some(limit) => Some(self.money(py, limit)?.into_any()),
                None => None,
            },
            "excludedByOverdue" => Some(
                pyo3::types::PyBool::new(py, self.excluded_by_overdue)
                    .to_owned()
                    .into_any(),
            ),
            _ => None,
        })
    }

    /// [`Self::value`] of a key given by Python: `None` for one that is not a `str`.
    fn value_of<'py>(&self, py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match key.cast::<PyString>() {
            Ok(key) => self.value(py, key.to_str()?),
            Err(_) => Ok(None),
        }
    }
}

#[pymethods]
impl PyCoverFigures {
    /// Figures of these values (for pickling): `limit` `None` when no named limit was used.
    #[new]
    #[pyo3(signature = (covered, uncovered, currency, cover_type, limit=None, excluded_by_overdue=false))]
    fn py_new(
        py: Python<'_>,
        covered: Bound<'_, PyAny>,
        uncovered: Bound<'_, PyAny>,
        currency: Bound<'_, PyString>,
        cover_type: Bound<'_, PyString>,
        limit: Option<Bound<'_, PyAny>>,
        excluded_by_overdue: bool,
    ) -> PyResult<Self> {
        let decimal = decimal_type(py)?;
        for (name, value) in [
            ("covered", Some(&covered)),
            ("uncovered", Some(&uncovered)),
            ("limit", limit.as_ref()),
        ] {
            if let Some(value) = value {
                if !value.is_instance(decimal)? {
                    let found = value.get_type().name()?;
                    return Err(PyTypeError::new_err(format!(
                        "{name}: expected a Decimal, found {found}"
                    )));
                }
            }
        }
        Ok(PyCoverFigures {
            covered: covered.unbind(),
            uncovered: uncovered.unbind(),
            currency: currency.unbind(),
            cover_type: cover_type.unbind(),
            limit: limit.map(Bound::unbind),
            excluded_by_overdue,
        })
    }

    /// The dict of `Engine.call("cover_figures", ...)` for the same question.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for &key in self.key_names() {
            if let Some(value) = self.value(py, key)? {
                out.set_item(PyString::intern(py, key), value)?;
            }
        }
        Ok(out)
    }

    fn __getitem__<'py>(&self, py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.value_of(py, key)?
            .ok_or_else(|| PyKeyError::new_err(key.clone().unbind()))
    }

    /// The value of `key` as the dict has it, or `default`.
    #[pyo3(signature = (key, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self.value_of(py, key)? {
            Some(value) => value,
            None => default.unwrap_or_else(|| py.None().into_bound(py)),
        })
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(match key.cast::<PyString>() {
            Ok(key) => self.key_names().contains(&key.to_str()?),
            Err(_) => false,
        })
    }

    fn __len__(&self) -> usize {
        self.key_names().len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyTuple::new(py, self.key_names().iter().copied())?
            .try_iter()?
            .into_any())
    }

    /// The dict's keys (a view of [`to_dict`]'s answer).
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)?.call_method0(intern!(py, "keys"))
    }

    /// The dict's values (a view of [`to_dict`]'s answer).
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)?.call_method0(intern!(py, "values"))
    }

    /// The dict's items (a view of [`to_dict`]'s answer).
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)?.call_method0(intern!(py, "items"))
    }

    /// Equal to other figures, or to a dict, when the dicts are equal (as the method's dicts
    /// compare: amounts by value).
    fn __richcmp__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let other = if let Ok(other) = other.cast::<PyCoverFigures>() {
            other.get().to_dict(py)?.into_any()
        } else if other.is_instance_of::<PyDict>() {
            other.clone()
        } else {
            return Ok(py.NotImplemented());
        };
        let mine = self.to_dict(py)?;
        Ok(match op {
            CompareOp::Eq => mine.eq(other)?.into_pyobject(py)?.to_owned().into_any().unbind(),
            CompareOp::Ne => mine.ne(other)?.into_pyobject(py)?.to_owned().into_any().unbind(),
            _ => py.NotImplemented(),
        })
    }

    /// Not hashable (as the dict), being equal to dicts.
    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("CoverFigures({})", self.to_dict(py)?.repr()?))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let args = (
            me.covered.bind(py),
            me.uncovered.bind(py),
            me.currency.bind(py),
            me.cover_type.bind(py),
            me.limit.as_ref().map(|l| l.bind(py)),
            me.excluded_by_overdue,
        );
        (slf.get_type(), args).into_pyobject(py)
    }
}
