//! `/forums/{id}/consultations/{consultation_id}`: a consultation as its
//! forum's participants follow it, and as its officers run it — each
//! question with the contributions to it beside the forum's joint answer,
//! which the officers write citing the contributions it draws on; the
//! members' poll on the response; and its moves on (drafting, agreed,
//! submitted with the reference, or withdrawn). Every write is the
//! operation the API calls; an answer changed by someone else since the
//! page was read is never overwritten: both texts are shown, and the
//! person's own is kept for them to merge and save again.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveTime;
use entity::{ConsultationStatus, PollKind};
use sea_orm::Iterable;
use serde::Deserialize;
use uuid::Uuid;

use super::date_field;
use crate::consultations::{self, AnswerIn, ConsultationPatch, ContributionQuery};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::polls::{self, PollIn};
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Choice, Field, Form, Kind, capitalised};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};
use crate::web::{components, format, when};

use super::contribute::{OwnContribution, RefusedContribution};

#[derive(Template, WebTemplate)]
#[template(path = "consultation.html")]
pub struct ConsultationPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    base: String,
    title: String,
    consulting_body: String,
    source_url: Option<String>,
    description: Vec<String>,
    status: String,
    closes: String,
    deadline: String,
    reference: Option<String>,
    /// The consultation's version, which its status form carries.
    version: i32,
    questions: Vec<QuestionPanel>,
    /// Whether the reader writes the joint answers.
    runs_it: bool,
    status_form: Option<Form>,
    poll_form: Option<Form>,
    /// An answer or a contribution refused, linked from the error summary.
    answer_error: Option<components::ErrorSummary>,
    /// "Your organisation can contribute until the end of …", while it can.
    contributes_until: Option<String>,
    done: Option<&'static str>,
}

struct QuestionPanel {
    id: String,
    number: i32,
    text: String,
    word_limit: Option<String>,
    contributions: Vec<ContributionRow>,
    /// The joint answer as saved, with who last wrote it.
    answer: Vec<String>,
    answer_by: Option<String>,
    /// What the textarea holds: the saved answer, or what the person typed.
    typed: String,
    version: Option<i32>,
    error: Option<String>,
    /// Someone else's save since the person's page was read.
    conflict: Option<String>,
    /// The reader's organisation's contribution, while it may contribute.
    own: Option<OwnContribution>,
}

