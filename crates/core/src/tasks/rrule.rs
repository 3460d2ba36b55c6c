//! Recurrence rules: the part of RFC 5545's RRULE that recurring tasks use, parsed into
//! [`RRule`] (the only way to get one), and the occurrences a rule gives from a start.
//!
//! Supported: `FREQ` (DAILY, WEEKLY, MONTHLY, YEARLY), `INTERVAL`, `COUNT` or `UNTIL`,
//! `BYDAY` (with an ordinal such as `2TU` or `-1FR` for MONTHLY and YEARLY), `BYMONTHDAY`
//! (negative counts from the month's end), `BYMONTH` and `WKST`. Anything else is refused
//! with a message that names it, rather than silently ignored.
//!
//! Occurrences keep the start's wall-clock time on every date; turning them into instants
//! is the time zone's business (see `zone`), so a task at 09:00 stays at 09:00 across
//! daylight-saving changes. The start itself is always the first occurrence, and `COUNT`
//! counts it, as calendar programs do; a date the rule names that does not exist (the
//! 31st in April, 29 February in other years) is skipped, as RFC 5545 says.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Weekday};

use crate::invalid::Coded;
use crate::zone::Zone;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RRuleError(pub String);

impl Coded for RRuleError {
    fn code(&self) -> &'static str {
        "invalid_recurrence"
    }
}

fn refuse<T>(message: impl Into<String>) -> Result<T, RRuleError> {
    Err(RRuleError(message.into()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Freq {
    pub const ALL: [Freq; 4] = [Freq::Daily, Freq::Weekly, Freq::Monthly, Freq::Yearly];

    pub fn as_str(self) -> &'static str {
        match self {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
            Freq::Yearly => "YEARLY",
        }
    }
}

/// A weekday, with an ordinal for "the second Tuesday" (`2TU`) or "the last Friday" (`-1FR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeekdayNum {
    pub ordinal: Option<i8>,
    pub weekday: Weekday,
}

/// The end of a series, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// The last date an occurrence may fall on.
    Date(Date),
    /// The last instant (`UNTIL=20261231T170000Z`).
    Instant(OffsetDateTime),
    /// The last wall-clock time, in the task's own zone (`UNTIL=20261231T170000`).
    Local(PrimitiveDateTime),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RRule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    pub by_day: Vec<WeekdayNum>,
    pub by_month_day: Vec<i8>,
    pub by_month: Vec<u8>,
    pub week_start: Weekday,
}

/// The weekdays as RFC 5545 writes them, Monday first.
pub const WEEKDAY_CODES: [(&str, Weekday); 7] = [
    ("MO", Weekday::Monday),
    ("TU", Weekday::Tuesday),
    ("WE", Weekday::Wednesday),
    ("TH", Weekday::Thursday),
    ("FR", Weekday::Friday),
    ("SA", Weekday::Saturday),
    ("SU", Weekday::Sunday),
];

pub fn weekday_code(day: Weekday) -> &'static str {
    WEEKDAY_CODES.iter().find(|(_, d)| *d == day).map(|(c, _)| *c).unwrap_or("MO")
}

fn parse_weekday(code: &str) -> Option<Weekday> {
    WEEKDAY_CODES.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

/// The parts of RFC 5545 recurrence rules we know of but do not support.
const UNSUPPORTED: [&str; 6] = ["BYSETPOS", "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND"];
const SUPPORTED: &str = "FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH and WKST";

fn number<T: FromStr>(name: &str, raw: &str, range: std::ops::RangeInclusive<i64>) -> Result<T, RRuleError> {
    let value: i64 = raw.parse().map_err(|_| RRuleError(format!("{name}={raw}: not a whole number")))?;
    if !range.contains(&value) {
        return refuse(format!("{name}={raw}: must be from {} to {}", range.start(), range.end()));
    }
    raw.parse().map_err(|_| RRuleError(format!("{name}={raw}: not a whole number")))
}

fn parse_until(raw: &str) -> Result<Until, RRuleError> {
    let bad = || RRuleError(format!("UNTIL={raw}: must be a date (20261231) or a date-time (20261231T170000Z)"));
    let date = |text: &str| -> Result<Date, RRuleError> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = text[..4].parse().map_err(|_| bad())?;
        let month: u8 = text[4..6].parse().map_err(|_| bad())?;
        let day: u8 = text[6..].parse().map_err(|_| bad())?;
        Date::from_calendar_date(year, Month::try_from(month).map_err(|_| bad())?, day).map_err(|_| bad())
    };
    match raw.split_once('T') {
        None => Ok(Until::Date(date(raw)?)),
        Some((day, clock)) => {
            let (clock, utc) = match clock.strip_suffix('Z') {
                Some(c) => (c, true),
                None => (clock, false),
            };
            if clock.len() != 6 || !clock.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let part = |i: usize| clock[i..i + 2].parse::<u8>().map_err(|_| bad());
            let time = time::Time::from_hms(part(0)?, part(2)?, part(4)?).map_err(|_| bad())?;
            let local = PrimitiveDateTime::new(date(day)?, time);
            Ok(if utc { Until::Instant(local.assume_utc()) } else { Until::Local(local) })
        }
    }
}

