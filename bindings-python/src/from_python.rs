//! Python objects read straight into the core's input DTOs.
//!
//! [`PyInput`] is an op's input as Python objects: an [`ffi::Source`] whose deserializer walks
//! the objects themselves, without building a `serde_json::Value` first. Accepted: `dict` with
//! `str` keys (any other `Mapping` as a dict of its items), `list`/`tuple`, `str`, `bool`,
//! `int` (within i64/u64), `float` (passed on as a float: the core refuses it,
//! `invalid_amount` for amounts), `decimal.Decimal` (as its plain decimal string,
//! `format(d, "f")`), `datetime.date` (as its ISO string) and `None`. Anything else is an
//! `InputError` naming the field path.
//!
//! Every answer is the one of the former path (Python objects to a `serde_json::Value`, the
//! value to the core):
//! - the deserializer drives the core's visitors as the owned `serde_json::Value` deserializer
//!   does (same visit calls, same `Unexpected` in errors, the same check that a map or a list
//!   was read to its end), with `serde_json::Error` as its error, so that the core turns its
//!   errors into the same codes, fields and messages;
//! - the limits are the core's ([`MAX_DEPTH`], [`MAX_INPUT_BYTES`]), counted as the core counts
//!   a value: bytes of strings and keys, 8 for any other scalar;
//! - errors come in the former order. A value that does not convert, anywhere in the input,
//!   was refused before the core saw the input: it is raised whatever the core makes of a
//!   failed read. Then an input over the limits, then serde's error. A read stops at its first
//!   problem, so only when it fails does a second walk over the whole input
//!   ([`PyInput::diagnose`]) find which error the former path gave; a third read then gives
//!   the core the input's tree ([`ffi::deserialize_twice`]), to place an error inside a tagged
//!   enum as it does for JSON. A float where an amount is expected is worded for Python
//!   ("a float (15000.5) is not an amount: give a Decimal or a string").
//!
//! The input is read with the GIL held; the op's computation releases it when the input is
//! large ([`Gil`]).

use std::cell::{Cell, OnceCell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

use delcredere::error::truncated;
use delcredere::error::AmountGiven;
use delcredere::ffi::{self, Compute, Output, Source, MAX_DEPTH, MAX_INPUT_BYTES};
use delcredere::Error;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Error as _, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;
use serde_json::Error as JsonError;

use crate::errors::core_error;

/// Inputs of at least this many bytes (as the core counts them) are computed with the GIL
/// released, so that other Python threads run meanwhile. Smaller ones keep it: such a call
/// holds the GIL for about a millisecond at most (measured, release build: `account_state` on
/// 770 events, 64 KiB, 1.3 ms read and computed), under Python's switch interval (5 ms), and
/// saves the release and retake: 30 ns with no other thread (a trivial pyo3 function: 63 ns,
/// 93 ns with a release), and, when another thread has waited a switch interval for the GIL,
/// a hand-over until that thread's next switch (up to 5 ms).
pub(crate) const DETACH_FROM_BYTES: usize = 64 * 1024;

/// `decimal.Decimal`, imported once: the one cache every reader and writer of the module uses.
pub(crate) fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

/// `datetime.date`, imported once (as [`decimal_type`]).
pub(crate) fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DATE.import(py, "datetime", "date")
}

/// An op's input as Python objects. Cheap to clone (the clones share their [`State`]).
#[derive(Clone)]
pub(crate) struct PyInput<'py> {
    root: Root<'py>,
    state: Rc<State>,
}

#[derive(Clone)]
enum Root<'py> {
    /// One object, the input itself (`call(op, input)`, a batch setup): paths start at it.
    Whole(Bound<'py, PyAny>),
    /// Named arguments, the fields of the input object in this order; paths start at the names.
    Fields(Rc<[(&'static str, Bound<'py, PyAny>)]>),
}

/// Why a value was refused before the core saw it.
enum Fail {
    Core(Error),
    Py(PyErr),
}

impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Self {
        Fail::Py(e)
    }
}

/// What the reads of one input share.
#[derive(Default)]
struct State {
    /// Reads count bytes against [`MAX_INPUT_BYTES`] (not for `call`'s op name, which the
    /// former path did not limit).
    unlimited: bool,
    /// Bytes counted by the last read: what decides where the computation runs.
    bytes: Cell<usize>,
    /// The last read stopped at a value that does not convert, a limit or a Python exception:
    /// its serde error says nothing then.
    stopped: Cell<bool>,
    /// The Python exception that stopped the last read.
    py_error: RefCell<Option<PyErr>>,
    /// The whole input converts (`Ok`, with its size), or the error the former path raised
    /// before the core.
    converts: OnceCell<Result<Size, ()>>,
    /// That error, until it is raised.
    fail: RefCell<Option<Fail>>,
    /// The core's limit error on the input, if any (once [`PyInput::diagnose`] looked).
    over_limits: OnceCell<Option<Error>>,
    /// Whether `list`, `tuple`, `Decimal` and `date` are `collections.abc.Mapping`s (no,
    /// unless registered as such): known for the read once found (see [`MAPPINGS`]).
    mapping: [Cell<Option<bool>>; 4],
    /// `abc.get_cache_token()` when the read asked for it (`None` if that failed).
    abc_token: OnceCell<Option<u64>>,
}

/// `abc.get_cache_token()`: it changes whenever a class is registered with any ABC.
fn abc_token(py: Python<'_>) -> Option<u64> {
    static GET_CACHE_TOKEN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let get = GET_CACHE_TOKEN.import(py, "abc", "get_cache_token").ok()?;
    get.call0().ok()?.extract().ok()
}

