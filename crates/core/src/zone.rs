//! IANA time zones (`Europe/Sofia`), from the time-zone database bundled into the binary,
//! and the one rule for turning a wall-clock time into an instant.
//!
//! The rest of Rapport uses the `time` crate; the zone database comes from `jiff`, and the
//! conversion between the two happens here, at this boundary only.
//!
//! **Local times that do not exist or exist twice.** When clocks jump forward (a gap, e.g.
//! 03:00-04:00 on the last Sunday of March in Europe/Sofia), a wall-clock time inside the
//! gap is moved forward by the length of the gap (03:30 becomes 04:30 summer time). When
//! clocks fall back (a fold), a time that happens twice is the first of the two (the
//! summer-time one). This is RFC 5545's rule for recurring events (section 3.3.5) and
//! what calendar programs do.

use std::fmt;

use jiff::tz::TimeZone;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::invalid::Coded;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error("is not a time zone of the IANA database (like Europe/Sofia or America/New_York)")]
    Unknown,
}

impl Coded for ZoneError {
    fn code(&self) -> &'static str {
        "invalid_time_zone"
    }
}

/// A time zone by its IANA name.
#[derive(Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A change of a zone's offset from UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub at: OffsetDateTime,
    pub offset_before: UtcOffset,
    pub offset_after: UtcOffset,
    pub abbreviation: String,
    /// Whether the offset after the change is daylight-saving (summer) time.
    pub daylight: bool,
}

impl Zone {
    /// A zone by its IANA name, as the database spells it (`Europe/Warsaw`, `UTC`).
    /// Fixed offsets (`+02:00`) and POSIX rules are refused: they know nothing of
    /// daylight-saving changes, so a recurring task would drift by an hour twice a year.
    pub fn parse(raw: &str) -> Result<Zone, ZoneError> {
        let raw = raw.trim();
        let looks_like_a_name = !raw.is_empty()
            && raw.len() <= 64
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
            && raw.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !looks_like_a_name {
            return Err(ZoneError::Unknown);
        }
        let tz = TimeZone::get(raw).map_err(|_| ZoneError::Unknown)?;
        // The database matches names without regard to case; keep its own spelling.
        let name = tz.iana_name().unwrap_or(raw).to_string();
        Ok(Zone { name, tz })
    }

