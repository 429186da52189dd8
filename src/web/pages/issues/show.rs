//! `/forums/{id}/issues/{issue_id}`: one issue as the forum's participants
//! read it — its words, who raised it, its evidence papers, the date its
//! answer is due (and how late it is), and the RPD's team's answers, each
//! with the evidence sent with it — and, for the region's RPD staff, the
//! form that answers it. Confidential evidence is listed only to those who
//! may read it (the papers' own rule); an issue of another forum, or one
//! the reader may not see, is not found.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use entity::IssueStatus;
use serde::Deserialize;

use super::{At, answer_due, status_tag};
use crate::issues::{self, IssueDetail};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::pagination::PageQuery;
use crate::kernel::state::AppState;
use crate::papers::{self, AttachedTo, PaperOut};
use crate::web::components::Tag;
use crate::web::error::{PageError, PageResult};
use crate::web::format;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;
use crate::web::uploads;

#[derive(Template, WebTemplate)]
#[template(path = "issue.html")]
pub struct IssuePage {
    page: Page,
    csrf_token: String,
    href: String,
    forum_name: String,
    issues_href: String,
    title: String,
    body: Vec<String>,
    status: Tag,
    due_on: String,
    due: Tag,
    raised_by: String,
    raised_on: String,
    priority: String,
    evidence: Vec<PaperRow>,
    answers: Vec<AnswerRow>,
    /// The answer form, for those who answer it while it takes answers.
    answer_form: Option<Form>,
    limits: String,
    done: Option<&'static str>,
}

impl IssuePage {
    pub fn has_errors(&self) -> bool {
        self.answer_form.as_ref().is_some_and(Form::has_errors)
    }
}

struct PaperRow {
    href: String,
    title: String,
    about: String,
}

struct AnswerRow {
    by: String,
    on: String,
    body: Vec<String>,
    evidence: Vec<PaperRow>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// The answer form, as typed.
pub fn answer_form(text: &Text, body: &str) -> Form {
    Form::new(
        text,
        vec![
            Field {
                label: text.get("issue-answer-body"),
                ..Field::plain(text, "body", Kind::TextArea)
            }
            .rows(8)
            .value(body),
            Field {
                label: text.get("issue-field-file"),
                ..Field::plain(text, "file", Kind::File)
            }
            .hint(text.get("issue-answer-file-hint"))
            .multiple(),
        ],
    )
}

/// The issue, of this forum, as the API reads it to this caller.
async fn issue_of(state: &AppState, caller: &AuthUser, at: At) -> PageResult<IssueDetail> {
    let detail = issues::get(state, caller, at.issue).await?;
    if detail.issue.forum_id != at.forum {
        return Err(ApiError::not_found("issue").into());
    }
    Ok(detail)
}

/// The page, with the answer form as sent (its text and its refusal) when
/// it was sent and refused.
pub async fn issue_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    at: At,
    answer: Option<(String, ApiError)>,
    done: Option<&'static str>,
) -> Result<IssuePage, PageError> {
    let detail = issue_of(state, caller, at).await?;
    let access = ForumAccess::load(&state.db, at.forum, Some(caller)).await?;
    let papers = papers::list(
        state,
        Some(caller),
        AttachedTo::Issue(at.issue),
        PageQuery {
            limit: Some(200),
            cursor: None,
        },
    )
    .await?
    .items;
    let text = Text::default();
    let today = state.clock.now().date_naive();
    let href = at.href();
    // Evidence sent with an answer is dated as the answer is (one
    // transaction wrote both); the rest is the issue's own.
    let answered_at: Vec<DateTime<Utc>> = detail.responses.iter().map(|r| r.created_at).collect();
    let mut by_answer: HashMap<DateTime<Utc>, Vec<PaperRow>> = HashMap::new();
    let mut evidence = Vec::new();
    for paper in papers {
        let row = paper_row(&href, &paper);
        match answered_at.contains(&paper.created_at) {
            true => by_answer.entry(paper.created_at).or_default().push(row),
            false => evidence.push(row),
        }
    }
    let issue = detail.issue;
    let takes_answers =
        access.allows(ForumAction::RespondToIssue) && issue.status != IssueStatus::Closed;
    let answer_form = match (takes_answers, answer) {
        (false, _) => None,
        (true, None) => Some(answer_form(&text, "")),
        (true, Some((body, error))) => {
            let mut form = answer_form(&text, &body);
            form.refuse(error)?;
            Some(form)
        }
    };
    Ok(IssuePage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        issues_href: format!("/forums/{}/issues", at.forum),
        status: status_tag(&text, issue.status),
        due_on: format::date(issue.response_due_on),
        due: answer_due(&text, &issue, today),
        raised_by: match (&issue.raised_by_name, &issue.raised_by_organisation_name) {
            (Some(person), Some(organisation)) => format!("{person}, {organisation}"),
            (person, organisation) => person.clone().or(organisation.clone()).unwrap_or_default(),
        },
        raised_on: format::date_time(issue.created_at),
        priority: text.get(&format!("issue-priority-{}", issue.priority.as_str())),
        body: format::paragraphs(&issue.body),
        title: issue.title,
        evidence,
        answers: detail
            .responses
            .into_iter()
            .map(|r| AnswerRow {
                by: r.author_name.unwrap_or_default(),
                on: format::date_time(r.created_at),
                body: format::paragraphs(&r.body),
                evidence: by_answer.remove(&r.created_at).unwrap_or_default(),
            })
            .collect(),
        answer_form,
        limits: uploads::limits_hint(&text, state.paper_max_bytes),
        done,
        href,
    })
}

fn paper_row(issue_href: &str, paper: &PaperOut) -> PaperRow {
    PaperRow {
        href: format!("{issue_href}/papers/{}", paper.id),
        about: uploads::about_file(paper),
        title: paper.title.clone(),
    }
}

/// What a form did, for the success banner: the message id.
fn done(what: &str) -> Option<&'static str> {
    match what {
        "raised" => Some("issue-done-raised"),
        "answered" => Some("issue-done-answered"),
        _ => None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, issue)): Path<(String, String)>,
    Query(query): Query<Done>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &issue)?;
    let caller = visitor.signed_in(&at.href())?;
    let page = issue_page(&state, &visitor, caller, at, None, done(&query.done)).await?;
    Ok((visitor.cookies(), page).into_response())
}
