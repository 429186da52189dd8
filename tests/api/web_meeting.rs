//! The meeting page and its agenda's forms, over HTTP: what each reader
//! sees (never an item they may not read), what officers do with it, and
//! what everyone else is refused — as the API refuses them.

use axum::http::StatusCode;
use chrono::Duration;
use entity::{ForumRole, action_item};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::explain::recorder::Recorder;
use crate::papers::pdf;
use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders, id};

const SECRET: &str = "Settlement terms with the landlord";

fn page_of(fx: &ForumFixture, meeting: Uuid) -> String {
    format!("/forums/{}/meetings/{meeting}", fx.forum)
}

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

async fn add_item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, body: Value) -> Value {
    let response = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

async fn agenda_titles(app: &TestApp, fx: &ForumFixture, meeting: Uuid) -> Vec<String> {
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    agenda["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|i| i["status"] == "accepted")
                .filter_map(|i| i["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn secretary_adds_an_officers_only_item_after_being_told_its_reason_is_required() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let page = page_of(&fx, meeting);
    let mut browser = signed_in(&app, &fx.secretary).await;

    let shown = browser.get(&page).await;
    shown.assert_status(StatusCode::OK);
    let html = text(&shown);
    assert!(html.contains("<title>Spring forum – KSS Voluntary Sector Forum – Convene</title>"));
    assert!(html.contains("Add an item"));
    assert!(html.contains("Files up to 25 MB: PDF, DOCX"));

    let fields = [
        ("title", SECRET),
        ("description", "Counsel's advice on the lease"),
        ("presenter", "Priya Shah"),
        ("minutes_allotted", "20"),
        ("visibility", "officers"),
        ("visibility_reason", ""),
    ];
    let refused = browser
        .submit(&page, &format!("{page}/items"), &fields)
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("<title>Error: Spring forum"));
    assert!(html.contains("govuk-error-summary"));
    assert!(html.contains("href=\"#visibility_reason\""));
    assert!(html.contains("Why it is not public is required when it is not public"));
    assert!(
        html.contains(&format!("value=\"{SECRET}\"")),
        "the title is kept"
    );
    assert!(html.contains("value=\"Priya Shah\""));
    assert!(agenda_titles(&app, &fx, meeting).await.is_empty());

    let mut fields = fields.to_vec();
    fields[5] = ("visibility_reason", "legal advice");
    let added = browser
        .submit(&page, &format!("{page}/items"), &fields)
        .await;
    added.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        added.header("location"),
        Some(format!("{page}?done=item-added#agenda").as_str())
    );
    let html = text(&browser.get(&format!("{page}?done=item-added")).await);
    assert!(html.contains("The item is on the agenda."));
    assert!(html.contains(&format!("1. {SECRET}")));
    assert!(html.contains("Officers only: legal advice"));
    assert!(html.contains("20 minutes"));
}

#[tokio::test]
async fn secretary_reorders_the_agenda_with_plain_buttons() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let first = add_item(&app, &fx, meeting, json!({"title": "Welcome"})).await;
    add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    add_item(&app, &fx, meeting, json!({"title": "Any other business"})).await;
    let page = page_of(&fx, meeting);
    let mut browser = signed_in(&app, &fx.secretary).await;
    let html = text(&browser.get(&page).await);
    assert!(
        !html.contains(&format!("value=\"up:{}\"", id(&first))),
        "the first cannot go up"
    );

    let order: Vec<String> = {
        let agenda = app
            .get(
                &format!("/api/v1/meetings/{meeting}/agenda-items"),
                Some(&fx.secretary.access),
            )
            .await
            .json();
        agenda["items"]
            .as_array()
            .map(|items| items.iter().map(id).collect())
            .unwrap_or_default()
    };
    let step = format!("down:{}", id(&first));
    let mut fields: Vec<(&str, &str)> = order.iter().map(|i| ("item_ids", i.as_str())).collect();
    fields.push(("move", &step));
    let moved = browser
        .submit(&page, &format!("{page}/order"), &fields)
        .await;
    moved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        agenda_titles(&app, &fx, meeting).await,
        ["Housing", "Welcome", "Any other business"]
    );
}

