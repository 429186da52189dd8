//! A series' rule from plain choices — "every month on the second
//! Tuesday", "every month on day 15", "every 2 weeks on Thursday", ending
//! after a number of meetings or on a date — as the RRULE the series
//! takes. The pages offer the choices; the rule, not the choices, is what
//! is kept, so the API and the pages schedule the same series.

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use serde::Deserialize;

use crate::kernel::error::{ApiError, FieldError};

/// The choices as a form sends them: text, any of which may be wrong.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PlainChoices {
    /// `monthly-weekday`, `monthly-day` or `weekly`.
    pub repeat: String,
    /// `1`–`4`, or `-1` for the last (with `monthly-weekday`).
    pub ordinal: String,
    /// `MO` … `SU` (with `monthly-weekday`).
    pub weekday: String,
    /// `MO` … `SU` (with `weekly`).
    pub weekly_day: String,
    /// `1`–`28` (with `monthly-day`).
    pub month_day: String,
    /// Every how many weeks, `1`–`4` (with `weekly`).
    pub interval: String,
    /// `after` (a number of meetings) or `on` (a date).
    pub ends: String,
    pub count: String,
    /// `YYYY-MM-DD`, the last day a meeting may fall on.
    pub until: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// The `ordinal`th (−1: last) `weekday` of every month.
    MonthlyByWeekday { ordinal: i8, weekday: &'static str },
    /// The same day of every month.
    MonthlyByDay { day: u8 },
    /// Every `interval` weeks on `weekday`.
    Weekly { interval: u8, weekday: &'static str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    After(u16),
    /// No meeting after this day (London's).
    On(NaiveDate),
}

pub const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
pub const ORDINALS: [i8; 5] = [1, 2, 3, 4, -1];

/// The RRULE of a pattern and its end.
pub fn rrule(pattern: Pattern, end: End) -> String {
    let repeat = match pattern {
        Pattern::MonthlyByWeekday { ordinal, weekday } => {
            format!("FREQ=MONTHLY;BYDAY={ordinal}{weekday}")
        }
        Pattern::MonthlyByDay { day } => format!("FREQ=MONTHLY;BYMONTHDAY={day}"),
        Pattern::Weekly {
            interval: 1,
            weekday,
        } => format!("FREQ=WEEKLY;BYDAY={weekday}"),
        Pattern::Weekly { interval, weekday } => {
            format!("FREQ=WEEKLY;INTERVAL={interval};BYDAY={weekday}")
        }
    };
    let end = match end {
        End::After(count) => format!("COUNT={count}"),
        // The end of that day on London's clock, as an instant (RFC 5545
        // wants UNTIL in UTC when the start has a time zone).
        End::On(day) => {
            let last = day.and_time(NaiveTime::MIN) + Duration::days(1) - Duration::seconds(1);
            let instant = London
                .from_local_datetime(&last)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&last), |t| t.with_timezone(&Utc));
            format!("UNTIL={}", instant.format("%Y%m%dT%H%M%SZ"))
        }
    };
    format!("{repeat};{end}")
}

