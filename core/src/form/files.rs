//! The claim file form (CLM-3) and the collection file form (COL-2): the checklists of
//! `check_claim_file` and `check_collection_file` in the form shape, plus the checks of what is
//! typed (dates, e-mail). A missing item is a field message that quotes the item's own
//! checklist message; a field whose value cannot be read gets that message alone.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{shown, Collector, FormReport};
use crate::calendar::{parse_date, IsoDate};
use crate::claim::{claim_file_checklist, date, trading_history_window, ChecklistItem, ClaimFileContents};
use crate::collection::{check_collection_file, BuyerContactDto, CheckCollectionFileInput};
use crate::decision::{Details, Param, ReasonCode};
use crate::declaration::Severity;
use crate::error::Error;
use crate::i18n::Language;

/// The trading history period of the claim file form, as typed.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeriodFormDto {
    /// First day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub to: Option<String>,
}

/// A document the insurer asked for, as typed in the claim file form.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestedDocumentFormDto {
    /// What was asked for (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub name: Option<String>,
    /// Whether it is in the file.
    #[serde(default)]
    pub provided: bool,
}

/// The claim file form (CLM-3), its values as typed: dates as strings, absent or empty when not
/// filled in yet; ticked boxes as booleans.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimFileFormDto {
    /// Invoice date of the oldest open receivable, `YYYY-MM-DD` (required, not after `asOf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub oldest_open_receivable_date: Option<String>,
    /// Copies of the invoices are in the file.
    #[serde(default)]
    pub invoices_provided: bool,
    /// The open items list is in the file.
    #[serde(default)]
    pub open_items_list_provided: bool,
    /// The period the trading history (the buyer's account) in the file covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub trading_history: Option<PeriodFormDto>,
    /// Further documents the insurer asked for.
    #[serde(default)]
    pub requested_documents: Vec<RequestedDocumentFormDto>,
    /// Whether the insurer's collection service is wanted; absent: not stated yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub collection_wanted: Option<bool>,
}

/// Input of op `validate_claim_file_form`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateClaimFileFormInput {
    /// The form as typed.
    pub claim_file: ClaimFileFormDto,
    /// The day of the claim ("today": the trading history must reach it).
    pub as_of: IsoDate,
    /// `en`, `de`, `fr`, `nl` or `da`.
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: String,
}