impl RRule {
    pub fn parse(raw: &str) -> Result<RRule, RRuleError> {
        let text = raw.trim();
        let text = text.strip_prefix("RRULE:").unwrap_or(text);
        if text.is_empty() {
            return refuse("the rule is empty; it needs at least FREQ (e.g. FREQ=WEEKLY;BYDAY=MO)");
        }
        let mut rule = RRule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            week_start: Weekday::Monday,
        };
        let mut freq = None;
        let mut seen: Vec<String> = Vec::new();
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let Some((name, value)) = part.split_once('=') else {
                return refuse(format!("{part}: each part is NAME=VALUE"));
            };
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim().to_ascii_uppercase();
            if seen.contains(&name) {
                return refuse(format!("{name} is given twice"));
            }
            seen.push(name.clone());
            if value.is_empty() {
                return refuse(format!("{name} has no value"));
            }
            match name.as_str() {
                "FREQ" => {
                    freq = Some(match value.as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        "SECONDLY" | "MINUTELY" | "HOURLY" => {
                            return refuse(format!(
                                "FREQ={value} is not supported: a task repeats DAILY, WEEKLY, MONTHLY or YEARLY"
                            ));
                        }
                        other => return refuse(format!("FREQ={other}: must be DAILY, WEEKLY, MONTHLY or YEARLY")),
                    })
                }
                "INTERVAL" => rule.interval = number("INTERVAL", &value, 1..=999)?,
                "COUNT" => rule.count = Some(number("COUNT", &value, 1..=10_000)?),
                "UNTIL" => rule.until = Some(parse_until(&value)?),
                "WKST" => {
                    rule.week_start = parse_weekday(&value)
                        .ok_or_else(|| RRuleError(format!("WKST={value}: must be one of MO, TU, WE, TH, FR, SA, SU")))?
                }
                "BYMONTH" => {
                    for item in value.split(',') {
                        rule.by_month.push(number("BYMONTH", item, 1..=12)?);
                    }
                }
                "BYMONTHDAY" => {
                    for item in value.split(',') {
                        let day: i8 = number("BYMONTHDAY", item, -31..=31)?;
                        if day == 0 {
                            return refuse("BYMONTHDAY=0: days count from 1 (or from -1, the last day)");
                        }
                        rule.by_month_day.push(day);
                    }
                }
                "BYDAY" => {
                    for item in value.split(',') {
                        let split = item.len().saturating_sub(2);
                        let (ordinal, code) = item.split_at(split);
                        let weekday = parse_weekday(code).ok_or_else(|| {
                            RRuleError(format!("BYDAY={item}: a weekday is MO, TU, WE, TH, FR, SA or SU (2TU, -1FR)"))
                        })?;
                        let ordinal = if ordinal.is_empty() {
                            None
                        } else {
                            let n: i8 = number("BYDAY", ordinal.trim_start_matches('+'), -53..=53)?;
                            if n == 0 {
                                return refuse(format!("BYDAY={item}: the ordinal cannot be 0"));
                            }
                            Some(n)
                        };
                        rule.by_day.push(WeekdayNum { ordinal, weekday });
                    }
                }
                other if UNSUPPORTED.contains(&other) => {
                    return refuse(format!("{other} is not supported; a rule may use {SUPPORTED}"));
                }
                other => return refuse(format!("{other} is not a part of a recurrence rule; use {SUPPORTED}")),
            }
        }
        rule.freq = freq.ok_or_else(|| RRuleError("FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)".into()))?;
        if rule.count.is_some() && rule.until.is_some() {
            return refuse("COUNT and UNTIL cannot both be given");
        }
        let ordinals = rule.by_day.iter().any(|d| d.ordinal.is_some());
        if ordinals && matches!(rule.freq, Freq::Daily | Freq::Weekly) {
            return refuse("a numbered weekday in BYDAY (like 2TU) needs FREQ=MONTHLY or FREQ=YEARLY");
        }
        if ordinals && rule.by_day.iter().any(|d| d.ordinal.is_some_and(|n| n.abs() > 5)) && in_month(&rule) {
            return refuse("a month has at most 5 of each weekday: BYDAY ordinals go from -5 to 5 here");
        }
        if rule.freq == Freq::Weekly && !rule.by_month_day.is_empty() {
            return refuse("BYMONTHDAY cannot be used with FREQ=WEEKLY");
        }
        rule.by_month.sort_unstable();
        rule.by_month.dedup();
        rule.by_month_day.sort_unstable();
        rule.by_month_day.dedup();
        Ok(rule)
    }

    /// The wall-clock times of the series that starts at `start`: the start itself, then
    /// every time the rule gives after it, up to `COUNT` in all or until `UNTIL` (an
    /// `UNTIL` instant is compared in `zone`).
    pub fn occurrences<'a>(&'a self, start: PrimitiveDateTime, zone: &'a Zone) -> Occurrences<'a> {
        Occurrences { rule: self, zone, start, period: 0, pending: Vec::new(), yielded: 0, done: false, empty: 0 }
    }

    /// The `n`-th occurrence (1 is the start), if the series has one.
    pub fn nth(&self, start: PrimitiveDateTime, zone: &Zone, n: u32) -> Option<PrimitiveDateTime> {
        self.occurrences(start, zone).nth(n.checked_sub(1)? as usize)
    }

    /// The rule without its end, to tell a rule that can never repeat from one that ended.
    pub fn without_end(&self) -> RRule {
        RRule { count: None, until: None, ..self.clone() }
    }
}

