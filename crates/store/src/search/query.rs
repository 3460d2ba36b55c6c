//! Reading the index: a clause as a condition on a record table (lists), and ranked
//! search (global search), which reads the leading clause's terms class by class and
//! stops as soon as a page is full, so a one-letter prefix costs what a rare word does.

use rapport_core::custom_fields::RecordKind;
use rapport_core::search::{ALL_FIELDS, Class, Clause, Field, Matcher, typos};
use sea_query::{Alias, Expr, ExprTrait, JoinType, LikeExpr, Query, SelectStatement};
use uuid::Uuid;

use super::kind_code;
use crate::{Exec, Result, listing};

/// A record found by ranked search: its rank (lower is better) and the fields of the
/// leading clause's match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: Uuid,
    pub rank: u8,
    pub mask: i32,
}

#[derive(Debug, Clone, Copy)]
enum Quality {
    Exact,
    Prefix,
    Typo,
}

/// The order results come in: an exact code, email, phone or tax number; then names,
/// whole words before words still being typed; an identifier being typed; other fields;
/// last, words one typo away.
const TIERS: [(Class, Quality); 8] = [
    (Class::Identifier, Quality::Exact),
    (Class::Name, Quality::Exact),
    (Class::Name, Quality::Prefix),
    (Class::Identifier, Quality::Prefix),
    (Class::Other, Quality::Exact),
    (Class::Other, Quality::Prefix),
    (Class::Name, Quality::Typo),
    (Class::Other, Quality::Typo),
];

/// The smallest text above every text that starts with `prefix`, in code point order.
pub(crate) fn next_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut code = last as u32 + 1;
        if (0xD800..=0xDFFF).contains(&code) {
            code = 0xE000;
        }
        if let Some(next) = char::from_u32(code) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `term` compared with one matcher; a prefix is a range, which both engines read from
/// the index (terms compare in code point order on both).
fn term_matches(term: Expr, matcher: &Matcher) -> Expr {
    match matcher {
        Matcher::Exact(text) => term.eq(text.clone()),
        Matcher::Prefix(text) => match next_prefix(text) {
            Some(upper) => term.clone().gte(text.clone()).and(term.lt(upper)),
            None => term.gte(text.clone()),
        },
    }
}

fn any_of(term: impl Fn() -> Expr, matchers: &[Matcher]) -> Expr {
    matchers.iter().map(|m| term_matches(term(), m)).reduce(Expr::or).unwrap_or_else(|| Expr::val(false))
}

/// Every way the clause may match: its alternatives and the typo corrections.
fn all_matchers(clause: &Clause) -> Vec<Matcher> {
    let corrections = clause.corrections.iter().cloned().map(Matcher::Exact);
    clause.alternatives.iter().cloned().chain(corrections).collect()
}

/// The classes a field mask reaches, best first.
fn classes_of(mask: i32) -> Vec<Class> {
    Class::ALL.into_iter().filter(|class| Field::of_mask(mask).any(|field| field.class() == *class)).collect()
}

fn mask_condition(column: Expr, mask: i32) -> Option<Expr> {
    (mask & ALL_FIELDS != ALL_FIELDS).then(|| column.bit_and(mask).ne(0))
}

/// How a list finds the records its search clauses match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextPlan {
    /// From the clauses' index entries, then sorted: best when they are few.
    #[default]
    FromTerms,
    /// Down the list's own sort order, each record tested against the set of records the
    /// clauses match: best for a common word, where a page fills after a few hundred rows
    /// while reading every match and sorting it would touch tens of thousands.
    InListOrder,
}

/// Index entries of a clause beyond which reading the list in its own order is cheaper
/// than reading every match: each entry read the other way is a lookup of its record at a
/// random place, then a sort of them all, while a page read in order stops after 50
/// matches. Past a few thousand entries the lookups cost more than the walk even when the
/// matches sit together late in the order (a company name's first word).
const COMMON_CLAUSE_ENTRIES: u64 = 2000;

