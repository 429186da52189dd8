//! Who hears of an event: people who take part in its forum, chosen by role,
//! by name or by organisation. The person who caused it is not told.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use entity::{
    ForumRole, NotificationMode, RsvpResponse, forum_role, meeting_rsvp, notification_setting,
    outbox_event, user,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use crate::kernel::events::Kind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// How they want this kind: never `off` (they are not told at all).
    pub mode: NotificationMode,
}

/// Of a meeting's participants, those its reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answered {
    /// Everyone who has not said they will not come.
    NotDeclined,
    /// Everyone who has not answered yet.
    Not,
}

/// Whom an event concerns, among the forum's participants.
#[derive(Debug, Default, PartialEq, Eq)]
struct Audience {
    /// Everyone who takes part in the forum.
    everyone: bool,
    roles: Vec<ForumRole>,
    people: Vec<Uuid>,
    organisations: Vec<Uuid>,
    /// The people and organisations named are told even if they do not (or
    /// no longer) take part in the forum: an applicant, a person whose role
    /// was taken away.
    outside_forum: bool,
    /// Narrowed by their answer to the event's meeting.
    answered: Option<Answered>,
}

const OFFICERS: [ForumRole; 2] = [ForumRole::Secretary, ForumRole::Chair];

fn id_in(payload: &Value, field: &str) -> Option<Uuid> {
    payload.get(field)?.as_str()?.parse().ok()
}

fn audience(kind: Kind, payload: &Value) -> Audience {
    let owners = || Audience {
        people: id_in(payload, "owner_user_id").into_iter().collect(),
        organisations: id_in(payload, "owner_organisation_id")
            .into_iter()
            .collect(),
        ..Audience::default()
    };
    match kind {
        Kind::MeetingScheduled
        | Kind::MeetingRescheduled
        | Kind::MeetingCancelled
        | Kind::MinutesApproved
        | Kind::CommitmentMoved
        | Kind::ConsultationRegistered
        | Kind::ContributionsClosing
        | Kind::PollOpening
        | Kind::PollClosing => Audience {
            everyone: true,
            ..Audience::default()
        },
        // What the forum does with an issue, the RPD's team and the officers
        // hear of; what the RPD's team does, the raiser and the officers.
        Kind::IssueRaised | Kind::IssueReopened | Kind::IssueClosed => Audience {
            roles: [OFFICERS.as_slice(), &[ForumRole::RpdStaff]].concat(),
            ..Audience::default()
        },
        Kind::IssueAcknowledged | Kind::IssueResponded => Audience {
            roles: OFFICERS.to_vec(),
            people: id_in(payload, "raised_by").into_iter().collect(),
            ..Audience::default()
        },
        Kind::ActionAssigned | Kind::ActionProgress | Kind::ActionMoved => owners(),
        Kind::AgendaItemProposed
        | Kind::MembershipApplied
        | Kind::WebhookDisabled
        | Kind::ConsultationClosing => Audience {
            roles: OFFICERS.to_vec(),
            ..Audience::default()
        },
        Kind::AgendaItemDecided => Audience {
            people: id_in(payload, "proposed_by").into_iter().collect(),
            ..Audience::default()
        },
        Kind::MembershipDecided => Audience {
            organisations: id_in(payload, "organisation_id").into_iter().collect(),
            outside_forum: true,
            ..Audience::default()
        },
        Kind::RoleGiven | Kind::RoleRemoved => Audience {
            people: id_in(payload, "person").into_iter().collect(),
            outside_forum: true,
            ..Audience::default()
        },
        // An action falling due: its owners, and the officers who chase it.
        Kind::ActionDueSoon | Kind::ActionDueToday | Kind::ActionOverdue => Audience {
            roles: OFFICERS.to_vec(),
            ..owners()
        },
        Kind::IssueResponseDueSoon | Kind::IssueResponseOverdue => Audience {
            roles: [OFFICERS.as_slice(), &[ForumRole::RpdStaff]].concat(),
            ..Audience::default()
        },
        Kind::MeetingTomorrow => Audience {
            everyone: true,
            answered: Some(Answered::NotDeclined),
            ..Audience::default()
        },
        Kind::RsvpClosing => Audience {
            everyone: true,
            answered: Some(Answered::Not),
            ..Audience::default()
        },
        Kind::PasswordReset
        | Kind::EmailVerification
        | Kind::AccountExists
        | Kind::EmailChange
        | Kind::EmailChangeRequested
        | Kind::EmailTaken
        | Kind::EmailChanged
        | Kind::Digest => Audience {
            people: id_in(payload, "to").into_iter().collect(),
            outside_forum: true,
            ..Audience::default()
        },
    }
}

