use super::*;
use proptest::prelude::*;
use time::macros::{date, datetime};

fn hours(map: &[(&str, &[&str])]) -> WorkingHours {
    let written = map.iter().map(|(k, v)| (k.to_string(), v.iter().map(|p| p.to_string()).collect())).collect();
    WorkingHours::parse(&written).unwrap()
}

fn office(zone: &str) -> WorkingTime {
    WorkingTime { zone: Zone::parse(zone).unwrap(), hours: WorkingHours::default(), absences: vec![], holidays: vec![] }
}

fn interval(start: OffsetDateTime, minutes: i64) -> Interval {
    Interval { start, end: start + Duration::minutes(minutes) }
}

#[test]
fn working_hours_are_checked_and_written_back() {
    let fields = |map: &[(&str, &[&str])]| -> Vec<String> {
        let written = map.iter().map(|(k, v)| (k.to_string(), v.iter().map(|p| p.to_string()).collect())).collect();
        WorkingHours::parse(&written).unwrap_err().errors.into_iter().map(|e| e.field).collect()
    };
    assert_eq!(
        fields(&[("mon", &["17:00-09:00", "9-5"]), ("funday", &[])]),
        ["working_hours.funday", "working_hours.mon[0]", "working_hours.mon[1]"]
    );
    assert_eq!(fields(&[("tue", &["09:00-13:00", "12:00-17:00"])]), ["working_hours.tue"]);
    let split = hours(&[("mon", &["13:00-17:00", "08:30-12:00"]), ("sat", &["10:00-24:00"])]);
    assert_eq!(split.to_map()["mon"], ["08:30-12:00", "13:00-17:00"]);
    assert_eq!(split.to_map()["sat"], ["10:00-24:00"]);
    assert!(split.to_map()["sun"].is_empty());
}

#[test]
fn the_next_slot_skips_evenings_weekends_holidays_absences_and_busy_time() {
    let mut sofia = office("Europe/Sofia");
    // Friday 2026-03-20, 16:45 local (14:45 UTC): an hour does not fit before 17:00.
    let slot = sofia.next_free_slot(datetime!(2026-03-20 14:45 UTC), 60, &[]).unwrap();
    assert_eq!(slot.start, datetime!(2026-03-23 07:00 UTC), "Monday 09:00 in Sofia");
    sofia.holidays.push(date!(2026 - 03 - 23));
    sofia.absences.push(Absence { from: date!(2026 - 03 - 24), to: date!(2026 - 03 - 25) });
    let busy = [interval(datetime!(2026-03-26 07:00 UTC), 90), interval(datetime!(2026-03-26 08:20 UTC), 15)];
    let slot = sofia.next_free_slot(datetime!(2026-03-20 14:45 UTC), 30, &busy).unwrap();
    assert_eq!(slot.start, datetime!(2026-03-26 08:35 UTC), "after both busy intervals on Thursday");
    // A start in the middle of a period rounds up to the next five-minute mark.
    let slot = office("UTC").next_free_slot(datetime!(2026-03-26 10:02:30 UTC), 15, &[]).unwrap();
    assert_eq!(slot, interval(datetime!(2026-03-26 10:05 UTC), 15));
    // Longer than any working period: never.
    assert_eq!(office("UTC").next_free_slot(datetime!(2026-03-26 10:00 UTC), 9 * 60, &[]), None);
}

#[test]
fn working_hours_keep_their_wall_clock_times_when_the_clocks_change() {
    let york = office("America/New_York");
    // Monday 9 March 2026, the day after the change to summer time: 09:00 EDT is 13:00 UTC.
    let periods = york.periods(date!(2026 - 03 - 09));
    assert_eq!(periods, [Interval { start: datetime!(2026-03-09 13:00 UTC), end: datetime!(2026-03-09 21:00 UTC) }]);
    let friday = york.periods(date!(2026 - 03 - 06));
    assert_eq!(friday[0].start, datetime!(2026-03-06 14:00 UTC));
    assert!(york.periods(date!(2026 - 03 - 08)).is_empty(), "a Sunday");
}

fn zone_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["Europe/Sofia", "Europe/Warsaw", "America/New_York", "Asia/Shanghai", "UTC"])
}

