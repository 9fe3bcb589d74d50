//! serde's errors as typed [`Error`]s, in the words of the input's user.
//!
//! serde reports a failed read in Rust's terms (`invalid type: string "goods", expected struct
//! ReceivableDto`, `expected u32`, `unknown variant`). Here each one becomes an [`Error`] whose
//! field path goes down to the key itself and whose message says what to type: "an object with
//! keys kind, paymentTermsDays, ...", "a whole number", "a list", "one of fixed, turnover,
//! outstandingBalance", never a Rust type name.
//!
//! What serde's message does not say (the keys of an object, the names an enum allows) is
//! asked of the input type itself: a small input that holds, at the error's path, a key or a
//! name that no type allows is read again, and serde's answer lists what is allowed there.
//!
//! That asking, and the placing of an error found inside an internally tagged enum, are compiled
//! only with the feature `ffi-full` (on by default). The browser build of the npm package is
//! built without it, to stay under its download budget, and reads errors the light way (module
//! `light`): the same codes, plainer messages.

#[cfg(feature = "ffi-full")]
use std::fmt;

use serde::de::DeserializeOwned;
#[cfg(feature = "ffi-full")]
use serde::de::{MapAccess, SeqAccess, Visitor};
#[cfg(feature = "ffi-full")]
use serde::{Deserialize, Serialize};
#[cfg(feature = "ffi-full")]
use serde_json::error::Category;
#[cfg(feature = "ffi-full")]
use serde_path_to_error::Segment;

use crate::error::{AmountGiven, Error};

#[cfg(feature = "ffi-full")]
/// A key or a name that no input type allows, put where a probe asks what is allowed.
const SENTINEL: &str = "\u{1f}";

#[cfg(feature = "ffi-full")]
/// What serde says went wrong, read from its message.
enum Fault {
    /// Not well-formed JSON (or nested too deep).
    Syntax(String),
    UnknownField {
        key: String,
        expected: Vec<String>,
    },
    UnknownVariant {
        value: String,
        expected: Vec<String>,
    },
    MissingField(String),
    DuplicateField(String),
    /// `invalid type`, `invalid value` (`value`: true) and `invalid length` (`found`: the length),
    /// with serde's texts for what was found and what was expected.
    Mismatch {
        value: bool,
        found: Found,
        expected: String,
    },
    /// An error a value's own `Deserialize` raised with a tag (`crate::money::tagged_error`).
    Tagged {
        tag: String,
        value: String,
    },
    Other(String),
}

#[cfg(feature = "ffi-full")]
/// What the input held where serde expected something else.
#[derive(PartialEq)]
enum Found {
    /// serde's words (`string "goods"`, `integer `5``, `map`...).
    Serde(String),
    /// A list of this length (serde's `invalid length`).
    Length(String),
}

#[cfg(feature = "ffi-full")]
/// A failed read at `path`, as serde and serde_path_to_error report it.
struct Failure {
    segments: Vec<Segment>,
    fault: Fault,
}

#[cfg(feature = "ffi-full")]
impl Failure {
    fn of(e: &serde_path_to_error::Error<serde_json::Error>) -> Self {
        Failure {
            segments: e.path().iter().cloned().collect(),
            fault: fault(e.inner()),
        }
    }

    /// The path as text: `policy.premium.basis`, `limitEvents[0]` (empty for the input itself).
    fn path(&self) -> String {
        let mut path = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Unknown => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push('?');
                }
            }
        }
        path
    }
}

/// Reads `T` from `deserializer`, turning serde's error into a typed [`Error`]. `again`, a
/// second reader of the same input, is read only when the first read fails: into a tree of the
/// input that places an error found inside an internally tagged enum (where serde's path stops
/// at the enum) and that the questions to the input type are asked on.
pub(crate) fn read<'de, D, T>(deserializer: D, again: Option<D>) -> Result<T, Error>
where
    D: serde::Deserializer<'de, Error = serde_json::Error>,
    T: DeserializeOwned,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        #[cfg(feature = "ffi-full")]
        {
            let failure = Failure::of(&e);
            let tree = again.and_then(|d| Node::deserialize(d).ok());
            let probe = |input: &str| probe::<T>(input);
            let ctx = Context { tree, probe: &probe };
            let failure = ctx.relocated(failure);
            ctx.error(failure)
        }
        #[cfg(not(feature = "ffi-full"))]
        {
            // A tree of the input or another value reader gives nothing here: JSON text is
            // told from malformed JSON by `light::in_text`.
            let _ = again;
            light::error(&e)
        }
    })
}

