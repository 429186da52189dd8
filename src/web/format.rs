//! Dates and times as GOV.UK writes them, on London's clock: "Tuesday 9
//! March 2027, 10am", "10:30am", "midday".

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use crate::web::components;
use chrono_tz::Europe::London;

/// A date and time on London's clock: "Tuesday 9 March 2027, 10am".
pub fn date_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&London);
    format!(
        "{}, {}",
        local.format("%A %-d %B %Y"),
        time(local.hour(), local.minute())
    )
}

/// A time and its date on London's clock, the time first: "10am on
/// Tuesday 9 March 2027" (what happened at a moment, "changed at …").
pub fn time_on_date(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&London);
    format!(
        "{} on {}",
        time(local.hour(), local.minute()),
        local.format("%A %-d %B %Y")
    )
}

/// Whole pounds with thousands separated: "£12,500" (pence rounded down).
pub fn pounds(pence: i64) -> String {
    let digits = (pence / 100).abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if pence < 0 {
        format!("-£{out}")
    } else {
        format!("£{out}")
    }
}

/// A share as a whole percentage, "42%"; `None` when there is nothing to
/// share.
pub fn percent(share: Option<f64>) -> Option<String> {
    share.map(|s| format!("{:.0}%", s * 100.0))
}

/// A date as GOV.UK writes it: "9 March 2027".
pub fn date(on: chrono::NaiveDate) -> String {
    on.format("%-d %B %Y").to_string()
}

/// Plain text as paragraphs, split at blank lines (markdown is not
/// rendered yet).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// How a deadline stands today, as the design system's tag: "3 days
/// overdue" in red, "Due today" in orange, "Due in 5 days" in blue.
pub fn due(text: &crate::web::i18n::Text, on: NaiveDate, today: NaiveDate) -> components::Tag {
    let days = (on - today).num_days();
    let (message, classes) = match days {
        d if d < 0 => (
            text.count("due-overdue", d.unsigned_abs()),
            "govuk-tag--red",
        ),
        0 => (text.get("due-today"), "govuk-tag--orange"),
        d => (text.count("due-in", d.unsigned_abs()), "govuk-tag--blue"),
    };
    components::Tag {
        text: message,
        classes: Some(classes.to_string()),
    }
}

/// The time of day on London's clock: "10am", "12:30pm", "midday".
pub fn clock(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&London);
    time(local.hour(), local.minute())
}

/// A time of day: "10am", "10:30am", "midday", "midnight".
fn time(hour: u32, minute: u32) -> String {
    match (hour, minute) {
        (0, 0) => "midnight".to_string(),
        (12, 0) => "midday".to_string(),
        _ => {
            let suffix = if hour < 12 { "am" } else { "pm" };
            let twelve = match hour % 12 {
                0 => 12,
                h => h,
            };
            if minute == 0 {
                format!("{twelve}{suffix}")
            } else {
                format!("{twelve}:{minute:02}{suffix}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_time_is_written_on_london_s_clock_the_gov_uk_way() {
        let winter = Utc
            .with_ymd_and_hms(2027, 3, 9, 10, 0, 0)
            .single()
            .expect("a time");
        let summer = Utc
            .with_ymd_and_hms(2027, 7, 13, 9, 30, 0)
            .single()
            .expect("a time");
        assert_eq!(date_time(winter), "Tuesday 9 March 2027, 10am");
        assert_eq!(date_time(summer), "Tuesday 13 July 2027, 10:30am");
        assert_eq!(time_on_date(summer), "10:30am on Tuesday 13 July 2027");
    }

    #[test]
    fn money_and_shares_are_written_for_people() {
        assert_eq!(pounds(125_000_000), "£1,250,000");
        assert_eq!(pounds(99), "£0");
        assert_eq!(percent(Some(0.424)), Some("42%".to_string()));
        assert_eq!(percent(None), None);
    }

    #[test]
    fn a_deadline_is_told_as_days_overdue_or_to_go() {
        let text = crate::web::i18n::Text::default();
        let today = NaiveDate::from_ymd_opt(2027, 3, 9).expect("a date");
        let tag = |days: i64| due(&text, today + chrono::Duration::days(days), today);
        assert_eq!(tag(-1).text, "1 day overdue");
        assert_eq!(tag(-3).text, "3 days overdue");
        assert_eq!(tag(0).text, "Due today");
        assert_eq!(tag(1).text, "Due tomorrow");
        assert_eq!(tag(5).text, "Due in 5 days");
        assert_eq!(tag(-3).classes.as_deref(), Some("govuk-tag--red"));
    }

    #[test]
    fn noon_and_midnight_have_their_names() {
        assert_eq!(time(12, 0), "midday");
        assert_eq!(time(0, 0), "midnight");
        assert_eq!(time(0, 15), "12:15am");
        assert_eq!(time(13, 5), "1:05pm");
    }
}
