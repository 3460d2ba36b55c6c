//! One typo tolerated in longer words, found through deletions: two words one edit
//! apart (a letter wrong, missing, extra, or two neighbours swapped) always share a form
//! with one letter deleted, or one is such a form of the other. The index keeps, for every
//! word it knows, the word and its one-letter deletions; a query word looks its own forms
//! up there, and the candidates are checked with a true edit distance.

/// Query words shorter than this must be spelled right.
pub const MIN_QUERY_CHARS: usize = 5;

/// Indexed words shorter than this get no deletion forms (a five-letter query one letter
/// too long can still reach a four-letter word).
pub const MIN_INDEXED_CHARS: usize = 4;

/// Whether a word takes part in typo matching: long enough and made of letters (codes,
/// numbers and CJK pairs are matched exactly).
pub fn eligible(word: &str, min_chars: usize) -> bool {
    word.chars().count() >= min_chars
        && word.chars().all(char::is_alphabetic)
        && !word.chars().any(super::tokens::is_cjk)
}

/// The word and every form of it with one letter deleted, without repeats.
pub fn forms(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut forms = vec![word.to_string()];
    for skip in 0..chars.len() {
        let form: String = chars.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).collect();
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

/// Whether `a` and `b` are at most one edit apart, a swap of neighbours counting as one.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if start == a.len() && start == b.len() {
        return true;
    }
    let (ra, rb) = (&a[start..], &b[start..]);
    let end = ra.iter().rev().zip(rb.iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&ra[..ra.len() - end.min(ra.len())], &rb[..rb.len() - end.min(rb.len())]);
    match (ma.len(), mb.len()) {
        (1, 1) | (0, 1) | (1, 0) => true,
        (2, 2) => ma[0] == mb[1] && ma[1] == mb[0],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_of_any_kind_is_tolerated() {
        for (typed, word) in [
            ("rapprot", "rapport"),
            ("raport", "rapport"),
            ("rappport", "rapport"),
            ("rabport", "rapport"),
            ("petorva", "petrova"),
        ] {
            assert!(within_one_edit(typed, word), "{typed} / {word}");
            let shared = forms(typed).into_iter().any(|f| forms(word).contains(&f));
            assert!(shared, "{typed} and {word} share a deletion form");
        }
    }

    #[test]
    fn two_edits_are_not_one() {
        for (typed, word) in
            [("rapotr", "rapport"), ("kowalski", "kowalska1"), ("abcdef", "badcef"), ("mueller", "muller1")]
        {
            assert!(!within_one_edit(typed, word), "{typed} / {word}");
        }
        assert!(within_one_edit("raport", "report"));
        assert!(within_one_edit("typos", "tpyos"));
    }

    #[test]
    fn short_words_numbers_and_cjk_are_exact() {
        assert!(!eligible("anna", MIN_QUERY_CHARS));
        assert!(eligible("anna", MIN_INDEXED_CHARS));
        assert!(!eligible("12345", MIN_QUERY_CHARS));
        assert!(!eligible("上海泛普软件", MIN_QUERY_CHARS));
        assert!(eligible("петрова", MIN_QUERY_CHARS));
    }
}
