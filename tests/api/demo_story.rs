//! The demo read as a newcomer reads it: every region's forum tells a
//! plausible, consistent story on today's calendar — meetings named for
//! their month, issues about the commitments of their theme, a current plan
//! whose year is this one, business to come with its agenda, confidential
//! items that the public pages never show, and people with people's names.

use axum::http::Method;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Europe::London;
use serde_json::Value;

use crate::support::TestApp;

/// The demo loaded at the app's clock, and an admin's token to read it all.
async fn demo() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    convene::demo::seed(app.db(), app.state.clock.now())
        .await
        .expect("the demo loads")
        .expect("for the first time");
    let admin = app
        .login("admin@demo.convene.example", convene::demo::DEMO_PASSWORD)
        .await
        .json()["access_token"]
        .as_str()
        .expect("the demo's admin signs in")
        .to_string();
    (app, admin)
}

/// Every demo forum: its region's code and its id.
async fn forums(app: &TestApp) -> Vec<(String, String)> {
    let listed = app.get("/api/v1/forums?limit=200", None).await.json();
    let forums: Vec<(String, String)> = items(&listed)
        .iter()
        .map(|f| (text(&f["region"]), text(&f["id"])))
        .collect();
    assert_eq!(forums.len(), 12);
    forums
}

fn items(list: &Value) -> Vec<Value> {
    list["items"].as_array().cloned().unwrap_or_default()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn today(app: &TestApp) -> NaiveDate {
    convene::consultations::london_today(app.state.clock.now())
}

async fn read(app: &TestApp, path: &str, token: &str) -> Value {
    let read = app.get(path, Some(token)).await;
    assert!(read.status.is_success(), "{path}: {}", read.status);
    read.json()
}

/// The season a month is in (the meteorologists' seasons).
fn season(month: u32) -> &'static str {
    match month {
        3..=5 => "Spring",
        6..=8 => "Summer",
        9..=11 => "Autumn",
        _ => "Winter",
    }
}

