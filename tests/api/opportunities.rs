//! The commissioning pipeline: funding opportunities a region's RPD staff
//! publish, member organisations' interest in them, and the awards made.

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::matrix::check_row;
use crate::support::id;
use crate::support::{Caller, TestApp, TestUser, count};

use Caller::*;

const KSS: &str = "/api/v1/regions/kent-surrey-sussex/opportunities";

fn today(app: &TestApp) -> NaiveDate {
    convene::consultations::london_today(app.state.clock.now())
}

/// An opportunity open from `opens` to `closes` days from today.
fn body(app: &TestApp, opens: i64, closes: i64) -> Value {
    let today = today(app);
    json!({
        "title": "Women's centre services in Kent",
        "description": "Support for women on probation.",
        "mechanism": "grant",
        "commissioner": "probation",
        "value_band": "10k-100k",
        "amount_pence": 5_000_000,
        "opens_on": today + Duration::days(opens),
        "closes_on": today + Duration::days(closes),
        "localities": ["Kent", "Medway"],
        "themes": ["women"],
        "led_by_and_for": ["women", "racially-minoritised-people"]
    })
}

async fn publish(app: &TestApp, by: &TestUser, body: Value) -> Value {
    let response = app.post(KSS, Some(&by.access), body).await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

async fn patch_with(
    app: &TestApp,
    token: Option<&str>,
    opportunity: &str,
    etag: Option<&str>,
    body: Value,
) -> crate::support::TestResponse {
    let headers: Vec<(&str, &str)> = etag.map(|e| ("if-match", e)).into_iter().collect();
    app.request_with_headers(
        Method::PATCH,
        &format!("/api/v1/opportunities/{opportunity}"),
        token,
        &headers,
        Some(body),
    )
    .await
}

#[tokio::test]
async fn rpd_staff_publish_an_opportunity_that_anyone_reads() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let commitment = app
        .commitment(&fx.rpd_staff, plan, "KSS-WOM-1", "women", "specific")
        .await;
    let mut input = body(&app, 0, 30);
    input["commitment_ids"] = json!([commitment]);
    let response = app.post(KSS, Some(&fx.rpd_staff.access), input).await;
    response.assert_status(StatusCode::CREATED);
    let made = response.json();
    let location = format!("/api/v1/opportunities/{}", id(&made));
    assert_eq!(response.header("location"), Some(location.as_str()));
    assert_eq!(response.header("etag"), Some("\"1\""));
    assert_eq!(made["status"], "open");
    assert_eq!(made["region"], "kent-surrey-sussex");
    assert_eq!(made["localities"], json!(["Kent", "Medway"]));
    assert_eq!(made["themes"], json!(["women"]));
    assert_eq!(made["commitment_ids"], json!([commitment]));
    assert_eq!(
        made["led_by_and_for"],
        json!(["racially-minoritised-people", "women"])
    );

    let read = app.get(&location, None).await;
    read.assert_status(StatusCode::OK);
    assert_eq!(read.header("etag"), Some("\"1\""));
    assert_eq!(read.json()["title"], "Women's centre services in Kent");
    assert_eq!(read.json()["awards"], json!([]));

    let listed = app.get(KSS, None).await;
    listed.assert_status(StatusCode::OK);
    assert_eq!(listed.json()["items"][0]["id"], made["id"]);
    let wales = app.get("/api/v1/regions/wales/opportunities", None).await;
    assert_eq!(wales.json()["items"], json!([]));
    app.get("/api/v1/regions/atlantis/opportunities", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/opportunities/{}", Uuid::now_v7()), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);

    let audit = app
        .get(
            &format!("/api/v1/audit?entity_id={}", id(&made)),
            Some(&fx.admin.access),
        )
        .await;
    audit.assert_status(StatusCode::OK);
    assert_eq!(audit.json()["items"][0]["action"], "opportunity.published");
}

#[tokio::test]
async fn every_rule_of_an_opportunity_is_a_422_on_its_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let old_plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Old").await;
    let superseded = app
        .commitment(&fx.rpd_staff, old_plan, "KSS-OLD-1", "women", "general")
        .await;
    app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Current")
        .await;
    let welsh_plan = app.plan(&fx.other_rpd_staff, "wales", "Wales").await;
    let welsh = app
        .commitment(&fx.other_rpd_staff, welsh_plan, "WAL-1", "women", "general")
        .await;
    let too_many: Vec<String> = (0..51).map(|i| format!("Town {i}")).collect();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("an empty title", json!({"title": "  "}), "title"),
        ("a title of two lines", json!({"title": "a\nb"}), "title"),
        (
            "closing before opening",
            json!({"opens_on": "2027-02-01", "closes_on": "2027-01-31"}),
            "closes_on",
        ),
        (
            "no value",
            json!({"value_band": null, "amount_pence": null}),
            "value_band",
        ),
        ("an amount of 0", json!({"amount_pence": 0}), "amount_pence"),
        (
            "an amount outside its band",
            json!({"value_band": "under-10k", "amount_pence": 5_000_000}),
            "amount_pence",
        ),
        (
            "an unnamed other commissioner",
            json!({"commissioner": "other"}),
            "commissioner_name",
        ),
        (
            "too many places",
            json!({"localities": too_many}),
            "localities",
        ),
        (
            "an empty place",
            json!({"localities": [""]}),
            "localities[0]",
        ),
        (
            "a commitment of a superseded plan",
            json!({"commitment_ids": [superseded]}),
            "commitment_ids",
        ),
        (
            "a commitment of another region",
            json!({"commitment_ids": [welsh]}),
            "commitment_ids",
        ),
    ];
    for (what, change, field) in cases {
        let mut input = body(&app, 0, 30);
        for (key, value) in change.as_object().expect("an object") {
            input[key] = value.clone();
        }
        let response = app.post(KSS, Some(&fx.rpd_staff.access), input).await;
        assert_eq!(response.invalid_fields(), [field], "{what}");
    }
    let mut unknown = body(&app, 0, 30);
    unknown["budget"] = json!(1);
    app.post(KSS, Some(&fx.rpd_staff.access), unknown)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let mut named = body(&app, 0, 30);
    named["commissioner"] = json!("other");
    named["commissioner_name"] = json!("Kent County Council");
    named["value_band"] = json!("over-1m");
    named["amount_pence"] = json!(100_000_000);
    let made = publish(&app, &fx.rpd_staff, named).await;
    assert_eq!(made["commissioner_name"], "Kent County Council");

    // The same rules on a change, against the opportunity as it would be.
    let opportunity = id(&made);
    for (change, field) in [
        (json!({"closes_on": "2000-01-01"}), "closes_on"),
        (json!({"commissioner_name": null}), "commissioner_name"),
        (json!({"value_band": "under-10k"}), "amount_pence"),
        (json!({"status": "open"}), "status"),
        (json!({"status": "withdrawn"}), "withdrawn_reason"),
        (json!({"withdrawn_reason": "No money"}), "withdrawn_reason"),
        (json!({"commitment_ids": [superseded]}), "commitment_ids"),
    ] {
        let response = patch_with(
            &app,
            Some(&fx.rpd_staff.access),
            &opportunity,
            Some("\"1\""),
            change.clone(),
        )
        .await;
        assert_eq!(response.invalid_fields(), [field], "{change}");
    }
}

