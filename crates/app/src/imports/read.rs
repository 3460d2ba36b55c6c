//! Reading an uploaded file row by row: CSV in any delimiter and encoding, XLSX (streamed
//! cell by cell), XLS and ODS (a sheet at a time), and vCards. Hard limits refuse what no
//! address book needs (a 1 GB line, 100,000 columns) as soon as it shows, before it is
//! parsed or held in memory.

use std::io::{self, BufReader, Read, Seek};

use calamine::{Data, DataRef, Reader};
use encoding_rs::{Encoding, UTF_8};
use rapport_core::imports::{encoding, vcard};

/// Bytes of a record (a line, or several for a quoted cell with line breaks).
pub const MAX_LINE: usize = 1024 * 1024;
pub const MAX_COLUMNS: usize = 1000;
/// Characters of one cell; a description (the longest field) takes 10,000.
pub const MAX_CELL: usize = 10_000;
/// Upload sizes: streamed formats, and formats whose sheet is read whole.
pub const MAX_FILE: u64 = 1024 * 1024 * 1024;
pub const MAX_WHOLE_FILE: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Ods,
    Vcf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Vcf => "vcf",
        }
    }

    /// The format by the file's name, else by its first bytes.
    pub fn detect(file_name: &str, start: &[u8]) -> Format {
        let lower = file_name.to_ascii_lowercase();
        let by_name = [(".xlsx", Format::Xlsx), (".xls", Format::Xls), (".ods", Format::Ods), (".vcf", Format::Vcf)];
        if let Some((_, format)) = by_name.iter().find(|(ext, _)| lower.ends_with(ext)) {
            return *format;
        }
        if lower.ends_with(".vcard") {
            return Format::Vcf;
        }
        if start.starts_with(b"PK\x03\x04") {
            let head = String::from_utf8_lossy(&start[..start.len().min(200)]).into_owned();
            return if head.contains("opendocument") { Format::Ods } else { Format::Xlsx };
        }
        if start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Format::Xls;
        }
        let text = String::from_utf8_lossy(&start[..start.len().min(64)]).trim_start().to_ascii_uppercase();
        if text.starts_with("BEGIN:VCARD") { Format::Vcf } else { Format::Csv }
    }
}

/// Why a file cannot be read. Each message tells the user what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header row but no records")]
    HeaderOnly,
    #[error("columns {first} and {second} are both named {name:?}: give each column its own name")]
    DuplicateHeader { name: String, first: usize, second: usize },
    #[error("the file has {0} columns or more; at most {MAX_COLUMNS} are imported")]
    TooManyColumns(usize),
    #[error("line {0} is longer than {MAX_LINE} bytes; is this a CSV file of records?")]
    LineTooLong(u64),
    #[error("the file is larger than the limit of {0} MB for its format")]
    TooLarge(u64),
    #[error("line {line} is not valid {encoding}: choose the file's encoding")]
    Encoding { line: u64, encoding: String },
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("the spreadsheet cannot be read ({0}); is it a complete {1} file?")]
    Spreadsheet(String, &'static str),
    #[error("{0}")]
    Vcard(String),
    #[error("{0}")]
    Io(String),
}

/// Rows of a table, with the line each starts on.
pub trait Rows: Send {
    fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>, ReadError>;
}

/// What the start of a file said: its format, encoding and delimiter.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    pub format: Format,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
}

/// A source opened for reading: a table with its header, or vCards.
pub enum Opened {
    Table { headers: Vec<String>, rows: Box<dyn Rows>, found: Found },
    Cards { cards: Vec<vcard::Card>, found: Found },
}

/// How the user asked the file to be read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
}

