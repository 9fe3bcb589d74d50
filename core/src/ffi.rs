//! The boundary every binding calls: named operations over camelCase JSON DTOs.
//!
//! A binding hands an op name and its input (JSON text, or an already-built
//! [`serde_json::Value`]) to [`call`], or its own objects read by its own deserializer (a
//! [`Source`]) to [`call_source`], and gets back an [`Output`] (serialize it with any serde
//! serializer) or an [`Error`] whose field path points into the input. Unknown fields, missing
//! fields, wrong types, floats where amounts are expected: all are typed errors. A panic inside
//! the engine, should one still happen, is caught here and returned as [`Error::Internal`].
//!
//! Ops: `validate_policy`, `check_insurability`, `explain` (foundation); `check_delivery_cover`,
//! `limit_state`, `check_limit_application`, `assess_discretionary`, `peak_outstanding`,
//! `average_outstanding` (limits, self-assessment, exposure); `overdue_report`,
//! `notification_duty` (overdues, OVD); `turnover_premium`, `declaration_status`,
//! `validate_turnover_declaration`, `balance_premium` (premium and declarations, PRM);
//! `account_state`, `obligations` (one buyer's account over time and the worklist, ACC);
//! `insured_event`, `check_claim_file`, `indemnity`, `recovery` (claims, CLM);
//! `collection_handover`, `check_collection_file`, `collection_contact_schedule`,
//! `dispute_collection`, `check_pre_export` (collections, COL);
//! `validate_limit_application`, `validate_turnover_declaration_form`,
//! `validate_claim_file_form`, `validate_collection_file_form`, `validate_overdue_report_form`
//! (form validators with field-keyed, localized messages: [`crate::form`]);
//! property-claims intake (PCI):
//! `intake_order`, `check_water_damage`, `follow_up_remote_assessment`, `check_expertise`.
//! Each op's input type is named after it (`CheckDeliveryCoverInput`, ...) in the module of
//! its rules.
//!
//! Every op is there with the default feature `ffi-full`. Without it only [`FORM_OPS`] are (the
//! form validators, the cover and insurability checks, `explain`), and only their code is
//! compiled in: the browser build of the npm package is made so, to stay under its download
//! budget. `explain` reads a decision's outcome and reasons; its amounts and details are
//! accepted as any JSON (within [`MAX_DEPTH`]) and not read.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::buyer::{check_insurability, BuyerDto, ReceivableDto};
use crate::decision::{Decision, Explanation};
use crate::error::{Error, Problem};
use crate::i18n::Language;
use crate::policy::PolicyDto;
#[cfg(feature = "ffi-full")]
use crate::property;

/// The op names [`call`] knows, sorted: every op (feature `ffi-full`, on by default).
#[cfg(feature = "ffi-full")]
pub const OPS: &[&str] = &[
    "account_state",
    "assess_discretionary",
    "average_outstanding",
    "balance_premium",
    "check_claim_file",
    "check_collection_file",
    "check_delivery_cover",
    "check_expertise",
    "check_insurability",
    "check_limit_application",
    "check_pre_export",
    "check_water_damage",
    "collection_contact_schedule",
    "collection_handover",
    "declaration_status",
    "dispute_collection",
    "explain",
    "follow_up_remote_assessment",
    "indemnity",
    "insured_event",
    "intake_order",
    "limit_state",
    "notification_duty",
    "obligations",
    "overdue_report",
    "peak_outstanding",
    "recovery",
    "turnover_premium",
    "validate_claim_file_form",
    "validate_collection_file_form",
    "validate_limit_application",
    "validate_overdue_report_form",
    "validate_policy",
    "validate_turnover_declaration",
    "validate_turnover_declaration_form",
];

/// The op names [`call`] knows, sorted. Without the feature `ffi-full`, only [`FORM_OPS`].
#[cfg(not(feature = "ffi-full"))]
pub const OPS: &[&str] = FORM_OPS;

