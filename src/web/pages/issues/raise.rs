//! `/forums/{id}/issues/new`: an issue raised with the RPD's team (the
//! forum's members and officers), with evidence papers sent in the same
//! form (`multipart/form-data`: the token first, the issue's words, then
//! its files — too large or not a kind taken is told beside the file
//! field, with everything typed kept). The issue and its evidence are
//! written in one transaction: nothing half-written.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::IssuePriority;
use sea_orm::Iterable;
use uuid::Uuid;

use super::issue_href;
use crate::issues::{self, IssueIn};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{self, Choice, Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::pages::meeting::region_commitments;
use crate::web::session::{CheckedMultipart, Visitor};
use crate::web::uploads::{self, SentFiles};

#[derive(Template, WebTemplate)]
#[template(path = "issue_new.html")]
pub struct RaiseIssuePage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    action: String,
    back: String,
    /// The size and kinds of file taken, stated up front.
    limits: String,
    form: Form,
}

/// The form as typed.
#[derive(Default)]
struct Typed {
    title: String,
    body: String,
    priority: String,
    commitment_ids: Vec<String>,
}

impl Typed {
    fn of(sent: &SentFiles) -> Self {
        Self {
            title: sent.text("title"),
            body: sent.text("body"),
            priority: sent.text("priority"),
            commitment_ids: sent.all("commitment_ids"),
        }
    }

    /// The operation's input; an id that is not one is the field's fault.
    fn input(&self) -> Result<IssueIn, ApiError> {
        let commitment_ids = self
            .commitment_ids
            .iter()
            .map(|id| id.trim().parse::<Uuid>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| ApiError::invalid("commitment_ids", "are not the plan's commitments"))?;
        Ok(IssueIn {
            title: self.title.clone(),
            body: self.body.clone(),
            priority: forms::parsed(self.priority.trim()),
            meeting_id: None,
            commitment_ids,
        })
    }
}

fn field(text: &Text, name: &'static str, kind: Kind) -> Field {
    let field = Field::plain(text, name, kind);
    Field {
        label: text.get(&format!("issue-field-{}", name.replace('_', "-"))),
        ..field
    }
}

fn raise_form(text: &Text, typed: &Typed, commitments: &[(Uuid, String)]) -> Form {
    let priority = match typed.priority.as_str() {
        "" => IssuePriority::Normal.as_str().to_string(),
        given => given.to_string(),
    };
    let mut fields = vec![
        field(text, "title", Kind::Text).value(&typed.title),
        field(text, "body", Kind::TextArea)
            .hint(text.get("issue-field-body-hint"))
            .rows(8)
            .value(&typed.body),
        field(text, "priority", Kind::Radios)
            .choices(
                IssuePriority::iter()
                    .map(|p| {
                        Choice::new(
                            p.as_str(),
                            text.get(&format!("issue-priority-{}", p.as_str())),
                        )
                    })
                    .collect(),
            )
            .value(&priority),
    ];
    if !commitments.is_empty() {
        fields.push(
            field(text, "commitment_ids", Kind::Checkboxes)
                .hint(text.get("issue-field-commitment-ids-hint"))
                .choices(
                    commitments
                        .iter()
                        .map(|(id, label)| Choice::new(id.to_string(), label))
                        .collect(),
                )
                .checked(&typed.commitment_ids),
        );
    }
    fields.push(
        field(text, "file", Kind::File)
            .hint(text.get("issue-field-file-hint"))
            .multiple(),
    );
    Form::new(text, fields)
}

/// The forum, for one who may raise its issues (404 to whoever may not
/// read them, 403 to its other participants), and its region's
/// commitments to link the issue to.
async fn subject(
    state: &AppState,
    caller: &AuthUser,
    forum: Uuid,
) -> PageResult<(String, Vec<(Uuid, String)>)> {
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    access.require(ForumAction::RaiseIssue)?;
    let commitments = region_commitments(state, &access.forum).await?;
    Ok((access.forum.name, commitments))
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    forum: Uuid,
    forum_name: String,
    form: Form,
) -> RaiseIssuePage {
    let text = Text::default();
    RaiseIssuePage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name,
        action: format!("/forums/{forum}/issues/new"),
        back: format!("/forums/{forum}/issues"),
        limits: uploads::limits_hint(&text, state.paper_max_bytes),
        form,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
) -> PageResult<Response> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&format!("/forums/{forum}/issues/new"))?;
    let (name, commitments) = subject(&state, caller, forum).await?;
    let form = raise_form(&Text::default(), &Typed::default(), &commitments);
    Ok((visitor.cookies(), page(&state, &visitor, forum, name, form)).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    CheckedMultipart { visitor, multipart }: CheckedMultipart,
) -> PageResult<Response> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&format!("/forums/{forum}/issues/new"))?;
    // Leave first: no file is written for someone who may not raise one.
    let (name, commitments) = subject(&state, caller, forum).await?;
    let sent = uploads::read(multipart, "file", state.paper_max_bytes).await?;
    let typed = Typed::of(&sent);
    let raised = match (sent.refused, typed.input()) {
        (Some(error), _) | (None, Err(error)) => Err(error),
        (None, Ok(input)) => {
            issues::raise_with_evidence(&state, caller, forum, input, sent.files).await
        }
    };
    match raised {
        Ok(issue) => {
            let to = format!("{}?done=raised", issue_href(forum, issue.id));
            Ok(Redirect::to(&to).into_response())
        }
        Err(error) => {
            let text = Text::default();
            let mut form = raise_form(&text, &typed, &commitments);
            let status = form.refuse(error)?;
            Ok((status, page(&state, &visitor, forum, name, form)).into_response())
        }
    }
}