/// The answers of [`State::is_mapping`] for the builtins that [`Exact`] names, across calls:
/// valid while the ABC cache token is the one they were found under (only a `register()`
/// can make a `list` a `Mapping`, and it changes the token). Read and written with the GIL
/// held.
struct Mappings {
    token: AtomicU64,
    /// 0: not known, 1: not a mapping, 2: a mapping.
    answers: [AtomicU8; 4],
}

static MAPPINGS: Mappings = Mappings {
    token: AtomicU64::new(u64::MAX),
    answers: [const { AtomicU8::new(0) }; 4],
};

impl Mappings {
    fn get(&self, token: Option<u64>, exact: Exact) -> Option<bool> {
        let token = token?;
        if self.token.load(Ordering::Relaxed) != token {
            for answer in &self.answers {
                answer.store(0, Ordering::Relaxed);
            }
            self.token.store(token, Ordering::Relaxed);
        }
        match self.answers.get(exact as usize)?.load(Ordering::Relaxed) {
            1 => Some(false),
            2 => Some(true),
            _ => None,
        }
    }

    fn set(&self, token: Option<u64>, exact: Exact, mapping: bool) {
        if let (Some(token), Some(answer)) = (token, self.answers.get(exact as usize)) {
            if self.token.load(Ordering::Relaxed) == token {
                answer.store(if mapping { 2 } else { 1 }, Ordering::Relaxed);
            }
        }
    }
}

impl State {
    fn stop(&self) -> JsonError {
        self.stopped.set(true);
        JsonError::custom("input refused before reading")
    }

    fn stop_py(&self, e: PyErr) -> JsonError {
        *self.py_error.borrow_mut() = Some(e);
        self.stop()
    }

    /// Whether `obj` is a `collections.abc.Mapping`. For the builtins that [`Exact`] names
    /// (whose instances cannot lie about their class) the answer is their type's, kept for
    /// the read and across reads ([`MAPPINGS`]).
    fn is_mapping(&self, obj: &Bound<'_, PyAny>, exact: Exact) -> bool {
        let ask = || obj.cast::<PyMapping>().is_ok();
        let Some(cached) = self.mapping.get(exact as usize) else {
            return ask();
        };
        if let Some(answer) = cached.get() {
            return answer;
        }
        let token = *self.abc_token.get_or_init(|| abc_token(obj.py()));
        let answer = MAPPINGS.get(token, exact).unwrap_or_else(|| {
            let answer = ask();
            MAPPINGS.set(token, exact, answer);
            answer
        });
        cached.set(Some(answer));
        answer
    }

    /// Runs `f` on the text of a map key, counted against the limits: an argument name, or a
    /// `str` key's UTF-8 as Python holds it (read in place, not copied). A key that is not a
    /// `str`, or not valid unicode, stops the read.
    fn with_key<R>(&self, key: &Key<'_>, f: impl FnOnce(&str) -> Result<R, JsonError>) -> Result<R, JsonError> {
        let text = match key {
            Key::Name(name) => name,
            Key::Py(key) => match key.cast::<PyString>().ok().and_then(|s| s.to_str().ok()) {
                Some(text) => text,
                None => return Err(self.stop()),
            },
        };
        self.add(text.len())?;
        f(text)
    }

    fn add(&self, bytes: usize) -> Result<(), JsonError> {
        let total = self.bytes.get().saturating_add(bytes);
        self.bytes.set(total);
        if total > MAX_INPUT_BYTES && !self.unlimited {
            return Err(self.stop());
        }
        Ok(())
    }

    /// The core's answer, or the error the former path raised before the core.
    fn answer<T>(&self, py: Python<'_>, result: Result<T, Error>) -> PyResult<T> {
        self.answer_mapped(py, result, &|e| e)
    }

    /// [`State::answer`], with `map` applied to a typed error.
    fn answer_mapped<T>(&self, py: Python<'_>, result: Result<T, Error>, map: &dyn Fn(Error) -> Error) -> PyResult<T> {
        match self.fail.borrow_mut().take() {
            Some(Fail::Py(e)) => Err(e),
            Some(Fail::Core(e)) => Err(core_error(py, &map(e))),
            None => result.map_err(|e| core_error(py, &map(e))),
        }
    }
}

impl<'py> PyInput<'py> {
    /// The input `obj` itself.
    pub(crate) fn whole(obj: &Bound<'py, PyAny>) -> Self {
        PyInput {
            root: Root::Whole(obj.clone()),
            state: Rc::default(),
        }
    }

    /// An input object of these fields, in this order.
    pub(crate) fn fields(fields: Vec<(&'static str, Bound<'py, PyAny>)>) -> Self {
        PyInput {
            root: Root::Fields(fields.into()),
            state: Rc::default(),
        }
    }

    /// Runs op `op` of the core on the input; the computation runs through [`Gil`].
    pub(crate) fn call(self, py: Python<'py>, op: &str) -> PyResult<Output> {
        let state = Rc::clone(&self.state);
        let gil = Gil {
            py,
            state: Rc::clone(&state),
        };
        let result = ffi::call_source(op, self, &gil);
        state.answer(py, result)
    }

    /// Reads the input as `T` (as an op reads its input), with the GIL held.
    pub(crate) fn parse<T: DeserializeOwned>(self, py: Python<'py>) -> PyResult<T> {
        self.parse_mapped(py, &|e| e)
    }

    /// [`PyInput::parse`], with `map` applied to its typed error (e.g. to name a list's items
    /// by the keys they came from).
    pub(crate) fn parse_mapped<T: DeserializeOwned>(
        self,
        py: Python<'py>,
        map: &dyn Fn(Error) -> Error,
    ) -> PyResult<T> {
        let state = Rc::clone(&self.state);
        let result = ffi::parse(self);
        state.answer_mapped(py, result, map)
    }