/// The error of a failed read in a build without the feature `ffi-full` (the browser build of
/// the npm package, held to a download budget): the same codes and, outside internally tagged
/// enums, the same field paths as the full build's `Context::error`, with plainer messages. It
/// asks the input type nothing and does not read the input again as a tree, so it lists no
/// allowed keys or names (it names the unknown one), says "expected an object" where the full
/// build lists the object's keys, and places an error inside an internally tagged enum (a limit
/// event) at the enum (`limitEvents[1]`, not `limitEvents[1].amount`), or at the enum and the key
/// for an unknown or missing key (`limitEvents[1].currency`).
#[cfg(not(feature = "ffi-full"))]
pub(crate) mod light {
    use super::{first_backticked, join, strip_position, tagged, whole_number};
    use crate::error::Error;
    use serde_json::error::Category;
    use serde_path_to_error::Segment;

    /// The error `e` of reading the JSON text `text`: serde_json's text reader says "expected
    /// value" (`invalid_json`) for a value of another kind where an enum's name is expected;
    /// in well-formed JSON that is `invalid_type`, as the other readers say.
    #[inline(never)]
    pub(crate) fn in_text(e: Error, text: &str) -> Error {
        match e {
            Error::InvalidJson { field, detail }
                if detail == "expected value" && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() =>
            {
                Error::InvalidType {
                    field,
                    detail: "expected one of the names allowed here".to_owned(),
                }
            }
            e => e,
        }
    }

    pub(super) fn error(e: &serde_path_to_error::Error<serde_json::Error>) -> Error {
        let mut path = e.path().to_string();
        if path == "." {
            path.clear();
        }
        let field = if path.is_empty() {
            "input".to_owned()
        } else {
            path.clone()
        };
        let inner = e.inner();
        let message = strip_position(&inner.to_string());
        if matches!(inner.classify(), Category::Syntax | Category::Eof | Category::Io)
            || message.starts_with("recursion limit exceeded")
        {
            return Error::InvalidJson { field, detail: message };
        }
        if let Some((tag, value)) = message.split_once('\u{1f}') {
            return tagged(tag, field, value.to_owned());
        }
        let named = |prefix: &str| message.strip_prefix(prefix).map(first_backticked);
        // The keys and names allowed are not listed here: their lists are left out of this build.
        if let Some((key, _)) = named("unknown field ") {
            return Error::UnknownField {
                // serde_path_to_error ends the path with the key, except inside an internally
                // tagged enum, where it stops at the enum.
                field: match e.path().iter().next_back() {
                    Some(Segment::Map { key: last }) if *last == key => path,
                    _ => join(&path, &key),
                },
                value: key,
                expected: Vec::new(),
            };
        }
        if let Some((value, _)) = named("unknown variant ") {
            return Error::UnknownValue {
                field,
                value: crate::error::truncated(&value),
                expected: Vec::new(),
            };
        }
        if let Some((key, _)) = named("missing field ") {
            return Error::MissingField {
                field: join(&path, &key),
            };
        }
        if let Some((key, _)) = named("duplicate field ") {
            return Error::DuplicateField {
                field: join(&path, &key),
                value: key,
            };
        }
        // What serde expected follows the message's last comma (no name it gives has one).
        let comma = message.char_indices().rev().find(|&(_, c)| c == ',');
        let Some(expected) = comma.and_then(|(i, _)| message.get(i + 1..)?.strip_prefix(" expected ")) else {
            return Error::InvalidType { field, detail: message };
        };
        let whole = whole_number(expected);
        if let (Some(number), Some(range)) = (message.strip_prefix("invalid value: integer `"), &whole) {
            return Error::OutOfRange {
                field,
                value: number.split('`').next().unwrap_or(number).to_owned(),
                expected: range.clone(),
            };
        }
        let expected = match expected {
            _ if whole.is_some() => "a whole number",
            "a sequence" => "a list",
            "a map" => "an object",
            "a boolean" => "true or false",
            "f32" | "f64" => "a number",
            e if e.starts_with("struct ") || e.starts_with("internally tagged enum ") => "an object",
            e if e.starts_with("a ") && !e.contains('`') => e,
            _ => "a value of another kind",
        };
        Error::InvalidType {
            field,
            detail: format!("expected {expected}"),
        }
    }
}

