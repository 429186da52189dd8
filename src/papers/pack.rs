//! The meeting pack: one zip of the agenda (markdown) and every paper the
//! caller may read, in agenda order, with names that say where each
//! belongs. Written as it is sent: papers are read from where they are kept
//! a chunk at a time and the zip streamed out, so a pack of any size holds
//! only a few chunks in memory.

use std::io::Write;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono_tz::Europe::London;
use entity::{AgendaItemStatus, agenda_item, meeting, paper, paper_content};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tokio::sync::mpsc;
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::holder::{Attached, Holder};
use super::visibility_of;
use crate::http::attachment::disposition;
use crate::http::extract::Path;
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::storage::PaperStore;
use crate::meetings::withheld_title;

/// Bytes handed to the response at a time, and how many may wait.
const PIECE: usize = 64 * 1024;
const WAITING: usize = 4;

/// A `Write` that hands what is written to the response, a piece at a time
/// (blocking when the client reads slower than the pack is made).
struct ToResponse {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl Write for ToResponse {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= PIECE {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::take(&mut self.buffer));
        self.tx
            .blocking_send(Ok(piece))
            .map_err(|_| std::io::Error::other("the client went away"))
    }
}

/// A name safe in any zip tool and file system.
fn entry_name(parts: &[&str], extension: &str) -> String {
    let joined = parts.join(" - ");
    let cleaned: String = joined
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned: String = cleaned.trim().chars().take(150).collect();
    format!("{cleaned}.{extension}")
}

/// One file of the pack, and where its bytes are.
struct Entry {
    name: String,
    content: paper_content::Model,
}

/// The agenda, as the caller may read it, in markdown.
fn agenda_text(meeting: &meeting::Model, items: &[(agenda_item::Model, bool)]) -> String {
    let when = meeting
        .starts_at
        .with_timezone(&London)
        .format("%A %-d %B %Y, %H:%M %Z");
    let mut text = format!("# {}\n\n{when}", meeting.title);
    if let Some(place) = &meeting.location {
        text.push_str(&format!(", {place}"));
    }
    text.push_str("\n\n## Agenda\n");
    for (n, (item, readable)) in items.iter().enumerate() {
        if *readable {
            text.push_str(&format!("\n{}. {}\n", n + 1, item.title));
            if !item.description.trim().is_empty() {
                text.push_str(&format!("\n   {}\n", item.description.trim()));
            }
        } else {
            text.push_str(&format!(
                "\n{}. {}\n",
                n + 1,
                withheld_title(item.visibility_reason.as_deref())
            ));
        }
    }
    text
}

/// A meeting's pack: its agenda and the papers you may read, as one zip.
///
/// `00 Agenda.md` first, then the meeting's own papers (`00-01 …`), then
/// each agenda item's in agenda order (`03-01 <item> - <paper>.pdf`).
/// Who may read the meeting's papers may have its pack: the forum's
/// participants, and anyone once it is held (its public papers only).
#[utoipa::path(
    get,
    path = "/meetings/{id}/pack",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The pack", content_type = "application/zip", body = Vec<u8>,
         headers(("Content-Disposition" = String, description = "`attachment` with the pack's name"))),
        (status = 404, description = "No such meeting, or its papers not yours to read", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn meeting_pack(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(meeting_id): Path<Uuid>,
) -> ApiResult<Response> {
    let attached = Attached::meeting(&state.db, meeting_id, None, caller.as_ref()).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("meeting"));
    }
    let Holder::Meeting { meeting, .. } = &attached.holder else {
        return Err(ApiError::not_found("meeting"));
    };
    let meeting = meeting.clone();
    let items: Vec<agenda_item::Model> = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::Status.eq(AgendaItemStatus::Accepted))
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .all(&state.db)
        .await?;
    let papers = paper::Entity::find()
        .filter(paper::Column::MeetingId.eq(meeting_id))
        .order_by_asc(paper::Column::Id)
        .all(&state.db)
        .await?;
    let contents: std::collections::HashMap<Uuid, paper_content::Model> =
        paper_content::Entity::find()
            .filter(paper_content::Column::Id.is_in(papers.iter().map(|p| p.content_id)))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
    let readable_items: Vec<(agenda_item::Model, bool)> = items
        .into_iter()
        .map(|i| {
            let readable = attached.may_read(i.visibility);
            (i, readable)
        })
        .collect();
    // The meeting's own papers (place 00), then each item's, in order.
    let mut entries = Vec::new();
    let places = std::iter::once(None).chain(readable_items.iter().map(|(i, _)| Some(i)));
    for (place, item) in places.enumerate() {
        let mut n = 0;
        for p in papers
            .iter()
            .filter(|p| p.agenda_item_id == item.map(|i| i.id))
        {
            let inherited = item.map_or((entity::Visibility::Public, None), |i| {
                (i.visibility, i.visibility_reason.clone())
            });
            if !attached.may_read(visibility_of(p, inherited).0) {
                continue;
            }
            let Some(content) = contents.get(&p.content_id) else {
                continue;
            };
            n += 1;
            let prefix = format!("{place:02}-{n:02}");
            let extension = p.file_name.rsplit_once('.').map_or("bin", |(_, e)| e);
            let name = match item {
                Some(item) => entry_name(&[&prefix, &item.title, &p.title], extension),
                None => entry_name(&[&prefix, &p.title], extension),
            };
            entries.push(Entry {
                name,
                content: content.clone(),
            });
        }
    }
    let agenda = agenda_text(&meeting, &readable_items);
    let (tx, rx) = mpsc::channel(WAITING);
    let db = state.db.clone();
    let store = state.paper_store.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let failed = tx.clone();
        let from = Contents {
            runtime: &handle,
            db: &db,
            store: &store,
        };
        if let Err(err) = write_pack(&from, tx, &agenda, &entries) {
            tracing::warn!(error = %err, "a meeting pack was not finished");
            let _ = failed.blocking_send(Err(err));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (piece, rx))
    });
    let file = format!(
        "{} {} pack",
        meeting.title,
        meeting.starts_at.with_timezone(&London).date_naive()
    );
    let file = entry_name(&[file.as_str()], "zip");
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition(&file));
    Ok(response)
}

/// Where the pack's papers are read from.
struct Contents<'a> {
    runtime: &'a tokio::runtime::Handle,
    db: &'a DatabaseConnection,
    store: &'a PaperStore,
}

fn write_pack(
    from: &Contents<'_>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    agenda: &str,
    entries: &[Entry],
) -> std::io::Result<()> {
    let mut zip = ZipWriter::new_stream(ToResponse {
        tx,
        buffer: Vec::with_capacity(PIECE),
    });
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    zip.start_file("00 Agenda.md", options)
        .map_err(std::io::Error::other)?;
    zip.write_all(agenda.as_bytes())?;
    for entry in entries {
        zip.start_file(entry.name.as_str(), options)
            .map_err(std::io::Error::other)?;
        from.store
            .copy_blocking(from.runtime, from.db, &entry.content, &mut zip)?;
    }
    let mut out = zip.finish().map_err(std::io::Error::other)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::entry_name;

    #[test]
    fn entry_names_are_safe_everywhere() {
        assert_eq!(
            entry_name(&["03-01", "Housing: on release?", "Q3/Q4 figures"], "pdf"),
            "03-01 - Housing_ on release_ - Q3_Q4 figures.pdf"
        );
    }
}
