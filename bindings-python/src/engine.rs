//! The core's [`Engine`] as the Python class `delcredere._delcredere.Engine`, the base of
//! `delcredere.Engine` (`spec/engine.md`).
//!
//! No method is written out here: [`PyEngine::call`] runs any method of the core's table
//! (`engine::methods::METHODS`, exported as `ENGINE_METHODS`) by name on its input read from
//! Python objects, and `delcredere.Engine` builds its methods from that table. What is here is
//! the constructors, the snapshot, and `cover_figures`, which reads its arguments without
//! building a DTO object and answers method `cover_figures`'s figures as a
//! [`PyCoverFigures`] (which also reads as that method's dict): plain arguments (a `dict`
//! delivery of the usual keys in the policy currency, a `Decimal`, `int` or `str` amount, a
//! `datetime.date` or ISO string, a buyer key or position) are read field by field; anything
//! else, and every error, goes the general way (the same read as method `cover_figures`), so
//! answers and errors are that method's.
//!
//! The engine sits behind a read-write lock: questions take it shared, changes exclusively.
//! Every call holds the GIL from start to end (inputs are Python objects), so the lock is never
//! waited on while the GIL is held by another lock holder.

use std::sync::{Mutex, PoisonError, RwLock};

use delcredere::cover::CoverFigures;
use delcredere::engine::methods::{method, METHODS};
use delcredere::engine::route::route;
use delcredere::engine::{BuyerId, Engine, EngineSetupDto};
use delcredere::{Error, NaiveDate};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString, PyTuple};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::errors::core_error;
use crate::figures::PyCoverFigures;
use crate::from_python::PyInput;
use crate::guarded;
use crate::to_python::to_python;

/// A policy and its buyers' accounts, held between calls (ACC). Build it with
/// `Engine(policy)`, `Engine(setup=...)` or `Engine(snapshot=...)`.
#[pyclass(module = "delcredere._delcredere", name = "Engine", subclass, frozen)]
pub(crate) struct PyEngine {
    inner: RwLock<Engine>,
    /// Python objects the fast path of `cover_figures` gives again (all immutable).
    kept: Mutex<Kept>,
}

/// How many `Decimal` objects [`Kept`] holds (direct-mapped by their value and scale): enough
/// that the limits of a few dozen buyers seldom share a place.
const KEPT_DECIMALS: usize = 1024;

/// The fast path's objects, kept between calls: `Decimal`s of the amounts it answered (a
/// buyer's limit, a zero of the currency's scale), the currency's `str`, and the last dates
/// and `Decimal` amount it read with their values. A `Decimal`, a `str` and a `date` are
/// immutable, so one object may be the answer of many calls (and an object read again has
/// the value it had).
struct Kept {
    decimals: Vec<Option<([u8; 16], Py<PyAny>)>>,
    currency: Option<(delcredere::Currency, Py<PyString>)>,
    /// The last question's `date` and the last delivery's, with their values.
    dates: [Option<(Py<PyAny>, NaiveDate)>; 2],
    /// The last delivery's `Decimal` amount, with its value.
    amount: Option<(Py<PyAny>, Decimal)>,
}

