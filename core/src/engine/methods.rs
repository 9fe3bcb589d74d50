//! The engine's methods as every binding offers them: one table ([`METHODS`]) and one
//! dispatch ([`Engine::call`], [`Engine::query`]) over camelCase input DTOs, written once by
//! the macro below (`spec/engine.md`, "Methods").
//!
//! A binding does not write a wrapper per method: it hands a method's name and its input (read
//! by any [`Source`]: JSON text, a [`serde_json::Value`], Python objects) to
//! [`Engine::call`] or [`Engine::query`], and builds its per-method functions and type stubs
//! from [`METHODS`]: each entry names the method, its parameters in order (the input DTO's
//! keys, with their TypeScript types), the input DTO and the output. Adding a method touches
//! this table, its vectors and its spec.

use serde::{Deserialize, Serialize};

use crate::account::{AccountEventDto, Obligation};
use crate::buyer::BuyerDto;
use crate::calendar::IsoDate;
use crate::cover::{CoverFigures, CoverType, DeliveryOrderDto};
use crate::decision::Decision;
use crate::engine::{BuyerEventDto, Engine};
use crate::error::Error;
use crate::ffi::Source;
use crate::i18n::Language;
use crate::money::{DecimalString, Money, MoneyDto};
use crate::policy::PolicyDto;

/// One parameter of a method: a key of its input DTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The key, camelCase as in the input DTO (`asOf`).
    pub name: &'static str,
    /// Its TypeScript type (`string` for dates and keys, else the DTO's name).
    pub ts_type: &'static str,
    /// Whether it may be left out.
    pub optional: bool,
}

/// One method of the engine, as the bindings offer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// The method's name, snake_case (`check_cover`); JS uses its camelCase form.
    pub name: &'static str,
    /// Whether it changes the engine ([`Engine::call`] only) or only reads it ([`Engine::query`]).
    pub changes: bool,
    /// Its parameters, in the order the bindings take them.
    pub params: &'static [Param],
    /// The name of its input DTO (the object of `params`).
    pub input: &'static str,
    /// The TypeScript type of its output (`Decision`, `CoverFiguresDto`, `null`, ...).
    pub output: &'static str,
    /// One line on what it does.
    pub doc: &'static str,
}

/// What a method returns.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum MethodOutput {
    /// A decision (`check_cover`, `account_state`, `limit_state`, `obligations`).
    Decision(Decision),
    /// The figures of a cover check (`cover_figures`).
    Figures(CoverFiguresDto),
    /// An amount (`outstanding`).
    Money(MoneyDto),
    /// One buyer's duties (`buyer_obligations`).
    Obligations(Vec<Obligation>),
    /// One buyer's log (`events`).
    Events(Vec<AccountEventDto>),
    /// The buyers' keys (`buyer_keys`).
    Keys(Vec<String>),
    /// A count or a position (`add_buyer`, `apply_all`, `buyer_count`).
    Count(u64),
    /// Text (`snapshot`).
    Text(String),
    /// The engine's policy (`policy`).
    Policy(Box<PolicyDto>),
    /// Nothing (`apply`, `set_policy`): `null`.
    None,
}

/// The figures of a cover check as they cross a boundary: [`CoverFigures`], amounts at full
/// precision (a decision rounds them).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverFiguresDto {
    /// The part of the delivery that is insured.
    pub covered: MoneyDto,
    /// The part that is not.
    pub uncovered: MoneyDto,
    /// The cover used.
    pub cover_type: CoverType,
    /// The named limit used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub limit: Option<MoneyDto>,
    /// Whether an overdue takes the delivery out of cover (OVD-2, OVD-3, DIS-6).
    pub excluded_by_overdue: bool,
}

fn money_dto(m: Money) -> MoneyDto {
    MoneyDto {
        amount: DecimalString(m.amount),
        currency: m.currency.code().to_owned(),
    }
}

impl From<CoverFigures> for CoverFiguresDto {
    fn from(f: CoverFigures) -> Self {
        CoverFiguresDto {
            covered: money_dto(f.covered),
            uncovered: money_dto(f.uncovered),
            cover_type: f.cover_type,
            limit: f.limit.map(money_dto),
            excluded_by_overdue: f.overdue.is_some_and(|e| e.excludes()),
        }
    }
}

/// Input of `add_buyer`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddBuyerInput {
    /// The buyer's key, unique in the engine.
    pub id: String,
    /// The buyer.
    pub buyer: BuyerDto,
}