    /// Runs `f` on the input (e.g. an engine method reading it as its DTO) and raises its
    /// error, or the error of a value that did not convert, as [`PyInput::parse`] does.
    pub(crate) fn run<R>(self, py: Python<'py>, f: impl FnOnce(Self) -> Result<R, Error>) -> PyResult<R> {
        let state = Rc::clone(&self.state);
        let result = f(self);
        state.answer(py, result)
    }

    /// Raises the error of a value that does not convert, if there is one: what the former
    /// path did first, also for an op the core does not know (which reads nothing).
    pub(crate) fn check_converts(&self, py: Python<'py>) -> PyResult<()> {
        let _ = self.converts();
        self.state.answer(py, Ok(()))
    }

    /// Whether every value converts; if not, the error is kept for [`State::answer`].
    fn converts(&self) -> bool {
        self.size().is_some()
    }

    /// The input's size as the core counts it, if every value converts.
    fn size(&self) -> Option<Size> {
        let state = &self.state;
        let converts = state.converts.get_or_init(|| {
            let mut size = Size::default();
            let walk = match &self.root {
                Root::Whole(obj) => check(obj, &mut String::new(), 0, state, &mut size),
                Root::Fields(fields) => {
                    // The input object holds the arguments: one level more, and their names.
                    size.levels_above = 1;
                    fields.iter().try_for_each(|(name, obj)| {
                        size.bytes = size.bytes.saturating_add(name.len());
                        check(obj, &mut (*name).to_owned(), 0, state, &mut size)
                    })
                }
            };
            walk.map(|()| size)
                .map_err(|fail| *state.fail.borrow_mut() = Some(fail))
        });
        converts.ok()
    }

    /// The error of a failed read of `T`, in the former path's order (see the module's doc).
    fn diagnose<T: DeserializeOwned>(&self) -> Error {
        if !self.converts() {
            // Raised instead of whatever the core makes of this error.
            return refused();
        }
        if let Some(e) = self.state.py_error.borrow_mut().take() {
            // An exception that the conversion walk did not meet again: raised as well.
            *self.state.fail.borrow_mut() = Some(Fail::Py(e));
            return refused();
        }
        if self.size().is_some_and(|size| size.over_limits()) {
            if let Some(e) = self.over_limits() {
                return e;
            }
        }
        // Serde's error: the read again, with the field path tracked this time (the first read
        // does not pay for it). Same objects, same visits: the same error.
        let state = &*self.state;
        state.bytes.set(0);
        state.stopped.set(false);
        // A third read, into the core's tree of the input, places an error inside an internally
        // tagged enum as the core does for JSON; it counts nothing and raises nothing.
        let again = State {
            unlimited: true,
            ..State::default()
        };
        let tracked = self.root_kind(state).map_err(|_| None).and_then(|kind| {
            let first = De { kind, depth: 0, state };
            match self.root_kind(&again) {
                Ok(kind) => ffi::deserialize_twice::<_, T>(
                    first,
                    De {
                        kind,
                        depth: 0,
                        state: &again,
                    },
                ),
                Err(_) => ffi::deserialize_from::<_, T>(first),
            }
            .map_err(Some)
        });
        match tracked {
            Err(Some(e)) if !state.stopped.get() => self.in_python_words(e),
            _ => Error::Internal {
                detail: "an input read failed once and not twice".to_owned(),
            },
        }
    }

    /// A float where an amount is expected, in the words of Python: "a float (15000.5) is not
    /// an amount: give a Decimal or a string", the float as Python shows it.
    fn in_python_words(&self, e: Error) -> Error {
        match e {
            Error::InvalidAmount {
                field,
                value,
                given: AmountGiven::Number,
            } => {
                let value = match (self.py(), value.parse::<f64>()) {
                    (Some(py), Ok(v)) => PyFloat::new(py, v).repr().map_or(value, |repr| repr.to_string()),
                    _ => value,
                };
                Error::InvalidAmount {
                    field,
                    value,
                    given: AmountGiven::Float,
                }
            }
            other => other,
        }
    }

    fn py(&self) -> Option<Python<'py>> {
        match &self.root {
            Root::Whole(obj) => Some(obj.py()),
            Root::Fields(fields) => fields.first().map(|(_, obj)| obj.py()),
        }
    }

    /// The core's limit error on the input, found as the core finds it on a value: depth
    /// first from the last entry, counting as it goes.
    fn over_limits(&self) -> Option<Error> {
        self.state
            .over_limits
            .get_or_init(|| match self.limits_walk() {
                Ok(found) => found,
                Err(e) => {
                    *self.state.fail.borrow_mut() = Some(Fail::Py(e));
                    Some(refused())
                }
            })
            .clone()
    }

    fn limits_walk(&self) -> PyResult<Option<Error>> {
        let mut stack: Vec<(Bound<'py, PyAny>, usize)> = Vec::new();
        let mut bytes = 0usize;
        match &self.root {
            Root::Whole(obj) => stack.push((obj.clone(), 0)),
            Root::Fields(fields) => {
                for (name, obj) in fields.iter() {
                    bytes = bytes.saturating_add(name.len());
                    stack.push((obj.clone(), 1));
                }
                if bytes > MAX_INPUT_BYTES {
                    return Ok(Some(ffi::too_large(bytes)));
                }
            }
        }
        while let Some((obj, depth)) = stack.pop() {
            match classify(&obj, &self.state) {
                Ok(Kind::Str(s)) => bytes = bytes.saturating_add(s.len()),
                Ok(Kind::Map(_) | Kind::Seq(_)) if depth >= MAX_DEPTH => return Ok(Some(ffi::too_deep("input"))),
                Ok(Kind::Seq(items)) => {
                    for i in 0..items.len() {
                        stack.push((items.get(i)?, depth + 1));
                    }
                }
                Ok(Kind::Map(entries)) => {
                    for entry in entries.iter() {
                        let (key, value) = entry;
                        let key = key.text().map_err(|_| not_converted())?;
                        bytes = bytes.saturating_add(key.len());
                        stack.push((value, depth + 1));
                    }
                }
                Ok(_) => bytes = bytes.saturating_add(8),
                Err(Bad::Py(e)) => return Err(e),
                Err(_) => return Err(not_converted()),
            }
            if bytes > MAX_INPUT_BYTES {
                return Ok(Some(ffi::too_large(bytes)));
            }
        }
        Ok(None)
    }

    fn root_kind(&self, state: &State) -> Result<Kind<'py>, JsonError> {
        match &self.root {
            Root::Whole(obj) => read(obj, 0, state),
            Root::Fields(fields) => Ok(Kind::Map(Entries::Fields(Rc::clone(fields)))),
        }
    }
}

