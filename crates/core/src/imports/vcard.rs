//! vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350), read and written. Reading copes with
//! what phones and mail programs export: folded lines, QUOTED-PRINTABLE values with soft
//! line breaks (old phones, Outlook), `CHARSET=` parameters, bare 2.1 types (`TEL;CELL:`),
//! grouped properties (`item1.EMAIL`), and several TEL, EMAIL and ADR with their TYPE.
//!
//! We read vCards ourselves rather than through a library: what an import needs is the
//! tolerance for these old forms, which strict parsers refuse, and the charset handling
//! that has to happen on the bytes, before the text exists.

use encoding_rs::Encoding;

/// One property of a card: `NAME;PARAM=VALUE:value`, the value decoded to text but not
/// yet unescaped (a structured value is split first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    /// Parameter names upper-cased, with their values (a bare 2.1 type is a `TYPE`).
    pub params: Vec<(String, String)>,
    pub value: String,
}

impl Property {
    /// Every TYPE of the property, lower-cased (`TYPE=WORK,VOICE`, `TYPE=cell`, `;CELL`).
    pub fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(name, _)| name == "TYPE")
            .flat_map(|(_, value)| value.split(',').map(|t| t.trim().trim_matches('"').to_ascii_lowercase()))
            .collect()
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value as text, with `\,` `\;` `\n` `\\` unescaped.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }

    /// The components of a structured value (N, ADR, ORG), each unescaped.
    pub fn components(&self) -> Vec<String> {
        split_unescaped(&self.value, ';').into_iter().map(|c| unescape(&c)).collect()
    }
}

/// One card and the line of the file its `BEGIN:VCARD` is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub line: u64,
    pub properties: Vec<Property>,
}

impl Card {
    pub fn first(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcardError {
    #[error("line {0}: BEGIN:VCARD without END:VCARD")]
    Unterminated(u64),
    #[error("the file holds no vCard (no BEGIN:VCARD line)")]
    Empty,
}

/// A physical line with its number, before unfolding.
struct Line<'a> {
    number: u64,
    bytes: &'a [u8],
}

fn physical_lines(data: &[u8]) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut number = 1;
    for (i, byte) in data.iter().enumerate() {
        if *byte == b'\n' {
            let end = if i > start && data[i - 1] == b'\r' { i - 1 } else { i };
            lines.push(Line { number, bytes: &data[start..end] });
            start = i + 1;
            number += 1;
        }
    }
    if start < data.len() {
        lines.push(Line { number, bytes: &data[start..] });
    }
    lines
}

fn is_quoted_printable(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head).to_ascii_uppercase();
    head.contains("ENCODING=QUOTED-PRINTABLE") || head.split(';').any(|p| p == "QUOTED-PRINTABLE")
}

/// Logical lines: folded continuations (a line starting with a space or tab) joined, and
/// QUOTED-PRINTABLE soft line breaks (a line ending in `=`) joined.
fn logical_lines(data: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let mut out: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut soft_break = false;
    for line in physical_lines(data) {
        let folded = line.bytes.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        match out.last_mut() {
            Some((_, current)) if soft_break => current.extend_from_slice(line.bytes.trim_ascii_start()),
            Some((_, current)) if folded => current.extend_from_slice(&line.bytes[1..]),
            _ => out.push((line.number, line.bytes.to_vec())),
        }
        let current = &mut out.last_mut().expect("a line was just pushed").1;
        let colon = current.iter().position(|b| *b == b':');
        soft_break = colon.is_some_and(|c| is_quoted_printable(&current[..c])) && current.last() == Some(&b'=');
        if soft_break {
            current.pop();
        }
    }
    out
}

