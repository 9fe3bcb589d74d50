//! A built-in sample year (ACC): one policy and three buyers' events over 2026, for the
//! quickstart example, the README and the tests. Jensen Trading ApS is self-assessed on a credit
//! report (DIS-1 b) and outgrows the discretionary limit in November (DIS-5); Müller
//! Maschinenbau GmbH has a named limit, partly granted, later withdrawn (LIM-1, LIM-3); Dupont
//! Industrie SAS stops paying, is reported overdue, falls into protracted default and a claim
//! is filed (OVD-1, CLM-1..3, CLM-6). The data is [`YEAR_2026_JSON`] (`sample/year-2026.json`),
//! the input shape of op `obligations` plus the dates the example looks at.

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
