//! Reading the report and the matrix as the API publishes them: as of
//! today, from the counters.

use super::report;
use super::source::Source;
use super::types::{AccountabilityReport, ThemeMatrix};
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;

/// A region's accountability report (public; 404 for an unknown region code).
pub async fn report_of_region(state: &AppState, code: &str) -> ApiResult<AccountabilityReport> {
    let today = state.clock.now().date_naive();
    report::region_report(&state.db, code, today, Source::Counters).await
}

/// Regions × themes for England and Wales (public).
pub async fn matrix(state: &AppState) -> ApiResult<ThemeMatrix> {
    report::theme_matrix(&state.db, Source::Counters).await
}
