//! Recurrence as plain choices (how often, every how many, which weekdays, how it ends),
//! the way a form asks for it, turned into a rule and back. The day of the month and the
//! weekday of a monthly task come from its due date, as calendar programs offer them
//! ("monthly on day 23", "monthly on the fourth Monday").

use time::{Date, Weekday};

use super::rrule::{Freq, RRule, Until, WeekdayNum};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthlyBy {
    /// The due date's day of the month.
    DayOfMonth,
    /// The due date's weekday at its place in the month (the last one when it is the last).
    Weekday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    Never,
    After(u32),
    On(Date),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub freq: Freq,
    pub interval: u32,
    /// For a weekly task: the weekdays (none means the due date's).
    pub weekdays: Vec<Weekday>,
    pub monthly: MonthlyBy,
    pub ends: Ends,
}

/// The due date's weekday at its place in its month: 1 to 4, or -1 for the last.
pub fn place_in_month(due: Date) -> i8 {
    let length = due.month().length(due.year());
    if due.day() + 7 > length { -1 } else { ((due.day() - 1) / 7 + 1) as i8 }
}

impl Repeat {
    pub fn to_rule(&self, due: Date) -> RRule {
        let mut by_day = Vec::new();
        match self.freq {
            Freq::Weekly => {
                let mut days = self.weekdays.clone();
                days.sort_by_key(|d| d.number_days_from_monday());
                days.dedup();
                by_day = days.into_iter().map(|weekday| WeekdayNum { ordinal: None, weekday }).collect();
            }
            Freq::Monthly if self.monthly == MonthlyBy::Weekday => {
                by_day.push(WeekdayNum { ordinal: Some(place_in_month(due)), weekday: due.weekday() });
            }
            _ => {}
        }
        let (count, until) = match self.ends {
            Ends::Never => (None, None),
            Ends::After(n) => (Some(n), None),
            Ends::On(day) => (None, Some(Until::Date(day))),
        };
        RRule {
            freq: self.freq,
            interval: self.interval.max(1),
            count,
            until,
            by_day,
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            week_start: Weekday::Monday,
        }
    }

    /// The choices that make this rule for a task due on `due`; `None` when the rule says
    /// more than the choices can (it is then kept as written).
    pub fn from_rule(rule: &RRule, due: Date) -> Option<Repeat> {
        if !rule.by_month.is_empty() || !rule.by_month_day.is_empty() || rule.week_start != Weekday::Monday {
            return None;
        }
        let ends = match (rule.count, rule.until) {
            (None, None) => Ends::Never,
            (Some(n), None) => Ends::After(n),
            (None, Some(Until::Date(day))) => Ends::On(day),
            _ => return None,
        };
        let mut repeat = Repeat {
            freq: rule.freq,
            interval: rule.interval,
            weekdays: Vec::new(),
            monthly: MonthlyBy::DayOfMonth,
            ends,
        };
        match rule.freq {
            Freq::Daily | Freq::Yearly if !rule.by_day.is_empty() => return None,
            Freq::Weekly => {
                if rule.by_day.iter().any(|d| d.ordinal.is_some()) {
                    return None;
                }
                repeat.weekdays = rule.by_day.iter().map(|d| d.weekday).collect();
            }
            Freq::Monthly => match rule.by_day.as_slice() {
                [] => {}
                [only] if only.ordinal == Some(place_in_month(due)) && only.weekday == due.weekday() => {
                    repeat.monthly = MonthlyBy::Weekday;
                }
                _ => return None,
            },
            _ => {}
        }
        (repeat.to_rule(due) == *rule).then_some(repeat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn choices_make_rules_and_read_back_from_them() {
        let due = date!(2026 - 03 - 23); // the fourth Monday of March
        let weekly = Repeat {
            freq: Freq::Weekly,
            interval: 2,
            weekdays: vec![Weekday::Friday, Weekday::Monday],
            monthly: MonthlyBy::DayOfMonth,
            ends: Ends::After(5),
        };
        assert_eq!(weekly.to_rule(due).to_string(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=5");
        let monthly = Repeat {
            freq: Freq::Monthly,
            interval: 1,
            weekdays: vec![],
            monthly: MonthlyBy::Weekday,
            ends: Ends::On(date!(2026 - 12 - 31)),
        };
        let rule = monthly.to_rule(due);
        assert_eq!(rule.to_string(), "FREQ=MONTHLY;BYDAY=4MO;UNTIL=20261231");
        assert_eq!(Repeat::from_rule(&rule, due), Some(monthly));
        let last = Repeat { freq: Freq::Monthly, monthly: MonthlyBy::Weekday, ..weekly.clone() };
        assert_eq!(last.to_rule(date!(2026 - 03 - 27)).to_string(), "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;COUNT=5");
        let sorted = Repeat { weekdays: vec![Weekday::Monday, Weekday::Friday], ..weekly };
        assert_eq!(Repeat::from_rule(&sorted.to_rule(due), due), Some(sorted));
        let custom = RRule::parse("FREQ=MONTHLY;BYMONTHDAY=1,15").unwrap();
        assert_eq!(Repeat::from_rule(&custom, due), None, "more than the form's choices say");
    }
}