#[cfg(feature = "ffi-full")]
/// What reading `T` from the JSON text `input` fails with, if it fails.
fn probe<T: DeserializeOwned>(input: &str) -> Option<Failure> {
    let mut de = serde_json::Deserializer::from_str(input);
    serde_path_to_error::deserialize::<_, T>(&mut de)
        .err()
        .map(|e| Failure::of(&e))
}

/// Drops serde_json's ` at line 1 column 5`.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// The names between backticks in `text` (serde's ``expected one of `a`, `b` ``).
#[cfg(feature = "ffi-full")]
fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// `` `key`, rest `` split into the first backticked name and what follows it.
fn first_backticked(text: &str) -> (String, &str) {
    let inner = text.strip_prefix('`').unwrap_or(text);
    match inner.split_once('`') {
        Some((name, rest)) => (name.to_owned(), rest),
        None => (inner.to_owned(), ""),
    }
}

#[cfg(feature = "ffi-full")]
fn fault(e: &serde_json::Error) -> Fault {
    let message = strip_position(&e.to_string());
    if matches!(e.classify(), Category::Syntax | Category::Eof | Category::Io)
        || message.starts_with("recursion limit exceeded")
    {
        return Fault::Syntax(message);
    }
    let tags = [
        Error::INVALID_AMOUNT,
        Error::NUMBER_AMOUNT,
        Error::AMOUNT_DIGITS,
        Error::INVALID_DATE,
    ];
    if let Some((tag, value)) = message.split_once('\u{1f}').filter(|(tag, _)| tags.contains(tag)) {
        return Fault::Tagged {
            tag: tag.to_owned(),
            value: value.to_owned(),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, rest) = first_backticked(rest);
        return Fault::UnknownField {
            key,
            expected: backticked(rest),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, rest) = first_backticked(rest);
        return Fault::UnknownVariant {
            value,
            expected: backticked(rest),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return Fault::MissingField(first_backticked(rest).0);
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return Fault::DuplicateField(first_backticked(rest).0);
    }
    for (prefix, value) in [("invalid type: ", false), ("invalid value: ", true)] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((found, expected)) = split_found(rest) {
                return Fault::Mismatch {
                    value,
                    found: Found::Serde(found.to_owned()),
                    expected: expected.to_owned(),
                };
            }
        }
    }
    if let Some((len, expected)) = message
        .strip_prefix("invalid length ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return Fault::Mismatch {
            value: false,
            found: Found::Length(len.to_owned()),
            expected: expected.to_owned(),
        };
    }
    Fault::Other(message)
}

#[cfg(feature = "ffi-full")]
/// `found, expected what` split in two; a found string (`string "a, expected b"`) is read to its
/// closing quote, as serde escapes it.
fn split_found(rest: &str) -> Option<(&str, &str)> {
    let end = match rest.strip_prefix("string \"") {
        Some(quoted) => {
            let mut escaped = false;
            let close = quoted.char_indices().find(|&(_, c)| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            })?;
            "string \"".len() + close.0 + 1
        }
        None => rest.find(", expected ")?,
    };
    let (found, expected) = rest.split_at_checked(end)?;
    Some((found, expected.strip_prefix(", expected ")?))
}

#[cfg(feature = "ffi-full")]
/// The input as a tree, when it could be read a second time, and the input type to ask.
struct Context<'a> {
    tree: Option<Node>,
    /// Reads the input type from a JSON text: what it fails with.
    probe: &'a dyn Fn(&str) -> Option<Failure>,
}

