//! The batch functions: Arrow columns (through the Arrow PyCapsule interface, by pyo3-arrow)
//! to the slices of [`delcredere::batch::Ledger`] and the results back to Arrow. The rules
//! are in the core (`core/src/batch.rs`); here only conversion. Single-chunk columns of the
//! native types (`decimal128`, `date32`) are read in place, without a copy.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int32Type, Int64Type, Int8Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, DictionaryArray, Int64Array, Int8Array, RecordBatch, StringArray,
    UInt64Array,
};
use arrow_buffer::{BooleanBuffer, NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use delcredere::batch::{
    date_from_days, days_from_date, Batch, BatchSetupDto, CoverColumns, Ledger, RowErrors, NO_DATE,
};
use delcredere::calendar::parse_date;
use delcredere::cover::CoverType;
use delcredere::error::{truncated, AmountGiven};
use delcredere::money::parse_decimal;
use delcredere::overdue::InvoiceStatus;
use delcredere::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyMapping, PyString};
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::engine::PyEngine;
use crate::errors::{core_error, rows_error};
use crate::from_python::PyInput;

/// What the buyer column's ids are the keys of, as an error about its type says.
const BUYERS_KEYS: &str = "the keys of buyers";
const ENGINE_KEYS: &str = "the engine's keys";

/// Column names the Python layer gives the ledger (it renames the user's columns).
const BUYER: &str = "buyer";
const AMOUNT: &str = "amount";
const DATE: &str = "date";
const TERMS: &str = "terms_days";
const END_OF_MONTH: &str = "end_of_month";
const PAID_ON: &str = "paid_on";

fn bad(field: &str, detail: impl Into<String>) -> Error {
    Error::InvalidType {
        field: field.to_owned(),
        detail: detail.into(),
    }
}

/// A table taken apart: its batches and schema.
struct Table(Vec<RecordBatch>, arrow_schema::SchemaRef);

/// A column as one array: zero-copy for a single chunk, concatenated otherwise.
fn column(table: &Table, name: &str) -> Result<Option<ArrayRef>, Error> {
    let (batches, schema) = (&table.0, &table.1);
    let Ok(index) = schema.index_of(name) else {
        return Ok(None);
    };
    let chunks: Vec<&dyn Array> = batches.iter().map(|b| b.column(index).as_ref()).collect();
    match chunks.as_slice() {
        [] => Ok(Some(arrow_array::new_empty_array(schema.field(index).data_type()))),
        [one] => Ok(Some(arrow_array::make_array(one.to_data()))),
        many => arrow_select::concat::concat(many)
            .map(Some)
            .map_err(|e| bad(&format!("columns.{name}"), e.to_string())),
    }
}

fn required(table: &Table, name: &str) -> Result<ArrayRef, Error> {
    column(table, name)?.ok_or_else(|| Error::MissingField {
        field: format!("columns.{name}"),
    })
}

fn cast(array: &ArrayRef, to: &DataType, name: &str) -> Result<ArrayRef, Error> {
    if array.data_type() == to {
        return Ok(array.clone());
    }
    arrow_cast::cast(array, to).map_err(|e| bad(&format!("columns.{name}"), format!("{e}, expected {to}")))
}

/// Rows where `array` is null, as errors (`rows[i].<name>: missing field`).
fn nulls(array: &dyn Array, name: &str, errors: &mut RowErrors) {
    if let Some(n) = array.logical_nulls().filter(|n| n.null_count() > 0) {
        errors.extend(n.iter().enumerate().filter(|(_, valid)| !valid).map(|(i, _)| {
            (
                i,
                Error::MissingField {
                    field: format!("rows[{i}].{name}"),
                },
            )
        }));
    }
}

/// Buyer ids of the per-buyer table: all integers or all strings.
enum Ids {
    Int(HashMap<i64, u32>),
    Str(HashMap<String, u32>),
}

impl Ids {
    fn is_empty(&self) -> bool {
        match self {
            Ids::Int(map) => map.is_empty(),
            Ids::Str(map) => map.is_empty(),
        }
    }
}

/// The keys of `buyers`: all `str` or all `int` (not `bool`); anything else is `invalid_type`
/// on `buyers`, naming the key.
fn ids(list: &Bound<'_, PyList>) -> PyResult<Ids> {
    let py = list.py();
    if list.iter().all(|x| x.is_instance_of::<PyString>()) {
        let map = list
            .iter()
            .enumerate()
            .map(|(i, x)| Ok((x.extract::<String>()?, i as u32)));
        return Ok(Ids::Str(map.collect::<PyResult<_>>()?));
    }
    let int = |x: &Bound<'_, PyAny>| x.is_instance_of::<PyInt>() && !x.is_instance_of::<PyBool>();
    let shown = |x: &Bound<'_, PyAny>| -> PyResult<String> { Ok(format!("{} ({})", x.repr()?, x.get_type().name()?)) };
    let odd = list.iter().find(|x| !int(x));
    if let Some(odd) = odd {
        let found = match (odd.is_instance_of::<PyString>(), list.iter().find(|x| int(x))) {
            (true, Some(int_key)) => format!("{} and {}", shown(&odd)?, shown(&int_key)?),
            _ => shown(&odd)?,
        };
        return Err(core_error(
            py,
            &bad(
                "buyers",
                format!("expected buyer ids (the keys of buyers) all str or all int, found {found}"),
            ),
        ));
    }
    let map = list
        .iter()
        .enumerate()
        .map(|(i, x)| Ok((x.extract::<i64>()?, i as u32)));
    Ok(Ids::Int(map.collect::<PyResult<_>>()?))
}

/// What a column holds, in a Python user's words (`strings`, `whole numbers`...).
fn holds(t: &DataType) -> String {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "strings".to_owned(),
        DataType::Dictionary(_, values) => holds(values),
        t if t.is_integer() => "whole numbers".to_owned(),
        t if t.is_floating() => "floats".to_owned(),
        DataType::Boolean => "booleans".to_owned(),
        other => format!("values of type {other}"),
    }
}