#[tokio::test]
async fn a_stale_order_is_refused_with_the_agenda_as_it_is_now() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let first = add_item(&app, &fx, meeting, json!({"title": "Welcome"})).await;
    let second = add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    add_item(&app, &fx, meeting, json!({"title": "Late item"})).await;
    let page = page_of(&fx, meeting);
    let mut browser = signed_in(&app, &fx.secretary).await;

    let shown = [id(&first), id(&second)];
    let step = format!("down:{}", id(&first));
    let stale = browser
        .submit(
            &page,
            &format!("{page}/order"),
            &[
                ("item_ids", &shown[0]),
                ("item_ids", &shown[1]),
                ("move", &step),
            ],
        )
        .await;
    stale.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&stale);
    assert!(html.contains("The agenda has changed since you opened it"));
    assert!(html.contains("Late item"));
    assert_eq!(
        agenda_titles(&app, &fx, meeting).await,
        ["Welcome", "Housing", "Late item"]
    );
}

#[tokio::test]
async fn officers_only_items_never_reach_the_html_of_members_observers_rpd_staff_or_the_public() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    add_item(
        &app,
        &fx,
        meeting,
        json!({"title": SECRET, "description": "Counsel's figures", "presenter": "Priya Shah",
               "visibility": "officers", "visibility_reason": "legal advice"}),
    )
    .await;
    add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    let page = page_of(&fx, meeting);

    for who in [&fx.member, &fx.observer, &fx.rpd_staff] {
        let mut browser = signed_in(&app, who).await;
        let shown = browser.get(&page).await;
        shown.assert_status(StatusCode::OK);
        let html = text(&shown);
        assert!(html.contains("Housing"));
        assert!(html.contains("Withheld: legal advice"));
        for secret in [SECRET, "Counsel", "Priya Shah"] {
            assert!(!html.contains(secret), "{} read {secret}", who.email);
        }
        // Nothing is offered that the operations would refuse them.
        for offer in [
            "Move up",
            "Move down",
            "Upload a paper",
            "Add an item",
            "/drop",
        ] {
            assert!(!html.contains(offer), "{} was offered {offer}", who.email);
        }
    }

    let mut public = PageClient::new(&app);
    let anonymous = public.get(&page).await;
    anonymous.assert_status(StatusCode::SEE_OTHER);
    assert!(!text(&anonymous).contains(SECRET));
    let mut secretary = signed_in(&app, &fx.secretary).await;
    assert!(text(&secretary.get(&page).await).contains(SECRET));
}

#[tokio::test]
async fn another_regions_officers_and_members_reach_nothing_of_this_meeting_by_its_id() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let item = add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    let welsh_secretary = app.user("Welsh Secretary").await;
    let now = app.state.clock.now();
    builders::role(
        app.db(),
        fx.other_forum,
        welsh_secretary.id,
        ForumRole::Secretary,
        now,
    )
    .await;
    let page = page_of(&fx, meeting);
    // Their own forum's address, with this forum's meeting in it.
    let elsewhere = format!("/forums/{}/meetings/{meeting}", fx.other_forum);

    let item_id = id(&item);
    for who in [
        &welsh_secretary,
        &fx.other_member,
        &fx.other_rpd_staff,
        &fx.signed_in,
    ] {
        let mut browser = signed_in(&app, who).await;
        browser
            .get(&page)
            .await
            .assert_status(StatusCode::NOT_FOUND);
        browser
            .get(&elsewhere)
            .await
            .assert_status(StatusCode::NOT_FOUND);
        // A form needs a token: the page that gives one is their account's.
        for (action, fields) in [
            (format!("{page}/items"), vec![("title", "Mine")]),
            (
                format!("{page}/items/{item_id}"),
                vec![("title", "Mine"), ("version", "1")],
            ),
            (
                format!("{page}/order"),
                vec![("item_ids", item_id.as_str()), ("move", "up:x")],
            ),
            (format!("{page}/matters/refresh"), vec![]),
        ] {
            let refused = browser.submit("/account", &action, &fields).await;
            assert!(
                refused.status == StatusCode::NOT_FOUND
                    || refused.status == StatusCode::BAD_REQUEST,
                "{} {action}: {}",
                who.email,
                refused.status
            );
        }
        let upload = browser
            .upload(
                "/account",
                &format!("{page}/papers"),
                &[("title", "Mine")],
                Some(("a.pdf", &pdf(100))),
            )
            .await;
        upload.assert_status(StatusCode::NOT_FOUND);
    }
    assert_eq!(agenda_titles(&app, &fx, meeting).await, ["Housing"]);
}

