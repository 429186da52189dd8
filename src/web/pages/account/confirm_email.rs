//! `/confirm-email`: the link in a verification email lands here, with its
//! code in the address. Following the link shows a button rather than
//! confirming at once, because mail scanners follow links too; the button
//! confirms by the API's operation. Someone with only the code types it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::{self, EmailVerificationConfirmIn};
use crate::kernel::links::CONFIRM_EMAIL_PAGE;
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "code_form.html")]
pub struct CodeFormPage {
    pub page: Page,
    pub csrf_token: String,
    pub form: Form,
    pub title: String,
    pub lead: String,
    pub action: &'static str,
    pub button: String,
}

/// The end of a journey: what was done, and where to go next.
#[derive(Template, WebTemplate)]
#[template(path = "done.html")]
pub struct DonePage {
    pub page: Page,
    pub title: String,
    pub body: String,
    pub next_href: &'static str,
    pub next_text: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeQuery {
    pub code: String,
}

/// A form that takes only an emailed code.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    pub token: String,
}

impl CodeFormPage {
    /// The page that takes a code sent to `action`, `code` filled in (from
    /// the emailed link); its words are the messages `{messages}-title`,
    /// `-lead` and `-button`.
    pub fn new(
        visitor: &Visitor,
        text: &Text,
        code: &str,
        messages: &str,
        action: &'static str,
    ) -> Self {
        Self {
            page: visitor.page(),
            csrf_token: visitor.csrf_token().to_string(),
            form: Form::new(
                text,
                vec![Field::new(text, "token", Kind::Text, "one-time-code").value(code)],
            ),
            title: text.get(&format!("{messages}-title")),
            lead: text.get(&format!("{messages}-lead")),
            action,
            button: text.get(&format!("{messages}-button")),
        }
    }
}

fn page(visitor: &Visitor, text: &Text, code: &str) -> CodeFormPage {
    CodeFormPage::new(visitor, text, code, "confirm-email", CONFIRM_EMAIL_PAGE)
}

pub async fn show(visitor: Visitor, Query(query): Query<CodeQuery>) -> Response {
    let shown = page(&visitor, &Text::default(), query.code.trim());
    (visitor.cookies(), shown).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<CodeForm>,
) -> PageResult<Response> {
    let text = Text::default();
    let confirmation = EmailVerificationConfirmIn {
        token: input.token.trim().to_string(),
    };
    match auth::confirm_verification(&state, confirmation).await {
        Ok(()) => {
            let (next_href, next_text) = match visitor.caller {
                Some(_) => ("/account", text.get("done-to-account")),
                None => ("/sign-in", text.get("done-to-sign-in")),
            };
            Ok(DonePage {
                page: visitor.page(),
                title: text.get("confirm-email-done-title"),
                body: text.get("confirm-email-done-body"),
                next_href,
                next_text,
            }
            .into_response())
        }
        Err(error) => {
            let mut shown = page(&visitor, &text, &input.token);
            let status = shown.form.refuse(error)?;
            Ok((status, shown).into_response())
        }
    }
}
