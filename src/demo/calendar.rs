//! The demo's dates, all reckoned from the `now` it is seeded at, so that
//! it never goes stale: each forum meets quarterly on a weekday morning on
//! London's clock, its meetings are named for their month, and its
//! region's current plan is the one for the financial year of today.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;

/// Meetings held, oldest first.
pub const HELD: usize = 5;
/// Meetings to come.
pub const UPCOMING: usize = 2;

/// A forum's meetings: those it has held and those to come.
pub struct Calendar {
    /// Oldest first, the last one about three months ago.
    pub held: [NaiveDate; HELD],
    /// The next meeting (two to six weeks away) and the one after.
    pub upcoming: [NaiveDate; UPCOMING],
}

/// The quarterly calendar of the `index`th region: it meets on a Tuesday,
/// Wednesday or Thursday (its own, so that the regions do not all meet on
/// one day), its next meeting on the first such day 12 + 2 × `index` days
/// from today or later, the others 13 weeks apart — each moved a week on
/// when it would fall in the Christmas fortnight.
pub fn quarterly(today: NaiveDate, index: usize) -> Calendar {
    let weekday = [Weekday::Tue, Weekday::Wed, Weekday::Thu][index % 3];
    let days = 12 + 2 * i64::try_from(index).unwrap_or(0);
    let next = on_or_after(today + Duration::days(days), weekday);
    let quarter = Duration::weeks(13);
    let held = std::array::from_fn(|k| {
        let back = i32::try_from(HELD - k).unwrap_or(1);
        clear_of_christmas(next - quarter * back)
    });
    let upcoming =
        std::array::from_fn(|k| clear_of_christmas(next + quarter * i32::try_from(k).unwrap_or(0)));
    Calendar { held, upcoming }
}

/// The first day on or after `day` that is a `weekday`.
fn on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
    day + Duration::days(i64::from(ahead))
}

/// Whether nobody would come: 20 December to 4 January.
pub fn in_christmas_fortnight(day: NaiveDate) -> bool {
    (day.month() == 12 && day.day() >= 20) || (day.month() == 1 && day.day() <= 4)
}

/// The day, or a week later until it is clear of the Christmas fortnight.
fn clear_of_christmas(mut day: NaiveDate) -> NaiveDate {
    while in_christmas_fortnight(day) {
        day += Duration::weeks(1);
    }
    day
}

/// That day at `hour`:`minute` on London's clock (GMT or BST).
pub fn london(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    London
        .from_local_datetime(&local)
        .earliest()
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

/// A meeting's title, named for its month: "Quarterly forum – March 2027".
pub fn title(day: NaiveDate) -> String {
    format!("Quarterly forum – {}", month_year(day))
}

/// "March 2027".
pub fn month_year(day: NaiveDate) -> String {
    day.format("%B %Y").to_string()
}

/// "9 March 2027".
pub fn date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// "Tuesday 9 March 2027", as the minutes write a meeting's date.
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// The financial year (April to March) that `today` falls in.
pub struct FinancialYear {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl FinancialYear {
    pub fn of(today: NaiveDate) -> Self {
        let start = if today.month() >= 4 {
            today.year()
        } else {
            today.year() - 1
        };
        Self::starting(start)
    }

    fn starting(year: i32) -> Self {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        Self {
            first_day: day(year, 4, 1),
            last_day: day(year + 1, 3, 31),
        }
    }

    /// The year before this one.
    pub fn previous(&self) -> Self {
        Self::starting(self.first_day.year() - 1)
    }

    /// As plans name their period: "2026-27".
    pub fn period(&self) -> String {
        let start = self.first_day.year();
        format!("{start}-{:02}", (start + 1) % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_forum_meets_quarterly_midweek_clear_of_christmas_with_the_next_meeting_weeks_away() {
        // Every day of a year, so that every season and Christmas is met.
        for offset in 0..366 {
            let today = day(2026, 1, 1) + Duration::days(offset);
            for index in 0..12 {
                let c = quarterly(today, index);
                let all: Vec<NaiveDate> = c.held.iter().chain(&c.upcoming).copied().collect();
                for pair in all.windows(2) {
                    let apart = pair[1] - pair[0];
                    assert!(apart >= Duration::weeks(10) && apart <= Duration::weeks(16));
                }
                for d in &all {
                    assert!(
                        matches!(d.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu),
                        "{d}"
                    );
                    assert!(!in_christmas_fortnight(*d), "{d}");
                }
                let ahead = c.upcoming[0] - today;
                assert!(
                    ahead >= Duration::days(12) && ahead <= Duration::days(63),
                    "{ahead}"
                );
                // Long enough ago for its minutes to be approved, its poll closed
                // and an action it agreed to fall overdue.
                assert!(
                    c.held[HELD - 1] < today - Duration::days(28),
                    "{today} {index}"
                );
            }
        }
    }

    #[test]
    fn a_meeting_is_named_for_its_month() {
        assert_eq!(title(day(2027, 3, 9)), "Quarterly forum – March 2027");
        assert_eq!(long_date(day(2027, 3, 9)), "Tuesday 9 March 2027");
    }

    #[test]
    fn ten_o_clock_in_london_is_ten_in_winter_and_nine_in_summer_utc() {
        assert_eq!(
            london(day(2027, 1, 12), 10, 0).to_rfc3339(),
            "2027-01-12T10:00:00+00:00"
        );
        assert_eq!(
            london(day(2027, 6, 8), 10, 0).to_rfc3339(),
            "2027-06-08T09:00:00+00:00"
        );
    }

    #[test]
    fn the_financial_year_runs_from_april_to_march() {
        assert_eq!(FinancialYear::of(day(2026, 12, 7)).period(), "2026-27");
        assert_eq!(FinancialYear::of(day(2027, 3, 31)).period(), "2026-27");
        assert_eq!(FinancialYear::of(day(2027, 4, 1)).period(), "2027-28");
        assert_eq!(FinancialYear::of(day(2099, 5, 1)).period(), "2099-00");
        let year = FinancialYear::of(day(2026, 12, 7));
        assert_eq!(year.first_day, day(2026, 4, 1));
        assert_eq!(year.last_day, day(2027, 3, 31));
        assert_eq!(year.previous().period(), "2025-26");
    }
}
