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
use arrow_schema::{DataType, Field, Schema};
use delcredere::batch::{Batch, BatchSetupDto, CoverColumns, Ledger, RowErrors, NO_DATE};
use delcredere::cover::CoverType;
use delcredere::money::parse_decimal;
use delcredere::overdue::InvoiceStatus;
use delcredere::Error;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;

use crate::errors::{core_error, rows_error};
use crate::from_python::PyInput;

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

fn ids(list: &Bound<'_, PyList>) -> PyResult<Ids> {
    if list.iter().all(|x| x.is_instance_of::<PyString>()) {
        let map = list
            .iter()
            .enumerate()
            .map(|(i, x)| Ok((x.extract::<String>()?, i as u32)));
        return Ok(Ids::Str(map.collect::<PyResult<_>>()?));
    }
    let map = list
        .iter()
        .enumerate()
        .map(|(i, x)| Ok((x.extract::<i64>()?, i as u32)));
    Ok(Ids::Int(map.collect::<PyResult<_>>()?))
}

/// Buyer positions; unknown or null buyers become row errors (position `u32::MAX`).
fn buyers(array: &ArrayRef, ids: &Ids, errors: &mut RowErrors) -> Result<Vec<u32>, Error> {
    let unknown = |i: usize, value: String| {
        (
            i,
            Error::UnknownValue {
                field: format!("rows[{i}].{BUYER}"),
                value,
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

/// Amounts as `i128` at one scale: decimal columns in place, integers at scale 0, decimal
/// strings parsed exactly. Floats are refused.
fn amounts<'a>(array: &'a ArrayRef, errors: &mut RowErrors) -> Result<(std::borrow::Cow<'a, [i128]>, u32), Error> {
    let field = format!("columns.{AMOUNT}");
    match array.data_type() {
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
            format!("amounts must be decimal128 or decimal strings, not {other} (floats are refused)"),
        )),
    }
}

/// A date column as days since 1970-01-01 (`date32` in place; timestamps and `date64` cast).
fn dates(array: &ArrayRef, name: &str) -> Result<ArrayRef, Error> {
    match array.data_type() {
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => cast(array, &DataType::Date32, name),
        // ISO strings (`2026-03-01`), as Dask turns object columns of dates into strings.
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => cast(array, &DataType::Date32, name),
        other => Err(bad(
            &format!("columns.{name}"),
            format!("dates must be date32, not {other}"),
        )),
    }
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

fn columns(table: &Table, ids: &Ids, errors: &mut RowErrors) -> Result<Columns, Error> {
    let buyer_array = required(table, BUYER)?;
    let amount_array = required(table, AMOUNT)?;
    let date = dates(&required(table, DATE)?, DATE)?;
    let terms_array = required(table, TERMS)?;
    let n = buyer_array.len();
    nulls(buyer_array.as_ref(), BUYER, errors);
    nulls(amount_array.as_ref(), AMOUNT, errors);
    nulls(date.as_ref(), DATE, errors);
    nulls(terms_array.as_ref(), TERMS, errors);
    let buyer = buyers(&buyer_array, ids, errors)?;
    // `int32` (as the sample ledger and pandas' int32 give it) read in place when no value is
    // negative, else converted as it is; other integers through `int64`.
    let terms = match terms_array.as_primitive_opt::<Int32Type>() {
        Some(t) if !any(t.values(), |v| v < 0) => Terms::Int32(t.values().inner().clone()),
        Some(t) => Terms::Owned(terms_of(t.values(), errors)),
        None => Terms::Owned(terms_of(
            cast(&terms_array, &DataType::Int64, TERMS)?
                .as_primitive::<Int64Type>()
                .values(),
            errors,
        )),
    };
    let end_of_month = match column(table, END_OF_MONTH)? {
        Some(a) => {
            let a = cast(&a, &DataType::Boolean, END_OF_MONTH)?;
            let b: &BooleanArray = a.as_boolean();
            Some((0..n).map(|i| b.is_valid(i) && b.value(i)).collect())
        }
        None => None,
    };
    let paid_on = match column(table, PAID_ON)? {
        Some(a) => {
            let a = dates(&a, PAID_ON)?;
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
/// built without it.
fn setup(py: Python<'_>, setup: &Bound<'_, PyAny>) -> PyResult<Batch> {
    let dto: BatchSetupDto = PyInput::whole(setup).parse(py)?;
    py.detach(|| Batch::new(&dto)).map_err(|e| core_error(py, &e))
}

/// Runs `f` on the ledger of `table` without the GIL.
fn with_ledger<T: Send>(
    py: Python<'_>,
    table: PyTable,
    ids: &Ids,
    f: impl FnOnce(&Ledger<'_>, RowErrors) -> Result<T, Error> + Send,
) -> PyResult<T> {
    let (batches, schema) = table.into_inner();
    let table = Table(batches, schema);
    let mut pre = RowErrors::new();
    let cols = columns(&table, ids, &mut pre).map_err(|e| core_error(py, &e))?;
    let (amount, scale) = amounts(&cols.amount_array, &mut pre).map_err(|e| core_error(py, &e))?;
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
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, a)| Field::new(*name, a.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|c| c.1).collect())
        .map_err(|e| core_error(py, &bad("result", e.to_string())))?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
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

fn rows_table<'py>(py: Python<'py>, out: CoverColumns, with_errors: bool) -> PyResult<Bound<'py, PyAny>> {
    let n = out.covered.len();
    let err = |e: Error| core_error(py, &e);
    // Bad rows get null figures (and, with `errors="column"`, a message).
    let nulls = (!out.errors.is_empty()).then(|| {
        let mut valid = vec![true; n];
        for (i, _) in &out.errors {
            if let Some(v) = valid.get_mut(*i) {
                *v = false;
            }
        }
        NullBuffer::from(valid)
    });
    let messages: Option<Vec<Option<String>>> = with_errors.then(|| {
        let mut messages = vec![None; n];
        for (i, e) in &out.errors {
            if let Some(m) = messages.get_mut(*i) {
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
        (
            "outstanding",
            decimal_column(out.outstanding, scale, &nulls).map_err(err)?,
        ),
        ("covered", decimal_column(out.covered, scale, &nulls).map_err(err)?),
        ("uncovered", decimal_column(out.uncovered, scale, &nulls).map_err(err)?),
        (
            "cover_type",
            cover_types_column(&out.cover_type, nulls.as_ref()).map_err(err)?,
        ),
        (
            "overdue_status",
            labels_column(
                &out.status,
                |s| s.map(|s| s as usize),
                &InvoiceStatus::ALL.map(InvoiceStatus::as_str),
                None,
            )
            .map_err(err)?,
        ),
        ("report_by", Arc::new(report_by)),
    ];
    if let Some(messages) = messages {
        columns.push(("error", Arc::new(StringArray::from(messages))));
    }
    to_table(py, columns)
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
            },
        )),
    }
}

/// Covered and uncovered amount per ledger row (BAT-1, BAT-2, BAT-6) and where it stands on
/// `asOf` (BAT-4); returns a `pyarrow.Table` with `outstanding`, `covered`, `uncovered`,
/// `cover_type`, `overdue_status`, `report_by` (and `error` when `errors="column"`). On
/// `threads` threads (default: the cores available), the ledger split by buyer in the core.
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
    let threads = threads.unwrap_or_else(delcredere::batch::available_threads);
    let raise = raise_mode(py, errors)?;
    let batch = self::setup(py, setup)?;
    let ids = ids(buyer_ids)?;
    let out = with_ledger(py, ledger, &ids, |l, pre| batch.cover_in_threads(l, pre, threads))?;
    if raise && !out.errors.is_empty() {
        return Err(rows_error(py, &out.errors));
    }
    rows_table(py, out, !raise)
}

/// Peak and current exposure per buyer of the table (BAT-3) and its expected indemnity (BAT-5);
/// returns a `pyarrow.Table` with one row per buyer. On `threads` threads, as `cover_batch`.
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
    let threads = threads.unwrap_or_else(delcredere::batch::available_threads);
    let raise = raise_mode(py, errors)?;
    let batch = self::setup(py, setup)?;
    let ids_map = ids(buyer_ids)?;
    let (exposures, row_errors) = with_ledger(py, ledger, &ids_map, |l, pre| {
        batch.exposures_in_threads(l, pre, threads)
    })?;
    if raise && !row_errors.is_empty() {
        return Err(rows_error(py, &row_errors));
    }
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
    let scale = all
        .iter()
        .map(|x| x.1)
        .max()
        .unwrap_or(0)
        .max(batch.currency().minor_units());
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
    let ids_column: ArrayRef = match ids_map {
        Ids::Int(_) => Arc::new(Int64Array::from(buyer_ids.extract::<Vec<i64>>()?)),
        Ids::Str(_) => Arc::new(StringArray::from(buyer_ids.extract::<Vec<String>>()?)),
    };
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
