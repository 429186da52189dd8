//! `/register`: an account for a new address, by the API's registration
//! (the same answer whether or not the address has an account).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::{self, RegisterIn};
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
pub struct RegisterPage {
    page: Page,
    csrf_token: String,
    form: Form,
}

/// What happens next: the email to look for.
#[derive(Template, WebTemplate)]
#[template(path = "check_email.html")]
pub struct CheckEmailPage {
    pub page: Page,
    pub title: String,
    pub body: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    display_name: String,
    email: String,
    password: String,
}

fn form(text: &Text, input: &RegisterForm) -> Form {
    Form::new(
        text,
        vec![
            Field::new(text, "display_name", Kind::Text, "name").value(&input.display_name),
            Field::new(text, "email", Kind::Email, "email")
                .value(&input.email)
                .hint(text.get("register-email-hint")),
            Field::new(text, "password", Kind::Password, "new-password")
                .hint(text.get("password-hint")),
        ],
    )
}

pub async fn show(visitor: Visitor) -> Response {
    let shown = RegisterPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        form: form(&Text::default(), &RegisterForm::default()),
    };
    (visitor.cookies(), shown).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<RegisterForm>,
) -> PageResult<Response> {
    let text = Text::default();
    let registration = RegisterIn {
        email: input.email.clone(),
        display_name: input.display_name.clone(),
        password: input.password.clone(),
    };
    match auth::register(&state, registration).await {
        Ok(registered) => Ok(CheckEmailPage {
            page: visitor.page(),
            title: text.get("register-sent-title"),
            body: text.with("register-sent-body", &[("email", registered.email)]),
        }
        .into_response()),
        Err(error) => {
            let mut shown = form(&text, &input);
            let status = shown.refuse(error)?;
            let page = RegisterPage {
                page: visitor.page(),
                csrf_token: visitor.csrf_token().to_string(),
                form: shown,
            };
            Ok((status, page).into_response())
        }
    }
}