#[tokio::test]
async fn members_observers_and_rpd_staff_are_refused_the_officers_forms() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let item = add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    let other = add_item(&app, &fx, meeting, json!({"title": "Debt"})).await;
    let page = page_of(&fx, meeting);
    let edit = format!("{page}/items/{}", id(&item));
    let order = [id(&item), id(&other)];
    let step = format!("down:{}", id(&item));

    for who in [&fx.member, &fx.observer, &fx.rpd_staff] {
        let mut browser = signed_in(&app, who).await;
        browser
            .get(&edit)
            .await
            .assert_status(StatusCode::FORBIDDEN);
        let refusals = [
            browser
                .submit(&page, &edit, &[("title", "Mine"), ("version", "1")])
                .await,
            browser
                .submit(
                    &page,
                    &format!("{page}/order"),
                    &[
                        ("item_ids", &order[0]),
                        ("item_ids", &order[1]),
                        ("move", &step),
                    ],
                )
                .await,
            browser
                .submit(&page, &format!("{page}/matters/refresh"), &[])
                .await,
            browser
                .upload(
                    &page,
                    &format!("{page}/papers"),
                    &[("title", "Mine")],
                    Some(("a.pdf", &pdf(100))),
                )
                .await,
        ];
        for refused in refusals {
            refused.assert_status(StatusCode::FORBIDDEN);
            assert!(text(&refused).contains("You do not have permission to do that."));
        }
    }
    let observer_adds = signed_in(&app, &fx.observer)
        .await
        .submit(&page, &format!("{page}/items"), &[("title", "Mine")])
        .await;
    observer_adds.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(agenda_titles(&app, &fx, meeting).await, ["Housing", "Debt"]);
}

#[tokio::test]
async fn a_members_proposal_is_accepted_onto_the_agenda_and_another_declined() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let page = page_of(&fx, meeting);
    let mut member = signed_in(&app, &fx.member).await;
    assert!(text(&member.get(&page).await).contains("Propose an item"));
    for title in ["Women's centre funding", "Parking"] {
        member
            .submit(&page, &format!("{page}/items"), &[("title", title)])
            .await
            .assert_status(StatusCode::SEE_OTHER);
    }
    let proposals = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let ids: Vec<String> = proposals["items"]
        .as_array()
        .map(|items| items.iter().map(id).collect())
        .unwrap_or_default();
    assert_eq!(ids.len(), 2);

    let mut secretary = signed_in(&app, &fx.secretary).await;
    let html = text(&secretary.get(&page).await);
    assert!(html.contains("Proposed items"));
    assert!(html.contains("Proposed by Member"));
    let accepted = secretary
        .submit(
            &page,
            &format!("{page}/items/{}/decision", ids[0]),
            &[("status", "accepted"), ("version", "1")],
        )
        .await;
    accepted.assert_status(StatusCode::SEE_OTHER);
    // A decision on a version since changed is not applied.
    let stale = secretary
        .submit(
            &page,
            &format!("{page}/items/{}/decision", ids[1]),
            &[("status", "declined"), ("version", "7")],
        )
        .await;
    stale.assert_status(StatusCode::PRECONDITION_FAILED);
    assert!(text(&stale).contains("This proposal was changed since you opened the page"));
    secretary
        .submit(
            &page,
            &format!("{page}/items/{}/decision", ids[1]),
            &[("status", "declined"), ("version", "1")],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        agenda_titles(&app, &fx, meeting).await,
        ["Women's centre funding"]
    );
    let html = text(&secretary.get(&page).await);
    assert!(html.contains("Declined items"));
}

