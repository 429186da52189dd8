//! A forum's public records — approved minutes, a held meeting's public
//! papers, a submitted joint response — name people only to those who take
//! part in the forum; the public and other forums' people read `null`.

use axum::body::Body;
use entity::{ConsultationStatus, consultation};
use sea_orm::{ActiveModelTrait, Set};

use super::*;
use crate::papers::{form, hold, pdf, upload};

#[tokio::test]
async fn approved_minutes_name_their_approver_only_to_the_forum_s_participants() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    hold(&app, &fx, meeting).await;
    let minutes = format!("/api/v1/meetings/{meeting}/minutes");
    app.request(
        axum::http::Method::PUT,
        &minutes,
        Some(&fx.secretary.access),
        Some(json!({"body": "# Agreed"})),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let approved = app
        .post(
            &format!("{minutes}/approve"),
            Some(&fx.chair.access),
            json!({}),
        )
        .await;

    approved.assert_status(StatusCode::OK);
    assert_eq!(approved.json()["approved_by_name"], CHAIR);
    for (who, reader) in participants(&fx) {
        let read = read(&app, &minutes, Some(reader)).await;
        assert_eq!(read["approved_by_name"], CHAIR, "{who}");
    }
    for (who, reader) in outsiders(&fx) {
        let read = read(&app, &minutes, reader).await;
        assert_eq!(read["approved_by"], json!(fx.chair.id), "{who}");
        assert!(read["approved_by_name"].is_null(), "{who}: {read}");
    }
}

#[tokio::test]
async fn a_held_meeting_s_public_paper_names_its_uploader_only_to_the_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let uploaded = upload(
        &app,
        &fx.secretary,
        meeting,
        Body::from(form(
            &[("title", "Housing pathway map")],
            Some(("map.pdf", &pdf(2_000))),
        )),
    )
    .await;
    uploaded.assert_status(StatusCode::CREATED);
    assert_eq!(uploaded.json()["uploaded_by_name"], SECRETARY);
    hold(&app, &fx, meeting).await;
    let paper = format!("/api/v1/papers/{}", uuid_of(&uploaded.json()));
    let papers = format!("/api/v1/meetings/{meeting}/papers");
    let versions = format!("{paper}/versions");

    for (who, reader) in participants(&fx) {
        assert_eq!(
            read(&app, &paper, Some(reader)).await["uploaded_by_name"],
            SECRETARY,
            "{who}"
        );
        assert_eq!(
            read(&app, &papers, Some(reader)).await["items"][0]["uploaded_by_name"],
            SECRETARY,
            "{who}"
        );
        assert_eq!(
            read(&app, &versions, Some(reader)).await["items"][0]["uploaded_by_name"],
            SECRETARY,
            "{who}"
        );
    }
    let public = read(&app, &paper, None).await;
    assert_eq!(public["uploaded_by"], json!(fx.secretary.id));
    assert!(public["uploaded_by_name"].is_null());
    for (who, reader) in outsiders(&fx) {
        let listed = read(&app, &papers, reader).await;
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1), "{who}");
        assert!(listed["items"][0]["uploaded_by_name"].is_null(), "{who}");
        let kept = read(&app, &versions, reader).await;
        assert!(kept["items"][0]["uploaded_by_name"].is_null(), "{who}");
    }
}

#[tokio::test]
async fn a_submitted_joint_response_names_who_wrote_it_only_to_the_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let made = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Strengthening probation", "consulting_body": "Ministry of Justice",
                   "closes_on": "2099-01-31", "internal_deadline": "2099-01-15",
                   "questions": [{"text": "Do you agree?"}]}),
        )
        .await
        .json();
    let id = uuid_of(&made);
    let question = made["questions"][0]["id"].as_str().unwrap_or_default();
    let answer = app
        .request(
            axum::http::Method::PUT,
            &format!("/api/v1/consultations/{id}/questions/{question}/answer"),
            Some(&fx.chair.access),
            Some(json!({"body": "The forum agrees, with a local say."})),
        )
        .await;
    answer.assert_status(StatusCode::OK);
    assert_eq!(answer.json()["edited_by_name"], CHAIR);
    // Submitted as the forum would submit it, once its members agreed.
    consultation::ActiveModel {
        id: Set(id),
        status: Set(ConsultationStatus::Submitted),
        submitted_on: Set(Some(app.state.clock.now().date_naive())),
        ..Default::default()
    }
    .update(app.db())
    .await
    .expect("submit the response");
    let response = format!("/api/v1/consultations/{id}/response");

    for (who, reader) in participants(&fx) {
        let read = read(&app, &response, Some(reader)).await;
        assert_eq!(read["consultation"]["created_by_name"], SECRETARY, "{who}");
        assert_eq!(
            read["questions"][0]["answer"]["edited_by_name"], CHAIR,
            "{who}"
        );
    }
    for (who, reader) in outsiders(&fx) {
        let read = read(&app, &response, reader).await;
        assert_eq!(
            read["questions"][0]["answer"]["edited_by"],
            json!(fx.chair.id),
            "{who}"
        );
        assert!(
            read["questions"][0]["answer"]["edited_by_name"].is_null(),
            "{who}"
        );
        assert!(read["consultation"]["created_by_name"].is_null(), "{who}");
        let one = super::read(&app, &format!("/api/v1/consultations/{id}"), reader).await;
        assert!(one["created_by_name"].is_null(), "{who}");
    }
}