#[cfg(feature = "ffi-full")]
impl Context<'_> {
    /// The error of `failure`.
    fn error(&self, failure: Failure) -> Error {
        let path = failure.path();
        let field = if path.is_empty() {
            "input".to_owned()
        } else {
            path.clone()
        };
        let segments = &failure.segments;
        match failure.fault {
            Fault::Syntax(detail) => match self.mistyped_enum(segments, &detail) {
                Some(detail) => Error::InvalidType { field, detail },
                None => Error::InvalidJson { field, detail },
            },
            Fault::UnknownField { key, expected } => Error::UnknownField {
                // serde_path_to_error ends the path with the key, except inside an internally
                // tagged enum, where it stops at the enum.
                field: match segments.last() {
                    Some(Segment::Map { key: last }) if *last == key => path,
                    _ => join(&path, &key),
                },
                value: key,
                expected,
            },
            Fault::UnknownVariant { value, expected } => Error::UnknownValue {
                field,
                value: crate::error::truncated(&value),
                expected,
            },
            Fault::MissingField(key) => Error::MissingField {
                field: join(&path, &key),
            },
            Fault::DuplicateField(key) => Error::DuplicateField {
                field: join(&path, &key),
                value: key,
            },
            Fault::Tagged { tag, value } => tagged(tag.as_str(), field, value),
            Fault::Mismatch { value, found, expected } => match (found, whole_number(&expected)) {
                // A whole number outside its type's range.
                (Found::Serde(found), Some(range)) if value && found.starts_with("integer ") => Error::OutOfRange {
                    field,
                    value: found_words(&found),
                    expected: range,
                },
                (found, whole) => {
                    let expected = match whole {
                        Some(_) => "a whole number".to_owned(),
                        None => expected_words(&expected, segments, self),
                    };
                    let found = match found {
                        Found::Serde(found) => found_words(&found),
                        Found::Length(len) => format!("a list of {len}"),
                    };
                    Error::InvalidType {
                        field,
                        detail: format!("expected {expected}, found {found}"),
                    }
                }
            },
            Fault::Other(detail) => Error::InvalidType { field, detail },
        }
    }

    /// serde_json's text reader says "expected value" where a value of another type stands for
    /// an enum, in a well-formed text (its tree was read): the type error the other readers
    /// give ("expected one of fixed, turnover, outstandingBalance, found 7").
    fn mistyped_enum(&self, segments: &[Segment], detail: &str) -> Option<String> {
        if detail != "expected value" {
            return None;
        }
        let found = self.tree.as_ref()?.at(segments)?.words();
        let names = self.names_at(segments)?;
        Some(format!("expected {}, found {found}", listed(&names)))
    }

    /// What reading the input type fails with when the input holds `leaf` at `segments`: the
    /// input's tree with `leaf` in place, or, without a tree, an input of `leaf` alone there.
    fn probe_at(&self, segments: &[Segment], leaf: Node) -> Option<Failure> {
        let text = match &self.tree {
            Some(tree) => {
                let (mut tree, segments) = tree.pruned(segments)?;
                *tree.at_mut(&segments)? = leaf;
                serde_json::to_string(&tree).ok()?
            }
            None => synthetic(segments, &serde_json::to_string(&leaf).ok()?)?,
        };
        (self.probe)(&text)
    }

    /// The keys the input type allows in the object at `segments`, if it says.
    fn keys_at(&self, segments: &[Segment]) -> Option<Vec<String>> {
        let leaf = Node::Object(vec![(SENTINEL.to_owned(), Node::Null)]);
        match self.probe_at(segments, leaf)?.fault {
            Fault::UnknownField { key, expected } if key == SENTINEL => Some(expected),
            _ => None,
        }
    }

    /// The names the input type allows at `segments` (an enum's), if it says.
    fn names_at(&self, segments: &[Segment]) -> Option<Vec<String>> {
        match self.probe_at(segments, Node::Str(SENTINEL.to_owned()))?.fault {
            Fault::UnknownVariant { value, expected } if value == SENTINEL && !expected.is_empty() => Some(expected),
            _ => None,
        }
    }

    /// The tag key of the internally tagged enum at `segments` and the names it allows.
    fn tag_at(&self, segments: &[Segment]) -> Option<(String, Vec<String>)> {
        let tag = self.tag_key(segments)?;
        let leaf = Node::Object(vec![(tag.clone(), Node::Str(SENTINEL.to_owned()))]);
        match self.probe_at(segments, leaf)?.fault {
            Fault::UnknownVariant { value, expected } if value == SENTINEL && !expected.is_empty() => {
                Some((tag, expected))
            }
            _ => None,
        }
    }

    /// The tag key of the internally tagged enum at `segments` (an empty object there lacks it).
    fn tag_key(&self, segments: &[Segment]) -> Option<String> {
        match self.probe_at(segments, Node::Object(Vec::new()))?.fault {
            Fault::MissingField(tag) => Some(tag),
            _ => None,
        }
    }

    /// Whether the input holds an internally tagged enum at `segments`, with its tag.
    fn is_tagged(&self, segments: &[Segment]) -> bool {
        let Some(Node::Object(entries)) = self.tree.as_ref().and_then(|t| t.at(segments)) else {
            return false;
        };
        self.tag_key(segments)
            .is_some_and(|tag| entries.iter().any(|(key, _)| *key == tag))
    }

    /// `failure` at its place: inside an internally tagged enum serde's path stops at the
    /// enum, and the error is placed at the first value of the enum's object (in the input's
    /// order, as serde reads it) that fits what serde says it found.
    fn relocated(&self, mut failure: Failure) -> Failure {
        if let Some(segments) = self.place(&failure) {
            failure.segments = segments;
        }
        failure
    }

    /// Where `failure` is when serde's path stops at an internally tagged enum above it.
    fn place(&self, failure: &Failure) -> Option<Vec<Segment>> {
        let tree = self.tree.as_ref()?;
        let mut at = failure.segments.clone();
        if let Fault::UnknownField { key, .. } = &failure.fault {
            if matches!(at.last(), Some(Segment::Map { key: last }) if last == key) {
                at.pop();
            }
        }
        let Node::Object(entries) = tree.at(&at)? else {
            return None;
        };
        let fits: Box<dyn Fn(&Node) -> bool + '_> = match &failure.fault {
            Fault::UnknownField { key, .. } => {
                if entries.iter().any(|(k, _)| k == key) {
                    return None;
                }
                Box::new(move |n: &Node| matches!(n, Node::Object(e) if e.iter().any(|(k, _)| k == key)))
            }
            Fault::UnknownVariant { value, .. } => Box::new(move |n: &Node| matches!(n, Node::Str(s) if s == value)),
            Fault::Mismatch {
                found: Found::Serde(found),
                ..
            } => Box::new(move |n: &Node| n.is(found)),
            Fault::Mismatch {
                found: Found::Length(len),
                ..
            } => Box::new(move |n: &Node| matches!(n, Node::List(items) if items.len().to_string() == *len)),
            Fault::Tagged { tag, value } => Box::new(move |n: &Node| match n {
                Node::Str(s) => tag != Error::NUMBER_AMOUNT && crate::error::truncated(s) == *value,
                Node::F64(v) => tag == Error::NUMBER_AMOUNT && crate::money::float_text(*v) == *value,
                _ => false,
            }),
            Fault::MissingField(key) => {
                return if self.is_tagged(&at) {
                    self.missing_in(&at, key)
                } else {
                    None
                };
            }
            _ => return None,
        };
        if !self.is_tagged(&at) {
            return None;
        }
        let mut found = Vec::new();
        tree.at(&at)?.find(&fits, &mut Vec::new(), &mut found);
        let mut places = found.into_iter().map(|place| {
            let mut segments = at.clone();
            segments.extend(place);
            segments
        });
        match &failure.fault {
            Fault::UnknownField { key, .. } => {
                let mut place = places.next()?;
                place.push(Segment::Map { key: key.clone() });
                Some(place)
            }
            // A value of the same kind may stand earlier, rightly (an object where an object
            // is expected): the place is the one where a value of another kind changes only what
            // is found, not what is expected.
            Fault::Mismatch { expected, found, .. } => {
                let other = match found {
                    Found::Serde(found) if found == "null" => Node::Bool(true),
                    _ => Node::Null,
                };
                // serde expects a struct "with 2 elements" when it finds a list.
                let kind = |e: &str| e.split(" with ").next().unwrap_or(e).to_owned();
                places.take(20).find(|place| match self.probe_at(place, other.clone()) {
                    None => true,
                    Some(Failure {
                        fault:
                            Fault::Mismatch {
                                expected: e, found: f, ..
                            },
                        ..
                    }) => kind(&e) == kind(expected) && f != *found,
                    Some(_) => false,
                })
            }
            _ => places.next(),
        }
    }

    /// Inside the tagged enum at `at`, the object that lacks `key`: the innermost first (serde
    /// reads an object to its end before it looks for missing keys), the one where `key` set to
    /// null gives another error; `at` itself if none does.
    fn missing_in(&self, at: &[Segment], key: &str) -> Option<Vec<Segment>> {
        let tree = self.tree.as_ref()?;
        let mut objects = Vec::new();
        tree.at(at)?.objects(&mut Vec::new(), &mut objects);
        for place in objects.into_iter().filter(|p| !p.is_empty()) {
            let mut segments = at.to_vec();
            segments.extend(place);
            let mut object = tree.at(&segments)?.clone();
            if let Node::Object(entries) = &mut object {
                if entries.iter().any(|(k, _)| k == key) {
                    continue;
                }
                entries.push((key.to_owned(), Node::Null));
            }
            let answer = self.probe_at(&segments, object).map(|f| f.fault);
            if !matches!(&answer, Some(Fault::MissingField(k) | Fault::UnknownField { key: k, .. }) if k == key) {
                return Some(segments);
            }
        }
        None
    }
}