/// The plan for a list whose search clauses are `clauses`: in the list's order when every
/// positive clause is common. The engines cannot tell on their own: a word is a narrow
/// range of a term histogram, and both estimate it at a handful of rows.
pub async fn plan(ex: &mut impl Exec, kind: RecordKind, clauses: &[Clause]) -> Result<TextPlan> {
    let positive: Vec<&Clause> = clauses.iter().filter(|c| !c.negated).collect();
    if positive.is_empty() {
        return Ok(TextPlan::FromTerms);
    }
    for clause in positive {
        let mut entries = matching_entries(kind, clause);
        entries.clear_selects().expr(Expr::val(1)).limit(COMMON_CLAUSE_ENTRIES);
        let count = Query::select()
            .expr(Expr::col(sea_query::Asterisk).count())
            .from_subquery(entries, Alias::new("entries"))
            .take();
        let row: Option<(i64,)> = ex.fetch_optional(&count).await?;
        if row.is_none_or(|(n,)| (n as u64) < COMMON_CLAUSE_ENTRIES) {
            return Ok(TextPlan::FromTerms);
        }
    }
    Ok(TextPlan::InListOrder)
}

/// The index entries that match a clause (its sign aside), selecting their record ids.
fn matching_entries(kind: RecordKind, clause: &Clause) -> SelectStatement {
    let mut ids = Query::select();
    let classes: Vec<i16> = classes_of(clause.mask).into_iter().map(Class::code).collect();
    ids.column("record_id")
        .from("search_terms")
        .and_where(Expr::col("kind").eq(kind_code(kind)))
        // Named explicitly, so the key's (kind, class, term) prefix is read as ranges.
        .and_where(Expr::col("class").is_in(classes))
        .and_where(any_of(|| Expr::col("term"), &all_matchers(clause)));
    if let Some(mask) = mask_condition(Expr::col("mask"), clause.mask) {
        ids.and_where(mask);
    }
    ids
}

/// `table.id IN (records with a term that matches the clause)`, or `NOT IN` when the
/// clause is negated: the condition a list's `q` adds per clause. In list order it is
/// written `(id IN (...)) = TRUE`: not a condition either engine reads the table by, so
/// both walk the sort order and test each row against the matches, read once and hashed.
pub fn clause_condition(kind: RecordKind, table: &'static str, clause: &Clause, plan: TextPlan) -> Expr {
    let ids = matching_entries(kind, clause);
    let id = Expr::col((table, "id"));
    match plan {
        _ if clause.negated => id.not_in_subquery(ids),
        TextPlan::InListOrder => id.in_subquery(ids).eq(true),
        TextPlan::FromTerms => id.in_subquery(ids),
    }
}

/// `EXISTS` (or `NOT EXISTS`) a term of this record matching the clause: probed through
/// the (record_id, term) index for each candidate of a ranked search.
fn clause_probe(kind: RecordKind, table: &'static str, clause: &Clause) -> Expr {
    let x = Alias::new("x");
    let mut probe = Query::select();
    probe
        .expr(Expr::val(1))
        .from_as("search_terms", x.clone())
        .and_where(Expr::col((x.clone(), "record_id")).equals((table, "id")))
        .and_where(Expr::col((x.clone(), "kind")).eq(kind_code(kind)))
        .and_where(any_of(|| Expr::col((x.clone(), "term")), &all_matchers(clause)));
    if let Some(mask) = mask_condition(Expr::col((x.clone(), "mask")), clause.mask) {
        probe.and_where(mask);
    }
    if clause.negated { Expr::not_exists(probe.take()) } else { Expr::exists(probe.take()) }
}

/// The record's folded name holds the folded phrase, in order.
pub fn phrase_condition(table: &'static str, phrase: &str) -> Expr {
    Expr::col((table, "name_folded")).like(LikeExpr::new(listing::contains_pattern(phrase)).escape('\\'))
}

/// Index words one typo away from `word` (at most a handful).
pub async fn corrections(ex: &mut impl Exec, word: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = ex
        .fetch_all(
            Query::select()
                .distinct()
                .column("word")
                .from("search_typos")
                .and_where(Expr::col("form").is_in(typos::forms(word)))
                .limit(200),
        )
        .await?;
    let mut words: Vec<String> =
        rows.into_iter().map(|(w,)| w).filter(|w| w != word && typos::within_one_edit(word, w)).collect();
    words.sort();
    words.truncate(20);
    Ok(words)
}

