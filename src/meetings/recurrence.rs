//! Recurrence rules of meeting series: the RFC 5545 subset forums use —
//! `FREQ=WEEKLY|MONTHLY`, `INTERVAL`, `BYDAY` (with ordinals: `2TU`,
//! `-1TH`), `BYMONTHDAY`, and `COUNT` or `UNTIL` — expanded by the `rrule`
//! crate on London's wall clock, so that a 10:00 meeting stays at 10:00
//! when the clocks change.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use rrule::{RRule, RRuleSet, Tz, Unvalidated};

/// The parts a rule may have.
const SUPPORTED: [&str; 6] = ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"];
/// The most occurrences one series may have, and make at once.
pub const MAX_OCCURRENCES: u16 = 120;

/// A rule checked against the subset, with its start on London's clock.
#[derive(Clone)]
pub struct Recurrence {
    set: RRuleSet,
}

/// Why a rule is refused: the part at fault, and what is wrong with it.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleError {
    pub part: String,
    pub message: String,
}

/// The part a [`RuleError`] names when the rule is sound but its start is not.
const START: &str = "starts_at_local";

impl RuleError {
    /// The request field at fault: the start, when it is a time London's
    /// clock never shows; otherwise the rule.
    pub fn field(&self) -> &'static str {
        if self.part == START { START } else { "rrule" }
    }

    /// What is wrong, worded for [`Self::field`].
    pub fn describe(&self) -> String {
        if self.part == START {
            self.message.clone()
        } else {
            format!("{} {}", self.part, self.message)
        }
    }
}

fn refuse(part: &str, message: impl Into<String>) -> RuleError {
    RuleError {
        part: part.to_string(),
        message: message.into(),
    }
}

