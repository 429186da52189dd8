//! The JSON face of the forum's joint response: read as JSON, markdown or
//! CSV, its answers written, and their revisions.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::consultations::{self, AnswerIn, AnswerOut, AnswerRevisionOut, JointResponse};
use crate::http::csv_export;
use crate::http::extract::{Json, Path};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_response))
        .routes(routes!(put_answer))
        .routes(routes!(answer_revisions))
}

/// One row of the response's CSV.
#[derive(Serialize)]
struct AnswerCsv {
    number: i32,
    question: String,
    answer: String,
    contributing_organisations: String,
}

impl AnswerCsv {
    fn rows(response: &JointResponse) -> impl Iterator<Item = Self> + '_ {
        response.questions.iter().map(|q| Self {
            number: q.question.number,
            question: q.question.text.clone(),
            answer: q
                .answer
                .as_ref()
                .map(|a| a.body.clone())
                .unwrap_or_default(),
            contributing_organisations: q
                .answer
                .as_ref()
                .map(AnswerOut::cited_organisations)
                .unwrap_or_default(),
        })
    }
}

/// The forum's joint response, question by question: JSON, or with
/// `Accept: text/markdown` one document, or with `Accept: text/csv` one
/// row per question (number, question, answer, contributing organisations,
/// i.e. those whose contributions the answer cites). The forum's
/// participants read it while it is drafted; anyone once it is submitted.
#[utoipa::path(
    get,
    path = "/consultations/{id}/response",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id")),
    responses(
        (status = 200, description = "The joint response",
         content((JointResponse = "application/json"), (String = "text/markdown"), (String = "text/csv"))),
        (status = 404, description = "No such consultation, or not yours to see"),
    ),
    security((), ("bearer" = []))
)]
async fn get_response(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let response = consultations::joint_response(&state, caller.as_ref(), id).await?;
    if csv_export::wanted(&headers) {
        return csv_export::respond("response.csv", AnswerCsv::rows(&response));
    }
    if csv_export::accepts(&headers, "text/markdown") {
        let markdown = HeaderValue::from_static("text/markdown; charset=utf-8");
        return Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, markdown)],
            response.markdown(),
        )
            .into_response());
    }
    Ok(Json(response).into_response())
}

/// Write the forum's answer to a question (officers), citing the
/// contributions to that question it draws on. The first write makes it;
/// every later one needs `If-Match` with the answer's ETag. Every revision
/// is kept. Refused (409) once the response is agreed, and while the
/// members are being polled on it.
#[utoipa::path(
    put,
    path = "/consultations/{id}/questions/{question_id}/answer",
    tag = "consultations",
    params(
        ("id" = Uuid, Path, description = "Consultation id"),
        ("question_id" = Uuid, Path, description = "Question id"),
        IfMatch,
    ),
    request_body = AnswerIn,
    responses(
        (status = 200, description = "The answer as it now is", body = AnswerOut,
         headers(("ETag" = String, description = "The answer's version"))),
        (status = 404, description = "No such consultation or question, or not yours to see"),
        (status = 409, description = "The response is agreed, submitted or withdrawn, or the members are being polled on it"),
        (status = 428, description = "The answer exists: send the ETag you last read"),
    ),
    security(("bearer" = []))
)]
async fn put_answer(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, question_id)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
    Json(input): Json<AnswerIn>,
) -> ApiResult<Tagged<AnswerOut>> {
    let out = consultations::answer(&state, &user, id, question_id, input, &if_match).await?;
    Ok(Tagged::new(out.version, out))
}

/// Every revision of the forum's answer to a question, oldest first (the
/// forum's participants).
#[utoipa::path(
    get,
    path = "/consultations/{id}/questions/{question_id}/answer/revisions",
    tag = "consultations",
    params(
        ("id" = Uuid, Path, description = "Consultation id"),
        ("question_id" = Uuid, Path, description = "Question id"),
    ),
    responses(
        (status = 200, description = "Every revision", body = Vec<AnswerRevisionOut>),
        (status = 404, description = "No such consultation or question, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn answer_revisions(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, question_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<Vec<AnswerRevisionOut>>> {
    Ok(Json(
        consultations::answer_revisions(&state, &user, id, question_id).await?,
    ))
}