impl PlainChoices {
    /// The rule the choices make, or every choice that is wrong (422,
    /// naming the form's fields).
    pub fn rule(&self) -> Result<String, ApiError> {
        let mut errors = Vec::new();
        let mut wrong = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        let day_of = |value: &str| WEEKDAYS.iter().copied().find(|d| *d == value);
        let pattern = match self.repeat.as_str() {
            "monthly-weekday" => {
                let ordinal = self.ordinal.parse().ok().filter(|o| ORDINALS.contains(o));
                if ordinal.is_none() {
                    wrong("ordinal", "must be first, second, third, fourth or last");
                }
                let weekday = day_of(&self.weekday);
                if weekday.is_none() {
                    wrong("weekday", "must be a day of the week");
                }
                ordinal
                    .zip(weekday)
                    .map(|(ordinal, weekday)| Pattern::MonthlyByWeekday { ordinal, weekday })
            }
            "monthly-day" => {
                let day = self
                    .month_day
                    .trim()
                    .parse()
                    .ok()
                    .filter(|d| (1..=28).contains(d));
                if day.is_none() {
                    wrong(
                        "month_day",
                        "must be a day from 1 to 28, which every month has",
                    );
                }
                day.map(|day| Pattern::MonthlyByDay { day })
            }
            "weekly" => {
                let interval = self.interval.parse().ok().filter(|i| (1..=4).contains(i));
                if interval.is_none() {
                    wrong("interval", "must be every 1, 2, 3 or 4 weeks");
                }
                let weekday = day_of(&self.weekly_day);
                if weekday.is_none() {
                    wrong("weekly_day", "must be a day of the week");
                }
                interval
                    .zip(weekday)
                    .map(|(interval, weekday)| Pattern::Weekly { interval, weekday })
            }
            _ => {
                wrong("repeat", "must be chosen");
                None
            }
        };
        let end =
            match self.ends.as_str() {
                "after" => {
                    let count =
                        self.count.trim().parse().ok().filter(|c| {
                            (1..=super::super::recurrence::MAX_OCCURRENCES).contains(c)
                        });
                    if count.is_none() {
                        wrong("count", "must be a whole number from 1 to 120");
                    }
                    count.map(End::After)
                }
                "on" => {
                    let day = NaiveDate::parse_from_str(self.until.trim(), "%Y-%m-%d").ok();
                    if day.is_none() {
                        wrong("until", "must be a real date");
                    }
                    day.map(End::On)
                }
                _ => {
                    wrong("ends", "must be chosen");
                    None
                }
            };
        match (pattern, end) {
            (Some(pattern), Some(end)) if errors.is_empty() => Ok(rrule(pattern, end)),
            _ => Err(ApiError::Validation(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a day")
    }

    #[test]
    fn every_month_on_the_second_tuesday_for_six_meetings() {
        let pattern = Pattern::MonthlyByWeekday {
            ordinal: 2,
            weekday: "TU",
        };
        assert_eq!(
            rrule(pattern, End::After(6)),
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=6"
        );
        let last = Pattern::MonthlyByWeekday {
            ordinal: -1,
            weekday: "TH",
        };
        assert_eq!(
            rrule(last, End::After(3)),
            "FREQ=MONTHLY;BYDAY=-1TH;COUNT=3"
        );
    }

    #[test]
    fn every_month_on_day_15_and_every_2_weeks_on_thursday() {
        assert_eq!(
            rrule(Pattern::MonthlyByDay { day: 15 }, End::After(4)),
            "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=4"
        );
        let fortnightly = Pattern::Weekly {
            interval: 2,
            weekday: "TH",
        };
        assert_eq!(
            rrule(fortnightly, End::After(5)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=5"
        );
        let weekly = Pattern::Weekly {
            interval: 1,
            weekday: "MO",
        };
        assert_eq!(rrule(weekly, End::After(2)), "FREQ=WEEKLY;BYDAY=MO;COUNT=2");
    }

    #[test]
    fn ending_on_a_date_takes_in_the_whole_of_that_london_day() {
        let pattern = Pattern::MonthlyByDay { day: 15 };
        // Summer: London is an hour ahead, so the day ends at 22:59:59 UTC.
        assert_eq!(
            rrule(pattern, End::On(day(2027, 7, 15))),
            "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270715T225959Z"
        );
        assert_eq!(
            rrule(pattern, End::On(day(2027, 1, 15))),
            "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270115T235959Z"
        );
    }

    #[test]
    fn the_rules_made_are_ones_the_series_takes() {
        use crate::meetings::recurrence::Recurrence;
        let start = day(2027, 2, 1).and_hms_opt(10, 0, 0).expect("a time");
        for pattern in [
            Pattern::MonthlyByWeekday {
                ordinal: -1,
                weekday: "FR",
            },
            Pattern::MonthlyByDay { day: 28 },
            Pattern::Weekly {
                interval: 3,
                weekday: "SU",
            },
        ] {
            for end in [End::After(120), End::On(day(2027, 12, 31))] {
                let rule = rrule(pattern, end);
                assert!(Recurrence::new(&rule, start).is_ok(), "{rule}");
            }
        }
    }

    #[test]
    fn wrong_choices_are_named_by_their_fields() {
        let fields = |choices: PlainChoices| match choices.rule() {
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("refused, not {other:?}"),
        };
        let nothing: Vec<String> = fields(PlainChoices::default());
        assert_eq!(nothing, ["repeat", "ends"]);
        let monthly = PlainChoices {
            repeat: "monthly-day".into(),
            month_day: "31".into(),
            ends: "after".into(),
            count: "121".into(),
            ..PlainChoices::default()
        };
        assert_eq!(fields(monthly), ["month_day", "count"]);
        let weekly = PlainChoices {
            repeat: "weekly".into(),
            interval: "2".into(),
            weekly_day: "XX".into(),
            ends: "on".into(),
            until: "2027-02-30".into(),
            ..PlainChoices::default()
        };
        assert_eq!(fields(weekly), ["weekly_day", "until"]);
        let good = PlainChoices {
            repeat: "monthly-weekday".into(),
            ordinal: "2".into(),
            weekday: "TU".into(),
            ends: "after".into(),
            count: " 6 ".into(),
            ..PlainChoices::default()
        };
        assert_eq!(
            good.rule().expect("a rule"),
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=6"
        );
    }
}
