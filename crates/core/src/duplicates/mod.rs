//! Duplicate detection, apart from storage: what of a record tells it apart
//! ([`Profile`]), the blocking keys under which possible duplicates are looked up
//! ([`Profile::keys`]), and how likely two records are the same customer ([`score`]).
//!
//! The store keeps every record's keys in an index, so a check on create reads a few
//! index entries and scores the handful of records found; a batch scan scores the pairs
//! within each key's block.

pub mod merge;
pub mod names;

use serde::Serialize;

use crate::companies::CompanyFields;
use crate::contacts::{Address, ContactKind, ContactMethod};
use crate::people::PersonFields;
use crate::text::fold;

/// Scores from here up are shown as possible duplicates.
pub const THRESHOLD: f64 = 0.6;

/// Longest key kept (an email can be long; the rest are short).
const MAX_KEY_CHARS: usize = 160;

/// Name words taken into the pair keys; longer names are matched by their first words.
const KEY_WORDS: usize = 4;

/// Why two records look like the same customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    SameTaxId,
    SameCode,
    SameExternalId,
    SameEmail,
    SamePhone,
    SameName,
    SimilarName,
    SimilarAddress,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::SameTaxId => "same_tax_id",
            Reason::SameCode => "same_code",
            Reason::SameExternalId => "same_external_id",
            Reason::SameEmail => "same_email",
            Reason::SamePhone => "same_phone",
            Reason::SameName => "same_name",
            Reason::SimilarName => "similar_name",
            Reason::SimilarAddress => "similar_address",
        }
    }
}

/// How alike two records are: 0 to 1, with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// What of a company or person duplicate detection looks at, normalised once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub company: bool,
    pub name: Vec<String>,
    pub tax_id: Option<String>,
    pub code: Option<String>,
    pub external_id: Option<String>,
    pub emails: Vec<String>,
    /// The last nine digits of each phone: the same number with or without its country
    /// prefix or trunk zero.
    pub phones: Vec<String>,
    pub addresses: Vec<String>,
    pub birth_date: Option<String>,
}

fn compact(text: &str) -> Option<String> {
    let out: String = fold(text).chars().filter(|c| c.is_alphanumeric()).collect();
    (!out.is_empty()).then_some(out)
}

fn phone_key(digits: &str) -> Option<String> {
    let digits: Vec<char> = digits.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(9)..].iter().collect())
}

fn address_key(address: &Address) -> Option<String> {
    let parts = [&address.line1, &address.postcode, &address.city];
    let text: Vec<String> = parts.into_iter().flatten().map(|p| names::name_words(p, false).concat()).collect();
    let key = text.concat();
    (!key.is_empty()).then_some(key)
}

impl Profile {
    pub fn company(fields: &CompanyFields, code: Option<&str>) -> Self {
        let mut profile = Profile {
            company: true,
            name: names::name_words(&fields.name, true),
            tax_id: fields.tax_id.as_deref().and_then(compact),
            code: code.and_then(compact),
            external_id: fields.external_id.as_deref().and_then(compact),
            ..Profile::default()
        };
        profile.add_contacts(&fields.contact_methods, &fields.addresses);
        profile
    }

    pub fn person(fields: &PersonFields) -> Self {
        let mut profile = Profile {
            company: false,
            name: names::name_words(&fields.full_name(), false),
            external_id: fields.external_id.as_deref().and_then(compact),
            birth_date: fields.birth_date.map(|d| d.to_string()),
            ..Profile::default()
        };
        profile.add_contacts(&fields.contact_methods, &fields.addresses);
        profile
    }

    fn add_contacts(&mut self, methods: &[ContactMethod], addresses: &[Address]) {
        for method in methods {
            match method.kind {
                ContactKind::Email => self.emails.push(method.normalized.clone()),
                kind if kind.is_phone() => self.phones.extend(phone_key(&method.normalized)),
                _ => {}
            }
        }
        self.addresses.extend(addresses.iter().filter_map(address_key));
    }

