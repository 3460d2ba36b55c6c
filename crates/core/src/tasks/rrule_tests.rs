use super::*;
use proptest::prelude::*;
use time::macros::{date, datetime};

fn rule(text: &str) -> RRule {
    RRule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn utc() -> Zone {
    Zone::utc()
}

fn dates(text: &str, start: PrimitiveDateTime, n: usize) -> Vec<Date> {
    let zone = utc();
    rule(text).occurrences(start, &zone).take(n).map(|at| at.date()).collect()
}

#[test]
fn unsupported_and_malformed_rules_are_refused_with_what_is_wrong() {
    for (text, says) in [
        ("", "needs at least FREQ"),
        ("INTERVAL=2", "FREQ is required"),
        ("FREQ=HOURLY", "not supported"),
        ("FREQ=FORTNIGHTLY", "must be DAILY"),
        ("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU", "BYSETPOS is not supported"),
        ("FREQ=WEEKLY;COLOR=RED", "COLOR is not a part"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231", "cannot both"),
        ("FREQ=WEEKLY;BYDAY=2TU", "needs FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYDAY=6FR", "at most 5"),
        ("FREQ=WEEKLY;BYMONTHDAY=3", "cannot be used with FREQ=WEEKLY"),
        ("FREQ=DAILY;INTERVAL=0", "from 1 to 999"),
        ("FREQ=DAILY;COUNT=x", "not a whole number"),
        ("FREQ=DAILY;UNTIL=2026-12-31", "must be a date"),
        ("FREQ=DAILY;UNTIL=20260231", "must be a date"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "count from 1"),
        ("FREQ=MONTHLY;BYMONTH=13", "from 1 to 12"),
        ("FREQ=WEEKLY;BYDAY=XX", "a weekday is"),
        ("FREQ=WEEKLY;FREQ=DAILY", "given twice"),
        ("FREQ", "NAME=VALUE"),
    ] {
        let error = RRule::parse(text).unwrap_err();
        assert!(error.0.contains(says), "{text}: {error}");
        assert_eq!(error.code(), "invalid_recurrence");
    }
}

#[test]
fn rules_are_written_back_in_one_canonical_form() {
    let parsed = rule("RRULE:freq=monthly;byday=-1fr;interval=2;until=20261231T170000Z");
    assert_eq!(parsed.to_string(), "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;UNTIL=20261231T170000Z");
    assert_eq!(rule("FREQ=WEEKLY;BYDAY=MO;COUNT=5").to_string(), "FREQ=WEEKLY;BYDAY=MO;COUNT=5");
    assert_eq!(rule("FREQ=YEARLY;BYMONTH=3,1;WKST=SU").to_string(), "FREQ=YEARLY;BYMONTH=1,3;WKST=SU");
}

#[test]
fn the_start_is_the_first_occurrence_and_count_includes_it() {
    // The acceptance example: weekly on Monday, five times, from a Monday.
    let got = dates("FREQ=WEEKLY;BYDAY=MO;COUNT=5", datetime!(2026-03-02 09:00), 10);
    assert_eq!(
        got,
        [
            date!(2026 - 03 - 02),
            date!(2026 - 03 - 09),
            date!(2026 - 03 - 16),
            date!(2026 - 03 - 23),
            date!(2026 - 03 - 30)
        ]
    );
    // From a Wednesday: the Wednesday first, then Mondays.
    let got = dates("FREQ=WEEKLY;BYDAY=MO;COUNT=3", datetime!(2026-03-04 09:00), 10);
    assert_eq!(got, [date!(2026 - 03 - 04), date!(2026 - 03 - 09), date!(2026 - 03 - 16)]);
}

#[test]
fn rfc_5545_examples_give_their_dates() {
    // Every other week on Monday, Wednesday and Friday until 24 December 1997.
    let got =
        dates("FREQ=WEEKLY;INTERVAL=2;WKST=SU;UNTIL=19971224T000000Z;BYDAY=MO,WE,FR", datetime!(1997-09-01 09:00), 100);
    assert_eq!(got.len(), 25);
    assert_eq!(&got[..4], [date!(1997 - 09 - 01), date!(1997 - 09 - 03), date!(1997 - 09 - 05), date!(1997 - 09 - 15)]);
    assert_eq!(*got.last().unwrap(), date!(1997 - 12 - 22));
    // Monthly on the first Friday, ten times.
    let got = dates("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", datetime!(1997-09-05 09:00), 20);
    assert_eq!(got.len(), 10);
    assert_eq!(got[1], date!(1997 - 10 - 03));
    assert_eq!(got[9], date!(1998 - 06 - 05));
    // Monthly on the second-to-last day of the month.
    let got = dates("FREQ=MONTHLY;BYMONTHDAY=-2;COUNT=6", datetime!(1997-09-29 09:00), 10);
    assert_eq!(
        got,
        [
            date!(1997 - 09 - 29),
            date!(1997 - 10 - 30),
            date!(1997 - 11 - 29),
            date!(1997 - 12 - 30),
            date!(1998 - 01 - 30),
            date!(1998 - 02 - 27)
        ]
    );
    // Every year in June and July, ten times.
    let got = dates("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", datetime!(1997-06-10 09:00), 20);
    assert_eq!(&got[..4], [date!(1997 - 06 - 10), date!(1997 - 07 - 10), date!(1998 - 06 - 10), date!(1998 - 07 - 10)]);
    // US election day: the Tuesday after the first Monday of November, every four years.
    let got =
        dates("FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", datetime!(1996-11-05 09:00), 3);
    assert_eq!(got, [date!(1996 - 11 - 05), date!(2000 - 11 - 07), date!(2004 - 11 - 02)]);
    // Friday the 13th.
    let got = dates("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", datetime!(1997-09-02 09:00), 4);
    assert_eq!(got, [date!(1997 - 09 - 02), date!(1998 - 02 - 13), date!(1998 - 03 - 13), date!(1998 - 11 - 13)]);
    // The 20th Monday of the year.
    let got = dates("FREQ=YEARLY;BYDAY=20MO", datetime!(1997-05-19 09:00), 3);
    assert_eq!(got, [date!(1997 - 05 - 19), date!(1998 - 05 - 18), date!(1999 - 05 - 17)]);
}

#[test]
fn days_a_month_lacks_are_skipped_and_leap_days_wait_for_leap_years() {
    let got = dates("FREQ=MONTHLY", datetime!(2026-01-31 10:00), 4);
    assert_eq!(got, [date!(2026 - 01 - 31), date!(2026 - 03 - 31), date!(2026 - 05 - 31), date!(2026 - 07 - 31)]);
    let got = dates("FREQ=YEARLY", datetime!(2024-02-29 10:00), 3);
    assert_eq!(got, [date!(2024 - 02 - 29), date!(2028 - 02 - 29), date!(2032 - 02 - 29)]);
    let zone = utc();
    let never = rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");
    assert_eq!(never.occurrences(datetime!(2026-01-01 10:00), &zone).count(), 1, "only the start: nothing else exists");
}

#[test]
fn until_ends_the_series_inclusively_in_the_tasks_zone() {
    let zone = Zone::parse("Europe/Sofia").unwrap();
    // 09:00 in Sofia is 07:00 UTC in March: an UNTIL of 07:00Z still takes the 30th.
    let until = rule("FREQ=DAILY;UNTIL=20260330T070000Z");
    let got: Vec<_> = until.occurrences(datetime!(2026-03-28 09:00), &zone).collect();
    assert_eq!(got, [datetime!(2026-03-28 09:00), datetime!(2026-03-29 09:00), datetime!(2026-03-30 09:00)]);
    let by_date = rule("FREQ=WEEKLY;UNTIL=20260316");
    assert_eq!(by_date.occurrences(datetime!(2026-03-02 09:00), &zone).count(), 3);
    assert_eq!(by_date.nth(datetime!(2026-03-02 09:00), &zone, 3), Some(datetime!(2026-03-16 09:00)));
    assert_eq!(by_date.nth(datetime!(2026-03-02 09:00), &zone, 4), None);
}

/// A daily task at 09:00 keeps 09:00 on the wall clock through both changes of the year;
/// the instants between occurrences are 23 or 25 hours apart on the change days, and 24
/// hours otherwise; Asia/Shanghai, which has no daylight-saving time, is always 24.
#[test]
fn wall_clock_time_is_kept_across_daylight_saving_changes() {
    let daily = rule("FREQ=DAILY");
    for (name, spring, autumn) in [
        ("Europe/Sofia", date!(2026 - 03 - 29), date!(2026 - 10 - 25)),
        ("Europe/Warsaw", date!(2026 - 03 - 29), date!(2026 - 10 - 25)),
        ("America/New_York", date!(2026 - 03 - 08), date!(2026 - 11 - 01)),
        ("Asia/Shanghai", date!(2099 - 01 - 01), date!(2099 - 01 - 01)),
    ] {
        let zone = Zone::parse(name).unwrap();
        let times: Vec<_> = daily.occurrences(datetime!(2026-01-01 09:00), &zone).take(365).collect();
        assert!(times.iter().all(|t| t.time() == time::macros::time!(09:00)), "{name}");
        for pair in times.windows(2) {
            let gap = zone.instant(pair[1]) - zone.instant(pair[0]);
            let expected = if pair[1].date() == spring {
                Duration::hours(23)
            } else if pair[1].date() == autumn {
                Duration::hours(25)
            } else {
                Duration::hours(24)
            };
            assert_eq!(gap, expected, "{name} {}", pair[1]);
            assert_eq!(zone.local(zone.instant(pair[1])), pair[1], "{name}: the instant reads back as 09:00");
        }
    }
}

#[test]
fn a_recurring_time_that_falls_in_a_gap_or_a_fold_follows_the_documented_rule() {
    let york = Zone::parse("America/New_York").unwrap();
    let weekly = rule("FREQ=WEEKLY;COUNT=3");
    // Sundays at 02:30: 8 March 2026 has no 02:30; 1 November 2026 has two 01:30s.
    let got: Vec<_> = weekly.occurrences(datetime!(2026-03-01 02:30), &york).map(|t| york.instant(t)).collect();
    assert_eq!(got[1], datetime!(2026-03-08 07:30 UTC), "moved forward by the gap: 03:30 EDT");
    assert_eq!(york.local(got[2]), datetime!(2026-03-15 02:30), "the next week is back at 02:30");
    let fold: Vec<_> = weekly.occurrences(datetime!(2026-10-25 01:30), &york).map(|t| york.instant(t)).collect();
    assert_eq!(fold[1], datetime!(2026-11-01 05:30 UTC), "the first 01:30 (EDT)");
}

fn weekday() -> impl Strategy<Value = Weekday> {
    prop::sample::select(WEEKDAY_CODES.iter().map(|(_, d)| *d).collect::<Vec<_>>())
}

prop_compose! {
    fn any_rule()(
        freq in prop::sample::select(Freq::ALL.to_vec()),
        interval in prop_oneof![Just(1u32), 1u32..5],
        weekdays in prop::collection::vec(weekday(), 0..3),
        ordinal in prop::option::of(prop_oneof![1i8..=4, -2i8..=-1]),
        month_days in prop::collection::vec(prop_oneof![1i8..=28, -3i8..=-1], 0..3),
        months in prop::collection::vec(1u8..=12, 0..3),
        count in prop::option::of(1u32..30),
        week_start in weekday(),
    ) -> RRule {
        let ordinals = matches!(freq, Freq::Monthly | Freq::Yearly) && !months.is_empty() || freq == Freq::Monthly;
        let mut by_day: Vec<WeekdayNum> = weekdays.into_iter()
            .map(|weekday| WeekdayNum { ordinal: if ordinals { ordinal } else { None }, weekday })
            .collect();
        by_day.dedup();
        let mut by_month_day = if freq == Freq::Weekly { vec![] } else { month_days };
        by_month_day.sort_unstable();
        by_month_day.dedup();
        let mut by_month = months;
        by_month.sort_unstable();
        by_month.dedup();
        RRule { freq, interval, count, until: None, by_day, by_month_day, by_month, week_start }
    }
}

fn start() -> impl Strategy<Value = PrimitiveDateTime> {
    (0i64..3650, 0u8..24, prop::sample::select(vec![0u8, 15, 30, 45])).prop_map(|(days, hour, minute)| {
        PrimitiveDateTime::new(
            date!(2024 - 01 - 01) + Duration::days(days),
            time::Time::from_hms(hour, minute, 0).unwrap(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_rule_reads_back_from_what_it_writes(rule in any_rule()) {
        let text = rule.to_string();
        prop_assert_eq!(RRule::parse(&text).unwrap(), rule);
    }

    /// Occurrences start at the start, rise strictly, keep its time of day, stop at COUNT
    /// and satisfy every part of the rule.
    #[test]
    fn occurrences_rise_keep_the_time_and_obey_the_rule(rule in any_rule(), start in start()) {
        let zone = Zone::utc();
        let got: Vec<_> = rule.occurrences(start, &zone).take(40).collect();
        prop_assert_eq!(got[0], start);
        if let Some(count) = rule.count {
            prop_assert!(got.len() <= count as usize);
        }
        for pair in got.windows(2) {
            prop_assert!(pair[0] < pair[1]);
        }
        for at in &got[1..] {
            let day = at.date();
            prop_assert_eq!(at.time(), start.time());
            if !rule.by_month.is_empty() {
                prop_assert!(rule.by_month.contains(&u8::from(day.month())));
            }
            if !rule.by_day.is_empty() {
                prop_assert!(rule.by_day.iter().any(|d| d.weekday == day.weekday()));
            }
            if !rule.by_month_day.is_empty() {
                let last = i16::from(day.month().length(day.year()));
                let hit = rule.by_month_day.iter().any(|&md| {
                    if md > 0 { i16::from(md) == i16::from(day.day()) } else { last + i16::from(md) + 1 == i16::from(day.day()) }
                });
                prop_assert!(hit);
            }
        }
    }

    /// The n-th weekday of the month, checked against jiff's own calendar arithmetic.
    #[test]
    fn monthly_numbered_weekdays_land_on_that_weekday_of_every_month(
        n in prop_oneof![1i8..=4, Just(-1i8)], day in weekday(), start in start(), interval in 1u32..4,
    ) {
        let rule = RRule { freq: Freq::Monthly, interval, count: Some(13), until: None,
            by_day: vec![WeekdayNum { ordinal: Some(n), weekday: day }], by_month_day: vec![], by_month: vec![],
            week_start: Weekday::Monday };
        let zone = Zone::utc();
        let got: Vec<_> = rule.occurrences(start, &zone).skip(1).map(|t| t.date()).collect();
        prop_assert_eq!(got.len(), 12, "every month has a first to fourth and a last of each weekday");
        for (i, at) in got.iter().enumerate() {
            let civil = jiff::civil::Date::new(at.year() as i16, u8::from(at.month()) as i8, 1).unwrap();
            let jiff_day = jiff::civil::Weekday::from_monday_one_offset(day.number_from_monday() as i8).unwrap();
            let expected = civil.nth_weekday_of_month(n, jiff_day).unwrap();
            prop_assert_eq!(i32::from(expected.day()), i32::from(at.day()));
            if i > 0 {
                let months = |d: &Date| i64::from(d.year()) * 12 + i64::from(u8::from(d.month()));
                prop_assert_eq!(months(at) - months(&got[i - 1]), i64::from(interval));
            }
        }
    }

    /// Weekly rules with an interval: occurrences fall in weeks a multiple of it apart.
    #[test]
    fn weekly_intervals_skip_whole_weeks(days in prop::collection::vec(weekday(), 1..4), interval in 1u32..5, start in start()) {
        let mut by_day: Vec<_> = days.into_iter().map(|weekday| WeekdayNum { ordinal: None, weekday }).collect();
        by_day.dedup();
        let rule = RRule { freq: Freq::Weekly, interval, count: Some(20), until: None, by_day, by_month_day: vec![],
            by_month: vec![], week_start: Weekday::Monday };
        let zone = Zone::utc();
        let monday = |d: Date| d - Duration::days(i64::from(d.weekday().number_days_from_monday()));
        let first = monday(start.date());
        for at in rule.occurrences(start, &zone).skip(1) {
            let weeks = (monday(at.date()) - first).whole_weeks();
            prop_assert_eq!(weeks % i64::from(interval), 0);
        }
    }

    /// In every supported zone, an occurrence's instant reads back as its wall-clock time,
    /// unless that time does not exist that day (then it is moved forward by the gap).
    #[test]
    fn occurrences_are_wall_clock_times_in_the_tasks_zone(
        name in prop::sample::select(vec!["Europe/Sofia", "Europe/Warsaw", "America/New_York", "Asia/Shanghai"]),
        start in start(), rule in any_rule(),
    ) {
        let zone = Zone::parse(name).unwrap();
        for at in rule.occurrences(start, &zone).take(30) {
            let back = zone.local(zone.instant(at));
            if back != at {
                prop_assert!(back > at && back - at <= Duration::hours(1), "{name}: {at} read back as {back}");
                prop_assert_ne!(name, "Asia/Shanghai");
            }
        }
    }
}