#[cfg(feature = "ffi-full")]
/// A JSON value of the input, as read a second time to place and describe an error.
#[derive(Clone)]
enum Node {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    List(Vec<Node>),
    /// Entries in the input's order.
    Object(Vec<(String, Node)>),
}

#[cfg(feature = "ffi-full")]
impl Node {
    fn at(&self, segments: &[Segment]) -> Option<&Node> {
        let Some((first, rest)) = segments.split_first() else {
            return Some(self);
        };
        let next = match (first, self) {
            (Segment::Seq { index }, Node::List(items)) => items.get(*index)?,
            (Segment::Map { key } | Segment::Enum { variant: key }, Node::Object(entries)) => {
                &entries.iter().find(|(k, _)| k == key)?.1
            }
            _ => return None,
        };
        next.at(rest)
    }

    fn at_mut(&mut self, segments: &[Segment]) -> Option<&mut Node> {
        let Some((first, rest)) = segments.split_first() else {
            return Some(self);
        };
        let next = match (first, self) {
            (Segment::Seq { index }, Node::List(items)) => items.get_mut(*index)?,
            (Segment::Map { key } | Segment::Enum { variant: key }, Node::Object(entries)) => {
                &mut entries.iter_mut().find(|(k, _)| k == key)?.1
            }
            _ => return None,
        };
        next.at_mut(rest)
    }

