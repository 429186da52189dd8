//! Registering consultations, reading them, and changing their details.

use axum::extract::State;
use entity::{ConsultationStatus, consultation, consultation_question};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{load_for, load_readable, london_today, questions_of};
use super::status;
use super::types::{
    ConsultationDetail, ConsultationIn, ConsultationOut, ConsultationPatch, ConsultationQuery,
    MAX_QUESTIONS, QuestionIn, QuestionOut,
};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_consultations, register_consultation))
        .routes(routes!(list_consultation_responses))
        .routes(routes!(get_consultation, patch_consultation))
}

/// The details shared by registering and editing: each checked when given.
struct Details<'a> {
    title: Option<&'a str>,
    consulting_body: Option<&'a str>,
    source_url: Option<&'a str>,
    description: Option<&'a str>,
}

fn check_details(v: &mut Validator, d: &Details<'_>) {
    if let Some(title) = d.title {
        v.rule::<limits::ConsultationTitle>(title, "title");
    }
    if let Some(body) = d.consulting_body {
        v.rule::<limits::ConsultingBody>(body, "consulting_body");
    }
    if let Some(url) = d.source_url {
        v.http_url(url, "source_url", 2000);
    }
    if let Some(description) = d.description {
        v.rule::<limits::ConsultationDescription>(description, "description");
    }
}

fn check_questions(v: &mut Validator, questions: &[QuestionIn]) {
    v.check(
        (1..=MAX_QUESTIONS).contains(&questions.len()),
        "questions",
        &format!("must be 1 to {MAX_QUESTIONS} questions"),
    );
    for (n, q) in questions.iter().enumerate() {
        v.rule::<limits::QuestionText>(&q.text, &format!("questions[{n}].text"));
        if let Some(guidance) = &q.guidance {
            v.rule::<limits::QuestionGuidance>(guidance, &format!("questions[{n}].guidance"));
        }
        if let Some(limit) = q.word_limit {
            v.check(
                (1..=100_000).contains(&limit),
                &format!("questions[{n}].word_limit"),
                "must be 1 to 100,000 words",
            );
        }
    }
}