/// Op `validate_claim_file_form` (CLM-3): every field of a claim file form at once, the items
/// of `check_claim_file`'s checklist keyed by the same field paths.
///
/// Typed fields: `oldestOpenReceivableDate` filled in (`claim_file_field_required`), a date
/// (`claim_file_date_invalid`) not after `asOf` (`claim_file_date_in_future`); a trading
/// history with one end given needs the other (`claim_file_field_required` on
/// `tradingHistory.from` or `.to`), both dates (`claim_file_date_invalid`), in order
/// (`claim_file_period_reversed` on `tradingHistory.to`); each requested document named
/// (`claim_file_field_required` on `requestedDocuments[i].name`). Then the CLM-3 checklist:
/// each missing item is a `claim_file_item_missing` error on its field (`invoicesProvided`,
/// `openItemsListProvided`, `tradingHistory`, `requestedDocuments[i]`, `collectionWanted`)
/// quoting the item. The trading history item is checked only once the oldest receivable date
/// and the period can be read; an unnamed document is not listed as an item.
pub fn validate_claim_file_form(input: &ValidateClaimFileFormInput) -> Result<FormReport, Error> {
    let lang = Language::parse("lang", &input.lang)?;
    let mut c = Collector::default();
    let form = &input.claim_file;
    let as_of = input.as_of.0;

    let field = "oldestOpenReceivableDate";
    let oldest = match c.required_as(
        ReasonCode::ClaimFileFieldRequired,
        field,
        form.oldest_open_receivable_date.as_deref(),
    ) {
        None => None,
        Some(text) => match parse_date(field, text) {
            Err(_) => {
                c.error(ReasonCode::ClaimFileDateInvalid, field, [("value", shown(text))]);
                None
            }
            Ok(d) if d > as_of => {
                c.error(
                    ReasonCode::ClaimFileDateInFuture,
                    field,
                    [("date", date(d)), ("asOf", date(as_of))],
                );
                None
            }
            Ok(d) => Some(d),
        },
    };

    // The trading history: `Some(None)` when not given at all (the checklist item says it is
    // missing), `None` when what was typed cannot be read.
    let history = form.trading_history.clone().unwrap_or_default();
    let filled = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).is_some();
    let period: Option<Option<(NaiveDate, NaiveDate)>> = if !filled(&history.from) && !filled(&history.to) {
        Some(None)
    } else {
        let from = claim_date(&mut c, "tradingHistory.from", history.from.as_deref());
        let to = claim_date(&mut c, "tradingHistory.to", history.to.as_deref());
        match (from, to) {
            (Some(from), Some(to)) if to < from => {
                c.error(
                    ReasonCode::ClaimFilePeriodReversed,
                    "tradingHistory.to",
                    [("from", date(from)), ("to", date(to))],
                );
                None
            }
            (Some(from), Some(to)) => Some(Some((from, to))),
            _ => None,
        }
    };
    let trading_history = match (oldest, period) {
        (Some(oldest), Some(period)) => {
            let window = trading_history_window(oldest, as_of)?;
            Some((window, period.is_some_and(|(from, to)| window.covered_by(from, to))))
        }
        _ => None,
    };

    let mut documents = Vec::new();
    for (i, d) in form.requested_documents.iter().enumerate() {
        let field = format!("requestedDocuments[{i}].name");
        if let Some(name) = c.required_as(ReasonCode::ClaimFileFieldRequired, &field, d.name.as_deref()) {
            documents.push((i, name, d.provided));
        }
    }

    let checklist = claim_file_checklist(
        &ClaimFileContents {
            invoices: form.invoices_provided,
            open_items_list: form.open_items_list_provided,
            trading_history,
            requested_documents: documents,
            collection_wanted: form.collection_wanted,
        },
        Some(lang.code()),
    )?;
    missing_items(&mut c, &checklist.items, ReasonCode::ClaimFileItemMissing);
    FormReport::from_findings(&c.0, lang)
}

/// A date field of the claim file form: required, a date.
fn claim_date(c: &mut Collector, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    let text = c.required_as(ReasonCode::ClaimFileFieldRequired, field, value)?;
    match parse_date(field, text) {
        Ok(d) => Some(d),
        Err(_) => {
            c.error(ReasonCode::ClaimFileDateInvalid, field, [("value", shown(text))]);
            None
        }
    }
}

/// Each missing checklist item as a `code` finding on the item's field, quoting the item's
/// message: an error for a required item, a warning for a recommended one. A field that already
/// has a message (its value could not be read) keeps that message alone.
fn missing_items(c: &mut Collector, items: &[ChecklistItem], code: ReasonCode) {
    for item in items.iter().filter(|i| !i.present) {
        if c.0.iter().any(|f| f.field == item.field) {
            continue;
        }
        let severity = if item.required {
            Severity::Error
        } else {
            Severity::Warning
        };
        let text = item.message.clone().unwrap_or_else(|| item.code.as_str().to_owned());
        c.push(code, severity, &item.field, [("item", Param::Text(text))]);
    }
}

/// The collection file form (COL-2), its values as typed: the buyer's contact details and the
/// dates as strings, absent or empty when not filled in yet; ticked boxes as booleans.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CollectionFileFormDto {
    /// The buyer's contact details (`companyName`, `address`, `contactPerson`, `email`,
    /// `phone`, `fax`).
    #[serde(default)]
    pub buyer: BuyerContactDto,
    /// Copies of the invoices.
    #[serde(default)]
    pub invoices: bool,
    /// Copies of the purchase orders.
    #[serde(default)]
    pub purchase_orders: bool,
    /// Copies of the delivery notes.
    #[serde(default)]
    pub delivery_notes: bool,
    /// The date of the account statement in the file, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub account_statement_date: Option<String>,
    /// The day of the last payment received or credit note issued, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub last_settlement_date: Option<String>,
    /// General terms of sale or the contract.
    #[serde(default)]
    pub terms_or_contract: bool,
    /// A special context exists (dispute, payment proposal, steps taken).
    #[serde(default)]
    pub special_context: bool,
    /// The correspondence on it is in the file.
    #[serde(default)]
    pub correspondence: bool,
    /// Every payment received and credit note issued is listed.
    #[serde(default)]
    pub payments_and_credit_notes: bool,
}