/// The ops a web form needs, sorted: the form validators, the checks and the explanation. A
/// build without the feature `ffi-full` (the browser build of the npm package) has only these,
/// so that it carries only their code.
pub const FORM_OPS: &[&str] = &[
    "check_delivery_cover",
    "check_insurability",
    "explain",
    "validate_claim_file_form",
    "validate_collection_file_form",
    "validate_limit_application",
    "validate_overdue_report_form",
    "validate_policy",
    "validate_turnover_declaration_form",
];

/// An op's input: JSON text (duplicate keys are refused) or a JSON value.
#[derive(Debug, Clone)]
pub enum Input<'a> {
    /// JSON text.
    Json(&'a str),
    /// An already-parsed value (e.g. built from Python objects).
    Value(serde_json::Value),
}

/// Input of `validate_policy`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidatePolicyInput {
    /// The policy to validate.
    pub policy: PolicyDto,
}

/// Output of `validate_policy`: every problem at once (POL).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyReport {
    /// True when there is no problem.
    pub valid: bool,
    /// Problems with code, field path (relative to the policy) and message.
    pub problems: Vec<Problem>,
}

/// Input of `check_insurability` (BUY-1..5).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckInsurabilityInput {
    /// Policy terms.
    pub policy: PolicyDto,
    /// The buyer.
    pub buyer: BuyerDto,
    /// The receivable or planned delivery.
    pub receivable: ReceivableDto,
}

/// Input of `explain`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExplainInput {
    /// A decision returned by another op.
    pub decision: Decision,
    /// `en`, `de`, `fr`, `nl` or `da`.
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: String,
}

/// What op `explain` reads of an [`ExplainInput`]: of the decision only its outcome and
/// reasons (its amounts and details are accepted and not read).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExplainRequest {
    decision: crate::decision::DecisionToExplain,
    lang: String,
}

/// What an op returns.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Output {
    /// A decision (`check_insurability` and the property-claims ops).
    Decision(Decision),
    /// A policy report (`validate_policy`).
    PolicyReport(PolicyReport),
    /// A rendered decision (`explain`).
    Explanation(Explanation),
    /// Field-keyed, rendered messages of a form validator (`validate_limit_application`,
    /// `validate_turnover_declaration_form`, `validate_claim_file_form`,
    /// `validate_collection_file_form`, `validate_overdue_report_form`).
    FormReport(crate::form::FormReport),
}

/// An error as it crosses a boundary.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDto {
    /// Stable snake_case code.
    pub code: String,
    /// Field path into the input.
    pub field: String,
    /// Lowercase English message naming the field and value.
    pub message: String,
    /// For `invalid_policy`: every problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl From<&Error> for ErrorDto {
    fn from(e: &Error) -> Self {
        ErrorDto {
            code: e.code().to_owned(),
            field: e.field().to_owned(),
            message: e.to_string(),
            problems: match e {
                Error::InvalidPolicy { problems } => problems.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// Runs op `op` on `input`. Never panics: a panic inside is returned as [`Error::Internal`].
///
/// ```
/// use delcredere::ffi::{call, Input, Output};
/// let out = call("explain", Input::Json(r#"{"lang": "fr", "decision": {"outcome": "insurable", "reasons": []}}"#)).unwrap();
/// let Output::Explanation(e) = out else { unreachable!() };
/// assert_eq!(e.summary, "Assurable.");
/// ```
pub fn call(op: &str, input: Input<'_>) -> Result<Output, Error> {
    guarded(|| dispatch(op, input, &InPlace))
}

/// [`call`] with JSON text in and out. It reads text only: a binding that calls only this
/// (WebAssembly) does not carry the code that deserializes [`serde_json::Value`]s.
pub fn call_json(op: &str, input: &str) -> Result<String, Error> {
    let output = guarded(|| dispatch(op, input, &InPlace))?;
    serde_json::to_string(&output).map_err(|e| Error::Internal { detail: e.to_string() })
}

/// [`call`] on any [`Source`] (e.g. a binding's own objects, read by its own deserializer),
/// with the op's computation run by `compute` once the input is read. Never panics: a panic
/// inside is returned as [`Error::Internal`].
pub fn call_source<I: Source, C: Compute>(op: &str, input: I, compute: &C) -> Result<Output, Error> {
    // A source or computer that is not unwind safe is left behind as it is: after a panic
    // the caller gets `internal` and does not read either again.
    let call = std::panic::AssertUnwindSafe(|| dispatch(op, input, compute));
    guarded(call)
}

/// Where an op's computation runs once its input is read. [`call`] and [`call_json`] run it in
/// place; a binding may run it elsewhere: the Python binding releases the GIL around the
/// computation on a large input (its input is read with the GIL held).
pub trait Compute {
    /// Runs `f` (an op's rules on its input) and returns what it returns.
    fn compute<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R;
}

/// Runs the computation in place (what [`call`] and [`call_json`] do).
#[derive(Debug, Clone, Copy, Default)]
pub struct InPlace;

impl Compute for InPlace {
    fn compute<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        f()
    }
}

/// Reads `input` as `T`, then runs `rules` on it through `compute`.
fn run<T, O, I, C, R, W>(input: I, compute: &C, rules: R, wrap: W) -> Result<Output, Error>
where
    T: DeserializeOwned + Sync,
    I: Source,
    C: Compute,
    R: FnOnce(&T) -> Result<O, Error> + Send,
    W: FnOnce(O) -> Output + Send,
{
    let input: T = parse(input)?;
    compute.compute(|| rules(&input).map(wrap))
}

/// Runs `f`, returning a panic inside as [`Error::Internal`] with the panic's message.
fn guarded(f: impl FnOnce() -> Result<Output, Error> + std::panic::UnwindSafe) -> Result<Output, Error> {
    std::panic::catch_unwind(f).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Err(Error::Internal { detail })
    })
}

