//! A demo forum's meetings, written as the forum's own operations would
//! have left them: held ones with attendance, outcomes, the actions agreed
//! and approved minutes (confidential business in sections withheld from
//! the public), and ones to come with their agendas and matters arising.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    AgendaItemStatus, Attendance, MeetingStatus, MinutesStatus, agenda_item,
    agenda_item_commitment, meeting, meeting_attendance, minutes, minutes_revision,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::calendar::{date, london, title};
use super::forum::{Forum, PEERS, PROVIDER};
use super::rows::{NewAction, action};
use super::story::{Held, Item, Owner};
use crate::kernel::error::ApiResult;
use crate::minutes::sections::{self, Section};

/// What a held meeting left behind, for the counts.
pub struct HeldOut {
    /// The item whose poll the forum opened (the last meeting's plan).
    pub plan_item: Option<Uuid>,
    pub actions: usize,
}

fn starts(day: NaiveDate) -> DateTime<Utc> {
    london(day, 10, 0)
}

fn ends(day: NaiveDate) -> DateTime<Utc> {
    london(day, 12, 30)
}

async fn meeting_row(
    conn: &impl ConnectionTrait,
    f: &Forum<'_>,
    day: NaiveDate,
    status: MeetingStatus,
    scheduled_at: DateTime<Utc>,
) -> ApiResult<meeting::Model> {
    Ok(meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(f.id),
        title: Set(title(day)),
        description: Set(
            "The forum's quarterly meeting with the Regional Probation Director's team.".into(),
        ),
        starts_at: Set(starts(day)),
        ends_at: Set(ends(day)),
        location: Set(Some(f.cast.venue.into())),
        online_link: Set(Some(format!(
            "https://meet.example.org/{}-forum",
            f.cast.code
        ))),
        status: Set(status),
        cancel_reason: Set(None),
        version: Set(if status == MeetingStatus::Held { 2 } else { 1 }),
        created_by: Set(Some(f.secretary.id)),
        created_at: Set(scheduled_at),
        updated_at: Set(if status == MeetingStatus::Held {
            ends(day)
        } else {
            scheduled_at
        }),
        series_id: Set(None),
        occurrence_start: Set(None),
        is_exception: Set(false),
    }
    .insert(conn)
    .await?)
}

