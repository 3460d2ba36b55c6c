//! Phone numbers: what the user typed is kept, and an E.164 form is added when the
//! country is known (from a leading `+`/`00`, or from the record's address).

use serde::Serialize;

use crate::country::Country;
use crate::invalid::Coded;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    /// As typed, trimmed.
    pub raw: String,
    /// `+` and 8 to 15 digits, when the country is known.
    pub e164: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("is not a phone number: only digits, spaces, + - ( ) . / are allowed")]
    Characters,
    #[error("has too few or too many digits for a phone number")]
    Length,
}

impl Coded for PhoneError {
    fn code(&self) -> &'static str {
        "invalid_phone"
    }
}

impl Phone {
    pub fn parse(raw: &str, country: Option<Country>) -> Result<Self, PhoneError> {
        let raw = raw.trim();
        let raw_no_tel = raw.strip_prefix("tel:").unwrap_or(raw);
        let (number, _extension) = split_extension(raw_no_tel);
        if !number.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)) {
            return Err(PhoneError::Characters);
        }
        let plus = number.trim_start().starts_with('+');
        if number.chars().skip(1).any(|c| c == '+') {
            return Err(PhoneError::Characters);
        }
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let fits = (4..=15).contains(&digits.len()) || (digits.starts_with("00") && digits.len() <= 17);
        if !fits {
            return Err(PhoneError::Length);
        }
        let international = if plus { Some(digits.clone()) } else { digits.strip_prefix("00").map(str::to_string) };
        let e164 = match international {
            Some(intl) => {
                if !(8..=15).contains(&intl.len()) {
                    return Err(PhoneError::Length);
                }
                Some(format!("+{intl}"))
            }
            None => country.and_then(|c| national_to_e164(&digits, c)),
        };
        Ok(Phone { raw: raw.to_string(), e164 })
    }

    /// Digits only, for matching whatever the formatting.
    pub fn digits(&self) -> String {
        match &self.e164 {
            Some(e164) => e164.trim_start_matches('+').to_string(),
            None => self.raw.chars().filter(char::is_ascii_digit).collect(),
        }
    }
}

/// The national number of an E.164 number (`+359881234567` → `881234567`), for matching a
/// number typed without its country prefix; `None` for other forms or unknown codes.
pub fn national_digits(e164: &str) -> Option<&str> {
    let digits = e164.strip_prefix('+')?;
    let calling = Country::calling_code_of(digits)?;
    Some(&digits[calling.len()..]).filter(|national| national.len() >= 4)
}

fn split_extension(raw: &str) -> (&str, Option<&str>) {
    let lower = raw.to_ascii_lowercase();
    for marker in [" ext.", " ext", " x", ";ext="] {
        if let Some(at) = lower.find(marker) {
            return (&raw[..at], Some(raw[at + marker.len()..].trim()));
        }
    }
    (raw, None)
}

fn national_to_e164(digits: &str, country: Country) -> Option<String> {
    let calling = country.calling_code()?;
    let national = match country.as_str() {
        // Italy, San Marino and the Vatican keep the leading zero.
        "IT" | "SM" | "VA" => digits,
        "US" | "CA" if digits.len() == 11 => digits.strip_prefix('1').unwrap_or(digits),
        "RU" | "KZ" if digits.len() == 11 => digits.strip_prefix('8').unwrap_or(digits),
        "HU" => digits.strip_prefix("06").unwrap_or(digits),
        _ => digits.strip_prefix('0').unwrap_or(digits),
    };
    let total = calling.len() + national.len();
    (national.len() >= 6 && total <= 15).then(|| format!("+{calling}{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Option<Country> {
        Some(Country::parse(code).unwrap())
    }

    #[test]
    fn international_numbers_get_e164_and_keep_what_was_typed() {
        let phone = Phone::parse(" +48 42 123 45 67 ", None).unwrap();
        assert_eq!(phone.raw, "+48 42 123 45 67");
        assert_eq!(phone.e164.as_deref(), Some("+48421234567"));
        let phone = Phone::parse("00359 88 123 4567", None).unwrap();
        assert_eq!(phone.e164.as_deref(), Some("+359881234567"));
    }

    #[test]
    fn national_numbers_use_the_country() {
        let phone = Phone::parse("088 123 4567", country("BG")).unwrap();
        assert_eq!(phone.e164.as_deref(), Some("+359881234567"));
        let phone = Phone::parse("(212) 555-0100", country("US")).unwrap();
        assert_eq!(phone.e164.as_deref(), Some("+12125550100"));
        let phone = Phone::parse("06 33 123 456", country("IT")).unwrap();
        assert_eq!(phone.e164.as_deref(), Some("+390633123456"));
        let phone = Phone::parse("088 123 4567", None).unwrap();
        assert_eq!(phone.e164, None);
        assert_eq!(phone.digits(), "0881234567");
    }

    #[test]
    fn extensions_are_kept_in_the_raw_form() {
        let phone = Phone::parse("+44 20 7946 0958 ext. 12", None).unwrap();
        assert_eq!(phone.e164.as_deref(), Some("+442079460958"));
        assert_eq!(phone.raw, "+44 20 7946 0958 ext. 12");
    }

    #[test]
    fn nonsense_is_refused() {
        assert_eq!(Phone::parse("call me", None), Err(PhoneError::Characters));
        assert_eq!(Phone::parse("12", None), Err(PhoneError::Length));
        assert_eq!(Phone::parse("+1 2", None), Err(PhoneError::Length));
        assert_eq!(Phone::parse("1+2345678", None), Err(PhoneError::Characters));
        assert_eq!(Phone::parse("+1234567890123456", None), Err(PhoneError::Length));
    }
}
