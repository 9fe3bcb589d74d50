//! WebAssembly bindings of `delcredere`: the npm package `delcredere`.
//!
//! Every function takes a plain JS object (the camelCase input DTO of an op, amounts as decimal
//! strings), hands it to [`delcredere::ffi::call`] as JSON text and returns the output DTO as a
//! plain JS object. Errors are thrown as real JS `Error` objects named `DelcredereError` that
//! carry the core's stable `.code`, the `.field` path and, for `invalid_policy`, `.problems`.
//! No rule lives here: this crate only translates.

use delcredere::ffi::{self, ErrorDto};
use delcredere::Error;
use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const DELCREDERE_ERROR_TS: &str = r#"
/** What every function throws on bad input: an `Error` subclass with the core's stable code. */
export class DelcredereError extends Error {
    name: "DelcredereError";
    /** Stable snake_case code, e.g. `invalid_amount` (one of `ErrorCode`). */
    code: ErrorCode;
    /** Field path into the input, e.g. `policy.currency` (empty for the whole call). */
    field: string;
    /** For `invalid_policy`: every problem found. */
    problems?: Problem[];
}
"#;

/// Every op of the core with its JS function, its input type and its output type, as the
/// TypeScript declarations name them: the source of the `Op` union, of `OpTypes` (what `call`
/// takes and returns per op) and of the naming table in the README. The JS function is the
/// op's name in camelCase, always (`validate_claim_file_form` is `validateClaimFileForm`).
/// Every op of [`delcredere::ffi::OPS`] must be here (the build fails otherwise); an op here
/// that the build does not have (the form build `pkg-web/`) says to import `delcredere/full`.
pub const OP_SIGNATURES: &[OpSignature] = &[
    OpSignature::new("account_state", "accountState", "AccountStateInput", "Decision"),
    OpSignature::new(
        "assess_discretionary",
        "assessDiscretionary",
        "AssessDiscretionaryInput",
        "Decision",
    ),
    OpSignature::new(
        "average_outstanding",
        "averageOutstanding",
        "AverageOutstandingInput",
        "Decision",
    ),
    OpSignature::new("balance_premium", "balancePremium", "BalancePremiumInput", "Decision"),
    OpSignature::new("check_claim_file", "checkClaimFile", "CheckClaimFileInput", "Decision"),
    OpSignature::new(
        "check_collection_file",
        "checkCollectionFile",
        "CheckCollectionFileInput",
        "Decision",
    ),
    OpSignature::new(
        "check_delivery_cover",
        "checkDeliveryCover",
        "CheckDeliveryCoverInput",
        "Decision",
    ),
    OpSignature::new("check_expertise", "checkExpertise", "CheckExpertiseInput", "Decision"),
    OpSignature::new(
        "check_insurability",
        "checkInsurability",
        "CheckInsurabilityInput",
        "Decision",
    ),
    OpSignature::new(
        "check_limit_application",
        "checkLimitApplication",
        "CheckLimitApplicationInput",
        "Decision",
    ),
    OpSignature::new("check_pre_export", "checkPreExport", "CheckPreExportInput", "Decision"),
    OpSignature::new(
        "check_water_damage",
        "checkWaterDamage",
        "CheckWaterDamageInput",
        "Decision",
    ),
    OpSignature::new(
        "collection_contact_schedule",
        "collectionContactSchedule",
        "CollectionContactScheduleInput",
        "Decision",
    ),
    OpSignature::new(
        "collection_handover",
        "collectionHandover",
        "CollectionHandoverInput",
        "Decision",
    ),
    OpSignature::new(
        "declaration_status",
        "declarationStatus",
        "DeclarationStatusInput",
        "Decision",
    ),
    OpSignature::new(
        "dispute_collection",
        "disputeCollection",
        "DisputeCollectionInput",
        "Decision",
    ),
    OpSignature::new("explain", "explain", "ExplainInput", "Explanation"),
    OpSignature::new(
        "follow_up_remote_assessment",
        "followUpRemoteAssessment",
        "FollowUpRemoteAssessmentInput",
        "Decision",
    ),
    OpSignature::new("indemnity", "indemnity", "IndemnityInput", "Decision"),
    OpSignature::new("insured_event", "insuredEvent", "InsuredEventInput", "Decision"),
    OpSignature::new("intake_order", "intakeOrder", "IntakeOrderInput", "Decision"),
    OpSignature::new("limit_state", "limitState", "LimitStateInput", "Decision"),
    OpSignature::new(
        "notification_duty",
        "notificationDuty",
        "NotificationDutyInput",
        "Decision",
    ),
    OpSignature::new("obligations", "obligations", "ObligationsInput", "Decision"),
    OpSignature::new("overdue_report", "overdueReport", "OverdueReportInput", "Decision"),
    OpSignature::new(
        "peak_outstanding",
        "peakOutstanding",
        "PeakOutstandingInput",
        "Decision",
    ),
    OpSignature::new("recovery", "recovery", "RecoveryInput", "Decision"),
    OpSignature::new(
        "turnover_premium",
        "turnoverPremium",
        "TurnoverPremiumInput",
        "Decision",
    ),
    OpSignature::new(
        "validate_claim_file_form",
        "validateClaimFileForm",
        "ValidateClaimFileFormInput",
        "FormReport",
    ),
    OpSignature::new(
        "validate_collection_file_form",
        "validateCollectionFileForm",
        "ValidateCollectionFileFormInput",
        "FormReport",
    ),
    OpSignature::new(
        "validate_limit_application",
        "validateLimitApplication",
        "ValidateLimitApplicationInput",
        "FormReport",
    ),
    OpSignature::new(
        "validate_overdue_report_form",
        "validateOverdueReportForm",
        "ValidateOverdueReportFormInput",
        "FormReport",
    ),
    OpSignature::new(
        "validate_policy",
        "validatePolicy",
        "ValidatePolicyInput",
        "PolicyReport",
    ),
    OpSignature::new(
        "validate_turnover_declaration",
        "validateTurnoverDeclaration",
        "ValidateTurnoverDeclarationInput",
        "Decision",
    ),
    OpSignature::new(
        "validate_turnover_declaration_form",
        "validateTurnoverDeclarationForm",
        "ValidateTurnoverDeclarationInput",
        "FormReport",
    ),
];