/// The buyer column holds ids of the type of the keys of `buyers`: an id `"01"` is not the
/// id `1`, as a dict key is not (`invalid_type` on `columns.buyer`).
fn check_id_type(array: &ArrayRef, ids: &Ids, keys_of: &str) -> Result<(), Error> {
    let t = array.data_type();
    let value_type = match t {
        DataType::Dictionary(_, values) => values.as_ref(),
        t => t,
    };
    let strings = matches!(value_type, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let fits = match ids {
        _ if ids.is_empty() || *t == DataType::Null => true,
        Ids::Int(_) => value_type.is_integer(),
        Ids::Str(_) => strings,
    };
    if fits {
        return Ok(());
    }
    let want = match ids {
        Ids::Int(_) => "int",
        Ids::Str(_) => "str",
    };
    Err(bad(
        &format!("columns.{BUYER}"),
        format!("expected {want} ids, as {keys_of} are, found {}", holds(t)),
    ))
}

/// Buyer positions; unknown or null buyers become row errors (position `u32::MAX`).
fn buyers(array: &ArrayRef, ids: &Ids, keys_of: &str, errors: &mut RowErrors) -> Result<Vec<u32>, Error> {
    check_id_type(array, ids, keys_of)?;
    let unknown = |i: usize, value: String| {
        (
            i,
            Error::UnknownValue {
                field: format!("rows[{i}].{BUYER}"),
                value,
                expected: Vec::new(),
            },
        )
    };
    match ids {
        Ids::Int(map) => {
            let ints = cast(array, &DataType::Int64, BUYER)?;
            let ints: &Int64Array = ints.as_primitive::<Int64Type>();
            // Dense small ids: a table lookup instead of hashing each row.
            let max = map.keys().copied().max().unwrap_or(0);
            let dense = map.keys().all(|&k| k >= 0) && max < (map.len() as i64).saturating_mul(4).max(1024);
            // One pass of lookups, unknown ids as `u32::MAX`; the rare unknown ones (and the
            // nulls, already errors) are sorted out after it.
            let mut out: Vec<u32> = if dense {
                let mut table = vec![u32::MAX; max as usize + 1];
                for (&k, &v) in map {
                    if let Some(slot) = table.get_mut(k as usize) {
                        *slot = v;
                    }
                }
                ints.values()
                    .iter()
                    .map(|&id| {
                        usize::try_from(id)
                            .ok()
                            .and_then(|k| table.get(k))
                            .copied()
                            .unwrap_or(u32::MAX)
                    })
                    .collect()
            } else {
                ints.values()
                    .iter()
                    .map(|id| map.get(id).copied().unwrap_or(u32::MAX))
                    .collect()
            };
            if let Some(nulls) = ints.nulls().filter(|n| n.null_count() > 0) {
                for (slot, valid) in out.iter_mut().zip(nulls.iter()) {
                    if !valid {
                        *slot = u32::MAX;
                    }
                }
            }
            if any(&out, |b| b == u32::MAX) {
                for (i, (&b, id)) in out.iter().zip(ints.values().iter()).enumerate() {
                    if b == u32::MAX && ints.is_valid(i) {
                        errors.push(unknown(i, id.to_string()));
                    }
                }
            }
            Ok(out)
        }
        Ids::Str(map) => {
            if let Some(out) = dictionary_buyers(array, map, errors, &unknown)? {
                return Ok(out);
            }
            let strings = cast(array, &DataType::Utf8, BUYER)?;
            let strings: &StringArray = strings.as_string::<i32>();
            let mut out = vec![u32::MAX; array.len()];
            for (i, (slot, id)) in out.iter_mut().zip(strings.iter()).enumerate() {
                let Some(id) = id else { continue };
                match map.get(id) {
                    Some(&b) => *slot = b,
                    None => errors.push(unknown(i, id.to_owned())),
                }
            }
            Ok(out)
        }
    }
}

/// Buyer positions of a dictionary-encoded column of strings (a pandas `category`, a polars
/// `Categorical`): each value of the dictionary looked up once, each row by its key. `None`
/// for any other column.
fn dictionary_buyers(
    array: &ArrayRef,
    map: &HashMap<String, u32>,
    errors: &mut RowErrors,
    unknown: &dyn Fn(usize, String) -> (usize, Error),
) -> Result<Option<Vec<u32>>, Error> {
    let Some(dict) = array.as_any_dictionary_opt() else {
        return Ok(None);
    };
    let values = cast(dict.values(), &DataType::Utf8, BUYER)?;
    let values: &StringArray = values.as_string::<i32>();
    let positions: Vec<u32> = values
        .iter()
        .map(|v| v.and_then(|v| map.get(v).copied()).unwrap_or(u32::MAX))
        .collect();
    let keys = dict.normalized_keys();
    let nulls = array.logical_nulls();
    // The dictionary's values, listed at the first unknown one.
    let mut names: Option<Vec<Option<&str>>> = None;
    let mut out = Vec::with_capacity(keys.len());
    for (i, &k) in keys.iter().enumerate() {
        let position = positions.get(k).copied().unwrap_or(u32::MAX);
        if position == u32::MAX && nulls.as_ref().is_none_or(|n| n.is_valid(i)) {
            let names = names.get_or_insert_with(|| values.iter().collect::<Vec<_>>());
            let name = names.get(k).copied().flatten().unwrap_or_default();
            errors.push(unknown(i, name.to_owned()));
        }
        out.push(position);
    }
    Ok(Some(out))
}

/// Amounts as `i128` at one scale: decimal columns in place, integers at scale 0, decimal
/// strings parsed exactly. Floats are refused, in the words of a float in a dict ("a float
/// (15000.5) is not an amount: give a Decimal or a string"), `repr` showing the first.
fn amounts<'a>(
    array: &'a ArrayRef,
    errors: &mut RowErrors,
    repr: &dyn Fn(f64) -> String,
) -> Result<(std::borrow::Cow<'a, [i128]>, u32), Error> {
    let field = format!("columns.{AMOUNT}");
    if array.is_empty() {
        // An empty ledger keeps its column's scale: the results' scale is the same as with rows.
        let scale = match array.data_type() {
            DataType::Decimal128(_, s)
            | DataType::Decimal256(_, s)
            | DataType::Decimal64(_, s)
            | DataType::Decimal32(_, s) => u32::try_from(*s).unwrap_or(0),
            _ => 0,
        };
        return Ok((std::borrow::Cow::Owned(Vec::new()), scale));
    }
    match array.data_type() {
        t if t.is_floating() => {
            let floats = cast(array, &DataType::Float64, AMOUNT)?;
            let floats = floats.as_primitive::<arrow_array::types::Float64Type>();
            let first = floats.iter().flatten().next().unwrap_or(f64::NAN);
            Err(Error::InvalidAmount {
                field,
                value: repr(first),
                given: AmountGiven::Float,
            })
        }
        DataType::Decimal128(_, s)
        | DataType::Decimal256(_, s)
        | DataType::Decimal64(_, s)
        | DataType::Decimal32(_, s) => {
            let scale = u32::try_from(*s).map_err(|_| bad(&field, format!("negative decimal scale {s}")))?;
            if let Some(d) = array.as_primitive_opt::<Decimal128Type>() {
                return Ok((std::borrow::Cow::Borrowed(d.values().as_ref()), scale));
            }
            let d = cast(array, &DataType::Decimal128(38, *s), AMOUNT)?;
            Ok((
                std::borrow::Cow::Owned(d.as_primitive::<Decimal128Type>().values().to_vec()),
                scale,
            ))
        }
        t if t.is_integer() => {
            let ints = cast(array, &DataType::Int64, AMOUNT)?;
            let v = ints
                .as_primitive::<Int64Type>()
                .values()
                .iter()
                .map(|&x| i128::from(x))
                .collect();
            Ok((std::borrow::Cow::Owned(v), 0))
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let strings = cast(array, &DataType::Utf8, AMOUNT)?;
            let strings: &StringArray = strings.as_string::<i32>();
            let mut parsed: Vec<Decimal> = Vec::with_capacity(strings.len());
            for (i, s) in strings.iter().enumerate() {
                let value = match s.map(|s| parse_decimal(&format!("rows[{i}].{AMOUNT}"), s)) {
                    Some(Ok(d)) => d,
                    Some(Err(e)) => {
                        errors.push((i, e));
                        Decimal::ONE
                    }
                    None => Decimal::ONE,
                };
                parsed.push(value);
            }
            let scale = parsed.iter().map(|d| d.scale()).max().unwrap_or(0);
            let v = parsed
                .into_iter()
                .map(|mut d| {
                    d.rescale(scale);
                    d.mantissa()
                })
                .collect();
            Ok((std::borrow::Cow::Owned(v), scale))
        }
        other => Err(bad(
            &field,
            format!(
                "expected Decimal values, decimal strings or whole numbers, found {}",
                holds(other)
            ),
        )),
    }
}

