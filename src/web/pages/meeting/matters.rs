//! Matters arising, as officers keep them: brought up to date from the
//! forum's record, or an entry dropped with the reason (which stays on the
//! list, marked so).

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::view::{Dropping, Forms};
use super::{At, back_to, refused, require_meeting, told};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meetings::{self, DropMatterIn};
use crate::web::error::{PageResult, id_in_path};
use crate::web::i18n::Text;
use crate::web::session::CheckedForm;

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn refresh(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let caller = visitor.signed_in(&at.href())?;
    require_meeting(&state, caller, &at).await?;
    match meetings::refresh_matters(&state, caller, at.meeting).await {
        Ok(_) => Ok(back_to(&at, "matters-refreshed", "matters")),
        Err(error @ ApiError::Conflict(_)) => {
            let status = crate::http::problem::status(&error);
            let forms = Forms::problem(told(&error));
            refused(&state, &visitor, caller, &at, forms, status).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DropForm {
    reason: String,
}

pub async fn drop_entry(
    State(state): State<AppState>,
    Path((forum, meeting, entry)): Path<(String, String, String)>,
    CheckedForm { visitor, form }: CheckedForm<DropForm>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let entry = id_in_path(&entry)?;
    let caller = visitor.signed_in(&at.href())?;
    require_meeting(&state, caller, &at).await?;
    let input = DropMatterIn {
        reason: form.reason.clone(),
    };
    match meetings::drop_matter(&state, caller, entry, input).await {
        Ok(_) => Ok(back_to(&at, "matter-dropped", "matters")),
        Err(error @ (ApiError::Validation(_) | ApiError::Conflict(_))) => {
            let status = crate::http::problem::status(&error);
            let dropping = Dropping {
                entry: entry.to_string(),
                reason: form.reason,
                error: match &error {
                    ApiError::Validation(errors) => {
                        let label = Text::default().get("meeting-matter-reason");
                        let told: Vec<String> = errors
                            .iter()
                            .map(|e| format!("{label} {}", e.message))
                            .collect();
                        told.join("; ")
                    }
                    other => told(other),
                },
            };
            let forms = Forms {
                dropping: Some(dropping),
                ..Forms::empty()
            };
            refused(&state, &visitor, caller, &at, forms, status).await
        }
        Err(other) => Err(other.into()),
    }
}