/// The forum's consultations, newest first (its participants; 401 or 403
/// to anyone else, as for its other records: the public reads the
/// submitted ones at `GET /forums/{id}/consultation-responses`).
#[utoipa::path(
    get,
    path = "/forums/{id}/consultations",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Forum id"), ConsultationQuery),
    responses(
        (status = 200, description = "A page of consultations", body = Page<ConsultationOut>),
        (status = 401, description = "Not signed in", body = crate::http::problem::Problem),
        (status = 403, description = "Not a participant of this forum", body = crate::http::problem::Problem),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_consultations(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<ConsultationQuery>,
) -> ApiResult<Json<Page<ConsultationOut>>> {
    let access = ForumAccess::load(&state.db, forum_id, caller.as_ref()).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    consultations_page(&state, forum_id, query.status, query.limit, query.cursor).await
}

/// The forum's submitted responses to consultations, newest first
/// (public): its voice on the record. Each one's questions and joint
/// answers are at `GET /consultations/{id}/response`.
#[utoipa::path(
    get,
    path = "/forums/{id}/consultation-responses",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Forum id"), PageQuery),
    responses(
        (status = 200, description = "A page of submitted consultations", body = Page<ConsultationOut>),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid limit or cursor", body = crate::http::problem::Problem),
    )
)]
async fn list_consultation_responses(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<ConsultationOut>>> {
    ForumAccess::load(&state.db, forum_id, None).await?;
    let submitted = Some(ConsultationStatus::Submitted);
    consultations_page(&state, forum_id, submitted, query.limit, query.cursor).await
}

async fn consultations_page(
    state: &AppState,
    forum_id: Uuid,
    status: Option<ConsultationStatus>,
    limit: Option<u64>,
    cursor: Option<String>,
) -> ApiResult<Json<Page<ConsultationOut>>> {
    let page = PageRequest::<Uuid>::new(limit, cursor.as_deref())?;
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
    let rows = select.all(&state.db).await?;
    let today = london_today(state.clock.now());
    Ok(Json(page.finish(
        rows,
        |c| c.id,
        |c| ConsultationOut::new(c, today),
    )))
}

/// Register a consultation for the forum to answer (officers and the
/// region's RPD staff): who consults, its closing date, the forum's own
/// deadline for contributions and its questions, in order.
#[utoipa::path(
    post,
    path = "/forums/{id}/consultations",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = ConsultationIn,
    responses(
        (status = 201, description = "Registered, open for contributions", body = ConsultationDetail,
         headers(
             ("Location" = String, description = "URL of the consultation"),
             ("ETag" = String, description = "Its first version"),
         )),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn register_consultation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<ConsultationIn>,
) -> ApiResult<Created<ConsultationDetail>> {
    ForumAccess::load(&state.db, forum_id, Some(&user))
        .await?
        .require(ForumAction::RegisterConsultation)?;
    let now = state.clock.now();
    let today = london_today(now);
    let mut v = Validator::default();
    check_details(
        &mut v,
        &Details {
            title: Some(&input.title),
            consulting_body: Some(&input.consulting_body),
            source_url: input.source_url.as_deref(),
            description: input.description.as_deref(),
        },
    );
    v.check(
        input.closes_on >= today,
        "closes_on",
        "must be today or later",
    );
    v.check(
        input.internal_deadline >= today,
        "internal_deadline",
        "must be today or later",
    );
    v.check(
        input.internal_deadline <= input.closes_on,
        "internal_deadline",
        "must be no later than closes_on",
    );
    check_questions(&mut v, &input.questions);
    v.finish()?;

    let txn = begin_write(&state.db).await?;
    let created = consultation::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(input.title.trim().to_string()),
        consulting_body: Set(input.consulting_body.trim().to_string()),
        source_url: Set(input.source_url),
        description: Set(input.description.unwrap_or_default()),
        closes_on: Set(input.closes_on),
        internal_deadline: Set(input.internal_deadline),
        status: Set(ConsultationStatus::Open),
        submitted_on: Set(None),
        submission_reference: Set(None),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let questions: Vec<consultation_question::ActiveModel> = input
        .questions
        .into_iter()
        .zip(1..)
        .map(|(q, position)| consultation_question::ActiveModel {
            id: Set(Uuid::now_v7()),
            consultation_id: Set(created.id),
            position: Set(position),
            text: Set(q.text.trim().to_string()),
            guidance: Set(q.guidance.filter(|g| !g.trim().is_empty())),
            word_limit: Set(q.word_limit),
        })
        .collect();
    consultation_question::Entity::insert_many(questions)
        .exec(&txn)
        .await?;
    events::emit(
        &txn,
        now,
        Event::consultation(Kind::ConsultationRegistered, &created, Some(user.id())),
    )
    .await?;
    let questions = questions_of(&txn, created.id).await?;
    let out = ConsultationDetail {
        consultation: ConsultationOut::new(created, today),
        questions: questions.into_iter().map(QuestionOut::from).collect(),
    };
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "consultation.registered",
            EntityKind::Consultation,
            out.consultation.id,
        )
        .forum(forum_id)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.consultation.version;
    Ok(Created::at(
        format!("/api/v1/consultations/{}", out.consultation.id),
        out,
    )
    .tagged(version))
}