    /// The zones to choose from: every current zone of the database by region
    /// (`Europe/Sofia`), and UTC; legacy aliases (`US/Eastern`) are left out.
    pub fn names() -> Vec<String> {
        const REGIONS: [&str; 9] = [
            "Africa/",
            "America/",
            "Antarctica/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.to_string())
            .filter(|name| REGIONS.iter().any(|r| name.starts_with(r)))
            .collect();
        names.push("UTC".into());
        names.sort();
        names.dedup();
        names
    }

    pub fn utc() -> Zone {
        Zone { name: "UTC".into(), tz: TimeZone::UTC }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_utc(&self) -> bool {
        matches!(self.name.as_str(), "UTC" | "Etc/UTC")
    }

    /// The instant a wall-clock time in this zone stands for (see the module's rule for
    /// gaps and folds).
    pub fn instant(&self, local: PrimitiveDateTime) -> OffsetDateTime {
        let civil = to_civil(local);
        match self.tz.to_timestamp(civil) {
            Ok(ts) => from_timestamp(ts),
            // Only at the ends of the representable range; the UTC reading is the best left.
            Err(_) => local.assume_utc(),
        }
    }

    /// The wall-clock time in this zone at an instant.
    pub fn local(&self, at: OffsetDateTime) -> PrimitiveDateTime {
        match to_timestamp(at) {
            Some(ts) => from_civil(self.tz.to_datetime(ts)).unwrap_or_else(|| utc_local(at)),
            None => utc_local(at),
        }
    }

    /// The zone's offset from UTC at an instant.
    pub fn offset(&self, at: OffsetDateTime) -> UtcOffset {
        to_timestamp(at)
            .and_then(|ts| UtcOffset::from_whole_seconds(self.tz.to_offset(ts).seconds()).ok())
            .unwrap_or(UtcOffset::UTC)
    }

    /// The instant a day starts in this zone (its first wall-clock moment).
    pub fn start_of_day(&self, day: Date) -> OffsetDateTime {
        self.instant(PrimitiveDateTime::new(day, Time::MIDNIGHT))
    }

    /// The changes of offset after `from` and up to `to`, in order.
    pub fn transitions(&self, from: OffsetDateTime, to: OffsetDateTime) -> Vec<Transition> {
        let Some(start) = to_timestamp(from) else { return Vec::new() };
        let mut out = Vec::new();
        for change in self.tz.following(start) {
            let at = from_timestamp(change.timestamp());
            if at > to {
                break;
            }
            let before = self.tz.to_offset(change.timestamp() - jiff::SignedDuration::from_secs(1));
            let info = self.tz.to_offset_info(change.timestamp());
            out.push(Transition {
                at,
                offset_before: UtcOffset::from_whole_seconds(before.seconds()).unwrap_or(UtcOffset::UTC),
                offset_after: UtcOffset::from_whole_seconds(change.offset().seconds()).unwrap_or(UtcOffset::UTC),
                abbreviation: change.abbreviation().to_string(),
                daylight: info.dst().is_dst(),
            });
        }
        out
    }

    /// The zone's abbreviation and whether it is daylight-saving time at an instant.
    pub fn describe(&self, at: OffsetDateTime) -> (String, bool) {
        match to_timestamp(at) {
            Some(ts) => {
                let info = self.tz.to_offset_info(ts);
                (info.abbreviation().to_string(), info.dst().is_dst())
            }
            None => ("UTC".into(), false),
        }
    }
}

fn utc_local(at: OffsetDateTime) -> PrimitiveDateTime {
    let at = at.to_offset(UtcOffset::UTC);
    PrimitiveDateTime::new(at.date(), at.time())
}

fn to_civil(local: PrimitiveDateTime) -> jiff::civil::DateTime {
    jiff::civil::DateTime::new(
        local.year() as i16,
        u8::from(local.month()) as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        local.nanosecond() as i32,
    )
    .unwrap_or(jiff::civil::DateTime::ZERO)
}

fn from_civil(civil: jiff::civil::DateTime) -> Option<PrimitiveDateTime> {
    let month = Month::try_from(civil.month() as u8).ok()?;
    let date = Date::from_calendar_date(i32::from(civil.year()), month, civil.day() as u8).ok()?;
    let time = Time::from_hms_nano(
        civil.hour() as u8,
        civil.minute() as u8,
        civil.second() as u8,
        civil.subsec_nanosecond() as u32,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

fn to_timestamp(at: OffsetDateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_nanosecond(at.unix_timestamp_nanos()).ok()
}

fn from_timestamp(ts: jiff::Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ts.as_nanosecond()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap()
    }

    #[test]
    fn names_are_checked_and_kept_as_the_database_spells_them() {
        assert_eq!(zone("europe/sofia").name(), "Europe/Sofia");
        for bad in ["", "Mars/Olympus", "+02:00", "EST5EDT,M3.2.0,M11.1.0", "../etc/passwd", "Europe/Sofia "] {
            if bad.trim() == "Europe/Sofia" {
                assert!(Zone::parse(bad).is_ok());
            } else {
                assert_eq!(Zone::parse(bad), Err(ZoneError::Unknown), "{bad:?}");
            }
        }
    }

    #[test]
    fn the_zones_to_choose_from_are_the_regions_and_utc() {
        let names = Zone::names();
        for name in ["Europe/Sofia", "Europe/Warsaw", "America/New_York", "Asia/Shanghai", "UTC"] {
            assert!(names.contains(&name.to_string()), "{name}");
        }
        assert!(!names.contains(&"US/Eastern".to_string()));
        assert!(names.iter().all(|n| Zone::parse(n).is_ok()));
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward_and_a_doubled_one_is_the_first() {
        let sofia = zone("Europe/Sofia");
        // 29 March 2026: 03:00 EET becomes 04:00 EEST.
        assert_eq!(sofia.instant(datetime!(2026-03-29 03:30)), datetime!(2026-03-29 01:30 UTC));
        assert_eq!(sofia.local(datetime!(2026-03-29 01:30 UTC)), datetime!(2026-03-29 04:30));
        // 25 October 2026: 04:00 EEST becomes 03:00 EET; 03:30 happens twice.
        assert_eq!(sofia.instant(datetime!(2026-10-25 03:30)), datetime!(2026-10-25 00:30 UTC));
        let york = zone("America/New_York");
        assert_eq!(york.instant(datetime!(2026-03-08 02:30)), datetime!(2026-03-08 07:30 UTC));
        assert_eq!(york.instant(datetime!(2026-11-01 01:30)), datetime!(2026-11-01 05:30 UTC));
        assert_eq!(york.offset(datetime!(2026-07-01 12:00 UTC)), offset!(-4));
    }

    #[test]
    fn transitions_are_listed_in_order_and_shanghai_has_none() {
        let warsaw = zone("Europe/Warsaw");
        let changes = warsaw.transitions(datetime!(2026-01-01 00:00 UTC), datetime!(2026-12-31 00:00 UTC));
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].at, datetime!(2026-03-29 01:00 UTC));
        assert_eq!((changes[0].offset_before, changes[0].offset_after), (offset!(+1), offset!(+2)));
        assert!(changes[0].daylight && !changes[1].daylight);
        assert_eq!(changes[1].abbreviation, "CET");
        let shanghai = zone("Asia/Shanghai");
        assert!(shanghai.transitions(datetime!(2000-01-01 00:00 UTC), datetime!(2040-01-01 00:00 UTC)).is_empty());
        assert_eq!(shanghai.offset(datetime!(2026-07-01 00:00 UTC)), offset!(+8));
    }
}