/// The placeholder error the core gets when the former path would not have called it; the
/// binding raises the kept error instead ([`State::answer`]).
fn refused() -> Error {
    Error::InvalidType {
        field: "input".to_owned(),
        detail: "refused before reading".to_owned(),
    }
}

/// A value that converted once and not a second time (a Python object that changed).
fn not_converted() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("an input value changed while it was read")
}

impl Source for PyInput<'_> {
    fn is_object(&self) -> bool {
        match &self.root {
            Root::Fields(_) => true,
            Root::Whole(obj) if obj.is_instance_of::<PyDict>() => true,
            // Not a dict: the former path converted it first (its error comes first), then the
            // core looked at what it was.
            Root::Whole(obj) => self.converts() && matches!(classify(obj, &self.state), Ok(Kind::Map(_))),
        }
    }

    fn deserialize<T: DeserializeOwned>(self) -> Result<T, Error> {
        let state = &*self.state;
        state.bytes.set(0);
        state.stopped.set(false);
        // Without tracking the field path: that is done only to report an error.
        let read = self
            .root_kind(state)
            .and_then(|kind| T::deserialize(De { kind, depth: 0, state }));
        match read {
            Ok(value) if !state.stopped.get() => Ok(value),
            _ => Err(self.diagnose::<T>()),
        }
    }
}

/// Runs an op's computation with the GIL released when its input was large
/// ([`DETACH_FROM_BYTES`]); the input itself was read with the GIL held.
pub(crate) struct Gil<'py> {
    py: Python<'py>,
    state: Rc<State>,
}

impl Compute for Gil<'_> {
    fn compute<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        if self.state.bytes.get() >= DETACH_FROM_BYTES {
            self.py.detach(f)
        } else {
            f()
        }
    }
}

/// Converts `obj` to a `serde_json::Value` (for a message that shows it); `path` is its field
/// path. No byte limit, as before.
pub(crate) fn to_value(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<serde_json::Value> {
    let state = State {
        unlimited: true,
        ..State::default()
    };
    let read = read(obj, 0, &state).and_then(|kind| {
        <serde_json::Value as Deserialize>::deserialize(De {
            kind,
            depth: 0,
            state: &state,
        })
    });
    match read {
        Ok(value) if !state.stopped.get() => Ok(value),
        _ => Err(
            match check(obj, &mut path.to_owned(), 0, &state, &mut Size::default()) {
                Err(Fail::Core(e)) => core_error(obj.py(), &e),
                Err(Fail::Py(e)) => e,
                Ok(()) => state.py_error.take().unwrap_or_else(not_converted),
            },
        ),
    }
}

// --- What a Python object is ----------------------------------------------------------------

/// A Python value as the former path converted it.
enum Kind<'py> {
    Null,
    Bool(bool),
    /// A non-negative int (`serde_json` keeps those unsigned).
    U64(u64),
    I64(i64),
    F64(f64),
    /// A `str`, or the text of a `Decimal` or a `date`.
    Str(Text<'py>),
    Map(Entries<'py>),
    Seq(Items<'py>),
}

impl Kind<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Kind::Null => Unexpected::Unit,
            Kind::Bool(b) => Unexpected::Bool(*b),
            Kind::U64(n) => Unexpected::Unsigned(*n),
            Kind::I64(n) => Unexpected::Signed(*n),
            Kind::F64(n) => Unexpected::Float(*n),
            Kind::Str(s) => Unexpected::Str(s.as_str()),
            Kind::Seq(_) => Unexpected::Seq,
            Kind::Map(_) => Unexpected::Map,
        }
    }
}

/// Why a value does not convert.
enum Bad {
    /// A type the input does not take.
    Unsupported,
    /// An int beyond 64 bits.
    IntRange,
    /// A non-finite float.
    Float,
    /// A `str` with a lone surrogate.
    Surrogate,
    /// The text of a non-finite `Decimal`.
    Decimal(String),
    Py(PyErr),
}

impl From<PyErr> for Bad {
    fn from(e: PyErr) -> Self {
        Bad::Py(e)
    }
}

/// The entries of a map: a dict's, or named arguments.
enum Entries<'py> {
    Dict(Bound<'py, PyDict>),
    Fields(Rc<[(&'static str, Bound<'py, PyAny>)]>),
}

/// A map key: an argument name, or a dict's key (not yet known to be a `str`).
enum Key<'py> {
    Name(&'static str),
    Py(Bound<'py, PyAny>),
}

impl<'py> Key<'py> {
    /// The key's text; `Err(Some(type name))` for a key that is not a `str`, `Err(None)` for
    /// one that is not valid unicode.
    fn text(&self) -> Result<Text<'py>, Option<String>> {
        match self {
            Key::Name(name) => Ok(Text::Name(name)),
            Key::Py(key) => {
                let Ok(key) = key.cast::<PyString>() else {
                    return Err(Some(type_name(key)));
                };
                Text::of(key).map_err(|_| None)
            }
        }
    }
}

