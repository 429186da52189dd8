//! `/forums/{id}/consultations/new`: registering a consultation the forum
//! will answer — who consults, where it is published, when it closes, the
//! forum's own deadline for contributions, and its questions, one a line.
//! The register operation (officers and the region's RPD staff) checks
//! every rule; its refusals come back on the fields, with what was typed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::date_field;
use crate::consultations::{self, ConsultationIn, QuestionIn};
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "consultation_new.html")]
pub struct RegisterPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    forum_href: String,
    form: Form,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    title: String,
    consulting_body: String,
    source_url: String,
    description: String,
    closes_on: String,
    internal_deadline: String,
    questions: String,
    word_limit: String,
}

fn form(text: &Text, typed: &RegisterForm) -> Form {
    Form::new(
        text,
        vec![
            Field::plain(text, "title", Kind::Text).value(&typed.title),
            Field::plain(text, "consulting_body", Kind::Text)
                .hint(text.get("consultation-body-hint"))
                .value(&typed.consulting_body),
            Field::new(text, "source_url", Kind::Text, "url").value(&typed.source_url),
            Field::plain(text, "description", Kind::TextArea).value(&typed.description),
            Field::plain(text, "closes_on", Kind::Date).value(&typed.closes_on),
            Field::plain(text, "internal_deadline", Kind::Date)
                .hint(text.get("consultation-deadline-hint"))
                .value(&typed.internal_deadline),
            Field::plain(text, "questions", Kind::TextArea)
                .hint(text.get("consultation-questions-hint"))
                .rows(8)
                .value(&typed.questions),
            Field::plain(text, "word_limit", Kind::Number)
                .hint(text.get("consultation-word-limit-hint"))
                .value(&typed.word_limit),
        ],
    )
}

async fn frame(
    state: &AppState,
    visitor: &Visitor,
    forum: uuid::Uuid,
    form: Form,
) -> PageResult<RegisterPage> {
    let caller = visitor.signed_in(&format!("/forums/{forum}/consultations/new"))?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    access.require(ForumAction::RegisterConsultation)?;
    Ok(RegisterPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
) -> PageResult<RegisterPage> {
    let forum = id_in_path(&forum)?;
    let empty = form(&Text::default(), &RegisterForm::default());
    frame(&state, &visitor, forum, empty).await
}

/// The operation's input from the form: each line of `questions` a
/// question, all with the one word limit; a date or a number that does not
/// read is the field's error, as the API's would be.
fn input(typed: &RegisterForm) -> Result<ConsultationIn, ApiError> {
    let mut errors = Vec::new();
    let closes_on = date_field(&typed.closes_on, "closes_on", &mut errors);
    let internal_deadline = date_field(&typed.internal_deadline, "internal_deadline", &mut errors);
    let word_limit = match typed.word_limit.trim() {
        "" => None,
        number => match number.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new("word_limit", "must be a whole number"));
                None
            }
        },
    };
    let (Some(closes_on), Some(internal_deadline)) = (closes_on, internal_deadline) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let optional = |text: &str| {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    };
    Ok(ConsultationIn {
        title: typed.title.clone(),
        consulting_body: typed.consulting_body.clone(),
        source_url: optional(&typed.source_url),
        description: optional(&typed.description),
        closes_on,
        internal_deadline,
        questions: typed
            .questions
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|text| QuestionIn {
                text: text.to_string(),
                guidance: None,
                word_limit,
            })
            .collect(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<RegisterForm>,
) -> PageResult<Response> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&format!("/forums/{forum}/consultations/new"))?;
    let attempt = match input(&typed) {
        Ok(input) => consultations::register(&state, caller, forum, input).await,
        Err(error) => Err(error),
    };
    match attempt {
        Ok(made) => Ok(Redirect::to(&format!(
            "/forums/{forum}/consultations/{}",
            made.consultation.id
        ))
        .into_response()),
        Err(error) => {
            let mut shown = form(&Text::default(), &typed);
            let status = shown.refuse(error)?;
            let page = frame(&state, &visitor, forum, shown).await?;
            Ok((status, page).into_response())
        }
    }
}