/// Writes the items of a meeting's agenda (accepted ones in order, those
/// only proposed without a place) and their links to the plan.
async fn agenda(
    conn: &impl ConnectionTrait,
    f: &Forum<'_>,
    meeting: &meeting::Model,
    items: &[Item],
    decided_at: Option<DateTime<Utc>>,
) -> ApiResult<Vec<Uuid>> {
    // Each kind of row in one statement: the demo loads in one transaction,
    // and on PostgreSQL its time is mostly round trips.
    let mut ids = Vec::with_capacity(items.len());
    let mut rows = Vec::with_capacity(items.len());
    let mut links = Vec::new();
    let mut position = 0;
    for item in items {
        let id = Uuid::now_v7();
        let accepted = item.proposed_by.is_none();
        if accepted {
            position += 1;
        }
        let decision = decided_at.and(item.decision.clone());
        rows.push(agenda_item::ActiveModel {
            id: Set(id),
            meeting_id: Set(meeting.id),
            position: Set(accepted.then_some(position)),
            title: Set(item.title.clone()),
            description: Set(item.description.clone()),
            presenter: Set(Some(item.presenter.clone())),
            minutes_allotted: Set(Some(item.minutes_allotted)),
            status: Set(if accepted {
                AgendaItemStatus::Accepted
            } else {
                AgendaItemStatus::Proposed
            }),
            proposed_by: Set(item.proposed_by),
            version: Set(1),
            created_at: Set(meeting.created_at),
            updated_at: Set(meeting.created_at),
            visibility: Set(item.visibility()),
            visibility_reason: Set(item.confidential.map(String::from)),
            carried_over: Set(item.carried_over),
            votes_for: Set(decision.as_ref().and(item.votes.map(|v| v.0))),
            votes_against: Set(decision.as_ref().and(item.votes.map(|v| v.1))),
            votes_abstain: Set(decision.as_ref().and(item.votes.map(|v| v.2))),
            outcome_at: Set(decision.as_ref().and(decided_at)),
            outcome: Set(decision),
        });
        if let Some(c) = item.theme.and_then(|t| f.commitment(t)) {
            links.push(agenda_item_commitment::ActiveModel {
                agenda_item_id: Set(id),
                commitment_id: Set(c.id),
                created_at: Set(meeting.created_at),
            });
        }
        ids.push(id);
    }
    agenda_item::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    if !links.is_empty() {
        agenda_item_commitment::Entity::insert_many(links)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(ids)
}

/// The observer comes to every other meeting.
fn observer_came(k: usize) -> bool {
    k.is_multiple_of(2)
}

/// Who attended and who sent apologies: the members all came but for the
/// provider at the fourth meeting; the observer every other time.
async fn attendance(
    conn: &impl ConnectionTrait,
    f: &Forum<'_>,
    meeting: &meeting::Model,
    k: usize,
) -> ApiResult<(Vec<String>, Vec<String>)> {
    let mut present = Vec::new();
    let mut apologies = Vec::new();
    let mut people = vec![
        (f.secretary.id, None, true, String::new()),
        (f.chair.id, None, true, String::new()),
        (f.rpd.id, None, true, String::new()),
        (f.observer.id, None, observer_came(k), String::new()),
    ];
    for (n, m) in f.members.iter().enumerate() {
        people.push((
            m.person.id,
            Some(m.org),
            !(k == 3 && n == PROVIDER),
            m.presenter(),
        ));
    }
    let mut rows = Vec::with_capacity(people.len());
    for (user_id, organisation_id, came, named) in people {
        rows.push(meeting_attendance::ActiveModel {
            meeting_id: Set(meeting.id),
            user_id: Set(user_id),
            attendance: Set(if came {
                Attendance::Attended
            } else {
                Attendance::Apologies
            }),
            organisation_id: Set(organisation_id),
            recorded_by: Set(Some(f.secretary.id)),
            recorded_at: Set(meeting.ends_at),
        });
        if !named.is_empty() {
            if came {
                present.push(named);
            } else {
                apologies.push(named);
            }
        }
    }
    meeting_attendance::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    if !observer_came(k) {
        apologies.push(format!(
            "{}, Police and Crime Commissioner's office",
            f.observer.name
        ));
    }
    Ok((present, apologies))
}

fn owner_name(f: &Forum<'_>, owner: Owner) -> String {
    match owner {
        Owner::Member(n) => f.members[n].org_name.to_string(),
        Owner::Person(id) => [f.secretary, f.chair, f.rpd, f.observer]
            .into_iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.name.to_string()),
    }
}