fn decode_quoted_printable(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'='
            && i + 2 < value.len()
            && let Ok(byte) = u8::from_str_radix(std::str::from_utf8(&value[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(value[i]);
        i += 1;
    }
    out
}

fn parse_property(line: &[u8], fallback: &'static Encoding) -> Option<Property> {
    let colon = quoted_colon(line)?;
    let head = String::from_utf8_lossy(&line[..colon]).into_owned();
    let mut pieces = head.split(';');
    let name = pieces.next()?.trim();
    // `item1.EMAIL`: Apple groups a property with its label.
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    let mut params = Vec::new();
    for piece in pieces {
        match piece.split_once('=') {
            Some((key, value)) => params.push((key.trim().to_ascii_uppercase(), value.trim().to_string())),
            None => params.push(("TYPE".to_string(), piece.trim().to_string())),
        }
    }
    let mut property = Property { name, params, value: String::new() };
    let raw = &line[colon + 1..];
    let quoted = property.param("ENCODING").is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
        || property.types().iter().any(|t| t == "quoted-printable");
    let bytes = if quoted { decode_quoted_printable(raw) } else { raw.to_vec() };
    let encoding = property.param("CHARSET").and_then(super::encoding::by_name).unwrap_or(fallback);
    property.value = encoding.decode_without_bom_handling(&bytes).0.into_owned();
    property.params.retain(|(name, value)| {
        name != "CHARSET" && name != "ENCODING" && !(name == "TYPE" && value.eq_ignore_ascii_case("quoted-printable"))
    });
    Some(property)
}

/// The colon that ends a property's name and parameters (a quoted parameter value may
/// hold one).
fn quoted_colon(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, byte) in line.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Every card of a file. `fallback` decodes values without a CHARSET parameter (the
/// file's detected encoding: UTF-8 for 3.0 and 4.0 exports).
pub fn parse(data: &[u8], fallback: &'static Encoding) -> Result<Vec<Card>, VcardError> {
    let mut cards = Vec::new();
    let mut current: Option<Card> = None;
    for (number, line) in logical_lines(data) {
        let upper = String::from_utf8_lossy(&line).trim().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some(open) = current.take() {
                return Err(VcardError::Unterminated(open.line));
            }
            current = Some(Card { line: number, properties: Vec::new() });
            continue;
        }
        if upper == "END:VCARD" {
            cards.extend(current.take());
            continue;
        }
        if let Some(card) = current.as_mut()
            && let Some(property) = parse_property(&line, fallback)
        {
            card.properties.push(property);
        }
    }
    if let Some(open) = current {
        return Err(VcardError::Unterminated(open.line));
    }
    if cards.is_empty() {
        return Err(VcardError::Empty);
    }
    Ok(cards)
}

fn split_unescaped(value: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            parts.last_mut().expect("parts is never empty").extend(['\\', c]);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == separator {
            parts.push(String::new());
        } else {
            parts.last_mut().expect("parts is never empty").push(c);
        }
    }
    parts
}

pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// A card to write, in vCard 4.0.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub uid: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub full_name: String,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub birth_date: Option<String>,
    /// (kind: email, phone, mobile, fax, web, messenger; value)
    pub methods: Vec<(String, String)>,
    /// (purpose; line1, line2, city, region, postcode, country)
    pub addresses: Vec<(String, [String; 6])>,
    pub categories: Vec<String>,
    pub note: Option<String>,
}

/// Folds a content line at 75 octets, never inside a character (RFC 6350 3.2).
fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