/// Input of `apply`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplyInput {
    /// The buyer's key.
    pub buyer: String,
    /// The event.
    pub event: AccountEventDto,
}

/// Input of `apply_all`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplyAllInput {
    /// The events, each with its buyer's key, applied in this order.
    pub events: Vec<BuyerEventDto>,
}

/// Input of `set_policy`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetPolicyInput {
    /// The policy.
    pub policy: PolicyDto,
}

/// Input of `cover_figures` and `check_cover`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CoverInput {
    /// The buyer's key.
    pub buyer: String,
    /// The planned delivery.
    pub delivery: DeliveryOrderDto,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// Input of the questions about one buyer on a date.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuyerAsOfInput {
    /// The buyer's key.
    pub buyer: String,
    /// The date asked about.
    pub as_of: IsoDate,
}

/// Input of `events`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuyerInput {
    /// The buyer's key.
    pub buyer: String,
}

/// Input of `obligations`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorklistInput {
    /// The date asked about.
    pub as_of: IsoDate,
    /// Language of the messages (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: Option<String>,
}

/// Input of the methods without parameters.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoInput {}

/// Writes [`METHODS`], [`Engine::call`] and [`Engine::query`] from one list: each method's
/// doc line, whether it reads or changes the engine, its parameters `(key, TS type,
/// optional)`, its input DTO, its output's TS type and its body.
macro_rules! methods {
    ($(
        #[doc = $doc:literal]
        $kind:ident $name:ident [$(($key:literal, $ty:literal, $opt:literal)),*] ($input:ident) -> $out:literal
            = |$engine:ident, $arg:ident| $body:expr;
    )*) => {
        /// Every method of the engine, in this order: the table the bindings are built from.
        pub const METHODS: &[Method] = &[$(Method {
            name: stringify!($name),
            changes: methods!(@changes $kind),
            params: &[$(Param { name: $key, ts_type: $ty, optional: $opt }),*],
            input: stringify!($input),
            output: $out,
            doc: $doc,
        }),*];

        impl Engine {
            /// Runs method `method` of [`METHODS`] on `input` (its input DTO, read from any
            /// [`Source`]). A method that only reads runs as [`Engine::query`] runs it. An
            /// unknown name is `unknown_op` (field `op`).
            pub fn call<S: Source>(&mut self, method: &str, input: S) -> Result<MethodOutput, Error> {
                match method {
                    $(stringify!($name) => methods!(@call $kind self method input $input |$engine, $arg| $body),)*
                    other => Err(unknown(other)),
                }
            }

            /// Runs method `method` of [`METHODS`] that only reads the engine, on `input`; a
            /// method that changes the engine is for [`Engine::call`] (`internal`: a binding's
            /// mistake, not the caller's).
            pub fn query<S: Source>(&self, method: &str, input: S) -> Result<MethodOutput, Error> {
                match method {
                    $(stringify!($name) => methods!(@query $kind self method input $input |$engine, $arg| $body),)*
                    other => Err(unknown(other)),
                }
            }
        }
    };
    (@changes write) => { true };
    (@changes read) => { false };
    (@call write $self:ident $m:ident $input:ident $Input:ident |$engine:ident, $arg:ident| $body:expr) => {{
        let $arg: $Input = crate::ffi::parse($input)?;
        let $engine = $self;
        $body
    }};
    (@call read $self:ident $m:ident $input:ident $Input:ident |$engine:ident, $arg:ident| $body:expr) => {
        $self.query($m, $input)
    };
    (@query write $self:ident $m:ident $input:ident $Input:ident |$engine:ident, $arg:ident| $body:expr) => {
        Err(Error::Internal { detail: format!("method {} changes the engine: run it with Engine::call", $m) })
    };
    (@query read $self:ident $m:ident $input:ident $Input:ident |$engine:ident, $arg:ident| $body:expr) => {{
        let $arg: $Input = crate::ffi::parse($input)?;
        let $engine = $self;
        $body
    }};
}

fn unknown(method: &str) -> Error {
    Error::UnknownOp {
        value: method.chars().take(40).collect(),
    }
}

fn lang(lang: Option<&str>) -> Result<Option<Language>, Error> {
    lang.map(|l| Language::parse("lang", l)).transpose()
}

fn count(n: usize) -> MethodOutput {
    MethodOutput::Count(n as u64)
}

