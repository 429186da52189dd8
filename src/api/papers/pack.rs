//! The meeting pack, sent as one zip written as it is sent: each paper is
//! read a chunk at a time and the zip streamed out, so a pack of any size
//! holds only a few chunks in memory.

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use crate::http::extract::Path;
use crate::http::paper_pack::send_pack;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::papers;

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
        (status = 404, description = "No such meeting, or its papers not yours to read"),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn meeting_pack(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(meeting_id): Path<Uuid>,
) -> ApiResult<Response> {
    let pack = papers::pack(&state, caller.as_ref(), meeting_id).await?;
    Ok(send_pack(state, pack))
}