impl Kept {
    fn new() -> Self {
        Kept {
            decimals: (0..KEPT_DECIMALS).map(|_| None).collect(),
            currency: None,
            dates: [None, None],
            amount: None,
        }
    }
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
    /// from `setup` (`{"policy", "buyers": [{"id", "buyer", "events"}]}`) or from `snapshot`:
    /// the text of `snapshot()` (`str`, or `bytes` in UTF-8) or the bytes of `to_bytes()`.
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
                if let Ok(bytes) = snapshot.cast::<PyBytes>() {
                    if delcredere::engine::is_snapshot_bytes(bytes.as_bytes()) {
                        return Engine::restore_bytes(bytes.as_bytes()).map_err(|e| core_error(py, &e));
                    }
                }
                let text = snapshot_text(py, snapshot)?;
                Engine::restore(&text).map_err(|e| core_error(py, &e))
            }
            _ => Err(one_of_three(py)),
        })?;
        Ok(PyEngine {
            inner: RwLock::new(engine),
            kept: Mutex::new(Kept::new()),
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

    /// The covered and uncovered parts of `delivery` (a dict) for the buyer `buyer` (its key,
    /// or its position: what `add_buyer` or `buyer_id` returned) on `as_of` (a `datetime.date`
    /// or an ISO string), without the explanation: method `cover_figures`, read without
    /// building its input object.
    #[pyo3(signature = (buyer, delivery, as_of))]
    fn cover_figures<'py>(
        &self,
        py: Python<'py>,
        buyer: &Bound<'py, PyAny>,
        delivery: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let engine = self.read();
            match fast_figures(py, &engine, &self.kept, buyer, delivery, as_of) {
                Some(answer) => answer,
                None => general_figures(py, &engine, buyer, delivery, as_of),
            }
        })
    }

    /// The position of the buyer with key `key` (what `add_buyer` returned for it), or `None`
    /// when the engine holds no such buyer: `cover_figures` takes it in place of the key.
    fn buyer_id(&self, key: &str) -> Option<usize> {
        self.read().buyer_id(key).map(BuyerId::index)
    }

    /// The engine as snapshot text (format version 1): `Engine(snapshot=text)` reads it back.
    fn snapshot(&self, py: Python<'_>) -> PyResult<String> {
        crate::guarded_value(py, || self.read().snapshot().map_err(|e| core_error(py, &e)))
    }

    /// The engine as a binary snapshot (format version 2, `bytes`): `Engine(snapshot=data)`
    /// reads it back, faster than the text of `snapshot()`, without reading the logs again.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = crate::guarded_value(py, || self.read().snapshot_bytes().map_err(|e| core_error(py, &e)))?;
        Ok(PyBytes::new(py, &bytes))
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

/// `cover_figures` for any arguments: the general read, as method `cover_figures` reads its
/// input, and its errors. Out of line and cold, so that the fast path's code stays compact.
#[cold]
#[inline(never)]
fn general_figures<'py>(
    py: Python<'py>,
    engine: &Engine,
    buyer: &Bound<'py, PyAny>,
    delivery: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let args: FiguresArgs = PyInput::fields(vec![("delivery", delivery.clone()), ("asOf", as_of.clone())]).parse(py)?;
    let figures = match buyer_arg(py, engine, buyer)? {
        Buyer::Key(key) => engine.cover_figures_of(key.as_str(), &args.delivery, args.as_of.0),
        Buyer::Id(id) => engine.cover_figures_of(id, &args.delivery, args.as_of.0),
    }
    .map_err(|e| core_error(py, &e))?;
    figures_object(py, &figures, None, None)
}

/// How `cover_figures` was told the buyer: by key, or by position.
enum Buyer {
    Key(pyo3::pybacked::PyBackedStr),
    Id(BuyerId),
}

/// The buyer argument of `cover_figures`: a key (`str`) or a position (`int`, not `bool`); a
/// position the engine does not hold is `unknown_buyer` (value `#7`), anything else
/// `invalid_type` (field `buyer`).
fn buyer_arg(py: Python<'_>, engine: &Engine, buyer: &Bound<'_, PyAny>) -> PyResult<Buyer> {
    if let Ok(key) = buyer.cast::<PyString>() {
        return Ok(Buyer::Key(pyo3::pybacked::PyBackedStr::try_from(key.clone())?));
    }
    if buyer.is_instance_of::<PyInt>() && !buyer.is_instance_of::<PyBool>() {
        let n: i128 = buyer.extract().unwrap_or(i128::MAX);
        return usize::try_from(n)
            .ok()
            .and_then(|i| engine.buyer_at(i))
            .map(Buyer::Id)
            .ok_or_else(|| {
                let e = Error::UnknownBuyer {
                    field: "buyer".to_owned(),
                    value: format!("#{n}"),
                };
                core_error(py, &e)
            });
    }
    let e = Error::InvalidType {
        field: "buyer".to_owned(),
        detail: format!(
            "expected a buyer key (str) or position (int), found {}",
            buyer.get_type().name()?
        ),
    };
    Err(core_error(py, &e))
}

