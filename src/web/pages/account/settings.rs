//! `/account`: the signed-in person's own account — their name, their
//! password, their email address, and where they are signed in, with a way
//! to sign out of one session or of every one (browsers and API clients
//! alike). Each form is the API's operation on `/me`. A new address is
//! confirmed from the link emailed to it (`confirm_email_change`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::register::CheckEmailPage;
use crate::auth::{self, EmailChangeIn, MePatch, PasswordChangeIn, SessionKind, SessionOut};
use crate::kernel::access::AuthUser;
use crate::kernel::pagination::PageQuery;
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, SetCookies, Visitor, ended_session_cookie};
use crate::web::{format, user_agent};

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    page: Page,
    csrf_token: String,
    display_name: String,
    email: String,
    /// What changing the address does, naming the present one.
    email_lead: String,
    /// The message id of what was just done, for the success banner.
    done: Option<&'static str>,
    name_form: Form,
    password_form: Form,
    email_form: Form,
    sessions: Vec<SessionRow>,
    more_sessions: Option<String>,
}

struct SessionRow {
    id: String,
    device: String,
    started: String,
    current: bool,
}

impl SessionRow {
    fn new(text: &Text, session: SessionOut) -> Self {
        let device = match session.kind {
            SessionKind::Api => text.get("account-session-api"),
            SessionKind::Browser => user_agent::describe(text, session.user_agent.as_deref()),
        };
        Self {
            id: session.id.to_string(),
            device,
            started: format::date_time(session.started_at),
            current: session.current,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountQuery {
    done: String,
    cursor: Option<String>,
}

/// The page's forms, each as typed (with its errors) when it was the one
/// refused.
struct Forms {
    name: Form,
    password: Form,
    email: Form,
}

impl Forms {
    /// The forms as the page first shows them.
    fn new(text: &Text, caller: &AuthUser) -> Self {
        Self {
            name: name_form(text, &caller.user.display_name),
            password: password_form(text),
            email: email_form(text, ""),
        }
    }
}

fn name_form(text: &Text, name: &str) -> Form {
    Form::new(
        text,
        vec![Field::new(text, "display_name", Kind::Text, "name").value(name)],
    )
}

fn password_form(text: &Text) -> Form {
    Form::new(
        text,
        vec![
            Field::new(text, "current_password", Kind::Password, "current-password"),
            Field::new(text, "new_password", Kind::Password, "new-password")
                .hint(text.get("password-hint")),
        ],
    )
}

fn email_form(text: &Text, new_email: &str) -> Form {
    Form::new(
        text,
        vec![
            Field::new(text, "new_email", Kind::Email, "email").value(new_email),
            // The password form has a field of this name too.
            Field::new(text, "current_password", Kind::Password, "current-password")
                .id("email_current_password"),
        ],
    )
}

/// What a just-done change is called, from the address it redirected to.
fn done(what: &str) -> Option<&'static str> {
    match what {
        "name" => Some("account-done-name"),
        "password" => Some("account-done-password"),
        "session" => Some("account-done-session"),
        _ => None,
    }
}

/// The account page of `caller`, with these forms (as typed, with their
/// errors, when one was refused).
async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    forms: Forms,
    query: AccountQuery,
) -> PageResult<AccountPage> {
    let text = Text::default();
    let sessions = auth::my_sessions(
        state,
        caller,
        PageQuery {
            limit: None,
            cursor: query.cursor,
        },
    )
    .await?;
    Ok(AccountPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        display_name: caller.user.display_name.clone(),
        email: caller.user.email.clone(),
        email_lead: text.with(
            "account-email-lead",
            &[("email", caller.user.email.clone())],
        ),
        done: done(&query.done),
        name_form: forms.name,
        password_form: forms.password,
        email_form: forms.email,
        sessions: sessions
            .items
            .into_iter()
            .map(|s| SessionRow::new(&text, s))
            .collect(),
        more_sessions: sessions
            .next_cursor
            .map(|cursor| format!("/account?cursor={cursor}#sessions")),
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<AccountQuery>,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/account")?;
    let forms = Forms::new(&Text::default(), caller);
    Ok(account_page(&state, &visitor, caller, forms, query)
        .await?
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NameForm {
    display_name: String,
}

pub async fn change_name(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<NameForm>,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/account")?;
    let patch = MePatch {
        display_name: Some(input.display_name.clone()),
    };
    match auth::change_me(&state, caller, patch).await {
        Ok(_) => Ok(Redirect::to("/account?done=name").into_response()),
        Err(error) => {
            let text = Text::default();
            let mut forms = Forms::new(&text, caller);
            forms.name = name_form(&text, &input.display_name);
            let status = forms.name.refuse(error)?;
            let page = account_page(&state, &visitor, caller, forms, AccountQuery::default());
            Ok((status, page.await?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<PasswordForm>,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/account")?;
    let change = PasswordChangeIn {
        current_password: input.current_password,
        new_password: input.new_password,
    };
    match auth::change_password(&state, caller, change).await {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(error) => {
            let text = Text::default();
            let mut forms = Forms::new(&text, caller);
            let status = forms.password.refuse(error)?;
            let page = account_page(&state, &visitor, caller, forms, AccountQuery::default());
            Ok((status, page.await?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    new_email: String,
    current_password: String,
}

/// Asks for a change of address: the page then says where the link to
/// confirm it has gone (the same whether or not the address has an
/// account, as the API answers).
pub async fn change_email(
    State(state): State<AppState>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<EmailForm>,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/account")?;
    let text = Text::default();
    let change = EmailChangeIn {
        new_email: input.new_email.clone(),
        current_password: input.current_password,
    };
    match auth::request_email_change(&state, caller, change).await {
        Ok(asked) => Ok(CheckEmailPage {
            page: visitor.page(),
            title: text.get("email-change-sent-title"),
            body: text.with(
                "email-change-sent-body",
                &[
                    ("email", asked.new_email),
                    ("current", caller.user.email.clone()),
                ],
            ),
        }
        .into_response()),
        Err(error) => {
            let mut forms = Forms::new(&text, caller);
            forms.email = email_form(&text, &input.new_email);
            let status = forms.email.refuse(error)?;
            let page = account_page(&state, &visitor, caller, forms, AccountQuery::default());
            Ok((status, page.await?).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct NoFields {}

/// Ends one of the person's sessions; ending this browser's own signs it
/// out.
pub async fn end_session(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/account")?;
    let id = id_in_path(&id)?;
    auth::end_session(&state, caller, id).await?;
    if id == caller.session_id {
        return Ok(signed_out(&visitor));
    }
    Ok(Redirect::to("/account?done=session").into_response())
}

/// Ends every session of the person, this browser's too.
pub async fn end_every_session(
    State(state): State<AppState>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/account")?;
    auth::end_every_session(&state, caller).await?;
    Ok(signed_out(&visitor))
}

fn signed_out(visitor: &Visitor) -> Response {
    (
        SetCookies(vec![ended_session_cookie(visitor.secure)]),
        Redirect::to("/sign-in?signed-out=1"),
    )
        .into_response()
}