#[tokio::test]
async fn changes_need_the_current_etag_and_a_withdrawn_opportunity_is_final() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let made = publish(&app, &fx.rpd_staff, body(&app, 0, 30)).await;
    let opportunity = id(&made);
    let token = Some(fx.rpd_staff.access.as_str());

    patch_with(&app, token, &opportunity, None, json!({"title": "New"}))
        .await
        .assert_problem(StatusCode::PRECONDITION_REQUIRED);
    let changed = patch_with(
        &app,
        token,
        &opportunity,
        Some("\"1\""),
        json!({"title": "Women's centres", "themes": ["women", "accommodation"],
               "localities": ["Surrey"]}),
    )
    .await;
    changed.assert_status(StatusCode::OK);
    assert_eq!(changed.header("etag"), Some("\"2\""));
    assert_eq!(changed.json()["themes"], json!(["women", "accommodation"]));
    assert_eq!(changed.json()["localities"], json!(["Surrey"]));
    patch_with(
        &app,
        token,
        &opportunity,
        Some("\"1\""),
        json!({"title": "Stale"}),
    )
    .await
    .assert_problem(StatusCode::PRECONDITION_FAILED);
    // Nothing changed: no new version.
    let same = patch_with(
        &app,
        token,
        &opportunity,
        Some("\"2\""),
        json!({"title": "Women's centres", "themes": ["accommodation", "women"]}),
    )
    .await;
    same.assert_status(StatusCode::OK);
    assert_eq!(same.header("etag"), Some("\"2\""));
    // A change of its lists alone is a new version.
    let lists = patch_with(
        &app,
        token,
        &opportunity,
        Some("\"2\""),
        json!({"led_by_and_for": ["lived-experience"]}),
    )
    .await;
    lists.assert_status(StatusCode::OK);
    assert_eq!(lists.header("etag"), Some("\"3\""));

    let withdrawn = patch_with(
        &app,
        token,
        &opportunity,
        Some("\"3\""),
        json!({"status": "withdrawn", "withdrawn_reason": "The budget was cut"}),
    )
    .await;
    withdrawn.assert_status(StatusCode::OK);
    assert_eq!(withdrawn.json()["status"], "withdrawn");
    assert_eq!(withdrawn.json()["withdrawn_reason"], "The budget was cut");
    patch_with(
        &app,
        token,
        &opportunity,
        Some("\"4\""),
        json!({"title": "Again"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    app.post(
        &format!("/api/v1/opportunities/{opportunity}/awards"),
        token,
        json!({"recipient_name": "Kent Women's Trust", "amount_pence": 100}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    app.post(
        &format!("/api/v1/opportunities/{opportunity}/interest"),
        Some(&fx.member.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn member_organisations_register_interest_once_and_officers_see_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opportunity = id(&publish(&app, &fx.rpd_staff, body(&app, 0, 30)).await);
    let interest = format!("/api/v1/opportunities/{opportunity}/interest");
    let interests = format!("/api/v1/opportunities/{opportunity}/interests");

    let registered = app
        .post(
            &interest,
            Some(&fx.member.access),
            json!({"note": "We run two women's centres"}),
        )
        .await;
    registered.assert_status(StatusCode::CREATED);
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_id={}", id(&registered.json())),
            Some(&fx.admin.access),
        )
        .await;
    assert_eq!(
        audit.json()["items"][0]["action"],
        "opportunity.interest_registered"
    );
    assert_eq!(
        registered.json()["organisation_id"],
        json!(fx.member_organisation)
    );
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    app.post(&interest, Some(&colleague.access), json!({}))
        .await
        .assert_problem(StatusCode::CONFLICT);
    app.post(&interest, Some(&fx.member.access), json!({"note": ""}))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);

    let listed = app.get(&interests, Some(&fx.secretary.access)).await;
    listed.assert_status(StatusCode::OK);
    let items = listed.json()["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(1));
    assert_eq!(items[0]["organisation_name"], "Member's charity");
    assert_eq!(items[0]["note"], "We run two women's centres");

    // Anyone of the organisation withdraws it.
    app.request(Method::DELETE, &interest, Some(&colleague.access), None)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.request(Method::DELETE, &interest, Some(&fx.member.access), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let listed = app.get(&interests, Some(&fx.rpd_staff.access)).await;
    assert_eq!(listed.json()["items"], json!([]));
    app.post(&interest, Some(&fx.member.access), json!({}))
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_of_one_organisation_registering_at_once_register_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let served = app.serve().await;
    for _ in 0..5 {
        let opportunity = id(&publish(&app, &fx.rpd_staff, body(&app, 0, 30)).await);
        let path = format!("/api/v1/opportunities/{opportunity}/interest");
        let tokens = [fx.member.access.clone(), colleague.access.clone()];
        let statuses = served
            .race(2, |i, client, base| {
                client
                    .post(format!("{base}{path}"))
                    .bearer_auth(&tokens[i])
                    .json(&json!({"note": format!("From {i}")}))
            })
            .await;
        assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
        assert_eq!(count(&statuses, StatusCode::CONFLICT), 1, "{statuses:?}");
    }
}

#[tokio::test]
async fn an_award_keeps_the_organisation_as_it_stood() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let made = publish(&app, &fx.rpd_staff, body(&app, -30, -1)).await;
    assert_eq!(made["status"], "closed");
    let opportunity = id(&made);
    let awards = format!("/api/v1/opportunities/{opportunity}/awards");

    let response = app
        .post(
            &awards,
            Some(&fx.rpd_staff.access),
            json!({"organisation_id": fx.member_organisation, "amount_pence": 4_500_000,
                   "starts_on": "2027-04-01", "ends_on": "2028-03-31"}),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    let award = response.json();
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_id={}", id(&award)),
            Some(&fx.admin.access),
        )
        .await;
    assert_eq!(audit.json()["items"][0]["action"], "opportunity.awarded");
    assert_eq!(award["size_band"], "small");
    assert_eq!(award["in_supply_chain"], false);
    assert_eq!(award["led_by_and_for"], json!(["lived-experience"]));
    let read = app
        .get(&format!("/api/v1/opportunities/{opportunity}"), None)
        .await;
    assert_eq!(read.json()["status"], "awarded");
    assert_eq!(read.header("etag"), Some("\"2\""));

    // The organisation grows and joins the supply chain afterwards.
    entity::organisation::ActiveModel {
        id: Set(fx.member_organisation),
        size_band: Set(entity::SizeBand::Medium),
        in_supply_chain: Set(true),
        ..Default::default()
    }
    .update(app.db())
    .await
    .expect("the organisation changes");
    let listed = app.get(&awards, None).await;
    listed.assert_status(StatusCode::OK);
    let kept = &listed.json()["items"][0];
    assert_eq!(kept["size_band"], "small");
    assert_eq!(kept["in_supply_chain"], false);
    assert_eq!(kept["led_by_and_for"], json!(["lived-experience"]));

    // An outside body, by name; a second award leaves the version alone.
    let outside = app
        .post(
            &awards,
            Some(&fx.admin.access),
            json!({"recipient_name": "Surrey Community Foundation", "amount_pence": 100}),
        )
        .await;
    outside.assert_status(StatusCode::CREATED);
    assert_eq!(outside.json()["size_band"], Value::Null);
    let read = app
        .get(&format!("/api/v1/opportunities/{opportunity}"), None)
        .await;
    assert_eq!(read.json()["awards"].as_array().map(Vec::len), Some(2));
    assert_eq!(read.header("etag"), Some("\"2\""));
    // An awarded opportunity is not withdrawn.
    patch_with(
        &app,
        Some(&fx.rpd_staff.access),
        &opportunity,
        Some("\"2\""),
        json!({"status": "withdrawn", "withdrawn_reason": "Too late"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn every_rule_of_an_award_is_a_422() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opportunity = id(&publish(&app, &fx.rpd_staff, body(&app, 0, 30)).await);
    let awards = format!("/api/v1/opportunities/{opportunity}/awards");
    let org = fx.member_organisation;
    for (input, field) in [
        (json!({"amount_pence": 100}), "recipient_name"),
        (
            json!({"organisation_id": org, "recipient_name": "Both", "amount_pence": 100}),
            "recipient_name",
        ),
        (
            json!({"recipient_name": "A trust", "amount_pence": 0}),
            "amount_pence",
        ),
        (
            json!({"recipient_name": "", "amount_pence": 10}),
            "recipient_name",
        ),
        (
            json!({"recipient_name": "A trust", "amount_pence": 10,
                   "starts_on": "2027-04-01", "ends_on": "2027-03-31"}),
            "ends_on",
        ),
        (
            json!({"organisation_id": Uuid::now_v7(), "amount_pence": 10}),
            "organisation_id",
        ),
    ] {
        let response = app
            .post(&awards, Some(&fx.rpd_staff.access), input.clone())
            .await;
        assert_eq!(response.invalid_fields(), [field], "{input}");
    }
    let read = app.get(&awards, None).await;
    assert_eq!(read.json()["items"], json!([]));
}

#[tokio::test]
async fn the_list_filters_by_where_each_stands_today() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Opens tomorrow, and closes a week today.
    let upcoming = id(&publish(&app, &fx.rpd_staff, body(&app, 1, 7)).await);
    // Opened today.
    let open = id(&publish(&app, &fx.rpd_staff, body(&app, 0, 5)).await);
    let closed = id(&publish(&app, &fx.rpd_staff, body(&app, -10, -1)).await);
    let withdrawn = id(&publish(&app, &fx.rpd_staff, body(&app, -5, 20)).await);
    patch_with(
        &app,
        Some(&fx.rpd_staff.access),
        &withdrawn,
        Some("\"1\""),
        json!({"status": "withdrawn", "withdrawn_reason": "Merged into another"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let mut contract = body(&app, -20, -10);
    contract["mechanism"] = json!("contract");
    contract["themes"] = json!(["accommodation"]);
    contract["led_by_and_for"] = json!(["young-people"]);
    let awarded = id(&publish(&app, &fx.rpd_staff, contract).await);
    app.post(
        &format!("/api/v1/opportunities/{awarded}/awards"),
        Some(&fx.rpd_staff.access),
        json!({"recipient_name": "Kent Housing Trust", "amount_pence": 2_000_000}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let ids = |query: String| {
        let app = &app;
        async move {
            let response = app.get(&format!("{KSS}?{query}"), None).await;
            response.assert_status(StatusCode::OK);
            let mut ids: Vec<String> = response.json()["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(id)
                .collect();
            ids.sort();
            ids
        }
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<String>>()
    };
    assert_eq!(ids("status=upcoming".into()).await, vec![upcoming.clone()]);
    assert_eq!(ids("status=open".into()).await, vec![open.clone()]);
    assert_eq!(ids("status=closed".into()).await, vec![closed.clone()]);
    assert_eq!(
        ids("status=withdrawn".into()).await,
        vec![withdrawn.clone()]
    );
    assert_eq!(ids("status=awarded".into()).await, vec![awarded.clone()]);
    assert_eq!(
        ids("mechanism=contract".into()).await,
        vec![awarded.clone()]
    );
    assert_eq!(
        ids("theme=accommodation".into()).await,
        vec![awarded.clone()]
    );
    assert_eq!(
        ids("led_by_and_for=young-people".into()).await,
        vec![awarded.clone()]
    );
    assert_eq!(
        ids("mechanism=grant&theme=women&led_by_and_for=women".into()).await,
        sorted(vec![&upcoming, &open, &closed, &withdrawn])
    );
    assert_eq!(ids("".into()).await.len(), 5);
    app.get(&format!("{KSS}?status=pending"), None)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);

    // A week on, the upcoming one is open (its last day) and the open one
    // has closed.
    app.state.clock.advance(Duration::days(7));
    assert_eq!(ids("status=upcoming".into()).await, Vec::<String>::new());
    assert_eq!(ids("status=open".into()).await, vec![upcoming.clone()]);
    assert_eq!(
        ids("status=closed".into()).await,
        sorted(vec![&open, &closed])
    );
    let read = app
        .get(&format!("/api/v1/opportunities/{open}"), None)
        .await;
    assert_eq!(read.json()["status"], "closed");

    // Pages of one, newest first, every one once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{KSS}?limit=1&cursor={c}"),
            None => format!("{KSS}?limit=1"),
        };
        let page = app.get(&path, None).await.json();
        seen.extend(page["items"].as_array().expect("items").iter().map(id));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut newest_first = seen.clone();
    newest_first.sort();
    newest_first.reverse();
    assert_eq!(seen, newest_first);
}

#[tokio::test]
async fn the_list_exports_every_matching_row_as_csv() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut formula = body(&app, 0, 30);
    formula["title"] = json!("=HYPERLINK(\"http://x.example\")");
    publish(&app, &fx.rpd_staff, formula).await;
    publish(&app, &fx.rpd_staff, body(&app, 1, 30)).await;
    let mut contract = body(&app, 0, 30);
    contract["mechanism"] = json!("contract");
    publish(&app, &fx.rpd_staff, contract).await;

    let response = app.get_csv(&format!("{KSS}?mechanism=grant"), None).await;
    response.assert_status(StatusCode::OK);
    assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    let mut reader = csv::Reader::from_reader(response.body.as_ref());
    let headers: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    for column in ["id", "title", "mechanism", "status", "themes", "localities"] {
        assert!(headers.iter().any(|h| h == column), "{column}: {headers:?}");
    }
    let column = |name: &str| headers.iter().position(|h| h == name).expect("a column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 2);
    let statuses: Vec<&str> = rows.iter().map(|r| &r[column("status")]).collect();
    assert_eq!(statuses, ["upcoming", "open"]);
    assert_eq!(
        &rows[1][column("title")],
        "'=HYPERLINK(\"http://x.example\")"
    );
    assert_eq!(&rows[0][column("localities")], "Kent; Medway");
    assert_eq!(&rows[0][column("mechanism")], "grant");
}

#[tokio::test]
async fn who_may_do_what_with_opportunities() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opportunity = id(&publish(&app, &fx.rpd_staff, body(&app, 0, 30)).await);
    let one = format!("/api/v1/opportunities/{opportunity}");
    let keepers = |ok: StatusCode| {
        move |caller: Caller| match caller {
            Public => StatusCode::UNAUTHORIZED,
            RpdStaff | Admin => ok,
            _ => StatusCode::FORBIDDEN,
        }
    };

    check_row(
        "POST /regions/{code}/opportunities",
        keepers(StatusCode::CREATED),
        async |caller| app.post(KSS, fx.token(caller), body(&app, 0, 30)).await,
    )
    .await;
    check_row(
        "GET /regions/{code}/opportunities",
        |_| StatusCode::OK,
        async |caller| app.get(KSS, fx.token(caller)).await,
    )
    .await;
    check_row(
        "GET /opportunities/{id}",
        |_| StatusCode::OK,
        async |caller| app.get(&one, fx.token(caller)).await,
    )
    .await;
    check_row(
        "PATCH /opportunities/{id}",
        keepers(StatusCode::OK),
        async |caller| {
            patch_with(
                &app,
                fx.token(caller),
                &opportunity,
                Some("*"),
                json!({"title": format!("Edited by {caller:?}")}),
            )
            .await
        },
    )
    .await;
    check_row(
        "POST /opportunities/{id}/interest",
        |caller| match caller {
            Public => StatusCode::UNAUTHORIZED,
            Member => StatusCode::CREATED,
            _ => StatusCode::FORBIDDEN,
        },
        async |caller| {
            app.post(&format!("{one}/interest"), fx.token(caller), json!({}))
                .await
        },
    )
    .await;
    check_row(
        "GET /opportunities/{id}/interests",
        |caller| match caller {
            Public => StatusCode::UNAUTHORIZED,
            Secretary | Chair | RpdStaff | Admin => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        },
        async |caller| app.get(&format!("{one}/interests"), fx.token(caller)).await,
    )
    .await;
    check_row(
        "DELETE /opportunities/{id}/interest",
        |caller| match caller {
            Public => StatusCode::UNAUTHORIZED,
            Member => StatusCode::NO_CONTENT,
            _ => StatusCode::FORBIDDEN,
        },
        async |caller| {
            app.request(
                Method::DELETE,
                &format!("{one}/interest"),
                fx.token(caller),
                None,
            )
            .await
        },
    )
    .await;
    check_row(
        "POST /opportunities/{id}/awards",
        keepers(StatusCode::CREATED),
        async |caller| {
            app.post(
                &format!("{one}/awards"),
                fx.token(caller),
                json!({"recipient_name": format!("Trust of {caller:?}"), "amount_pence": 100}),
            )
            .await
        },
    )
    .await;
    check_row(
        "GET /opportunities/{id}/awards",
        |_| StatusCode::OK,
        async |caller| app.get(&format!("{one}/awards"), fx.token(caller)).await,
    )
    .await;
}

#[tokio::test]
async fn the_database_keeps_the_rules_of_its_own() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let made = publish(&app, &fx.rpd_staff, body(&app, 0, 30)).await;
    let opportunity: Uuid = id(&made).parse().expect("a uuid");
    let now = app.state.clock.now();
    let stored = entity::opportunity::Entity::find_by_id(opportunity)
        .one(app.db())
        .await
        .expect("read")
        .expect("the opportunity");

    // Closing before opening.
    let mut backwards = stored.clone();
    backwards.id = Uuid::now_v7();
    backwards.closes_on = backwards.opens_on - Duration::days(1);
    let refused = backwards.into_active_model().insert(app.db()).await;
    assert!(refused.is_err(), "closes_on before opens_on was stored");

    // An award to both an organisation and an outside body, or to neither.
    let award =
        |organisation_id: Option<Uuid>, recipient_name: Option<&str>| entity::award::ActiveModel {
            id: Set(Uuid::now_v7()),
            opportunity_id: Set(opportunity),
            organisation_id: Set(organisation_id),
            recipient_name: Set(recipient_name.map(String::from)),
            amount_pence: Set(100),
            starts_on: Set(None),
            ends_on: Set(None),
            size_band: Set(Some(entity::SizeBand::Small)),
            in_supply_chain: Set(Some(false)),
            created_by: Set(None),
            created_at: Set(now),
            status: Set(entity::AwardStatus::Awarded),
            withdrawn_reason: Set(None),
            version: Set(1),
            updated_at: Set(now),
        };
    let org = Some(fx.member_organisation);
    assert!(award(org, Some("Both")).insert(app.db()).await.is_err());
    assert!(award(None, None).insert(app.db()).await.is_err());
    let mut nothing = award(None, Some("A trust"));
    nothing.amount_pence = Set(0);
    assert!(nothing.insert(app.db()).await.is_err());
    award(org, None)
        .insert(app.db())
        .await
        .expect("one recipient");

    // One interest per organisation.
    let interest = || entity::opportunity_interest::ActiveModel {
        id: Set(Uuid::now_v7()),
        opportunity_id: Set(opportunity),
        organisation_id: Set(fx.member_organisation),
        registered_by: Set(None),
        note: Set(None),
        created_at: Set(now),
    };
    interest().insert(app.db()).await.expect("the first");
    assert!(interest().insert(app.db()).await.is_err());
}
