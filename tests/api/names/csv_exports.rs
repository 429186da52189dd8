//! CSV exports open in a spreadsheet as they were written: UTF-8 with its
//! byte order mark (without which Excel reads "Dŷ" in the computer's
//! legacy code page), with the names beside the ids.

use entity::MembershipStatus;

use super::*;
use crate::support::builders;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The export's rows by column name, read with the `csv` crate once the
/// byte order mark is taken off (it must be there).
fn rows(body: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let text = body
        .strip_prefix(BOM)
        .expect("the export begins with the UTF-8 byte order mark");
    let mut reader = csv::Reader::from_reader(text);
    let headers: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    reader
        .records()
        .map(|r| {
            let record = r.expect("a readable row");
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn every_csv_export_begins_with_the_utf8_byte_order_mark() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    app.commitment(&fx.rpd_staff, plan, "KSS-ACC-1", "accommodation", "general")
        .await;
    owned_action(&app, &fx).await;
    app.post(
        &format!("/api/v1/forums/{}/issues", fx.forum),
        Some(&fx.member.access),
        json!({"title": "Housing referrals stalled", "body": "Since March."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let consultation = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Strengthening probation", "consulting_body": "Ministry of Justice",
                   "closes_on": "2099-01-31", "internal_deadline": "2099-01-15",
                   "questions": [{"text": "Do you agree?"}]}),
        )
        .await;
    consultation.assert_status(StatusCode::CREATED);
    let consultation = uuid_of(&consultation.json());
    publish_opportunity(&app, &fx).await;
    let secretary = Some(fx.secretary.access.as_str());

    for (path, token) in [
        (format!("/api/v1/forums/{}/actions", fx.forum), secretary),
        (format!("/api/v1/forums/{}/issues", fx.forum), secretary),
        (format!("/api/v1/plans/{plan}/commitments"), None),
        (
            "/api/v1/regions/kent-surrey-sussex/opportunities".to_string(),
            None,
        ),
        (
            format!("/api/v1/consultations/{consultation}/response"),
            secretary,
        ),
    ] {
        let response = app.get_csv(&path, token).await;

        response.assert_status(StatusCode::OK);
        assert_eq!(
            response.header("content-type"),
            Some("text/csv; charset=utf-8"),
            "{path}"
        );
        assert_eq!(response.body.get(..3), Some(BOM), "{path}");
        assert_eq!(rows(&response.body).len(), 1, "{path}");
    }
}

#[tokio::test]
async fn a_welsh_organisation_s_name_reads_back_from_the_csv_as_it_was_written() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let cymorth = builders::organisation(app.db(), "Dŷ Cymorth", now).await;
    builders::membership(app.db(), fx.forum, cymorth, MembershipStatus::Active, now).await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Cyfeirio at dai", "owner_organisation_id": cymorth,
               "owner_user_id": fx.member.id}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let csv = app
        .get_csv(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;

    csv.assert_status(StatusCode::OK);
    let rows = rows(&csv.body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["owner_organisation_id"], cymorth.to_string());
    assert_eq!(rows[0]["owner_organisation_name"], "Dŷ Cymorth");
    assert_eq!(rows[0]["owner_user_id"], fx.member.id.to_string());
    assert_eq!(rows[0]["owner_user_name"], MEMBER);
    assert_eq!(rows[0]["title"], "Cyfeirio at dai");
}

#[tokio::test]
async fn the_issues_csv_names_who_raised_each_and_for_which_organisation() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.post(
        &format!("/api/v1/forums/{}/issues", fx.forum),
        Some(&fx.member.access),
        json!({"title": "Housing referrals stalled", "body": "Since March."}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let csv = app
        .get_csv(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.observer.access),
        )
        .await;

    csv.assert_status(StatusCode::OK);
    let rows = rows(&csv.body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["raised_by"], fx.member.id.to_string());
    assert_eq!(rows[0]["raised_by_name"], MEMBER);
    assert_eq!(
        rows[0]["raised_by_organisation_id"],
        fx.member_organisation.to_string()
    );
    assert_eq!(rows[0]["raised_by_organisation_name"], MEMBER_ORGANISATION);
}
