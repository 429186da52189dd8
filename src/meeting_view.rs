//! A meeting as one reader reads it, whole — the meeting, who answered,
//! its agenda, its papers, its matters arising and the commitments its
//! items are about — for the meeting page, in one read of seven statements
//! at most: the reader's access is loaded once, and each part is read by
//! the same function its own operation in the API uses, so the page
//! withholds exactly what the API withholds.
//!
//! It stands above `meetings` and `papers` (which already uses meetings),
//! so it is a module of its own, and knows nothing of HTTP.

use entity::{RsvpResponse, meeting};
use uuid::Uuid;

use crate::kernel::access::{self, AuthUser, ForumAccess};
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::PageQuery;
use crate::kernel::state::AppState;
use crate::meetings::matters_arising::{MattersOut, matters};
use crate::meetings::{self, AgendaOut, RsvpCounts};
use crate::papers::{self, ItemVisibility, PaperOut};
use crate::plans::{CommitmentLabel, current_commitments};

/// The most papers the read returns (a meeting has far fewer).
pub const PAPERS_READ: u64 = 200;

/// A meeting as its reader may read it.
pub struct MeetingView {
    pub meeting: meeting::Model,
    /// The reader's access to the meeting's forum, and the forum.
    pub access: ForumAccess,
    /// How many answered yes, no and maybe.
    pub rsvps: RsvpCounts,
    /// How the reader answered, if they did.
    pub own_rsvp: Option<RsvpResponse>,
    /// As `GET /meetings/{id}/agenda-items` answers: items the reader may
    /// not read are withheld.
    pub agenda: AgendaOut,
    /// As `GET /meetings/{id}/papers` answers: only those the reader may
    /// read (none of an item withheld from them).
    pub papers: Vec<PaperOut>,
    pub matters: MattersOut,
    /// Whether the reader may add an item to the agenda now (propose it,
    /// or add it accepted).
    pub adds_items: bool,
    /// Commitments of the region's current plan, by reference: all of
    /// them when the reader may add an item (to link it to), else only
    /// those the agenda's items are linked to.
    pub commitments: Vec<CommitmentLabel>,
}

/// The meeting `id` as `caller` reads it (the forum's participants; 404
/// to anyone else, 401 when not signed in).
pub async fn meeting_view(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<MeetingView> {
    let conn = &state.db;
    let (meeting, rsvps, own_rsvp) =
        meetings::meeting_with_counts(conn, id, Some(caller.id())).await?;
    let access = access::visible_to::<meeting::Entity>(conn, &meeting, Some(caller)).await?;
    let agenda = meetings::agenda_as_read(conn, &meeting, &access).await?;
    let items: ItemVisibility = agenda
        .items
        .iter()
        .map(|i| (i.id, (i.visibility, i.visibility_reason.clone())))
        .collect();
    let papers = papers::of_meeting(
        conn,
        meeting.clone(),
        access.clone(),
        &items,
        PageQuery {
            limit: Some(PAPERS_READ),
            cursor: None,
        },
    )
    .await?
    .items;
    let matters = matters(conn, meeting.id, &access).await?;
    let adds_items = meetings::may_add_items(&meeting, &access);
    let mut linked: Vec<Uuid> = agenda
        .items
        .iter()
        .flat_map(|i| i.commitment_ids.iter().copied())
        .collect();
    linked.sort_unstable();
    linked.dedup();
    let only = (!adds_items).then_some(linked.as_slice());
    let commitments = current_commitments(conn, access.forum.region_id, only).await?;
    Ok(MeetingView {
        meeting,
        access,
        rsvps,
        own_rsvp,
        agenda,
        papers,
        matters,
        adds_items,
        commitments,
    })
}