/// One row of [`OP_SIGNATURES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpSignature {
    /// The op's name, as `call` and the other runtimes take it.
    pub op: &'static str,
    /// The JS function: the op's name in camelCase.
    pub function: &'static str,
    /// The TypeScript type of its input.
    pub input: &'static str,
    /// The TypeScript type of what it returns.
    pub output: &'static str,
}

impl OpSignature {
    const fn new(op: &'static str, function: &'static str, input: &'static str, output: &'static str) -> Self {
        OpSignature {
            op,
            function,
            input,
            output,
        }
    }
}

/// The stable codes of the core's errors ([`Error::CODES`], `internal` among them for a failure
/// inside the engine), and the one the package adds: `not_initialized` for a function of the
/// web build called before `init()` (guard.mjs). The `ErrorCode` union of the declarations.
// Indexing happens only in const evaluation: out of bounds is a compile error, never a panic.
#[allow(clippy::indexing_slicing)]
pub const ERROR_CODES: [&str; Error::CODES.len() + 1] = {
    let mut out = [""; Error::CODES.len() + 1];
    let mut i = 0;
    while i < Error::CODES.len() {
        out[i] = Error::CODES[i];
        i += 1;
    }
    out[i] = "not_initialized";
    out
};

/// The TypeScript declarations built at compile time from [`delcredere::ffi::OPS`],
/// [`OP_SIGNATURES`] and [`ERROR_CODES`], so that they cannot drift from the core: the `Op`
/// union, `OpTypes` with `OpInput`/`OpOutput`, the per-op `call` and the `ErrorCode` union.
pub const OP_TYPE_TS: &str = op_type::TEXT;

#[wasm_bindgen(typescript_custom_section)]
const OP_TS: &str = OP_TYPE_TS;

/// Builds [`OP_TYPE_TS`] at compile time.
// Indexing happens only in const evaluation: out of bounds is a compile error, never a panic.
#[allow(clippy::indexing_slicing)]
mod op_type {
    use super::{ERROR_CODES, OP_SIGNATURES};
    use delcredere::ffi::OPS;

    /// Room for the text; the build fails if it needs more.
    const CAPACITY: usize = 16 * 1024;

    struct Text {
        bytes: [u8; CAPACITY],
        len: usize,
    }

    impl Text {
        const fn push(&mut self, s: &str) {
            let bytes = s.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                self.bytes[self.len] = bytes[i];
                self.len += 1;
                i += 1;
            }
        }
    }

    const fn same(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    // A const panic is a compile error: every op of the core has its row.
    #[allow(clippy::panic)]
    const fn signature(op: &str) -> super::OpSignature {
        let mut i = 0;
        while i < OP_SIGNATURES.len() {
            if same(OP_SIGNATURES[i].op, op) {
                return OP_SIGNATURES[i];
            }
            i += 1;
        }
        panic!("an op of ffi::OPS has no row in OP_SIGNATURES")
    }

    const fn build() -> Text {
        let mut t = Text {
            bytes: [0; CAPACITY],
            len: 0,
        };
        t.push("\n/** The op names `call` knows in this build (see `ops()`). */\nexport type Op = ");
        let mut i = 0;
        while i < OPS.len() {
            if i > 0 {
                t.push(" | ");
            }
            t.push("\"");
            t.push(OPS[i]);
            t.push("\"");
            i += 1;
        }
        t.push(";\n\n/** The input and output type of every op `call` knows in this build. */\nexport interface OpTypes {\n");
        let mut i = 0;
        while i < OPS.len() {
            let s = signature(OPS[i]);
            t.push("    /** Op `");
            t.push(s.op);
            t.push("`, also the function `");
            t.push(s.function);
            t.push("`. */\n    ");
            t.push(s.op);
            t.push(": { input: ");
            t.push(s.input);
            t.push("; output: ");
            t.push(s.output);
            t.push(" };\n");
            i += 1;
        }
        t.push(concat!(
            "}\n\n",
            "/** The input type of op `K`. */\n",
            "export type OpInput<K extends Op> = OpTypes[K][\"input\"];\n\n",
            "/** What op `K` returns. */\n",
            "export type OpOutput<K extends Op> = OpTypes[K][\"output\"];\n\n",
            "/**\n",
            " * Runs any op of the core by name (one of `ops()`) on its input: typed per op, e.g.\n",
            " * `call(\"check_delivery_cover\", input)` takes a `CheckDeliveryCoverInput` and returns a\n",
            " * `Decision`. Each op is also a function of its own, named after it in camelCase.\n",
            " */\n",
            "export function call<K extends Op>(op: K, input: OpInput<K>): OpOutput<K>;\n\n",
            "/** The stable code of a `DelcredereError`. */\n",
            "export type ErrorCode = ",
        ));
        let mut i = 0;
        while i < ERROR_CODES.len() {
            if i > 0 {
                t.push(" | ");
            }
            t.push("\"");
            t.push(ERROR_CODES[i]);
            t.push("\"");
            i += 1;
        }
        t.push(";\n");
        t
    }

    /// The op names of [`OP_SIGNATURES`] alone: what the form build keeps of the table (to say
    /// that an op is in `delcredere/full`), without the other columns' text.
    #[cfg(not(feature = "full"))]
    pub const ALL_OPS: [&str; OP_SIGNATURES.len()] = {
        let mut out = [""; OP_SIGNATURES.len()];
        let mut i = 0;
        while i < OP_SIGNATURES.len() {
            out[i] = OP_SIGNATURES[i].op;
            i += 1;
        }
        out
    };

    const LEN: usize = build().len;

    const BYTES: [u8; LEN] = {
        let t = build();
        let mut out = [0u8; LEN];
        let mut i = 0;
        while i < LEN {
            out[i] = t.bytes[i];
            i += 1;
        }
        out
    };

    pub const TEXT: &str = match core::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => "",
    };
}

