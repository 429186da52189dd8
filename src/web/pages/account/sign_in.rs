//! `/sign-in`: an email and password start a session kept by a cookie, by
//! the same operation (checks, lock-out, answers) as the API's login.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::{self, LoginIn};
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::forms::Form;
use crate::web::i18n::Text;
use crate::web::page::{Page, SignedIn};
use crate::web::session::{
    CheckedForm, SetCookies, Unsent, UnsentPage, Visitor, local_path, session_cookie, sign_in_form,
};

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
    /// A form that could not be sent while signed out, to send once signed
    /// in (`crate::web::session::Unsent`).
    carried: String,
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
        sign_in_form(&text, ""),
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
            let cookies = SetCookies(vec![cookie]);
            if let Some(unsent) = Unsent::from_carried(&input.carried) {
                let token = visitor.token_for_session(signed_in.session.id);
                let page = Page {
                    signed_in: Some(SignedIn {
                        display_name: signed_in.user.display_name,
                        csrf_token: token.clone(),
                    }),
                    ..Page::default()
                };
                let shown = UnsentPage::send_again(page, token, unsent);
                return Ok((cookies, shown).into_response());
            }
            let to = local_path(&input.next).unwrap_or("/account");
            Ok((cookies, Redirect::to(to)).into_response())
        }
        Err(error) => {
            let mut form = sign_in_form(&Text::default(), &input.email);
            let status = form.refuse(error)?;
            if let Some(unsent) = Unsent::from_carried(&input.carried) {
                let token = visitor.csrf_token().to_string();
                let shown = UnsentPage::sign_in_first(visitor.page(), token, unsent, form);
                return Ok((status, shown).into_response());
            }
            Ok((status, page(&visitor, form, &input.next, false)).into_response())
        }
    }
}
