//! The series form: its preview's dates in London time, what it refuses,
//! and a series changed from one of its meetings on.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};

use super::*;
use crate::support::pages::text;

#[tokio::test]
async fn secretary_previews_a_monthly_series_in_london_time_then_schedules_exactly_those_dates() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let new = format!("/forums/{}/series/new", fx.forum);
    let february = next_february(app.state.clock.now());

    let preview = submit(
        &mut browser,
        &new,
        &new,
        &series_choices(&february.to_string(), "preview"),
    )
    .await;

    preview.assert_status(StatusCode::OK);
    let html = text(&preview);
    assert!(html.contains("<h1 class=\"govuk-heading-l\">Check the meetings"));
    let year = february.year();
    let shown: Vec<String> = [2, 3, 4, 5, 6, 7]
        .into_iter()
        .map(|month| {
            format!(
                "{}, 10am",
                second_tuesday(year, month).format("%A %-d %B %Y")
            )
        })
        .collect();
    for date in &shown {
        assert!(html.contains(date), "{date} in {html}");
    }
    assert!(
        forum_meetings(&app, &fx).await.is_empty(),
        "a preview saves nothing"
    );
    let changing = submit(
        &mut browser,
        &new,
        &new,
        &series_choices(&february.to_string(), "change"),
    )
    .await;
    changing.assert_status(StatusCode::OK);
    let html = text(&changing);
    assert!(html.contains("Schedule a series of meetings"));
    assert!(
        html.contains(&format!("value=\"{february}\"")),
        "the choices come back"
    );
    assert!(html.contains("value=\"6\""));

    let saved = submit(
        &mut browser,
        &new,
        &new,
        &series_choices(&february.to_string(), "save"),
    )
    .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(format!("/forums/{}/meetings?done=series", fx.forum).as_str())
    );
    let made: Vec<(NaiveDate, String)> = forum_meetings(&app, &fx)
        .await
        .iter()
        .map(london_hour)
        .collect();
    let expected: Vec<(NaiveDate, String)> = (2..=7)
        .map(|month| (second_tuesday(year, month), "10:00".to_string()))
        .collect();
    assert_eq!(made, expected, "after the clocks go forward too");
}

#[tokio::test]
async fn the_series_form_keeps_wrong_choices_and_names_each_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let new = format!("/forums/{}/series/new", fx.forum);
    let mut choices = series_choices("2020-02-30", "preview");
    for (name, value) in &mut choices {
        match *name {
            "title" => *value = String::new(),
            "repeat" => *value = "monthly-day".into(),
            "month_day" => *value = "31".into(),
            "count" => *value = "many".into(),
            _ => {}
        }
    }

    let refused = submit(&mut browser, &new, &new, &choices).await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(html.contains("govuk-error-summary"));
    for anchor in ["#starts_on", "#month_day", "#count"] {
        assert!(html.contains(&format!("href=\"{anchor}\"")), "{anchor}");
    }
    assert!(html.contains("value=\"31\""), "what was typed is kept");
    assert!(html.contains("value=\"many\""));
    assert!(forum_meetings(&app, &fx).await.is_empty());

    // Right choices, but no title: the operation's own refusal.
    let mut untitled = series_choices(&next_february(app.state.clock.now()).to_string(), "preview");
    untitled[0].1 = String::new();
    let refused = submit(&mut browser, &new, &new, &untitled).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("href=\"#title\""));
}

#[tokio::test]
async fn this_and_following_moves_the_rest_of_the_series_to_the_new_time() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let february = next_february(app.state.clock.now());
    let series = api_series(&app, &fx, february).await;
    let third = series["meetings"][2]["meeting_id"]
        .as_str()
        .expect("a third")
        .to_string();
    let edit = format!("/forums/{}/meetings/{third}/edit", fx.forum);
    let mut browser = signed_in(&app, &fx.secretary).await;
    let opened = text(&browser.get(&edit).await);
    assert!(opened.contains("This meeting and the following meetings of its series"));
    assert!(opened.contains("name=\"series_version\" value=\"1\""));
    let april = second_tuesday(february.year(), 4);
    let mut typed = meeting_fields("KSS forum", &april.to_string(), "14:00", "16:00");
    typed.extend([
        ("version", "1".to_string()),
        ("series_version", "1".to_string()),
        ("scope", "following".to_string()),
    ]);

    let changed = submit(&mut browser, &edit, &edit, &typed).await;

    changed.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        changed.header("location"),
        Some(format!("/forums/{}/meetings?done=following", fx.forum).as_str())
    );
    let times: Vec<String> = forum_meetings(&app, &fx)
        .await
        .iter()
        .filter(|m| m["status"] == "scheduled")
        .map(|m| london_hour(m).1)
        .collect();
    assert_eq!(
        times,
        ["10:00", "10:00", "14:00", "14:00", "14:00", "14:00"]
    );
}
