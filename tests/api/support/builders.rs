//! Fixtures written straight to the database: the one place each table's
//! row is spelled out for the tests. A test that is about a write makes it
//! through HTTP; everything it merely needs in place comes from here, which
//! costs a statement rather than a request.

use chrono::{DateTime, Utc};
use entity::{
    ActionStatus, ForumRole, LedByAndFor, MeetingStatus, MembershipStatus, SizeBand, Theme,
    action_item, forum, forum_membership, forum_role, meeting, organisation, organisation_led_by,
    organisation_region, organisation_theme, region, user,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// A person's account: `verified` is when their address was confirmed
/// (`None`: not yet), `password_hash` what they sign in with.
pub struct Person<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub organisation_id: Option<Uuid>,
    pub verified: Option<DateTime<Utc>>,
}

pub async fn person(db: &DatabaseConnection, p: Person<'_>, now: DateTime<Utc>) -> Uuid {
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        email: Set(p.email.to_string()),
        display_name: Set(p.name.to_string()),
        password_hash: Set(p.password_hash.to_string()),
        organisation_id: Set(p.organisation_id),
        is_admin: Set(p.is_admin),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        email_verified_at: Set(p.verified),
        verification_sent_at: Set(None),
        password_reset_sent_at: Set(None),
        email_change_sent_at: Set(None),
    }
    .insert(db)
    .await
    .expect("insert a person");
    id
}

/// Links a person to the organisation they work for.
pub async fn works_for(db: &DatabaseConnection, person: Uuid, organisation: Uuid) {
    user::ActiveModel {
        id: Set(person),
        organisation_id: Set(Some(organisation)),
        ..Default::default()
    }
    .update(db)
    .await
    .expect("link a person to their organisation");
}

/// A small charity outside the supply chain, led by people with lived
/// experience, working on accommodation and women in Wales (as
/// `organisation_body` describes one).
pub async fn organisation(db: &DatabaseConnection, name: &str, now: DateTime<Utc>) -> Uuid {
    let id = Uuid::now_v7();
    organisation::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        charity_number: Set(None),
        website: Set(Some("https://example.org".into())),
        description: Set("Peer mentoring for people leaving prison".into()),
        size_band: Set(SizeBand::Small),
        in_supply_chain: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert an organisation");
    organisation_led_by::ActiveModel {
        organisation_id: Set(id),
        category: Set(LedByAndFor::LivedExperience),
    }
    .insert(db)
    .await
    .expect("its led-by-and-for group");
    for theme in [Theme::Accommodation, Theme::Women] {
        organisation_theme::ActiveModel {
            organisation_id: Set(id),
            theme: Set(theme),
        }
        .insert(db)
        .await
        .expect("its theme");
    }
    organisation_region::ActiveModel {
        organisation_id: Set(id),
        region_id: Set(region_id(db, "wales").await),
    }
    .insert(db)
    .await
    .expect("its region");
    id
}

pub async fn region_id(db: &DatabaseConnection, code: &str) -> Uuid {
    region::Entity::find()
        .filter(region::Column::Code.eq(code))
        .one(db)
        .await
        .expect("read the regions")
        .unwrap_or_else(|| panic!("no region {code}"))
        .id
}

/// The forum of a region (a region has one).
pub async fn forum(db: &DatabaseConnection, region: &str, name: &str, now: DateTime<Utc>) -> Uuid {
    let id = Uuid::now_v7();
    forum::ActiveModel {
        id: Set(id),
        region_id: Set(region_id(db, region).await),
        name: Set(name.to_string()),
        description: Set(String::new()),
        terms_of_reference: Set(String::new()),
        issue_response_days: Set(28),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert a forum");
    id
}

/// An organisation's place in a forum.
pub async fn membership(
    db: &DatabaseConnection,
    forum: Uuid,
    organisation: Uuid,
    status: MembershipStatus,
    now: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::now_v7();
    forum_membership::ActiveModel {
        id: Set(id),
        forum_id: Set(forum),
        organisation_id: Set(organisation),
        status: Set(status),
        statement: Set("We support families of people in prison".into()),
        status_reason: Set(None),
        applied_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert a membership");
    id
}

/// A person's role in a forum.
pub async fn role(
    db: &DatabaseConnection,
    forum: Uuid,
    person: Uuid,
    role: ForumRole,
    now: DateTime<Utc>,
) {
    forum_role::ActiveModel {
        forum_id: Set(forum),
        user_id: Set(person),
        role: Set(role),
        assigned_by: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert a role");
}

/// A scheduled meeting of the forum, two hours long, with a place and a link.
pub async fn meeting(
    db: &DatabaseConnection,
    forum: Uuid,
    title: &str,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::now_v7();
    meeting::ActiveModel {
        id: Set(id),
        forum_id: Set(forum),
        title: Set(title.to_string()),
        description: Set(String::new()),
        starts_at: Set(starts_at),
        ends_at: Set(starts_at + chrono::Duration::hours(2)),
        location: Set(Some("Maidstone Community Hub".into())),
        online_link: Set(Some("https://meet.example.org/kss".into())),
        status: Set(MeetingStatus::Scheduled),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        series_id: Set(None),
        occurrence_start: Set(None),
        is_exception: Set(false),
    }
    .insert(db)
    .await
    .expect("insert a meeting");
    id
}

/// An open action of the forum, with no owner, due date or links: nothing
/// the report counts or anyone is told of.
pub async fn action(
    db: &DatabaseConnection,
    forum: Uuid,
    title: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::now_v7();
    action_item::ActiveModel {
        id: Set(id),
        forum_id: Set(forum),
        meeting_id: Set(None),
        title: Set(title.to_string()),
        description: Set(description.to_string()),
        owner_organisation_id: Set(None),
        owner_user_id: Set(None),
        due_on: Set(None),
        status: Set(ActionStatus::Open),
        completed_at: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        agenda_item_id: Set(None),
    }
    .insert(db)
    .await
    .expect("insert an action");
    id
}

/// Approved minutes of a held meeting of the forum, approved at `approved_at`.
pub async fn approved_minutes(
    db: &DatabaseConnection,
    forum: Uuid,
    title: &str,
    approved_at: DateTime<Utc>,
) -> Uuid {
    let meeting = meeting(
        db,
        forum,
        title,
        approved_at - chrono::Duration::days(30),
        approved_at,
    )
    .await;
    entity::minutes::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting),
        status: Set(entity::MinutesStatus::Approved),
        version: Set(1),
        approved_by: Set(None),
        approved_at: Set(Some(approved_at)),
        created_at: Set(approved_at),
        updated_at: Set(approved_at),
    }
    .insert(db)
    .await
    .expect("insert minutes");
    meeting
}

/// A consultation of the forum in `status`, submitted on `submitted_on`
/// with `reference` when it was.
pub async fn consultation(
    db: &DatabaseConnection,
    forum: Uuid,
    title: &str,
    status: entity::ConsultationStatus,
    submitted: Option<(chrono::NaiveDate, &str)>,
    now: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::now_v7();
    let closes_on = now.date_naive() + chrono::Duration::days(10);
    entity::consultation::ActiveModel {
        id: Set(id),
        forum_id: Set(forum),
        title: Set(title.to_string()),
        consulting_body: Set("Ministry of Justice".into()),
        source_url: Set(None),
        description: Set(String::new()),
        closes_on: Set(closes_on),
        internal_deadline: Set(closes_on - chrono::Duration::days(3)),
        status: Set(status),
        submitted_on: Set(submitted.map(|s| s.0)),
        submission_reference: Set(submitted.map(|s| s.1.to_string())),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert a consultation");
    id
}