methods! {
    /// Adds a buyer under a key with an empty account; returns its position.
    write add_buyer [("id", "string", false), ("buyer", "BuyerDto", false)] (AddBuyerInput) -> "number"
        = |e, i| e.add_buyer(&i.id, i.buyer).map(|b| count(b.index()));
    /// Applies one event to a buyer's account.
    write apply [("buyer", "string", false), ("event", "AccountEventDto", false)] (ApplyInput) -> "null"
        = |e, i| e.apply(&i.buyer, i.event).map(|()| MethodOutput::None);
    /// Applies events in order, each with its buyer; returns how many were applied.
    write apply_all [("events", "BuyerEventDto[]", false)] (ApplyAllInput) -> "number"
        = |e, i| e.apply_all(i.events).map(count);
    /// Gives the engine its policy again: the same is accepted, another is `policy_already_set`.
    write set_policy [("policy", "PolicyDto", false)] (SetPolicyInput) -> "null"
        = |e, i| e.set_policy(&i.policy).map(|()| MethodOutput::None);
    /// The covered and uncovered parts of a planned delivery on a date, without the explanation.
    read cover_figures [("buyer", "string", false), ("delivery", "DeliveryOrderDto", false), ("asOf", "string", false)]
        (CoverInput) -> "CoverFiguresDto"
        = |e, i| e.cover_figures_of(&i.buyer, &i.delivery, i.as_of.0).map(|f| MethodOutput::Figures(f.into()));
    /// The explained cover decision for a planned delivery on a date (op `check_delivery_cover`).
    read check_cover [("buyer", "string", false), ("delivery", "DeliveryOrderDto", false), ("asOf", "string", false)]
        (CoverInput) -> "Decision"
        = |e, i| e.check_cover(&i.buyer, &i.delivery, i.as_of.0).map(MethodOutput::Decision);
    /// What the buyer owes on a date.
    read outstanding [("buyer", "string", false), ("asOf", "string", false)] (BuyerAsOfInput) -> "MoneyDto"
        = |e, i| e.outstanding(&i.buyer, i.as_of.0).map(|m| MethodOutput::Money(money_dto(m)));
    /// The buyer's account on a date (op `account_state`).
    read account_state [("buyer", "string", false), ("asOf", "string", false)] (BuyerAsOfInput) -> "Decision"
        = |e, i| e.account_state(&i.buyer, i.as_of.0).map(MethodOutput::Decision);
    /// The buyer's limit on a date (op `limit_state` on its limit events).
    read limit_state [("buyer", "string", false), ("asOf", "string", false)] (BuyerAsOfInput) -> "Decision"
        = |e, i| e.limit_state(&i.buyer, i.as_of.0).map(MethodOutput::Decision);
    /// One buyer's duties on a date, by due date.
    read buyer_obligations [("buyer", "string", false), ("asOf", "string", false)] (BuyerAsOfInput) -> "Obligation[]"
        = |e, i| e.buyer_obligations(&i.buyer, i.as_of.0).map(MethodOutput::Obligations);
    /// The worklist of every buyer on a date (op `obligations`), messages in `lang` when given.
    read obligations [("asOf", "string", false), ("lang", "Language", true)] (WorklistInput) -> "Decision"
        = |e, i| e.obligations(i.as_of.0, lang(i.lang.as_deref())?).map(MethodOutput::Decision);
    /// A buyer's log, in the order it is read.
    read events [("buyer", "string", false)] (BuyerInput) -> "AccountEventDto[]"
        = |e, i| e.events(&i.buyer).map(|ev| MethodOutput::Events(ev.to_vec()));
    /// The policy the engine was created with.
    read policy [] (NoInput) -> "PolicyDto"
        = |e, _i| Ok(MethodOutput::Policy(Box::new(e.policy().clone())));
    /// The buyers' keys, in the order they were added.
    read buyer_keys [] (NoInput) -> "string[]"
        = |e, _i| Ok(MethodOutput::Keys(e.buyer_keys().map(str::to_owned).collect()));
    /// The engine as snapshot text (format version 1), for `restore`.
    read snapshot [] (NoInput) -> "string"
        = |e, _i| e.snapshot().map(MethodOutput::Text);
}

/// The names of [`METHODS`], in order.
pub fn names() -> impl Iterator<Item = &'static str> {
    METHODS.iter().map(|m| m.name)
}

/// The method of [`METHODS`] named `name`.
pub fn method(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}
