//! pandas' default dtypes in one native pass (spec/batch.md, "Input kinds"): an `object` column
//! of `decimal.Decimal` read into a `decimal128` Arrow array, and a `decimal128` array written
//! back as `Decimal` objects, with no Python code run per value. Both are exact: a `Decimal` is
//! read through its text (the digits it holds), and made as its unscaled integer times
//! `Decimal("1E-<scale>")` under a context of more digits than a `decimal128` has, whatever
//! the caller's context.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Decimal128Type;
use arrow_array::{Array, Decimal128Array};
use arrow_buffer::NullBuffer;
use arrow_schema::DataType;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt, PyList};
use pyo3_arrow::PyArray;

use crate::errors::core_error;
use delcredere::error::AmountGiven;
use delcredere::Error;

/// Largest number of digits a `decimal128` holds.
const MAX_DIGITS: u32 = 38;

/// The digits and exponent of a finite `Decimal`'s text (`str(d)`: `-123.45`, `1E+3`,
/// `1.5E-7`), as `(unscaled, exponent)`; `None` for any other text (`NaN`, `Infinity`) or one
/// of more than 38 digits.
fn parse(text: &str) -> Option<(i128, i32)> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let (number, exponent) = match rest.find(['E', 'e']) {
        Some(at) => (rest.get(..at)?, rest.get(at + 1..)?.parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let mut unscaled: i128 = 0;
    let (mut digits, mut fraction, mut point, mut significant) = (0u32, 0i32, false, 0u32);
    for c in number.bytes() {
        match c {
            b'0'..=b'9' => {
                unscaled = unscaled.checked_mul(10)?.checked_add(i128::from(c - b'0'))?;
                digits += 1;
                if unscaled != 0 {
                    significant += 1;
                }
                if point {
                    fraction += 1;
                }
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if digits == 0 || significant > MAX_DIGITS {
        return None;
    }
    let value = if negative { -unscaled } else { unscaled };
    Some((value, exponent.checked_sub(fraction)?))
}

/// `unscaled * 10^exponent` as units of 10^-`scale`, when exact and within 38 digits.
fn at_scale(unscaled: i128, exponent: i32, scale: u32) -> Option<i128> {
    let shift = i64::from(exponent) + i64::from(scale);
    let value = if shift >= 0 {
        unscaled.checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?)?
    } else {
        let divisor = 10i128.checked_pow(u32::try_from(-shift).ok()?)?;
        if unscaled % divisor != 0 {
            return None;
        }
        unscaled / divisor
    };
    (value.unsigned_abs() < 10u128.pow(MAX_DIGITS)).then_some(value)
}

/// The values of a pandas `object` column of amounts (`column.tolist()`) as a pyarrow
/// `decimal128(38, s)` array, in one pass: each `Decimal` read through its text, `int`s as they
/// are, `None` and float `NaN` (pandas' missing values) as nulls. The scale `s` is `scale` when
/// every value is exact at it, else the largest number of decimals a value has, as pyarrow's own
/// conversion gives them. A float that is not `NaN` is refused, as in a dict
/// (`invalid_amount` on `rows[i].<column>`: "a float (15000.5) is not an amount"). `None` (the
/// caller then converts the column as before, which reports what is wrong in the words of the
/// other inputs) when a value is anything else: a string, a `Decimal` subclass, a non-finite
/// `Decimal`, one of more than 38 digits. With the array, whether every value is a `Decimal`
/// of exactly its scale's decimals (`Decimal("123.45")` at 2): then each is the object
/// [`decimal_objects`] would make for its value, and can stand for it.
#[pyfunction]
pub(crate) fn decimals_from_objects<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyList>,
    scale: u32,
    column: &str,
) -> PyResult<Option<(Bound<'py, PyAny>, bool)>> {
    let decimal = crate::from_python::decimal_type(py)?;
    let n = values.len();
    let int = py.get_type::<PyInt>();
    let mut read: Vec<(i128, i32)> = Vec::with_capacity(n);
    let mut valid: Vec<bool> = Vec::with_capacity(n);
    let mut nulls = false;
    let mut exact = true;
    for (i, value) in values.iter().enumerate() {
        let ty = value.get_type();
        let parsed = if ty.is(decimal) {
            let text = value.str()?;
            match parse(text.to_str()?) {
                Some(p) => {
                    exact &= i64::from(p.1) == -i64::from(scale);
                    Some(p)
                }
                None => return Ok(None),
            }
        } else if ty.is(&int) {
            exact = false;
            match value.extract::<i64>() {
                Ok(v) => Some((i128::from(v), 0)),
                Err(_) => return Ok(None),
            }
        } else if value.is_none() {
            None
        } else if ty.is(py.get_type::<PyFloat>()) {
            // NaN: pandas' missing value. Any other float is refused, as in a dict.
            if !value.extract::<f64>()?.is_nan() {
                let e = Error::InvalidAmount {
                    field: format!("rows[{i}].{column}"),
                    value: value.repr()?.to_string(),
                    given: AmountGiven::Float,
                };
                return Err(core_error(py, &e));
            }
            None
        } else {
            return Ok(None);
        };
        match parsed {
            Some(p) => {
                read.push(p);
                valid.push(true);
            }
            None => {
                nulls = true;
                read.push((0, 0));
                valid.push(false);
            }
        }
    }
    let fits = |s: u32| read.iter().all(|&(v, e)| at_scale(v, e, s).is_some());
    let scale = if fits(scale) {
        scale
    } else {
        exact = false;
        let widest = read
            .iter()
            .map(|&(_, e)| u32::try_from(-i64::from(e)).unwrap_or(0))
            .max()
            .unwrap_or(0);
        if widest > MAX_DIGITS || !fits(widest) {
            return Ok(None);
        }
        widest
    };
    let units: Vec<i128> = read.iter().map(|&(v, e)| at_scale(v, e, scale).unwrap_or(0)).collect();
    let valid = nulls.then(|| NullBuffer::from(valid)).filter(|v| v.null_count() > 0);
    let Ok(array) = Decimal128Array::new(units.into(), valid).with_precision_and_scale(MAX_DIGITS as u8, scale as i8)
    else {
        return Ok(None);
    };
    let array = PyArray::from_array_ref(Arc::new(array));
    let pyarrow = py.import(intern!(py, "pyarrow"))?;
    Ok(Some((pyarrow.getattr(intern!(py, "array"))?.call1((array,))?, exact)))
}

/// A `decimal128` array as a list of `Decimal` (`None` for a null), in one pass: each its
/// unscaled integer times `Decimal("1E-<scale>")` (`5 * Decimal("1E-2")` is `Decimal("0.05")`:
/// the scale kept, as pyarrow's `to_pylist` gives it), under a context of
/// [`EXACT_DIGITS`] digits set for the pass, so that no value is rounded whatever the caller's
/// context (measured: about 1.6x faster than `Decimal(text)`, which parses the text). A value
/// equal to the one before it, and every zero (the uncovered part of a covered invoice), is
/// the same object, and with `originals` (the `Decimal`s a column was read from, of exactly its
/// scale's decimals, as [`decimals_from_objects`] says) and their `original_units`, a value
/// equal to its row's original is that object (a covered amount that is the whole invoice): a
/// `Decimal` cannot be changed.
#[pyfunction]
#[pyo3(signature = (array, originals=None, original_units=None))]
pub(crate) fn decimal_objects<'py>(
    py: Python<'py>,
    array: PyArray,
    originals: Option<Bound<'py, PyList>>,
    original_units: Option<PyArray>,
) -> PyResult<Bound<'py, PyList>> {
    let decimal = crate::from_python::decimal_type(py)?;
    let array = array.array();
    let DataType::Decimal128(_, scale) = array.data_type() else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a decimal128 array, found {}",
            array.data_type()
        )));
    };
    let unit = decimal.call1((format!("1E-{scale}"),))?;
    let decimals = array.as_primitive::<Decimal128Type>();
    // The objects the values were read from, and their units, when at the same scale.
    let reuse = match (originals, original_units.as_ref().map(PyArray::array)) {
        (Some(list), Some(units))
            if units.data_type() == array.data_type() && units.len() == array.len() && list.len() == array.len() =>
        {
            Some((list, units.as_primitive::<Decimal128Type>()))
        }
        _ => None,
    };
    let module = py.import(intern!(py, "decimal"))?;
    let exact = module.getattr(intern!(py, "Context"))?.call1((EXACT_DIGITS,))?;
    let callers = module.call_method0(intern!(py, "getcontext"))?;
    module.call_method1(intern!(py, "setcontext"), (exact,))?;
    let made = (|| {
        let mut last: Option<(i128, Bound<'py, PyAny>)> = None;
        let mut zero: Option<Bound<'py, PyAny>> = None;
        let mut out: Vec<Bound<'py, PyAny>> = Vec::with_capacity(decimals.len());
        for (i, &v) in decimals.values().iter().enumerate() {
            if decimals.is_null(i) {
                out.push(py.None().into_bound(py));
                continue;
            }
            if let Some((list, units)) = reuse.as_ref() {
                if units.is_valid(i) && units.values().get(i) == Some(&v) {
                    out.push(list.get_item(i)?);
                    continue;
                }
            }
            if let Some((_, same)) = last.as_ref().filter(|(l, _)| *l == v) {
                out.push(same.clone());
                continue;
            }
            if let (0, Some(zero)) = (v, zero.as_ref()) {
                out.push(zero.clone());
                continue;
            }
            let units = match i64::try_from(v) {
                Ok(small) => small.into_pyobject(py)?.into_any(),
                Err(_) => v.into_pyobject(py)?.into_any(),
            };
            let made = units.mul(&unit)?;
            out.push(made.clone());
            if v == 0 {
                zero = Some(made.clone());
            }
            last = Some((v, made));
        }
        Ok::<_, PyErr>(out)
    })();
    module.call_method1(intern!(py, "setcontext"), (callers,))?;
    PyList::new(py, made?)
}

/// Digits of the context [`decimal_objects`] multiplies under: more than a `decimal128` has (38),
/// so that a product is never rounded.
const EXACT_DIGITS: u32 = 40;