/// Input of op `validate_collection_file_form`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateCollectionFileFormInput {
    /// The form as typed.
    pub collection_file: CollectionFileFormDto,
    /// `en`, `de`, `fr`, `nl` or `da`.
    #[cfg_attr(feature = "ts", tsify(type = "Language"))]
    pub lang: String,
}

/// Op `validate_collection_file_form` (COL-2): every field of a collection file form at once,
/// the items of `check_collection_file`'s checklist keyed by the same field paths.
///
/// Typed fields: `buyer.email`, when given, an e-mail address (`collection_file_email_invalid`);
/// `accountStatementDate` and `lastSettlementDate`, when given, dates
/// (`collection_file_date_invalid`; an unreadable settlement date is then not compared). Then
/// the COL-2 checklist: each missing item is a `collection_file_item_missing` message on its
/// field quoting the item, an error for a required item and a warning for the fax
/// (recommended); the statement is missing when older than the last settlement; the
/// correspondence is asked for only with a special context.
pub fn validate_collection_file_form(input: &ValidateCollectionFileFormInput) -> Result<FormReport, Error> {
    let lang = Language::parse("lang", &input.lang)?;
    let mut c = Collector::default();
    let form = &input.collection_file;

    if let Some(email) = form.buyer.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        if !is_email(email) {
            c.error(
                ReasonCode::CollectionFileEmailInvalid,
                "buyer.email",
                [("value", shown(email))],
            );
        }
    }
    let statement = collection_date(&mut c, "accountStatementDate", form.account_statement_date.as_deref());
    let settlement = collection_date(&mut c, "lastSettlementDate", form.last_settlement_date.as_deref());

    let decision = check_collection_file(&CheckCollectionFileInput {
        buyer: form.buyer.clone(),
        invoices: form.invoices,
        purchase_orders: form.purchase_orders,
        delivery_notes: form.delivery_notes,
        account_statement_date: statement.map(IsoDate),
        last_settlement_date: settlement.map(IsoDate),
        terms_or_contract: form.terms_or_contract,
        special_context: form.special_context,
        correspondence: form.correspondence,
        payments_and_credit_notes: form.payments_and_credit_notes,
        lang: Some(lang.code().to_owned()),
    })?;
    if let Some(Details::Checklist { items }) = &decision.details {
        missing_items(&mut c, items, ReasonCode::CollectionFileItemMissing);
    }
    FormReport::from_findings(&c.0, lang)
}

/// An optional date field of the collection file form: a date when given.
fn collection_date(c: &mut Collector, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    let text = value.map(str::trim).filter(|t| !t.is_empty())?;
    match parse_date(field, text) {
        Ok(d) => Some(d),
        Err(_) => {
            c.error(ReasonCode::CollectionFileDateInvalid, field, [("value", shown(text))]);
            None
        }
    }
}