/// Whether BYDAY ordinals count within a month (rather than within the year).
fn in_month(rule: &RRule) -> bool {
    rule.freq == Freq::Monthly || (rule.freq == Freq::Yearly && !rule.by_month.is_empty())
}

fn days_in_month(date: Date) -> u8 {
    date.month().length(date.year())
}

fn add_months(date: Date, months: i64) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(index.rem_euclid(12) as u8 + 1).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

impl RRule {
    /// The dates of one period (a day, week, month or year after the start's own), before
    /// the start is taken into account; `None` past the end of the calendar.
    fn period_dates(&self, start: Date, period: u64) -> Option<Vec<Date>> {
        let step = i64::from(self.interval) * i64::try_from(period).ok()?;
        let (first, length) = match self.freq {
            Freq::Daily => (start.checked_add(Duration::days(step))?, 1),
            Freq::Weekly => {
                let back =
                    (start.weekday().number_days_from_monday() + 7 - self.week_start.number_days_from_monday()) % 7;
                let week = start.checked_sub(Duration::days(i64::from(back)))?;
                (week.checked_add(Duration::weeks(step))?, 7)
            }
            Freq::Monthly => {
                let month = add_months(start.replace_day(1).ok()?, step)?;
                (month, i64::from(days_in_month(month)))
            }
            Freq::Yearly => {
                let year = start.year().checked_add(i32::try_from(step).ok()?)?;
                let first = Date::from_calendar_date(year, Month::January, 1).ok()?;
                (first, i64::from(time::util::days_in_year(year)))
            }
        };
        let mut dates = Vec::new();
        for offset in 0..length {
            let day = first.checked_add(Duration::days(offset))?;
            if self.matches(day, start) {
                dates.push(day);
            }
        }
        Some(dates)
    }

    fn matches(&self, day: Date, start: Date) -> bool {
        if !self.by_month.is_empty() && !self.by_month.contains(&u8::from(day.month())) {
            return false;
        }
        let month_length = days_in_month(day);
        if !self.by_month_day.is_empty()
            && !self.by_month_day.iter().any(|&md| {
                let wanted = if md > 0 { i16::from(md) } else { i16::from(month_length) + i16::from(md) + 1 };
                wanted == i16::from(day.day())
            })
        {
            return false;
        }
        if !self.by_day.is_empty() && !self.by_day.iter().any(|wd| self.weekday_matches(wd, day, month_length)) {
            return false;
        }
        if self.by_day.is_empty() && self.by_month_day.is_empty() {
            return match self.freq {
                Freq::Daily => true,
                Freq::Weekly => day.weekday() == start.weekday(),
                Freq::Monthly => day.day() == start.day(),
                Freq::Yearly => day.day() == start.day() && (!self.by_month.is_empty() || day.month() == start.month()),
            };
        }
        true
    }

