//! Request and response bodies of raised issues, and the figures of how
//! they are answered.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{IssuePriority, IssueStatus, issue_response, raised_issue};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::names::{Named, Names};
use crate::plans::WithLinks;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueIn {
    /// 1–300 characters.
    #[schema(schema_with = limits::IssueTitle::schema)]
    pub title: String,
    /// Markdown, 1–20,000 characters.
    #[schema(schema_with = limits::IssueBody::schema)]
    pub body: String,
    /// Default `normal`.
    pub priority: Option<IssuePriority>,
    /// The meeting it came from; must be this forum's.
    pub meeting_id: Option<Uuid>,
    /// Commitments of the region's plans it concerns.
    #[serde(default)]
    pub commitment_ids: Vec<Uuid>,
}

/// The states a move names: `responded` is reached by posting a response.
fn movable_status() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .description(Some(
            "`acknowledged`, `closed`, or `open` to re-open; an issue becomes `responded` \
             when a response is posted.",
        ))
        .enum_values(Some(
            [
                IssueStatus::Open,
                IssueStatus::Acknowledged,
                IssueStatus::Closed,
            ]
            .map(IssueStatus::as_str),
        ))
        .build()
}

/// A move of the issue's status: `acknowledged` (RPD staff), `closed` (the
/// raiser or an officer, once responded), `open` to re-open a responded issue
/// (with a `reason`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueChange {
    #[schema(schema_with = movable_status)]
    pub status: IssueStatus,
    #[schema(schema_with = limits::IssueReason::nullable)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseIn {
    /// Markdown, 1–20,000 characters.
    #[schema(schema_with = limits::ResponseBody::schema)]
    pub body: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ResponseOut {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    /// The author's display name; `null` when they are unknown.
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl ResponseOut {
    pub fn new(r: issue_response::Model, author_name: Option<String>) -> Self {
        Self {
            author_name,
            id: r.id,
            author_id: r.author_id,
            body: r.body,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IssueOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    pub body: String,
    pub priority: IssuePriority,
    pub status: IssueStatus,
    pub raised_by: Option<Uuid>,
    /// The raiser's display name; `null` when they are unknown. (Only the
    /// forum's participants read issues, and they are shown people's names.)
    pub raised_by_name: Option<String>,
    /// The organisation the raiser spoke for.
    pub raised_by_organisation_id: Option<Uuid>,
    /// Its name; `null` when the raiser spoke for none.
    pub raised_by_organisation_name: Option<String>,
    pub meeting_id: Option<Uuid>,
    pub commitment_ids: Vec<Uuid>,
    pub response_due_on: NaiveDate,
    /// Not yet answered and past the due date.
    pub overdue: bool,
    pub first_response_at: Option<DateTime<Utc>>,
    /// Whole days from raising to the first response.
    pub days_to_first_response: Option<i32>,
    pub answered_within_due_date: Option<bool>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn is_overdue(i: &raised_issue::Model, today: NaiveDate) -> bool {
    i.first_response_at.is_none() && i.status != IssueStatus::Closed && i.response_due_on < today
}

/// The names beside an issue's ids, read with it (see `kernel::names`).
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct IssueNames {
    pub raised_by_name: Option<String>,
    pub raised_by_organisation_name: Option<String>,
}

impl IssueNames {
    /// The issue's names among names read for several.
    pub fn among(names: &Names, i: &raised_issue::Model) -> Self {
        Self {
            raised_by_name: names.person(i.raised_by),
            raised_by_organisation_name: names.organisation(i.raised_for_organisation_id),
        }
    }
}

/// An issue as lists read it: with its names and its links.
pub type IssueRow = WithLinks<Named<raised_issue::Model, IssueNames>>;

impl IssueRow {
    pub fn issue(&self) -> &raised_issue::Model {
        &self.record.record
    }
}

impl IssueOut {
    /// An issue as a list reads it, with its names and links.
    pub fn listed(row: IssueRow, today: NaiveDate) -> Self {
        Self::new(
            row.record.record,
            row.record.names,
            row.commitment_ids,
            today,
        )
    }

    pub fn new(
        i: raised_issue::Model,
        names: IssueNames,
        commitment_ids: Vec<Uuid>,
        today: NaiveDate,
    ) -> Self {
        Self {
            raised_by_name: names.raised_by_name,
            raised_by_organisation_name: names.raised_by_organisation_name,
            overdue: is_overdue(&i, today),
            id: i.id,
            forum_id: i.forum_id,
            title: i.title,
            body: i.body,
            priority: i.priority,
            status: i.status,
            raised_by: i.raised_by,
            raised_by_organisation_id: i.raised_for_organisation_id,
            meeting_id: i.meeting_id,
            commitment_ids,
            response_due_on: i.response_due_on,
            first_response_at: i.first_response_at,
            days_to_first_response: i.days_to_first_response,
            answered_within_due_date: i.answered_within_due_date,
            closed_at: i.closed_at,
            version: i.version,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }
    }
}

/// An issue with its response thread.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IssueDetail {
    #[serde(flatten)]
    pub issue: IssueOut,
    pub responses: Vec<ResponseOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IssueQuery {
    /// Page size, 1–200 (default 50). Ignored for `text/csv`, which has every row.
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<IssueStatus>,
    pub priority: Option<IssuePriority>,
    /// `true`: only issues past their due date with no response.
    pub overdue: Option<bool>,
    /// Only issues linked to this commitment.
    pub commitment_id: Option<Uuid>,
    pub raised_by_organisation_id: Option<Uuid>,
    /// Words to search for in the title and text (1–200 characters): the
    /// matching issues, best match first.
    /// Without letters or digits, no search.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// How the RPD's team answers the issues the forum raises.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Responsiveness {
    pub issues_raised: u64,
    /// First response on or before the due date.
    pub answered_within_due_date: u64,
    /// Median whole days from raising to the first response, over answered issues.
    pub median_days_to_first_response: Option<f64>,
    /// Not yet answered and past the due date.
    pub open_past_due: u64,
}