/// Opens `source` (the upload, read a piece at a time; `size` bytes in all).
pub fn open(
    mut source: Box<dyn Read + Send>,
    file_name: &str,
    size: u64,
    options: &ReadOptions,
) -> Result<Opened, ReadError> {
    let mut start = vec![0u8; 64 * 1024];
    let filled = fill(&mut source, &mut start)?;
    start.truncate(filled);
    if start.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    let format = Format::detect(file_name, &start);
    let whole_limit = if matches!(format, Format::Csv | Format::Xlsx) { MAX_FILE } else { MAX_WHOLE_FILE };
    if size > whole_limit {
        return Err(ReadError::TooLarge(whole_limit / (1024 * 1024)));
    }
    let rest = io::Cursor::new(start.clone()).chain(source);
    match format {
        Format::Csv => open_csv(rest, &start, options),
        Format::Vcf => {
            let mut data = Vec::new();
            rest.take(MAX_WHOLE_FILE).read_to_end(&mut data).map_err(|e| ReadError::Io(e.to_string()))?;
            let (detected, bom) = encoding::detect(&data);
            let fallback = options.encoding.unwrap_or(detected);
            let cards = vcard::parse(&data[bom..], fallback).map_err(|e| ReadError::Vcard(e.to_string()))?;
            let found = Found { format, encoding: Some(encoding::name(fallback).into()), delimiter: None };
            Ok(Opened::Cards { cards, found })
        }
        Format::Xlsx | Format::Xls | Format::Ods => open_sheet(format, rest),
    }
}

fn fill(source: &mut impl Read, buffer: &mut [u8]) -> Result<usize, ReadError> {
    let mut filled = 0;
    while filled < buffer.len() {
        match source.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return Err(ReadError::Io(e.to_string())),
        }
    }
    Ok(filled)
}

/// Checks the header row: names trimmed, no two alike, not too many.
fn headers(cells: Vec<String>) -> Result<Vec<String>, ReadError> {
    if cells.len() > MAX_COLUMNS {
        return Err(ReadError::TooManyColumns(cells.len()));
    }
    let mut names: Vec<String> = Vec::with_capacity(cells.len());
    for (i, cell) in cells.into_iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}').to_string();
        if !name.is_empty()
            && let Some(first) = names.iter().position(|n| n.eq_ignore_ascii_case(&name))
        {
            return Err(ReadError::DuplicateHeader { name, first: first + 1, second: i + 1 });
        }
        names.push(name);
    }
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    Ok(names)
}

/// A table whose header row has been read, and the first record checked to exist.
fn table(mut rows: Box<dyn Rows>, found: Found) -> Result<Opened, ReadError> {
    let Some((_, header)) = rows.next_row()? else { return Err(ReadError::Empty) };
    let headers = headers(header)?;
    if headers.is_empty() {
        return Err(ReadError::Empty);
    }
    let Some(first) = rows.next_row()? else { return Err(ReadError::HeaderOnly) };
    let rows: Box<dyn Rows> = Box::new(Prepended { first: Some(first), rest: rows });
    Ok(Opened::Table { headers, rows, found })
}

struct Prepended {
    first: Option<(u64, Vec<String>)>,
    rest: Box<dyn Rows>,
}

impl Rows for Prepended {
    fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>, ReadError> {
        match self.first.take() {
            Some(first) => Ok(Some(first)),
            None => self.rest.next_row(),
        }
    }
}

/// Transcodes to UTF-8 as it reads, failing at the line with bytes the encoding lacks.
struct Transcode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    input: Vec<u8>,
    pending: Vec<u8>,
    at: usize,
    done: bool,
    lines: u64,
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.pending.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let room = self.decoder.max_utf8_buffer_length_without_replacement(n).unwrap_or(n * 4 + 16);
            self.pending.resize(room, 0);
            let (result, _, written) =
                self.decoder.decode_to_utf8_without_replacement(&self.input[..n], &mut self.pending, last);
            self.pending.truncate(written);
            self.at = 0;
            let breaks = self.pending.iter().filter(|b| **b == b'\n').count() as u64;
            if let encoding_rs::DecoderResult::Malformed(_, _) = result {
                let line = self.lines + 1 + breaks;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("encoding:{line}:{}", self.encoding.name()),
                ));
            }
            self.lines += breaks;
            self.done = last;
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Refuses a record longer than [`MAX_LINE`] as soon as its bytes pass the limit: counts
/// bytes since the last line break outside quotes.
struct Bounded<R> {
    inner: R,
    since_break: usize,
    quoted: bool,
    lines: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        for byte in &out[..n] {
            match byte {
                b'"' => self.quoted = !self.quoted,
                b'\n' => {
                    self.lines += 1;
                    if !self.quoted {
                        self.since_break = 0;
                        continue;
                    }
                }
                _ => {}
            }
            self.since_break += 1;
            if self.since_break > MAX_LINE {
                return Err(io::Error::new(io::ErrorKind::InvalidData, format!("long:{}", self.lines + 1)));
            }
        }
        Ok(n)
    }
}