/// Whether `text` has the shape of an e-mail address: one `@` with a name before it and a
/// domain of at least two non-empty labels after it, no spaces.
fn is_email(text: &str) -> bool {
    let Some((name, domain)) = text.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !text.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(form: ClaimFileFormDto, lang: &str) -> FormReport {
        validate_claim_file_form(&ValidateClaimFileFormInput {
            claim_file: form,
            as_of: IsoDate(NaiveDate::from_ymd_opt(2026, 9, 10).unwrap()),
            lang: lang.into(),
        })
        .unwrap()
    }

    fn complete_claim() -> ClaimFileFormDto {
        ClaimFileFormDto {
            oldest_open_receivable_date: Some("2026-02-01".into()),
            invoices_provided: true,
            open_items_list_provided: true,
            trading_history: Some(PeriodFormDto {
                from: Some("2025-02-01".into()),
                to: Some("2026-09-10".into()),
            }),
            requested_documents: vec![],
            collection_wanted: Some(false),
        }
    }

    #[test]
    fn a_complete_claim_file_form_is_valid_clm_3() {
        let report = claim(complete_claim(), "en");
        assert!(report.valid);
        assert!(report.fields.is_empty());
    }

    #[test]
    fn an_empty_claim_file_form_lists_what_is_missing_clm_3() {
        let report = claim(ClaimFileFormDto::default(), "en");
        assert!(!report.valid);
        let keys: Vec<_> = report.fields.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "collectionWanted",
                "invoicesProvided",
                "oldestOpenReceivableDate",
                "openItemsListProvided"
            ]
        );
        assert_eq!(
            report.fields["invoicesProvided"][0].message,
            "Missing from the claim file: Copies of the invoices."
        );
        assert_eq!(
            report.fields["oldestOpenReceivableDate"][0].code,
            ReasonCode::ClaimFileFieldRequired
        );
    }

    #[test]
    fn a_trading_history_one_day_short_is_missing_with_its_window_clm_3() {
        let mut form = complete_claim();
        form.trading_history = Some(PeriodFormDto {
            from: Some("2025-02-02".into()),
            to: Some("2026-09-10".into()),
        });
        let report = claim(form, "en");
        assert_eq!(
            report.fields["tradingHistory"][0].message,
            "Missing from the claim file: The trading history (the buyer's account) from 2025-02-01 to 2026-09-10."
        );
        assert_eq!(report.fields.len(), 1);
    }

    #[test]
    fn an_unreadable_date_is_reported_alone_on_its_field_clm_3() {
        let mut form = complete_claim();
        form.trading_history = Some(PeriodFormDto {
            from: Some("1.2.2025".into()),
            to: None,
        });
        let report = claim(form, "de");
        assert_eq!(report.fields.len(), 2);
        assert_eq!(
            report.fields["tradingHistory.from"][0].message,
            "1.2.2025 ist kein Datum: bitte im Format JJJJ-MM-TT angeben."
        );
        assert_eq!(
            report.fields["tradingHistory.to"][0].code,
            ReasonCode::ClaimFileFieldRequired
        );
    }

    #[test]
    fn the_missing_fax_is_a_warning_and_the_collection_form_stays_valid_col_2() {
        let report = validate_collection_file_form(&ValidateCollectionFileFormInput {
            collection_file: CollectionFileFormDto {
                buyer: BuyerContactDto {
                    company_name: Some("Dupont SA".into()),
                    address: Some("1 rue de la Paix, 75002 Paris".into()),
                    contact_person: Some("Marie Dupont".into()),
                    email: Some("m.dupont@dupont.fr".into()),
                    phone: Some("+33 1 23 45 67 89".into()),
                    fax: None,
                },
                invoices: true,
                purchase_orders: true,
                delivery_notes: true,
                account_statement_date: Some("2026-05-01".into()),
                last_settlement_date: Some("2026-04-15".into()),
                terms_or_contract: true,
                special_context: false,
                correspondence: false,
                payments_and_credit_notes: true,
            },
            lang: "fr".into(),
        })
        .unwrap();
        assert!(report.valid);
        assert_eq!(report.fields.len(), 1);
        let m = &report.fields["buyer.fax"][0];
        assert_eq!(m.severity, Severity::Warning);
        assert_eq!(
            m.message,
            "Manque au dossier de recouvrement : Le fax du débiteur (recommandé)."
        );
    }

    #[test]
    fn e_mail_shapes_col_2() {
        for ok in ["a@b.de", "m.dupont@dupont.fr", "x+y@mail.example.com"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "dupont.fr",
            "@dupont.fr",
            "m@dupont",
            "m@@dupont.fr",
            "m@dupont..fr",
            "m @dupont.fr",
            "m@.fr",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