struct ContributionRow {
    id: String,
    organisation: String,
    body: Vec<String>,
    cited: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    done: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    body: String,
    cites: Vec<String>,
    version: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    submitted_on: String,
    submission_reference: String,
    withdrawn_reason: String,
    version: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PollForm {
    closes_on: String,
}

/// What a refused write leaves on the page.
#[derive(Default)]
pub(super) struct Refused {
    answer: Option<(Uuid, AnswerForm, String, Option<String>)>,
    contribution: Option<RefusedContribution>,
    status: Option<(StatusForm, ApiError)>,
    poll: Option<(PollForm, ApiError)>,
}

impl Refused {
    pub(super) fn contribution(refused: RefusedContribution) -> Self {
        Self {
            contribution: Some(refused),
            ..Self::default()
        }
    }
}

fn status_form(text: &Text, from: ConsultationStatus, typed: &StatusForm) -> Option<Form> {
    let moves: Vec<Choice> = ConsultationStatus::iter()
        .filter(|to| from.can_become(*to))
        .map(|to| {
            Choice::new(
                to.as_str(),
                text.get(&format!("consultation-move-{}", to.as_str())),
            )
        })
        .collect();
    (!moves.is_empty()).then(|| {
        Form::new(
            text,
            vec![
                Field::plain(text, "status", Kind::Radios)
                    .choices(moves)
                    .value(&typed.status),
                Field::plain(text, "submitted_on", Kind::Date)
                    .hint(text.get("consultation-submitted-hint"))
                    .value(&typed.submitted_on),
                Field::plain(text, "submission_reference", Kind::Text)
                    .value(&typed.submission_reference),
                Field::plain(text, "withdrawn_reason", Kind::TextArea)
                    .rows(3)
                    .value(&typed.withdrawn_reason),
            ],
        )
    })
}

fn poll_form(text: &Text, typed: &PollForm) -> Form {
    Form::new(
        text,
        vec![
            Field::plain(text, "closes_on", Kind::Date)
                .id("poll_closes_on")
                .hint(text.get("consultation-poll-closes-hint"))
                .value(&typed.closes_on),
        ],
    )
}

pub(super) async fn render(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    (forum, id): (Uuid, Uuid),
    refused: Refused,
) -> PageResult<ConsultationPage> {
    let detail = consultations::get(state, Some(caller), id).await?;
    let consultation = detail.consultation;
    if consultation.forum_id != forum {
        return Err(ApiError::not_found("consultation").into());
    }
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let response = consultations::joint_response(state, Some(caller), id).await?;
    // Every contribution, however many: the joint answer may cite any of
    // them. Read 200 at a time (a page of the operation's list each).
    let mut by_question: HashMap<Uuid, Vec<_>> = HashMap::new();
    let mut cursor = None;
    loop {
        let query = ContributionQuery {
            limit: Some(200),
            cursor: cursor.take(),
            question_id: None,
        };
        let page = consultations::contributions(state, caller, id, query).await?;
        for c in page.items {
            by_question.entry(c.question_id).or_default().push(c);
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let text = Text::default();
    let runs_it = access.allows(ForumAction::RunConsultation);
    // Offered to the people of an organisation while the operation would
    // take its contribution (which organisations are members it decides).
    let speaks_for = caller.user.organisation_id.filter(|_| {
        access.allows(ForumAction::Contribute)
            && consultations::contributions_open(
                consultation.status,
                consultation.internal_deadline,
                consultations::london_today(state.clock.now()),
            )
            .is_ok()
    });
    let mut refused_contribution = refused.contribution;
    let mut refused_answer = refused.answer;
    let questions = response
        .questions
        .into_iter()
        .map(|q| {
            let saved = q.answer;
            let mine = refused_answer.take_if(|(question, ..)| *question == q.question.id);
            let cited: Vec<String> = match &mine {
                Some((_, typed, ..)) => typed.cites.clone(),
                None => saved
                    .iter()
                    .flat_map(|a| a.cites.iter().map(|c| c.contribution_id.to_string()))
                    .collect(),
            };
            let (typed, error, conflict) = match mine {
                Some((_, typed, error, conflict)) => (typed.body, Some(error), conflict),
                None => (
                    saved.as_ref().map(|a| a.body.clone()).unwrap_or_default(),
                    None,
                    None,
                ),
            };
            let contributions = by_question.remove(&q.question.id).unwrap_or_default();
            let own = speaks_for.map(|organisation| {
                OwnContribution::of(
                    &text,
                    contributions
                        .iter()
                        .find(|c| c.organisation_id == organisation),
                    q.question.word_limit,
                    refused_contribution.take_if(|r| r.question == q.question.id),
                )
            });
            QuestionPanel {
                own,
                id: q.question.id.to_string(),
                number: q.question.number,
                text: q.question.text,
                word_limit: q
                    .question
                    .word_limit
                    .map(|n| text.count("consultation-word-limit", n.unsigned_abs().into())),
                contributions: contributions
                    .into_iter()
                    .map(|c| ContributionRow {
                        cited: cited.contains(&c.id.to_string()),
                        id: c.id.to_string(),
                        organisation: c.organisation_name,
                        body: format::paragraphs(&c.body),
                    })
                    .collect(),
                answer: saved
                    .as_ref()
                    .map(|a| format::paragraphs(&a.body))
                    .unwrap_or_default(),
                answer_by: saved.as_ref().map(|a| {
                    text.with(
                        "consultation-answer-by",
                        &[
                            ("name", a.edited_by_name.clone().unwrap_or_default()),
                            ("when", format::date_time(a.updated_at)),
                        ],
                    )
                }),
                typed,
                version: saved.as_ref().map(|a| a.version),
                error,
                conflict,
            }
        })
        .collect::<Vec<QuestionPanel>>();
    // A contribution refused where no form is left to show it on (the
    // deadline passed meanwhile) is told in the summary alone.
    let unplaced = refused_contribution.map(|r| components::ErrorSummary {
        title_text: text.get("error-summary-title"),
        description_text: None,
        error_list: vec![components::ErrorLink {
            text: r.message,
            href: None,
        }],
    });
    let answer_error = unplaced.or_else(|| {
        questions.iter().find_map(|q| {
            let refused = [
                (q.error.as_ref(), "answer"),
                (
                    q.own.as_ref().and_then(|o| o.error.as_ref()),
                    "contribution",
                ),
            ];
            refused.into_iter().find_map(|(error, field)| {
                error.map(|message| components::ErrorSummary {
                    title_text: text.get("error-summary-title"),
                    description_text: None,
                    error_list: vec![components::ErrorLink {
                        text: message.clone(),
                        href: Some(format!("#{field}-{}", q.id)),
                    }],
                })
            })
        })
    });
    let mut status = None;
    if runs_it {
        let (typed, error) = match refused.status {
            Some((typed, error)) => (typed, Some(error)),
            None => (StatusForm::default(), None),
        };
        status = status_form(&text, consultation.status, &typed);
        if let (Some(form), Some(error)) = (status.as_mut(), error) {
            form.refuse(error)?;
        }
    }
    let mut poll = None;
    if consultation.status == ConsultationStatus::Drafting && access.allows(ForumAction::RunPolls) {
        let (typed, error) = match refused.poll {
            Some((typed, error)) => (typed, Some(error)),
            None => (PollForm::default(), None),
        };
        let mut form = poll_form(&text, &typed);
        if let Some(error) = error {
            form.refuse(error)?;
        }
        poll = Some(form);
    }
    Ok(ConsultationPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        base: format!("/forums/{forum}/consultations/{id}"),
        title: consultation.title,
        consulting_body: consultation.consulting_body,
        source_url: consultation.source_url,
        description: format::paragraphs(&consultation.description),
        status: text.get(&format!(
            "consultation-status-{}",
            consultation.status.as_str()
        )),
        closes: format::date(consultation.closes_on),
        deadline: format::date(consultation.internal_deadline),
        reference: consultation.submission_reference,
        version: consultation.version,
        questions,
        runs_it,
        status_form: status,
        poll_form: poll,
        answer_error,
        contributes_until: speaks_for.map(|_| {
            text.with(
                "consultation-contribute-until",
                &[("date", format::date(consultation.internal_deadline))],
            )
        }),
        done: None,
    })
}

pub(super) fn ids(forum: &str, id: &str) -> PageResult<(Uuid, Uuid)> {
    Ok((id_in_path(forum)?, id_in_path(id)?))
}

pub(super) fn address((forum, id): (Uuid, Uuid)) -> String {
    format!("/forums/{forum}/consultations/{id}")
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, id)): Path<(String, String)>,
    Query(shown): Query<Shown>,
) -> PageResult<ConsultationPage> {
    let ids = ids(&forum, &id)?;
    let caller = visitor.signed_in(&address(ids))?;
    let mut page = render(&state, &visitor, caller, ids, Refused::default()).await?;
    page.done = match shown.done.as_str() {
        "answer" => Some("consultation-done-answer"),
        "status" => Some("consultation-done-status"),
        "poll" => Some("consultation-done-poll"),
        "contribution" => Some("consultation-done-contribution"),
        _ => None,
    };
    Ok(page)
}

