//! Buyers and insurability (BUY-1..5, with the PRM-4 payment-security exclusions).

use serde::{Deserialize, Serialize};

use crate::calendar::{check_period, IsoDate, PaymentTerms};
use crate::country::Country;
use crate::decision::{Decision, Outcome, Param, Reason, ReasonCode};
use crate::error::Error;
use crate::money::MoneyDto;
use crate::policy::Policy;

/// What kind of entity a buyer is (BUY-2, BUY-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntityKind {
    /// A legally independent company at its registered head office.
    Company,
    /// A branch, subsidiary office or establishment of a company.
    Branch,
    /// A public-law body: state, region, canton, municipality.
    PublicBody,
    /// A private individual (consumer).
    PrivateIndividual,
}

/// What a receivable is for (BUY-3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReceivableKind {
    /// Delivery of goods.
    Goods,
    /// Services.
    Services,
    /// Renting real estate.
    RealEstateRent,
    /// Leasing real estate.
    RealEstateLease,
}

/// How a sale is secured (PRM-4).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum PaymentSecurity {
    /// Open account: a sale on credit.
    #[default]
    OpenAccount,
    /// Cash before delivery.
    Prepayment,
    /// Cash on delivery.
    CashOnDelivery,
    /// A confirmed letter of credit.
    ConfirmedLetterOfCredit,
}

/// Another party, e.g. the payer of an invoice (BUY-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartyDto {
    /// Legal name.
    pub legal_name: String,
    /// Registration number, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
}

/// A buyer: the customer who receives the goods or services and owes the money (BUY-1).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuyerDto {
    /// Legal name, ideally with the legal form (BUY-5).
    pub legal_name: String,
    /// Legal form, e.g. `GmbH`, `SAS`, `ApS` (BUY-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_form: Option<String>,
    /// Company registration number (e.g. CVR, HRB, SIREN): the best identifier (BUY-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// VAT number: not reliable alone (BUY-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
    /// Country of domicile (BUY-4).
    pub country: String,
    /// Entity kind (BUY-2, BUY-3).
    pub entity_kind: EntityKind,
    /// Whether the insured holds, directly or indirectly, a majority in the buyer (BUY-3).
    #[serde(default)]
    pub insured_holds_majority: bool,
    /// Whether the policy excludes this buyer by name (BUY-4); the policy's `excludedBuyers`
    /// list is checked as well.
    #[serde(default)]
    pub excluded_by_name: bool,
}

/// The receivable (or planned delivery) whose insurability is asked.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReceivableDto {
    /// Goods, services, or real-estate rent or lease.
    pub kind: ReceivableKind,
    /// Payment terms in days (at most 3650).
    pub payment_terms_days: u32,
    /// Whether the days run from the end of the invoice month.
    #[serde(default)]
    pub end_of_month: bool,
    /// Invoice date, for exact end-of-month terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_date: Option<IsoDate>,
    /// Payment security (default open account).
    #[serde(default)]
    pub payment_security: PaymentSecurity,
    /// Amount, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyDto>,
    /// The party paying, when it is not the buyer (BUY-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<PartyDto>,
}

impl BuyerDto {
    /// A buyer by its legal name, country (ISO 3166 alpha-2, checked where it is read) and
    /// kind, with no legal form, registration or VAT number, not held by the insured and not
    /// excluded: as a JSON buyer with only those three keys. Set the others on the result.
    pub fn new(legal_name: impl Into<String>, country: impl Into<String>, entity_kind: EntityKind) -> Self {
        BuyerDto {
            legal_name: legal_name.into(),
            legal_form: None,
            registration_number: None,
            vat_number: None,
            country: country.into(),
            entity_kind,
            insured_holds_majority: false,
            excluded_by_name: false,
        }
    }
}

impl ReceivableDto {
    /// A receivable of `kind` on `payment_terms_days`, on open account, paid by the buyer,
    /// with no invoice date or amount: as a JSON receivable with only those two keys.
    pub fn new(kind: ReceivableKind, payment_terms_days: u32) -> Self {
        ReceivableDto {
            payment_terms_days,
            kind,
            ..ReceivableDto::buyer_only()
        }
    }

