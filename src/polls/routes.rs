//! Putting a poll to the forum, listing the forum's polls and reading one.

use axum::extract::State;
use entity::poll;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QuerySelect, Set};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    hold_consultation, insert_options, is_forums_agenda_item, is_forums_consultation, newest_first,
    options_of, options_of_one, vote_of,
};
use super::results::{results_of, shown};
use super::rules::{check_links, check_max_choices, check_texts, check_window, new_options};
use super::types::{PollDetail, PollIn, PollOut, PollQuery};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_polls, create_poll))
        .routes(routes!(get_poll))
}

/// The forum's polls, newest first (the forum's participants), optionally
/// only those that are `upcoming`, `open`, `closed` or `cancelled` now.
#[utoipa::path(
    get,
    path = "/forums/{id}/polls",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Forum id"), PollQuery),
    responses(
        (status = 200, description = "A page of polls", body = Page<PollOut>),
        (status = 403, description = "Not a participant of this forum", body = crate::http::problem::Problem),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_polls(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<PollQuery>,
) -> ApiResult<Json<Page<PollOut>>> {
    ForumAccess::load(&state.db, forum_id, Some(&user))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let now = state.clock.now();
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = newest_first(forum_id, query.status, now);
    if let Some(after) = page.after {
        select = select.filter(poll::Column::Id.lt(after));
    }
    let rows = select.limit(page.fetch()).all(&state.db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
    let mut options = options_of(&state.db, &ids).await?;
    Ok(Json(page.finish(
        rows,
        |p| p.id,
        |p| {
            let own = options.remove(&p.id).unwrap_or_default();
            PollOut::new(p, own, now)
        },
    )))
}

/// Put a poll to the forum's member organisations (secretary, chair, admins).
///
/// It opens at `opens_at` (now unless later) and closes at `closes_at`; each
/// organisation with an active membership has one vote. A poll may decide
/// an agenda item of one of the forum's meetings, or agree the joint
/// response to one of its consultations (agree-disagree-abstain only, while
/// the consultation is drafting and has no other poll to close: 409).
#[utoipa::path(
    post,
    path = "/forums/{id}/polls",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = PollIn,
    responses(
        (status = 201, description = "Poll put", body = PollOut,
         headers(
             ("Location" = String, description = "URL of the new poll"),
             ("ETag" = String, description = "The poll's first version"),
         )),
        (status = 403, description = "Only the forum's officers put polls", body = crate::http::problem::Problem),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 409, description = "The consultation is not drafting its response, or has another poll still to close", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid field: options that do not fit the kind, times out of order, a link that is not this forum's", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<PollIn>,
) -> ApiResult<Created<PollOut>> {
    ForumAccess::load(&state.db, forum_id, Some(&user))
        .await?
        .require(ForumAction::RunPolls)?;
    let now = state.clock.now();
    // A poll cannot have been open before it was put.
    let opens_at = input.opens_at.map_or(now, |at| at.max(now));
    let mut v = Validator::default();
    check_texts(&mut v, Some(&input.question), Some(&input.description));
    let labels = new_options(&mut v, input.kind, input.options.as_deref());
    check_max_choices(&mut v, input.kind, input.max_choices, labels.len());
    check_window(&mut v, opens_at, input.closes_at, now);
    check_links(
        &mut v,
        input.kind,
        input.agenda_item_id,
        input.consultation_id,
    );
    if let Some(item) = input.agenda_item_id {
        v.check(
            is_forums_agenda_item(&state.db, forum_id, item).await?,
            "agenda_item_id",
            "is not an agenda item of a meeting of this forum",
        );
    }
    if let Some(consultation) = input.consultation_id {
        v.check(
            is_forums_consultation(&state.db, forum_id, consultation).await?,
            "consultation_id",
            "is not a consultation of this forum",
        );
    }
    v.finish()?;

    let txn = begin_write(&state.db).await?;
    if let Some(consultation) = input.consultation_id {
        hold_consultation(&txn, consultation, None, now).await?;
    }
    let poll = poll::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        question: Set(input.question.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        kind: Set(input.kind),
        max_choices: Set(input.max_choices),
        opens_at: Set(opens_at),
        closes_at: Set(input.closes_at),
        results_before_close: Set(input.results_before_close),
        open_voting: Set(input.open_voting),
        agenda_item_id: Set(input.agenda_item_id),
        consultation_id: Set(input.consultation_id),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let options = insert_options(&txn, poll.id, &labels).await?;
    let out = PollOut::new(poll, options, now);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "poll.created", EntityKind::Poll, out.id)
            .forum(forum_id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/polls/{}", out.id), out).tagged(version))
}

/// One poll (the forum's participants; 404 to anyone else): its options,
/// where it stands, the vote of the caller's organisation, and its results
/// once they may be shown. The ETag is the poll's own version: votes do not
/// change it.
#[utoipa::path(
    get,
    path = "/polls/{id}",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id")),
    responses(
        (status = 200, description = "The poll", body = PollDetail,
         headers(("ETag" = String, description = "The poll's version"))),
        (status = 404, description = "No such poll, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<PollDetail>> {
    let (poll, _) =
        crate::kernel::access::load_visible::<entity::poll::Entity>(&state.db, id, Some(&user))
            .await?;
    let now = state.clock.now();
    let options = options_of_one(&state.db, id).await?;
    let my_vote = match user.user.organisation_id {
        Some(organisation) => vote_of(&state.db, id, organisation).await?,
        None => None,
    };
    let results = if shown(&poll, now).is_ok() {
        Some(results_of(&state.db, &poll, now).await?)
    } else {
        None
    };
    Ok(Tagged::new(
        poll.version,
        PollDetail {
            poll: PollOut::new(poll, options, now),
            my_vote,
            results,
        },
    ))
}
