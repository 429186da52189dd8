//! The meeting pack: the agenda (markdown) and every paper the caller may
//! read, in agenda order, with names that say where each belongs. The face
//! writes it out as one zip while it is sent, reading each paper a chunk at
//! a time, so a pack of any size holds only a few chunks in memory.

use std::collections::HashMap;
use std::io::Write;

use chrono_tz::Europe::London;
use entity::{AgendaItemStatus, Visibility, agenda_item, meeting, paper, paper_content};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::holder::{Attached, Holder};
use super::names::entry_name;
use super::visibility_of;
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::meetings::withheld_title;

/// A meeting's pack, as the caller may have it.
pub struct Pack {
    /// The name of the pack as a whole (`<meeting> <date> pack.zip`).
    pub file_name: String,
    /// Its first entry's name, and the agenda as the caller may read it.
    pub agenda_name: &'static str,
    pub agenda: String,
    /// The papers, in the order they go in.
    pub entries: Vec<PackEntry>,
}

/// One paper of the pack, and where its bytes are.
pub struct PackEntry {
    pub name: String,
    content: paper_content::Model,
}

impl PackEntry {
    /// Copies the paper's bytes into `out`, from a blocking thread (a zip
    /// writer is one) on `runtime`.
    pub fn copy_to(
        &self,
        state: &AppState,
        runtime: &tokio::runtime::Handle,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        state
            .paper_store
            .copy_blocking(runtime, &state.db, &self.content, out)
    }
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

/// A meeting's pack: `00 Agenda.md` first, then the meeting's own papers
/// (`00-01 …`), then each agenda item's in agenda order (`03-01 <item> -
/// <paper>.pdf`) — those the caller may read. Who may read the meeting's
/// papers may have its pack: the forum's participants, and anyone once it
/// is held (its public papers only); 404 to anyone else.
pub async fn pack(
    state: &AppState,
    caller: Option<&AuthUser>,
    meeting_id: Uuid,
) -> ApiResult<Pack> {
    let attached = Attached::meeting(&state.db, meeting_id, None, caller).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("meeting"));
    }
    let Holder::Meeting { meeting, .. } = &attached.holder else {
        return Err(ApiError::not_found("meeting"));
    };
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
    let contents: HashMap<Uuid, paper_content::Model> = paper_content::Entity::find()
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
            let inherited = item.map_or((Visibility::Public, None), |i| {
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
            entries.push(PackEntry {
                name,
                content: content.clone(),
            });
        }
    }
    let file_name = format!(
        "{} {} pack",
        meeting.title,
        meeting.starts_at.with_timezone(&London).date_naive()
    );
    Ok(Pack {
        file_name: entry_name(&[file_name.as_str()], "zip"),
        agenda_name: "00 Agenda.md",
        agenda: agenda_text(meeting, &readable_items),
        entries,
    })
}