    /// The buyer alone: a plain open-account sale of goods on no credit days, no amount, paid
    /// by the buyer; what is left of insurability when no receivable is in question (BUY-2..4).
    pub fn buyer_only() -> Self {
        ReceivableDto {
            kind: ReceivableKind::Goods,
            payment_terms_days: 0,
            end_of_month: false,
            invoice_date: None,
            payment_security: PaymentSecurity::OpenAccount,
            amount: None,
            payer: None,
        }
    }
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|v| v.trim().is_empty())
}

/// Names match ignoring case and surrounding spaces.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn same_party(buyer: &BuyerDto, party: &PartyDto) -> bool {
    match (
        buyer.registration_number.as_deref(),
        party.registration_number.as_deref(),
    ) {
        (Some(a), Some(b)) => a.trim() == b.trim(),
        _ => same_name(&buyer.legal_name, &party.legal_name),
    }
}

fn excluded_by_policy(policy: &Policy, buyer: &BuyerDto) -> bool {
    policy.excluded_buyers.iter().any(|e| {
        let by_number = matches!((e.registration_number.as_deref(), buyer.registration_number.as_deref()),
            (Some(a), Some(b)) if !a.trim().is_empty() && a.trim() == b.trim());
        let by_name = e
            .legal_name
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty() && same_name(n, &buyer.legal_name));
        by_number || by_name
    })
}