    fn weekday_matches(&self, wd: &WeekdayNum, day: Date, month_length: u8) -> bool {
        if day.weekday() != wd.weekday {
            return false;
        }
        let Some(n) = wd.ordinal else { return true };
        let (position, length) = if in_month(self) {
            (i16::from(day.day()), i16::from(month_length))
        } else {
            (day.ordinal() as i16, time::util::days_in_year(day.year()) as i16)
        };
        let n = i16::from(n);
        if n > 0 { (position - 1) / 7 + 1 == n } else { (length - position) / 7 + 1 == -n }
    }

    fn within_until(&self, at: PrimitiveDateTime, zone: &Zone) -> bool {
        match self.until {
            None => true,
            Some(Until::Date(last)) => at.date() <= last,
            Some(Until::Local(last)) => at <= last,
            Some(Until::Instant(last)) => zone.instant(at) <= last,
        }
    }
}

/// Periods in a row without an occurrence after which a rule is taken to never give one
/// again (a rule for 30 February; every real rule hits far more often).
const MAX_EMPTY_PERIODS: u32 = 20_000;

pub struct Occurrences<'a> {
    rule: &'a RRule,
    zone: &'a Zone,
    start: PrimitiveDateTime,
    period: u64,
    /// Dates of the current period still to give, latest first.
    pending: Vec<Date>,
    yielded: u32,
    done: bool,
    empty: u32,
}

impl Iterator for Occurrences<'_> {
    type Item = PrimitiveDateTime;

    fn next(&mut self) -> Option<PrimitiveDateTime> {
        if self.done || self.rule.count.is_some_and(|count| self.yielded >= count) {
            return None;
        }
        let next = if self.yielded == 0 {
            Some(self.start)
        } else {
            loop {
                if let Some(date) = self.pending.pop() {
                    break Some(PrimitiveDateTime::new(date, self.start.time()));
                }
                if self.empty > MAX_EMPTY_PERIODS {
                    break None;
                }
                let Some(dates) = self.rule.period_dates(self.start.date(), self.period) else { break None };
                self.period += 1;
                let mut later: Vec<Date> = dates.into_iter().filter(|d| *d > self.start.date()).collect();
                self.empty = if later.is_empty() { self.empty + 1 } else { 0 };
                later.reverse();
                self.pending = later;
            }
        };
        match next {
            Some(at) if self.rule.within_until(at, self.zone) => {
                self.yielded += 1;
                Some(at)
            }
            _ => {
                self.done = true;
                None
            }
        }
    }
}

impl fmt::Display for RRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FREQ={}", self.freq.as_str())?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        let join = |items: Vec<String>| items.join(",");
        if !self.by_month.is_empty() {
            write!(f, ";BYMONTH={}", join(self.by_month.iter().map(u8::to_string).collect()))?;
        }
        if !self.by_month_day.is_empty() {
            write!(f, ";BYMONTHDAY={}", join(self.by_month_day.iter().map(i8::to_string).collect()))?;
        }
        if !self.by_day.is_empty() {
            let days = self
                .by_day
                .iter()
                .map(|d| format!("{}{}", d.ordinal.map(|n| n.to_string()).unwrap_or_default(), weekday_code(d.weekday)))
                .collect();
            write!(f, ";BYDAY={}", join(days))?;
        }
        if self.week_start != Weekday::Monday {
            write!(f, ";WKST={}", weekday_code(self.week_start))?;
        }
        if let Some(count) = self.count {
            write!(f, ";COUNT={count}")?;
        }
        let stamp = |d: Date| format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day());
        let clock = |t: time::Time| format!("{:02}{:02}{:02}", t.hour(), t.minute(), t.second());
        match self.until {
            None => {}
            Some(Until::Date(d)) => write!(f, ";UNTIL={}", stamp(d))?,
            Some(Until::Local(at)) => write!(f, ";UNTIL={}T{}", stamp(at.date()), clock(at.time()))?,
            Some(Until::Instant(at)) => {
                let at = at.to_offset(time::UtcOffset::UTC);
                write!(f, ";UNTIL={}T{}Z", stamp(at.date()), clock(at.time()))?
            }
        }
        Ok(())
    }
}

impl Serialize for RRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        RRule::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[path = "rrule_tests.rs"]
mod tests;
