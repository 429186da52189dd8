//! Papers' bytes kept in the database: rows of `CHUNK_BYTES`, written in
//! the transaction that records the paper and read back a chunk at a time.

use bytes::Bytes;
use entity::{paper_chunk, paper_content};
use futures_util::Stream;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use uuid::Uuid;

use super::spool::spool_failed;
use crate::kernel::error::ApiResult;

/// The bytes of one chunk row.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// Copies a spooled file into chunk rows of the content `id`.
pub(super) async fn write(
    conn: &impl ConnectionTrait,
    id: Uuid,
    file: &mut tokio::fs::File,
) -> ApiResult<()> {
    file.rewind().await.map_err(spool_failed)?;
    let mut seq = 0;
    loop {
        let mut data = Vec::with_capacity(CHUNK_BYTES);
        let read = (&mut *file)
            .take(CHUNK_BYTES as u64)
            .read_to_end(&mut data)
            .await
            .map_err(spool_failed)?;
        if read == 0 {
            return Ok(());
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
}

/// One chunk of a content's bytes.
pub(super) async fn chunk(
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

/// How many chunks a content has.
pub(super) fn chunks(content: &paper_content::Model) -> u64 {
    let size = u64::try_from(content.size).unwrap_or(0);
    size.div_ceil(chunk_size(content))
}

fn chunk_size(content: &paper_content::Model) -> u64 {
    u64::try_from(content.chunk_size.max(1)).unwrap_or(1)
}

/// The bytes `start..=end` of a content, read a chunk at a time as they
/// are sent (one chunk in memory at once, whatever the file's size).
pub(super) fn read(
    db: DatabaseConnection,
    content: paper_content::Model,
    start: u64,
    end: u64,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let chunk = chunk_size(&content);
    futures_util::stream::try_unfold(start, move |at| {
        let db = db.clone();
        async move {
            if at > end {
                return Ok(None);
            }
            let seq = i32::try_from(at / chunk).unwrap_or(i32::MAX);
            let data = self::chunk(&db, content.id, seq).await?;
            let from = usize::try_from(at % chunk).unwrap_or(0);
            let to = usize::try_from(
                (end - seq as u64 * chunk).min((data.len() as u64).saturating_sub(1)),
            )
            .unwrap_or(0);
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