fn dispatch<I: Source, C: Compute>(op: &str, input: I, compute: &C) -> Result<Output, Error> {
    match op {
        "validate_policy" => run(
            input,
            compute,
            |input: &ValidatePolicyInput| {
                let problems = match input.policy.validate() {
                    Ok(_) => Vec::new(),
                    Err(e) => e.problems(),
                };
                Ok(PolicyReport {
                    valid: problems.is_empty(),
                    problems,
                })
            },
            Output::PolicyReport,
        ),
        "check_insurability" => run(
            input,
            compute,
            |input: &CheckInsurabilityInput| {
                let policy = input.policy.validate()?;
                check_insurability(&policy, &input.buyer, &input.receivable)
            },
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "assess_discretionary" => run(
            input,
            compute,
            crate::discretionary::assess_discretionary,
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "average_outstanding" => run(input, compute, crate::exposure::average_outstanding, Output::Decision),
        "check_delivery_cover" => run(input, compute, crate::cover::check_delivery_cover, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "check_limit_application" => run(input, compute, crate::limit::check_limit_application, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "limit_state" => run(input, compute, crate::limit::limit_state, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "notification_duty" => run(
            input,
            compute,
            crate::overdue::duty::notification_duty,
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "overdue_report" => run(input, compute, crate::overdue::overdue_report, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "peak_outstanding" => run(
            input,
            compute,
            crate::exposure::peak_outstanding_decision,
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "turnover_premium" => run(input, compute, crate::premium::turnover_premium, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "declaration_status" => run(input, compute, crate::premium::declaration_status, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "balance_premium" => run(input, compute, crate::premium::balance_premium, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "validate_turnover_declaration" => run(
            input,
            compute,
            crate::declaration::validate_turnover_declaration,
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "insured_event" => run(input, compute, crate::claim::insured_event, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "check_claim_file" => run(input, compute, crate::claim::check_claim_file, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "indemnity" => run(input, compute, crate::claim::indemnity::indemnity, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "recovery" => run(input, compute, crate::claim::recovery::recovery, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "collection_handover" => run(input, compute, crate::collection::collection_handover, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "check_collection_file" => run(
            input,
            compute,
            crate::collection::check_collection_file,
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "collection_contact_schedule" => run(
            input,
            compute,
            crate::collection::collection_contact_schedule,
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "dispute_collection" => run(input, compute, crate::collection::dispute_collection, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "check_pre_export" => run(input, compute, crate::collection::check_pre_export, Output::Decision),
        "validate_limit_application" => run(
            input,
            compute,
            crate::form::validate_limit_application,
            Output::FormReport,
        ),
        "validate_claim_file_form" => run(
            input,
            compute,
            crate::form::validate_claim_file_form,
            Output::FormReport,
        ),
        "validate_collection_file_form" => run(
            input,
            compute,
            crate::form::validate_collection_file_form,
            Output::FormReport,
        ),
        "validate_overdue_report_form" => run(
            input,
            compute,
            crate::form::validate_overdue_report_form,
            Output::FormReport,
        ),
        // Reads its input twice (a second time for `lang` when the first read fails), so its
        // small computation runs in place, where the input is read.
        "validate_turnover_declaration_form" => {
            crate::form::validate_turnover_declaration_form(input).map(Output::FormReport)
        }
        #[cfg(feature = "ffi-full")]
        "intake_order" => run(
            input,
            compute,
            |input: &property::IntakeOrderInput| property::intake_order(&input.order),
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "check_water_damage" => run(
            input,
            compute,
            |input: &property::CheckWaterDamageInput| property::check_water_damage(&input.claim),
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "follow_up_remote_assessment" => run(
            input,
            compute,
            |input: &property::FollowUpRemoteAssessmentInput| {
                property::follow_up_remote_assessment(&input.follow_up, input.as_of)
            },
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "check_expertise" => run(
            input,
            compute,
            |input: &property::CheckExpertiseInput| property::check_expertise(&input.claim),
            Output::Decision,
        ),
        #[cfg(feature = "ffi-full")]
        "account_state" => run(input, compute, crate::account::account_state, Output::Decision),
        #[cfg(feature = "ffi-full")]
        "obligations" => run(input, compute, crate::account::obligations, Output::Decision),
        "explain" => run(
            input,
            compute,
            |input: &ExplainRequest| input.decision.explain(Language::parse("lang", &input.lang)?),
            Output::Explanation,
        ),
        // A deliberately panicking op, compiled only with the `test-panic` feature, to test
        // that a panic becomes `internal` at every boundary.
        #[cfg(feature = "test-panic")]
        #[allow(clippy::panic)]
        "__panic" => panic!("deliberate panic for tests"),
        other => Err(Error::UnknownOp {
            value: other.chars().take(40).collect(),
        }),
    }
}

/// Deserializes an op input, turning serde's errors into typed [`Error`]s with field paths.
/// Largest input accepted, in bytes of JSON text (or of strings and keys in a value): 16 MiB.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Deepest nesting of arrays and objects accepted (serde_json's own limit for text).
pub const MAX_DEPTH: usize = 128;

/// Checks a value against [`MAX_INPUT_BYTES`] and [`MAX_DEPTH`] without recursion.
fn check_value_limits(value: &serde_json::Value) -> Result<(), Error> {
    let mut stack = vec![(value, 0usize)];
    let mut bytes = 0usize;
    while let Some((v, depth)) = stack.pop() {
        match v {
            serde_json::Value::String(s) => bytes = bytes.saturating_add(s.len()),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) if depth >= MAX_DEPTH => {
                return Err(too_deep("input"));
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    bytes = bytes.saturating_add(k.len());
                    stack.push((item, depth + 1));
                }
            }
            _ => bytes = bytes.saturating_add(8),
        }
        if bytes > MAX_INPUT_BYTES {
            return Err(too_large(bytes));
        }
    }
    Ok(())
}

/// Reads a [`serde_json::Value`] from any self-describing deserializer (a binding's own
/// objects: the JS engine's arguments) within [`MAX_DEPTH`] and [`MAX_INPUT_BYTES`], counted as
/// for a value ([`Source`] for `serde_json::Value`: the bytes of strings and keys, 8 per other
/// scalar): the read stops at the first array or object too deep (`invalid_json`, field
/// `input`) or at the byte past the limit (`out_of_range`, field `input`), so that neither a
/// deep nesting (the deserializer's recursion) nor a huge input is read whole before it is
/// refused. The deserializer's own errors become `other`'s.
pub fn value_within_limits<'de, D>(
    deserializer: D,
    other: impl FnOnce(D::Error) -> Error,
) -> Result<serde_json::Value, Error>
where
    D: serde::Deserializer<'de>,
{
    let budget = limits::Budget::default();
    let read = serde::de::DeserializeSeed::deserialize(
        limits::Seed {
            budget: &budget,
            depth: 0,
        },
        deserializer,
    );
    match (budget.hit.take(), read) {
        (Some(limit), _) => Err(limit),
        (None, Ok(value)) => Ok(value),
        (None, Err(e)) => Err(other(e)),
    }
}

/// The reader of [`value_within_limits`].
mod limits {
    use std::cell::Cell;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};

    use super::{too_deep, too_large, MAX_DEPTH, MAX_INPUT_BYTES};
    use crate::error::Error;

    /// The bytes counted so far, and the limit hit, if any.
    #[derive(Default)]
    pub(super) struct Budget {
        pub(super) bytes: Cell<usize>,
        pub(super) hit: Cell<Option<Error>>,
    }

    impl Budget {
        fn spend<E: de::Error>(&self, n: usize) -> Result<(), E> {
            let bytes = self.bytes.get().saturating_add(n);
            self.bytes.set(bytes);
            if bytes > MAX_INPUT_BYTES {
                return Err(self.stop(too_large(bytes)));
            }
            Ok(())
        }

        fn stop<E: de::Error>(&self, limit: Error) -> E {
            let message = limit.to_string();
            self.hit.set(Some(limit));
            E::custom(message)
        }
    }

    /// A value at `depth` (the input itself at 0).
    #[derive(Clone, Copy)]
    pub(super) struct Seed<'a> {
        pub(super) budget: &'a Budget,
        pub(super) depth: usize,
    }

    impl Seed<'_> {
        fn scalar<E: de::Error>(self, value: Value) -> Result<Value, E> {
            self.budget.spend(8)?;
            Ok(value)
        }

        fn text<E: de::Error>(self, text: String) -> Result<Value, E> {
            self.budget.spend(text.len())?;
            Ok(Value::String(text))
        }

        fn nested<E: de::Error>(self) -> Result<Self, E> {
            if self.depth >= MAX_DEPTH {
                return Err(self.budget.stop(too_deep("input")));
            }
            Ok(Seed {
                budget: self.budget,
                depth: self.depth + 1,
            })
        }
    }

    impl<'de> DeserializeSeed<'de> for Seed<'_> {
        type Value = Value;

        fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Seed<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
            self.scalar(Value::Bool(v))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
            self.scalar(Value::Number(v.into()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
            self.scalar(Value::Number(v.into()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
            self.scalar(Number::from_f64(v).map_or(Value::Null, Value::Number))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
            self.text(v.to_owned())
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
            self.text(v)
        }

        fn visit_none<E: de::Error>(self) -> Result<Value, E> {
            self.scalar(Value::Null)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            self.scalar(Value::Null)
        }

        fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let item = self.nested()?;
            let mut items = Vec::new();
            while let Some(value) = seq.next_element_seed(item)? {
                items.push(value);
            }
            Ok(Value::Array(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let item = self.nested()?;
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                self.budget.spend(key.len())?;
                let value = map.next_value_seed(item)?;
                out.insert(key, value);
            }
            Ok(Value::Object(out))
        }
    }
}

/// The error of an input over [`MAX_INPUT_BYTES`] (`bytes` counted so far): `out_of_range` on
/// field `input`.
pub fn too_large(bytes: usize) -> Error {
    Error::OutOfRange {
        field: "input".to_owned(),
        value: format!("{bytes} bytes"),
        expected: format!("at most {MAX_INPUT_BYTES} bytes"),
    }
}

/// The error of an array or object nested deeper than [`MAX_DEPTH`] at `field`: `invalid_json`.
pub fn too_deep(field: &str) -> Error {
    Error::InvalidJson {
        field: field.to_owned(),
        detail: format!("nesting deeper than {MAX_DEPTH} levels"),
    }
}

/// What an op's input is read from: JSON text (`&str`, duplicate keys are refused), a
/// [`serde_json::Value`], or an [`Input`] holding either. Generic so that a caller of
/// [`call_json`] carries only the code that reads text.
pub trait Source: Clone {
    /// Whether the input is a JSON object (what every op takes).
    fn is_object(&self) -> bool;
    /// Deserializes `T`, checking [`MAX_INPUT_BYTES`] and [`MAX_DEPTH`].
    fn deserialize<T: DeserializeOwned>(self) -> Result<T, Error>;
}

impl Source for &str {
    fn is_object(&self) -> bool {
        self.trim_start().starts_with('{')
    }

    fn deserialize<T: DeserializeOwned>(self) -> Result<T, Error> {
        if self.len() > MAX_INPUT_BYTES {
            return Err(too_large(self.len()));
        }
        let mut de = serde_json::Deserializer::from_str(self);
        #[cfg(feature = "ffi-full")]
        let value = {
            let mut again = serde_json::Deserializer::from_str(self);
            deserialize_twice(&mut de, &mut again)?
        };
        // The browser build reads the text once, and again only to tell a value of another kind
        // from malformed JSON.
        #[cfg(not(feature = "ffi-full"))]
        let value = match deserialize_from(&mut de) {
            Ok(value) => value,
            Err(e) => return Err(crate::serde_error::light::in_text(e, self)),
        };
        de.end().map_err(|e| Error::InvalidJson {
            field: "input".to_owned(),
            detail: crate::serde_error::strip_position(&e.to_string()),
        })?;
        Ok(value)
    }
}

impl Source for serde_json::Value {
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }

    fn deserialize<T: DeserializeOwned>(self) -> Result<T, Error> {
        check_value_limits(&self)?;
        deserialize_twice(&self, &self)
    }
}

impl Source for Input<'_> {
    fn is_object(&self) -> bool {
        match self {
            Input::Json(text) => text.is_object(),
            Input::Value(value) => value.is_object(),
        }
    }

    fn deserialize<T: DeserializeOwned>(self) -> Result<T, Error> {
        match self {
            Input::Json(text) => text.deserialize(),
            Input::Value(value) => value.deserialize(),
        }
    }
}

/// Deserializes an op input, turning serde's errors into typed [`Error`]s with field paths.
/// Inputs over [`MAX_INPUT_BYTES`] are `out_of_range`; nesting over [`MAX_DEPTH`] is
/// `invalid_json`.
pub fn parse<T: DeserializeOwned, I: Source>(input: I) -> Result<T, Error> {
    if !input.is_object() {
        return Err(Error::InvalidType {
            field: "input".to_owned(),
            detail: "expected a JSON object".to_owned(),
        });
    }
    input.deserialize()
}

/// Deserializes `T` from any deserializer whose error is serde_json's (JSON text, a
/// [`serde_json::Value`], a binding's own objects), turning its errors into typed [`Error`]s
/// with field paths, as every [`Source`] does: the path goes down to the key itself, and the
/// message says what to give in the input's words (no Rust type names). It checks no limit:
/// that is the source's job.
pub fn deserialize_from<'de, D, T>(deserializer: D) -> Result<T, Error>
where
    D: serde::Deserializer<'de, Error = serde_json::Error>,
    T: DeserializeOwned,
{
    crate::serde_error::read(deserializer, None)
}

/// [`deserialize_from`], with a second reader of the same input, read only when the first read
/// fails: the error is then placed inside internally tagged enums too (`limitEvents[1].amount`,
/// not `limitEvents[1]`), where serde's path stops at the enum. Every [`Source`] reads so.
pub fn deserialize_twice<'de, D, T>(deserializer: D, again: D) -> Result<T, Error>
where
    D: serde::Deserializer<'de, Error = serde_json::Error>,
    T: DeserializeOwned,
{
    crate::serde_error::read(deserializer, Some(again))
}
