//! ISO 3166-1 alpha-2 country codes and, for the countries our customers call most,
//! their international calling codes.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::invalid::Coded;

const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

const CALLING_CODES: &[(&str, &str)] = &[
    ("AE", "971"),
    ("AL", "355"),
    ("AR", "54"),
    ("AT", "43"),
    ("AU", "61"),
    ("BA", "387"),
    ("BD", "880"),
    ("BE", "32"),
    ("BG", "359"),
    ("BR", "55"),
    ("BY", "375"),
    ("CA", "1"),
    ("CH", "41"),
    ("CL", "56"),
    ("CN", "86"),
    ("CO", "57"),
    ("CY", "357"),
    ("CZ", "420"),
    ("DE", "49"),
    ("DK", "45"),
    ("EE", "372"),
    ("EG", "20"),
    ("ES", "34"),
    ("FI", "358"),
    ("FR", "33"),
    ("GB", "44"),
    ("GR", "30"),
    ("HK", "852"),
    ("HR", "385"),
    ("HU", "36"),
    ("ID", "62"),
    ("IE", "353"),
    ("IL", "972"),
    ("IN", "91"),
    ("IS", "354"),
    ("IT", "39"),
    ("JP", "81"),
    ("KE", "254"),
    ("KR", "82"),
    ("KZ", "7"),
    ("LT", "370"),
    ("LU", "352"),
    ("LV", "371"),
    ("MD", "373"),
    ("ME", "382"),
    ("MK", "389"),
    ("MO", "853"),
    ("MT", "356"),
    ("MX", "52"),
    ("MY", "60"),
    ("NG", "234"),
    ("NL", "31"),
    ("NO", "47"),
    ("NZ", "64"),
    ("PE", "51"),
    ("PH", "63"),
    ("PK", "92"),
    ("PL", "48"),
    ("PT", "351"),
    ("RO", "40"),
    ("RS", "381"),
    ("RU", "7"),
    ("SA", "966"),
    ("SE", "46"),
    ("SG", "65"),
    ("SI", "386"),
    ("SK", "421"),
    ("TH", "66"),
    ("TR", "90"),
    ("TW", "886"),
    ("UA", "380"),
    ("US", "1"),
    ("VN", "84"),
    ("ZA", "27"),
];

/// A country as its ISO 3166-1 alpha-2 code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country([u8; 2]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not an ISO 3166 country code (two letters, like PL or BG)")]
pub struct CountryError;

impl Coded for CountryError {
    fn code(&self) -> &'static str {
        "invalid_country"
    }
}

impl Country {
    pub fn parse(raw: &str) -> Result<Self, CountryError> {
        let upper = raw.trim().to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != 2 || !CODES.split(' ').any(|code| code == upper) {
            return Err(CountryError);
        }
        Ok(Country([bytes[0], bytes[1]]))
    }

    pub fn as_str(&self) -> &str {
        // Both bytes were checked to be ASCII letters in `parse`.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The calling code that an international number (digits only) starts with, where we
    /// know it. Calling codes are prefix-free, so at most one fits.
    pub fn calling_code_of(digits: &str) -> Option<&'static str> {
        CALLING_CODES.iter().map(|(_, calling)| *calling).filter(|c| digits.starts_with(c)).max_by_key(|c| c.len())
    }

    /// The international calling code, where we know it.
    pub fn calling_code(&self) -> Option<&'static str> {
        CALLING_CODES.iter().find(|(code, _)| *code == self.as_str()).map(|(_, calling)| *calling)
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_parse_in_any_case() {
        assert_eq!(Country::parse("pl").unwrap().as_str(), "PL");
        assert_eq!(Country::parse(" BG ").unwrap().calling_code(), Some("359"));
        assert_eq!(CODES.split(' ').count(), 249);
    }

    #[test]
    fn unknown_codes_are_refused() {
        for bad in ["", "P", "POL", "XX", "1A", "ÅL"] {
            assert!(Country::parse(bad).is_err(), "{bad} parsed");
        }
    }
}
