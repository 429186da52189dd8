//! `/regions/{code}/plan`: the current plan's commitments theme by theme,
//! each with its status and the work behind it; a theme with no commitment
//! says so.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use entity::Theme;
use sea_orm::Iterable;

use super::region::{CommitmentRow, commitment_row};
use crate::kernel::state::AppState;
use crate::public_record;
use crate::web::error::PageResult;
use crate::web::page::Page;

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    page: Page,
    region: String,
    region_href: String,
    plan: Option<(String, String)>,
    themes: Vec<ThemeSection>,
}

struct ThemeSection {
    id: String,
    name: String,
    /// "3 commitments, 2 with actions behind them."
    summary: String,
    commitments: Vec<CommitmentRow>,
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> PageResult<PlanPage> {
    let today = state.clock.now().date_naive();
    let record = public_record::region_plan(&state.db, &code, today).await?;
    let themes = Theme::iter()
        .map(|theme| {
            let commitments: Vec<CommitmentRow> = record
                .commitments
                .iter()
                .filter(|c| c.theme == theme)
                .map(|c| commitment_row(&page.text, c))
                .collect();
            let with_actions = commitments.iter().filter(|c| c.actions > 0).count();
            ThemeSection {
                id: format!("theme-{}", theme.as_str()),
                name: page.text.get(&format!("theme-{}", theme.as_str())),
                summary: format!(
                    "{} {}",
                    page.text
                        .count("plan-theme-commitments", commitments.len() as u64),
                    page.text
                        .count("plan-theme-with-actions", with_actions as u64)
                ),
                commitments,
            }
        })
        .collect();
    Ok(PlanPage {
        region_href: format!("/regions/{}", record.code),
        region: record.name,
        plan: record.plan.map(|p| (p.title, p.period)),
        themes,
        page,
    })
}