/// The version a form carries, as the operation's `If-Match`: none for an
/// answer not yet written.
pub(super) fn if_match(version: &str) -> Result<IfMatch, ApiError> {
    match version.trim() {
        "" => Ok(IfMatch::none()),
        v => {
            let v: i32 = v
                .parse()
                .map_err(|_| ApiError::BadRequest("the form's version is not a number".into()))?;
            IfMatch::parse(&tag(v))
        }
    }
}

pub async fn answer(
    State(state): State<AppState>,
    Path((forum, id, question)): Path<(String, String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<AnswerForm>,
) -> PageResult<Response> {
    let ids = ids(&forum, &id)?;
    let question = id_in_path(&question)?;
    let caller = visitor.signed_in(&address(ids))?;
    let mut cites = Vec::new();
    for cite in &typed.cites {
        cites.push(id_in_path(cite)?);
    }
    let input = AnswerIn {
        body: typed.body.clone(),
        cites,
    };
    let result = consultations::answer(
        &state,
        caller,
        ids.1,
        question,
        input,
        &if_match(&typed.version)?,
    )
    .await;
    let error = match result {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("{}?done=answer#answer-{question}", address(ids)))
                    .into_response(),
            );
        }
        Err(error) => error,
    };
    let status = crate::http::problem::status(&error);
    let text = Text::default();
    let (message, conflict) = match error {
        ApiError::PreconditionFailed(_) => {
            (text.get("consultation-answer-stale"), Some(String::new()))
        }
        ApiError::Validation(errors) => (
            errors
                .into_iter()
                .map(|e| capitalised(&format!("{} {}", text.get("field-answer"), e.message)))
                .collect::<Vec<_>>()
                .join(". "),
            None,
        ),
        ApiError::Conflict(detail) => (capitalised(&detail), None),
        other => return Err(other.into()),
    };
    let mut page = render(
        &state,
        &visitor,
        caller,
        ids,
        Refused {
            answer: Some((question, typed, message, conflict)),
            ..Refused::default()
        },
    )
    .await?;
    // A stale save: the summary names who saved since, and when.
    for q in &mut page.questions {
        if q.conflict.is_some() {
            let by = q.answer_by.clone().unwrap_or_default();
            q.conflict = Some(by.clone());
            q.error = Some(text.with("consultation-answer-changed", &[("by", by)]));
        }
    }
    if let Some(q) = page.questions.iter().find(|q| q.conflict.is_some()) {
        page.answer_error = Some(components::ErrorSummary {
            title_text: text.get("error-summary-title"),
            description_text: None,
            error_list: vec![components::ErrorLink {
                text: q.error.clone().unwrap_or_default(),
                href: Some(format!("#answer-{}", q.id)),
            }],
        });
    }
    Ok((status, page).into_response())
}

