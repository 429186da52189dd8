//! Evidence sent with an issue or its answer, in the same form: its files
//! placed before the write transaction (as any upload's are), then recorded
//! as the issue's papers inside the transaction that raises or answers it —
//! so that either all of it is kept, or none of it.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::quota;
use super::record::{self, PaperFile, PaperRow};
use super::types::{AttachedTo, NewFile};
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::kernel::storage::Placed;

/// Files of evidence, placed where papers are kept and not yet recorded
/// (removed again unless [`Evidence::keep`] follows a commit).
pub struct Evidence {
    files: Vec<(NewFile, Placed)>,
}

impl Evidence {
    /// Places each file: before any transaction, so that a slow disk does
    /// not hold the one writer.
    pub async fn place(state: &AppState, files: Vec<NewFile>) -> ApiResult<Self> {
        let mut placed = Vec::with_capacity(files.len());
        for mut file in files {
            let at = state.paper_store.place(&mut file.spooled).await?;
            placed.push((file, at));
        }
        Ok(Self { files: placed })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Records the files as the issue's papers (each titled by its file's
    /// name), counted against the forum's storage (413 past its limit), in
    /// the caller's transaction; each paper is dated `now`, the moment of
    /// the issue or answer it was sent with.
    pub async fn record(
        &mut self,
        conn: &impl ConnectionTrait,
        state: &AppState,
        by: Uuid,
        forum_id: Uuid,
        issue_id: Uuid,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        for (file, placed) in &mut self.files {
            let size = i64::try_from(file.spooled.size).unwrap_or(i64::MAX);
            quota::reserve(conn, forum_id, size, state.forum_storage_limit_bytes).await?;
            let content_id = placed.record(conn, &mut file.spooled, now).await?;
            let file_name = file.file_name();
            record::insert(
                conn,
                by,
                PaperRow {
                    to: AttachedTo::Issue(issue_id),
                    forum_id: Some(forum_id),
                    agenda_item_id: None,
                    title: file_name.clone(),
                    description: String::new(),
                    visibility: None,
                    visibility_reason: None,
                },
                PaperFile {
                    content_id,
                    file_name,
                    spooled: &file.spooled,
                },
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// The transaction that recorded the files has committed: they stay.
    pub fn keep(self) {
        for (_, placed) in self.files {
            placed.keep();
        }
    }
}
