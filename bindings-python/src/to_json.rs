//! Python objects to [`serde_json::Value`], the core's input.
//!
//! Accepted: `dict` with `str` keys, `list`/`tuple`, `str`, `bool`, `int` (within i64/u64),
//! `float` (passed on as a JSON float: the core refuses it, `invalid_amount` for amounts),
//! `decimal.Decimal` (as its plain decimal string, `format(d, "f")`), `datetime.date` (as its
//! ISO string) and `None`. Anything else is an `InputError` naming the field path.

use delcredere::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

use crate::errors::core_error;

/// Deepest nesting of lists and dicts accepted (as the core's JSON parser).
pub(crate) const MAX_DEPTH: usize = 128;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Converts `obj`; `path` is its field path in the op input (`""` for the input itself).
pub(crate) fn to_value(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    let py = obj.py();
    let mut path = path.to_owned();
    convert(obj, &mut path, 0).map_err(|e| match e {
        Fail::Core(error) => core_error(py, &error),
        Fail::Py(error) => error,
    })
}

enum Fail {
    Core(Error),
    Py(PyErr),
}

impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Self {
        Fail::Py(e)
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

fn invalid_type(path: &str, detail: String) -> Fail {
    Fail::Core(Error::InvalidType {
        field: path.to_owned(),
        detail,
    })
}

fn convert(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Fail> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = obj.extract::<u64>() {
            return Ok(Value::from(v));
        }
        return Err(Fail::Core(Error::OutOfRange {
            field: path.clone(),
            value: truncated(&obj.str()?.to_string()),
            expected: "an integer that fits in 64 bits".to_owned(),
        }));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v).map(Value::Number).ok_or_else(|| {
            Fail::Core(Error::InvalidAmount {
                field: path.clone(),
                value: v.to_string(),
            })
        });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return match s.to_cow() {
            Ok(text) => Ok(Value::String(text.into_owned())),
            Err(_) => Err(invalid_type(
                path,
                "string is not valid unicode (lone surrogate)".to_owned(),
            )),
        };
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        enter(path, depth)?;
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(invalid_type(
                    path,
                    format!("dict key of type {}, expected str", type_name(&key)),
                ));
            };
            let key = key
                .to_cow()
                .map_err(|_| invalid_type(path, "dict key is not valid unicode".to_owned()))?;
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            let value = convert(&value, path, depth + 1)?;
            path.truncate(len);
            map.insert(key.into_owned(), value);
        }
        return Ok(Value::Object(map));
    }
    // Any other mapping (a `delcredere.Policy`, a `MappingProxyType`...) as a dict of its items.
    if let Ok(mapping) = obj.cast::<PyMapping>() {
        let dict = PyDict::new(py);
        dict.update(mapping)?;
        return convert(dict.as_any(), path, depth);
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        enter(path, depth)?;
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            items.push(convert(&item?, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    let decimal = DECIMAL.import(py, "decimal", "Decimal")?;
    if obj.is_instance(decimal)? {
        let finite: bool = obj.call_method0("is_finite")?.extract()?;
        let text: String = obj.call_method1("__format__", ("f",))?.extract()?;
        if !finite {
            return Err(Fail::Core(Error::InvalidAmount {
                field: path.clone(),
                value: truncated(&text),
            }));
        }
        return Ok(Value::String(text));
    }
    let date = DATE.import(py, "datetime", "date")?;
    if obj.is_instance(date)? {
        let text: String = obj.call_method0("isoformat")?.extract()?;
        return Ok(Value::String(text));
    }
    Err(invalid_type(
        path,
        format!(
            "{} is not supported, expected dict, list, tuple, str, int, bool, None, Decimal or date",
            type_name(obj)
        ),
    ))
}

/// Refuses to go deeper than [`MAX_DEPTH`] containers.
fn enter(path: &str, depth: usize) -> Result<(), Fail> {
    if depth >= MAX_DEPTH {
        return Err(Fail::Core(Error::InvalidJson {
            field: path.to_owned(),
            detail: format!("nesting deeper than {MAX_DEPTH} levels"),
        }));
    }
    Ok(())
}

fn truncated(text: &str) -> String {
    if text.chars().count() > 40 {
        let head: String = text.chars().take(40).collect();
        format!("{head}...")
    } else {
        text.to_owned()
    }
}
