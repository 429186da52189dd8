//! Reading consultations: a forum's, its submitted responses, and one.

use entity::{ConsultationStatus, consultation};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::queries::{load_readable, london_today, named, questions_of};
use super::types::{ConsultationDetail, ConsultationOut, ConsultationQuery, QuestionOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::names::{Named, ONE_NAME, OneName, People, person_name};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;

/// The forum's consultations, newest first (its participants; 401 or 403
/// to anyone else, as for its other records).
pub async fn list(
    state: &AppState,
    caller: Option<&AuthUser>,
    forum_id: Uuid,
    query: ConsultationQuery,
) -> ApiResult<Page<ConsultationOut>> {
    ForumAccess::load(&state.db, forum_id, caller)
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    newest_first(state, forum_id, query.status, page, People::Named).await
}

/// The forum's submitted responses, newest first (public): its voice on
/// the record.
pub async fn submitted(
    state: &AppState,
    forum_id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<ConsultationOut>> {
    ForumAccess::load(&state.db, forum_id, None).await?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let public = People::Unnamed;
    newest_first(
        state,
        forum_id,
        Some(ConsultationStatus::Submitted),
        page,
        public,
    )
    .await
}

async fn newest_first(
    state: &AppState,
    forum_id: Uuid,
    status: Option<ConsultationStatus>,
    page: PageRequest<Uuid>,
    people: People,
) -> ApiResult<Page<ConsultationOut>> {
    let mut select = consultation::Entity::find()
        .filter(consultation::Column::ForumId.eq(forum_id))
        .order_by_desc(consultation::Column::Id)
        .limit(page.fetch());
    if let Some(status) = status {
        select = select.filter(consultation::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        select = select.filter(consultation::Column::Id.lt(after));
    }
    let author = (consultation::Entity, consultation::Column::CreatedBy);
    let rows = select
        .column_as(person_name(author, people), ONE_NAME)
        .into_model::<Named<consultation::Model, OneName>>()
        .all(&state.db)
        .await?;
    let today = london_today(state.clock.now());
    Ok(page.finish(
        rows,
        |c| c.record.id,
        |c| ConsultationOut::new(c.record, today, c.names.one_name),
    ))
}

/// One consultation with its questions: its forum's participants; anyone
/// once the forum's response is submitted (404 otherwise).
pub async fn get(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
) -> ApiResult<ConsultationDetail> {
    let loaded = load_readable(&state.db, id, caller).await?;
    let questions = questions_of(&state.db, id).await?;
    let consultation = named(&state.db, &loaded).await?;
    Ok(ConsultationDetail {
        consultation: ConsultationOut::new(
            loaded.consultation,
            london_today(state.clock.now()),
            consultation,
        ),
        questions: questions.into_iter().map(QuestionOut::from).collect(),
    })
}