/// An amount of the fast path: an exact `Decimal` (its text has no exponent, so it is
/// `format(d, "f")`, the general read's text), an `int` within 64 bits or a `str`, read as
/// the general read reads them; with whether it was a `Decimal`. `None` for anything else, or
/// text the core refuses.
fn fast_amount(py: Python<'_>, obj: &Bound<'_, PyAny>) -> Option<(Decimal, bool)> {
    if obj.get_type_ptr() == crate::from_python::decimal_type(py).ok()?.as_type_ptr() {
        let text = obj.str().ok()?;
        let text = text.to_str().ok()?;
        // The usual amount ("1234.50"), read in one pass.
        if let Some(d) = delcredere::money::parse_plain_decimal(text) {
            return Some((d, true));
        }
        if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') {
            return None; // an exponent, NaN or Infinity: the general read words it
        }
        return delcredere::money::parse_decimal("", text).ok().map(|d| (d, true));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        return obj.extract::<i64>().ok().map(|n| (Decimal::from(n), false));
    }
    if obj.is_exact_instance_of::<PyString>() {
        let text = obj.cast::<PyString>().ok()?.to_str().ok()?;
        return delcredere::money::parse_decimal("", text).ok().map(|d| (d, false));
    }
    None
}

/// Whether `obj` is an exact `datetime.date`.
fn is_date(py: Python<'_>, obj: &Bound<'_, PyAny>) -> bool {
    crate::from_python::date_type(py).is_ok_and(|t| obj.get_type_ptr() == t.as_type_ptr())
}

/// A date of the fast path: an exact `datetime.date` or an ISO `str`.
fn fast_date(py: Python<'_>, obj: &Bound<'_, PyAny>) -> Option<NaiveDate> {
    if is_date(py, obj) {
        let ordinal: i32 = obj.call_method0(intern!(py, "toordinal")).ok()?.extract().ok()?;
        return NaiveDate::from_num_days_from_ce_opt(ordinal);
    }
    if obj.is_exact_instance_of::<PyString>() {
        return delcredere::calendar::parse_date("", obj.cast::<PyString>().ok()?.to_str().ok()?).ok();
    }
    None
}

/// [`fast_date`], given again when `obj` is a `date` object `kept` holds (the question's date
/// and the last delivery's: the same objects are often asked again) or a `date` equal to one
/// (deliveries of the same day: `date.__eq__` compares the two in C, cheaper than reading the
/// date again); a `date` read is kept in slot `slot`, which is also looked at first (a
/// delivery's date is most often the last delivery's, the question's date the last
/// question's: one comparison instead of two).
fn kept_date(py: Python<'_>, kept: Option<&mut Kept>, obj: &Bound<'_, PyAny>, slot: usize) -> Option<NaiveDate> {
    let Some(kept) = kept else {
        return fast_date(py, obj);
    };
    let [first, second] = &kept.dates;
    let (mine, other) = if slot == 0 { (first, second) } else { (second, first) };
    for (o, date) in [mine, other].into_iter().flatten() {
        if o.bind(py).is(obj) {
            return Some(*date);
        }
    }
    let is_date = is_date(py, obj);
    if is_date {
        // Both exact `date`s: equal is the same day.
        for (o, date) in [mine, other].into_iter().flatten() {
            if o.bind(py).eq(obj).ok()? {
                return Some(*date);
            }
        }
    }
    let date = fast_date(py, obj)?;
    if is_date {
        if let Some(entry) = kept.dates.get_mut(slot) {
            *entry = Some((obj.clone().unbind(), date));
        }
    }
    Some(date)
}

/// The delivery's amount as the caller gave it, a `Decimal` object, with its value.
type Given<'py> = (Bound<'py, PyAny>, Decimal);

/// A delivery of the fast path, read from its dict.
struct Plain<'py> {
    amount: Decimal,
    currency: Bound<'py, PyAny>,
    date: NaiveDate,
    terms: u32,
    end_of_month: bool,
    /// The amount's `Decimal` object, when it was one.
    given: Option<Given<'py>>,
}

