//! A built-in sample year (ACC): one policy and three buyers' events over 2026, for the
//! quickstart example, the README and the tests. Jensen Trading ApS is self-assessed on a credit
//! report (DIS-1 b) and outgrows the discretionary limit in November (DIS-5); Müller
//! Maschinenbau GmbH has a named limit, partly granted, later withdrawn (LIM-1, LIM-3); Dupont
//! Industrie SAS stops paying, is reported overdue, falls into protracted default and a claim
//! is filed (OVD-1, CLM-1..3, CLM-6). Müller's limit is also raised in May (LIM-6) and adverse
//! information on it is notified late (OVD-7); Aalborg Træ ApS, a new buyer, has a first
//! delivery planned that needs a limit (LIM-7), then a temporary Christmas raise (LIM-6). The data is [`YEAR_2026_JSON`] (`sample/year-2026.json`),
//! the input shape of op `obligations` plus the dates the example looks at.
//!
//! And four sample policies, one per country whose guide the rules come from (CH, DK, BE,
//! FR): [`POLICIES_JSON`] (`spec/policies/*.json`, where `spec/policies/README.md` says which
//! guide passage each term comes from), read with [`policy`].

use serde::{Deserialize, Serialize};

use crate::account::AccountDto;
use crate::calendar::IsoDate;
use crate::error::Error;
use crate::policy::PolicyDto;

/// The sample year as JSON: `{policy, accounts: [{buyer, events}], dates}`.
pub const YEAR_2026_JSON: &str = include_str!("sample/year-2026.json");

/// A policy, the accounts of its buyers and the dates worth looking at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SampleYear {
    /// Policy terms.
    pub policy: PolicyDto,
    /// One account per buyer: the buyer and its events.
    pub accounts: Vec<AccountDto>,
    /// The dates the quickstart example prints the cover and the worklist on.
    pub dates: Vec<IsoDate>,
}

/// The sample year 2026 ([`YEAR_2026_JSON`]).
pub fn year() -> Result<SampleYear, Error> {
    serde_json::from_str(YEAR_2026_JSON).map_err(|e| Error::Internal {
        detail: format!("sample year: {e}"),
    })
}

/// The four countries' sample policies as JSON, `(country, policy)`, sorted by country code
/// (lower case): `be` automatic cover up to a preset amount per buyer (DIS-7), `ch`
/// conditional self-assessment (DIS-1..6) and a declaration due at the end of the first month
/// (PRM-2), `dk` no small-buyer cover (a named limit for every buyer) and a 90 % minimum premium (PRM-1),
/// `fr` a fixed premium and collections started at once (COL-1).
pub const POLICIES_JSON: [(&str, &str); 4] = [
    ("be", include_str!("../../spec/policies/be.json")),
    ("ch", include_str!("../../spec/policies/ch.json")),
    ("dk", include_str!("../../spec/policies/dk.json")),
    ("fr", include_str!("../../spec/policies/fr.json")),
];

/// The sample policy of `country` (`"be"`, `"ch"`, `"dk"` or `"fr"`, any case), as the
/// boundary DTO; `unknown_value` at `country` for any other.
///
/// ```
/// let dk = delcredere::sample::policy("DK")?;
/// assert_eq!(dk.currency.as_deref(), Some("DKK"));
/// assert!(dk.validate().is_ok());
/// assert_eq!(delcredere::sample::policy("se").unwrap_err().code(), "unknown_value");
/// # Ok::<(), delcredere::Error>(())
/// ```
pub fn policy(country: &str) -> Result<PolicyDto, Error> {
    let key = country.to_ascii_lowercase();
    let (_, json) = POLICIES_JSON
        .iter()
        .find(|(c, _)| *c == key)
        .ok_or_else(|| Error::UnknownValue {
            field: "country".into(),
            value: country.to_owned(),
            expected: POLICIES_JSON.iter().map(|(c, _)| (*c).to_owned()).collect(),
        })?;
    serde_json::from_str(json).map_err(|e| Error::Internal {
        detail: format!("sample policy {key}: {e}"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_policy_is_valid_pol() {
        for (country, _) in POLICIES_JSON {
            let dto = policy(country).unwrap();
            if let Err(e) = dto.validate() {
                panic!("{country}: {e} {:?}", e.problems());
            }
        }
    }
}