/// A date column as days since 1970-01-01, as the dict API reads a date: `date32` in place;
/// `date64` and timestamps without a time zone (pandas' `datetime64`) when at midnight; ISO
/// strings `yyyy-mm-dd` (as Dask turns object columns of dates into strings). A value with a
/// time of day, or a string that is not such a date, is a row error `invalid_date` with the
/// value, and null here. Timestamps with a time zone are refused whole (a day depends on the
/// zone), as is any other type.
fn dates(array: &ArrayRef, name: &str, errors: &mut RowErrors) -> Result<ArrayRef, Error> {
    let invalid = |i: usize, value: String| {
        (
            i,
            Error::InvalidDate {
                field: format!("rows[{i}].{name}"),
                value,
            },
        )
    };
    match array.data_type() {
        DataType::Date32 | DataType::Null => cast(array, &DataType::Date32, name),
        DataType::Date64 | DataType::Timestamp(_, None) => {
            let per_second: i64 = match array.data_type() {
                DataType::Timestamp(TimeUnit::Second, _) => 1,
                DataType::Timestamp(TimeUnit::Microsecond, _) => 1_000_000,
                DataType::Timestamp(TimeUnit::Nanosecond, _) => 1_000_000_000,
                _ => 1_000,
            };
            let per_day = per_second * 86_400;
            let raw = cast(array, &DataType::Int64, name)?;
            let raw = raw.as_primitive::<Int64Type>();
            let mut days: Vec<Option<i32>> = Vec::with_capacity(raw.len());
            for (i, v) in raw.iter().enumerate() {
                days.push(match v {
                    None => None,
                    Some(v) if v.rem_euclid(per_day) == 0 => i32::try_from(v.div_euclid(per_day)).ok(),
                    Some(v) => {
                        errors.push(invalid(i, iso_datetime(v, per_second)));
                        None
                    }
                });
            }
            Ok(Arc::new(arrow_array::Date32Array::from(days)))
        }
        DataType::Timestamp(_, Some(zone)) => Err(bad(
            &format!("columns.{name}"),
            format!(
                "expected dates, found timestamps in the time zone {zone}: give dates, or timestamps \
                 without a time zone at midnight"
            ),
        )),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) => {
            let strings = cast(array, &DataType::Utf8, name)?;
            let strings: &StringArray = strings.as_string::<i32>();
            let mut days: Vec<Option<i32>> = Vec::with_capacity(strings.len());
            for (i, s) in strings.iter().enumerate() {
                days.push(s.and_then(|s| match parse_date("", s) {
                    Ok(date) => Some(days_from_date(date)),
                    Err(_) => {
                        errors.push(invalid(i, truncated(s)));
                        None
                    }
                }));
            }
            Ok(Arc::new(arrow_array::Date32Array::from(days)))
        }
        other => Err(bad(
            &format!("columns.{name}"),
            format!("expected dates, found {}", holds(other)),
        )),
    }
}

