//! Where papers' bytes are kept, behind one small interface. By default in
//! the database itself, in chunks written in the transaction that records
//! the paper (backups and several nodes need nothing more); or, when the
//! server is configured with a directory, as files there. Each content
//! records where its bytes are, so contents kept one way stay readable after
//! the configuration changes.
//!
//! An upload is [`spool`]ed first, then [`PaperStore::place`]d (a file is
//! written before the transaction, so the database's write lock is not held
//! for it), then [`Placed::record`]ed in the transaction, and
//! [`Placed::keep`]t once that commits: dropped before, it takes its file
//! with it. Deleted contents' files are removed after their transaction
//! commits ([`PaperStore::forget`]); [`PaperStore::sweep`] removes any file
//! a crash left behind.

mod database;
mod directory;
pub mod sniff;
mod spool;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use entity::{ContentStore, paper_content};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

pub use database::CHUNK_BYTES;
use directory::Directory;
pub use directory::SweepError;
pub use spool::{Spooled, spool};

use crate::kernel::error::{ApiError, ApiResult};

/// How old a file must be before the sweep may take it for an orphan: far
/// longer than any upload may take between placing its file and committing.
pub const ORPHAN_AGE: Duration = Duration::from_secs(60 * 60);

/// Where new papers' bytes go, and where a directory's are read from.
#[derive(Clone, Debug, Default)]
pub struct PaperStore {
    directory: Option<Arc<Directory>>,
}

impl PaperStore {
    /// Bytes kept in the database.
    pub fn in_database() -> Self {
        Self::default()
    }

    /// Bytes kept as files in `root`, created if missing; an error when it
    /// cannot be written.
    pub fn in_directory(root: PathBuf) -> std::io::Result<Self> {
        Ok(Self {
            directory: Some(Arc::new(Directory::open(root)?)),
        })
    }

    fn directory_for(&self, content: &paper_content::Model) -> std::io::Result<&Directory> {
        self.directory.as_deref().ok_or_else(|| {
            std::io::Error::other(format!(
                "content {} is kept in a directory, and none is configured",
                content.id
            ))
        })
    }

    /// Puts a spooled upload's bytes where they are kept: with a directory,
    /// its file is written and synced now, before any transaction.
    pub async fn place(&self, spooled: &mut Spooled) -> ApiResult<Placed> {
        let id = Uuid::now_v7();
        let file = match &self.directory {
            None => None,
            Some(directory) => Some(
                directory
                    .write(id, &mut spooled.file)
                    .await
                    .map_err(|err| ApiError::Internal(format!("storing a paper's file: {err}")))?,
            ),
        };
        Ok(Placed { id, file })
    }

    /// The bytes `start..=end` of a content, as they are sent (a chunk or a
    /// piece of the file in memory at once, whatever the file's size).
    pub fn read(
        &self,
        db: DatabaseConnection,
        content: paper_content::Model,
        start: u64,
        end: u64,
    ) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
        match content.stored_in {
            ContentStore::Database => database::read(db, content, start, end).boxed(),
            ContentStore::Directory => match self.directory_for(&content) {
                Ok(directory) => directory.read(content.id, start, end).boxed(),
                Err(err) => futures_util::stream::once(async { Err(err) }).boxed(),
            },
        }
    }

    /// Copies a whole content into `out`, from a blocking thread (the zip
    /// writer of the meeting pack is one).
    pub fn copy_blocking(
        &self,
        runtime: &tokio::runtime::Handle,
        db: &DatabaseConnection,
        content: &paper_content::Model,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        match content.stored_in {
            ContentStore::Database => {
                for seq in 0..database::chunks(content) {
                    let seq = i32::try_from(seq).map_err(std::io::Error::other)?;
                    out.write_all(&runtime.block_on(database::chunk(db, content.id, seq))?)?;
                }
                Ok(())
            }
            ContentStore::Directory => self.directory_for(content)?.copy_to(content, out),
        }
    }

    /// Removes the files of contents whose rows a committed transaction
    /// deleted (the database's own chunks went with their rows).
    pub fn forget(&self, ids: &[Uuid]) {
        if let Some(directory) = &self.directory {
            directory.remove_all(ids);
        }
    }

    /// Removes the directory's files no content owns that are older than
    /// [`ORPHAN_AGE`]. Returns how many went (none without a directory:
    /// the database's chunks are never orphaned, a failed upload's rows are
    /// rolled back with it).
    pub async fn sweep(&self, db: &DatabaseConnection) -> Result<u64, SweepError> {
        match &self.directory {
            None => Ok(0),
            Some(directory) => {
                let cutoff = SystemTime::now()
                    .checked_sub(ORPHAN_AGE)
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                directory.sweep(db, cutoff).await
            }
        }
    }
}

/// A content whose bytes are where they are kept, not yet recorded.
#[must_use = "a placed content is removed again unless it is recorded and kept"]
pub struct Placed {
    id: Uuid,
    /// The file written for it, removed when this is dropped unkept.
    file: Option<PathBuf>,
}

impl Placed {
    /// Records the content in the caller's transaction (with its chunks,
    /// when it is kept in the database). Returns its id.
    pub async fn record(
        &self,
        conn: &impl ConnectionTrait,
        spooled: &mut Spooled,
        now: DateTime<Utc>,
    ) -> ApiResult<Uuid> {
        let stored_in = match self.file {
            Some(_) => ContentStore::Directory,
            None => ContentStore::Database,
        };
        paper_content::ActiveModel {
            id: Set(self.id),
            size: Set(i64::try_from(spooled.size).unwrap_or(i64::MAX)),
            sha256: Set(spooled.sha256.clone()),
            chunk_size: Set(CHUNK_BYTES as i32),
            stored_in: Set(stored_in),
            created_at: Set(now),
        }
        .insert(conn)
        .await?;
        if stored_in == ContentStore::Database {
            database::write(conn, self.id, &mut spooled.file).await?;
        }
        Ok(self.id)
    }

    /// The transaction that recorded it has committed: its file stays.
    pub fn keep(mut self) {
        self.file = None;
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            directory::remove(&file);
        }
    }
}

/// Deletes these contents' rows and chunks, in the caller's transaction;
/// their files go once it commits ([`PaperStore::forget`]).
pub async fn delete(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<(), DbErr> {
    paper_content::Entity::delete_many()
        .filter(paper_content::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}