/// The UTF-8 text of a string or a key: a `str`'s, as Python holds it (its cached UTF-8, read
/// once and not copied), an argument name, a key's text borrowed while it is read, or the text
/// of a `Decimal` or a `date`.
enum Text<'py> {
    Py(PyBackedStr),
    Name(&'static str),
    Owned(String),
    /// A key's text, read in place.
    Borrowed(&'py str),
}

impl<'py> Text<'py> {
    /// The text of `s`; an error for a lone surrogate, which UTF-8 cannot hold.
    fn of(s: &Bound<'py, PyString>) -> PyResult<Self> {
        PyBackedStr::try_from(s.clone()).map(Text::Py)
    }

    fn as_str(&self) -> &str {
        match self {
            Text::Py(s) => s,
            Text::Name(name) => name,
            Text::Owned(text) => text,
            Text::Borrowed(text) => text,
        }
    }

    fn len(&self) -> usize {
        match self {
            Text::Py(s) => s.len(),
            Text::Name(name) => name.len(),
            Text::Owned(text) => text.len(),
            Text::Borrowed(text) => text.len(),
        }
    }

    /// Visits the text as `serde_json::Value` visits a string: owned when it is (a visitor
    /// that keeps it takes it), borrowed from Python otherwise.
    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Text::Owned(text) => visitor.visit_string(text),
            text => visitor.visit_str(text.as_str()),
        }
    }
}

/// The builtin types whose answer to "is it a `Mapping`?" [`State::is_mapping`] keeps.
#[derive(Clone, Copy)]
enum Exact {
    List,
    Tuple,
    Decimal,
    Date,
    Other,
}

impl<'py> Entries<'py> {
    fn len(&self) -> usize {
        match self {
            Entries::Dict(dict) => dict.len(),
            Entries::Fields(fields) => fields.len(),
        }
    }

    fn iter(self) -> EntryIter<'py> {
        match self {
            Entries::Dict(dict) => EntryIter::Dict(dict.iter()),
            Entries::Fields(fields) => EntryIter::Fields(fields, 0),
        }
    }
}

enum EntryIter<'py> {
    Dict(pyo3::types::iter::BoundDictIterator<'py>),
    Fields(Rc<[(&'static str, Bound<'py, PyAny>)]>, usize),
}

impl<'py> Iterator for EntryIter<'py> {
    type Item = (Key<'py>, Bound<'py, PyAny>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            EntryIter::Dict(iter) => iter.next().map(|(k, v)| (Key::Py(k), v)),
            EntryIter::Fields(fields, at) => {
                let (name, value) = fields.get(*at)?;
                *at += 1;
                Some((Key::Name(name), value.clone()))
            }
        }
    }
}

/// The items of a list or tuple (of a subclass: as its iterator gives them, once).
enum Items<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
    Other(Vec<Bound<'py, PyAny>>),
}

impl<'py> Items<'py> {
    fn len(&self) -> usize {
        match self {
            Items::List(list) => list.len(),
            Items::Tuple(tuple) => tuple.len(),
            Items::Other(items) => items.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, i: usize) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Items::List(list) => list.get_item(i),
            Items::Tuple(tuple) => tuple.get_item(i),
            Items::Other(items) => items.get(i).cloned().ok_or_else(not_converted),
        }
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

/// What `obj` is, tested in the former path's order: None, bool (an int, so before int), int,
/// float, str, dict, any other mapping, list or tuple, Decimal, date. Except that str and
/// dict, the most frequent, are tested first: no object is a str or a dict and also None, a
/// bool, an int or a float (CPython refuses such classes), so the answers are the same.
fn classify<'py>(obj: &Bound<'py, PyAny>, state: &State) -> Result<Kind<'py>, Bad> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return Text::of(s).map(Kind::Str).map_err(|_| Bad::Surrogate);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return Ok(Kind::Map(Entries::Dict(dict.clone())));
    }
    if obj.is_none() {
        return Ok(Kind::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Kind::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(u64::try_from(v).map_or(Kind::I64(v), Kind::U64));
        }
        if let Ok(v) = obj.extract::<u64>() {
            return Ok(Kind::U64(v));
        }
        return Err(Bad::IntRange);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return if v.is_finite() {
            Ok(Kind::F64(v))
        } else {
            Err(Bad::Float)
        };
    }
    let decimal = decimal_type(py)?;
    let date = date_type(py)?;
    let exact = if obj.is_exact_instance_of::<PyList>() {
        Exact::List
    } else if obj.is_exact_instance_of::<PyTuple>() {
        Exact::Tuple
    } else if obj.get_type().is(decimal) {
        Exact::Decimal
    } else if obj.get_type().is(date) {
        Exact::Date
    } else {
        Exact::Other
    };
    // Any other mapping (a `delcredere.Policy`, a `MappingProxyType`...) as a dict of its items.
    if state.is_mapping(obj, exact) {
        let dict = PyDict::new(py);
        dict.update(obj.cast::<PyMapping>().map_err(PyErr::from)?)?;
        return Ok(Kind::Map(Entries::Dict(dict)));
    }
    match exact {
        Exact::List => {
            return Ok(Kind::Seq(Items::List(
                obj.cast::<PyList>().map_err(PyErr::from)?.clone(),
            )))
        }
        Exact::Tuple => {
            return Ok(Kind::Seq(Items::Tuple(
                obj.cast::<PyTuple>().map_err(PyErr::from)?.clone(),
            )))
        }
        _ => {}
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        return Ok(Kind::Seq(Items::Other(items)));
    }
    if obj.is_instance(decimal)? {
        // `is_finite()` is asked of a subclass (which may redefine it); of a Decimal, its
        // fixed-point text says it: a finite one starts with a digit (after a minus sign), a
        // non-finite one is `NaN`, `sNaN` (with or without a payload) or `Infinity`.
        let finite = match exact {
            Exact::Decimal => None,
            _ => Some(obj.call_method0(intern!(py, "is_finite"))?.extract::<bool>()?),
        };
        let text: String = obj
            .call_method1(intern!(py, "__format__"), (intern!(py, "f"),))?
            .extract()?;
        let finite = finite.unwrap_or_else(|| text.trim_start_matches('-').starts_with(|c: char| c.is_ascii_digit()));
        return if finite {
            Ok(Kind::Str(Text::Owned(text)))
        } else {
            Err(Bad::Decimal(text))
        };
    }
    if obj.is_instance(date)? {
        let text: String = obj.call_method0(intern!(py, "isoformat"))?.extract()?;
        return Ok(Kind::Str(Text::Owned(text)));
    }
    Err(Bad::Unsupported)
}