/// A timestamp of `per_second` units since 1970 as ISO text, as Python's `isoformat` shows it
/// (`2026-03-01T12:30:00`).
fn iso_datetime(v: i64, per_second: i64) -> String {
    let seconds = v.div_euclid(per_second);
    let fraction = v.rem_euclid(per_second);
    let day = i32::try_from(seconds.div_euclid(86_400)).ok().and_then(date_from_days);
    let time = seconds.rem_euclid(86_400);
    let mut text = match day {
        Some(day) => format!("{day}T{:02}:{:02}:{:02}", time / 3600, time % 3600 / 60, time % 60),
        None => v.to_string(),
    };
    if fraction != 0 {
        let digits = per_second.to_string().len() - 1;
        text.push_str(&format!(".{fraction:0digits$}"));
    }
    text
}

/// The ledger columns of `table`, converted; bad rows found on the way go to `errors`.
struct Columns {
    buyer: Vec<u32>,
    amount_array: ArrayRef,
    date: ArrayRef,
    terms: Terms,
    end_of_month: Option<Vec<bool>>,
    paid_on: Option<Vec<i32>>,
}

fn columns(table: &Table, ids: &Ids, keys_of: &str, errors: &mut RowErrors) -> Result<Columns, Error> {
    let buyer_array = required(table, BUYER)?;
    let amount_array = required(table, AMOUNT)?;
    let date_array = required(table, DATE)?;
    let terms_array = required(table, TERMS)?;
    let n = buyer_array.len();
    if n == 0 {
        // An empty ledger has an empty result, whatever its columns' types (an empty pandas
        // frame's object columns have none).
        return Ok(Columns {
            buyer: Vec::new(),
            amount_array,
            date: Arc::new(arrow_array::Date32Array::from(Vec::<i32>::new())),
            terms: Terms::Owned(Vec::new()),
            end_of_month: None,
            paid_on: None,
        });
    }
    let date = dates(&date_array, DATE, errors)?;
    nulls(buyer_array.as_ref(), BUYER, errors);
    nulls(amount_array.as_ref(), AMOUNT, errors);
    nulls(date.as_ref(), DATE, errors);
    nulls(terms_array.as_ref(), TERMS, errors);
    let buyer = buyers(&buyer_array, ids, keys_of, errors)?;
    // `int32` (as the sample ledger and pandas' int32 give it) read in place when no value is
    // negative, else converted as it is; other integers through `int64`; floats when whole
    // (pandas turns an integer column with gaps into floats).
    let terms = match terms_array.as_primitive_opt::<Int32Type>() {
        Some(t) if !any(t.values(), |v| v < 0) => Terms::Int32(t.values().inner().clone()),
        Some(t) => Terms::Owned(terms_of(t.values(), errors)),
        None => Terms::Owned(match terms_array.data_type() {
            t if t.is_floating() => whole_terms(&terms_array, errors)?,
            t if t.is_integer() || *t == DataType::Null => terms_of(
                cast(&terms_array, &DataType::Int64, TERMS)?
                    .as_primitive::<Int64Type>()
                    .values(),
                errors,
            ),
            other => {
                return Err(bad(
                    &format!("columns.{TERMS}"),
                    format!("expected whole numbers of days, found {}", holds(other)),
                ))
            }
        }),
    };
    let end_of_month = match column(table, END_OF_MONTH)? {
        Some(a) => {
            if !matches!(a.data_type(), DataType::Boolean | DataType::Null) {
                return Err(bad(
                    &format!("columns.{END_OF_MONTH}"),
                    format!("expected true or false, found {}", holds(a.data_type())),
                ));
            }
            let a = cast(&a, &DataType::Boolean, END_OF_MONTH)?;
            let b: &BooleanArray = a.as_boolean();
            Some((0..n).map(|i| b.is_valid(i) && b.value(i)).collect())
        }
        None => None,
    };
    let paid_on = match column(table, PAID_ON)? {
        Some(a) => {
            let a = dates(&a, PAID_ON, errors)?;
            let d = a.as_primitive::<Date32Type>();
            Some(match d.nulls() {
                None => d.values().to_vec(),
                // Null (paid when due): NO_DATE.
                Some(valid) => given_or(d.values(), valid.inner(), NO_DATE),
            })
        }
        None => None,
    };
    Ok(Columns {
        buyer,
        amount_array,
        date,
        terms,
        end_of_month,
        paid_on,
    })
}

/// Payment terms as days: an `int32` column's values in place (none negative), or converted.
enum Terms {
    Int32(arrow_buffer::Buffer),
    Owned(Vec<u32>),
}

impl Terms {
    fn days(&self) -> &[u32] {
        match self {
            // The bits of a non-negative `i32` are those of the same `u32`.
            Terms::Int32(values) => values.typed_data::<u32>(),
            Terms::Owned(values) => values,
        }
    }
}

/// `values` where `valid` is set, `none` elsewhere: the column filled with the more frequent of
/// the two, then the other written at its rows (a payment date is mostly null: paid when due).
fn given_or(values: &[i32], valid: &BooleanBuffer, none: i32) -> Vec<i32> {
    let (mut out, others, other) = if valid.count_set_bits() * 2 < values.len() {
        (vec![none; values.len()], valid.clone(), None)
    } else {
        (values.to_vec(), !valid, Some(none))
    };
    for i in others.set_indices() {
        if let (Some(slot), Some(&given)) = (out.get_mut(i), values.get(i)) {
            *slot = other.unwrap_or(given);
        }
    }
    out
}

