//! The JSON face of the accountability report: each handler extracts,
//! calls the operation of `crate::accountability` and responds.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::accountability::{self, AccountabilityReport, ThemeMatrix};
use crate::http::extract::{Json, Path};
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(region_report))
        .routes(routes!(theme_matrix))
}

/// A region's accountability report (public).
///
/// For the region's current plan: each commitment with its linked actions by
/// status and how many are overdue; per theme, commitments by firmness and the
/// actions behind them, so a theme without commitments, or commitments without
/// action, stand out; and how the RPD's team answers the forum's issues.
#[utoipa::path(
    get,
    path = "/regions/{code}/accountability",
    tag = "accountability",
    params(("code" = String, Path, description = "Region code")),
    responses(
        (status = 200, description = "The report", body = AccountabilityReport),
        (status = 404, description = "No such region"),
    )
)]
async fn region_report(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<AccountabilityReport>> {
    Ok(Json(accountability::report_of_region(&state, &code).await?))
}

/// Regions × themes for England and Wales (public): each region's current
/// plan, its commitments per theme by firmness, and the actions behind them.
#[utoipa::path(
    get,
    path = "/accountability/themes",
    tag = "accountability",
    responses((status = 200, description = "The matrix", body = ThemeMatrix))
)]
async fn theme_matrix(State(state): State<AppState>) -> ApiResult<Json<ThemeMatrix>> {
    Ok(Json(accountability::matrix(&state).await?))
}
