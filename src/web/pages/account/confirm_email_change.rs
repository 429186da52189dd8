//! `/confirm-email-change`: the link emailed to a new address lands here,
//! with its code in the address. As for `/confirm-email`, following the
//! link shows a button rather than changing anything, because mail
//! scanners follow links too; the button makes the change by the API's
//! operation, signed in or not (the code is the proof). Someone with only
//! the code types it.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use super::confirm_email::{CodeForm, CodeFormPage, CodeQuery, DonePage};
use crate::auth::{self, EmailChangeConfirmIn};
use crate::kernel::links::CONFIRM_EMAIL_CHANGE_PAGE;
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};

fn page(visitor: &Visitor, text: &Text, code: &str) -> CodeFormPage {
    CodeFormPage::new(
        visitor,
        text,
        code,
        "confirm-email-change",
        CONFIRM_EMAIL_CHANGE_PAGE,
    )
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
    let confirmation = EmailChangeConfirmIn {
        token: input.token.trim().to_string(),
    };
    match auth::confirm_email_change(&state, visitor.caller.as_ref(), confirmation).await {
        Ok(()) => {
            // This browser stays signed in if it was signed in to the
            // account; every other session of the account has ended.
            let (next_href, next_text) = match visitor.caller {
                Some(_) => ("/account", text.get("done-to-account")),
                None => ("/sign-in", text.get("done-to-sign-in")),
            };
            Ok(DonePage {
                page: visitor.page(),
                title: text.get("confirm-email-change-done-title"),
                body: text.get("confirm-email-change-done-body"),
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
