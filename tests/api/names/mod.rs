//! Names, not ids: wherever a reader may see who did something, the API
//! gives the name beside the id — an organisation's to anyone, a person's
//! only to those who take part in the forum the record is of (`null` for
//! anyone else) — in JSON and in CSV, and CSV opens in a spreadsheet as it
//! was written.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestUser};

mod csv_exports;
mod forum_records;
mod public_records;
mod region_records;

/// The name the fixture's people are given, as display names.
const MEMBER: &str = "Member";
const MEMBER_ORGANISATION: &str = "Member's charity";
const SECRETARY: &str = "Secretary";
const CHAIR: &str = "Chair";
const RPD: &str = "Rpd";

/// What `who` reads at `path` (200 expected), as JSON.
async fn read(app: &TestApp, path: &str, who: Option<&TestUser>) -> Value {
    let response = app.get(path, who.map(|w| w.access.as_str())).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

/// The fixture's callers who must not be shown people's names on the
/// forum's public records: the public, someone signed in with no part in
/// it, and the people of the other region's forum.
fn outsiders(fx: &ForumFixture) -> [(&'static str, Option<&TestUser>); 4] {
    [
        ("the public", None),
        ("someone signed in", Some(&fx.signed_in)),
        ("another forum's member", Some(&fx.other_member)),
        ("another region's RPD staff", Some(&fx.other_rpd_staff)),
    ]
}

/// The fixture's callers who take part in the forum.
fn participants(fx: &ForumFixture) -> [(&'static str, &TestUser); 5] {
    [
        ("a member", &fx.member),
        ("an observer", &fx.observer),
        ("the secretary", &fx.secretary),
        ("the region's RPD staff", &fx.rpd_staff),
        ("an admin", &fx.admin),
    ]
}

fn uuid_of(value: &Value) -> Uuid {
    crate::support::uuid(value)
}

/// An action of the forum owned by the member's organisation and the
/// member, recorded by the secretary.
async fn owned_action(app: &TestApp, fx: &ForumFixture) -> Value {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map the housing pathway",
                   "owner_organisation_id": fx.member_organisation,
                   "owner_user_id": fx.member.id}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}

/// An opening funding opportunity of the fixture's region, published by
/// its RPD staff.
async fn publish_opportunity(app: &TestApp, fx: &ForumFixture) -> Value {
    let today = convene::consultations::london_today(app.state.clock.now());
    let made = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({"title": "Women's centre services in Kent",
                   "description": "Support for women on probation.",
                   "mechanism": "grant", "commissioner": "probation",
                   "value_band": "10k-100k", "amount_pence": 5_000_000,
                   "opens_on": today - chrono::Duration::days(30),
                   "closes_on": today - chrono::Duration::days(1),
                   "localities": ["Kent"], "themes": ["women"]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}