pub fn write(contact: &Contact) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold_line(&text, &mut out);
    line("BEGIN:VCARD".into());
    line("VERSION:4.0".into());
    if let Some(uid) = &contact.uid {
        line(format!("UID:{}", escape(uid)));
    }
    line(format!("FN:{}", escape(&contact.full_name)));
    let part = |p: &Option<String>| p.as_deref().map(escape).unwrap_or_default();
    line(format!("N:{};{};;{};", part(&contact.family_name), part(&contact.given_name), part(&contact.title)));
    if contact.organization.is_some() || contact.department.is_some() {
        let department = contact.department.as_deref().map(|d| format!(";{}", escape(d))).unwrap_or_default();
        line(format!("ORG:{}{department}", part(&contact.organization)));
    }
    if let Some(job) = &contact.job_title {
        line(format!("TITLE:{}", escape(job)));
    }
    if let Some(birth) = &contact.birth_date {
        line(format!("BDAY:{}", birth.replace('-', "")));
    }
    for (kind, value) in &contact.methods {
        let value = escape(value);
        line(match kind.as_str() {
            "email" => format!("EMAIL:{value}"),
            "mobile" => format!("TEL;TYPE=cell:{value}"),
            "fax" => format!("TEL;TYPE=fax:{value}"),
            "phone" => format!("TEL;TYPE=voice:{value}"),
            "web" => format!("URL:{value}"),
            _ => format!("IMPP:{value}"),
        });
    }
    for (purpose, [line1, line2, city, region, postcode, country]) in &contact.addresses {
        let kind = if purpose == "office" { "work" } else { "home" };
        let street = if line2.is_empty() { escape(line1) } else { format!("{}\\n{}", escape(line1), escape(line2)) };
        let parts = [city, region, postcode, country].map(|p| escape(p));
        line(format!("ADR;TYPE={kind}:;;{street};{}", parts.join(";")));
    }
    if !contact.categories.is_empty() {
        let names: Vec<String> = contact.categories.iter().map(|c| escape(c)).collect();
        line(format!("CATEGORIES:{}", names.join(",")));
    }
    if let Some(note) = &contact.note {
        line(format!("NOTE:{}", escape(note)));
    }
    line("END:VCARD".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::UTF_8;

    #[test]
    fn folded_lines_and_quoted_printable_are_joined_and_decoded() {
        let data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D0=B5=D1=82=D1=80=D0=BE=D0=B2=D0=B0;=D0=9C=D0=B0=\r\n=D1=80=D0=B8=D1=8F;;;\r\nTEL;CELL;PREF:+359 88 123 4567\r\nNOTE:a long\r\n  note\r\nitem1.EMAIL;type=INTERNET:maria@example.bg\r\nEND:VCARD\r\n";
        let cards = parse(data, UTF_8).unwrap();
        let card = &cards[0];
        assert_eq!(card.first("N").unwrap().components(), ["Петрова", "Мария", "", "", ""]);
        let tel = card.first("TEL").unwrap();
        assert_eq!((tel.value.as_str(), tel.types()), ("+359 88 123 4567", vec!["cell".into(), "pref".into()]));
        assert_eq!(card.first("NOTE").unwrap().text(), "a long note");
        assert_eq!(card.first("EMAIL").unwrap().text(), "maria@example.bg");
    }

    #[test]
    fn a_windows_1251_charset_is_honoured() {
        let mut data = b"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=windows-1251:".to_vec();
        data.extend(encoding_rs::WINDOWS_1251.encode("Георги").0.iter());
        data.extend(b"\nEND:VCARD\n");
        assert_eq!(parse(&data, UTF_8).unwrap()[0].first("FN").unwrap().text(), "Георги");
    }

    #[test]
    fn written_cards_read_back() {
        let contact = Contact {
            full_name: "Jan Kowalski, Jr.".into(),
            given_name: Some("Jan".into()),
            family_name: Some("Kowalski".into()),
            organization: Some("Łódź Textiles; Sp. z o.o.".into()),
            methods: vec![("email".into(), "jan@example.pl".into()), ("mobile".into(), "+48 600 100 200".into())],
            note: Some("line one\nline two with a long text that will need folding at seventy-five octets".into()),
            ..Default::default()
        };
        let text = write(&contact);
        assert!(text.lines().all(|l| l.len() <= 75));
        let card = &parse(text.as_bytes(), UTF_8).unwrap()[0];
        assert_eq!(card.first("FN").unwrap().text(), "Jan Kowalski, Jr.");
        assert_eq!(card.first("ORG").unwrap().components()[0], "Łódź Textiles; Sp. z o.o.");
        assert_eq!(card.first("NOTE").unwrap().text(), contact.note.unwrap());
    }

    #[test]
    fn broken_files_are_refused() {
        assert_eq!(parse(b"BEGIN:VCARD\nFN:x\n", UTF_8), Err(VcardError::Unterminated(1)));
        assert_eq!(parse(b"hello", UTF_8), Err(VcardError::Empty));
    }
}
