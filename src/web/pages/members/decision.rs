//! `/forums/{id}/members/{membership_id}`: one membership — the
//! organisation's profile, its statement and where it stands — with the
//! moves the reader may make from there: an officer approves or declines
//! an application, suspends an active member (with a reason) or reinstates
//! a suspended one; the organisation's own people may leave. The moves
//! offered are those the operation would allow; it still decides.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::MembershipStatus;
use sea_orm::Iterable;
use serde::Deserialize;

use super::list::{MemberRow, row};
use crate::forums::{self, MembershipChange, MembershipOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::{Choice, Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "membership.html")]
pub struct MembershipPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    forum_href: String,
    member: MemberRow,
    statement: Vec<String>,
    reason: Option<String>,
    /// The decision form, when the reader may make a move from here.
    form: Option<Form>,
    action: String,
    done: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    status: String,
    reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    done: String,
}

/// The moves `access` may make from `from`, in the reader's words.
fn moves(text: &Text, access: &ForumAccess, m: &MembershipOut) -> Vec<Choice> {
    let organisation_id = m.organisation.id;
    MembershipStatus::iter()
        .filter(|to| *to != MembershipStatus::Applied && m.status.can_become(*to))
        .filter(|to| {
            access.allows(match to {
                MembershipStatus::Left => ForumAction::LeaveForum { organisation_id },
                _ => ForumAction::DecideMembership,
            })
        })
        .map(|to| {
            let name = format!("membership-move-{}-{}", m.status.as_str(), to.as_str());
            let label = if text.has(&name) {
                text.get(&name)
            } else {
                text.get(&format!("membership-move-{}", to.as_str()))
            };
            Choice::new(to.as_str(), label)
        })
        .collect()
}

fn decision_form(text: &Text, choices: Vec<Choice>, typed: &DecisionForm) -> Option<Form> {
    if choices.is_empty() {
        return None;
    }
    Some(Form::new(
        text,
        vec![
            Field::plain(text, "status", Kind::Radios)
                .choices(choices)
                .value(&typed.status),
            Field::plain(text, "reason", Kind::TextArea)
                .hint(text.get("membership-reason-hint"))
                .value(&typed.reason),
        ],
    ))
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    (forum, membership): (uuid::Uuid, uuid::Uuid),
    typed: &DecisionForm,
) -> PageResult<(MembershipPage, Option<Form>)> {
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let m = forums::membership(state, Some(caller), forum, membership).await?;
    let text = Text::default();
    let form = decision_form(&text, moves(&text, &access, &m), typed);
    let page = MembershipPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        member: row(&text, &forum.to_string(), &m),
        statement: format::paragraphs(m.statement.as_deref().unwrap_or_default()),
        reason: m.status_reason.clone(),
        form: None,
        action: format!("/forums/{forum}/members/{membership}"),
        done: false,
    };
    Ok((page, form))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, membership)): Path<(String, String)>,
    Query(shown): Query<Shown>,
) -> PageResult<MembershipPage> {
    let ids = (id_in_path(&forum)?, id_in_path(&membership)?);
    let caller = visitor.signed_in(&format!("/forums/{}/members/{}", ids.0, ids.1))?;
    let (mut page, form) = page(&state, &visitor, caller, ids, &DecisionForm::default()).await?;
    page.form = form;
    page.done = !shown.done.is_empty();
    Ok(page)
}

pub async fn decide(
    State(state): State<AppState>,
    Path((forum, membership)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<DecisionForm>,
) -> PageResult<Response> {
    let ids = (id_in_path(&forum)?, id_in_path(&membership)?);
    let caller = visitor.signed_in(&format!("/forums/{}/members/{}", ids.0, ids.1))?;
    let reason = typed.reason.trim();
    let attempt = match super::parsed::<MembershipStatus>(&typed.status) {
        Some(status) => {
            let change = MembershipChange {
                status,
                reason: (!reason.is_empty()).then(|| reason.to_string()),
            };
            forums::decide(&state, caller, ids.0, ids.1, change)
                .await
                .map(|_| ())
        }
        None => Err(crate::kernel::error::ApiError::Validation(vec![
            crate::kernel::error::FieldError::new("status", "must be chosen"),
        ])),
    };
    match attempt {
        Ok(()) => Ok(
            Redirect::to(&format!("/forums/{}/members/{}?done=decided", ids.0, ids.1))
                .into_response(),
        ),
        Err(error) => {
            let (mut page, form) = page(&state, &visitor, caller, ids, &typed).await?;
            let Some(mut form) = form else {
                return Err(error.into());
            };
            let status = form.refuse(error)?;
            page.form = Some(form);
            Ok((status, page).into_response())
        }
    }
}
