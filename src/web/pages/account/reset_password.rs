//! `/reset-password`: a forgotten password. The person asks for an email
//! (the same answer whether or not the address has an account); its link
//! lands on `/reset-password/new`, which takes the code and a new password
//! by the API's operations.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::confirm_email::{CodeQuery, DonePage};
use super::register::CheckEmailPage;
use crate::auth::{self, PasswordResetConfirmIn, PasswordResetIn};
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "reset_password.html")]
pub struct ResetPage {
    page: Page,
    csrf_token: String,
    form: Form,
}

#[derive(Template, WebTemplate)]
#[template(path = "new_password.html")]
pub struct NewPasswordPage {
    page: Page,
    csrf_token: String,
    form: Form,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPasswordForm {
    token: String,
    new_password: String,
}

fn reset_page(visitor: &Visitor, text: &Text, email: &str) -> ResetPage {
    ResetPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        form: Form::new(
            text,
            vec![Field::new(text, "email", Kind::Email, "email").value(email)],
        ),
    }
}

fn new_password_page(visitor: &Visitor, text: &Text, code: &str) -> NewPasswordPage {
    NewPasswordPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        form: Form::new(
            text,
            vec![
                Field::new(text, "token", Kind::Text, "one-time-code").value(code),
                Field::new(text, "new_password", Kind::Password, "new-password")
                    .hint(text.get("password-hint")),
            ],
        ),
    }
}

pub async fn show(visitor: Visitor) -> Response {
    let shown = reset_page(&visitor, &Text::default(), "");
    (visitor.cookies(), shown).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<ResetForm>,
) -> PageResult<Response> {
    let text = Text::default();
    let request = PasswordResetIn {
        email: input.email.clone(),
    };
    match auth::request_reset(&state, request).await {
        Ok(()) => Ok(CheckEmailPage {
            page: visitor.page(),
            title: text.get("reset-sent-title"),
            body: text.with(
                "reset-sent-body",
                &[("email", input.email.trim().to_string())],
            ),
        }
        .into_response()),
        Err(error) => {
            let mut shown = reset_page(&visitor, &text, &input.email);
            let status = shown.form.refuse(error)?;
            Ok((status, shown).into_response())
        }
    }
}

pub async fn show_new(visitor: Visitor, Query(query): Query<CodeQuery>) -> Response {
    let shown = new_password_page(&visitor, &Text::default(), query.code.trim());
    (visitor.cookies(), shown).into_response()
}

pub async fn submit_new(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<NewPasswordForm>,
) -> PageResult<Response> {
    let text = Text::default();
    let confirmation = PasswordResetConfirmIn {
        token: input.token.trim().to_string(),
        new_password: input.new_password,
    };
    match auth::confirm_reset(&state, confirmation).await {
        // Every session of the account has ended, this browser's too if it
        // was signed in: the person signs in again with the new password.
        Ok(()) => Ok(DonePage {
            page: Page::default(),
            title: text.get("reset-done-title"),
            body: text.get("reset-done-body"),
            next_href: "/sign-in",
            next_text: text.get("done-to-sign-in"),
        }
        .into_response()),
        Err(error) => {
            let mut shown = new_password_page(&visitor, &text, &input.token);
            let status = shown.form.refuse(error)?;
            Ok((status, shown).into_response())
        }
    }
}
