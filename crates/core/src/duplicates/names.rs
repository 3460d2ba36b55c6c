//! Names as duplicate detection compares them: folded (case, Latin accents), Cyrillic in
//! Latin letters, legal forms dropped, cut into words; and how alike two such names are.

use crate::search::tokens::{is_cjk, transliterate};
use crate::text::fold;

/// Words that say what legal form a company has, not which company it is (after folding
/// and transliteration: `ООД` is `ood`, `Sp. z o.o.` is `sp`, `z`, `o`, `o`).
const LEGAL_FORMS: &[&str] = &[
    "ltd",
    "limited",
    "llc",
    "llp",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "mbh",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "sp",
    "spolka",
    "spzoo",
    "ska",
    "sc",
    "ood",
    "eood",
    "ad",
    "ead",
    "et",
    "sd",
    "kd",
    "kda",
    "zao",
    "ooo",
    "oao",
    "pao",
    "and",
    "the",
    "group",
    "holding",
];

/// Legal forms written in Chinese, dropped from the end of a name (longest first).
const CJK_LEGAL_FORMS: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"];

/// The words of a person's or company's name that identify it, in their order.
pub fn name_words(name: &str, company: bool) -> Vec<String> {
    let mut text = fold(name);
    if company {
        loop {
            let trimmed = text.trim_end();
            match CJK_LEGAL_FORMS.iter().find(|form| trimmed.ends_with(*form) && trimmed.len() > form.len()) {
                Some(form) => text = trimmed[..trimmed.len() - form.len()].to_string(),
                None => break,
            }
        }
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if word.is_empty() {
            return;
        }
        let taken = std::mem::take(word);
        let latin = transliterate(&taken).unwrap_or(taken);
        let initial = latin.chars().count() == 1 && latin.chars().all(char::is_alphabetic);
        let legal = company && (LEGAL_FORMS.contains(&latin.as_str()) || initial);
        if !legal {
            words.push(latin);
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            // A script change inside a run (`ABC软件`) starts a new word.
            if word.chars().last().is_some_and(|last| is_cjk(last) != is_cjk(c)) {
                flush(&mut word, &mut words);
            }
            word.push(c);
        } else if !matches!(c, '\'' | '’') {
            flush(&mut word, &mut words);
        }
    }
    flush(&mut word, &mut words);
    words
}

/// Optimal string alignment distance (Damerau-Levenshtein where a transposition of
/// neighbours counts as one edit), over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return n.max(m);
    }
    let width = m + 1;
    let mut d = vec![0usize; (n + 1) * width];
    for i in 0..=n {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(m + 1) {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best =
                (d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1).min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[n * width + m]
}

/// How alike two strings are, 0 (nothing in common) to 1 (equal).
pub fn similarity(a: &str, b: &str) -> f64 {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 0.0;
    }
    1.0 - edit_distance(a, b) as f64 / longest as f64
}

/// Words with digits (`Branch 12`, `Office 24`) tell apart places of one firm: they
/// match only as they are.
fn word_similarity(a: &str, b: &str) -> f64 {
    if a.chars().chain(b.chars()).any(|c| c.is_ascii_digit()) { f64::from(u8::from(a == b)) } else { similarity(a, b) }
}

/// How alike two names are (as [`name_words`]), 0 to 1. Word order does not matter (a
/// person's given and family names may be swapped); a missing word costs less than a
/// different one; and when a word of the shorter name has no close match in the other,
/// the names are taken as different (`Anna Petrova` is not `Maria Petrova`).
pub fn name_similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut used = vec![false; long.len()];
    let (mut matched, mut short_len) = (0.0, 0.0);
    let mut unmatched = false;
    for word in short {
        let len = word.chars().count() as f64;
        short_len += len;
        let best = long
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, other)| (i, word_similarity(word, other)))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((i, sim)) if sim >= 0.7 => {
                used[i] = true;
                matched += sim * len;
            }
            _ => unmatched = true,
        }
    }
    let long_len: f64 = long.iter().map(|w| w.chars().count() as f64).sum();
    let containment = matched / short_len;
    let dice = 2.0 * matched / (short_len + long_len);
    let aligned = 0.5 * containment + 0.5 * dice;
    let mut sorted_a = a.to_vec();
    let mut sorted_b = b.to_vec();
    sorted_a.sort();
    sorted_b.sort();
    let joined = similarity(&sorted_a.concat(), &sorted_b.concat());
    let score = aligned.max(joined);
    if unmatched { score.min(0.4) } else { score }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(name: &str) -> Vec<String> {
        name_words(name, true)
    }

    #[test]
    fn legal_forms_scripts_and_accents_fold_away() {
        assert_eq!(words("Łódź Textiles Sp. z o.o."), ["lodz", "textiles"]);
        assert_eq!(words("Петров Трейд ООД"), ["petrov", "treyd"]);
        assert_eq!(words("Petrov Treyd EOOD"), ["petrov", "treyd"]);
        assert_eq!(words("上海泛普软件有限公司"), ["上海泛普软件"]);
        assert_eq!(words("Müller GmbH & Co. KG"), ["muller"]);
        assert_eq!(name_words("O'Brien Anna", false), ["obrien", "anna"]);
    }

    #[test]
    fn transpositions_cost_one_edit() {
        assert_eq!(edit_distance("petrov", "petorv"), 1);
        assert_eq!(edit_distance("anna", "ana"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn swapped_and_misspelt_names_are_alike_and_other_people_are_not() {
        let a = name_words("Ivan Petrov", false);
        assert!(name_similarity(&a, &name_words("Petrov Ivan", false)) > 0.99);
        assert!(name_similarity(&a, &name_words("Ivan Petorv", false)) > 0.8);
        assert!(name_similarity(&a, &name_words("Иван Петров", false)) > 0.99);
        assert!(name_similarity(&name_words("Anna Petrova", false), &name_words("Maria Petrova", false)) <= 0.4);
        assert!(name_similarity(&words("Acme Branch 12"), &words("Acme Branch 13")) <= 0.4);
    }
}
