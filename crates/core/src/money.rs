//! Money: an exact decimal amount and an ISO 4217 currency, never a float.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::invalid::Coded;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("is not an amount (write it like 1234.50)")]
    Amount,
    #[error("is not a currency code (three letters, like EUR)")]
    Currency,
}

impl Coded for MoneyError {
    fn code(&self) -> &'static str {
        match self {
            MoneyError::Amount => "invalid_amount",
            MoneyError::Currency => "invalid_currency",
        }
    }
}

impl Currency {
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let upper = raw.trim().to_ascii_uppercase();
        if upper.len() == 3 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Currency(upper))
        } else {
            Err(MoneyError::Currency)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(raw: String) -> Result<Self, MoneyError> {
        Currency::parse(&raw)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.0
    }
}

/// Parses a decimal amount written with a dot; spaces and `_` between digit groups are allowed.
pub fn parse_amount(raw: &str) -> Result<Decimal, MoneyError> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ' ' && *c != '_').collect();
    if cleaned.is_empty() || cleaned.contains(['e', 'E']) {
        return Err(MoneyError::Amount);
    }
    Decimal::from_str(&cleaned).map(|d| d.normalize()).map_err(|_| MoneyError::Amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        assert_eq!(parse_amount("1 234.50").unwrap().to_string(), "1234.5");
        assert_eq!(parse_amount("0.1").unwrap() + parse_amount("0.2").unwrap(), parse_amount("0.3").unwrap());
        assert!(parse_amount("12,5").is_err());
        assert!(parse_amount("1e5").is_err());
        assert_eq!(Currency::parse("eur").unwrap().as_str(), "EUR");
        assert!(Currency::parse("EURO").is_err());
    }
}
