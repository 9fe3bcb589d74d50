//! Countries as ISO 3166-1 alpha-2 codes.

use std::fmt;

use crate::error::Error;

/// The officially assigned ISO 3166-1 alpha-2 codes, one string, sorted.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code (upper case), validated against the official list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Parses a code such as `DE`; `field` names the input field for the error.
    pub fn parse(field: &str, value: &str) -> Result<Self, Error> {
        // CODES is sorted, each code at 3 × its index: binary search without allocating.
        let count = CODES.len().div_ceil(3);
        let known = value.len() == 2 && {
            let (mut lo, mut hi) = (0, count);
            let mut found = false;
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                match CODES.get(mid * 3..mid * 3 + 2).map(|c| c.cmp(value)) {
                    Some(std::cmp::Ordering::Less) => lo = mid + 1,
                    Some(std::cmp::Ordering::Greater) => hi = mid,
                    Some(std::cmp::Ordering::Equal) => {
                        found = true;
                        break;
                    }
                    None => break,
                }
            }
            found
        };
        match value.as_bytes() {
            [a, b] if known => Ok(Country([*a, *b])),
            _ => Err(Error::UnknownCountry {
                field: field.to_owned(),
                value: value.chars().take(40).collect(),
            }),
        }
    }

    /// The two-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_iso_codes_and_refuses_others() {
        assert_eq!(Country::parse("c", "DK").unwrap().code(), "DK");
        for bad in ["XX", "de", "DEU", "", "D"] {
            assert_eq!(
                Country::parse("country", bad).unwrap_err().code(),
                "unknown_country",
                "{bad}"
            );
        }
        assert_eq!(CODES.split(' ').count(), 249);
        let codes: Vec<&str> = CODES.split(' ').collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted for binary search");
        for code in codes {
            assert_eq!(Country::parse("c", code).unwrap().code(), code);
        }
    }
}