/// The delivery of the fast path: an exact `dict` of `amount` (an exact `dict` of `amount` and
/// `currency`, a `str`), `date`, `paymentTermsDays` (an `int`) and, if given, `endOfMonth` (a
/// `bool`), and no other key. Each key is looked up (the caller's keys are the same interned
/// strings), not iterated over.
fn fast_delivery<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>, mut kept: Option<&mut Kept>) -> Option<Plain<'py>> {
    if !obj.is_exact_instance_of::<PyDict>() {
        return None;
    }
    let dict = obj.cast::<PyDict>().ok()?;
    let end_of_month = match dict.len() {
        3 => false,
        4 => {
            let value = dict.get_item(intern!(py, "endOfMonth")).ok()??;
            if !value.is_exact_instance_of::<PyBool>() {
                return None;
            }
            value.extract::<bool>().ok()?
        }
        _ => return None,
    };
    let money = dict.get_item(intern!(py, "amount")).ok()??;
    if !money.is_exact_instance_of::<PyDict>() {
        return None;
    }
    let money = money.cast_into::<PyDict>().ok()?;
    if money.len() != 2 {
        return None;
    }
    let amount_obj = money.get_item(intern!(py, "amount")).ok()??;
    let currency = money.get_item(intern!(py, "currency")).ok()??;
    if !currency.is_exact_instance_of::<PyString>() {
        return None;
    }
    // The same `Decimal` object as the last call's: its value again.
    let kept_amount = kept
        .as_deref()
        .and_then(|k| k.amount.as_ref())
        .filter(|(o, _)| o.bind(py).is(&amount_obj));
    let (amount, decimal) = match kept_amount {
        Some((_, d)) => (*d, true),
        None => {
            let (d, decimal) = fast_amount(py, &amount_obj)?;
            if let (true, Some(k)) = (decimal, kept.as_deref_mut()) {
                k.amount = Some((amount_obj.clone().unbind(), d));
            }
            (d, decimal)
        }
    };
    let date = kept_date(py, kept, &dict.get_item(intern!(py, "date")).ok()??, 1)?;
    let terms = dict.get_item(intern!(py, "paymentTermsDays")).ok()??;
    if !terms.is_exact_instance_of::<PyInt>() {
        return None;
    }
    Some(Plain {
        amount,
        currency,
        date,
        terms: terms.extract::<u32>().ok()?,
        end_of_month,
        given: decimal.then_some((amount_obj, amount)),
    })
}

/// `cover_figures` for plain arguments, its answer built directly: `None` when an argument is
/// not plain, its currency is not the policy's, or the core answers with an error (the
/// general read then answers, as method `cover_figures` does, and raises its error).
fn fast_figures<'py>(
    py: Python<'py>,
    engine: &Engine,
    kept: &Mutex<Kept>,
    buyer: &Bound<'py, PyAny>,
    delivery: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    // Another thread using the kept objects: this call keeps none.
    let mut kept = kept.try_lock().ok();
    let plain = fast_delivery(py, delivery, kept.as_deref_mut())?;
    let as_of = kept_date(py, kept.as_deref_mut(), as_of, 0)?;
    // The amount in the policy currency (any other: the general read's error), checked as
    // method cover_figures checks a delivery (Engine::planned).
    let currency = plain.currency.cast::<PyString>().ok()?.to_str().ok()?;
    if engine.policy().currency.as_deref() != Some(currency) {
        return None;
    }
    let delivery = engine
        .planned_parts(
            plain.amount,
            plain.date,
            plain.terms,
            plain.end_of_month,
            delcredere::ReceivableKind::Goods,
            delcredere::PaymentSecurity::default(),
        )
        .ok()?;
    let figures = if buyer.is_exact_instance_of::<PyInt>() {
        let id = engine.buyer_at(usize::try_from(buyer.extract::<i64>().ok()?).ok()?)?;
        engine.cover_figures(id, &delivery, as_of)
    } else if buyer.is_exact_instance_of::<PyString>() {
        engine.cover_figures(buyer.cast::<PyString>().ok()?.to_str().ok()?, &delivery, as_of)
    } else {
        return None;
    }
    .ok()?;
    Some(figures_object(py, &figures, plain.given.as_ref(), kept.as_deref_mut()))
}

