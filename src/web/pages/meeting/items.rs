//! Agenda items: added (by officers, straight onto the agenda; proposed by
//! members and RPD staff) from the meeting page, and edited on a page of
//! their own, which carries the version it was shown with. A stale save
//! never overwrites: the page names who changed the item and when, shows
//! their version beside what the person typed, and keeps both.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::conflict::{Changed, changed_since};
use super::items_form::{ItemInput, item_form};
use super::view::{Forms, region_commitments};
use super::{At, back_to, refused, require_meeting};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meetings::{self, AgendaItemOut};
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::Form;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};
use uuid::Uuid;

pub async fn add(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, form }: CheckedForm<ItemInput>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let caller = visitor.signed_in(&at.href())?;
    require_meeting(&state, caller, &at).await?;
    let added = match form.new_item() {
        Ok(item) => meetings::add_item(&state, caller, at.meeting, item).await,
        Err(error) => Err(error),
    };
    match added {
        Ok(item) if item.position.is_some() => Ok(back_to(&at, "item-added", "agenda")),
        Ok(_) => Ok(back_to(&at, "item-proposed", "proposals")),
        Err(error @ (ApiError::Validation(_) | ApiError::Conflict(_))) => {
            let status = crate::http::problem::status(&error);
            let forms = Forms {
                item: form,
                item_error: Some(error),
                ..Forms::empty()
            };
            refused(&state, &visitor, caller, &at, forms, status).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_item.html")]
pub struct ItemPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    meeting_href: String,
    action: String,
    heading: String,
    item_form: Form,
    version: String,
    /// Someone else's save since the page was shown: who, when, and the
    /// item as they left it.
    changed: Option<Changed>,
}

/// The item, of this meeting, for one of its officers to edit (403 to
/// anyone else who may read it, as the operation would refuse them).
async fn editable(
    state: &AppState,
    caller: &AuthUser,
    at: &At,
    item: Uuid,
) -> PageResult<(AgendaItemOut, ForumAccess)> {
    require_meeting(state, caller, at).await?;
    let found = meetings::item(state, caller, item).await?;
    if found.meeting_id != at.meeting {
        return Err(ApiError::not_found("agenda item").into());
    }
    let access = ForumAccess::load(&state.db, at.forum, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    Ok((found, access))
}

async fn item_page(
    state: &AppState,
    visitor: &Visitor,
    at: &At,
    access: &ForumAccess,
    (item, typed): (&AgendaItemOut, &ItemInput),
    error: Option<ApiError>,
    changed: Option<Changed>,
) -> PageResult<ItemPage> {
    let text = Text::default();
    let commitments = region_commitments(state, &access.forum).await?;
    let mut form = item_form(&text, typed, &commitments);
    if let Some(error) = error {
        form.refuse(error)?;
    }
    let version = match &changed {
        // Saving again, after merging, is saving over their version.
        Some(changed) => changed.version.to_string(),
        None => typed.version.clone(),
    };
    Ok(ItemPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        meeting_href: at.href(),
        action: format!("{}/items/{}", at.href(), item.id),
        heading: text.with("meeting-item-edit-title", &[("title", item.title.clone())]),
        item_form: form,
        version,
        changed,
    })
}

pub async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting, item)): Path<(String, String, String)>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let item = id_in_path(&item)?;
    let back = format!("{}/items/{item}", at.href());
    let caller = visitor.signed_in(&back)?;
    let (item, access) = editable(&state, caller, &at, item).await?;
    let typed = ItemInput::of(&item);
    let page = item_page(&state, &visitor, &at, &access, (&item, &typed), None, None);
    Ok(page.await?.into_response())
}

pub async fn save(
    State(state): State<AppState>,
    Path((forum, meeting, item)): Path<(String, String, String)>,
    CheckedForm { visitor, form }: CheckedForm<ItemInput>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let item = id_in_path(&item)?;
    let back = format!("{}/items/{item}", at.href());
    let caller = visitor.signed_in(&back)?;
    let (current, access) = editable(&state, caller, &at, item).await?;
    let if_match = super::proposals::shown_version(&form.version);
    let saved = match form.patch() {
        Ok(patch) => meetings::change_item(&state, caller, item, patch, &if_match).await,
        Err(error) => Err(error),
    };
    let (status, error, changed) = match saved {
        Ok(_) => return Ok(back_to(&at, "item-saved", &format!("item-{item}"))),
        Err(ApiError::PreconditionFailed(_)) => {
            // Read again: the item as the other person left it.
            let theirs = meetings::item(&state, caller, item).await?;
            let changed = changed_since(&state, &theirs).await?;
            (StatusCode::PRECONDITION_FAILED, None, Some(changed))
        }
        Err(error @ (ApiError::Validation(_) | ApiError::Conflict(_))) => {
            (crate::http::problem::status(&error), Some(error), None)
        }
        Err(other) => return Err(other.into()),
    };
    let page = item_page(
        &state,
        &visitor,
        &at,
        &access,
        (&current, &form),
        error,
        changed,
    );
    Ok((status, page.await?).into_response())
}
