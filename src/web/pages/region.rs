//! `/regions/{code}`: the region's forum, its plan's commitments with the
//! work behind them, and the accountability report's figures, from the
//! same operation as `GET /api/v1/regions/{code}/accountability`.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::{FundingMechanism, LedByAndFor, Theme};
use sea_orm::Iterable;
use serde::de::DeserializeOwned;

use crate::accountability::{self, AccountabilityReport};
use crate::forums;
use crate::kernel::state::AppState;
use crate::opportunities::{self, OpportunityQuery, OpportunityStatus};
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
    /// The months the members' taking part is counted over.
    voice_window: String,
    filters: Vec<Filter>,
    opportunities: Vec<OpportunityRow>,
}

/// One select of the opportunities' filter form: its name, label and
/// options (value, text, chosen).
struct Filter {
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String, bool)>,
}

struct OpportunityRow {
    title: String,
    mechanism: String,
    closes: String,
    status: String,
}

/// A filter's value as the operation takes it; anything else (a value of
/// an older page, say) means no filter.
fn chosen<T: DeserializeOwned>(query: &HashMap<String, String>, name: &str) -> Option<T> {
    let value = query.get(name)?;
    serde_json::from_value(serde_json::Value::String(value.clone())).ok()
}

/// A vocabulary's kebab-case name, as its message ids and the query use it.
fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn filter<T: serde::Serialize>(
    page: &Page,
    query: &HashMap<String, String>,
    name: &'static str,
    label: &'static str,
    prefix: &str,
    values: impl Iterator<Item = T>,
) -> Filter {
    let current = query.get(name).cloned().unwrap_or_default();
    let mut options = vec![(
        String::new(),
        page.text.get("filter-any"),
        current.is_empty(),
    )];
    options.extend(values.map(|v| {
        let value = name_of(&v);
        let text = page.text.get(&format!("{prefix}-{value}"));
        let is_chosen = value == current;
        (value, text, is_chosen)
    }));
    Filter {
        name,
        label,
        options,
    }
}

/// The report's figures the page lists, by message id.
pub const FIGURES: [&str; 10] = [
    "region-issues-raised",
    "region-answered-in-time",
    "region-open-past-due",
    "region-consultations-answered",
    "region-consultations-in-time",
    "region-taking-part",
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
    Query(query): Query<HashMap<String, String>>,
) -> PageResult<RegionPage> {
    let report = accountability::report_of_region(&state, &code).await?;
    let found = opportunities::list(
        &state,
        &code,
        OpportunityQuery {
            limit: Some(50),
            cursor: None,
            status: chosen(&query, "status"),
            mechanism: chosen(&query, "mechanism"),
            theme: chosen(&query, "theme"),
            led_by_and_for: chosen(&query, "led_by_and_for"),
        },
    )
    .await?;
    let forum = match report.forum_id {
        Some(id) => Some((
            format!("/forums/{id}"),
            forums::get(&state, None, id).await?.forum.name,
        )),
        None => None,
    };
    let page = Page::default();
    let statuses = [
        OpportunityStatus::Upcoming,
        OpportunityStatus::Open,
        OpportunityStatus::Closed,
        OpportunityStatus::Awarded,
        OpportunityStatus::Withdrawn,
    ];
    let filters = vec![
        filter(
            &page,
            &query,
            "status",
            "filter-status",
            "opportunity-status",
            statuses.into_iter(),
        ),
        filter(
            &page,
            &query,
            "mechanism",
            "filter-mechanism",
            "mechanism",
            FundingMechanism::iter(),
        ),
        filter(
            &page,
            &query,
            "theme",
            "filter-theme",
            "theme",
            Theme::iter(),
        ),
        filter(
            &page,
            &query,
            "led_by_and_for",
            "filter-led-by-and-for",
            "led-by-and-for",
            LedByAndFor::iter(),
        ),
    ];
    let opportunities = found
        .items
        .into_iter()
        .map(|o| OpportunityRow {
            mechanism: page
                .text
                .get(&format!("mechanism-{}", o.mechanism.as_str())),
            status: page
                .text
                .get(&format!("opportunity-status-{}", name_of(&o.status))),
            closes: format::date(o.closes_on),
            title: o.title,
        })
        .collect();
    Ok(RegionPage::new(page, report, forum, filters, opportunities))
}

impl RegionPage {
    fn new(
        page: Page,
        report: AccountabilityReport,
        forum: Option<(String, String)>,
        filters: Vec<Filter>,
        opportunities: Vec<OpportunityRow>,
    ) -> Self {
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
        let v = &report.voice;
        let none = text.get("not-recorded");
        let values = [
            r.issues_raised.to_string(),
            r.answered_within_due_date.to_string(),
            r.open_past_due.to_string(),
            v.consultations_responded.to_string(),
            v.consultations_responded_before_closing.to_string(),
            text.get_with(
                "region-taking-part-value",
                &[
                    ("taking_part", v.organisations_taking_part.to_string()),
                    ("members", v.member_organisations.to_string()),
                ],
            ),
            f.awards.to_string(),
            format::pounds(f.value_pence),
            format::percent(f.small_and_micro_share).unwrap_or_else(|| none.clone()),
            format::percent(f.outside_supply_chain_share).unwrap_or_else(|| none.clone()),
        ];
        let figures = FIGURES.into_iter().zip(values).collect();
        let voice_window = text.get_with(
            "region-voice-window",
            &[
                ("months", v.window_months.to_string()),
                ("from", format::date(v.window_from)),
                ("to", format::date(v.window_to)),
            ],
        );
        Self {
            name: report.region.name,
            forum,
            plan: report.plan.map(|p| (p.title, p.period)),
            commitments,
            themes,
            figures,
            voice_window,
            filters,
            opportunities,
            page,
        }
    }
}