#[tokio::test]
async fn every_demo_meeting_is_named_for_the_month_it_meets_in() {
    let (app, admin) = demo().await;
    let months: Vec<String> = (1..=12)
        .map(|m| {
            NaiveDate::from_ymd_opt(2027, m, 1)
                .expect("a month")
                .format("%B")
                .to_string()
        })
        .collect();

    for (code, forum) in forums(&app).await {
        let meetings = read(
            &app,
            &format!("/api/v1/forums/{forum}/meetings?limit=200"),
            &admin,
        )
        .await;
        let meetings = items(&meetings);
        assert!(meetings.len() >= 6, "{code}: {}", meetings.len());
        for m in meetings {
            let title = text(&m["title"]);
            let starts: DateTime<Utc> = text(&m["starts_at"]).parse().expect("a start");
            let local = starts.with_timezone(&London);
            let month = local.format("%B %Y").to_string();
            assert!(title.contains(&month), "{code}: {title} meets in {month}");
            for other in months.iter().filter(|name| !month.starts_with(*name)) {
                assert!(!title.contains(other.as_str()), "{code}: {title}");
            }
            for named in ["Spring", "Summer", "Autumn", "Winter"] {
                assert!(
                    !title.contains(named) || season(local.month()) == named,
                    "{code}: {title} meets in {month}"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_demo_issue_is_about_a_commitment_of_a_theme_its_raiser_works_on() {
    let (app, admin) = demo().await;

    for (code, forum) in forums(&app).await {
        let report = read(
            &app,
            &format!("/api/v1/regions/{code}/accountability"),
            &admin,
        )
        .await;
        let plan = text(&report["plan"]["id"]);
        let issues = read(
            &app,
            &format!("/api/v1/forums/{forum}/issues?limit=200"),
            &admin,
        )
        .await;
        let issues = items(&issues);
        assert!(issues.len() >= 4, "{code}");
        for issue in issues {
            let title = text(&issue["title"]);
            let raiser = text(&issue["raised_by_organisation_id"]);
            let organisation = read(&app, &format!("/api/v1/organisations/{raiser}"), &admin).await;
            let works_on = organisation["themes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let linked = issue["commitment_ids"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(!linked.is_empty(), "{code}: {title} is about no commitment");
            for id in linked {
                let commitment =
                    read(&app, &format!("/api/v1/commitments/{}", text(&id)), &admin).await;
                assert_eq!(text(&commitment["plan_id"]), plan, "{code}: {title}");
                assert!(
                    works_on.contains(&commitment["theme"]),
                    "{code}: {title}, by {}, is linked to {} ({})",
                    organisation["name"],
                    commitment["reference"],
                    commitment["theme"]
                );
            }
        }
    }
}

/// A period as plans write it, "2026-27": April 2026 to March 2027.
fn financial_year(period: &str) -> (NaiveDate, NaiveDate) {
    let start: i32 = period
        .split('-')
        .next()
        .and_then(|y| y.parse().ok())
        .expect("a year");
    let first = NaiveDate::from_ymd_opt(start, 4, 1).expect("a date");
    let last = NaiveDate::from_ymd_opt(start + 1, 3, 31).expect("a date");
    assert_eq!(period, format!("{start}-{:02}", (start + 1) % 100));
    (first, last)
}

#[tokio::test]
async fn the_demo_s_current_plans_are_this_year_s_and_its_actions_fall_due_around_them() {
    let (app, admin) = demo().await;
    let today = today(&app);

    for (code, forum) in forums(&app).await {
        let report = app
            .get(&format!("/api/v1/regions/{code}/accountability"), None)
            .await
            .json();
        let (first, last) = financial_year(&text(&report["plan"]["period"]));
        assert!(
            first <= today && today <= last,
            "{code}: {}",
            report["plan"]
        );
        // The 2021-22 plan is there, superseded by it.
        let plans = app
            .get(&format!("/api/v1/regions/{code}/plans"), None)
            .await
            .json();
        let plans: Vec<(String, String)> = items(&plans)
            .iter()
            .map(|p| (text(&p["period"]), text(&p["status"])))
            .collect();
        assert_eq!(
            plans,
            [
                (
                    report["plan"]["period"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    "current".to_string()
                ),
                ("2021-22".to_string(), "superseded".to_string())
            ],
            "{code}"
        );
        let actions = read(
            &app,
            &format!("/api/v1/forums/{forum}/actions?limit=200"),
            &admin,
        )
        .await;
        let actions = items(&actions);
        assert!(actions.len() >= 5, "{code}");
        for a in actions {
            let due: NaiveDate = text(&a["due_on"]).parse().expect("a due date");
            assert!(
                first - Duration::days(365) <= due && due <= last + Duration::days(365),
                "{code}: {} falls due on {due}, far from the plan of {first} to {last}",
                a["title"]
            );
        }
    }
}

/// A text as a page escapes it.
fn escaped(secret: &str) -> String {
    secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn html(app: &TestApp, path: &str) -> String {
    let page = app
        .request_with_headers(Method::GET, path, None, &[("accept", "text/html")], None)
        .await;
    assert!(page.status.is_success(), "{path}: {}", page.status);
    String::from_utf8_lossy(&page.body).into_owned()
}

#[tokio::test]
async fn every_demo_forum_has_meetings_to_come_with_agendas_and_business_the_public_never_sees() {
    let (app, admin) = demo().await;

    for (code, forum) in forums(&app).await {
        // The public list: each meeting to come has its agenda, one item
        // of it withheld.
        let upcoming = app
            .get(&format!("/api/v1/forums/{forum}/upcoming-meetings"), None)
            .await
            .json();
        let upcoming = items(&upcoming);
        assert!(upcoming.len() >= 2, "{code}");
        for m in &upcoming {
            let agenda: Vec<String> = m["agenda"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect();
            assert!(agenda.len() >= 4, "{code}: {agenda:?}");
            assert!(
                agenda.iter().any(|t| t.starts_with("Withheld: ")),
                "{code}: {agenda:?}"
            );
        }
        // As the officers read it: items with their presenters, the one in
        // confidence, and the matters arising from what went before.
        let next = text(&upcoming[0]["id"]);
        let agenda = read(
            &app,
            &format!("/api/v1/meetings/{next}/agenda-items"),
            &admin,
        )
        .await;
        let agenda = items(&agenda);
        assert!(
            agenda
                .iter()
                .any(|i| i["visibility"] == "public" && i["presenter"].is_string()),
            "{code}"
        );
        let matters = read(
            &app,
            &format!("/api/v1/meetings/{next}/matters-arising"),
            &admin,
        )
        .await;
        let kinds: Vec<String> = items(&matters).iter().map(|m| text(&m["kind"])).collect();
        for kind in ["action", "issue", "agenda-item"] {
            assert!(kinds.iter().any(|k| k == kind), "{code}: {kinds:?}");
        }

        // What is confidential, in the agendas and in the minutes.
        let mut secrets = Vec::new();
        let mut withheld_minutes = Vec::new();
        let meetings = read(
            &app,
            &format!("/api/v1/forums/{forum}/meetings?limit=200"),
            &admin,
        )
        .await;
        for m in items(&meetings) {
            let id = text(&m["id"]);
            let agenda = read(&app, &format!("/api/v1/meetings/{id}/agenda-items"), &admin).await;
            for item in items(&agenda) {
                if item["visibility"] != "public" {
                    assert!(item["visibility_reason"].is_string(), "{code}: {item}");
                    secrets.push(text(&item["title"]));
                }
            }
            if m["status"] == "held" {
                let minutes = read(&app, &format!("/api/v1/meetings/{id}/minutes"), &admin).await;
                for s in minutes["sections"].as_array().into_iter().flatten() {
                    if s["visibility"] != "public" {
                        secrets.push(text(&s["heading"]));
                        secrets.push(text(&s["body"]));
                        withheld_minutes.push(id.clone());
                    }
                }
            }
        }
        assert!(
            !withheld_minutes.is_empty(),
            "{code}: no confidential minutes"
        );
        assert!(secrets.len() >= 3, "{code}");

        let mut pages = vec![
            "/".to_string(),
            "/themes".to_string(),
            format!("/regions/{code}"),
            format!("/forums/{forum}"),
        ];
        pages.extend(
            withheld_minutes
                .iter()
                .map(|m| format!("/forums/{forum}/minutes/{m}")),
        );
        for path in &pages {
            let page = html(&app, path).await;
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                assert!(
                    !page.contains(secret.as_str()) && !page.contains(&escaped(secret)),
                    "{code}: {secret:?} on {path}"
                );
            }
        }
        let minutes = html(
            &app,
            &format!("/forums/{forum}/minutes/{}", withheld_minutes[0]),
        )
        .await;
        assert!(minutes.contains("Withheld: "), "{code}");
    }
}

#[tokio::test]
async fn every_demo_person_has_a_personal_name_not_a_role() {
    let (app, admin) = demo().await;

    let users = read(&app, "/api/v1/users?limit=200", &admin).await;
    let names: Vec<String> = items(&users)
        .iter()
        .map(|u| text(&u["display_name"]))
        .collect();

    assert!(names.len() >= 97, "{}", names.len());
    for name in &names {
        let first = name.split(' ').next().unwrap_or_default().to_lowercase();
        assert!(
            ![
                "rpd",
                "secretary",
                "chair",
                "member",
                "observer",
                "admin",
                "demo"
            ]
            .contains(&first.as_str()),
            "{name}"
        );
        assert!(name.split(' ').count() >= 2, "{name}");
    }
    assert!(
        names.iter().any(|n| n == "Rhys Evans"),
        "Welsh names in Wales"
    );
}