/// A held meeting: its record, agenda and outcomes, the actions agreed,
/// and its approved minutes.
pub async fn held(
    conn: &impl ConnectionTrait,
    h: &Held<'_>,
    scheduled_at: DateTime<Utc>,
) -> ApiResult<HeldOut> {
    let f = h.forum;
    let meeting = meeting_row(conn, f, h.day, MeetingStatus::Held, scheduled_at).await?;
    let (present, apologies) = attendance(conn, f, &meeting, h.k).await?;
    let items = h.agenda();
    let ids = agenda(conn, f, &meeting, &items, Some(meeting.ends_at)).await?;

    let mut opening = format!(
        "Chair: {}. Secretary: {}. The Regional Probation Director's team: {}.\n\nMember \
         organisations: {}.",
        f.chair.name,
        f.secretary.name,
        f.rpd_presenter(),
        present.join("; ")
    );
    if observer_came(h.k) {
        opening.push_str(&format!(
            "\n\nObserving: {}, Police and Crime Commissioner's office.",
            f.observer.name
        ));
    }
    if !apologies.is_empty() {
        opening.push_str(&format!("\n\nApologies: {}.", apologies.join("; ")));
    }
    let mut sections = vec![Section {
        agenda_item_id: None,
        heading: "Present".into(),
        body: opening,
        visibility: entity::Visibility::Public,
        visibility_reason: None,
    }];
    let mut actions = 0;
    let mut plan_item = None;
    for (item, id) in items.iter().zip(&ids) {
        let mut body = item.minutes.clone();
        if let Some(decision) = &item.decision {
            body.push_str("\n\n");
            body.push_str(decision);
            if let Some((yes, no, abstain)) = item.votes {
                body.push_str(&format!(
                    " ({yes} for, {no} against, {abstain} abstaining.)"
                ));
            }
        }
        for a in &item.actions {
            body.push_str(&format!(
                "\n\nAction: {} – {}, by {}.",
                owner_name(f, a.owner),
                a.title,
                date(a.due_on)
            ));
            let (owner_organisation, owner_user) = match a.owner {
                Owner::Member(n) => (Some(f.members[n].org), Some(f.members[n].person.id)),
                Owner::Person(id) => (None, Some(id)),
            };
            action(
                conn,
                NewAction {
                    forum_id: f.id,
                    meeting_id: Some(meeting.id),
                    agenda_item_id: Some(*id),
                    title: a.title.clone(),
                    description: a.description.clone(),
                    owner_organisation,
                    owner_user,
                    due_on: a.due_on,
                    status: a.status,
                    done_on: a.done_on,
                    commitment: a.theme.and_then(|t| f.commitment(t)),
                    update: a.update.clone(),
                    agreed_at: meeting.ends_at,
                    recorded_by: f.secretary.id,
                },
            )
            .await?;
            actions += 1;
        }
        if h.k == 4 && item.title.starts_with("The Reducing Reoffending Plan") {
            plan_item = Some(*id);
        }
        sections.push(Section {
            agenda_item_id: Some(*id),
            heading: item.title.clone(),
            body,
            visibility: item.visibility(),
            visibility_reason: item.confidential.map(String::from),
        });
    }
    approved_minutes(conn, f, &meeting, h.day, &sections).await?;
    Ok(HeldOut { plan_item, actions })
}

/// The minutes, drafted by the secretary on the day and approved by the
/// chair ten days later.
async fn approved_minutes(
    conn: &impl ConnectionTrait,
    f: &Forum<'_>,
    meeting: &meeting::Model,
    day: NaiveDate,
    sections: &[Section],
) -> ApiResult<()> {
    let approved = london(day + Duration::days(10), 12, 0);
    let minutes_id = Uuid::now_v7();
    minutes::ActiveModel {
        id: Set(minutes_id),
        meeting_id: Set(meeting.id),
        status: Set(MinutesStatus::Approved),
        version: Set(1),
        approved_by: Set(Some(f.chair.id)),
        approved_at: Set(Some(approved)),
        created_at: Set(meeting.ends_at),
        updated_at: Set(approved),
    }
    .insert(conn)
    .await?;
    minutes_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        minutes_id: Set(minutes_id),
        version: Set(1),
        body: Set(String::new()),
        sections: Set(sections::snapshot(sections)),
        edited_by: Set(Some(f.secretary.id)),
        edited_at: Set(meeting.ends_at),
    }
    .insert(conn)
    .await?;
    sections::replace(conn, minutes_id, sections).await?;
    Ok(())
}

/// A meeting to come, `n` (0 the next), with its agenda; its matters
/// arising are assembled as the server assembles them.
pub async fn upcoming(
    conn: &impl ConnectionTrait,
    f: &Forum<'_>,
    n: usize,
    day: NaiveDate,
    scheduled_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let meeting = meeting_row(conn, f, day, MeetingStatus::Scheduled, scheduled_at).await?;
    let items = super::story::upcoming(f, n);
    agenda(conn, f, &meeting, &items, None).await?;
    crate::meetings::matters_arising::assemble(conn, &meeting, now).await?;
    // The peer mentors' network is the first to say it will come.
    if n == 0 {
        entity::meeting_rsvp::ActiveModel {
            meeting_id: Set(meeting.id),
            user_id: Set(f.members[PEERS].person.id),
            response: Set(entity::RsvpResponse::Yes),
            updated_at: Set(now),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}
