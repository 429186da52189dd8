//! Papers' bytes. An upload is first streamed to a temporary file — its
//! size capped as it comes, its SHA-256 taken and its kind decided from its
//! first bytes on the way — so that nothing is held whole in memory and the
//! write transaction that records it is short (SQLite has one writer at a
//! time: a slow upload must not hold it). The file is then copied into the
//! database in chunks, in the transaction that records the paper. The
//! temporary file has no name on disk: it is gone however the request ends.

use axum::extract::multipart::Field;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use entity::{paper_chunk, paper_content};
use futures_util::Stream;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use uuid::Uuid;

use super::sniff::{self, Kind, SNIFF_BYTES};
use crate::error::{ApiError, ApiResult};

/// The bytes of one chunk row.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// An upload, spooled: where it is, and what it is.
pub struct Spooled {
    file: tokio::fs::File,
    pub size: u64,
    pub sha256: String,
    pub kind: Kind,
}

fn too_large(max: u64) -> ApiError {
    ApiError::TooLarge(format!(
        "the file is larger than the {} MiB a paper may be",
        max / (1024 * 1024)
    ))
}

fn refused_kind() -> ApiError {
    ApiError::UnsupportedMediaType(
        "papers may be PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument \
         text or spreadsheet, PNG, JPEG, or plain text (including CSV and markdown); this \
         file's contents are none of these"
            .into(),
    )
}

fn spool_failed(err: std::io::Error) -> ApiError {
    ApiError::Internal(format!("spooling an upload: {err}"))
}

/// Streams the file field to a temporary file: 413 as soon as it passes
/// `max` bytes, 415 as soon as its first bytes show it is not an accepted
/// kind, 422 when it is empty.
pub async fn spool(field: &mut Field<'_>, file_name: &str, max: u64) -> ApiResult<Spooled> {
    let file = tempfile::tempfile().map_err(spool_failed)?;
    let mut file = tokio::fs::File::from_std(file);
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut kind = None;
    let mut size: u64 = 0;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the upload could not be read: {err}")))?
    {
        size += chunk.len() as u64;
        if size > max {
            return Err(too_large(max));
        }
        hasher.update(&chunk);
        if kind.is_none() {
            let wanted = SNIFF_BYTES - head.len();
            head.extend_from_slice(&chunk[..chunk.len().min(wanted)]);
            if head.len() == SNIFF_BYTES {
                kind = Some(sniff::kind_of(&head, file_name, false).ok_or_else(refused_kind)?);
            }
        }
        file.write_all(&chunk).await.map_err(spool_failed)?;
    }
    if size == 0 {
        return Err(ApiError::invalid("file", "is empty"));
    }
    let kind = match kind {
        Some(kind) => kind,
        None => sniff::kind_of(&head, file_name, true).ok_or_else(refused_kind)?,
    };
    file.flush().await.map_err(spool_failed)?;
    Ok(Spooled {
        file,
        size,
        sha256: hex(&hasher.finalize()),
        kind,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Copies a spooled upload into the database, in the caller's transaction.
/// Returns the content's id.
pub async fn store(
    conn: &impl ConnectionTrait,
    spooled: &mut Spooled,
    now: DateTime<Utc>,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    paper_content::ActiveModel {
        id: Set(id),
        size: Set(i64::try_from(spooled.size).unwrap_or(i64::MAX)),
        sha256: Set(spooled.sha256.clone()),
        chunk_size: Set(CHUNK_BYTES as i32),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    spooled.file.rewind().await.map_err(spool_failed)?;
    let mut seq = 0;
    loop {
        let mut data = Vec::with_capacity(CHUNK_BYTES);
        let read = (&mut spooled.file)
            .take(CHUNK_BYTES as u64)
            .read_to_end(&mut data)
            .await
            .map_err(spool_failed)?;
        if read == 0 {
            break;
        }
        paper_chunk::ActiveModel {
            content_id: Set(id),
            seq: Set(seq),
            data: Set(data),
        }
        .insert(conn)
        .await?;
        seq += 1;
    }
    Ok(id)
}

/// Deletes these contents and their chunks.
pub async fn delete(conn: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<(), DbErr> {
    paper_content::Entity::delete_many()
        .filter(paper_content::Column::Id.is_in(ids))
        .exec(conn)
        .await?;
    Ok(())
}

/// One chunk of a content's bytes.
pub async fn chunk(
    conn: &impl ConnectionTrait,
    content_id: Uuid,
    seq: i32,
) -> Result<Vec<u8>, std::io::Error> {
    paper_chunk::Entity::find_by_id((content_id, seq))
        .one(conn)
        .await
        .map_err(std::io::Error::other)?
        .map(|row| row.data)
        .ok_or_else(|| std::io::Error::other("a chunk of a paper is missing"))
}

/// The bytes `start..=end` of a content, read a chunk at a time as they
/// are sent (one chunk in memory at once, whatever the file's size).
pub fn read(
    db: sea_orm::DatabaseConnection,
    content: paper_content::Model,
    start: u64,
    end: u64,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let chunk = u64::try_from(content.chunk_size.max(1)).unwrap_or(1);
    futures_util::stream::try_unfold(start, move |at| {
        let db = db.clone();
        async move {
            if at > end {
                return Ok(None);
            }
            let seq = i32::try_from(at / chunk).unwrap_or(i32::MAX);
            let data = self::chunk(&db, content.id, seq).await?;
            let from = usize::try_from(at % chunk).unwrap_or(0);
            let to =
                usize::try_from((end - seq as u64 * chunk).min(data.len() as u64 - 1)).unwrap_or(0);
            if data.get(from..=to).is_none() {
                return Err(std::io::Error::other(
                    "a chunk of a paper is shorter than its size",
                ));
            }
            let bytes = Bytes::from(data).slice(from..=to);
            let next = seq as u64 * chunk + to as u64 + 1;
            Ok(Some((bytes, next)))
        }
    })
}
