//! Email addresses, parsed once: the domain is lower-cased, the local part kept as typed.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::invalid::Coded;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not a valid email address")]
pub struct EmailError;

impl Coded for EmailError {
    fn code(&self) -> &'static str {
        "invalid_email"
    }
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let raw = raw.trim();
        let raw = raw.strip_prefix("mailto:").unwrap_or(raw);
        if raw.chars().count() > 254 {
            return Err(EmailError);
        }
        let (local, domain) = raw.rsplit_once('@').ok_or(EmailError)?;
        if !valid_local(local) || !valid_domain(domain) {
            return Err(EmailError);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    /// The form used to find duplicates and to search: all lower case.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(label_ok) && tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_addresses_parse_and_domains_are_lower_cased() {
        let email = Email::parse(" Office@Lodz-Textiles.EXAMPLE ").unwrap();
        assert_eq!(email.as_str(), "Office@lodz-textiles.example");
        assert_eq!(email.domain(), "lodz-textiles.example");
        assert_eq!(email.normalized(), "office@lodz-textiles.example");
        assert!(Email::parse("мария@пример.бг").is_ok());
        assert!(Email::parse("mailto:a.b+c@x.co").is_ok());
    }

    #[test]
    fn bad_addresses_are_refused() {
        for bad in
            ["", "plain", "@x.com", "a@", "a@b", "a b@x.com", "a@x..com", ".a@x.com", "a@-x.com", "a@x.c0m", "a@@x.com"]
        {
            assert!(Email::parse(bad).is_err(), "{bad} parsed");
        }
    }
}