/// Payment terms given as floats: a whole one is taken as its integer (pandas turns an integer
/// column with gaps into floats; a gap is null, a missing field); a fraction is a row error,
/// as `paymentTermsDays: 30.7` is in a dict.
fn whole_terms(array: &ArrayRef, errors: &mut RowErrors) -> Result<Vec<u32>, Error> {
    let floats = cast(array, &DataType::Float64, TERMS)?;
    let floats = floats.as_primitive::<arrow_array::types::Float64Type>();
    let mut whole = Vec::with_capacity(floats.len());
    for (i, v) in floats.iter().enumerate() {
        match v {
            Some(v) if v.fract() != 0.0 || !v.is_finite() => {
                errors.push((
                    i,
                    bad(
                        &format!("rows[{i}].{TERMS}"),
                        format!("expected a whole number, found {v:?}"),
                    ),
                ));
                whole.push(0);
            }
            // Within i64 (the saturating cast), checked as integers are.
            Some(v) => whole.push(v as i64),
            None => whole.push(0),
        }
    }
    Ok(terms_of(&whole, errors))
}

/// Payment terms as days; a negative or too large value is a row error (the core checks the
/// 3,650-day maximum).
fn terms_of<T: Copy + Into<i64>>(values: &[T], errors: &mut RowErrors) -> Vec<u32> {
    let mut out = Vec::with_capacity(values.len());
    for (i, &t) in values.iter().enumerate() {
        let t: i64 = t.into();
        out.push(u32::try_from(t).unwrap_or_else(|_| {
            errors.push((
                i,
                Error::OutOfRange {
                    field: format!("rows[{i}].{TERMS}"),
                    value: t.to_string(),
                    expected: "0 to 3650 days".into(),
                },
            ));
            0
        }));
    }
    out
}

/// The batch's per-buyer setup: `setup` read with the GIL held (its Python objects), then
/// built without it. Its errors name a buyer by its key in the user's `buyers` mapping
/// (`buyers['A'].limitEvents[1].date`), not by its place in the list built from it.
fn setup(py: Python<'_>, setup: &Bound<'_, PyAny>, buyer_ids: &Bound<'_, PyList>) -> PyResult<Batch> {
    let keyed = |e: Error| by_key(e, setup, buyer_ids);
    let dto: BatchSetupDto = PyInput::whole(setup).parse_mapped(py, &keyed)?;
    py.detach(|| Batch::new(&dto)).map_err(|e| core_error(py, &keyed(e)))
}

/// `e` with `buyers[i]` in its path written `buyers[<key>]`, the key as Python shows it. A buyer
/// given without its wrapper (`{"A": buyer}` for `{"A": {"buyer": buyer}}`) is `invalid_type`
/// on its key, saying what to write.
fn by_key(e: Error, setup: &Bound<'_, PyAny>, buyer_ids: &Bound<'_, PyList>) -> Error {
    let Some(rest) = e.field().strip_prefix("buyers[") else {
        return e;
    };
    let Some((index, rest)) = rest.split_once(']') else {
        return e;
    };
    let (Ok(i), rest) = (index.parse::<usize>(), rest.to_owned()) else {
        return e;
    };
    let Some(key) = buyer_ids.get_item(i).ok().and_then(|k| k.repr().ok()) else {
        return e;
    };
    let entry = setup
        .get_item("buyers")
        .and_then(|b| b.get_item(i))
        .ok()
        .filter(|entry| entry.cast::<PyMapping>().is_ok());
    let unwrapped = entry
        .as_ref()
        .is_some_and(|entry| entry.contains("legalName").unwrap_or(false) && !entry.contains("buyer").unwrap_or(true));
    match e {
        Error::UnknownField { expected, .. } if unwrapped && rest.matches('.').count() == 1 => bad(
            &format!("buyers[{key}]"),
            format!(
                "expected an object with keys {}, found a buyer's own fields: give {{'buyer': {{...}}}} for \
                 buyer {key}, with its limitEvents and selfAssessment beside it",
                expected.join(", ")
            ),
        ),
        e => e.map_field(|_| format!("buyers[{key}]{rest}")),
    }
}

/// Runs `f` on the ledger of `table` without the GIL.
fn with_ledger<T: Send>(
    py: Python<'_>,
    table: PyTable,
    ids: &Ids,
    keys_of: &str,
    f: impl FnOnce(&Ledger<'_>, RowErrors) -> Result<T, Error> + Send,
) -> PyResult<T> {
    let (batches, schema) = table.into_inner();
    let table = Table(batches, schema);
    let mut pre = RowErrors::new();
    let cols = columns(&table, ids, keys_of, &mut pre).map_err(|e| core_error(py, &e))?;
    let repr = |v: f64| {
        PyFloat::new(py, v)
            .repr()
            .map_or_else(|_| format!("{v:?}"), |r| r.to_string())
    };
    let (amount, scale) = amounts(&cols.amount_array, &mut pre, &repr).map_err(|e| core_error(py, &e))?;
    let date = cols.date.as_primitive::<Date32Type>().values();
    let ledger = Ledger {
        buyer: &cols.buyer,
        amount: &amount,
        scale,
        date,
        terms_days: cols.terms.days(),
        end_of_month: cols.end_of_month.as_deref(),
        paid_on: cols.paid_on.as_deref(),
    };
    py.detach(move || {
        pre.sort_by_key(|e| e.0);
        pre.dedup_by_key(|e| e.0);
        f(&ledger, pre)
    })
    .map_err(|e| core_error(py, &e))
}

/// Whether `f(v)` holds for some value: a fold without the early exit of `Iterator::any`, so
/// that the compiler vectorises it over a whole column.
fn any<T: Copy>(values: &[T], f: impl Fn(T) -> bool) -> bool {
    values.iter().fold(false, |found, &v| found | f(v))
}

/// The bits `f(v)` of `values`, 64 at a time (what `BooleanBuffer::collect_bool` does, without a
/// bounds check per value).
fn mask<T: Copy>(values: &[T], f: impl Fn(T) -> bool) -> BooleanBuffer {
    let chunks = values.chunks(64);
    let mut words: Vec<u64> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let mut word = 0u64;
        for (bit, &v) in chunk.iter().enumerate() {
            word |= u64::from(f(v)) << bit;
        }
        words.push(word);
    }
    BooleanBuffer::new(words.into(), 0, values.len())
}

