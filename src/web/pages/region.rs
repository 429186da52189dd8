//! `/regions/{code}`: the region's forum, its plan's commitments with the
//! work behind them, the accountability report's figures as charts (each
//! with its table) and its funding opportunities, filtered by a plain GET
//! form: the public record's reading of the region, four statements.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::{CommitmentStatus, FundingMechanism, LedByAndFor, Theme};
use sea_orm::Iterable;
use serde::de::DeserializeOwned;

use super::region_charts as charts;
use crate::accountability::CommitmentLine;
use crate::consultations::london_today;
use crate::kernel::state::AppState;
use crate::opportunities::{OpportunityQuery, OpportunityStatus};
use crate::public_record::{self, RegionRecord};
use crate::web::chart::Figure;
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;

/// Opportunities a page of the region lists.
const OPPORTUNITIES_PER_PAGE: u64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "region.html")]
pub struct RegionPage {
    page: Page,
    name: String,
    plan_href: String,
    forum: Option<(String, String)>,
    plan: Option<(String, String)>,
    commitments: Vec<CommitmentRow>,
    figures: Vec<Figure>,
    voice: Vec<(String, String)>,
    /// The months the members' taking part is counted over.
    voice_window: String,
    answers: Vec<(String, String)>,
    filters: Vec<Filter>,
    opportunities: Vec<OpportunityRow>,
    /// The opportunities' pagination, the filters kept: back to the first
    /// page, on to the next (link and words).
    first_opportunities: Option<(String, String)>,
    more_opportunities: Option<(String, String)>,
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

pub(super) struct CommitmentRow {
    pub(super) reference: String,
    pub(super) text: String,
    pub(super) theme: String,
    pub(super) status: String,
    /// The status tag's colour class.
    pub(super) tag: &'static str,
    pub(super) actions: u64,
    pub(super) overdue: u64,
    pub(super) due: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult<RegionPage> {
    let now = state.clock.now();
    let record = public_record::region_record(&state.db, &code, now.date_naive()).await?;
    let found = public_record::region_opportunities(
        &state.db,
        record.id,
        &OpportunityQuery {
            limit: Some(OPPORTUNITIES_PER_PAGE),
            cursor: query.get("opportunities").cloned(),
            status: chosen(&query, "status"),
            mechanism: chosen(&query, "mechanism"),
            theme: chosen(&query, "theme"),
            led_by_and_for: chosen(&query, "led_by_and_for"),
        },
        london_today(now),
    )
    .await?;
    let filters = filters(&page, &query);
    let here = |cursor: Option<&str>| {
        let mut kept = form_urlencoded::Serializer::new(String::new());
        for f in &filters {
            if let Some((value, _, _)) = f.options.iter().find(|(v, _, on)| *on && !v.is_empty()) {
                kept.append_pair(f.name, value);
            }
        }
        if let Some(cursor) = cursor {
            kept.append_pair("opportunities", cursor);
        }
        let kept = kept.finish();
        let query = if kept.is_empty() {
            String::new()
        } else {
            format!("?{kept}")
        };
        format!("/regions/{}{query}#opportunities", record.code)
    };
    let more_opportunities = found
        .next_cursor
        .as_deref()
        .map(|c| (here(Some(c)), page.text.get("region-opportunities-more")));
    let first_opportunities = query
        .get("opportunities")
        .filter(|c| !c.is_empty())
        .map(|_| (here(None), page.text.get("region-opportunities-first")));
    let opportunities = found
        .items
        .into_iter()
        .map(|(o, status)| OpportunityRow {
            mechanism: page
                .text
                .get(&format!("mechanism-{}", o.mechanism.as_str())),
            status: page
                .text
                .get(&format!("opportunity-status-{}", status.as_str())),
            closes: format::date(o.closes_on),
            title: o.title,
        })
        .collect();
    let mut region = RegionPage::new(page, record, filters, opportunities);
    region.first_opportunities = first_opportunities;
    region.more_opportunities = more_opportunities;
    Ok(region)
}

/// The opportunities' filter form, each select showing what was chosen.
fn filters(page: &Page, query: &HashMap<String, String>) -> Vec<Filter> {
    let statuses = [
        OpportunityStatus::Upcoming,
        OpportunityStatus::Open,
        OpportunityStatus::Closed,
        OpportunityStatus::Awarded,
        OpportunityStatus::Withdrawn,
    ];
    vec![
        filter(
            page,
            query,
            "status",
            "filter-status",
            "opportunity-status",
            statuses.into_iter(),
        ),
        filter(
            page,
            query,
            "mechanism",
            "filter-mechanism",
            "mechanism",
            FundingMechanism::iter(),
        ),
        filter(page, query, "theme", "filter-theme", "theme", Theme::iter()),
        filter(
            page,
            query,
            "led_by_and_for",
            "filter-led-by-and-for",
            "led-by-and-for",
            LedByAndFor::iter(),
        ),
    ]
}

/// A commitment as the page lists it.
pub(super) fn commitment_row(text: &Text, c: &CommitmentLine) -> CommitmentRow {
    CommitmentRow {
        reference: c.reference.clone(),
        text: c.text.clone(),
        theme: text.get(&format!("theme-{}", c.theme.as_str())),
        status: text.get(&format!("commitment-status-{}", c.status.as_str())),
        tag: match c.status {
            CommitmentStatus::NotStarted => "govuk-tag--grey",
            CommitmentStatus::InProgress => "govuk-tag--blue",
            CommitmentStatus::PartlyAchieved => "govuk-tag--light-blue",
            CommitmentStatus::Achieved => "govuk-tag--green",
            CommitmentStatus::NotAchieved => "govuk-tag--red",
            CommitmentStatus::Withdrawn => "govuk-tag--purple",
        },
        actions: c.actions.total,
        overdue: c.actions.overdue,
        due: c.due_on.map(format::date),
    }
}

impl RegionPage {
    fn new(
        page: Page,
        record: RegionRecord,
        filters: Vec<Filter>,
        opportunities: Vec<OpportunityRow>,
    ) -> Self {
        let text = &page.text;
        let commitments = record
            .commitments
            .iter()
            .map(|c| commitment_row(text, c))
            .collect();
        let figures = vec![
            charts::status_by_theme(text, &record),
            charts::work_by_theme(text, &record),
            charts::answers(text, &record),
            charts::response_times(text, &record),
            charts::funding_by_mechanism(text, &record),
            charts::shares(text, &record),
        ];
        let none = text.get("not-recorded");
        let r = &record.responsiveness;
        let answers = vec![
            (
                text.get("region-issues-raised"),
                r.issues_raised.to_string(),
            ),
            (
                text.get("region-median-days"),
                r.median_days_to_first_response
                    .map_or_else(|| none.clone(), |d| format!("{d:.1}")),
            ),
        ];
        let v = &record.voice;
        let voice = vec![
            (
                text.get("region-consultations-registered"),
                v.consultations_registered.to_string(),
            ),
            (
                text.get("region-consultations-responded"),
                v.consultations_responded.to_string(),
            ),
            (
                text.get("region-consultations-in-time"),
                v.consultations_responded_before_closing.to_string(),
            ),
            (
                text.get("region-member-organisations"),
                v.member_organisations.to_string(),
            ),
            (
                text.get("region-taking-part"),
                v.organisations_taking_part.to_string(),
            ),
            (
                text.get("region-participation-share"),
                format::percent(v.participation_share).unwrap_or_else(|| none.clone()),
            ),
        ];
        let voice_window = text.with(
            "region-voice-window",
            &[
                ("months", v.window_months.to_string()),
                ("from", format::date(v.window_from)),
                ("to", format::date(v.window_to)),
            ],
        );
        Self {
            plan_href: format!("/regions/{}/plan", record.code),
            name: record.name,
            forum: record
                .forum
                .map(|(id, name)| (format!("/forums/{id}"), name)),
            plan: record.plan.map(|p| (p.title, p.period)),
            commitments,
            figures,
            voice,
            voice_window,
            answers,
            filters,
            opportunities,
            first_opportunities: None,
            more_opportunities: None,
            page,
        }
    }
}
