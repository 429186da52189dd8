//! Times as the pages take them — a date and a time of day on London's
//! clock — and as the operations take them: instants (UTC) or London's
//! wall clock.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;

use crate::kernel::error::FieldError;

/// A date field's value (`YYYY-MM-DD`), or its error.
pub fn date(value: &str, field: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "must be a real date, like 9 March 2027"))
}

/// A time field's value (`HH:MM`, or with seconds), or its error.
pub fn time(value: &str, field: &str) -> Result<NaiveTime, FieldError> {
    let value = value.trim();
    NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .map_err(|_| FieldError::new(field, "must be a time of day, like 10:00 or 14:30"))
}

/// London's wall clock at that date and time.
pub fn local(day: NaiveDate, at: NaiveTime) -> NaiveDateTime {
    day.and_time(at)
}

/// The instant London's clock shows that date and time (the earlier, in
/// the hour the clocks go back), or the error of the time's field for a
/// time the clocks skip.
pub fn instant(local: NaiveDateTime, field: &str) -> Result<DateTime<Utc>, FieldError> {
    London
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "is in the hour the clocks skip when they go forward; choose another time",
            )
        })
}

/// The London date and time of an instant, as the date and time fields
/// show them.
pub fn fields_of(at: DateTime<Utc>) -> (String, String) {
    let local = at.with_timezone(&London);
    (
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_in_the_morning_is_ten_in_winter_and_nine_utc_in_summer() {
        let winter = local(
            date("2027-02-09", "d").expect("a date"),
            time("10:00", "t").expect("a time"),
        );
        let summer = local(
            date("2027-04-13", "d").expect("a date"),
            time("10:00:00", "t").expect("a time"),
        );
        assert_eq!(
            instant(winter, "t").expect("real").to_rfc3339(),
            "2027-02-09T10:00:00+00:00"
        );
        assert_eq!(
            instant(summer, "t").expect("real").to_rfc3339(),
            "2027-04-13T09:00:00+00:00"
        );
        assert_eq!(
            fields_of(instant(summer, "t").expect("real")),
            ("2027-04-13".to_string(), "10:00".to_string())
        );
    }

    #[test]
    fn a_time_the_clocks_skip_and_text_that_is_no_time_are_refused() {
        let skipped = local(
            date("2027-03-28", "d").expect("a date"),
            time("01:30", "t").expect("a time"),
        );
        assert_eq!(
            instant(skipped, "starts_at").expect_err("skipped").field,
            "starts_at"
        );
        assert_eq!(
            date("2027-02-30", "date").expect_err("no such day").field,
            "date"
        );
        assert_eq!(
            time("10am", "starts_at").expect_err("not HH:MM").field,
            "starts_at"
        );
    }
}
