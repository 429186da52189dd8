//! The public pages, as a browser receives them over HTTP.

use axum::http::{Method, StatusCode};
use chrono::{TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::support::TestApp;

async fn page(app: &TestApp, path: &str) -> crate::support::TestResponse {
    app.request_with_headers(
        Method::GET,
        path,
        None,
        &[("accept", "text/html,application/xhtml+xml")],
        None,
    )
    .await
}

#[tokio::test]
async fn the_home_page_lists_every_region_with_its_forum_and_next_meeting() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let soon = Utc
        .with_ymd_and_hms(2031, 3, 11, 10, 0, 0)
        .single()
        .expect("a time");
    let later = Utc
        .with_ymd_and_hms(2031, 6, 10, 9, 30, 0)
        .single()
        .expect("a time");
    let now = app.state.clock.now();
    crate::support::builders::meeting(app.db(), fx.forum, "Later forum", later, now).await;
    crate::support::builders::meeting(app.db(), fx.forum, "Spring forum", soon, now).await;

    let home = page(&app, "/").await;

    home.assert_status(StatusCode::OK);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8_lossy(&home.body);
    assert_eq!(html.matches("<th scope=\"row\"").count(), 12, "{html}");
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("KSS Voluntary Sector Forum"));
    assert!(html.contains("Wales Third Sector Forum"));
    assert!(
        html.contains("Tuesday 11 March 2031, 10am – Spring forum"),
        "{html}"
    );
    assert!(
        !html.contains("Later forum"),
        "only the next meeting is shown"
    );
    assert!(
        html.contains("No forum yet"),
        "regions without a forum say so"
    );
}

#[tokio::test]
async fn a_cancelled_or_past_meeting_is_not_the_next_one() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.meeting(&fx, "Held last week", -24 * 7).await;
    let cancelled = app.meeting(&fx, "Called off", 24).await;
    entity::meeting::Entity::update_many()
        .col_expr(
            entity::meeting::Column::Status,
            Expr::value(entity::MeetingStatus::Cancelled),
        )
        .filter(entity::meeting::Column::Id.eq(cancelled))
        .exec(app.db())
        .await
        .expect("cancelled");

    let html = String::from_utf8_lossy(&page(&app, "/").await.body).to_string();

    assert!(!html.contains("Held last week"));
    assert!(!html.contains("Called off"));
    assert_eq!(html.matches("None scheduled").count(), 12);
}

#[tokio::test]
async fn a_browser_gets_a_not_found_page_and_a_client_a_problem() {
    let app = TestApp::spawn().await;

    let browser = page(&app, "/no/such/page").await;
    let client = app.get("/no/such/page", None).await;

    browser.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        browser.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(String::from_utf8_lossy(&browser.body).contains("Page not found"));
    client.assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_region_page_shows_its_forum_plan_and_commitments_with_their_work() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(
            &fx.rpd_staff,
            "kent-surrey-sussex",
            "KSS Reducing Reoffending Plan",
        )
        .await;
    app.commitment(&fx.rpd_staff, plan, "ACC-1", "accommodation", "specific")
        .await;

    let region = page(&app, "/regions/kent-surrey-sussex").await;

    region.assert_status(StatusCode::OK);
    let html = String::from_utf8_lossy(&region.body);
    assert!(
        html.contains("<h1 class=\"govuk-heading-xl\">Kent, Surrey and Sussex</h1>"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/forums/{}\"", fx.forum)));
    assert!(html.contains("KSS Reducing Reoffending Plan"));
    assert!(html.contains("ACC-1"));
    assert!(html.contains("Commitment ACC-1"));
    assert!(html.contains("Accommodation"));
    assert!(html.contains("Not started"));
    assert!(html.contains("href=\"/regions/kent-surrey-sussex/plan\""));
}

/// Between `<svg` and `</svg>` of the chart whose title has this id.
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(
            "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-description\""
        ))
        .unwrap_or_else(|| panic!("no chart {id}: {html}"));
    let end = html[start..]
        .find("</svg>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[tokio::test]
async fn a_region_page_draws_its_report_as_charts_with_their_figures_in_words_and_tables() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    for reference in ["ACC-1", "ACC-2", "ACC-3"] {
        app.commitment(&fx.rpd_staff, plan, reference, "accommodation", "specific")
            .await;
    }
    app.commitment(&fx.rpd_staff, plan, "WOM-1", "women", "general")
        .await;

    let html = page(&app, "/regions/kent-surrey-sussex").await;

    let html = String::from_utf8_lossy(&html.body).to_string();
    let status = chart(&html, "chart-status");
    assert!(status.contains(">Accommodation</text>"), "{status}");
    assert!(
        status.contains(">3</text>"),
        "three not started, in words: {status}"
    );
    assert!(
        status.contains(">Not started</text>"),
        "a key names each status"
    );
    assert!(html.contains("<h3 class=\"govuk-heading-s\" id=\"chart-status-title\">"));
    let work = chart(&html, "chart-work");
    assert!(work.contains(">Without actions</text>"));
    for id in [
        "chart-answers",
        "chart-days",
        "chart-mechanism",
        "chart-shares",
    ] {
        chart(&html, id);
    }
    assert_eq!(
        html.matches("<details class=\"govuk-details").count(),
        6,
        "each chart's figures as a table"
    );
    assert!(html.contains("<th scope=\"row\" class=\"govuk-table__header\">Women</th>"));
}