/// Classifies `obj`, at `depth` (0 for the input itself), counting it against the limits.
fn read<'py>(obj: &Bound<'py, PyAny>, depth: usize, state: &State) -> Result<Kind<'py>, JsonError> {
    let kind = match classify(obj, state) {
        Ok(kind) => kind,
        Err(Bad::Py(e)) => return Err(state.stop_py(e)),
        Err(_) => return Err(state.stop()),
    };
    match &kind {
        Kind::Str(s) => state.add(s.len())?,
        Kind::Map(_) | Kind::Seq(_) if depth >= MAX_DEPTH => return Err(state.stop()),
        Kind::Map(_) | Kind::Seq(_) => {}
        _ => state.add(8)?,
    }
    Ok(kind)
}

// --- The former path's conversion errors ----------------------------------------------------

fn invalid_type(path: &str, detail: String) -> Fail {
    Fail::Core(Error::InvalidType {
        field: path.to_owned(),
        detail,
    })
}

/// An input's size as the core counts it, found by [`check`].
#[derive(Clone, Copy, Default)]
struct Size {
    /// Bytes of strings and keys, 8 for any other scalar.
    bytes: usize,
    /// The deepest list or dict, counted from the converted argument (if any).
    deepest: Option<usize>,
    /// Levels between the input object and the converted arguments.
    levels_above: usize,
}

impl Size {
    /// Whether the core refuses the input for its size or its nesting.
    fn over_limits(&self) -> bool {
        self.bytes > MAX_INPUT_BYTES || self.deepest.is_some_and(|d| d + self.levels_above >= MAX_DEPTH)
    }
}