    /// The blocking keys of the record: two records that may be duplicates share at least
    /// one. Identifiers as they are; the name sorted (swapped given and family names meet),
    /// as pairs of word starts and of word ends (one typo in a word leaves one of them
    /// intact), and as a word with another's initial.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let mut put = |prefix: &str, value: &str| {
            let key: String = format!("{prefix}:{value}").chars().take(MAX_KEY_CHARS).collect();
            if !keys.contains(&key) {
                keys.push(key);
            }
        };
        for (prefix, value) in [("x", &self.tax_id), ("c", &self.code), ("i", &self.external_id)] {
            if let Some(value) = value {
                put(prefix, value);
            }
        }
        for email in &self.emails {
            put("e", email);
        }
        for phone in &self.phones {
            put("p", phone);
        }
        if self.name.is_empty() {
            return keys;
        }
        let mut sorted = self.name.clone();
        sorted.sort();
        put("n", &sorted.join(" "));
        let words: Vec<&String> = self.name.iter().take(KEY_WORDS).collect();
        let start = |w: &str| w.chars().take(3).collect::<String>();
        let end = |w: &str| {
            let chars: Vec<char> = w.chars().collect();
            chars[chars.len().saturating_sub(3)..].iter().collect::<String>()
        };
        if words.len() == 1 {
            put("a", &start(words[0]));
            put("z", &end(words[0]));
        }
        // A short word with a typo keeps neither its start nor its end: the other word in
        // full with this one's first letter still meets (`a|nowak` for Anna or Ana Nowak).
        for first in &words {
            for second in words.iter().filter(|w| *w != first) {
                let initial: String = first.chars().take(1).collect();
                put("f", &format!("{initial}|{second}"));
            }
        }
        for (i, first) in words.iter().enumerate() {
            for second in &words[i + 1..] {
                for (prefix, cut) in [("a", &start as &dyn Fn(&str) -> String), ("z", &end)] {
                    let mut pair = [cut(first), cut(second)];
                    pair.sort();
                    put(prefix, &pair.join("|"));
                }
            }
        }
        keys
    }
}

/// Evidence from an exact identifier, combined with the rest as independent signs.
fn combine(evidence: &[f64]) -> f64 {
    1.0 - evidence.iter().map(|e| 1.0 - e).product::<f64>()
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// How likely `a` and `b` are the same customer; `None` when nothing points that way.
pub fn score(a: &Profile, b: &Profile) -> Option<Match> {
    let mut reasons = Vec::new();
    for (reason, x, y) in [
        (Reason::SameTaxId, &a.tax_id, &b.tax_id),
        (Reason::SameCode, &a.code, &b.code),
        (Reason::SameExternalId, &a.external_id, &b.external_id),
    ] {
        if x.is_some() && x == y {
            reasons.push(reason);
        }
    }
    if !reasons.is_empty() {
        return Some(Match { score: 1.0, reasons });
    }
    let name = names::name_similarity(&a.name, &b.name);
    // People of one household share a phone or an address book's email; companies that
    // share them are one customer under two names far more often.
    let names_differ = !a.company && name <= 0.5;
    let mut evidence = Vec::new();
    if shares(&a.emails, &b.emails) {
        reasons.push(Reason::SameEmail);
        evidence.push(if names_differ { 0.45 } else { 0.9 });
    }
    if shares(&a.phones, &b.phones) {
        reasons.push(Reason::SamePhone);
        evidence.push(if names_differ { 0.3 } else { 0.8 });
    }
    let name_evidence = if name >= 0.97 {
        reasons.push(Reason::SameName);
        0.75
    } else if name >= 0.85 {
        reasons.push(Reason::SimilarName);
        0.65
    } else if name >= 0.7 {
        reasons.push(Reason::SimilarName);
        0.35
    } else {
        0.0
    };
    evidence.push(name_evidence);
    if name >= 0.7 && a.addresses.iter().any(|x| b.addresses.iter().any(|y| names::similarity(x, y) >= 0.85)) {
        reasons.push(Reason::SimilarAddress);
        evidence.push(0.3);
    }
    let mut score = combine(&evidence);
    // A different tax number is a different legal entity; a different birth date a
    // different person, however alike the names.
    let conflict = |x: &Option<String>, y: &Option<String>| x.is_some() && y.is_some() && x != y;
    if conflict(&a.tax_id, &b.tax_id) || conflict(&a.birth_date, &b.birth_date) {
        score *= 0.3;
    }
    // Known emails or phones on both sides that all differ weigh a little against.
    for (x, y) in [(&a.emails, &b.emails), (&a.phones, &b.phones)] {
        if !x.is_empty() && !y.is_empty() && !shares(x, y) {
            score *= 0.85;
        }
    }
    (score > 0.0).then(|| {
        reasons.sort();
        Match { score: (score * 1000.0).round() / 1000.0, reasons }
    })
}

#[cfg(test)]
mod tests;