/// Validates a policy and reports every problem at once (POL).
#[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "PolicyReport")]
pub fn validate_policy(
    #[wasm_bindgen(unchecked_param_type = "ValidatePolicyInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_policy", &input)
}

/// Decides whether a buyer and receivable are insurable under a policy (BUY-1..5).
#[wasm_bindgen(js_name = checkInsurability, unchecked_return_type = "Decision")]
pub fn check_insurability(
    #[wasm_bindgen(unchecked_param_type = "CheckInsurabilityInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_insurability", &input)
}

/// Renders a decision in `en`, `de`, `fr`, `nl` or `da`.
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn explain(#[wasm_bindgen(unchecked_param_type = "ExplainInput")] input: JsValue) -> Result<JsValue, JsValue> {
    run("explain", &input)
}

/// How much of a planned delivery is insured given what the buyer already owes (BUY-1..5,
/// PRM-4, LIM-1, LIM-3, DIS-1..5).
#[wasm_bindgen(js_name = checkDeliveryCover, unchecked_return_type = "Decision")]
pub fn check_delivery_cover(
    #[wasm_bindgen(unchecked_param_type = "CheckDeliveryCoverInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_delivery_cover", &input)
}

/// Replays a credit limit's events and describes the limit on `asOf` (LIM-1, LIM-3, LIM-4).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = limitState, unchecked_return_type = "Decision")]
pub fn limit_state(
    #[wasm_bindgen(unchecked_param_type = "LimitStateInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("limit_state", &input)
}

/// Checks a credit limit application before it is sent (LIM-2, LIM-5).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checkLimitApplication, unchecked_return_type = "Decision")]
pub fn check_limit_application(
    #[wasm_bindgen(unchecked_param_type = "CheckLimitApplicationInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_limit_application", &input)
}

/// Self-assessed (discretionary) cover for a buyer without a named limit (DIS-1..5).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = assessDiscretionary, unchecked_return_type = "Decision")]
pub fn assess_discretionary(
    #[wasm_bindgen(unchecked_param_type = "AssessDiscretionaryInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("assess_discretionary", &input)
}

/// The outstanding curve of a delivery schedule and its peak (EXP-1).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = peakOutstanding, unchecked_return_type = "Decision")]
pub fn peak_outstanding(
    #[wasm_bindgen(unchecked_param_type = "PeakOutstandingInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("peak_outstanding", &input)
}

/// The average outstanding of regular sales, from annual or monthly sales (EXP-2).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = averageOutstanding, unchecked_return_type = "Decision")]
pub fn average_outstanding(
    #[wasm_bindgen(unchecked_param_type = "AverageOutstandingInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("average_outstanding", &input)
}

/// Routes a property-claims mission order by its channel and normalises it (PCI-1).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = intakeOrder, unchecked_return_type = "Decision")]
pub fn intake_order(
    #[wasm_bindgen(unchecked_param_type = "IntakeOrderInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("intake_order", &input)
}

/// Whether someone may be dispatched on a water-damage file (PCI-2).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checkWaterDamage, unchecked_return_type = "Decision")]
pub fn check_water_damage(
    #[wasm_bindgen(unchecked_param_type = "CheckWaterDamageInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_water_damage", &input)
}

/// The next step of a file waiting for the remote assessment on `asOf` (PCI-3).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = followUpRemoteAssessment, unchecked_return_type = "Decision")]
pub fn follow_up_remote_assessment(
    #[wasm_bindgen(unchecked_param_type = "FollowUpRemoteAssessmentInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("follow_up_remote_assessment", &input)
}

/// Whether a property quote is handled within the limits or needs an on-site expertise (PCI-4).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checkExpertise, unchecked_return_type = "Decision")]
pub fn check_expertise(
    #[wasm_bindgen(unchecked_param_type = "CheckExpertiseInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_expertise", &input)
}

/// Which overdues must be reported, by when, the combined report and the exclusion (OVD-1..6, DIS-6).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = overdueReport, unchecked_return_type = "Decision")]
pub fn overdue_report(
    #[wasm_bindgen(unchecked_param_type = "OverdueReportInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("overdue_report", &input)
}

/// Whether an event must be notified to the insurer, and whether consent is needed first (OVD-7..9).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = notificationDuty, unchecked_return_type = "Decision")]
pub fn notification_duty(
    #[wasm_bindgen(unchecked_param_type = "NotificationDutyInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("notification_duty", &input)
}

/// Provisional, minimum and final turnover premium, and the additional premium or refund (PRM-1).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = turnoverPremium, unchecked_return_type = "Decision")]
pub fn turnover_premium(
    #[wasm_bindgen(unchecked_param_type = "TurnoverPremiumInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("turnover_premium", &input)
}

/// When the yearly turnover declaration is due and whether it is late (PRM-2).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = declarationStatus, unchecked_return_type = "Decision")]
pub fn declaration_status(
    #[wasm_bindgen(unchecked_param_type = "DeclarationStatusInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("declaration_status", &input)
}

/// Field-keyed findings on a turnover declaration before it is sent (PRM-3..5).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = validateTurnoverDeclaration, unchecked_return_type = "Decision")]
pub fn validate_turnover_declaration(
    #[wasm_bindgen(unchecked_param_type = "ValidateTurnoverDeclarationInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_turnover_declaration", &input)
}

/// The declarable outstanding balance and its premium on the reporting day (PRM-6).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = balancePremium, unchecked_return_type = "Decision")]
pub fn balance_premium(
    #[wasm_bindgen(unchecked_param_type = "BalancePremiumInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("balance_premium", &input)
}