impl Recurrence {
    /// Checks `rule` (an RRULE value, without `RRULE:`) from `start`, a
    /// wall-clock time in London.
    pub fn new(rule: &str, start: NaiveDateTime) -> Result<Self, RuleError> {
        let rule = rule.trim().trim_start_matches("RRULE:");
        let mut bounded = false;
        for part in rule.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| refuse(part, "is not NAME=VALUE"))?;
            let name = name.to_ascii_uppercase();
            if !SUPPORTED.contains(&name.as_str()) {
                return Err(refuse(
                    &name,
                    "is not supported (FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL are)",
                ));
            }
            match name.as_str() {
                "FREQ" if !matches!(value.to_ascii_uppercase().as_str(), "WEEKLY" | "MONTHLY") => {
                    return Err(refuse("FREQ", "must be WEEKLY or MONTHLY"));
                }
                "COUNT" => {
                    let count: u16 = value
                        .parse()
                        .map_err(|_| refuse("COUNT", "must be a whole number"))?;
                    if !(1..=MAX_OCCURRENCES).contains(&count) {
                        return Err(refuse(
                            "COUNT",
                            format!("must be between 1 and {MAX_OCCURRENCES}"),
                        ));
                    }
                    bounded = true;
                }
                "UNTIL" => bounded = true,
                _ => {}
            }
        }
        if !rule.to_ascii_uppercase().contains("FREQ=") {
            return Err(refuse("FREQ", "is required"));
        }
        if !bounded {
            return Err(refuse("COUNT", "or UNTIL is required: a series must end"));
        }
        let parsed: RRule<Unvalidated> = rule
            .parse()
            .map_err(|err: rrule::RRuleError| refuse("RRULE", err.to_string()))?;
        let london: Tz = chrono_tz::Europe::London.into();
        let start = london
            .from_local_datetime(&start)
            .earliest()
            .ok_or_else(|| {
                refuse(
                    START,
                    "is in the hour London's clocks skip when they go forward, so it never \
                     happens; choose a time outside it",
                )
            })?;
        let set = parsed
            .build(start)
            .map_err(|err| refuse("RRULE", err.to_string()))?;
        Ok(Self { set })
    }

    /// The starts of the occurrences from `from` up to `until`, as instants.
    /// Errs when the rule would give more than [`MAX_OCCURRENCES`].
    pub fn between(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, RuleError> {
        self.collect(from, until, MAX_OCCURRENCES)
    }

    /// The occurrences from the first up to (not including) `before`: at
    /// most a few thousand, as rules end within decades.
    pub fn starts_before(&self, before: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, RuleError> {
        // The crate's bounds are inclusive; starts are whole seconds.
        let first = self.set.get_dt_start().with_timezone(&Utc);
        let second = chrono::Duration::seconds(1);
        self.collect(first - second, before - second, u16::MAX)
    }

    fn collect(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u16,
    ) -> Result<Vec<DateTime<Utc>>, RuleError> {
        let utc: Tz = Utc.into();
        let found = self
            .set
            .clone()
            .after(from.with_timezone(&utc))
            .before(until.with_timezone(&utc))
            .all(limit);
        if found.limited {
            return Err(refuse("RRULE", format!("gives more than {limit} meetings")));
        }
        Ok(found
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&Utc))
            .collect())
    }

    /// The rule as RFC 5545 writes it (`RRULE` content), for calendars.
    pub fn rule_text(&self) -> String {
        self.set
            .get_rrule()
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

/// `rule` with its end replaced: its `COUNT` and `UNTIL` parts dropped and
/// `end` (a `COUNT=…` or `UNTIL=…` part) put in their place.
pub fn with_end(rule: &str, end: &str) -> String {
    let mut parts: Vec<&str> = rule
        .trim()
        .trim_start_matches("RRULE:")
        .split(';')
        .filter(|part| {
            let name = part.split('=').next().unwrap_or_default();
            !part.is_empty()
                && !name.eq_ignore_ascii_case("COUNT")
                && !name.eq_ignore_ascii_case("UNTIL")
        })
        .collect();
    parts.push(end);
    parts.join(";")
}

/// `rule` ending at `last`, its last occurrence (an instant: UTC, as RFC
/// 5545 requires of `UNTIL` when the start has a time zone).
pub fn until(rule: &str, last: DateTime<Utc>) -> String {
    with_end(rule, &format!("UNTIL={}", last.format("%Y%m%dT%H%M%SZ")))
}

/// `rule` with `count` occurrences.
pub fn count(rule: &str, count: usize) -> String {
    with_end(rule, &format!("COUNT={count}"))
}

/// How many occurrences `rule` has, when it is ended by a number (rather
/// than a date).
pub fn count_of(rule: &str) -> Option<usize> {
    rule.split(';').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        name.eq_ignore_ascii_case("COUNT")
            .then(|| value.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate, Timelike};
    use chrono_tz::Europe::London;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(h, 0, 0))
            .expect("a time")
    }

    fn all(rule: &str, start: NaiveDateTime) -> Vec<DateTime<Utc>> {
        Recurrence::new(rule, start)
            .expect("a rule")
            .between(
                "2000-01-01T00:00:00Z".parse().expect("a time"),
                "2100-01-01T00:00:00Z".parse().expect("a time"),
            )
            .expect("occurrences")
    }

    #[test]
    fn ten_o_clock_stays_ten_o_clock_across_the_clock_changes() {
        // Weekly on Sundays from 22 March 2026: across 29 March (clocks
        // forward) and, from 18 October, across 25 October (clocks back).
        for start in [at(2026, 3, 22, 10), at(2026, 10, 18, 10)] {
            let dates = all("FREQ=WEEKLY;BYDAY=SU;COUNT=3", start);
            assert_eq!(dates.len(), 3);
            for date in &dates {
                assert_eq!(date.with_timezone(&London).hour(), 10, "{date}");
            }
            assert_ne!(
                dates[0].hour(),
                dates[2].hour(),
                "UTC moved, London did not"
            );
        }
    }

    #[test]
    fn the_second_tuesday_and_the_last_thursday_of_each_month() {
        let second_tuesdays = all("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", at(2027, 1, 1, 10));
        let days: Vec<u32> = second_tuesdays
            .iter()
            .map(|d| d.with_timezone(&London).day())
            .collect();
        assert_eq!(days, [12, 9, 9]);
        let last_thursdays = all(
            "FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20270401T000000Z",
            at(2027, 1, 1, 14),
        );
        assert_eq!(last_thursdays.len(), 3);
        assert_eq!(
            last_thursdays[2].with_timezone(&London).date_naive(),
            NaiveDate::from_ymd_opt(2027, 3, 25).expect("a day")
        );
    }

    #[test]
    fn a_rule_is_ended_by_a_date_or_a_count_in_place_of_its_own() {
        let last: DateTime<Utc> = "2027-03-09T10:00:00Z".parse().expect("a time");
        assert_eq!(
            until("FREQ=MONTHLY;COUNT=6;BYDAY=2TU", last),
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270309T100000Z"
        );
        assert_eq!(
            count("RRULE:FREQ=WEEKLY;until=20280101T000000Z;INTERVAL=2", 3),
            "FREQ=WEEKLY;INTERVAL=2;COUNT=3"
        );
        assert_eq!(count_of("FREQ=WEEKLY;count=3"), Some(3));
        assert_eq!(count_of("FREQ=WEEKLY;UNTIL=20280101T000000Z"), None);
        // The ended rule gives the same meetings up to its end, and no more.
        let rule = "FREQ=MONTHLY;BYDAY=2TU;COUNT=6";
        let ended = until(rule, last);
        let start = at(2027, 1, 1, 10);
        assert_eq!(all(&ended, start), all(rule, start)[..3]);
        let before = Recurrence::new(rule, start)
            .expect("a rule")
            .starts_before("2027-03-09T10:00:00Z".parse().expect("a time"))
            .expect("occurrences");
        assert_eq!(before, all(rule, start)[..2]);
    }

    #[test]
    fn unsupported_and_unbounded_rules_are_refused_naming_the_part() {
        let start = at(2027, 1, 1, 10);
        let part = |rule: &str| Recurrence::new(rule, start).err().map(|e| e.part);
        assert_eq!(part("FREQ=DAILY;COUNT=3").as_deref(), Some("FREQ"));
        assert_eq!(
            part("FREQ=WEEKLY;BYHOUR=9;COUNT=3").as_deref(),
            Some("BYHOUR")
        );
        assert_eq!(part("FREQ=MONTHLY;BYDAY=2TU").as_deref(), Some("COUNT"));
        assert_eq!(part("FREQ=WEEKLY;COUNT=500").as_deref(), Some("COUNT"));
        assert_eq!(part("COUNT=3").as_deref(), Some("FREQ"));
        assert_eq!(
            part("FREQ=WEEKLY;BYDAY=XX;COUNT=3").as_deref(),
            Some("RRULE")
        );
        assert!(part("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15;COUNT=4").is_none());
    }
}