prop_compose! {
    fn working_time()(
        zone in zone_name(),
        days in prop::collection::vec(prop::collection::vec((0u16..1380, 15u16..600), 0..3), 7),
        absences in prop::collection::vec((0i64..60, 0i64..10), 0..3),
        holidays in prop::collection::vec(0i64..60, 0..5),
    ) -> WorkingTime {
        let mut written = BTreeMap::new();
        for ((key, _), periods) in DAYS.iter().zip(days) {
            let mut ends = 0u16;
            let mut list = Vec::new();
            let mut periods = periods;
            periods.sort();
            for (start, length) in periods {
                let start = start.max(ends);
                let end = (start + length).min(1440);
                if start < end {
                    list.push(Period { start, end }.to_text());
                    ends = end;
                }
            }
            written.insert(key.to_string(), list);
        }
        let base = date!(2026 - 03 - 01);
        WorkingTime {
            zone: Zone::parse(zone).unwrap(),
            hours: WorkingHours::parse(&written).unwrap(),
            absences: absences.into_iter().map(|(from, days)| Absence { from: base + Duration::days(from), to: base + Duration::days(from + days) }).collect(),
            holidays: holidays.into_iter().map(|d| base + Duration::days(d)).collect(),
        }
    }
}

/// A slot is allowed when it lies inside one working period of a working day (worked out
/// here from the wall-clock hours directly) and overlaps no busy interval.
fn allowed(time: &WorkingTime, slot: &Interval, busy: &[Interval]) -> bool {
    let local_start = time.zone.local(slot.start);
    let day = local_start.date();
    let working = !time.hours.on(day.weekday()).is_empty()
        && !time.holidays.contains(&day)
        && !time.absences.iter().any(|a| a.from <= day && day <= a.to);
    let inside = time.hours.on(day.weekday()).iter().any(|p| {
        let clock = |m: u16| {
            if m == 1440 {
                PrimitiveDateTime::new(day.next_day().unwrap(), Time::MIDNIGHT)
            } else {
                PrimitiveDateTime::new(day, Time::from_hms((m / 60) as u8, (m % 60) as u8, 0).unwrap())
            }
        };
        time.zone.instant(clock(p.start)) <= slot.start && slot.end <= time.zone.instant(clock(p.end))
    });
    working && inside && !busy.iter().any(|b| b.overlaps(slot))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// An automatically scheduled task never lands outside its assignee's working time, on
    /// a day off, holiday or absence, or over their busy time; and no earlier five-minute
    /// mark in the first fortnight would have done.
    #[test]
    fn the_next_free_slot_is_always_in_working_time_and_the_earliest(
        time in working_time(),
        earliest_minutes in 0i64..(20 * 24 * 60),
        minutes in prop_oneof![Just(15u32), Just(30), Just(60), 5u32..240],
        busy in prop::collection::vec((0i64..(30 * 24 * 60), 5i64..300), 0..12),
    ) {
        let base = datetime!(2026-03-01 00:00 UTC);
        let earliest = base + Duration::minutes(earliest_minutes) + Duration::seconds(17);
        let busy: Vec<Interval> = busy.into_iter().map(|(at, len)| interval(base + Duration::minutes(at), len)).collect();
        let found = time.next_free_slot(earliest, minutes, &busy);
        let length = Duration::minutes(i64::from(minutes));
        let mut candidate = round_up(earliest);
        let search_end = found.map(|s| s.start).unwrap_or(earliest + Duration::days(14)).min(earliest + Duration::days(14));
        while candidate < search_end {
            let slot = Interval { start: candidate, end: candidate + length };
            prop_assert!(!allowed(&time, &slot, &busy), "{} was free before {:?}", candidate, found);
            candidate += Duration::minutes(SLOT_STEP_MINUTES);
        }
        if let Some(slot) = found {
            prop_assert!(slot.start >= earliest);
            prop_assert_eq!(slot.end - slot.start, length);
            prop_assert_eq!(slot.start.unix_timestamp() % (SLOT_STEP_MINUTES * 60), 0);
            prop_assert!(allowed(&time, &slot, &busy), "{:?} is outside the working time", slot);
        }
    }
}
