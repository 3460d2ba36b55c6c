//! Plain text fields: trimmed, bounded, and `None` when blank.

use crate::invalid::Coded;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is required")]
    Required,
    #[error("is longer than {0} characters")]
    TooLong(usize),
    #[error("contains control characters")]
    Control,
}

impl Coded for TextError {
    fn code(&self) -> &'static str {
        match self {
            TextError::Required => "required",
            TextError::TooLong(_) => "too_long",
            TextError::Control => "invalid_text",
        }
    }
}

/// An optional single-line or multi-line text: blank becomes `None`.
pub fn optional(raw: Option<&str>, max: usize, multiline: bool) -> Result<Option<String>, TextError> {
    let Some(raw) = raw else { return Ok(None) };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\r' || c == '\t'));
    if !trimmed.chars().all(allowed) {
        return Err(TextError::Control);
    }
    Ok(Some(trimmed.to_string()))
}

pub fn required(raw: Option<&str>, max: usize) -> Result<String, TextError> {
    optional(raw, max, false)?.ok_or(TextError::Required)
}

/// A form of a name for case- and accent-insensitive matching: lower case, Latin
/// diacritics folded (`Łódź` → `lodz`). Other scripts pass through lower-cased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold_char(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_none_and_text_is_trimmed() {
        assert_eq!(optional(Some("  "), 10, false), Ok(None));
        assert_eq!(optional(Some(" Acme "), 10, false), Ok(Some("Acme".into())));
        assert_eq!(required(Some(" "), 10), Err(TextError::Required));
        assert_eq!(optional(Some("abcdef"), 5, false), Err(TextError::TooLong(5)));
        assert_eq!(optional(Some("a\u{0}b"), 5, false), Err(TextError::Control));
        assert_eq!(optional(Some("a\nb"), 5, true), Ok(Some("a\nb".into())));
    }

    #[test]
    fn folding_removes_case_and_diacritics() {
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Müller Straße"), "muller strasse");
        assert_eq!(fold("Петрова"), "петрова");
        assert_eq!(fold("上海泛普软件"), "上海泛普软件");
    }
}