fn decimal_column(values: Vec<i128>, scale: u32, valid: &Option<NullBuffer>) -> Result<ArrayRef, Error> {
    let array = Decimal128Array::new(values.into(), valid.clone())
        .with_precision_and_scale(38, scale as i8)
        .map_err(|e| bad("result", e.to_string()))?;
    Ok(Arc::new(array))
}

fn to_table<'py>(py: Python<'py>, columns: Vec<(&str, ArrayRef)>) -> PyResult<Bound<'py, PyAny>> {
    to_table_of(py, vec![columns])
}

/// A `pyarrow.Table` of one record batch per chunk of rows, in order, each the same columns
/// (names and types): its columns are chunked arrays, the chunks' memory as it is (no copy).
fn to_table_of<'py>(py: Python<'py>, chunks: Vec<Vec<(&str, ArrayRef)>>) -> PyResult<Bound<'py, PyAny>> {
    let fields: Vec<Field> = chunks
        .first()
        .map(|columns| {
            columns
                .iter()
                .map(|(name, a)| Field::new(*name, a.data_type().clone(), true))
                .collect()
        })
        .unwrap_or_default();
    let schema = Arc::new(Schema::new(fields));
    let batches = chunks
        .into_iter()
        .map(|columns| RecordBatch::try_new(schema.clone(), columns.into_iter().map(|c| c.1).collect()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| core_error(py, &bad("result", e.to_string())))?;
    PyTable::try_new(batches, schema)?.into_pyarrow(py)
}

/// A column of labels from a short list (`names[code]`), dictionary-encoded: `int8` keys into
/// the whole list, so that every call (and every partition of a Dask or polars frame) has the
/// same categories; null where `code` gives `None` or `nulls` says so. pandas reads it as a
/// `category`, polars as a `Categorical`.
fn labels_column<T: Copy>(
    values: &[T],
    code: impl Fn(T) -> Option<usize>,
    names: &[&str],
    nulls: Option<&NullBuffer>,
) -> Result<ArrayRef, Error> {
    let key = |v: T| code(v).and_then(|c| i8::try_from(c).ok());
    let mut unlabelled = false;
    let keys: Vec<i8> = values
        .iter()
        .map(|&v| {
            let k = key(v);
            unlabelled |= k.is_none();
            k.unwrap_or(0)
        })
        .collect();
    // The mask of labelled values only when some value has none (a cover type always has one).
    let valid = match (unlabelled.then(|| mask(values, |v| key(v).is_some())), nulls) {
        (Some(labelled), Some(n)) => Some(&labelled & n.inner()),
        (Some(labelled), None) => Some(labelled),
        (None, n) => n.map(|n| n.inner().clone()),
    };
    let valid = valid.map(NullBuffer::new).filter(|n| n.null_count() > 0);
    let keys = Int8Array::new(ScalarBuffer::from(keys), valid);
    let array = DictionaryArray::<Int8Type>::try_new(keys, Arc::new(StringArray::from(names.to_vec())))
        .map_err(|e| bad("result", e.to_string()))?;
    Ok(Arc::new(array))
}

/// A `cover_type` column: [`labels_column`] over every [`CoverType`].
fn cover_types_column(values: &[CoverType], nulls: Option<&NullBuffer>) -> Result<ArrayRef, Error> {
    labels_column(
        values,
        |t| Some(t as usize),
        &CoverType::ALL.map(CoverType::as_str),
        nulls,
    )
}

/// The result of [`Batch::cover_chunks`] as a `pyarrow.Table`, a record batch per chunk, each
/// chunk's columns made on a thread of its own (the first on this one), without the GIL, as
/// the chunks were.
fn rows_table<'py>(py: Python<'py>, chunks: Vec<CoverColumns>, with_errors: bool) -> PyResult<Bound<'py, PyAny>> {
    let mut from = 0usize;
    let mut at = Vec::with_capacity(chunks.len());
    for out in chunks {
        let n = out.covered.len();
        at.push((out, from));
        from += n;
    }
    let batches: Result<Vec<_>, Error> = py.detach(move || {
        std::thread::scope(|s| {
            let mut at = at.into_iter();
            let first = at.next();
            let others: Vec<_> = at
                .map(|(out, from)| s.spawn(move || rows_columns(out, from, with_errors)))
                .collect();
            let mut batches = Vec::with_capacity(others.len() + 1);
            if let Some((out, from)) = first {
                batches.push(rows_columns(out, from, with_errors));
            }
            for h in others {
                batches.push(h.join().unwrap_or_else(|_| {
                    Err(Error::Internal {
                        detail: "a batch thread stopped".into(),
                    })
                }));
            }
            batches.into_iter().collect()
        })
    });
    to_table_of(py, batches.map_err(|e| core_error(py, &e))?)
}

/// The columns of a chunk of results, rows `from..` of the ledger (its errors name rows of
/// the whole ledger).
fn rows_columns(out: CoverColumns, from: usize, with_errors: bool) -> Result<Vec<(&'static str, ArrayRef)>, Error> {
    let n = out.covered.len();
    let local = |i: usize| i.checked_sub(from);
    // Bad rows get null figures (and, with `errors="column"`, a message).
    let nulls = (!out.errors.is_empty()).then(|| {
        let mut valid = vec![true; n];
        for (i, _) in &out.errors {
            if let Some(v) = local(*i).and_then(|i| valid.get_mut(i)) {
                *v = false;
            }
        }
        NullBuffer::from(valid)
    });
    let messages: Option<Vec<Option<String>>> = with_errors.then(|| {
        let mut messages = vec![None; n];
        for (i, e) in &out.errors {
            if let Some(m) = local(*i).and_then(|i| messages.get_mut(i)) {
                *m = Some(format!("{}: {e}", e.code()));
            }
        }
        messages
    });
    let scale = out.scale;
    let report_by_valid = NullBuffer::new(mask(&out.report_by, |d| d != NO_DATE));
    let report_by = arrow_array::Date32Array::new(
        ScalarBuffer::from(out.report_by),
        Some(report_by_valid).filter(|v| v.null_count() > 0),
    );
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("outstanding", decimal_column(out.outstanding, scale, &nulls)?),
        ("covered", decimal_column(out.covered, scale, &nulls)?),
        ("uncovered", decimal_column(out.uncovered, scale, &nulls)?),
        ("cover_type", cover_types_column(&out.cover_type, nulls.as_ref())?),
        (
            "overdue_status",
            labels_column(
                &out.status,
                |s| s.map(|s| s as usize),
                &InvoiceStatus::ALL.map(InvoiceStatus::as_str),
                None,
            )?,
        ),
        ("report_by", Arc::new(report_by)),
    ];
    if let Some(messages) = messages {
        columns.push(("error", Arc::new(StringArray::from(messages))));
    }
    Ok(columns)
}