/// The state of one buyer's account on `as_of` replayed from its `events` (ACC): outstanding, covered and uncovered exposure, overdues, exclusion, insured event.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = accountState, unchecked_return_type = "Decision")]
pub fn account_state(
    #[wasm_bindgen(unchecked_param_type = "AccountStateInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("account_state", &input)
}

/// The obligations worklist of one or more accounts on `as_of` (ACC), sorted by due date, with messages in `lang` when given.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = obligations, unchecked_return_type = "Decision")]
pub fn obligations(
    #[wasm_bindgen(unchecked_param_type = "ObligationsInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("obligations", &input)
}

/// Which insured event occurred (insolvency or protracted default), when, the claim filing deadline and the duties that run (CLM-1, CLM-2, CLM-7).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = insuredEvent, unchecked_return_type = "Decision")]
pub fn insured_event(
    #[wasm_bindgen(unchecked_param_type = "InsuredEventInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("insured_event", &input)
}

/// What a claim file has and lacks, the trading-history window and, when complete, the indemnity payment date (CLM-3, CLM-4).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checkClaimFile, unchecked_return_type = "Decision")]
pub fn check_claim_file(
    #[wasm_bindgen(unchecked_param_type = "CheckClaimFileInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_claim_file", &input)
}

/// The indemnity with its breakdown, every line with its rule and figures (CLM-5, CLM-6).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = indemnity, unchecked_return_type = "Decision")]
pub fn indemnity(#[wasm_bindgen(unchecked_param_type = "IndemnityInput")] input: JsValue) -> Result<JsValue, JsValue> {
    run("indemnity", &input)
}

/// Recoveries after the claim allocated to invoices and shared between insurer and insured (CLM-6).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = recovery, unchecked_return_type = "Decision")]
pub fn recovery(#[wasm_bindgen(unchecked_param_type = "RecoveryInput")] input: JsValue) -> Result<JsValue, JsValue> {
    run("recovery", &input)
}

/// Whether the file can be handed to the insurer's collection service on `as_of` (COL-1).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = collectionHandover, unchecked_return_type = "Decision")]
pub fn collection_handover(
    #[wasm_bindgen(unchecked_param_type = "CollectionHandoverInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("collection_handover", &input)
}

/// What an international collection file has and lacks (COL-2).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checkCollectionFile, unchecked_return_type = "Decision")]
pub fn check_collection_file(
    #[wasm_bindgen(unchecked_param_type = "CheckCollectionFileInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_collection_file", &input)
}

/// The dates the insurer contacts the insured about a collection file (COL-3).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = collectionContactSchedule, unchecked_return_type = "Decision")]
pub fn collection_contact_schedule(
    #[wasm_bindgen(unchecked_param_type = "CollectionContactScheduleInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("collection_contact_schedule", &input)
}

/// The undisputed part of a disputed debt, collected first, and the legal-action checklist (COL-4).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = disputeCollection, unchecked_return_type = "Decision")]
pub fn dispute_collection(
    #[wasm_bindgen(unchecked_param_type = "DisputeCollectionInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("dispute_collection", &input)
}

/// The good-practice checklist before exporting (COL-5).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checkPreExport, unchecked_return_type = "Decision")]
pub fn check_pre_export(
    #[wasm_bindgen(unchecked_param_type = "CheckPreExportInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("check_pre_export", &input)
}

/// Validates a limit application form as typed, every field at once: field-keyed messages in
/// `lang` (LIM-1, LIM-2, LIM-5, BUY-2..5, CLM-5). Call it on each input and on submit.
#[wasm_bindgen(js_name = validateLimitApplication, unchecked_return_type = "FormReport")]
pub fn validate_limit_application(
    #[wasm_bindgen(unchecked_param_type = "ValidateLimitApplicationInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_limit_application", &input)
}

/// The turnover declaration's findings (PRM-3..5) as a form report: field-keyed messages in
/// `lang` (required here); a malformed figure or code is a field message, not an exception.
#[wasm_bindgen(js_name = validateTurnoverDeclarationForm, unchecked_return_type = "FormReport")]
pub fn validate_turnover_declaration_form(
    #[wasm_bindgen(unchecked_param_type = "ValidateTurnoverDeclarationInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_turnover_declaration_form", &input)
}

/// Validates a claim file form as typed (op `validate_claim_file_form`, CLM-3): the checklist of
/// `checkClaimFile` and the typed dates as field-keyed messages in `lang`.
#[wasm_bindgen(js_name = validateClaimFileForm, unchecked_return_type = "FormReport")]
pub fn validate_claim_file_form(
    #[wasm_bindgen(unchecked_param_type = "ValidateClaimFileFormInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_claim_file_form", &input)
}

/// The same as `validateClaimFileForm`, under its name before the naming rule (every function
/// is its op's name in camelCase).
///
/// @deprecated Use `validateClaimFileForm`.
#[wasm_bindgen(js_name = validateClaimFile, unchecked_return_type = "FormReport")]
pub fn validate_claim_file(
    #[wasm_bindgen(unchecked_param_type = "ValidateClaimFileFormInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_claim_file_form", &input)
}

/// Validates a collection file form as typed (op `validate_collection_file_form`, COL-2): the
/// checklist of `checkCollectionFile`, the e-mail and the dates as field-keyed messages in `lang`.
#[wasm_bindgen(js_name = validateCollectionFileForm, unchecked_return_type = "FormReport")]
pub fn validate_collection_file_form(
    #[wasm_bindgen(unchecked_param_type = "ValidateCollectionFileFormInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_collection_file_form", &input)
}

/// The same as `validateCollectionFileForm`, under its name before the naming rule (every
/// function is its op's name in camelCase).
///
/// @deprecated Use `validateCollectionFileForm`.
#[wasm_bindgen(js_name = validateCollectionFile, unchecked_return_type = "FormReport")]
pub fn validate_collection_file(
    #[wasm_bindgen(unchecked_param_type = "ValidateCollectionFileFormInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_collection_file_form", &input)
}