#[tokio::test]
async fn a_stale_edit_names_who_changed_the_item_and_keeps_both_texts() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let item = add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    let page = page_of(&fx, meeting);
    let edit = format!("{page}/items/{}", id(&item));
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let form = text(&secretary.get(&edit).await);
    assert!(form.contains("name=\"version\" value=\"1\""));
    assert!(form.contains("value=\"Housing\""));

    app.patch(
        &format!("/api/v1/agenda-items/{}", id(&item)),
        Some(&fx.chair.access),
        json!({"title": "Housing and homelessness"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let mine = [
        ("title", "Housing: the Maidstone hostel"),
        ("description", "What closing it means"),
        ("version", "1"),
    ];
    let stale = secretary.submit(&edit, &edit, &mine).await;
    stale.assert_status(StatusCode::PRECONDITION_FAILED);
    let html = text(&stale);
    assert!(html.contains("Changed by Chair at "));
    assert!(html.contains("since you opened it"));
    assert!(
        html.contains("Housing and homelessness"),
        "their version is shown"
    );
    assert!(
        html.contains("value=\"Housing: the Maidstone hostel\""),
        "mine is kept"
    );
    assert!(html.contains("What closing it means"));
    assert!(html.contains("name=\"version\" value=\"2\""));

    let merged = [
        ("title", "Housing and homelessness: the Maidstone hostel"),
        ("description", "What closing it means"),
        ("version", "2"),
    ];
    secretary
        .submit(&edit, &edit, &merged)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        agenda_titles(&app, &fx, meeting).await,
        ["Housing and homelessness: the Maidstone hostel"]
    );
}

#[tokio::test]
async fn matters_arising_are_brought_up_to_date_and_one_dropped_with_its_reason() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let earlier = builders::meeting(
        app.db(),
        fx.forum,
        "Winter forum",
        now - Duration::days(60),
        now,
    )
    .await;
    let action = builders::action(app.db(), fx.forum, "Map hostel places", "", now).await;
    action_item::Entity::update_many()
        .col_expr(action_item::Column::MeetingId, Expr::val(earlier))
        .filter(action_item::Column::Id.eq(action))
        .exec(app.db())
        .await
        .expect("the action raised at the earlier meeting");
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let page = page_of(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    assert!(text(&secretary.get(&page).await).contains("There are no matters arising."));

    secretary
        .submit(&page, &format!("{page}/matters/refresh"), &[])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let html = text(&secretary.get(&page).await);
    assert!(html.contains("Action: Map hostel places"));
    let entry = html
        .split("/matters/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a drop form")
        .to_string();

    let drop = format!("{page}/matters/{entry}/drop");
    let refused = secretary.submit(&page, &drop, &[("reason", "")]).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains(&format!("href=\"#drop-{entry}\"")));
    assert!(html.contains("govuk-input--error"));
    secretary
        .submit(&page, &drop, &[("reason", "Done since")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(text(&secretary.get(&page).await).contains("Dropped: Done since"));
}

#[tokio::test]
async fn a_paper_too_large_or_of_a_kind_not_taken_is_told_beside_the_file_field() {
    let app = TestApp::spawn_with(|state| state.paper_max_bytes = 64 * 1024).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let item = add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    let page = page_of(&fx, meeting);
    let action = format!("{page}/papers");
    let mut secretary = signed_in(&app, &fx.secretary).await;

    let title = [("title", "Hostel figures")];
    let big = secretary
        .upload(&page, &action, &title, Some(("big.pdf", &pdf(65 * 1024))))
        .await;
    big.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    let program = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0";
    let strange = secretary
        .upload(&page, &action, &title, Some(("figures.pdf", program)))
        .await;
    strange.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    for refused in [&big, &strange] {
        let html = text(refused);
        assert!(html.contains("govuk-file-upload--error"));
        assert!(html.contains("href=\"#file\""));
        assert!(
            html.contains("value=\"Hostel figures\""),
            "the title is kept"
        );
    }
    assert!(text(&big).contains("larger than"));
    assert!(text(&strange).contains("this file"));

    let added = secretary
        .upload(
            &page,
            &action,
            &[("title", "Hostel figures"), ("agenda_item_id", &id(&item))],
            Some(("figures.pdf", &pdf(2000))),
        )
        .await;
    added.assert_status(StatusCode::SEE_OTHER);
    let html = text(&secretary.get(&page).await);
    assert!(html.contains("Hostel figures</a> (PDF, 2 KB)"));
    let link = html
        .split(&format!("href=\"{page}/papers/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a download link")
        .to_string();
    let file = secretary.get(&format!("{page}/papers/{link}")).await;
    file.assert_status(StatusCode::OK);
    assert_eq!(file.body.len(), 2000);
    let pack = secretary.get(&format!("{page}/pack")).await;
    pack.assert_status(StatusCode::OK);
    assert_eq!(pack.header("content-type"), Some("application/zip"));
}

#[tokio::test]
async fn the_meeting_page_costs_the_same_statements_for_three_items_or_twelve() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let page = page_of(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let mut counts = Vec::new();
    for items in [3, 12] {
        while agenda_titles(&app, &fx, meeting).await.len() < items {
            add_item(
                &app,
                &fx,
                meeting,
                json!({"title": "An item", "minutes_allotted": 10}),
            )
            .await;
        }
        let (response, statements) = recorder.during(secretary.get(&page)).await;
        response.assert_status(StatusCode::OK);
        if std::env::var("SHOW_SQL").is_ok() {
            for s in &statements {
                eprintln!("{}\n", &s.sql[..s.sql.len().min(160)]);
            }
        }
        counts.push(statements.len());
    }
    assert_eq!(counts[0], counts[1], "no statement per item");
    eprintln!("the meeting page costs {} statements", counts[0]);
    assert!(counts[0] <= 8, "{counts:?}");
}

#[tokio::test]
async fn a_move_on_an_agenda_another_officer_reordered_since_does_not_undo_their_order() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let a = id(&add_item(&app, &fx, meeting, json!({"title": "Welcome"})).await);
    let b = id(&add_item(&app, &fx, meeting, json!({"title": "Housing"})).await);
    let c = id(&add_item(&app, &fx, meeting, json!({"title": "Debt"})).await);
    let page = page_of(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;

    app.request(
        axum::http::Method::PUT,
        &format!("/api/v1/meetings/{meeting}/agenda-order"),
        Some(&fx.chair.access),
        Some(json!({"item_ids": [c, a, b]})),
    )
    .await
    .assert_status(StatusCode::OK);
    let step = format!("down:{a}");
    let stale = secretary
        .submit(
            &page,
            &format!("{page}/order"),
            &[
                ("item_ids", &a),
                ("item_ids", &b),
                ("item_ids", &c),
                ("move", &step),
            ],
        )
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert!(text(&stale).contains("The agenda has changed since you opened it"));
    assert_eq!(
        agenda_titles(&app, &fx, meeting).await,
        ["Debt", "Welcome", "Housing"]
    );
}

#[tokio::test]
async fn once_held_only_the_secretary_is_offered_the_agenda_and_no_one_a_refresh() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    add_item(&app, &fx, meeting, json!({"title": "Welcome"})).await;
    add_item(&app, &fx, meeting, json!({"title": "Housing"})).await;
    entity::meeting::Entity::update_many()
        .col_expr(
            entity::meeting::Column::Status,
            Expr::val(entity::MeetingStatus::Held.as_str()),
        )
        .filter(entity::meeting::Column::Id.eq(meeting))
        .exec(app.db())
        .await
        .expect("the meeting held");
    let page = page_of(&fx, meeting);

    let secretary = text(&signed_in(&app, &fx.secretary).await.get(&page).await);
    assert!(secretary.contains("Move up"));
    assert!(!secretary.contains("Bring matters arising up to date"));
    let chair = text(&signed_in(&app, &fx.chair).await.get(&page).await);
    for offer in [
        "Move up",
        "Add an item",
        "Upload a paper",
        "/matters/refresh",
    ] {
        assert!(!chair.contains(offer), "the chair was offered {offer}");
    }
    let mut member = signed_in(&app, &fx.member).await;
    assert!(!text(&member.get(&page).await).contains("Propose an item"));
}
