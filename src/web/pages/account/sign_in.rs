//! `/sign-in`: an email and password start a session kept by a cookie, by
//! the same operation (checks, lock-out, answers) as the API's login.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::local_path;
use crate::auth::{self, LoginIn};
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, SetCookies, Visitor, session_cookie};

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    page: Page,
    csrf_token: String,
    form: Form,
    next: String,
    signed_out: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInQuery {
    next: String,
    #[serde(rename = "signed-out")]
    signed_out: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    password: String,
    next: String,
}

fn form(text: &Text, email: &str) -> Form {
    Form::new(
        text,
        vec![
            Field::new(text, "email", Kind::Email, "email").value(email),
            Field::new(text, "password", Kind::Password, "current-password"),
        ],
    )
}

fn page(visitor: &Visitor, form: Form, next: &str, signed_out: bool) -> SignInPage {
    SignInPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        form,
        next: local_path(next).unwrap_or_default().to_string(),
        signed_out,
    }
}

pub async fn show(visitor: Visitor, Query(query): Query<SignInQuery>) -> Response {
    if visitor.caller.is_some() {
        let to = local_path(&query.next).unwrap_or("/account");
        return Redirect::to(to).into_response();
    }
    let text = Text::default();
    let shown = page(
        &visitor,
        form(&text, ""),
        &query.next,
        query.signed_out.is_some(),
    );
    (visitor.cookies(), shown).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<SignInForm>,
) -> PageResult<Response> {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let login = LoginIn {
        email: input.email.clone(),
        password: input.password,
    };
    match auth::sign_in_browser(&state, login, user_agent).await {
        Ok(signed_in) => {
            let cookie = session_cookie(
                signed_in.cookie,
                signed_in.session.expires_at,
                visitor.secure,
                state.clock.now(),
            );
            let to = local_path(&input.next).unwrap_or("/account");
            Ok((SetCookies(vec![cookie]), Redirect::to(to)).into_response())
        }
        Err(error) => {
            let mut shown = form(&Text::default(), &input.email);
            let status = shown.refuse(error)?;
            Ok((status, page(&visitor, shown, &input.next, false)).into_response())
        }
    }
}
