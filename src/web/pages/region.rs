//! `/regions/{code}`: the region's forum, its plan's commitments with the
//! work behind them, and the accountability report's figures, from the
//! same operation as `GET /api/v1/regions/{code}/accountability`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::accountability::{self, AccountabilityReport};
use crate::forums;
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::page::Page;

#[derive(Template, WebTemplate)]
#[template(path = "region.html")]
pub struct RegionPage {
    page: Page,
    name: String,
    forum: Option<(String, String)>,
    plan: Option<(String, String)>,
    commitments: Vec<CommitmentRow>,
    themes: Vec<ThemeRow>,
    figures: Vec<(&'static str, String)>,
}

/// The report's figures the page lists, by message id.
pub const FIGURES: [&str; 7] = [
    "region-issues-raised",
    "region-answered-in-time",
    "region-open-past-due",
    "region-awards",
    "region-awarded-value",
    "region-small-share",
    "region-outside-share",
];

struct CommitmentRow {
    reference: String,
    text: String,
    theme: String,
    status: String,
    actions: u64,
    overdue: u64,
    due: Option<String>,
}

struct ThemeRow {
    theme: String,
    commitments: u64,
    without_actions: u64,
    actions: u64,
}

pub async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> PageResult<RegionPage> {
    let report = accountability::report_of_region(&state, &code).await?;
    let forum = match report.forum_id {
        Some(id) => Some((
            format!("/forums/{id}"),
            forums::get(&state, None, id).await?.forum.name,
        )),
        None => None,
    };
    Ok(RegionPage::new(Page::default(), report, forum))
}

impl RegionPage {
    fn new(page: Page, report: AccountabilityReport, forum: Option<(String, String)>) -> Self {
        let text = &page.text;
        let commitments = report
            .commitments
            .iter()
            .map(|c| CommitmentRow {
                reference: c.reference.clone(),
                text: c.text.clone(),
                theme: text.get(&format!("theme-{}", c.theme.as_str())),
                status: text.get(&format!("commitment-status-{}", c.status.as_str())),
                actions: c.actions.total,
                overdue: c.actions.overdue,
                due: c.due_on.map(format::date),
            })
            .collect();
        let themes = report
            .themes
            .iter()
            .map(|t| ThemeRow {
                theme: text.get(&format!("theme-{}", t.theme.as_str())),
                commitments: t.commitments.total,
                without_actions: t.commitments_without_actions,
                actions: t.actions,
            })
            .collect();
        let r = &report.responsiveness;
        let f = &report.funding;
        let none = text.get("not-recorded");
        let values = [
            r.issues_raised.to_string(),
            r.answered_within_due_date.to_string(),
            r.open_past_due.to_string(),
            f.awards.to_string(),
            format::pounds(f.value_pence),
            format::percent(f.small_and_micro_share).unwrap_or_else(|| none.clone()),
            format::percent(f.outside_supply_chain_share).unwrap_or_else(|| none.clone()),
        ];
        let figures = FIGURES.into_iter().zip(values).collect();
        Self {
            name: report.region.name,
            forum,
            plan: report.plan.map(|p| (p.title, p.period)),
            commitments,
            themes,
            figures,
            page,
        }
    }
}
