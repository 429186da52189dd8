//! What a download sends: a paper's file, or one of its versions', to
//! whoever may read the paper. How it is sent (an attachment, its ETag, a
//! range of it) is the face's.

use bytes::Bytes;
use entity::{paper_content, paper_version};
use futures_util::stream::BoxStream;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::read::load_readable;
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

/// A file to send: its name and kind, its SHA-256, and where its bytes are.
pub struct Download {
    /// The safe name it is given back under.
    pub file_name: String,
    /// Its kind, as its bytes showed.
    pub content_type: String,
    pub sha256: String,
    content: paper_content::Model,
}

impl Download {
    async fn of(
        state: &AppState,
        content_id: Uuid,
        file_name: String,
        content_type: String,
        sha256: String,
    ) -> ApiResult<Self> {
        let content = paper_content::Entity::find_by_id(content_id)
            .one(&state.db)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("content {content_id} is missing")))?;
        Ok(Self {
            file_name,
            content_type,
            sha256,
            content,
        })
    }

    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        u64::try_from(self.content.size).unwrap_or(0)
    }

    /// Its bytes `first..=last`, as they are read from where they are kept
    /// (a piece at a time, whatever the file's size).
    pub fn bytes(
        self,
        state: &AppState,
        first: u64,
        last: u64,
    ) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
        state
            .paper_store
            .read(state.db.clone(), self.content, first, last)
    }
}

/// A paper's current file (whoever may read the paper; 404 to anyone else).
pub async fn paper_file(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
) -> ApiResult<Download> {
    let paper = load_readable(&state.db, id, caller).await?.paper;
    Download::of(
        state,
        paper.content_id,
        paper.file_name,
        paper.content_type,
        paper.sha256,
    )
    .await
}

/// One version's file (whoever may read the paper; 404 for no such version).
pub async fn version_file(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
    number: i32,
) -> ApiResult<Download> {
    load_readable(&state.db, id, caller).await?;
    let version = paper_version::Entity::find()
        .filter(paper_version::Column::PaperId.eq(id))
        .filter(paper_version::Column::Number.eq(number))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("paper version"))?;
    Download::of(
        state,
        version.content_id,
        version.file_name,
        version.content_type,
        version.sha256,
    )
    .await
}
