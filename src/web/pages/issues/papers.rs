//! An issue's evidence papers, downloaded by whoever may read them, as the
//! API sends them.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::At;
use crate::http::paper_download::send;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::papers;
use crate::web::error::{PageResult, id_in_path};
use crate::web::session::Visitor;

pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, issue, paper)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> PageResult<Response> {
    let at = At::parse(&forum, &issue)?;
    let paper = id_in_path(&paper)?;
    let caller = visitor.signed_in(&at.href())?;
    let found = papers::get(&state, Some(caller), paper).await?;
    if found.issue_id != Some(at.issue) || found.forum_id != Some(at.forum) {
        return Err(ApiError::not_found("paper").into());
    }
    let file = papers::paper_file(&state, Some(caller), paper).await?;
    Ok(send(&state, &headers, file)?)
}