#[tokio::test]
async fn a_region_s_plan_page_lists_commitments_theme_by_theme_and_marks_those_without_work() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let worked = app
        .commitment(&fx.rpd_staff, plan, "ACC-1", "accommodation", "specific")
        .await;
    app.commitment(&fx.rpd_staff, plan, "ACC-2", "accommodation", "general")
        .await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Find move-on beds", "commitment_ids": [worked]}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let plan_page = page(&app, "/regions/kent-surrey-sussex/plan").await;
    let missing = page(&app, "/regions/atlantis/plan").await;

    plan_page.assert_status(StatusCode::OK);
    let html = String::from_utf8_lossy(&plan_page.body);
    assert!(
        html.contains(
            "<h2 class=\"govuk-heading-m\" id=\"theme-accommodation\">Accommodation</h2>"
        )
    );
    assert!(
        html.contains("2 commitments, 1 with actions behind it."),
        "{html}"
    );
    assert_eq!(
        html.matches(">None</strong>").count(),
        1,
        "ACC-2 has no work behind it"
    );
    assert!(html.contains("No commitments under this theme"));
    missing.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_region_page_says_which_twelve_months_its_forum_s_taking_part_counts() {
    let app = TestApp::spawn().await;
    app.forum_fixture().await;
    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    let day = |field: &str| {
        let on: chrono::NaiveDate = report["voice"][field]
            .as_str()
            .and_then(|d| d.parse().ok())
            .expect("a date");
        on.format("%-d %B %Y").to_string()
    };

    let region = page(&app, "/regions/kent-surrey-sussex").await;

    let html = String::from_utf8_lossy(&region.body);
    assert_eq!(report["voice"]["window_months"], 12);
    assert!(
        html.contains("Member organisations that took part in the last 12 months"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "Taking part is counted over the 12 months from {} to {}.",
            day("window_from"),
            day("window_to")
        )),
        "{html}"
    );
}

#[tokio::test]
async fn an_unknown_region_is_a_not_found_page() {
    let app = TestApp::spawn().await;

    let missing = page(&app, "/regions/atlantis").await;

    missing.assert_status(StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&missing.body).contains("Page not found"));
}

#[tokio::test]
async fn a_forum_page_shows_its_meetings_to_come_with_public_agendas_and_its_feeds() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Summer forum", 24 * 20).await;
    let path = format!("/api/v1/meetings/{meeting}/agenda-items");
    let open = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Housing on release"}),
        )
        .await;
    let secret = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "Contract dispute with a provider",
                               "visibility": "officers", "visibility_reason": "commercial"}),
        )
        .await;
    for item in [&open, &secret] {
        let id = crate::support::id(&item.json());
        app.request_with_headers(
            Method::PATCH,
            &format!("/api/v1/agenda-items/{id}"),
            Some(&fx.chair.access),
            &[("if-match", "\"1\"")],
            Some(json!({"status": "accepted"})),
        )
        .await
        .assert_status(StatusCode::OK);
    }

    let forum = page(&app, &format!("/forums/{}", fx.forum)).await;

    forum.assert_status(StatusCode::OK);
    let html = String::from_utf8_lossy(&forum.body);
    assert!(html.contains("KSS Voluntary Sector Forum"));
    let name = entity::organisation::Entity::find_by_id(fx.member_organisation)
        .one(app.db())
        .await
        .expect("query")
        .expect("the member organisation")
        .name;
    // As HTML writes it: askama escapes the apostrophe.
    let escaped = name.replace('\'', "&#39;");
    assert!(html.contains(&format!(">{escaped}</h3>")), "{name}: {html}");
    assert!(html.contains("Summer forum"));
    assert!(html.contains("<li>Housing on release</li>"), "{html}");
    assert!(
        !html.contains("Contract dispute"),
        "a withheld item's title never shows"
    );
    assert!(
        html.contains("<li>Withheld: commercial</li>"),
        "only its reason: {html}"
    );
    assert!(html.contains(&format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Approved minutes (Atom feed)\" href=\"/api/v1/forums/{}/minutes.atom\">",
        fx.forum
    )));
    assert!(html.contains(&format!("/api/v1/forums/{}/calendar.ics", fx.forum)));
}