/// Validates an overdue report form as typed (op `validate_overdue_report_form`, OVD-1, OVD-5):
/// the oldest invoice's dates and terms, the open amount and the total overdue, the day to
/// report and the reason for the delay, as field-keyed messages in `lang`.
#[wasm_bindgen(js_name = validateOverdueReportForm, unchecked_return_type = "FormReport")]
pub fn validate_overdue_report_form(
    #[wasm_bindgen(unchecked_param_type = "ValidateOverdueReportFormInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run("validate_overdue_report_form", &input)
}

/// Installs [`panic_hook`]. wasm-bindgen runs this when the module is instantiated, and again
/// when the guard of `guard.mjs` gives the package a fresh instance. Not part of the package's
/// API: not declared, and `guard.mjs` does not export it.
#[wasm_bindgen(start, skip_typescript)]
pub fn start() {
    std::panic::set_hook(Box::new(panic_hook));
}

/// A panic cannot unwind on wasm32-unknown-unknown: after the hook it would trap as an opaque
/// `RuntimeError: unreachable`. This hook throws the typed error instead, code `internal` with
/// the panic's message and place; the throw leaves the wasm stack as a trap would, and the JS
/// guard (`guard.mjs`) resets the instance before the next call.
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic");
    let detail = match info.location() {
        Some(at) => format!("{message} (panicked at {}:{}:{})", at.file(), at.line(), at.column()),
        None => message.to_owned(),
    };
    wasm_bindgen::throw_val(to_js_error(&Error::Internal { detail }));
}

/// Aborts inside the engine, for the test that a trap becomes `internal` too (feature
/// `test-panic` only: never in the package).
#[cfg(feature = "test-panic")]
#[wasm_bindgen(js_name = "__abort")]
pub fn abort_for_tests() {
    std::process::abort();
}

/// Runs any op of the core by name (see [`ffi::OPS`]) on its input DTO. Declared per op in
/// [`OP_TYPE_TS`] (`call<K extends Op>`), not by wasm-bindgen. In the form build, an op that
/// only `delcredere/full` has says so.
#[wasm_bindgen(skip_typescript)]
pub fn call(op: &str, input: JsValue) -> Result<JsValue, JsValue> {
    #[cfg(not(feature = "full"))]
    if !ffi::OPS.contains(&op) && op_type::ALL_OPS.contains(&op) {
        return Err(js_error(
            "unknown_op",
            "op",
            &format!(
                "op: operation '{op}' is not in this build of 'delcredere' (the web build has the form ops only): \
                 import it from 'delcredere/full'"
            ),
        ));
    }
    run(op, &input)
}

/// The sample policy of a country whose guide the rules come from: `"be"` (automatic cover up
/// to a preset amount per buyer), `"ch"` (conditional self-assessment, declaration due at the
/// end of the first month), `"dk"` (a named limit for every buyer, 90 % minimum premium) or
/// `"fr"` (fixed premium, collections started at once); any case. The core's
/// `sample::POLICIES_JSON`, the same in Rust and Python. Throws `unknown_value` at `country`
/// for any other.
#[wasm_bindgen(js_name = samplePolicy, unchecked_return_type = "PolicyDto")]
pub fn sample_policy(
    #[wasm_bindgen(unchecked_param_type = "\"be\" | \"ch\" | \"dk\" | \"fr\"")] country: &str,
) -> Result<JsValue, JsValue> {
    let key = country.to_ascii_lowercase();
    let json = delcredere::sample::POLICIES_JSON
        .iter()
        .find(|(c, _)| *c == key)
        .map(|(_, json)| *json)
        .ok_or_else(|| {
            to_js_error(&Error::UnknownValue {
                field: "country".to_owned(),
                value: country.to_owned(),
                expected: delcredere::sample::POLICIES_JSON
                    .iter()
                    .map(|(c, _)| (*c).to_owned())
                    .collect(),
            })
        })?;
    JSON::parse(json)
}

/// The op names the core knows.
#[wasm_bindgen(unchecked_return_type = "Op[]")]
pub fn ops() -> Array {
    ffi::OPS.iter().map(|op| JsValue::from_str(op)).collect()
}

fn run(op: &str, input: &JsValue) -> Result<JsValue, JsValue> {
    // `undefined` (and functions or symbols) stringify to nothing: the core sees `null`.
    let text = JSON::stringify(input)
        .map_err(|e| {
            to_js_error(&Error::InvalidJson {
                field: "input".to_owned(),
                detail: e
                    .dyn_ref::<js_sys::Error>()
                    .map_or_else(|| "not serializable".to_owned(), |e| e.message().into()),
            })
        })?
        .as_string()
        .unwrap_or_else(|| "null".to_owned());
    let output = ffi::call_json(op, &text).map_err(|e| to_js_error(&e))?;
    JSON::parse(&output)
}

fn to_js_error(error: &Error) -> JsValue {
    let dto = ErrorDto::from(error);
    let js = js_error(&dto.code, &dto.field, &dto.message);
    if !dto.problems.is_empty() {
        if let Ok(problems) = serde_json::to_string(&dto.problems)
            .map_err(|_| JsValue::NULL)
            .and_then(|text| JSON::parse(&text))
        {
            // Setting a property on a fresh Error object cannot fail.
            let _ = js_sys::Reflect::set(&js, &JsValue::from_str("problems"), &problems);
        }
    }
    js
}