    /// This tree with each list on the way to `segments` cut to its item there, and the path to
    /// it in the cut tree: what a probe reads, as small as a big input's error allows (the items
    /// before were read without error, those after are not reached).
    fn pruned(&self, segments: &[Segment]) -> Option<(Node, Vec<Segment>)> {
        let Some((first, rest)) = segments.split_first() else {
            return Some((self.clone(), Vec::new()));
        };
        match (first, self) {
            (Segment::Seq { index }, Node::List(items)) => {
                let (item, mut path) = items.get(*index)?.pruned(rest)?;
                path.insert(0, Segment::Seq { index: 0 });
                Some((Node::List(vec![item]), path))
            }
            (Segment::Map { key } | Segment::Enum { variant: key }, Node::Object(entries)) => {
                let mut kept = Vec::with_capacity(entries.len());
                let mut path = None;
                for (k, value) in entries {
                    if k == key && path.is_none() {
                        let (value, below) = value.pruned(rest)?;
                        path = Some(below);
                        kept.push((k.clone(), value));
                    } else {
                        kept.push((k.clone(), value.clone()));
                    }
                }
                let mut path = path?;
                path.insert(0, first.clone());
                Some((Node::Object(kept), path))
            }
            _ => None,
        }
    }

    /// Whether serde's words for a found value (`string "x"`, `integer `5``, `map`) fit this.
    /// Numbers are compared by serde's text of them (`integer `5``, `floating point `60.5``,
    /// `floating point `5.0``), not parsed: the browser build carries no float parser.
    fn is(&self, found: &str) -> bool {
        match self {
            Node::Null => found == "null",
            Node::Bool(b) => found == format!("boolean `{b}`"),
            Node::I64(v) => found == format!("integer `{v}`"),
            Node::U64(v) => found == format!("integer `{v}`"),
            Node::F64(v) => {
                let text = v.to_string();
                let point = if text.contains('.') { "" } else { ".0" };
                found == format!("floating point `{text}{point}`")
            }
            Node::Str(s) => found.strip_prefix("string ") == Some(format!("{s:?}").as_str()),
            Node::List(_) => found == "sequence",
            Node::Object(_) => found == "map",
        }
    }