/// A `Decimal` of `m`'s text (value and scale), from `kept` when it holds one.
fn decimal_object<'py>(py: Python<'py>, m: Decimal, kept: Option<&mut Kept>) -> PyResult<Bound<'py, PyAny>> {
    let key = m.serialize();
    let bits = u128::from_le_bytes(key);
    let slot = ((bits ^ (bits >> 64)) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - KEPT_DECIMALS.ilog2());
    let slot = usize::try_from(slot).unwrap_or(0) % KEPT_DECIMALS;
    if let Some(Some((k, obj))) = kept.as_ref().and_then(|k| k.decimals.get(slot)) {
        if *k == key {
            return Ok(obj.bind(py).clone());
        }
    }
    new_decimal(py, m, key, kept.and_then(|k| k.decimals.get_mut(slot)))
}

/// A new `Decimal` of `m`'s text, kept in `entry` under `key` (`m.serialize()`) (out of line:
/// most answers are kept ones).
#[inline(never)]
fn new_decimal<'py>(
    py: Python<'py>,
    m: Decimal,
    key: [u8; 16],
    entry: Option<&mut Option<([u8; 16], Py<PyAny>)>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut buf = [0u8; 32];
    let text = match decimal_text(m, &mut buf) {
        Some(text) => PyString::new(py, text),
        None => PyString::new(py, &m.to_string()),
    };
    let obj = crate::from_python::decimal_type(py)?.call1((text,))?;
    if let Some(entry) = entry {
        *entry = Some((key, obj.clone().unbind()));
    }
    Ok(obj)
}

/// `m`'s text written into `buf` without allocating: its digits, a `.` before the last
/// `scale` of them (a `0` before the `.` when there is no other), a `-` when negative; so
/// `Decimal(text)` has `m`'s value and scale, as `Decimal(m.to_string())` has. `None` for a
/// zero (its sign as `to_string` writes it) or a mantissa beyond 64 bits.
fn decimal_text(m: Decimal, buf: &mut [u8; 32]) -> Option<&str> {
    if m.is_zero() {
        return None;
    }
    let mut n = u64::try_from(m.mantissa().unsigned_abs()).ok()?;
    let scale = m.scale();
    let mut at = buf.len();
    let mut digits = 0u32;
    let mut put = |at: &mut usize, b: u8| -> Option<()> {
        *at = at.checked_sub(1)?;
        *buf.get_mut(*at)? = b;
        Some(())
    };
    loop {
        if digits == scale && scale > 0 {
            put(&mut at, b'.')?;
        }
        put(&mut at, b'0' + (n % 10) as u8)?;
        n /= 10;
        digits += 1;
        if n == 0 && digits > scale {
            break;
        }
    }
    if m.is_sign_negative() {
        put(&mut at, b'-')?;
    }
    std::str::from_utf8(buf.get(at..)?).ok()
}

/// The answer for `f` ([`PyCoverFigures`]): an amount equal to the delivery's `Decimal` in
/// value and scale is that object (a `Decimal` is immutable), the others `Decimal`s of the same
/// text as the general path's (from `kept` when it holds one).
fn figures_object<'py>(
    py: Python<'py>,
    f: &CoverFigures,
    given: Option<&Given<'py>>,
    mut kept: Option<&mut Kept>,
) -> PyResult<Bound<'py, PyAny>> {
    let code = f.covered.currency;
    let currency = match kept.as_deref_mut() {
        Some(Kept {
            currency: Some((c, obj)),
            ..
        }) if *c == code => obj.bind(py).clone(),
        Some(k) => {
            let obj = PyString::new(py, code.code());
            k.currency = Some((code, obj.clone().unbind()));
            obj
        }
        None => PyString::new(py, code.code()),
    };
    let decimal = |m: Decimal| match given {
        Some((obj, d)) if d.serialize() == m.serialize() => Ok(obj.clone()),
        _ => decimal_object(py, m, kept.as_deref_mut()),
    };
    Ok(PyCoverFigures::new(py, f, currency, decimal)?.into_any())
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