/// A JS `Error` named `DelcredereError` with `code` and `field`.
fn js_error(code: &str, field: &str, message: &str) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name("DelcredereError");
    let set = |key: &str, value: &JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), value);
    };
    set("code", &JsValue::from_str(code));
    set("field", &JsValue::from_str(field));
    js.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "full")]
    #[test]
    fn amounts_are_written_as_display_writes_them() {
        let eur = delcredere::Currency::parse("", "EUR").unwrap();
        let mut texts: Vec<String> = [
            "0",
            "0.00",
            "1",
            "5",
            "10",
            "100.5",
            "5000.00",
            "0.05",
            "0.000123",
            "1.000",
            "9673.79",
            "18446744073709551615",
            "18446744073709551616",
            "1844674407370955161.5",
            "-1.5",
            "-0",
            "-0.00",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000000",
            "7.9228162514264337593543950335",
        ]
        .map(String::from)
        .to_vec();
        // Digits of every length, at every scale.
        let mut seed = 20_261_205_u64;
        for len in 1..=29 {
            for _ in 0..40 {
                let mut digits = String::new();
                for _ in 0..len {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    digits.push(char::from(b'0' + (seed >> 33) as u8 % 10));
                }
                let scale = (seed >> 40) as usize % 29;
                if scale > 0 && scale < len {
                    digits.insert(len - scale, '.');
                } else if scale >= len {
                    digits = format!("0.{}{digits}", "0".repeat(scale - len));
                }
                texts.push(digits);
            }
        }
        let mut checked = 0;
        for text in texts {
            let Ok(amount) = delcredere::money::parse_decimal("", &text) else {
                continue;
            };
            checked += 1;
            let mut written = String::from("x");
            engine::push_amount(&mut written, delcredere::Money { amount, currency: eur }).unwrap();
            assert_eq!(written, format!("x{amount}"), "{text}");
        }
        assert!(checked > 1_100, "{checked}");
    }

    #[test]
    fn the_op_type_lists_every_op_of_the_core() {
        let union: Vec<String> = ffi::OPS.iter().map(|op| format!("\"{op}\"")).collect();
        assert!(
            OP_TYPE_TS.contains(&format!("export type Op = {};\n", union.join(" | "))),
            "{OP_TYPE_TS}"
        );
    }
    #[test]
    fn every_op_has_one_signature_and_its_function_is_the_op_in_camel_case() {
        let ops: Vec<&str> = OP_SIGNATURES.iter().map(|s| s.op).collect();
        assert_eq!(ops, ffi::OPS, "OP_SIGNATURES: one row per op of the core, sorted");
        for s in OP_SIGNATURES {
            let mut camel = String::new();
            let mut upper = false;
            for c in s.op.chars() {
                if c == '_' {
                    upper = true;
                } else if upper {
                    camel.extend(c.to_uppercase());
                    upper = false;
                } else {
                    camel.push(c);
                }
            }
            assert_eq!(s.function, camel, "{}", s.op);
            assert!(
                OP_TYPE_TS.contains(&format!(
                    "    {}: {{ input: {}; output: {} }};\n",
                    s.op, s.input, s.output
                )),
                "{OP_TYPE_TS}"
            );
        }
    }

    #[test]
    fn the_error_code_union_has_every_code_of_the_core() {
        // Errors the core builds, one per code that needs only strings: each code as the core
        // spells it is in the list, and the list's own spelling of it agrees.
        let samples = [
            Error::MissingField { field: "f".into() },
            Error::UnknownOp { value: "x".into() },
            Error::Internal { detail: "x".into() },
            Error::InvalidPolicy { problems: Vec::new() },
        ];
        for e in &samples {
            assert!(ERROR_CODES.contains(&e.code()), "{}", e.code());
        }
        let union: Vec<String> = ERROR_CODES.iter().map(|c| format!("\"{c}\"")).collect();
        assert!(OP_TYPE_TS.contains(&format!("export type ErrorCode = {};\n", union.join(" | "))));
        assert!(ERROR_CODES.contains(&"not_initialized"));
        // Every code of the core is in the union (Error::CODES comes from the table of Error::code).
        for code in Error::CODES {
            assert!(ERROR_CODES.contains(code), "{code}");
        }
    }
}

/// The engine as the JS class `Engine` (feature `full`: the node build and `delcredere/full`;
/// `spec/engine.md`). Arguments are plain JS values read by serde-wasm-bindgen, without JSON
/// text; no method is written out here: [`engine::JsEngine::call`] runs any method of the
/// core's table by name, and `guard.mjs` puts one JS method per row of that table
/// ([`engine::engine_methods`]) on the class, with its TypeScript declaration.
#[cfg(feature = "full")]
pub mod engine {
    use delcredere::engine::methods::{CoverFiguresDto, METHODS};
    use delcredere::engine::{Engine, EngineSetupDto};
    use delcredere::ffi::Source;
    use delcredere::Error;
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::prelude::*;

    use super::to_js_error;

    /// A method's input: a JS value, read by serde-wasm-bindgen.
    #[derive(Clone)]
    struct JsInput(JsValue);

    impl Source for JsInput {
        fn is_object(&self) -> bool {
            self.0.is_object() && !js_sys::Array::is_array(&self.0)
        }

        fn deserialize<T: DeserializeOwned>(self) -> Result<T, Error> {
            read(self.0, "")
        }
    }

    /// Reads `value` as `T`; errors name their field under `prefix`. The JS value is read into a
    /// JSON value first, within the limits of every op's input (the core's
    /// [`delcredere::ffi::value_within_limits`]: `MAX_DEPTH` levels, `MAX_INPUT_BYTES`, the read
    /// stopped at the first level or byte past them), then as every op reads its input
    /// ([`Source`] for `serde_json::Value`): the same codes, fields and messages as the ops, from
    /// one reader of errors in the core.
    fn read<T: DeserializeOwned>(value: JsValue, prefix: &str) -> Result<T, Error> {
        let field = if prefix.is_empty() { "input" } else { prefix };
        let under = |e: Error| match prefix {
            "" => e,
            p => e.map_field(|f| if f == "input" { p.to_owned() } else { format!("{p}.{f}") }),
        };
        let value = delcredere::ffi::value_within_limits(serde_wasm_bindgen::Deserializer::from(value), |e| {
            let message = e.to_string();
            Error::InvalidType {
                field: field.to_owned(),
                detail: message.strip_prefix("Error: ").unwrap_or(&message).to_owned(),
            }
        })
        .map_err(under)?;
        let read: Result<T, Error> = Source::deserialize(value);
        read.map_err(under)
    }

