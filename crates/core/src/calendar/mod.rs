//! Each user's calendar (FEATURES C4): working hours per weekday in their time zone,
//! absences and the company's holidays, and the "next free slot" rule that places a task
//! made automatically (by a campaign or a workflow) in the assignee's working time.
//!
//! A day without working hours is a day off (the weekend, for most people); a holiday or
//! an absence makes any day a day off. A slot lies inside one working period of a working
//! day, starts on a five-minute mark, and overlaps none of the busy intervals it is given
//! (the assignee's timed tasks; meetings too, once they exist).

pub mod ical;

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

use crate::invalid::Invalid;
use crate::zone::Zone;

/// A working period of a day, in minutes from local midnight (`end` may be 1440, midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

impl Period {
    fn text(minutes: u16) -> String {
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// `09:00-17:00`.
    pub fn to_text(self) -> String {
        format!("{}-{}", Self::text(self.start), Self::text(self.end))
    }

    fn parse_clock(raw: &str) -> Option<u16> {
        let (hours, minutes) = raw.trim().split_once(':')?;
        if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
            return None;
        }
        let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
        let total = hours * 60 + minutes;
        (minutes < 60 && total <= 1440).then_some(total)
    }

    pub fn parse(raw: &str) -> Option<Period> {
        let (start, end) = raw.split_once('-')?;
        let period = Period { start: Self::parse_clock(start)?, end: Self::parse_clock(end)? };
        (period.start < period.end).then_some(period)
    }
}

/// The weekdays in the order working hours are written, with their keys.
pub const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

/// At most this many working periods a day (a split shift, a long lunch).
const MAX_PERIODS: usize = 4;

/// Working hours for each weekday, Monday first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    days: [Vec<Period>; 7],
}

impl Default for WorkingHours {
    /// Monday to Friday, 09:00 to 17:00.
    fn default() -> Self {
        let office = vec![Period { start: 9 * 60, end: 17 * 60 }];
        WorkingHours { days: [office.clone(), office.clone(), office.clone(), office.clone(), office, vec![], vec![]] }
    }
}

impl WorkingHours {
    /// Working hours as written (`{"mon": ["09:00-12:00", "13:00-17:00"], "sat": []}`);
    /// a weekday left out has none. Errors name `working_hours.mon[1]`.
    pub fn parse(written: &BTreeMap<String, Vec<String>>) -> Result<WorkingHours, Invalid> {
        let mut invalid = Invalid::default();
        let mut days: [Vec<Period>; 7] = Default::default();
        for key in written.keys() {
            if !DAYS.iter().any(|(k, _)| k == key) {
                invalid.push(
                    format!("working_hours.{key}"),
                    "unknown_day",
                    "days are mon, tue, wed, thu, fri, sat, sun",
                );
            }
        }
        for (i, (key, _)) in DAYS.iter().enumerate() {
            let periods = written.get(*key).map(Vec::as_slice).unwrap_or_default();
            if periods.len() > MAX_PERIODS {
                invalid.push(
                    format!("working_hours.{key}"),
                    "too_many",
                    format!("at most {MAX_PERIODS} periods a day"),
                );
                continue;
            }
            for (n, raw) in periods.iter().enumerate() {
                match Period::parse(raw) {
                    Some(period) => days[i].push(period),
                    None => invalid.push(
                        format!("working_hours.{key}[{n}]"),
                        "invalid_period",
                        "must be a period like 09:00-17:00 that ends after it starts",
                    ),
                }
            }
            days[i].sort();
            if days[i].windows(2).any(|pair| pair[0].end > pair[1].start) {
                invalid.push(format!("working_hours.{key}"), "overlap", "periods of a day must not overlap");
            }
        }
        invalid.into_result(WorkingHours { days })
    }

    pub fn on(&self, day: Weekday) -> &[Period] {
        &self.days[day.number_days_from_monday() as usize]
    }

    pub fn to_map(&self) -> BTreeMap<String, Vec<String>> {
        DAYS.iter().map(|(key, day)| (key.to_string(), self.on(*day).iter().map(|p| p.to_text()).collect())).collect()
    }

    pub fn has_any(&self) -> bool {
        self.days.iter().any(|d| !d.is_empty())
    }
}

/// An absence, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    pub from: Date,
    pub to: Date,
}

/// A half-open interval of time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
}

impl Interval {
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What decides when a user works.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingTime {
    pub zone: Zone,
    pub hours: WorkingHours,
    pub absences: Vec<Absence>,
    pub holidays: Vec<Date>,
}

/// How far ahead the next free slot is looked for.
pub const SEARCH_DAYS: i64 = 366;
/// Slots start on a multiple of this many minutes.
pub const SLOT_STEP_MINUTES: i64 = 5;

fn round_up(at: OffsetDateTime) -> OffsetDateTime {
    let step = SLOT_STEP_MINUTES * 60;
    let seconds = at.unix_timestamp();
    let past = seconds.rem_euclid(step);
    if past == 0 && at.nanosecond() == 0 {
        return at;
    }
    OffsetDateTime::from_unix_timestamp(seconds - past + step).unwrap_or(at)
}

impl WorkingTime {
    /// Whether `day` is a working day: it has working hours and is no holiday or absence.
    pub fn is_working_day(&self, day: Date) -> bool {
        !self.hours.on(day.weekday()).is_empty()
            && !self.holidays.contains(&day)
            && !self.absences.iter().any(|a| a.from <= day && day <= a.to)
    }

    /// The working periods of a day as instants; none on a day off. On the day the
    /// clocks change, a period keeps its wall-clock times (and so lasts an hour less or more).
    pub fn periods(&self, day: Date) -> Vec<Interval> {
        if !self.is_working_day(day) {
            return Vec::new();
        }
        let at = |minutes: u16| {
            let local = if minutes >= 1440 {
                PrimitiveDateTime::new(day.next_day().unwrap_or(day), Time::MIDNIGHT)
            } else {
                PrimitiveDateTime::new(
                    day,
                    Time::from_hms((minutes / 60) as u8, (minutes % 60) as u8, 0).unwrap_or(Time::MIDNIGHT),
                )
            };
            self.zone.instant(local)
        };
        self.hours
            .on(day.weekday())
            .iter()
            .map(|p| Interval { start: at(p.start), end: at(p.end) })
            .filter(|i| i.start < i.end)
            .collect()
    }

    /// The earliest slot of `minutes` at or after `earliest` inside the working time and
    /// clear of every `busy` interval; `None` when none is found within [`SEARCH_DAYS`].
    pub fn next_free_slot(&self, earliest: OffsetDateTime, minutes: u32, busy: &[Interval]) -> Option<Interval> {
        let length = Duration::minutes(i64::from(minutes.max(1)));
        let mut busy: Vec<Interval> = busy.iter().copied().filter(|b| b.end > earliest).collect();
        busy.sort();
        let mut day = self.zone.local(earliest).date();
        for _ in 0..SEARCH_DAYS {
            for period in self.periods(day) {
                let mut start = round_up(period.start.max(earliest));
                while start + length <= period.end {
                    let slot = Interval { start, end: start + length };
                    match busy.iter().filter(|b| b.overlaps(&slot)).map(|b| b.end).max() {
                        None => return Some(slot),
                        Some(free_from) => start = round_up(free_from),
                    }
                }
            }
            day = day.next_day()?;
        }
        None
    }
}

#[cfg(test)]
mod tests;
