//! `/forums/{id}/roles`: who holds which role in the forum (its
//! participants read it), and for those who may assign roles: giving one
//! to a person of a member organisation, changing one, taking one away.
//! Only the roles the reader may assign are offered (officers make members
//! and observers; admins also secretaries, chairs and RPD staff); the
//! operation still decides.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::ForumRole;
use sea_orm::Iterable;
use serde::Deserialize;
use uuid::Uuid;

use crate::forums::{self, RoleIn, RoleQuery};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::state::AppState;
use crate::web::components::{ErrorLink, ErrorSummary};
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Choice, Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "roles.html")]
pub struct RolesPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    forum_href: String,
    holders: Vec<Holder>,
    /// The roles the reader may give, for the change forms.
    assignable: Vec<Choice>,
    /// The form to give someone a role, when there is anyone to give one.
    assign: Option<Form>,
    /// A refused change or removal, against its row.
    row_error: Option<ErrorSummary>,
    done: Option<&'static str>,
}

struct Holder {
    user_id: String,
    name: String,
    organisation: String,
    role: String,
    role_value: &'static str,
    /// Whether the reader may change or take away this person's role.
    may_change: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    user_id: String,
    role: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangeForm {
    role: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    done: String,
}

#[derive(Deserialize)]
pub struct NoFields {}

fn role_choice(text: &Text, role: ForumRole) -> Choice {
    Choice::new(role.as_str(), text.get(&format!("role-{}", role.as_str())))
        .hint(text.get(&format!("role-hint-{}", role.as_str())))
}

async fn roles_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    forum: Uuid,
    typed: &AssignForm,
) -> PageResult<(RolesPage, Option<Form>)> {
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let held = forums::roles(
        state,
        caller,
        forum,
        RoleQuery {
            limit: Some(200),
            cursor: None,
            role: None,
        },
    )
    .await?;
    let text = Text::default();
    let assignable: Vec<ForumRole> = ForumRole::iter()
        .filter(|role| access.allows(ForumAction::AssignRole(*role)))
        .collect();
    let mut holders: Vec<Holder> = held
        .items
        .into_iter()
        .map(|r| Holder {
            user_id: r.user_id.to_string(),
            name: r.display_name,
            organisation: r.organisation_name.unwrap_or_default(),
            role: text.get(&format!("role-{}", r.role.as_str())),
            role_value: r.role.as_str(),
            may_change: access.allows(ForumAction::AssignRole(r.role)),
        })
        .collect();
    holders.sort_by_key(|h| h.name.to_lowercase());
    let form = if assignable.is_empty() {
        None
    } else {
        let candidates = forums::role_candidates(state, caller, forum).await?.items;
        (!candidates.is_empty()).then(|| {
            let people = std::iter::once(Choice::new("", text.get("roles-choose-person")))
                .chain(candidates.into_iter().map(|c| {
                    Choice::new(
                        c.user_id.to_string(),
                        format!("{} ({})", c.display_name, c.organisation_name),
                    )
                }))
                .collect();
            Form::new(
                &text,
                vec![
                    Field::plain(&text, "user_id", Kind::Select)
                        .choices(people)
                        .value(&typed.user_id),
                    Field::plain(&text, "role", Kind::Radios)
                        .choices(assignable.iter().map(|r| role_choice(&text, *r)).collect())
                        .value(&typed.role),
                ],
            )
        })
    };
    let page = RolesPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        holders,
        assignable: assignable
            .iter()
            .map(|r| Choice::new(r.as_str(), text.get(&format!("role-{}", r.as_str()))))
            .collect(),
        assign: None,
        row_error: None,
        done: None,
    };
    Ok((page, form))
}

fn done(what: &str) -> Option<&'static str> {
    match what {
        "given" => Some("roles-done-given"),
        "changed" => Some("roles-done-changed"),
        "removed" => Some("roles-done-removed"),
        _ => None,
    }
}

fn back_to(forum: Uuid) -> String {
    format!("/forums/{forum}/roles")
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
    Query(shown): Query<Shown>,
) -> PageResult<RolesPage> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&back_to(forum))?;
    let (mut page, form) =
        roles_page(&state, &visitor, caller, forum, &AssignForm::default()).await?;
    page.assign = form;
    page.done = done(&shown.done);
    Ok(page)
}

fn chosen<T: serde::de::DeserializeOwned>(value: &str, field: &str) -> Result<T, ApiError> {
    super::parsed(value)
        .ok_or_else(|| ApiError::Validation(vec![FieldError::new(field, "must be chosen")]))
}

/// Gives a person of a member organisation a role.
pub async fn assign(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<AssignForm>,
) -> PageResult<Response> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&back_to(forum))?;
    let person = chosen::<Uuid>(&typed.user_id, "user_id");
    let role = chosen::<ForumRole>(&typed.role, "role");
    let attempt = match (person, role) {
        (Ok(person), Ok(role)) => {
            forums::assign_role(&state, caller, forum, person, RoleIn { role })
                .await
                .map(|_| ())
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match attempt {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=given", back_to(forum))).into_response()),
        Err(error) => {
            let (mut page, form) = roles_page(&state, &visitor, caller, forum, &typed).await?;
            let Some(mut form) = form else {
                return Err(error.into());
            };
            let status = form.refuse(error)?;
            page.assign = Some(form);
            Ok((status, page).into_response())
        }
    }
}

/// A refused change or removal, shown above the page against the person's
/// row.
async fn refused_on_row(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    forum: Uuid,
    user_id: Uuid,
    error: ApiError,
) -> PageResult<Response> {
    let status = crate::http::problem::status(&error);
    let message = match error {
        ApiError::Validation(errors) => errors
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
            .join("; "),
        ApiError::Conflict(detail) | ApiError::Forbidden(detail) => detail,
        other => return Err(other.into()),
    };
    let (mut page, form) =
        roles_page(state, visitor, caller, forum, &AssignForm::default()).await?;
    let text = Text::default();
    page.assign = form;
    page.row_error = Some(ErrorSummary {
        title_text: text.get("error-summary-title"),
        description_text: None,
        error_list: vec![ErrorLink {
            text: crate::web::forms::capitalised(&message),
            href: Some(format!("#role-{user_id}")),
        }],
    });
    Ok((status, page).into_response())
}

/// Changes a person's role to another.
pub async fn change(
    State(state): State<AppState>,
    Path((forum, user_id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<ChangeForm>,
) -> PageResult<Response> {
    let (forum, user_id) = (id_in_path(&forum)?, id_in_path(&user_id)?);
    let caller = visitor.signed_in(&back_to(forum))?;
    let attempt = match chosen::<ForumRole>(&typed.role, "role") {
        Ok(role) => forums::assign_role(&state, caller, forum, user_id, RoleIn { role })
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match attempt {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=changed", back_to(forum))).into_response()),
        Err(error) => refused_on_row(&state, &visitor, caller, forum, user_id, error).await,
    }
}

/// Takes a person's role in the forum away.
pub async fn remove(
    State(state): State<AppState>,
    Path((forum, user_id)): Path<(String, String)>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    let (forum, user_id) = (id_in_path(&forum)?, id_in_path(&user_id)?);
    let caller = visitor.signed_in(&back_to(forum))?;
    match forums::remove_role(&state, caller, forum, user_id).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=removed", back_to(forum))).into_response()),
        Err(error) => refused_on_row(&state, &visitor, caller, forum, user_id, error).await,
    }
}