/// One consultation with its questions: its forum's participants; anyone
/// once the forum's response is submitted.
#[utoipa::path(
    get,
    path = "/consultations/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id")),
    responses(
        (status = 200, description = "The consultation", body = ConsultationDetail,
         headers(("ETag" = String, description = "Its version"))),
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn get_consultation(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<ConsultationDetail>> {
    let loaded = load_readable(&state.db, id, caller.as_ref()).await?;
    let questions = questions_of(&state.db, id).await?;
    let version = loaded.consultation.version;
    Ok(Tagged::new(
        version,
        ConsultationDetail {
            consultation: ConsultationOut::new(
                loaded.consultation,
                london_today(state.clock.now()),
            ),
            questions: questions.into_iter().map(QuestionOut::from).collect(),
        },
    ))
}

/// Change a consultation's details, or move it on.
///
/// Details (title, consulting body, source URL, description, dates): the
/// forum's officers and the region's RPD staff, while it is open or being
/// drafted. Status (officers): `open → drafting` closes contributions and
/// `drafting → open` takes them again; `drafting → agreed` needs the
/// members' poll on the response as it stands (`POST /forums/{id}/polls`
/// with `consultation_id`) closed and carried, with every question
/// answered; `agreed → submitted` records when (`submitted_on`, default
/// today) and a link or reference (`submission_reference`, required);
/// `withdrawn` (with `withdrawn_reason`) from any state before submission.
/// Once agreed the response is read-only; once submitted it is public.
#[utoipa::path(
    patch,
    path = "/consultations/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id"), IfMatch),
    request_body = ConsultationPatch,
    responses(
        (status = 200, description = "The consultation as it now is", body = ConsultationOut,
         headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Not a move its status can make now, a detail changed after drafting, or the response not agreed by the members' poll", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_consultation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<ConsultationPatch>,
) -> ApiResult<Tagged<ConsultationOut>> {
    let now = state.clock.now();
    let today = london_today(now);
    if let Some(to) = patch.status {
        return status::move_to(&state, &user, id, to, &patch, &if_match).await;
    }
    let loaded = load_for(&state.db, id, &user, ForumAction::RegisterConsultation).await?;
    let current = loaded.consultation;
    let mut v = Validator::default();
    for (given, field) in [
        (patch.submitted_on.is_some(), "submitted_on"),
        (patch.submission_reference.is_some(), "submission_reference"),
        (patch.withdrawn_reason.is_some(), "withdrawn_reason"),
    ] {
        v.check(!given, field, "goes only with a change of status");
    }
    check_details(
        &mut v,
        &Details {
            title: patch.title.as_deref(),
            consulting_body: patch.consulting_body.as_deref(),
            source_url: patch.source_url.clone().flatten().as_deref(),
            description: patch.description.as_deref(),
        },
    );
    let closes_on = patch.closes_on.unwrap_or(current.closes_on);
    let deadline = patch.internal_deadline.unwrap_or(current.internal_deadline);
    v.check(
        deadline <= closes_on,
        "internal_deadline",
        "must be no later than closes_on",
    );
    v.finish()?;
    if !matches!(
        current.status,
        ConsultationStatus::Open | ConsultationStatus::Drafting
    ) {
        return Err(ApiError::Conflict(format!(
            "the consultation is {}: its details are kept as they were",
            current.status.as_str()
        )));
    }
    let mut changes = current.clone().into_active_model();
    if let Some(title) = &patch.title {
        changes.title.set_ne(title.trim().to_string());
    }
    if let Some(body) = &patch.consulting_body {
        changes.consulting_body.set_ne(body.trim().to_string());
    }
    if let Some(url) = patch.source_url {
        changes.source_url.set_ne(url);
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description);
    }
    changes.closes_on.set_ne(closes_on);
    changes.internal_deadline.set_ne(deadline);
    let txn = begin_write(&state.db).await?;
    // Conditional on the version read, which was open or being drafted: a
    // status move made meanwhile raised it, and this edit then finds no row.
    let saved =
        versioning::save::<consultation::Entity>(&txn, &current, changes, &if_match, now).await?;
    let changed = saved.changed();
    let before = audit::snapshot(&ConsultationOut::new(current, today))?;
    let after = ConsultationOut::new(saved.into_inner(), today);
    if changed {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(user.id()),
                "consultation.edited",
                EntityKind::Consultation,
                id,
            )
            .forum(after.forum_id)
            .changes(audit::diff(&before, &audit::snapshot(&after)?)),
        )
        .await?;
        txn.commit().await?;
    }
    Ok(Tagged::new(after.version, after))
}
