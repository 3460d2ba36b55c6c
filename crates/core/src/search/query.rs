//! The search box's language, shared by global search and the `q` of every list: words
//! (each a prefix, as typed so far), `"phrases"`, attribute pairs `stage=mature`, field
//! filters `city:Sofia` and `owner:me`, and `-` to exclude (`-closed`, `-stage=closed`).

use super::tokens::{self, cjk_grams, is_cjk};
use super::{ALL_FIELDS, Field, typos};
use crate::attributes::split_pair;
use crate::text::fold;

/// Conditions on record columns rather than on terms: `owner:me`, `status:active`...
pub const COLUMN_FILTERS: [&str; 7] = ["owner", "status", "type", "level", "stage", "category", "kind"];

/// Conditions beyond this many are ignored: a pasted paragraph is not a query.
const MAX_CLAUSES: usize = 8;

/// How a clause compares with an index term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    Exact(String),
    /// The term starts with this text (a word still being typed).
    Prefix(String),
}

impl Matcher {
    pub fn text(&self) -> &str {
        match self {
            Matcher::Exact(t) | Matcher::Prefix(t) => t,
        }
    }
}

/// One condition of a query: a record matches when one of its terms, from one of the
/// fields in `mask`, matches one of the alternatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub negated: bool,
    pub mask: i32,
    pub alternatives: Vec<Matcher>,
    /// The word whose one-typo neighbours also match, once the index has named them.
    pub fuzzy: Option<String>,
    /// Those neighbours: words of the index one edit from `fuzzy` (filled by the store).
    pub corrections: Vec<String>,
}

impl Clause {
    /// The longest alternative: longer words match fewer records, so they lead a search.
    pub fn selectivity(&self) -> usize {
        let length = self.alternatives.iter().map(|m| m.text().chars().count()).max().unwrap_or(0);
        let exact = self.alternatives.iter().all(|m| matches!(m, Matcher::Exact(_)));
        length * 2 + usize::from(exact)
    }
}

/// A `key=value` pair, as the attribute (or column) filter it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub key: String,
    pub value: String,
    pub negated: bool,
}

impl Pair {
    /// The pair as a clause on the index, which keeps every attribute pair (and a
    /// company's status, type, level and stage) as one `key=value` term.
    pub fn clause(&self) -> Clause {
        Clause {
            negated: self.negated,
            mask: Field::Attribute.bit(),
            alternatives: vec![Matcher::Exact(format!("{}={}", self.key, fold(&self.value)))],
            fuzzy: None,
            corrections: Vec::new(),
        }
    }
}

/// A search box text, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub clauses: Vec<Clause>,
    /// Phrases, folded: their words are clauses too, and the name must hold them in order.
    pub phrases: Vec<String>,
    pub pairs: Vec<Pair>,
    /// `name:value` filters on record columns ([`COLUMN_FILTERS`]).
    pub filters: Vec<Pair>,
}

impl SearchQuery {
    pub fn parse(q: &str) -> SearchQuery {
        let mut query = SearchQuery::default();
        let trimmed = q.trim();
        if looks_like_phone(trimmed) && trimmed.contains(' ') {
            // A phone number typed with spaces is one number, not several words.
            query.clauses.extend(word_clauses(trimmed, ALL_FIELDS, false));
            return query;
        }
        for (raw, quoted) in split(trimmed) {
            let (negated, text) = match raw.strip_prefix('-') {
                Some(rest) if !rest.is_empty() && !quoted => (true, rest.to_string()),
                _ => (false, raw),
            };
            if quoted {
                query.phrase(&text, ALL_FIELDS, negated);
                continue;
            }
            if let Some((key, value)) = split_pair(&text) {
                query.pairs.push(Pair { key, value, negated });
                continue;
            }
            if let Some((name, value)) = text.split_once(':').filter(|(n, v)| !v.is_empty() && !n.is_empty()) {
                let name = name.to_lowercase();
                if let Some(field) = Field::from_filter(&name) {
                    query.phrase(value, field.bit(), negated);
                    continue;
                }
                if COLUMN_FILTERS.contains(&name.as_str()) {
                    query.filters.push(Pair { key: name, value: value.trim().to_string(), negated });
                    continue;
                }
            }
            query.clauses.extend(word_clauses(&text, ALL_FIELDS, negated));
        }
        query.clauses.truncate(MAX_CLAUSES);
        query
    }

    /// Words of a phrase (or of a field filter's value): each a clause, and with more than
    /// one, the phrase itself for the name check.
    fn phrase(&mut self, text: &str, mask: i32, negated: bool) {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() > 1 && !negated && mask == ALL_FIELDS {
            self.phrases.push(fold(text.trim()));
        }
        for word in words {
            self.clauses.extend(word_clauses(word, mask, negated));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.pairs.is_empty() && self.filters.is_empty()
    }

    /// Whether some clause needs the term index (not only column filters and pairs).
    pub fn has_terms(&self) -> bool {
        !self.clauses.is_empty()
    }
}

/// Splits on whitespace outside quotes; a quoted part comes with `true`, except a field
/// filter with a quoted value (`city:"Stara Zagora"`), which stays a filter.
fn split(q: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut had_quote) = (false, false);
    let mut finish = |current: &mut String, had_quote: &mut bool| {
        if !current.trim().is_empty() {
            let phrase = *had_quote && !current.contains(':');
            parts.push((std::mem::take(current), phrase));
        }
        current.clear();
        *had_quote = false;
    };
    for c in q.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                had_quote = true;
            }
            c if c.is_whitespace() && !quoted => finish(&mut current, &mut had_quote),
            c => current.push(c),
        }
    }
    finish(&mut current, &mut had_quote);
    parts
}

fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 3 && text.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

/// The clauses of one typed word.
fn word_clauses(word: &str, mask: i32, negated: bool) -> Vec<Clause> {
    let clause = |alternatives: Vec<Matcher>, mask: i32, fuzzy: Option<String>| Clause {
        negated,
        mask,
        alternatives,
        fuzzy,
        corrections: Vec::new(),
    };
    let lower = word.trim().to_lowercase();
    if lower.contains('@') {
        let alternatives = match lower.strip_prefix('@') {
            Some(domain) => vec![Matcher::Exact(domain.to_string())],
            None => vec![Matcher::Prefix(lower.clone())],
        };
        return vec![clause(alternatives, mask & Field::Email.bit(), None)];
    }
    if looks_like_phone(&lower) {
        let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
        let mut alternatives = vec![Matcher::Prefix(digits.clone())];
        if let Some(international) = digits.strip_prefix("00") {
            alternatives.push(Matcher::Prefix(international.to_string()));
        } else if let Some(national) = digits.strip_prefix('0').filter(|n| n.len() >= 3) {
            alternatives.push(Matcher::Prefix(national.to_string()));
        }
        let mask = if lower.starts_with('+') { mask & Field::Phone.bit() } else { mask };
        return vec![clause(alternatives, mask, None)];
    }
    let mut clauses = Vec::new();
    let mut rest = String::new();
    let mut run = String::new();
    for c in lower.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            cjk_clauses(&std::mem::take(&mut run), &mut |m| clauses.push(clause(vec![m], mask, None)));
            rest.push(c);
        }
    }
    cjk_clauses(&run, &mut |m| clauses.push(clause(vec![m], mask, None)));
    let compact = tokens::compact(&rest);
    if !compact.is_empty() {
        let mut alternatives = vec![Matcher::Prefix(compact.clone())];
        // A domain or a dotted name is kept as typed too: `example.com` is an identifier.
        let literal = rest.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if literal.contains('.') && literal != compact {
            alternatives.push(Matcher::Prefix(literal));
        }
        let fuzzy = typos::eligible(&compact, typos::MIN_QUERY_CHARS).then(|| compact.clone());
        clauses.push(clause(alternatives, mask, fuzzy));
    }
    clauses
}

/// A run of CJK characters: each of its pairs must be in the record (so it is found as a
/// substring); a single character is the start of a pair or a last character.
fn cjk_clauses(run: &str, push: &mut impl FnMut(Matcher)) {
    match run.chars().count() {
        0 => {}
        1 => push(Matcher::Prefix(run.to_string())),
        _ => {
            let grams = cjk_grams(run);
            for gram in &grams[..grams.len() - 1] {
                push(Matcher::Exact(gram.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(query: &SearchQuery) -> Vec<Vec<String>> {
        query.clauses.iter().map(|c| c.alternatives.iter().map(|m| m.text().to_string()).collect()).collect()
    }

    #[test]
    fn words_pairs_filters_and_negation() {
        let query = SearchQuery::parse("stage=mature Łódź city:Sofia owner:me -closed -loyalty=gold");
        assert_eq!(query.pairs.len(), 2);
        assert!(query.pairs[1].negated && query.pairs[1].key == "loyalty");
        assert_eq!(query.filters, [Pair { key: "owner".into(), value: "me".into(), negated: false }]);
        assert_eq!(texts(&query), [vec!["lodz"], vec!["sofia"], vec!["closed"]]);
        assert_eq!(query.clauses[1].mask, Field::City.bit());
        assert!(query.clauses[2].negated && !query.clauses[0].negated);
    }

    #[test]
    fn phrases_keep_their_words_and_their_order() {
        let query = SearchQuery::parse(r#""Łódź Textiles" sofia"#);
        assert_eq!(query.phrases, ["lodz textiles"]);
        assert_eq!(texts(&query), [vec!["lodz"], vec!["textiles"], vec!["sofia"]]);
        let query = SearchQuery::parse(r#"city:"Stara Zagora""#);
        assert!(query.phrases.is_empty());
        assert!(query.clauses.iter().all(|c| c.mask == Field::City.bit()), "{query:?}");
    }

    #[test]
    fn phones_emails_and_codes() {
        assert_eq!(texts(&SearchQuery::parse("+48 42 123")), [vec!["4842123"]]);
        assert_eq!(texts(&SearchQuery::parse("0881 234")), [vec!["0881234", "881234"]]);
        assert_eq!(texts(&SearchQuery::parse("00359881")), [vec!["00359881", "359881"]]);
        let email = SearchQuery::parse("Ana@Example.com");
        assert_eq!(texts(&email), [vec!["ana@example.com"]]);
        assert_eq!(email.clauses[0].mask, Field::Email.bit());
        assert_eq!(SearchQuery::parse("@example.com").clauses[0].alternatives, [Matcher::Exact("example.com".into())]);
        assert_eq!(texts(&SearchQuery::parse("C-000123")), [vec!["c000123"]]);
        assert_eq!(texts(&SearchQuery::parse("example.com")), [vec!["examplecom", "example.com"]]);
    }

    #[test]
    fn cjk_is_matched_by_pairs_and_long_words_allow_a_typo() {
        assert_eq!(texts(&SearchQuery::parse("上海泛普")), [vec!["上海"], vec!["海泛"], vec!["泛普"]]);
        assert_eq!(texts(&SearchQuery::parse("泛")), [vec!["泛"]]);
        assert_eq!(SearchQuery::parse("Rapprot").clauses[0].fuzzy.as_deref(), Some("rapprot"));
        assert_eq!(SearchQuery::parse("Rapp").clauses[0].fuzzy, None);
    }
}
