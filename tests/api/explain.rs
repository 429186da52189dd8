//! Every keyset-paginated list reads its page from an index whose order is
//! the page's order, with each of its filters, on the first page and on a
//! later one: the statements the handlers really run are captured from the
//! application's connection and their plans read back from the database.

mod cases;
mod data;
pub mod plans;
pub mod recorder;

use axum::http::StatusCode;

use cases::{Case, cases};
use plans::{Via, check, explain};
use recorder::{Recorder, page_query};

use crate::support::TestApp;

/// The page query of one page of a list, and the cursor of the next page.
async fn page(
    app: &TestApp,
    recorder: &Recorder,
    case: &Case,
    cursor: Option<&str>,
) -> (sea_orm::Statement, Option<String>) {
    let mut path = format!("{}&limit=1", case.path);
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={cursor}"));
    }
    let (response, statements) = recorder.during(app.get(&path, case.token.as_deref())).await;
    response.assert_status(StatusCode::OK);
    let next = response.json()["next_cursor"].as_str().map(str::to_string);
    (page_query(&statements).clone(), next)
}

#[tokio::test]
async fn every_list_reads_its_pages_in_the_order_of_an_index() {
    let (app, recorder) = Recorder::spawn().await;
    let world = data::build(&app).await;
    let backend = app.db().get_database_backend();
    let mut failures = Vec::new();
    for case in cases(&world) {
        let (first, next) = page(&app, &recorder, &case, None).await;
        let Some(next) = next else {
            failures.push(format!(
                "{}: the test data gives it no second page",
                case.path
            ));
            continue;
        };
        let (later, _) = page(&app, &recorder, &case, Some(&next)).await;
        for (statement, after_cursor) in [(first, false), (later, true)] {
            let plan = explain(app.db(), &statement, None).await;
            if let Err(why) = check(&plan, backend, case.expect, after_cursor) {
                let which = if after_cursor {
                    "a later page"
                } else {
                    "page 1"
                };
                failures.push(format!("{} ({which}): {why}\n{}", case.path, statement.sql));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[tokio::test]
async fn the_check_fails_when_a_list_loses_its_index() {
    let (app, recorder) = Recorder::spawn().await;
    let world = data::build(&app).await;
    let backend = app.db().get_database_backend();
    let lists = cases(&world);
    for dropped in [
        "idx_action_items_forum_id_due_sort_id",
        "idx_action_items_forum_id_status_due_sort_id",
        "idx_action_items_open_due",
        "idx_raised_issues_forum_id_priority_response_due_on_id",
        "idx_audit_events_by_entity",
    ] {
        let case = lists
            .iter()
            .find(|c| matches!(c.expect.via, Via::Index(name) if name == dropped))
            .expect("a list read through the index");
        let (statement, _) = page(&app, &recorder, case, None).await;
        let plan = explain(app.db(), &statement, Some(dropped)).await;
        assert!(
            check(&plan, backend, case.expect, false).is_err(),
            "without {dropped}, {} still passes:\n{}",
            case.path,
            plan.join("\n")
        );
    }
}