/// Checks `errors` (`"raise"` or `"column"`).
fn raise_mode(py: Python<'_>, errors: &str) -> PyResult<bool> {
    match errors {
        "raise" => Ok(true),
        "column" => Ok(false),
        other => Err(core_error(
            py,
            &Error::UnknownValue {
                field: "errors".into(),
                value: other.to_owned(),
                expected: vec!["raise".into(), "column".into()],
            },
        )),
    }
}

/// Covered and uncovered amount per ledger row (BAT-1, BAT-2, BAT-6) and where it stands on
/// `asOf` (BAT-4); returns a `pyarrow.Table` with `outstanding`, `covered`, `uncovered`,
/// `cover_type`, `overdue_status`, `report_by` (and `error` when `errors="column"`), a record
/// batch per chunk of [`Batch::cover_chunks`]. On `threads` threads (default:
/// [`Batch::default_threads`], the cores available unless the ledger is too small for them).
#[pyfunction]
#[pyo3(signature = (ledger, setup, buyer_ids, errors, threads=None))]
pub(crate) fn cover_batch<'py>(
    py: Python<'py>,
    ledger: PyTable,
    setup: &Bound<'py, PyAny>,
    buyer_ids: &Bound<'py, PyList>,
    errors: &str,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let raise = raise_mode(py, errors)?;
    let ids = ids(buyer_ids)?;
    let batch = self::setup(py, setup, buyer_ids)?;
    cover_rows(py, ledger, &batch, &ids, BUYERS_KEYS, raise, threads)
}

/// What [`cover_batch`] and [`cover_batch_engine`] share once their [`Batch`] is prepared: the
/// ledger's rows through it on `threads` threads (default: [`Batch::default_threads`]), bad
/// rows raised or kept as `errors` says.
fn cover_rows<'py>(
    py: Python<'py>,
    ledger: PyTable,
    batch: &Batch,
    ids: &Ids,
    keys: &str,
    raise: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let chunks = with_ledger(py, ledger, ids, keys, |l, pre| {
        batch.cover_chunks(l, pre, threads.unwrap_or_else(|| batch.default_threads(l.buyer.len())))
    })?;
    if raise && chunks.iter().any(|c| !c.errors.is_empty()) {
        let errors: RowErrors = chunks.iter().flat_map(|c| c.errors.iter().cloned()).collect();
        return Err(rows_error(py, &errors));
    }
    rows_table(py, chunks, !raise)
}

/// What [`exposure_batch`] and [`exposure_batch_engine`] share once their [`Batch`] is
/// prepared: each buyer's exposure over the ledger on `threads` threads (default:
/// [`Batch::default_threads`]), bad rows raised or left out as `errors` says.
fn exposure_rows(
    py: Python<'_>,
    ledger: PyTable,
    batch: &Batch,
    ids: &Ids,
    keys: &str,
    raise: bool,
    threads: Option<usize>,
) -> PyResult<Vec<delcredere::batch::BuyerExposure>> {
    let (exposures, row_errors) = with_ledger(py, ledger, ids, keys, |l, pre| {
        batch.exposures_in_threads(l, pre, threads.unwrap_or_else(|| batch.default_threads(l.buyer.len())))
    })?;
    if raise && !row_errors.is_empty() {
        return Err(rows_error(py, &row_errors));
    }
    Ok(exposures)
}

/// Peak and current exposure per buyer of the table (BAT-3) and its expected indemnity (BAT-5);
/// returns a `pyarrow.Table` with one row per buyer. On `threads` threads (default:
/// [`Batch::default_threads`]), the ledger split by buyer in the core.
#[pyfunction]
#[pyo3(signature = (ledger, setup, buyer_ids, errors, threads=None))]
pub(crate) fn exposure_batch<'py>(
    py: Python<'py>,
    ledger: PyTable,
    setup: &Bound<'py, PyAny>,
    buyer_ids: &Bound<'py, PyList>,
    errors: &str,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let raise = raise_mode(py, errors)?;
    let ids_map = ids(buyer_ids)?;
    let batch = self::setup(py, setup, buyer_ids)?;
    let exposures = exposure_rows(py, ledger, &batch, &ids_map, BUYERS_KEYS, raise, threads)?;
    let ids_column: ArrayRef = match ids_map {
        Ids::Int(_) => Arc::new(Int64Array::from(buyer_ids.extract::<Vec<i64>>()?)),
        Ids::Str(_) => Arc::new(StringArray::from(buyer_ids.extract::<Vec<String>>()?)),
    };
    exposures_table(py, &exposures, batch.currency(), ids_column)
}