fn open_csv(source: impl Read + Send + 'static, start: &[u8], options: &ReadOptions) -> Result<Opened, ReadError> {
    let (detected, bom) = encoding::detect(start);
    let chosen = options.encoding.unwrap_or(detected);
    let mut source = source;
    if options.encoding.is_none() || chosen == detected {
        io::copy(&mut (&mut source).take(bom as u64), &mut io::sink()).map_err(|e| ReadError::Io(e.to_string()))?;
    }
    let sample = chosen.decode_without_bom_handling(&start[bom.min(start.len())..]).0.into_owned();
    let delimiter = options.delimiter.unwrap_or_else(|| encoding::sniff_delimiter(&sample));
    let text: Box<dyn Read + Send> = if chosen == UTF_8 {
        Box::new(source)
    } else {
        Box::new(Transcode {
            inner: source,
            decoder: chosen.new_decoder_without_bom_handling(),
            encoding: chosen,
            input: vec![0; 64 * 1024],
            pending: Vec::new(),
            at: 0,
            done: false,
            lines: 0,
        })
    };
    let bounded = Bounded { inner: text, since_break: 0, quoted: false, lines: 0 };
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(bounded);
    let found = Found {
        format: Format::Csv,
        encoding: Some(encoding::name(chosen).into()),
        delimiter: Some(char::from(delimiter).to_string()),
    };
    table(Box::new(CsvRows { reader, record: csv::StringRecord::new(), encoding: encoding::name(chosen) }), found)
}

struct CsvRows<R> {
    reader: csv::Reader<R>,
    record: csv::StringRecord,
    encoding: &'static str,
}

impl<R: Read + Send> Rows for CsvRows<R> {
    fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>, ReadError> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| p.line());
                    if self.record.len() > MAX_COLUMNS {
                        return Err(ReadError::TooManyColumns(self.record.len()));
                    }
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    return Ok(Some((line, self.record.iter().map(str::to_string).collect())));
                }
                Err(error) => return Err(csv_error(error, self.encoding)),
            }
        }
    }
}

fn csv_error(error: csv::Error, encoding: &str) -> ReadError {
    let line = error.position().map_or(0, |p| p.line());
    match error.into_kind() {
        csv::ErrorKind::Io(io) => {
            let text = io.to_string();
            let number = |rest: &str| rest.split(':').next().and_then(|n| n.parse().ok()).unwrap_or(line);
            if let Some(rest) = text.strip_prefix("long:") {
                ReadError::LineTooLong(number(rest))
            } else if let Some(rest) = text.strip_prefix("encoding:") {
                ReadError::Encoding { line: number(rest), encoding: rest.split(':').nth(1).unwrap_or(encoding).into() }
            } else {
                ReadError::Io(text)
            }
        }
        csv::ErrorKind::Utf8 { .. } => ReadError::Encoding { line, encoding: "UTF-8".into() },
        other => ReadError::Csv { line, message: format!("{other:?}") },
    }
}

