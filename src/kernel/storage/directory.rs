//! Papers' bytes kept as files of a directory, one per content, named by
//! the content's id under a subdirectory of its last two hex digits (so no
//! directory grows past a few thousand files). A file is written and synced
//! before the transaction that records it, and removed again if that
//! transaction does not commit; the sweep removes any a crash left behind.

use std::io::{Read, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use bytes::Bytes;
use entity::paper_content;
use futures_util::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use uuid::Uuid;

/// Bytes read from a file at a time when it is sent.
const PIECE: usize = 64 * 1024;
/// Ids asked about at once by the sweep.
const SWEEP_BATCH: usize = 500;

#[derive(Debug)]
pub struct Directory {
    root: PathBuf,
}

impl Directory {
    /// Creates the directory if it is missing and proves it can be written,
    /// so that a server that cannot keep papers does not start.
    pub fn open(root: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&root)?;
        let probe = tempfile::NamedTempFile::new_in(&root)?;
        probe.close()?;
        Ok(Self { root })
    }

    pub fn path_of(&self, id: Uuid) -> PathBuf {
        let name = id.simple().to_string();
        self.root.join(&name[name.len() - 2..]).join(name)
    }

    /// Writes `file` (from its start) as the content `id`, synced to disk.
    pub async fn write(&self, id: Uuid, file: &mut tokio::fs::File) -> std::io::Result<PathBuf> {
        let path = self.path_of(id);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let written = async {
            file.rewind().await?;
            let mut out = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .await?;
            tokio::io::copy(file, &mut out).await?;
            out.sync_all().await
        }
        .await;
        match written {
            Ok(()) => Ok(path),
            Err(err) => {
                remove(&path);
                Err(err)
            }
        }
    }

    /// The bytes `start..=end` of a content's file, a piece at a time.
    pub fn read(
        &self,
        id: Uuid,
        start: u64,
        end: u64,
    ) -> impl Stream<Item = Result<Bytes, std::io::Error>> + use<> {
        let path = self.path_of(id);
        futures_util::stream::try_unfold((None::<tokio::fs::File>, start), move |(file, at)| {
            let path = path.clone();
            async move {
                if at > end {
                    return Ok(None);
                }
                let mut file = match file {
                    Some(file) => file,
                    None => {
                        let mut file = tokio::fs::File::open(&path).await?;
                        file.seek(SeekFrom::Start(at)).await?;
                        file
                    }
                };
                let wanted = usize::try_from(end - at + 1).unwrap_or(PIECE).min(PIECE);
                let mut piece = vec![0; wanted];
                let read = file.read(&mut piece).await?;
                if read == 0 {
                    return Err(std::io::Error::other(
                        "the file of a paper is shorter than its size",
                    ));
                }
                piece.truncate(read);
                Ok(Some((Bytes::from(piece), (Some(file), at + read as u64))))
            }
        })
    }

    /// Copies a content's whole file into `out` (from a blocking thread).
    pub fn copy_to(
        &self,
        content: &paper_content::Model,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let size = u64::try_from(content.size).unwrap_or(0);
        let file = std::fs::File::open(self.path_of(content.id))?;
        let copied = std::io::copy(&mut file.take(size), out)?;
        if copied < size {
            return Err(std::io::Error::other(
                "the file of a paper is shorter than its size",
            ));
        }
        Ok(())
    }

    /// Removes the files of these contents, where there are any.
    pub fn remove_all(&self, ids: &[Uuid]) {
        for id in ids {
            remove(&self.path_of(*id));
        }
    }

    /// Removes files last changed before `cutoff` whose content the
    /// database does not know: those of uploads that failed, or of papers
    /// deleted by a node that stopped before removing them. Files with
    /// names that are not content ids are left alone. Returns how many went.
    pub async fn sweep(
        &self,
        db: &DatabaseConnection,
        cutoff: SystemTime,
    ) -> Result<u64, SweepError> {
        let mut old: Vec<(Uuid, PathBuf)> = Vec::new();
        let mut removed = 0;
        let mut shards = tokio::fs::read_dir(&self.root).await?;
        while let Some(shard) = shards.next_entry().await? {
            if !shard.file_type().await?.is_dir() {
                continue;
            }
            let mut files = tokio::fs::read_dir(shard.path()).await?;
            while let Some(file) = files.next_entry().await? {
                let Some(id) = file
                    .file_name()
                    .to_str()
                    .and_then(|n| Uuid::try_parse(n).ok())
                else {
                    continue;
                };
                let metadata = file.metadata().await?;
                if metadata.is_file() && metadata.modified()? < cutoff {
                    old.push((id, file.path()));
                }
                if old.len() == SWEEP_BATCH {
                    removed += remove_unknown(db, std::mem::take(&mut old)).await?;
                }
            }
        }
        removed += remove_unknown(db, old).await?;
        Ok(removed)
    }
}

/// Removes those of these files whose content is not in the database.
async fn remove_unknown(
    db: &DatabaseConnection,
    files: Vec<(Uuid, PathBuf)>,
) -> Result<u64, DbErr> {
    if files.is_empty() {
        return Ok(0);
    }
    let known: std::collections::HashSet<Uuid> = paper_content::Entity::find()
        .select_only()
        .column(paper_content::Column::Id)
        .filter(paper_content::Column::Id.is_in(files.iter().map(|(id, _)| *id)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut removed = 0;
    for (id, path) in files {
        if !known.contains(&id) && remove(&path) {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes a file; one already gone is not an error, any other failure is
/// logged (the sweep tries again). Whether it was removed.
pub(super) fn remove(path: &Path) -> bool {
    match std::fs::remove_file(path) {
        Ok(()) => true,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(err) => {
            tracing::warn!(error = %err, path = %path.display(), "a paper's file was not removed");
            false
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("reading the papers' directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}
