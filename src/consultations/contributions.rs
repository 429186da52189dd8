//! Contributions: each member organisation's answer to a question, one per
//! organisation per question (the database's unique key decides), written
//! by any of its people until the forum's deadline.

use std::collections::HashMap;

use axum::extract::State;
use entity::{consultation_contribution, consultation_question, organisation};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    load_for, lock_consultation, london_today, question_of, require_contributions_open,
    speaking_for,
};
use super::types::{
    ContributionEdit, ContributionIn, ContributionOut, ContributionQuery, check_word_limit,
    word_count,
};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contributions, contribute))
        .routes(routes!(get_contribution, edit_contribution))
}

/// 422 unless the body is within its bounds and the question's word limit.
fn check_body(body: &str, question: &consultation_question::Model) -> ApiResult<()> {
    let mut v = Validator::default();
    v.rule::<limits::ContributionBody>(body, "body");
    check_word_limit(&mut v, body, question);
    v.finish()
}

/// The names of these organisations, in one query.
pub async fn organisation_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> ApiResult<HashMap<Uuid, String>> {
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

async fn out(
    conn: &impl ConnectionTrait,
    c: consultation_contribution::Model,
) -> ApiResult<ContributionOut> {
    let mut names = organisation_names(conn, [c.organisation_id]).await?;
    let name = names.remove(&c.organisation_id).unwrap_or_default();
    Ok(ContributionOut::new(c, name))
}

/// Every contribution to the consultation, oldest first (the forum's
/// participants; never the public).
#[utoipa::path(
    get,
    path = "/consultations/{id}/contributions",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id"), ContributionQuery),
    responses(
        (status = 200, description = "A page of contributions", body = Page<ContributionOut>),
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_contributions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<ContributionQuery>,
) -> ApiResult<Json<Page<ContributionOut>>> {
    load_for(&state.db, id, &user, ForumAction::ReadParticipantRecords).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = consultation_contribution::Entity::find()
        .filter(consultation_contribution::Column::ConsultationId.eq(id))
        .order_by_asc(consultation_contribution::Column::Id)
        .limit(page.fetch());
    if let Some(question) = query.question_id {
        select = select.filter(consultation_contribution::Column::QuestionId.eq(question));
    }
    if let Some(after) = page.after {
        select = select.filter(consultation_contribution::Column::Id.gt(after));
    }
    let rows = select.all(&state.db).await?;
    let mut names = organisation_names(&state.db, rows.iter().map(|c| c.organisation_id)).await?;
    Ok(Json(page.finish(
        rows,
        |c| c.id,
        |c| {
            let name = names.remove(&c.organisation_id).unwrap_or_default();
            ContributionOut::new(c, name)
        },
    )))
}

/// Contribute your organisation's answer to a question (people of the
/// forum's active member organisations, but observers and RPD staff), while
/// the consultation is open and until the end of its internal deadline.
/// One per organisation per question: edit it with `PATCH` after.
#[utoipa::path(
    post,
    path = "/consultations/{id}/contributions",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id")),
    request_body = ContributionIn,
    responses(
        (status = 201, description = "Contributed", body = ContributionOut,
         headers(
             ("Location" = String, description = "URL of the contribution"),
             ("ETag" = String, description = "Its first version"),
         )),
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Contributions are closed, or your organisation has already contributed to this question", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn contribute(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<ContributionIn>,
) -> ApiResult<Created<ContributionOut>> {
    let loaded = load_for(&state.db, id, &user, ForumAction::Contribute).await?;
    let organisation = speaking_for(&state.db, loaded.consultation.forum_id, &user).await?;
    let question = question_of(&state.db, id, input.question_id)
        .await
        .map_err(|_| ApiError::invalid("question_id", "is not a question of this consultation"))?;
    check_body(&input.body, &question)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let consultation = lock_consultation(&txn, id).await?;
    require_contributions_open(&consultation, london_today(now))?;
    let created = consultation_contribution::ActiveModel {
        id: Set(Uuid::now_v7()),
        consultation_id: Set(id),
        question_id: Set(question.id),
        organisation_id: Set(organisation.id),
        body: Set(input.body),
        version: Set(1),
        written_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        format!(
            "{} has already contributed to question {}: edit that contribution instead",
            organisation.name, question.position
        )
    })?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "contribution.added",
            EntityKind::Contribution,
            created.id,
        )
        .forum(consultation.forum_id)
        .changes(json!({
            "consultation_id": id,
            "question_id": question.id,
            "organisation_id": organisation.id,
            "words": word_count(&created.body),
        })),
    )
    .await?;
    txn.commit().await?;
    let version = created.version;
    let out = ContributionOut::new(created, organisation.name);
    Ok(Created::at(format!("/api/v1/contributions/{}", out.id), out).tagged(version))
}

/// A contribution and its consultation, for its forum's participants.
async fn load_contribution(
    state: &AppState,
    id: Uuid,
    user: &AuthUser,
) -> ApiResult<consultation_contribution::Model> {
    let contribution = consultation_contribution::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("contribution"))?;
    load_for(
        &state.db,
        contribution.consultation_id,
        user,
        ForumAction::ReadParticipantRecords,
    )
    .await
    .map_err(|err| match err {
        ApiError::NotFound(_) => ApiError::not_found("contribution"),
        other => other,
    })?;
    Ok(contribution)
}

/// One contribution (the forum's participants).
#[utoipa::path(
    get,
    path = "/contributions/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Contribution id")),
    responses(
        (status = 200, description = "The contribution", body = ContributionOut,
         headers(("ETag" = String, description = "Its version"))),
        (status = 404, description = "No such contribution, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_contribution(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<ContributionOut>> {
    let contribution = load_contribution(&state, id, &user).await?;
    let version = contribution.version;
    Ok(Tagged::new(version, out(&state.db, contribution).await?))
}

/// Edit your organisation's contribution (any of its people), with
/// `If-Match`, until the end of the forum's deadline.
#[utoipa::path(
    patch,
    path = "/contributions/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Contribution id"), crate::http::if_match::IfMatchRequired),
    request_body = ContributionEdit,
    responses(
        (status = 200, description = "The contribution as it now is", body = ContributionOut,
         headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such contribution, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Contributions are closed", body = crate::http::problem::Problem),
        (status = 428, description = "No If-Match: send the ETag you last read", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn edit_contribution(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<ContributionEdit>,
) -> ApiResult<Tagged<ContributionOut>> {
    let current = load_contribution(&state, id, &user).await?;
    if user.user.organisation_id != Some(current.organisation_id) && !user.user.is_admin {
        return Err(ApiError::Forbidden(
            "only the people of the organisation that wrote it edit a contribution".into(),
        ));
    }
    let question = question_of(&state.db, current.consultation_id, current.question_id).await?;
    check_body(&input.body, &question)?;
    if_match.require(current.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let consultation = lock_consultation(&txn, current.consultation_id).await?;
    require_contributions_open(&consultation, london_today(now))?;
    let mut changes = current.clone().into_active_model();
    changes.body.set_ne(input.body);
    changes.written_by.set_ne(Some(user.id()));
    let saved = versioning::save::<consultation_contribution::Entity>(
        &txn, &current, changes, &if_match, now,
    )
    .await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(user.id()),
                "contribution.edited",
                EntityKind::Contribution,
                id,
            )
            .forum(consultation.forum_id)
            .changes(json!({"version": saved.version, "words": word_count(&saved.body)})),
        )
        .await?;
        txn.commit().await?;
    }
    let version = saved.version;
    Ok(Tagged::new(version, out(&state.db, saved).await?))
}
