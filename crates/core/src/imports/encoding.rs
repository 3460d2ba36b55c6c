//! Which character encoding a text file is in, and the delimiter of a CSV file.
//!
//! The encoding is found in this order: a byte order mark (UTF-8, UTF-16); text that is
//! valid UTF-8 (which other encodings' non-ASCII text almost never is); otherwise one of
//! the three legacy code pages our users' spreadsheets come in, told apart by how the
//! non-ASCII bytes sit in the text:
//!
//! - **Windows-1250** (Polish, Czech): non-ASCII letters are single accented letters
//!   inside Latin words (`Łódź`, `Kraków`), so most runs of non-ASCII bytes touch an
//!   ASCII letter.
//! - **Windows-1251** (Bulgarian, Russian): whole words are non-ASCII, and as most letters
//!   are lower case, most bytes are in 0xE0–0xFF (`а`–`я`).
//! - **GB18030** (Chinese): whole runs of two-byte characters whose lead bytes are mostly
//!   below 0xE0 (the common characters of GB2312 level 1 have leads 0xB0–0xD7).
//!
//! A user who knows better chooses the encoding; the choice wins over the guess.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1250, WINDOWS_1251};

/// The encodings a user can choose, by the names the API and forms use.
pub const CHOICES: [&str; 5] = ["utf-8", "windows-1250", "windows-1251", "gb18030", "utf-16"];

/// An encoding by name (any label the WHATWG Encoding Standard knows, e.g. `cp1251`).
pub fn by_name(name: &str) -> Option<&'static Encoding> {
    match name.trim().to_ascii_lowercase().as_str() {
        "utf-16" => Some(UTF_16LE),
        other => Encoding::for_label(other.as_bytes()),
    }
}

/// What the start of a file says about its encoding: the encoding and how many bytes of
/// byte order mark to skip.
pub fn detect(sample: &[u8]) -> (&'static Encoding, usize) {
    if let Some((encoding, bom)) = Encoding::for_bom(sample) {
        return (encoding, bom);
    }
    if valid_utf8_prefix(sample) {
        return (UTF_8, 0);
    }
    (legacy(sample), 0)
}

/// Whether the sample is UTF-8, allowing a character cut off at its end.
fn valid_utf8_prefix(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none() && sample.len() - error.valid_up_to() < 4,
    }
}

fn legacy(sample: &[u8]) -> &'static Encoding {
    let mut runs = 0usize;
    let mut inside_latin = 0usize;
    let mut high = 0usize;
    let mut lower_cyrillic = 0usize;
    let mut i = 0;
    while i < sample.len() {
        if sample[i] < 0x80 {
            i += 1;
            continue;
        }
        let start = i;
        while i < sample.len() && sample[i] >= 0x80 {
            if sample[i] >= 0xE0 {
                lower_cyrillic += 1;
            }
            high += 1;
            i += 1;
        }
        runs += 1;
        let before = start.checked_sub(1).map(|b| sample[b]);
        let after = sample.get(i).copied();
        let latin = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphabetic());
        if i - start <= 2 && (latin(before) || latin(after)) {
            inside_latin += 1;
        }
    }
    if runs == 0 {
        return UTF_8;
    }
    if inside_latin * 2 >= runs {
        return WINDOWS_1250;
    }
    if lower_cyrillic * 100 > high * 45 {
        return WINDOWS_1251;
    }
    let (_, _, malformed) = GB18030.decode(sample);
    if malformed { WINDOWS_1251 } else { GB18030 }
}

/// The name an encoding is reported by.
pub fn name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_16LE || encoding == UTF_16BE { "utf-16" } else { encoding.name() }
}

/// The delimiter of CSV text: of `,` `;` tab and `|`, the one found the same number of
/// times (outside quotes) on the most of the first lines; `,` when none is.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 0usize);
    for candidate in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|line| count_outside_quotes(line, candidate)).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        // Lines that agree with the header; a cut-off last line of the sample may not.
        let agreeing = counts.iter().filter(|&&c| c == first).count();
        let score = agreeing * 1000 + first;
        if score > best.1 {
            best = (candidate, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for byte in line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if byte == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    #[test]
    fn each_code_page_is_recognised_from_its_text() {
        let polish = "Nazwa firmy;Miasto\nŁódź Textiles Sp. z o.o.;Łódź\nZakłady Mięsne;Kraków\nPiekarnia Świętokrzyska;Kielce\n";
        let bulgarian = "Име;Фамилия;Град\nМария;Петрова;София\nГеорги;Иванов;Пловдив\nЕлена;Димитрова;Варна\n";
        let chinese = "公司名称,城市\n上海泛普软件有限公司,上海\n北京华信科技,北京\n深圳市创新电子,深圳\n";
        assert_eq!(detect(&encoded(polish, WINDOWS_1250)).0, WINDOWS_1250);
        assert_eq!(detect(&encoded(bulgarian, WINDOWS_1251)).0, WINDOWS_1251);
        assert_eq!(detect(&encoded(chinese, GB18030)).0, GB18030);
        assert_eq!(detect(polish.as_bytes()).0, UTF_8);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(bulgarian.as_bytes());
        assert_eq!(detect(&bom), (UTF_8, 3));
        assert_eq!(detect(b"plain ascii, only"), (UTF_8, 0));
    }

    #[test]
    fn a_sample_cut_inside_a_character_is_still_utf8() {
        let text = "Мария".as_bytes();
        assert_eq!(detect(&text[..text.len() - 1]).0, UTF_8);
    }

    #[test]
    fn the_delimiter_is_the_one_every_line_agrees_on() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("single column\nvalue\n"), b',');
    }
}