/// Decides whether a buyer and a receivable can be insured under a policy.
///
/// Applies BUY-1 (cover follows the recipient), BUY-2 (independent company at its head office;
/// a branch through its head office), BUY-3 (public bodies unless the policy expressly covers
/// public buyers, PRM-4; affiliates, real-estate rent or lease, terms beyond the maximum credit
/// period), BUY-4 (agreed countries, exclusion by name),
/// BUY-5 (identification warnings) and PRM-4 (no credit risk, letters of credit). Outcome:
/// `not_insurable` when any blocking reason fired, else `insurable_through_head_office` for a
/// branch, else `insurable`. Reasons come in rule order; when nothing blocks, the positive
/// BUY-2, BUY-4 and PRM-4 (`public_buyer_covered`) reasons say why it is insurable.
pub fn check_insurability(policy: &Policy, buyer: &BuyerDto, receivable: &ReceivableDto) -> Result<Decision, Error> {
    if buyer.legal_name.trim().is_empty() {
        return Err(Error::EmptyValue {
            field: "buyer.legalName".into(),
        });
    }
    let country = Country::parse("buyer.country", &buyer.country)?;
    check_period("receivable.paymentTermsDays", receivable.payment_terms_days)?;
    if let Some(amount) = &receivable.amount {
        let money = amount.to_non_negative("receivable.amount")?;
        if money.currency != policy.currency {
            return Err(Error::CurrencyMismatch {
                field: "receivable.amount.currency".into(),
                expected: policy.currency.code().to_owned(),
                found: money.currency.code().to_owned(),
            });
        }
    }
    let name = || Param::from(buyer.legal_name.trim());
    let mut blocking = Vec::new();
    let mut positive = Vec::new();
    let mut notes = Vec::new();

    // BUY-1
    if let Some(payer) = receivable.payer.as_ref().filter(|p| !same_party(buyer, p)) {
        notes.push(Reason::new(
            ReasonCode::CoverFollowsRecipient,
            [("buyer", name()), ("payer", Param::from(payer.legal_name.trim()))],
        ));
    }
    // BUY-2
    match buyer.entity_kind {
        EntityKind::Company => positive.push(Reason::new(ReasonCode::IndependentCompany, [("buyer", name())])),
        EntityKind::Branch => notes.push(Reason::new(ReasonCode::InsuredThroughHeadOffice, [("buyer", name())])),
        EntityKind::PrivateIndividual => blocking.push(Reason::new(ReasonCode::NotACompany, [("buyer", name())])),
        EntityKind::PublicBody => {}
    }
    // BUY-3, with PRM-4: a public buyer the policy expressly covers is insurable.
    if buyer.entity_kind == EntityKind::PublicBody {
        if policy.public_buyers_covered {
            positive.push(Reason::new(ReasonCode::PublicBuyerCovered, [("buyer", name())]));
        } else {
            blocking.push(Reason::new(ReasonCode::PublicBody, [("buyer", name())]));
        }
    }
    if buyer.insured_holds_majority {
        blocking.push(Reason::new(ReasonCode::Affiliate, [("buyer", name())]));
    }
    if matches!(
        receivable.kind,
        ReceivableKind::RealEstateRent | ReceivableKind::RealEstateLease
    ) {
        blocking.push(Reason::new(ReasonCode::RealEstateRentOrLease, []));
    }
    let terms = PaymentTerms::new(
        receivable.payment_terms_days,
        receivable.end_of_month,
        policy.end_of_month_convention,
    );
    let credit_days = terms.credit_days(receivable.invoice_date.map(|d| d.0));
    if credit_days > i64::from(policy.max_credit_period_days) {
        blocking.push(Reason::new(
            ReasonCode::PaymentTermsExceedMaxCreditPeriod,
            [
                ("paymentTermsDays", Param::Int(credit_days)),
                ("maxCreditPeriodDays", Param::from(policy.max_credit_period_days)),
            ],
        ));
    }
    // BUY-4
    if policy.agreed_countries.contains(&country) {
        positive.push(Reason::new(
            ReasonCode::CountryAgreed,
            [("country", Param::from(country.code()))],
        ));
    } else {
        blocking.push(Reason::new(
            ReasonCode::CountryNotAgreed,
            [("country", Param::from(country.code()))],
        ));
    }
    if buyer.excluded_by_name || excluded_by_policy(policy, buyer) {
        blocking.push(Reason::new(ReasonCode::BuyerExcludedByName, [("buyer", name())]));
    }
    // BUY-5
    let mut warnings = Vec::new();
    if blank(buyer.registration_number.as_deref()) {
        match buyer.vat_number.as_deref().filter(|v| !v.trim().is_empty()) {
            Some(vat) => warnings.push(Reason::new(
                ReasonCode::IdentifiedByVatOnly,
                [("vatNumber", Param::from(vat.trim()))],
            )),
            None => warnings.push(Reason::new(ReasonCode::IdentifiedByNameOnly, [("buyer", name())])),
        }
    }
    if blank(buyer.legal_form.as_deref()) && matches!(buyer.entity_kind, EntityKind::Company | EntityKind::Branch) {
        warnings.push(Reason::new(ReasonCode::LegalFormMissing, [("buyer", name())]));
    }
    // PRM-4
    match receivable.payment_security {
        PaymentSecurity::OpenAccount => {}
        PaymentSecurity::Prepayment | PaymentSecurity::CashOnDelivery => {
            blocking.push(Reason::new(ReasonCode::NotOnCredit, []))
        }
        PaymentSecurity::ConfirmedLetterOfCredit => blocking.push(Reason::new(ReasonCode::SecuredByLetterOfCredit, [])),
    }

    let outcome = if !blocking.is_empty() {
        Outcome::NotInsurable
    } else if buyer.entity_kind == EntityKind::Branch {
        Outcome::InsurableThroughHeadOffice
    } else {
        Outcome::Insurable
    };
    let mut reasons = notes;
    if blocking.is_empty() {
        reasons.extend(positive);
    } else {
        reasons.extend(blocking);
    }
    reasons.extend(warnings);
    reasons.sort_by_key(|r| rule_order(&r.rule));
    Ok(Decision {
        outcome,
        amounts: Default::default(),
        reasons,
        details: None,
    })
}

/// Sort key for rule IDs: area in the order of spec/rules.md, then number (stable sort keeps the order
/// of reasons within one rule).
fn rule_order(rule: &str) -> (usize, u32) {
    const AREAS: [&str; 11] = [
        "POL", "BUY", "LIM", "DIS", "EXP", "OVD", "CLM", "COL", "PRM", "ACC", "PCI",
    ];
    let (area, number) = rule.split_once('-').unwrap_or((rule, "0"));
    (
        AREAS.iter().position(|a| *a == area).unwrap_or(AREAS.len()),
        number.parse().unwrap_or(0),
    )
}
