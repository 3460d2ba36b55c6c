//! Contact methods and addresses, shared by companies and people.

use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::email::Email;
use crate::invalid::Invalid;
use crate::phone::Phone;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Email,
    Phone,
    Mobile,
    Fax,
    Web,
    Messenger,
}

impl ContactKind {
    pub const ALL: [ContactKind; 6] = [Self::Email, Self::Phone, Self::Mobile, Self::Fax, Self::Web, Self::Messenger];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Mobile => "mobile",
            Self::Fax => "fax",
            Self::Web => "web",
            Self::Messenger => "messenger",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn is_phone(self) -> bool {
        matches!(self, Self::Phone | Self::Mobile | Self::Fax)
    }
}

/// A contact method as a client sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactMethodDraft {
    pub kind: Option<String>,
    pub value: Option<String>,
    pub label: Option<String>,
    pub primary: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactMethod {
    pub kind: ContactKind,
    /// What the user typed (for emails, with the domain lower-cased).
    pub value: String,
    /// The form used for matching: a lower-case email, a phone's E.164 or digits.
    #[serde(skip)]
    pub normalized: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e164: Option<String>,
    pub label: Option<String>,
    pub primary: bool,
}

impl ContactMethod {
    pub fn to_draft(&self) -> ContactMethodDraft {
        ContactMethodDraft {
            kind: Some(self.kind.as_str().to_string()),
            value: Some(self.value.clone()),
            label: self.label.clone(),
            primary: Some(self.primary),
        }
    }
}