    fn out<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| to_js_error(&Error::Internal { detail: e.to_string() }))
    }

    fn js(e: Error) -> JsValue {
        to_js_error(&e)
    }

    /// A policy and its buyers' accounts, held between calls (ACC): `new Engine(policy)`,
    /// `Engine.load(setup)` or `Engine.restore(snapshot)`.
    #[wasm_bindgen(js_name = Engine)]
    pub struct JsEngine {
        inner: Engine,
    }

    #[derive(Deserialize)]
    struct Delivery {
        delivery: delcredere::cover::DeliveryOrderDto,
    }

    #[wasm_bindgen(js_class = Engine)]
    impl JsEngine {
        /// An engine for `policy`, validated once, with no buyers.
        #[wasm_bindgen(constructor)]
        pub fn new(#[wasm_bindgen(unchecked_param_type = "PolicyDto")] policy: JsValue) -> Result<JsEngine, JsValue> {
            let policy: delcredere::PolicyDto = read(policy, "policy").map_err(js)?;
            Ok(JsEngine {
                inner: Engine::new(&policy).map_err(js)?,
            })
        }

        /// A whole engine at once: `{policy, buyers: [{id, buyer, events}]}`.
        pub fn load(
            #[wasm_bindgen(unchecked_param_type = "EngineSetupDto")] setup: JsValue,
        ) -> Result<JsEngine, JsValue> {
            let setup: EngineSetupDto = read(setup, "setup").map_err(js)?;
            Ok(JsEngine {
                inner: Engine::load(setup).map_err(|e| js(e.with_prefix("setup")))?,
            })
        }

        /// The engine a snapshot of `snapshot()` describes (format version 1).
        pub fn restore(snapshot: &str) -> Result<JsEngine, JsValue> {
            Ok(JsEngine {
                inner: Engine::restore(snapshot).map_err(js)?,
            })
        }

        /// Runs method `method` of the core's table (`engineMethods()`) on `input`, the object
        /// of its parameters.
        pub fn call(
            &mut self,
            method: &str,
            #[wasm_bindgen(unchecked_param_type = "object")] input: JsValue,
        ) -> Result<JsValue, JsValue> {
            let output = self.inner.call(method, JsInput(input)).map_err(js)?;
            out(&output)
        }

        /// The covered and uncovered parts of `delivery` for buyer `buyer` on `asOf`, without
        /// the explanation: method `cover_figures`, read without building its input object.
        // guard.mjs puts its own `coverFigures` in front of this one: a plain delivery's parts
        // read in JS and answered in one call (`__coverFiguresParts`), anything else here.
        #[wasm_bindgen(js_name = coverFigures, unchecked_return_type = "CoverFiguresDto")]
        pub fn cover_figures(
            &self,
            buyer: &str,
            #[wasm_bindgen(unchecked_param_type = "DeliveryOrderDto")] delivery: JsValue,
            #[wasm_bindgen(js_name = asOf)] as_of: &str,
        ) -> Result<JsValue, JsValue> {
            // Read under its name (errors at `delivery.amount`); the whole of it is `delivery`.
            let delivery: Delivery = read(wrap("delivery", delivery)?, "").map_err(|e| {
                js(e.map_field(|f| {
                    if f == "input" {
                        "delivery".to_owned()
                    } else {
                        f.to_owned()
                    }
                }))
            })?;
            let as_of: delcredere::IsoDate = read(JsValue::from_str(as_of), "asOf").map_err(js)?;
            let figures = self
                .inner
                .cover_figures_of(buyer, &delivery.delivery, as_of.0)
                .map_err(js)?;
            out(&CoverFiguresDto::from(figures))
        }

        /// `coverFigures`' fast path, for guard.mjs alone (not declared): see [`figures_text`].
        #[wasm_bindgen(js_name = __coverFiguresParts, skip_typescript)]
        pub fn cover_figures_parts(&self, buyer: &str, parts: &str, terms: f64, end_of_month: bool) -> Option<String> {
            figures_text(&self.inner, buyer, parts, terms, end_of_month)
        }

        /// The engine as snapshot text (format version 1).
        pub fn snapshot(&self) -> Result<String, JsValue> {
            self.inner.snapshot().map_err(js)
        }

        /// Number of buyers.
        #[wasm_bindgen(getter, js_name = buyerCount)]
        pub fn buyer_count(&self) -> usize {
            self.inner.buyer_count()
        }
    }

    /// `coverFigures` for a delivery whose parts guard.mjs read in JS (an object of exactly
    /// `amount` {`amount`, `currency` strings}, `date` string, `paymentTermsDays` number and
    /// perhaps `endOfMonth` boolean): `parts` is `amount`, `currency`, `date` and `asOf`, each
    /// followed by a line feed but the last. The answer is method `cover_figures`'s as text, its
    /// parts separated by spaces: covered amount and currency, uncovered amount and currency,
    /// the limit's amount and currency if there is one, the cover type, `1` or `0` for
    /// `excludedByOverdue`. `None` for parts the general read may see otherwise (not four, a
    /// number of days that is not a whole `u32`, text that is not a decimal or a date, more
    /// text than a delivery could hold) and when the core answers with an error: guard.mjs then
    /// asks the general way, which answers, and raises the error, as method `cover_figures` does.
    fn figures_text(engine: &Engine, buyer: &str, parts: &str, terms: f64, end_of_month: bool) -> Option<String> {
        if parts.len() > PARTS_MAX_BYTES || terms.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&terms) {
            return None;
        }
        // The four parts, split byte by byte (shorter than str::split's search for so few bytes).
        let mut fields = [""; 4];
        let (mut n, mut start) = (0, 0);
        for (i, b) in parts.bytes().enumerate() {
            if b == b'\n' {
                *fields.get_mut(n)? = parts.get(start..i)?;
                (n, start) = (n + 1, i + 1);
            }
        }
        *fields.get_mut(n)? = parts.get(start..)?;
        let [amount, currency, date, as_of] = fields;
        if n != 3 {
            return None;
        }
        let dto = delcredere::cover::DeliveryOrderDto {
            amount: delcredere::MoneyDto {
                amount: delcredere::DecimalString(delcredere::money::parse_decimal("", amount).ok()?),
                currency: currency.to_owned(),
            },
            date: delcredere::calendar::parse_date("", date).ok()?.into(),
            payment_terms_days: terms as u32,
            end_of_month,
            kind: delcredere::ReceivableKind::Goods,
            payment_security: delcredere::PaymentSecurity::default(),
        };
        let as_of = delcredere::calendar::parse_date("", as_of).ok()?;
        let f = engine.cover_figures_of(buyer, &dto, as_of).ok()?;
        let mut text = String::with_capacity(96);
        let mut money = |m: delcredere::Money| {
            let written = push_amount(&mut text, m);
            text.push(' ');
            text.push_str(m.currency.code());
            text.push(' ');
            written
        };
        money(f.covered).ok()?;
        money(f.uncovered).ok()?;
        if let Some(limit) = f.limit {
            money(limit).ok()?;
        }
        text.push_str(f.cover_type.as_str());
        text.push_str(if f.overdue.is_some_and(|e| e.excludes()) {
            " 1"
        } else {
            " 0"
        });
        Some(text)
    }

    /// Writes `money`'s amount as its `Display` writes it, and as every answer does (`5000.00`,
    /// `0.05`): a positive amount whose digits fit in a `u64` digit by digit here (rust_decimal's
    /// `Display` divides its 96 bits by ten for each digit, in WASM the larger part of the fast
    /// path's own work), any other by `Display`.
    pub(crate) fn push_amount(text: &mut String, money: delcredere::Money) -> std::fmt::Result {
        use std::fmt::Write;
        let amount = money.amount;
        let Some(mut rest) = u64::try_from(amount.mantissa())
            .ok()
            .filter(|_| amount.is_sign_positive())
        else {
            return write!(text, "{amount}");
        };
        let scale = amount.scale() as usize;
        // At most 20 digits, or `scale` (at most 28) and the 0 before the point.
        let mut digits = [b'0'; 40];
        let mut first = digits.len();
        while rest > 0 {
            first = first.checked_sub(1).ok_or(std::fmt::Error)?;
            *digits.get_mut(first).ok_or(std::fmt::Error)? = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let first = first.min(digits.len().checked_sub(scale + 1).ok_or(std::fmt::Error)?);
        let point = digits.len() - scale;
        let whole = digits.get(first..point).ok_or(std::fmt::Error)?;
        text.push_str(std::str::from_utf8(whole).map_err(|_| std::fmt::Error)?);
        if scale > 0 {
            text.push('.');
            let fraction = digits.get(point..).ok_or(std::fmt::Error)?;
            text.push_str(std::str::from_utf8(fraction).map_err(|_| std::fmt::Error)?);
        }
        Ok(())
    }

    /// More text than the parts of a delivery the general read takes: a decimal of 28 digits,
    /// a currency code and two dates are far shorter. Longer parts (an amount of many zeros)
    /// go the general way, which reads them within the limits of every op's input.
    const PARTS_MAX_BYTES: usize = 1024;

    /// `{key: value}`, so that a read's errors name `key`.
    fn wrap(key: &str, value: JsValue) -> Result<JsValue, JsValue> {
        let object = js_sys::Object::new();
        js_sys::Reflect::set(&object, &JsValue::from_str(key), &value)?;
        Ok(object.into())
    }

    /// The core's conversion of op `op`'s `input` into an engine setup and a method call
    /// (`engine::route::route`, spec/vectors/README.md "Through the engine"): `{setup, method,
    /// input}` for `Engine.load(setup).call(method, input)`, or `null` for an op no engine method
    /// answers. For the runners of the conformance vectors and the cross-runtime test, so that
    /// every runtime asks its engine the question the core makes of the op's input.
    #[wasm_bindgen(
        js_name = engineRoute,
        unchecked_return_type = "{ setup: EngineSetupDto; method: string; input: object } | null"
    )]
    pub fn engine_route(
        op: &str,
        #[wasm_bindgen(unchecked_param_type = "object")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let routed = delcredere::engine::route::route(op, JsInput(input)).map_err(js)?;
        out(&routed)
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ParamRow {
        name: &'static str,
        ts_type: &'static str,
        optional: bool,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct MethodRow {
        name: &'static str,
        changes: bool,
        params: Vec<ParamRow>,
        input: &'static str,
        output: &'static str,
        doc: &'static str,
    }

    /// The core's table of engine methods: `[{name, changes, params: [{name, tsType,
    /// optional}], input, output, doc}]`.
    #[wasm_bindgen(js_name = engineMethods, unchecked_return_type = "EngineMethod[]")]
    pub fn engine_methods() -> Result<JsValue, JsValue> {
        let rows: Vec<MethodRow> = METHODS
            .iter()
            .map(|m| MethodRow {
                name: m.name,
                changes: m.changes,
                params: m
                    .params
                    .iter()
                    .map(|p| ParamRow {
                        name: p.name,
                        ts_type: p.ts_type,
                        optional: p.optional,
                    })
                    .collect(),
                input: m.input,
                output: m.output,
                doc: m.doc,
            })
            .collect();
        out(&rows)
    }

    #[wasm_bindgen(typescript_custom_section)]
    const ENGINE_METHOD_TS: &str = r#"
/** One row of the core's table of engine methods (`engineMethods()`). */
export interface EngineMethod {
    name: string;
    changes: boolean;
    params: { name: string; tsType: string; optional: boolean }[];
    input: string;
    output: string;
    doc: string;
}
"#;
}