/// Whether a meeting's invitation (scheduled, moved or cancelled) would be
/// for a time already past when the change was made: a meeting recorded
/// after it was held, or corrected afterwards, invites nobody.
fn already_past(kind: Kind, payload: &Value, at: DateTime<Utc>) -> bool {
    let passed = |field: &str| {
        payload
            .get(field)
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<DateTime<Utc>>().ok())
            .is_none_or(|start| start <= at)
    };
    kind.invites() && passed("starts_at") && passed("previous_starts_at")
}

/// Where an email about a person's own account goes: the address it
/// concerns, which its event names (a new address to confirm is not yet
/// the account's; an old one told of a change may no longer be). Events
/// that name none go to the account's address.
fn account_address(kind: Kind, payload: &Value) -> Option<String> {
    kind.is_account()
        .then(|| payload.get("address")?.as_str().map(str::to_string))
        .flatten()
}

/// The people to tell of the event, each once, in a stable order, with
/// how each wants to hear of it.
pub async fn of(
    conn: &impl ConnectionTrait,
    event: &outbox_event::Model,
    kind: Kind,
) -> Result<Vec<Recipient>, DbErr> {
    if already_past(kind, &event.payload, event.created_at) {
        return Ok(Vec::new());
    }
    let audience = audience(kind, &event.payload);
    if audience == Audience::default() {
        return Ok(Vec::new());
    }
    let mut chosen = Condition::any();
    if audience.everyone {
        chosen = chosen.add(forum_role::Column::ForumId.is_not_null());
    }
    if !audience.roles.is_empty() {
        chosen = chosen.add(forum_role::Column::Role.is_in(audience.roles));
    }
    if !audience.people.is_empty() {
        chosen = chosen.add(user::Column::Id.is_in(audience.people));
    }
    if !audience.organisations.is_empty() {
        chosen = chosen.add(user::Column::OrganisationId.is_in(audience.organisations));
    }
    let mut people = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Email)
        .column(user::Column::DisplayName)
        .filter(user::Column::Disabled.eq(false))
        .filter(chosen);
    if !kind.mails_unverified() {
        people = people.filter(user::Column::EmailVerifiedAt.is_not_null());
    }
    if let Some(answered) = audience.answered {
        people = people.filter(Expr::exists(answer(event.entity_id, answered)).not());
    }
    if !audience.outside_forum {
        let Some(forum_id) = event.forum_id else {
            return Ok(Vec::new());
        };
        people = people
            .distinct()
            .join_rev(JoinType::InnerJoin, forum_role_of_user())
            .filter(forum_role::Column::ForumId.eq(forum_id));
    }
    let rows: Vec<(Uuid, String, String)> = people
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(id, _, _)| Some(*id) != event.actor_id)
        .collect();
    let modes = if kind.is_chosen() && !rows.is_empty() {
        chosen_modes(conn, kind, rows.iter().map(|(id, _, _)| *id)).await?
    } else {
        HashMap::new()
    };
    let address = account_address(kind, &event.payload);
    Ok(rows
        .into_iter()
        .map(|(id, email, display_name)| Recipient {
            mode: modes.get(&id).copied().unwrap_or(kind.default_mode()),
            id,
            email: address.clone().unwrap_or(email),
            display_name,
        })
        .filter(|r| r.mode != NotificationMode::Off)
        .collect())
}