/// Up to `limit` records of `base` (a select of `table` with its filters) that match every
/// clause and phrase, best first: the leading clause (the most selective) is read tier by
/// tier ([`TIERS`]), each tier straight from the index in term order and only as far as
/// the page still needs.
pub async fn ranked(
    ex: &mut impl Exec,
    kind: RecordKind,
    table: &'static str,
    base: &SelectStatement,
    clauses: &[Clause],
    phrases: &[String],
    limit: u64,
) -> Result<Vec<Hit>> {
    let Some(lead) = clauses.iter().filter(|c| !c.negated).max_by_key(|c| c.selectivity()) else {
        return Ok(Vec::new());
    };
    let mut filtered = base.clone();
    filtered.clear_selects();
    for clause in clauses.iter().filter(|c| !std::ptr::eq(*c, lead)) {
        filtered.and_where(clause_probe(kind, table, clause));
    }
    for phrase in phrases {
        filtered.and_where(phrase_condition(table, phrase));
    }
    let exact: Vec<Matcher> = lead.alternatives.iter().map(|m| Matcher::Exact(m.text().to_string())).collect();
    let prefixes: Vec<Matcher> =
        lead.alternatives.iter().filter(|m| matches!(m, Matcher::Prefix(_))).cloned().collect();
    let fuzzy: Vec<Matcher> = lead.corrections.iter().cloned().map(Matcher::Exact).collect();
    let classes = classes_of(lead.mask);
    // Codes, emails, phones and tax numbers all hold a digit, an `@` or a dot: a word of
    // letters alone can begin one (`jan` of `jan@...`) but never be one.
    let identifier_like =
        lead.alternatives.iter().any(|m| m.text().contains(|c: char| c.is_ascii_digit() || c == '@' || c == '.'));
    let s = Alias::new("s");
    let mut hits: Vec<Hit> = Vec::new();
    for (rank, (class, quality)) in TIERS.into_iter().enumerate() {
        let matchers = match quality {
            Quality::Exact => &exact,
            Quality::Prefix => &prefixes,
            Quality::Typo => &fuzzy,
        };
        let wanted = limit.saturating_sub(hits.len() as u64);
        let pointless = class == Class::Identifier && matches!(quality, Quality::Exact) && !identifier_like;
        if matchers.is_empty() || wanted == 0 || !classes.contains(&class) || pointless {
            continue;
        }
        let mut select = filtered.clone();
        select
            .column((table, "id"))
            .column((s.clone(), "mask"))
            .join_as(
                JoinType::InnerJoin,
                "search_terms",
                s.clone(),
                Expr::col((s.clone(), "record_id")).equals((table, "id")),
            )
            .and_where(Expr::col((s.clone(), "kind")).eq(kind_code(kind)))
            .and_where(Expr::col((s.clone(), "class")).eq(class.code()))
            .and_where(any_of(|| Expr::col((s.clone(), "term")), matchers))
            .order_by((s.clone(), "term"), sea_query::Order::Asc)
            .order_by((s.clone(), "record_id"), sea_query::Order::Asc)
            // A record may match through two terms of one class: read some spare rows.
            .limit(wanted * 2);
        if let Some(mask) = mask_condition(Expr::col((s.clone(), "mask")), lead.mask) {
            select.and_where(mask);
        }
        if !hits.is_empty() {
            select.and_where(Expr::col((table, "id")).is_not_in(hits.iter().map(|h| h.id)));
        }
        let rows: Vec<(Uuid, i32)> = ex.fetch_all(&select).await?;
        for (id, mask) in rows {
            match hits.iter().position(|h| h.id == id) {
                Some(known) => hits[known].mask |= mask,
                None if (hits.len() as u64) < limit => hits.push(Hit { id, rank: rank as u8, mask }),
                None => break,
            }
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::next_prefix;

    #[test]
    fn the_next_prefix_bounds_every_text_with_the_prefix() {
        assert_eq!(next_prefix("ana@").as_deref(), Some("anaA"));
        assert_eq!(next_prefix("łódź").as_deref(), Some("łódŻ"));
        assert_eq!(next_prefix("\u{10FFFF}").as_deref(), None);
        assert_eq!(next_prefix("a\u{10FFFF}").as_deref(), Some("b"));
        for text in ["ana@example.com", "ana@", "ana@\u{10FFFF}x"] {
            assert!(text >= "ana@" && text < next_prefix("ana@").unwrap().as_str(), "{text}");
        }
        assert!("anb" >= next_prefix("ana").unwrap().as_str());
    }
}