/// The table of [`exposure_batch`]: one row per buyer, named in `ids_column`.
fn exposures_table<'py>(
    py: Python<'py>,
    exposures: &[delcredere::batch::BuyerExposure],
    currency: delcredere::money::Currency,
    ids_column: ArrayRef,
) -> PyResult<Bound<'py, PyAny>> {
    let to_units = |m: delcredere::Money| -> (i128, u32) { (m.amount.mantissa(), m.amount.scale()) };
    let all: Vec<(i128, u32)> = exposures
        .iter()
        .flat_map(|e| {
            [to_units(e.peak), to_units(e.current)]
                .into_iter()
                .chain(e.limit.map(to_units))
                .chain([to_units(e.open_covered), to_units(e.expected_indemnity)])
        })
        .collect();
    let scale = all.iter().map(|x| x.1).max().unwrap_or(0).max(currency.minor_units());
    let at = |m: delcredere::Money| {
        let mut d = m.amount;
        d.rescale(scale);
        d.mantissa()
    };
    let peak = exposures.iter().map(|e| at(e.peak)).collect();
    let current = exposures.iter().map(|e| at(e.current)).collect();
    let limit_valid = NullBuffer::from(exposures.iter().map(|e| e.limit.is_some()).collect::<Vec<_>>());
    let limit = exposures.iter().map(|e| e.limit.map_or(0, at)).collect();
    let open_covered = exposures.iter().map(|e| at(e.open_covered)).collect();
    let expected = exposures.iter().map(|e| at(e.expected_indemnity)).collect();
    let peak_date: arrow_array::Date32Array = exposures
        .iter()
        .map(|e| e.peak_date.map(delcredere::batch::days_from_date))
        .collect();
    let cover_types: Vec<CoverType> = exposures.iter().map(|e| e.cover_type).collect();
    let cover = cover_types_column(&cover_types, None).map_err(|e| core_error(py, &e))?;
    let rows: UInt64Array = exposures.iter().map(|e| Some(e.rows as u64)).collect();
    let err = |e: Error| core_error(py, &e);
    to_table(
        py,
        vec![
            ("buyer", ids_column),
            ("rows", Arc::new(rows)),
            ("peak", decimal_column(peak, scale, &None).map_err(err)?),
            ("peak_date", Arc::new(peak_date)),
            ("current", decimal_column(current, scale, &None).map_err(err)?),
            ("cover_type", cover),
            ("limit", decimal_column(limit, scale, &Some(limit_valid)).map_err(err)?),
            ("open_covered", decimal_column(open_covered, scale, &None).map_err(err)?),
            (
                "expected_indemnity",
                decimal_column(expected, scale, &None).map_err(err)?,
            ),
        ],
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AsOfArg {
    as_of: delcredere::IsoDate,
}

/// The prepared batch of `engine` on `as_of` (BAT-7: kept by the engine for that date until it
/// changes; the first call for a date prepares it without the GIL) and the buyer ids of the
/// ledger's column: the engine's keys, strings, or for a column of integers the keys that are
/// integers written in decimal (`7` for the key `"7"`). An error of a buyer names it by key
/// (`buyers['B2'].events`).
fn engine_batch(
    py: Python<'_>,
    engine: &Bound<'_, PyEngine>,
    as_of: &Bound<'_, PyAny>,
    ledger: &PyTable,
) -> PyResult<(Arc<Batch>, Ids)> {
    let arg: AsOfArg = PyInput::fields(vec![("asOf", as_of.clone())]).parse(py)?;
    let engine = engine.get().read();
    let batch = py.detach(|| engine.batch(arg.as_of.0)).map_err(|e| {
        let keyed = match e.field().strip_prefix("buyers[").and_then(|r| r.split_once(']')) {
            Some((i, rest)) => match i.parse::<usize>().ok().and_then(|i| engine.buyer_keys().nth(i)) {
                Some(key) => {
                    let (key, rest) = (format!("{key:?}").replace('"', "'"), rest.to_owned());
                    e.map_field(|_| format!("buyers[{key}]{rest}"))
                }
                None => e,
            },
            None => e,
        };
        core_error(py, &keyed)
    })?;
    let integers = ledger
        .batches()
        .first()
        .and_then(|b| b.schema().field_with_name(BUYER).ok().cloned())
        .map(|f| match f.data_type() {
            DataType::Dictionary(_, values) => values.is_integer(),
            t => t.is_integer(),
        })
        .unwrap_or(false);
    let ids = if integers {
        Ids::Int(
            engine
                .buyer_keys()
                .zip(0u32..)
                .filter_map(|(k, i)| k.parse::<i64>().ok().filter(|n| n.to_string() == k).map(|n| (n, i)))
                .collect(),
        )
    } else {
        Ids::Str(
            engine
                .buyer_keys()
                .zip(0u32..)
                .map(|(k, i)| (k.to_owned(), i))
                .collect(),
        )
    };
    Ok((batch, ids))
}

/// [`cover_batch`] with a prepared engine (BAT-7): its policy and its buyers, the ledger's
/// buyer column naming them by key.
#[pyfunction]
#[pyo3(signature = (ledger, engine, as_of, errors, threads=None))]
pub(crate) fn cover_batch_engine<'py>(
    py: Python<'py>,
    ledger: PyTable,
    engine: &Bound<'py, PyEngine>,
    as_of: &Bound<'py, PyAny>,
    errors: &str,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let raise = raise_mode(py, errors)?;
    let (batch, ids) = engine_batch(py, engine, as_of, &ledger)?;
    cover_rows(py, ledger, &batch, &ids, ENGINE_KEYS, raise, threads)
}

/// [`exposure_batch`] with a prepared engine (BAT-7): one row per buyer of the engine, in its
/// order, `buyer` its key.
#[pyfunction]
#[pyo3(signature = (ledger, engine, as_of, errors, threads=None))]
pub(crate) fn exposure_batch_engine<'py>(
    py: Python<'py>,
    ledger: PyTable,
    engine: &Bound<'py, PyEngine>,
    as_of: &Bound<'py, PyAny>,
    errors: &str,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let raise = raise_mode(py, errors)?;
    let (batch, ids) = engine_batch(py, engine, as_of, &ledger)?;
    let exposures = exposure_rows(py, ledger, &batch, &ids, ENGINE_KEYS, raise, threads)?;
    let keys: Vec<String> = engine.get().read().buyer_keys().map(str::to_owned).collect();
    exposures_table(py, &exposures, batch.currency(), Arc::new(StringArray::from(keys)))
}