pub async fn move_on(
    State(state): State<AppState>,
    Path((forum, id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<StatusForm>,
) -> PageResult<Response> {
    let ids = ids(&forum, &id)?;
    let caller = visitor.signed_in(&address(ids))?;
    let mut errors = Vec::new();
    let to = crate::web::forms::parsed::<ConsultationStatus>(&typed.status);
    if to.is_none() {
        errors.push(FieldError::new("status", "must be chosen"));
    }
    let submitted_on = match typed.submitted_on.trim() {
        "" => None,
        on => date_field(on, "submitted_on", &mut errors),
    };
    let optional = |text: &str| {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    };
    let result = match to {
        Some(to) if errors.is_empty() => {
            let patch = ConsultationPatch {
                status: Some(to),
                submitted_on,
                submission_reference: optional(&typed.submission_reference),
                withdrawn_reason: optional(&typed.withdrawn_reason),
                ..ConsultationPatch::default()
            };
            consultations::change(&state, caller, ids.1, patch, &if_match(&typed.version)?)
                .await
                .map(|_| ())
        }
        _ => Err(ApiError::Validation(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=status", address(ids))).into_response()),
        Err(error) => {
            let status = crate::http::problem::status(&error);
            let refused = Refused {
                status: Some((typed, error)),
                ..Refused::default()
            };
            let page = render(&state, &visitor, caller, ids, refused).await?;
            Ok((status, page).into_response())
        }
    }
}

/// Puts the joint response to the members' poll, closing at 5pm London time
/// on the day chosen.
pub async fn put_to_poll(
    State(state): State<AppState>,
    Path((forum, id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<PollForm>,
) -> PageResult<Response> {
    let ids = ids(&forum, &id)?;
    let caller = visitor.signed_in(&address(ids))?;
    let mut errors = Vec::new();
    let closes_on = date_field(&typed.closes_on, "closes_on", &mut errors);
    let closes_at = closes_on.and_then(|on| {
        let five_pm = NaiveTime::from_hms_opt(17, 0, 0)?;
        when::instant(when::local(on, five_pm), "closes_on").ok()
    });
    let result = match closes_at {
        Some(closes_at) => {
            let title = consultations::get(&state, Some(caller), ids.1)
                .await?
                .consultation
                .title;
            let text = Text::default();
            let input = PollIn {
                question: text.with("consultation-poll-question", &[("title", title)]),
                description: String::new(),
                kind: PollKind::AgreeDisagreeAbstain,
                options: None,
                max_choices: None,
                opens_at: None,
                closes_at,
                results_before_close: false,
                open_voting: false,
                agenda_item_id: None,
                consultation_id: Some(ids.1),
            };
            polls::create(&state, caller, ids.0, input)
                .await
                .map(|_| ())
        }
        None => Err(ApiError::Validation(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=poll", address(ids))).into_response()),
        Err(error) => {
            let status = crate::http::problem::status(&error);
            let refused = Refused {
                poll: Some((typed, error)),
                ..Refused::default()
            };
            let page = render(&state, &visitor, caller, ids, refused).await?;
            Ok((status, page).into_response())
        }
    }
}