/// Walks `obj` as the former path converted it, in its order, and returns its first error;
/// `path` is the field path of `obj`, `depth` its nesting from the converted argument. Counts
/// its size on the way.
fn check(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize, state: &State, size: &mut Size) -> Result<(), Fail> {
    let kind = match classify(obj, state) {
        Ok(kind) => kind,
        Err(bad) => {
            return Err(match bad {
                Bad::Py(e) => Fail::Py(e),
                Bad::IntRange => Fail::Core(Error::OutOfRange {
                    field: path.clone(),
                    value: truncated(&obj.str()?.to_string()),
                    expected: "an integer that fits in 64 bits".to_owned(),
                }),
                Bad::Float => Fail::Core(Error::InvalidAmount {
                    field: path.clone(),
                    value: obj.repr()?.to_string(),
                    given: AmountGiven::Float,
                }),
                Bad::Surrogate => invalid_type(path, "string is not valid unicode (lone surrogate)".to_owned()),
                Bad::Decimal(text) => Fail::Core(Error::InvalidAmount {
                    field: path.clone(),
                    value: truncated(&text),
                    given: AmountGiven::Text,
                }),
                Bad::Unsupported => invalid_type(
                    path,
                    format!(
                        "{} is not supported, expected dict, list, tuple, str, int, bool, None, Decimal or date",
                        type_name(obj)
                    ),
                ),
            })
        }
    };
    match &kind {
        Kind::Map(_) | Kind::Seq(_) if depth >= MAX_DEPTH => return Err(Fail::Core(ffi::too_deep(path))),
        Kind::Map(_) | Kind::Seq(_) => size.deepest = size.deepest.max(Some(depth)),
        Kind::Str(s) => size.bytes = size.bytes.saturating_add(s.len()),
        _ => size.bytes = size.bytes.saturating_add(8),
    }
    match kind {
        Kind::Map(entries) => {
            for (key, value) in entries.iter() {
                let key = key.text().map_err(|e| match e {
                    Some(type_name) => invalid_type(path, format!("dict key of type {type_name}, expected str")),
                    None => invalid_type(path, "dict key is not valid unicode".to_owned()),
                })?;
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                size.bytes = size.bytes.saturating_add(key.len());
                path.push_str(key.as_str());
                check(&value, path, depth + 1, state, size)?;
                path.truncate(len);
            }
            Ok(())
        }
        Kind::Seq(items) => {
            for i in 0..items.len() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check(&items.get(i)?, path, depth + 1, state, size)?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

// --- The deserializer -----------------------------------------------------------------------

/// A classified Python value at `depth`, as a serde [`Deserializer`] that drives visitors as
/// the owned `serde_json::Value` does.
struct De<'a, 'py> {
    kind: Kind<'py>,
    depth: usize,
    state: &'a State,
}

impl De<'_, '_> {
    #[cold]
    fn invalid_type(&self, exp: &dyn de::Expected) -> JsonError {
        JsonError::invalid_type(self.kind.unexpected(), exp)
    }
}

macro_rules! deserialize_number {
    ($method:ident) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
            match self.kind {
                Kind::U64(_) | Kind::I64(_) | Kind::F64(_) => self.deserialize_any(visitor),
                _ => Err(self.invalid_type(&visitor)),
            }
        }
    };
}

impl<'de> Deserializer<'de> for De<'_, '_> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(b) => visitor.visit_bool(b),
            Kind::U64(n) => visitor.visit_u64(n),
            Kind::I64(n) => visitor.visit_i64(n),
            Kind::F64(n) => visitor.visit_f64(n),
            Kind::Str(s) => s.visit(visitor),
            Kind::Seq(items) => visit_seq(items, self.depth, self.state, visitor),
            Kind::Map(entries) => visit_map(entries, self.depth, self.state, visitor),
        }
    }

    deserialize_number!(deserialize_i8);
    deserialize_number!(deserialize_i16);
    deserialize_number!(deserialize_i32);
    deserialize_number!(deserialize_i64);
    deserialize_number!(deserialize_i128);
    deserialize_number!(deserialize_u8);
    deserialize_number!(deserialize_u16);
    deserialize_number!(deserialize_u32);
    deserialize_number!(deserialize_u64);
    deserialize_number!(deserialize_u128);
    deserialize_number!(deserialize_f32);
    deserialize_number!(deserialize_f64);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Map(entries) => {
                // Enums are maps with a single key.
                let mut iter = entries.iter();
                let (Some((key, value)), None) = (iter.next(), iter.next()) else {
                    return Err(JsonError::invalid_value(Unexpected::Map, &"map with a single key"));
                };
                let Ok(variant) = key.text() else {
                    return Err(self.state.stop());
                };
                self.state.add(variant.len())?;
                visitor.visit_enum(Enum {
                    variant,
                    value: Some(value),
                    depth: self.depth + 1,
                    state: self.state,
                })
            }
            Kind::Str(variant) => visitor.visit_enum(Enum {
                variant,
                value: None,
                depth: self.depth,
                state: self.state,
            }),
            other => Err(JsonError::invalid_type(other.unexpected(), &"string or map")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Bool(b) => visitor.visit_bool(b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Str(s) => s.visit(visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Str(s) => s.visit(visitor),
            Kind::Seq(items) => visit_seq(items, self.depth, self.state, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Seq(items) => visit_seq(items, self.depth, self.state, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Map(entries) => visit_map(entries, self.depth, self.state, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        match self.kind {
            Kind::Seq(items) => visit_seq(items, self.depth, self.state, visitor),
            Kind::Map(entries) => visit_map(entries, self.depth, self.state, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        // The value is not read, but it is converted and counted as the former path did.
        skip(self.kind, self.depth, self.state)?;
        visitor.visit_unit()
    }
}

/// Converts and counts a value that is not read (and everything inside it).
fn skip(kind: Kind<'_>, depth: usize, state: &State) -> Result<(), JsonError> {
    match kind {
        Kind::Map(entries) => {
            for (key, value) in entries.iter() {
                state.with_key(&key, |_| Ok(()))?;
                skip(read(&value, depth + 1, state)?, depth + 1, state)?;
            }
            Ok(())
        }
        Kind::Seq(items) => {
            for i in 0..items.len() {
                let item = items.get(i).map_err(|e| state.stop_py(e))?;
                skip(read(&item, depth + 1, state)?, depth + 1, state)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn visit_seq<'de, V: Visitor<'de>>(
    items: Items<'_>,
    depth: usize,
    state: &State,
    visitor: V,
) -> Result<V::Value, JsonError> {
    let len = items.len();
    let mut access = Seq {
        items,
        next: 0,
        depth: depth + 1,
        state,
    };
    let seq = visitor.visit_seq(&mut access)?;
    if access.next == len {
        Ok(seq)
    } else {
        Err(JsonError::invalid_length(len, &"fewer elements in array"))
    }
}

fn visit_map<'de, V: Visitor<'de>>(
    entries: Entries<'_>,
    depth: usize,
    state: &State,
    visitor: V,
) -> Result<V::Value, JsonError> {
    let len = entries.len();
    let mut access = Map {
        entries: entries.iter(),
        taken: 0,
        value: None,
        depth: depth + 1,
        state,
    };
    let map = visitor.visit_map(&mut access)?;
    if access.taken == len {
        Ok(map)
    } else {
        Err(JsonError::invalid_length(len, &"fewer elements in map"))
    }
}

/// The items of a list, at `depth`.
struct Seq<'a, 'py> {
    items: Items<'py>,
    next: usize,
    depth: usize,
    state: &'a State,
}

impl<'de> SeqAccess<'de> for Seq<'_, '_> {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, JsonError> {
        if self.next >= self.items.len() {
            return Ok(None);
        }
        let item = self.items.get(self.next).map_err(|e| self.state.stop_py(e))?;
        self.next += 1;
        let kind = read(&item, self.depth, self.state)?;
        seed.deserialize(De {
            kind,
            depth: self.depth,
            state: self.state,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len().saturating_sub(self.next))
    }
}

/// The entries of a map, their values at `depth`.
struct Map<'a, 'py> {
    entries: EntryIter<'py>,
    taken: usize,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
    state: &'a State,
}

impl<'de> MapAccess<'de> for Map<'_, '_> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, JsonError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.taken += 1;
        self.value = Some(value);
        self.state
            .with_key(&key, |text| {
                seed.deserialize(KeyDe {
                    key: Text::Borrowed(text),
                })
            })
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, JsonError> {
        match self.value.take() {
            Some(value) => {
                let kind = read(&value, self.depth, self.state)?;
                seed.deserialize(De {
                    kind,
                    depth: self.depth,
                    state: self.state,
                })
            }
            None => Err(JsonError::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        match &self.entries {
            EntryIter::Dict(iter) => Some(iter.len()),
            EntryIter::Fields(fields, at) => Some(fields.len().saturating_sub(*at)),
        }
    }
}

/// An enum as a string (`value` none) or as a map with a single key.
struct Enum<'a, 'py> {
    variant: Text<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
    state: &'a State,
}

impl<'de, 'a, 'py> EnumAccess<'de> for Enum<'a, 'py> {
    type Error = JsonError;
    type Variant = Variant<'a, 'py>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Variant<'a, 'py>), JsonError> {
        let rest = Variant {
            value: self.value,
            depth: self.depth,
            state: self.state,
        };
        seed.deserialize(TextDe(self.variant)).map(|v| (v, rest))
    }
}

struct Variant<'a, 'py> {
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
    state: &'a State,
}

impl<'a, 'py> Variant<'a, 'py> {
    fn read(&self, value: &Bound<'py, PyAny>) -> Result<De<'a, 'py>, JsonError> {
        Ok(De {
            kind: read(value, self.depth, self.state)?,
            depth: self.depth,
            state: self.state,
        })
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, '_> {
    type Error = JsonError;

    fn unit_variant(self) -> Result<(), JsonError> {
        match &self.value {
            Some(value) => <()>::deserialize(self.read(value)?),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, JsonError> {
        match &self.value {
            Some(value) => seed.deserialize(self.read(value)?),
            None => Err(JsonError::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, JsonError> {
        let Some(value) = &self.value else {
            return Err(JsonError::invalid_type(Unexpected::UnitVariant, &"tuple variant"));
        };
        let de = self.read(value)?;
        match de.kind {
            Kind::Seq(items) if items.is_empty() => visitor.visit_unit(),
            Kind::Seq(items) => visit_seq(items, de.depth, de.state, visitor),
            other => Err(JsonError::invalid_type(other.unexpected(), &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        let Some(value) = &self.value else {
            return Err(JsonError::invalid_type(Unexpected::UnitVariant, &"struct variant"));
        };
        let de = self.read(value)?;
        match de.kind {
            Kind::Map(entries) => visit_map(entries, de.depth, de.state, visitor),
            other => Err(JsonError::invalid_type(other.unexpected(), &"struct variant")),
        }
    }
}

/// A map key, deserialized as `serde_json`'s map keys are: as a string, or (for a number or a
/// bool) by `serde_json`'s own key deserializer.
struct KeyDe<'py> {
    key: Text<'py>,
}

macro_rules! deserialize_key_as_json {
    ($method:ident, $as:ident) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
            json_key(self.key.as_str().to_owned(), KeySeed::$as(visitor))
        }
    };
}

impl<'de> Deserializer<'de> for KeyDe<'_> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.key.visit(visitor)
    }

    deserialize_key_as_json!(deserialize_i8, I8);
    deserialize_key_as_json!(deserialize_i16, I16);
    deserialize_key_as_json!(deserialize_i32, I32);
    deserialize_key_as_json!(deserialize_i64, I64);
    deserialize_key_as_json!(deserialize_i128, I128);
    deserialize_key_as_json!(deserialize_u8, U8);
    deserialize_key_as_json!(deserialize_u16, U16);
    deserialize_key_as_json!(deserialize_u32, U32);
    deserialize_key_as_json!(deserialize_u64, U64);
    deserialize_key_as_json!(deserialize_u128, U128);
    deserialize_key_as_json!(deserialize_f32, F32);
    deserialize_key_as_json!(deserialize_f64, F64);
    deserialize_key_as_json!(deserialize_bool, Bool);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        // Map keys cannot be null.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        TextDe(self.key).deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct
        map struct identifier ignored_any
    }
}

/// How a key deserializer was asked for a number or a bool, with the visitor.
enum KeySeed<V> {
    I8(V),
    I16(V),
    I32(V),
    I64(V),
    I128(V),
    U8(V),
    U16(V),
    U32(V),
    U64(V),
    U128(V),
    F32(V),
    F64(V),
    Bool(V),
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for KeySeed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        match self {
            KeySeed::I8(v) => d.deserialize_i8(v),
            KeySeed::I16(v) => d.deserialize_i16(v),
            KeySeed::I32(v) => d.deserialize_i32(v),
            KeySeed::I64(v) => d.deserialize_i64(v),
            KeySeed::I128(v) => d.deserialize_i128(v),
            KeySeed::U8(v) => d.deserialize_u8(v),
            KeySeed::U16(v) => d.deserialize_u16(v),
            KeySeed::U32(v) => d.deserialize_u32(v),
            KeySeed::U64(v) => d.deserialize_u64(v),
            KeySeed::U128(v) => d.deserialize_u128(v),
            KeySeed::F32(v) => d.deserialize_f32(v),
            KeySeed::F64(v) => d.deserialize_f64(v),
            KeySeed::Bool(v) => d.deserialize_bool(v),
        }
    }
}

/// Deserializes `key` with `seed` through `serde_json`'s own map key deserializer (numbers and
/// bools in keys: rare, so one small map per key is fine).
fn json_key<'de, S: DeserializeSeed<'de>>(key: String, seed: S) -> Result<S::Value, JsonError> {
    struct FirstKey<S>(S);

    impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for FirstKey<S> {
        type Value = S::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map with one key")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Value, A::Error> {
            let key = map
                .next_key_seed(self.0)?
                .ok_or_else(|| A::Error::custom("value is missing"))?;
            map.next_value::<de::IgnoredAny>()?;
            Ok(key)
        }
    }

    let mut map = serde_json::Map::new();
    map.insert(key, serde_json::Value::Null);
    serde_json::Value::Object(map).deserialize_map(FirstKey(seed))
}

/// A text as serde's string deserializer: an enum variant's name, a key read as an enum.
struct TextDe<'py>(Text<'py>);

impl<'de> Deserializer<'de> for TextDe<'_> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.0.visit(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        // A unit variant, as serde's own string deserializers give it.
        let unit: de::value::StrDeserializer<'_, JsonError> = self.0.as_str().into_deserializer();
        visitor.visit_enum(unit)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}