    /// The paths (below this node, `here`) of the values that `fits`, in the input's order,
    /// not this node itself.
    fn find(&self, fits: &dyn Fn(&Node) -> bool, here: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
        let mut visit = |segment: Segment, child: &Node, here: &mut Vec<Segment>| {
            here.push(segment);
            if fits(child) {
                out.push(here.clone());
            }
            child.find(fits, here, out);
            here.pop();
        };
        match self {
            Node::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    visit(Segment::Seq { index }, item, here);
                }
            }
            Node::Object(entries) => {
                for (key, value) in entries {
                    visit(Segment::Map { key: key.clone() }, value, here);
                }
            }
            _ => {}
        }
    }

    /// The paths of the objects at and below this node, innermost first, in the input's order.
    fn objects(&self, here: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
        match self {
            Node::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    here.push(Segment::Seq { index });
                    item.objects(here, out);
                    here.pop();
                }
            }
            Node::Object(entries) => {
                for (key, value) in entries {
                    here.push(Segment::Map { key: key.clone() });
                    value.objects(here, out);
                    here.pop();
                }
                out.push(here.clone());
            }
            _ => {}
        }
    }

    /// This value in the words of [`found_words`].
    fn words(&self) -> String {
        match self {
            Node::Null => "null".to_owned(),
            Node::Bool(b) => b.to_string(),
            Node::I64(v) => v.to_string(),
            Node::U64(v) => v.to_string(),
            Node::F64(v) => crate::money::float_text(*v),
            Node::Str(s) => format!("the string \"{}\"", crate::error::truncated(s)),
            Node::List(_) => "a list".to_owned(),
            Node::Object(_) => "an object".to_owned(),
        }
    }
}

#[cfg(feature = "ffi-full")]
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

#[cfg(feature = "ffi-full")]
struct NodeVisitor;

#[cfg(feature = "ffi-full")]
impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::I64(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::U64(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::F64(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            entries.push((key, value));
        }
        Ok(Node::Object(entries))
    }
}

#[cfg(feature = "ffi-full")]
impl Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::I64(v) => serializer.serialize_i64(*v),
            Node::U64(v) => serializer.serialize_u64(*v),
            Node::F64(v) => serializer.serialize_f64(*v),
            Node::Str(s) => serializer.serialize_str(s),
            Node::List(items) => serializer.collect_seq(items),
            Node::Object(entries) => serializer.collect_map(entries.iter().map(|(k, v)| (k, v))),
        }
    }
}

/// The error a value's own `Deserialize` raised with `tag` ([`crate::money::tagged_error`]).
fn tagged(tag: &str, field: String, value: String) -> Error {
    match tag {
        Error::NUMBER_AMOUNT => Error::InvalidAmount {
            field,
            value,
            given: AmountGiven::Number,
        },
        Error::AMOUNT_DIGITS => Error::OutOfRange {
            field,
            value,
            expected: crate::money::amount_digits(),
        },
        Error::INVALID_DATE => Error::InvalidDate { field, value },
        _ => Error::InvalidAmount {
            field,
            value,
            given: AmountGiven::Text,
        },
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// "a whole number from 0 to 4294967295" for serde's name of an integer type (written out, not
/// formatted: the browser build carries no 128-bit number formatting).
fn whole_number(expected: &str) -> Option<String> {
    let range = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "usize" => "a whole number from 0 to 18446744073709551615",
        "i8" => "a whole number from -128 to 127",
        "i16" => "a whole number from -32768 to 32767",
        "i32" => "a whole number from -2147483648 to 2147483647",
        "i64" | "isize" => "a whole number from -9223372036854775808 to 9223372036854775807",
        _ => return None,
    };
    Some(range.to_owned())
}

#[cfg(feature = "ffi-full")]
/// serde's words for a found value in the user's: `5`, `60.5`, `true`, `null`, `the string
/// "goods"`, `an object`, `a list`.
fn found_words(found: &str) -> String {
    if let Some(quoted) = found.strip_prefix("string ") {
        return format!("the string {}", shortened(quoted));
    }
    for prefix in ["integer ", "floating point ", "boolean "] {
        if let Some(value) = found.strip_prefix(prefix) {
            return value.trim_matches('`').to_owned();
        }
    }
    if let Some(c) = found.strip_prefix("character ") {
        return format!("the string \"{}\"", c.trim_matches('`'));
    }
    match found {
        "null" | "unit value" => "null",
        "map" => "an object",
        "sequence" => "a list",
        _ => "a value of another kind",
    }
    .to_owned()
}

#[cfg(feature = "ffi-full")]
/// A quoted text cut to 40 characters (`"abc..."`).
fn shortened(quoted: &str) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(quoted);
    let cut = crate::error::truncated(inner);
    format!("\"{cut}\"")
}