#[tokio::test]
async fn a_forum_address_that_is_no_id_or_no_forum_is_a_not_found_page() {
    let app = TestApp::spawn().await;

    let not_an_id = page(&app, "/forums/kent").await;
    let no_forum = page(&app, &format!("/forums/{}", uuid::Uuid::now_v7())).await;

    not_an_id.assert_status(StatusCode::NOT_FOUND);
    no_forum.assert_status(StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&no_forum.body).contains("Page not found"));
}

#[tokio::test]
async fn the_themes_page_counts_each_region_s_commitments_by_theme_in_words_and_shade() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    for reference in ["ACC-1", "ACC-2", "ACC-3"] {
        app.commitment(&fx.rpd_staff, plan, reference, "accommodation", "specific")
            .await;
    }

    let themes = page(&app, "/themes").await;

    themes.assert_status(StatusCode::OK);
    let html = String::from_utf8_lossy(&themes.body);
    assert_eq!(html.matches("<th scope=\"row\"").count(), 12);
    assert!(html.contains("Accommodation"));
    assert!(
        html.contains("style=\"background-color: #bbd4ea\">3<span"),
        "three commitments: a darker shade, and the number: {html}"
    );
}

#[tokio::test]
async fn pages_are_compressed_for_a_browser_that_asks() {
    let app = TestApp::spawn().await;

    let home = app
        .request_with_headers(
            Method::GET,
            "/",
            None,
            &[("accept", "text/html"), ("accept-encoding", "br")],
            None,
        )
        .await;

    home.assert_status(StatusCode::OK);
    assert_eq!(home.header("content-encoding"), Some("br"));
}

/// Two opportunities of the region, a grant for women's services and a
/// contract for accommodation, open from today.
pub async fn two_opportunities(app: &TestApp, fx: &crate::support::ForumFixture) {
    let today = convene::consultations::london_today(app.state.clock.now());
    for (title, mechanism, theme) in [
        ("Women's centre services", "grant", "women"),
        ("Move-on accommodation", "contract", "accommodation"),
    ] {
        app.post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({
                "title": title, "mechanism": mechanism, "commissioner": "probation",
                "value_band": "10k-100k", "opens_on": today,
                "closes_on": today + chrono::Duration::days(30), "themes": [theme]
            }),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
}

#[tokio::test]
async fn a_region_s_opportunities_are_filtered_by_a_plain_get_form() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    two_opportunities(&app, &fx).await;

    let all = page(&app, "/regions/kent-surrey-sussex").await;
    let grants = page(
        &app,
        "/regions/kent-surrey-sussex?mechanism=grant&theme=&status=open",
    )
    .await;
    let nonsense = page(&app, "/regions/kent-surrey-sussex?mechanism=barter").await;

    let all = String::from_utf8_lossy(&all.body).to_string();
    assert!(all.contains("Women&#39;s centre services") && all.contains("Move-on accommodation"));
    assert!(all.contains("<form method=\"get\" action=\"#opportunities\""));
    let grants = String::from_utf8_lossy(&grants.body).to_string();
    assert!(grants.contains("Women&#39;s centre services"));
    assert!(!grants.contains("Move-on accommodation"), "{grants}");
    assert!(grants.contains("<option value=\"grant\" selected>Grant</option>"));
    // A value the form never offered filters nothing.
    nonsense.assert_status(StatusCode::OK);
    assert!(String::from_utf8_lossy(&nonsense.body).contains("Move-on accommodation"));
}

#[tokio::test]
async fn a_forum_page_lists_approved_minutes_newest_first_ten_at_a_time() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // A year of monthly meetings, all past.
    let first = app.state.clock.now() - chrono::Duration::days(400);
    for month in 0..12 {
        crate::support::builders::approved_minutes(
            app.db(),
            fx.forum,
            &format!("Forum no. {:02}", month + 1),
            first + chrono::Duration::days(31 * month),
        )
        .await;
    }

    let newest = page(&app, &format!("/forums/{}", fx.forum)).await;
    let html = String::from_utf8_lossy(&newest.body).to_string();
    let older = html
        .split("href=\"")
        .find_map(|rest| {
            let href = rest.split('"').next()?;
            href.contains("?minutes=")
                .then(|| href.replace("&amp;", "&"))
        })
        .expect("a link to older minutes");
    let second = page(&app, &older).await;

    assert!(html.contains("<nav class=\"govuk-pagination govuk-pagination--block\""));
    let twelve = html.find("Forum no. 12").expect("the newest");
    let eleven = html.find("Forum no. 11").expect("the next");
    assert!(twelve < eleven, "newest first");
    assert!(html.contains("Forum no. 03") && !html.contains("Forum no. 02"));
    assert!(
        !html.contains("Newest minutes"),
        "the first page has no way back"
    );
    second.assert_status(StatusCode::OK);
    let second = String::from_utf8_lossy(&second.body);
    assert!(second.contains("Forum no. 02") && second.contains("Forum no. 01"));
    assert!(!second.contains("Forum no. 03"));
    assert!(second.contains("Newest minutes") && !second.contains("Older minutes"));
}