/// What these people chose for this kind, where they chose (one query).
async fn chosen_modes(
    conn: &impl ConnectionTrait,
    kind: Kind,
    people: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, NotificationMode>, DbErr> {
    Ok(notification_setting::Entity::find()
        .filter(notification_setting::Column::Kind.eq(kind.as_str()))
        .filter(notification_setting::Column::UserId.is_in(people))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.user_id, s.mode))
        .collect())
}

/// The person's answer to the meeting that rules them out of its reminder.
fn answer(meeting_id: Uuid, answered: Answered) -> SelectStatement {
    let mut answer = Query::select();
    answer
        .expr(Expr::val(1))
        .from(meeting_rsvp::Entity)
        .and_where(
            Expr::col((meeting_rsvp::Entity, meeting_rsvp::Column::UserId))
                .equals((user::Entity, user::Column::Id)),
        )
        .and_where(meeting_rsvp::Column::MeetingId.eq(meeting_id));
    if answered == Answered::NotDeclined {
        answer.and_where(meeting_rsvp::Column::Response.eq(RsvpResponse::No));
    }
    answer
}

fn forum_role_of_user() -> sea_orm::RelationDef {
    forum_role::Entity::belongs_to(user::Entity)
        .from(forum_role::Column::UserId)
        .to(user::Column::Id)
        .into()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_meeting_whose_time_had_passed_invites_nobody() {
        let at: DateTime<Utc> = "2027-01-10T12:00:00Z".parse().expect("a time");
        let past = json!({"starts_at": "2027-01-09T10:00:00Z", "previous_starts_at": null});
        let coming = json!({"starts_at": "2027-01-11T10:00:00Z", "previous_starts_at": null});
        let moved_to_the_past = json!({
            "starts_at": "2027-01-09T10:00:00Z",
            "previous_starts_at": "2027-01-09T09:00:00Z",
        });
        let moved_from_the_future = json!({
            "starts_at": "2027-01-09T10:00:00Z",
            "previous_starts_at": "2027-01-12T09:00:00Z",
        });
        assert!(already_past(Kind::MeetingScheduled, &past, at));
        assert!(already_past(
            Kind::MeetingRescheduled,
            &moved_to_the_past,
            at
        ));
        assert!(!already_past(Kind::MeetingScheduled, &coming, at));
        // People hold an invitation for the future time: they hear it moved.
        assert!(!already_past(
            Kind::MeetingRescheduled,
            &moved_from_the_future,
            at
        ));
        // Only invitations are about a time.
        assert!(!already_past(Kind::MinutesApproved, &past, at));
    }

    #[test]
    fn each_kind_reaches_the_people_it_concerns() {
        let raiser = Uuid::from_u128(1);
        let owner = Uuid::from_u128(2);
        let organisation = Uuid::from_u128(3);
        let payload = json!({
            "raised_by": raiser,
            "owner_user_id": owner,
            "owner_organisation_id": organisation,
        });
        assert!(audience(Kind::MeetingScheduled, &payload).everyone);
        assert_eq!(
            audience(Kind::IssueRaised, &payload).roles,
            [ForumRole::Secretary, ForumRole::Chair, ForumRole::RpdStaff]
        );
        let responded = audience(Kind::IssueResponded, &payload);
        assert_eq!(
            (responded.roles, responded.people),
            (OFFICERS.to_vec(), vec![raiser])
        );
        let assigned = audience(Kind::ActionAssigned, &payload);
        assert!(!assigned.everyone && assigned.roles.is_empty());
        assert_eq!(
            (assigned.people, assigned.organisations),
            (vec![owner], vec![organisation])
        );
        // An action with no owner concerns nobody.
        assert_eq!(
            audience(Kind::ActionAssigned, &json!({})),
            Audience::default()
        );
    }

    #[test]
    fn an_account_email_goes_to_the_address_it_concerns() {
        let payload = json!({"to": Uuid::from_u128(1), "address": "new@example.org"});
        assert_eq!(
            account_address(Kind::EmailChange, &payload).as_deref(),
            Some("new@example.org")
        );
        assert_eq!(account_address(Kind::EmailChange, &json!({})), None);
        // Only an account's own emails are sent anywhere but the account's address.
        assert_eq!(account_address(Kind::RoleGiven, &payload), None);
    }
}