#[cfg(feature = "ffi-full")]
/// serde's words for what was expected in the user's. The keys of an object and the names of an
/// enum are asked of the input type (`probe`) at `segments`.
fn expected_words(expected: &str, segments: &[Segment], ctx: &Context<'_>) -> String {
    if expected.starts_with("struct ") || expected.starts_with("tuple struct ") {
        return match ctx.keys_at(segments) {
            Some(keys) if !keys.is_empty() => format!("an object with keys {}", keys.join(", ")),
            _ => "an object".to_owned(),
        };
    }
    if expected.starts_with("internally tagged enum ") {
        return match ctx.tag_at(segments) {
            Some((tag, names)) => format!("an object whose \"{tag}\" is {}", listed(&names)),
            None => "an object".to_owned(),
        };
    }
    if expected.starts_with("enum ") || expected == "variant identifier" || expected == "string or map" {
        return ctx
            .names_at(segments)
            .map_or_else(|| "a string".to_owned(), |names| listed(&names));
    }
    match expected {
        "a sequence" => "a list",
        "a map" => "an object",
        "a boolean" => "true or false",
        "f32" | "f64" => "a number",
        "a character" => "a single character",
        "unit" => "null",
        "option" => "a value or null",
        "field identifier" => "a key",
        "fewer elements in array" => "fewer items in the list",
        "fewer elements in map" => "fewer keys in the object",
        other if other.starts_with("a tuple of size ") || other.starts_with("tuple of ") => "a list of fixed length",
        other => other,
    }
    .to_owned()
}

#[cfg(feature = "ffi-full")]
/// `one of a, b, c` (`a` alone, `a or b`).
fn listed(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        many => format!("one of {}", many.join(", ")),
    }
}

#[cfg(feature = "ffi-full")]
/// A JSON text that holds `leaf` at `segments` and nothing else (lists hold it as their one item).
fn synthetic(segments: &[Segment], leaf: &str) -> Option<String> {
    let mut open = String::new();
    let mut close = String::new();
    for segment in segments {
        match segment {
            Segment::Map { key } | Segment::Enum { variant: key } => {
                open.push('{');
                open.push_str(&serde_json::to_string(key).ok()?);
                open.push(':');
                close.insert(0, '}');
            }
            Segment::Seq { .. } => {
                open.push('[');
                close.insert(0, ']');
            }
            Segment::Unknown => return None,
        }
    }
    Some(format!("{open}{leaf}{close}"))
}

#[cfg(test)]
mod tests {
    use super::whole_number;

    #[test]
    fn the_ranges_of_whole_numbers_are_those_of_their_types() {
        let cases: [(&str, i128, i128); 8] = [
            ("u8", 0, u8::MAX.into()),
            ("u16", 0, u16::MAX.into()),
            ("u32", 0, u32::MAX.into()),
            ("u64", 0, u64::MAX.into()),
            ("i8", i8::MIN.into(), i8::MAX.into()),
            ("i16", i16::MIN.into(), i16::MAX.into()),
            ("i32", i32::MIN.into(), i32::MAX.into()),
            ("i64", i64::MIN.into(), i64::MAX.into()),
        ];
        for (name, min, max) in cases {
            assert_eq!(whole_number(name), Some(format!("a whole number from {min} to {max}")));
        }
        assert_eq!(whole_number("f64"), None);
    }
}
