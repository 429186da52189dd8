//! A member's proposed item, accepted onto the agenda (at its end) or
//! declined by an officer: the item's own change, sent with the version
//! the page showed.

use axum::extract::{Path, State};
use axum::response::Response;
use entity::AgendaItemStatus;
use serde::Deserialize;

use super::view::Forms;
use super::{At, back_to, refused, require_meeting, told};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::meetings::{self, AgendaItemPatch};
use crate::web::error::{PageResult, id_in_path};
use crate::web::i18n::Text;
use crate::web::session::CheckedForm;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    status: String,
    version: String,
}

/// The version a form was shown with; a form without one matches none,
/// so it is refused as stale rather than applied blind.
pub(super) fn shown_version(version: &str) -> IfMatch {
    let tags = version.trim().parse::<i32>().map(tag).unwrap_or_default();
    IfMatch::parse(&tags).unwrap_or_default()
}

pub async fn decide(
    State(state): State<AppState>,
    Path((forum, meeting, item)): Path<(String, String, String)>,
    CheckedForm { visitor, form }: CheckedForm<DecisionForm>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let item = id_in_path(&item)?;
    let caller = visitor.signed_in(&at.href())?;
    require_meeting(&state, caller, &at).await?;
    let status = match form.status.as_str() {
        "accepted" => AgendaItemStatus::Accepted,
        "declined" => AgendaItemStatus::Declined,
        _ => return Err(ApiError::BadRequest("no such decision".into()).into()),
    };
    let patch = AgendaItemPatch {
        title: None,
        description: None,
        presenter: None,
        minutes_allotted: None,
        status: Some(status),
        commitment_ids: None,
        visibility: None,
        carried_over: None,
        visibility_reason: None,
    };
    let if_match = shown_version(&form.version);
    match meetings::change_item(&state, caller, item, patch, &if_match).await {
        Ok(_) => Ok(back_to(&at, &form.status, "proposals")),
        Err(error @ (ApiError::PreconditionFailed(_) | ApiError::Conflict(_))) => {
            let status = crate::http::problem::status(&error);
            let message = match error {
                ApiError::PreconditionFailed(_) => Text::default().get("meeting-proposal-stale"),
                other => told(&other),
            };
            refused(
                &state,
                &visitor,
                caller,
                &at,
                Forms::problem(message),
                status,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