/// Parses a list of contact methods; `country` gives national phone numbers their E.164 form.
/// The first method of each kind becomes primary when none is marked.
pub fn parse_contact_methods(
    drafts: &[ContactMethodDraft],
    country: Option<Country>,
    invalid: &mut Invalid,
) -> Vec<ContactMethod> {
    let mut methods = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.iter().enumerate() {
        let at = |field: &str| format!("contact_methods[{i}].{field}");
        let kind = match draft.kind.as_deref().map(str::trim) {
            None | Some("") => {
                invalid.push(at("kind"), "required", "is required");
                None
            }
            Some(raw) => {
                let kind = ContactKind::parse(raw);
                if kind.is_none() {
                    invalid.push(
                        at("kind"),
                        "invalid_choice",
                        "must be one of email, phone, mobile, fax, web, messenger",
                    );
                }
                kind
            }
        };
        let label = invalid.take(&at("label"), text::optional(draft.label.as_deref(), 100, false)).flatten();
        let Some(raw) = invalid.take(&at("value"), text::required(draft.value.as_deref(), 300)) else {
            continue;
        };
        let Some(kind) = kind else { continue };
        let parsed = match kind {
            ContactKind::Email => invalid
                .take(&at("value"), Email::parse(&raw))
                .map(|email| (email.as_str().to_string(), email.normalized(), None)),
            k if k.is_phone() => invalid
                .take(&at("value"), Phone::parse(&raw, country))
                .map(|phone| (phone.raw.clone(), phone.digits(), phone.e164)),
            ContactKind::Web => {
                if raw.contains(char::is_whitespace) || !raw.contains('.') {
                    invalid.push(at("value"), "invalid_url", "is not a web address");
                    None
                } else {
                    Some((raw.clone(), raw.to_lowercase(), None))
                }
            }
            _ => Some((raw.clone(), raw.to_lowercase(), None)),
        };
        if let Some((value, normalized, e164)) = parsed {
            methods.push(ContactMethod {
                kind,
                value,
                normalized,
                e164,
                label,
                primary: draft.primary.unwrap_or(false),
            });
        }
    }
    for kind in ContactKind::ALL {
        let primaries = methods.iter().filter(|m| m.kind == kind && m.primary).count();
        if primaries > 1 {
            invalid.push("contact_methods", "duplicate_primary", format!("only one {} can be primary", kind.as_str()));
        } else if primaries == 0
            && let Some(first) = methods.iter_mut().find(|m| m.kind == kind)
        {
            first.primary = true;
        }
    }
    methods
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressPurpose {
    /// Billing and tax: printed on financial documents.
    Billing,
    /// Delivery and warehouse: offered when a delivery or order is made.
    Delivery,
    Office,
    Postal,
}

impl AddressPurpose {
    pub const ALL: [AddressPurpose; 4] = [Self::Billing, Self::Delivery, Self::Office, Self::Postal];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Billing => "billing",
            Self::Delivery => "delivery",
            Self::Office => "office",
            Self::Postal => "postal",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "tax" => Some(Self::Billing),
            "warehouse" => Some(Self::Delivery),
            _ => Self::ALL.into_iter().find(|p| p.as_str() == raw),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressDraft {
    pub purpose: Option<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub default: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub purpose: AddressPurpose,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<Country>,
    pub default: bool,
}

impl Address {
    pub fn to_draft(&self) -> AddressDraft {
        AddressDraft {
            purpose: Some(self.purpose.as_str().to_string()),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            postcode: self.postcode.clone(),
            country: self.country.map(|c| c.to_string()),
            default: Some(self.default),
        }
    }
}

/// Parses addresses; the first of each purpose becomes the default when none is marked.
pub fn parse_addresses(drafts: &[AddressDraft], invalid: &mut Invalid) -> Vec<Address> {
    let mut addresses = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.iter().enumerate() {
        let at = |field: &str| format!("addresses[{i}].{field}");
        let purpose = match draft.purpose.as_deref().map(str::trim) {
            None | Some("") => Some(AddressPurpose::Office),
            Some(raw) => {
                let purpose = AddressPurpose::parse(raw);
                if purpose.is_none() {
                    invalid.push(at("purpose"), "invalid_choice", "must be one of billing, delivery, office, postal");
                }
                purpose
            }
        };
        let mut line = |field: &str, raw: &Option<String>, max: usize| {
            invalid.take(&at(field), text::optional(raw.as_deref(), max, false)).flatten()
        };
        let line1 = line("line1", &draft.line1, 200);
        let line2 = line("line2", &draft.line2, 200);
        let city = line("city", &draft.city, 100);
        let region = line("region", &draft.region, 100);
        let postcode = line("postcode", &draft.postcode, 20);
        let country = match draft.country.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => invalid.take(&at("country"), Country::parse(raw)),
        };
        if line1.is_none() && city.is_none() && postcode.is_none() {
            invalid.push(at("line1"), "required", "an address needs at least a street, a city or a postcode");
        }
        if let Some(purpose) = purpose {
            addresses.push(Address {
                purpose,
                line1,
                line2,
                city,
                region,
                postcode,
                country,
                default: draft.default.unwrap_or(false),
            });
        }
    }
    for purpose in AddressPurpose::ALL {
        let defaults = addresses.iter().filter(|a| a.purpose == purpose && a.default).count();
        if defaults > 1 {
            invalid.push(
                "addresses",
                "duplicate_default",
                format!("only one {} address can be the default", purpose.as_str()),
            );
        } else if defaults == 0
            && let Some(first) = addresses.iter_mut().find(|a| a.purpose == purpose)
        {
            first.default = true;
        }
    }
    addresses
}

/// The country that national phone numbers are read in: the default billing or office
/// address's country, else any address's.
pub fn home_country(addresses: &[Address]) -> Option<Country> {
    let preferred = [AddressPurpose::Billing, AddressPurpose::Office];
    preferred
        .iter()
        .find_map(|p| addresses.iter().find(|a| a.purpose == *p && a.default).and_then(|a| a.country))
        .or_else(|| addresses.iter().find_map(|a| a.country))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(kind: &str, value: &str) -> ContactMethodDraft {
        ContactMethodDraft { kind: Some(kind.into()), value: Some(value.into()), ..Default::default() }
    }

    #[test]
    fn methods_are_parsed_and_first_of_a_kind_is_primary() {
        let mut invalid = Invalid::default();
        let country = Country::parse("BG").ok();
        let drafts = [method("email", "A@X.COM"), method("mobile", "088 123 4567"), method("email", "b@x.com")];
        let methods = parse_contact_methods(&drafts, country, &mut invalid);
        assert!(invalid.is_empty(), "{invalid:?}");
        assert_eq!(methods[0].value, "A@x.com");
        assert!(methods[0].primary && !methods[2].primary);
        assert_eq!(methods[1].e164.as_deref(), Some("+359881234567"));
        assert_eq!(methods[1].normalized, "359881234567");
    }

    #[test]
    fn bad_methods_name_the_field() {
        let mut invalid = Invalid::default();
        let drafts = [method("email", "nope"), method("pager", "1"), method("phone", "abc")];
        let methods = parse_contact_methods(&drafts, None, &mut invalid);
        assert!(methods.is_empty());
        let fields: Vec<_> = invalid.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("contact_methods[0].value", "invalid_email"),
                ("contact_methods[1].kind", "invalid_choice"),
                ("contact_methods[2].value", "invalid_phone")
            ]
        );
    }

    #[test]
    fn addresses_get_one_default_per_purpose_and_give_the_home_country() {
        let mut invalid = Invalid::default();
        let draft = |purpose: &str, country: &str| AddressDraft {
            purpose: Some(purpose.into()),
            city: Some("Sofia".into()),
            country: Some(country.into()),
            ..Default::default()
        };
        let addresses =
            parse_addresses(&[draft("delivery", "PL"), draft("billing", "bg"), draft("billing", "BG")], &mut invalid);
        assert!(invalid.is_empty());
        assert!(addresses[0].default && addresses[1].default && !addresses[2].default);
        assert_eq!(home_country(&addresses).unwrap().as_str(), "BG");
        parse_addresses(&[draft("moon", "XX")], &mut invalid);
        assert_eq!(invalid.errors.len(), 2);
    }
}
