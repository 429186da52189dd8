//! An upload is first streamed to a temporary file — its size capped as it
//! comes, its SHA-256 taken and its kind decided from its first bytes on
//! the way — so that nothing is held whole in memory and the write
//! transaction that records it is short (SQLite has one writer at a time: a
//! slow upload must not hold it). The temporary file has no name on disk:
//! it is gone however the request ends.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::sniff::{self, Kind, SNIFF_BYTES};
use crate::kernel::error::{ApiError, ApiResult};

/// An upload, spooled: where it is, and what it is.
pub struct Spooled {
    pub(super) file: tokio::fs::File,
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

pub(super) fn spool_failed(err: std::io::Error) -> ApiError {
    ApiError::Internal(format!("spooling an upload: {err}"))
}

/// Streams the upload (a form's file field, chunk by chunk) to a temporary
/// file: 413 as soon as it passes `max` bytes, 415 as soon as its first
/// bytes show it is not an accepted kind, 422 when it is empty.
pub async fn spool<E: std::fmt::Display>(
    mut chunks: impl Stream<Item = Result<Bytes, E>> + Unpin,
    file_name: &str,
    max: u64,
) -> ApiResult<Spooled> {
    let file = tempfile::tempfile().map_err(spool_failed)?;
    let mut file = tokio::fs::File::from_std(file);
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut kind = None;
    let mut size: u64 = 0;
    while let Some(chunk) = chunks
        .next()
        .await
        .transpose()
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