#[tokio::test]
async fn a_forum_page_shows_its_submitted_consultation_responses_and_its_make_up() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let sent = Some((now.date_naive(), "https://consult.example.org/response/42"));
    crate::support::builders::consultation(
        app.db(),
        fx.forum,
        "Probation reform 2031",
        entity::ConsultationStatus::Submitted,
        sent,
        now,
    )
    .await;
    crate::support::builders::consultation(
        app.db(),
        fx.forum,
        "Draft response in progress",
        entity::ConsultationStatus::Open,
        None,
        now,
    )
    .await;

    let forum = page(&app, &format!("/forums/{}", fx.forum)).await;

    let html = String::from_utf8_lossy(&forum.body);
    assert!(html.contains("Probation reform 2031"), "{html}");
    assert!(html.contains("href=\"https://consult.example.org/response/42\""));
    assert!(
        !html.contains("Draft response in progress"),
        "only what was submitted is public"
    );
    assert!(html.contains("<dt class=\"govuk-summary-list__key\">Member organisations</dt>"));
}

#[tokio::test]
async fn a_forum_page_shows_each_active_member_s_size_groups_and_themes() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut refuge = crate::support::organisation_body("Dŷ Lloches Women's Refuge");
    refuge["size_band"] = json!("medium");
    refuge["led_by_and_for"] = json!(["young-people", "women"]);
    refuge["themes"] = json!(["women", "families"]);
    let refuge = app
        .post("/api/v1/organisations", Some(&fx.admin.access), refuge)
        .await
        .json();
    let membership = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&fx.admin.access),
            json!({"organisation_id": refuge["id"], "statement": "Refuge places"}),
        )
        .await
        .json();
    app.set_membership(
        &fx.admin,
        fx.forum,
        crate::support::uuid(&membership),
        json!({"status": "active"}),
    )
    .await;
    app.applicant(&fx.admin, fx.forum, "Still Applying").await;

    let forum = page(&app, &format!("/forums/{}", fx.forum)).await;

    let html = String::from_utf8_lossy(&forum.body);
    let at = html
        .find(">Dŷ Lloches Women&#39;s Refuge</h3>")
        .expect("the member is named");
    let profile = &html[at..];
    let profile = &profile[..profile.find("</dl>").expect("its profile")];
    for words in [
        "Medium (under £1 million)",
        "Women, Young people",
        "Families, Women",
    ] {
        assert!(profile.contains(words), "{words} in {profile}");
    }
    assert!(
        !html.contains("Still Applying"),
        "an applicant is not yet a member"
    );
    assert!(
        !html.contains("Refuge places"),
        "nor is a membership's statement public"
    );
}

#[tokio::test]
async fn a_region_s_opportunities_go_on_page_by_page_with_the_filter_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let today = convene::consultations::london_today(app.state.clock.now());
    for n in 1..=52 {
        let mechanism = if n == 52 { "contract" } else { "grant" };
        app.post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({
                "title": format!("Grant round {n:02}"), "mechanism": mechanism,
                "commissioner": "probation", "value_band": "10k-100k", "opens_on": today,
                "closes_on": today + chrono::Duration::days(30), "themes": ["women"]
            }),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    let listed = |html: &str| html.matches("Grant round ").count();

    let first = page(&app, "/regions/kent-surrey-sussex?mechanism=grant").await;
    let first = String::from_utf8_lossy(&first.body).to_string();
    assert_eq!(listed(&first), 50, "fifty a page");
    assert!(
        !first.contains("First opportunities"),
        "no way back from the first page"
    );
    let more = first
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.contains("opportunities="))
        .expect("a link to more opportunities")
        .replace("&#38;", "&");
    assert!(
        more.contains("mechanism=grant"),
        "the filter is kept: {more}"
    );

    let rest = page(&app, more.split('#').next().unwrap_or_default()).await;
    let rest = String::from_utf8_lossy(&rest.body).to_string();
    assert_eq!(
        listed(&rest),
        1,
        "the fifty-first grant, and not the contract"
    );
    assert!(rest.contains("First opportunities") && !rest.contains("More opportunities"));
}