/// A spreadsheet cell as text. Formulas are not evaluated: a cell holds the value the
/// spreadsheet program saved with it.
fn cell_text(data: &Data) -> String {
    match data {
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

fn cell_ref_text(data: &DataRef<'_>) -> String {
    match data {
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => serial_date(d.as_f64()),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}

/// A whole number without `.0` (a phone or a postcode typed as a number).
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { value.to_string() }
}

/// An Excel serial date as `YYYY-MM-DD` (the time of day, if any, dropped).
fn serial_date(serial: f64) -> String {
    let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).unwrap_or(time::Date::MIN);
    (epoch + time::Duration::days(serial.floor() as i64)).to_string()
}

fn open_sheet(format: Format, mut source: impl Read) -> Result<Opened, ReadError> {
    // The readers need to seek: the upload goes to a temporary file first.
    let mut file = tempfile().map_err(|e| ReadError::Io(e.to_string()))?;
    io::copy(&mut source, &mut file).map_err(|e| ReadError::Io(e.to_string()))?;
    file.rewind().map_err(|e| ReadError::Io(e.to_string()))?;
    let reader = BufReader::new(file);
    let found = Found { format, encoding: None, delimiter: None };
    let what = match format {
        Format::Xls => "XLS",
        Format::Ods => "ODS",
        _ => "XLSX",
    };
    let broken = |e: &dyn std::fmt::Display| ReadError::Spreadsheet(e.to_string(), what);
    let range = match format {
        Format::Xlsx => {
            let workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(reader).map_err(|e| broken(&e))?;
            return table(Box::new(XlsxRows::new(workbook).map_err(|e| broken(&e))?), found);
        }
        Format::Xls => {
            let mut workbook: calamine::Xls<_> = calamine::open_workbook_from_rs(reader).map_err(|e| broken(&e))?;
            workbook.worksheet_range_at(0).ok_or(ReadError::Empty)?.map_err(|e| broken(&e))?
        }
        _ => {
            let mut workbook: calamine::Ods<_> = calamine::open_workbook_from_rs(reader).map_err(|e| broken(&e))?;
            workbook.worksheet_range_at(0).ok_or(ReadError::Empty)?.map_err(|e| broken(&e))?
        }
    };
    if range.width() > MAX_COLUMNS {
        return Err(ReadError::TooManyColumns(range.width()));
    }
    let first_row = u64::from(range.start().map_or(0, |(row, _)| row));
    let rows: Vec<(u64, Vec<String>)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i as u64 + 1, cells.iter().map(cell_text).collect::<Vec<_>>()))
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    table(Box::new(Listed(rows.into_iter())), found)
}

fn tempfile() -> io::Result<std::fs::File> {
    let path = std::env::temp_dir().join(format!("rapport-import-{}", uuid::Uuid::now_v7().simple()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    // Unlinked at once: the file lives as long as it is open, and no crash leaves it behind.
    std::fs::remove_file(&path)?;
    Ok(file)
}

struct Listed(std::vec::IntoIter<(u64, Vec<String>)>);

impl Rows for Listed {
    fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>, ReadError> {
        Ok(self.0.next())
    }
}

/// An XLSX sheet read cell by cell on a thread of its own (the cell reader borrows the
/// workbook), rows handed over through a small queue, so a large sheet is never held whole.
struct XlsxRows {
    rows: std::sync::mpsc::Receiver<Result<(u64, Vec<String>), ReadError>>,
}

impl XlsxRows {
    fn new(mut workbook: calamine::Xlsx<BufReader<std::fs::File>>) -> Result<XlsxRows, calamine::XlsxError> {
        let sheet = workbook.sheet_names().first().cloned().unwrap_or_default();
        let (send, rows) = std::sync::mpsc::sync_channel(1000);
        std::thread::spawn(move || {
            let broken = |e: calamine::XlsxError| ReadError::Spreadsheet(e.to_string(), "XLSX");
            let mut reader = match workbook.worksheet_cells_reader(&sheet) {
                Ok(reader) => reader,
                Err(e) => {
                    let _ = send.send(Err(broken(e)));
                    return;
                }
            };
            let mut current: Option<(u32, Vec<String>)> = None;
            loop {
                let cell = match reader.next_cell() {
                    Ok(Some(cell)) => cell,
                    Ok(None) => break,
                    Err(e) => {
                        let _ = send.send(Err(broken(e)));
                        return;
                    }
                };
                let (row, col) = cell.get_position();
                if col as usize >= MAX_COLUMNS {
                    let _ = send.send(Err(ReadError::TooManyColumns(col as usize + 1)));
                    return;
                }
                if current.as_ref().is_some_and(|(r, _)| *r != row)
                    && let Some((r, values)) = current.take()
                    && values.iter().any(|c| !c.trim().is_empty())
                    && send.send(Ok((u64::from(r) + 1, values))).is_err()
                {
                    return;
                }
                let values = &mut current.get_or_insert_with(|| (row, Vec::new())).1;
                if values.len() <= col as usize {
                    values.resize(col as usize + 1, String::new());
                }
                values[col as usize] = cell_ref_text(cell.get_value());
            }
            if let Some((r, values)) = current
                && values.iter().any(|c| !c.trim().is_empty())
            {
                let _ = send.send(Ok((u64::from(r) + 1, values)));
            }
        });
        Ok(XlsxRows { rows })
    }
}

impl Rows for XlsxRows {
    fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>, ReadError> {
        self.rows.recv().ok().transpose()
    }
}
