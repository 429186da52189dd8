//! RSVPs: yes / no / maybe, until the meeting starts, and never to a
//! cancelled one.

use chrono::{DateTime, Utc};
use entity::{MeetingStatus, RsvpResponse, meeting, meeting_rsvp};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::queries::{MeetingLock, lock_meeting};
use super::types::{RsvpCounts, RsvpIn, RsvpList, RsvpOut, RsvpQuery};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, Names, People, people_with_organisations};
use crate::kernel::pagination::PageRequest;
use crate::kernel::state::AppState;

fn open_for_answers(meeting: &meeting::Model, now: DateTime<Utc>) -> ApiResult<()> {
    if meeting.status != MeetingStatus::Scheduled {
        return Err(ApiError::Conflict(format!(
            "this meeting is {}; RSVPs are closed",
            meeting.status.as_str()
        )));
    }
    if now >= meeting.starts_at {
        return Err(ApiError::Conflict(
            "this meeting has started; RSVPs are closed".into(),
        ));
    }
    Ok(())
}

/// Records whether the caller will come (members, officers and RPD staff;
/// until the meeting starts, and not to a cancelled meeting: 409). A second
/// answer replaces the first.
pub async fn answer(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: RsvpIn,
) -> ApiResult<RsvpOut> {
    let (_, access) = access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::TakePart)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Decided on the meeting as committed now and share-locked until this
    // answer is: a cancellation or a move committed first is seen here (409),
    // and one being made waits until this answer is in, so no answer is ever
    // recorded for a meeting that was already cancelled or had started.
    let meeting = lock_meeting(&txn, id, MeetingLock::Share).await?;
    open_for_answers(&meeting, now)?;
    meeting_rsvp::Entity::insert(meeting_rsvp::ActiveModel {
        meeting_id: Set(id),
        user_id: Set(caller.id()),
        response: Set(input.response),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            meeting_rsvp::Column::MeetingId,
            meeting_rsvp::Column::UserId,
        ])
        .update_columns([
            meeting_rsvp::Column::Response,
            meeting_rsvp::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    AuditEvent::by(caller.id(), "meeting.rsvp", EntityKind::Meeting, id)
        .forum(meeting.forum_id)
        .changes(json!({"response": input.response}))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    let organisation = caller.user.organisation_id;
    let organisation_name = Names::load(&state.db, People::Named, [], [organisation])
        .await?
        .organisation(organisation);
    Ok(RsvpOut {
        meeting_id: id,
        user_id: caller.id(),
        display_name: caller.user.display_name.clone(),
        organisation_id: organisation,
        organisation_name,
        response: input.response,
        updated_at: now,
    })
}

/// Who has answered, and how (the forum's participants): the counts, and
/// a page of the answers.
pub async fn rsvps(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    query: RsvpQuery,
) -> ApiResult<RsvpList> {
    let (meeting, counts, _) = meeting_with_counts(&state.db, id, None).await?;
    access::visible_to::<meeting::Entity>(&state.db, &meeting, Some(caller)).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = meeting_rsvp::Entity::find().filter(meeting_rsvp::Column::MeetingId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(meeting_rsvp::Column::UserId.gt(after));
    }
    let rows = select
        .order_by_asc(meeting_rsvp::Column::UserId)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let people = people_with_organisations(&state.db, rows.iter().map(|r| r.user_id)).await?;
    let page = page.finish(
        rows,
        |r| r.user_id,
        |r| {
            let person = people.get(&r.user_id);
            RsvpOut {
                meeting_id: r.meeting_id,
                user_id: r.user_id,
                display_name: person
                    .map(|p| p.record.display_name.clone())
                    .unwrap_or_default(),
                organisation_id: person.and_then(|p| p.record.organisation_id),
                organisation_name: person.and_then(|p| p.names.one_name.clone()),
                response: r.response,
                updated_at: r.updated_at,
            }
        },
    );
    Ok(RsvpList {
        counts,
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

/// The meeting, with how many answered each way — and, given a reader,
/// how the reader answered — read in the same statement (404 when there
/// is no such meeting). Whoever reads the counts must still be found to
/// take part in its forum.
pub async fn meeting_with_counts(
    conn: &impl ConnectionTrait,
    id: Uuid,
    reader: Option<Uuid>,
) -> ApiResult<(meeting::Model, RsvpCounts, Option<RsvpResponse>)> {
    let found = meeting::Entity::find_by_id(id)
        .column_as(answered(RsvpResponse::Yes), "answered_yes")
        .column_as(answered(RsvpResponse::No), "answered_no")
        .column_as(answered(RsvpResponse::Maybe), "answered_maybe")
        // No one's id is nil: without a reader the answer read is none.
        .column_as(
            answer_of(reader.unwrap_or(Uuid::nil())),
            "answered_by_reader",
        )
        .into_model::<Named<meeting::Model, Answered>>()
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let answers = found.names;
    let counts = RsvpCounts {
        yes: count(answers.answered_yes),
        no: count(answers.answered_no),
        maybe: count(answers.answered_maybe),
    };
    Ok((found.record, counts, answers.answered_by_reader))
}

/// The counts read beside a meeting.
#[derive(FromQueryResult)]
struct Answered {
    answered_yes: i64,
    answered_no: i64,
    answered_maybe: i64,
    answered_by_reader: Option<RsvpResponse>,
}

/// How this person answered for the meeting of the outer row, if they did.
fn answer_of(reader: Uuid) -> Expr {
    let rsvp = Alias::new("mine");
    Expr::from(
        Query::select()
            .column((rsvp.clone(), meeting_rsvp::Column::Response))
            .from_as(meeting_rsvp::Entity, rsvp.clone())
            .and_where(
                Expr::col((rsvp.clone(), meeting_rsvp::Column::MeetingId))
                    .equals((meeting::Entity, meeting::Column::Id)),
            )
            .and_where(Expr::col((rsvp, meeting_rsvp::Column::UserId)).eq(reader))
            .to_owned(),
    )
}

/// How many answered the meeting of the outer row this way: a scalar
/// subquery, its table under an alias of its own.
fn answered(response: RsvpResponse) -> Expr {
    let rsvp = Alias::new("rsvp");
    Expr::from(
        Query::select()
            .expr(Expr::col((rsvp.clone(), meeting_rsvp::Column::UserId)).count())
            .from_as(meeting_rsvp::Entity, rsvp.clone())
            .and_where(
                Expr::col((rsvp.clone(), meeting_rsvp::Column::MeetingId))
                    .equals((meeting::Entity, meeting::Column::Id)),
            )
            .and_where(Expr::col((rsvp, meeting_rsvp::Column::Response)).eq(response.as_str()))
            .to_owned(),
    )
}
