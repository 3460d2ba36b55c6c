//! Text into index terms: folded (case, Latin diacritics), split into words, Chinese,
//! Japanese and Korean runs cut into overlapping pairs of characters, Cyrillic words also
//! in Latin letters. The index and the search box both go through here, so a word is
//! written into the index exactly as a query for it is spelled.

use crate::text::fold;

/// Longest word kept; longer ones are indexed (and searched) by their start.
pub const MAX_WORD_CHARS: usize = 40;

/// Whether `c` belongs to a script written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B and later
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// The characters of a word that are kept: apostrophes and dots inside a word join it
/// (`O'Brien` is `obrien`, `o.o.` is `oo`), anything else ends it.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '.' | '·')
}

/// The words of a text for the index: each space-separated chunk as one compact word
/// (`Nowak-Kowalska` is `nowakkowalska`) and, when the chunk has inner separators, its
/// parts (`nowak`, `kowalska`); CJK runs as pairs of characters and their last character.
/// Cyrillic words come once more in Latin letters. Duplicates are removed, order kept.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    let push = |word: String, out: &mut Vec<String>| {
        if !word.is_empty() && !out.contains(&word) {
            out.push(word);
        }
    };
    for chunk in folded.split(char::is_whitespace) {
        let mut parts: Vec<String> = Vec::new();
        let mut part = String::new();
        let mut cjk = String::new();
        for c in chunk.chars() {
            if is_cjk(c) {
                flush_part(&mut part, &mut parts);
                cjk.push(c);
                continue;
            }
            for gram in cjk_grams(&std::mem::take(&mut cjk)) {
                push(gram, &mut out);
            }
            if is_word_char(c) {
                part.push(c);
            } else if !is_joiner(c) {
                flush_part(&mut part, &mut parts);
            }
        }
        flush_part(&mut part, &mut parts);
        for gram in cjk_grams(&cjk) {
            push(gram, &mut out);
        }
        if parts.len() > 1 {
            push(capped(&parts.concat()), &mut out);
        }
        for part in parts {
            let latin = transliterate(&part);
            push(capped(&part), &mut out);
            if let Some(latin) = latin {
                push(capped(&latin), &mut out);
            }
        }
    }
    out
}

fn flush_part(part: &mut String, parts: &mut Vec<String>) {
    if !part.is_empty() {
        parts.push(std::mem::take(part));
    }
}

fn capped(word: &str) -> String {
    word.chars().take(MAX_WORD_CHARS).collect()
}

/// A run of CJK characters as the index keeps it: every pair of neighbours, and the last
/// character alone, so that any substring of two or more characters is a sequence of
/// pairs, and a single character is the start of a pair or a last character.
pub fn cjk_grams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    let mut grams: Vec<String> = chars.windows(2).map(|pair| pair.iter().collect()).collect();
    if let Some(last) = chars.last() {
        grams.push(last.to_string());
    }
    grams
}

/// One word as a search box has it: folded, with joiners and separators dropped, so
/// `C-000123`, `O'Brien` and `Sp.` compare with what the index keeps.
pub fn compact(word: &str) -> String {
    capped(&fold(word).chars().filter(|c| c.is_alphanumeric()).collect::<String>())
}

/// A Cyrillic word in Latin letters (the Bulgarian streamlined system, which reads well
/// for Russian and Ukrainian too), so `petrova` finds `Петрова`; `None` for other words.
pub fn transliterate(word: &str) -> Option<String> {
    if !word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'є' => "ye",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' => "i",
            'ї' => "yi",
            'й' | 'ы' | 'ь' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sht",
            'ъ' => "a",
            'ю' => "yu",
            'я' => "ya",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(latin);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_and_split_into_words() {
        assert_eq!(words("Łódź Textiles Sp. z o.o."), ["lodz", "textiles", "sp", "z", "oo"]);
        assert_eq!(words("Anna Nowak-Kowalska"), ["anna", "nowakkowalska", "nowak", "kowalska"]);
        assert_eq!(words("O'Brien & Müller"), ["obrien", "muller"]);
    }

    #[test]
    fn cyrillic_words_also_come_in_latin_letters() {
        assert_eq!(words("Мария Петрова"), ["мария", "mariya", "петрова", "petrova"]);
        assert_eq!(transliterate("Щастие".to_lowercase().as_str()).as_deref(), Some("shtastie"));
        assert_eq!(transliterate("abc"), None);
    }

    #[test]
    fn cjk_runs_become_pairs_and_a_last_character() {
        assert_eq!(words("上海泛普软件"), ["上海", "海泛", "泛普", "普软", "软件", "件"]);
        assert_eq!(words("泛"), ["泛"]);
        assert_eq!(words("ABC软件公司"), ["软件", "件公", "公司", "司", "abc"]);
    }

    #[test]
    fn search_words_compact_like_the_index() {
        assert_eq!(compact("C-000123"), "c000123");
        assert_eq!(compact("O'Brien"), "obrien");
        assert_eq!(compact(&"x".repeat(100)).len(), MAX_WORD_CHARS);
    }
}
