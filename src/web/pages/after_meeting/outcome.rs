//! `/forums/{id}/meetings/{meeting_id}/outcomes/{item_id}`: one item's
//! outcome — the decision, the votes, whether it is carried over to the
//! next meeting — and, in the same form, an action agreed on it. The whole
//! form is one operation's, conditional on the item's version the page was
//! shown: all of it is saved, or (refused, or stale) none of it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use entity::MeetingStatus;

use super::OfficersMeeting;
use super::outcome_form::{Options, OutcomeTyped, form, on_form_fields, read};
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::meetings::{self, AgendaItemOut};
use crate::web::conflict::changed_by;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::Form;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "after_meeting_outcome.html")]
pub struct OutcomePage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    meeting_title: String,
    item_title: String,
    item_description: Vec<String>,
    outcomes_href: String,
    action: String,
    version: i32,
    held: bool,
    form: Form,
    /// Someone else's save since the page was shown: who and when, and
    /// the decision as they left it.
    theirs: Option<(String, Vec<String>)>,
}

/// The meeting and the item of the address (404 for an item of another
/// meeting, as for one not there).
async fn load(
    state: &AppState,
    visitor: &Visitor,
    (forum, meeting, item): &(String, String, String),
) -> PageResult<(OfficersMeeting, AgendaItemOut)> {
    let back = format!("/forums/{forum}/meetings/{meeting}/outcomes/{item}");
    let caller = visitor.signed_in(&back)?;
    let found = OfficersMeeting::load(state, caller, forum, meeting).await?;
    let item = meetings::item(state, caller, id_in_path(item)?).await?;
    if item.meeting_id != found.meeting.id {
        return Err(ApiError::not_found("agenda item").into());
    }
    Ok((found, item))
}

fn as_recorded(item: &AgendaItemOut) -> OutcomeTyped {
    let outcome = item.outcome.as_ref();
    let votes = outcome.and_then(|o| o.votes);
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    OutcomeTyped {
        version: item.version,
        decision: outcome.map(|o| o.decision.clone()).unwrap_or_default(),
        votes_for: number(votes.map(|v| v.r#for)),
        votes_against: number(votes.map(|v| v.against)),
        votes_abstain: number(votes.map(|v| v.abstain)),
        carried_over: if item.carried_over {
            vec!["yes".into()]
        } else {
            vec![]
        },
        ..OutcomeTyped::default()
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(path): Path<(String, String, String)>,
) -> PageResult<Response> {
    let (found, item) = load(&state, &visitor, &path).await?;
    let typed = as_recorded(&item);
    let shown = Shown {
        version: item.version,
        error: None,
        theirs: None,
    };
    Ok(outcome_page(&state, &visitor, found, item, &typed, shown)
        .await?
        .into_response())
}

/// What the page shows besides the fields.
struct Shown {
    version: i32,
    error: Option<ApiError>,
    theirs: Option<(String, Vec<String>)>,
}

async fn outcome_page(
    state: &AppState,
    visitor: &Visitor,
    found: OfficersMeeting,
    item: AgendaItemOut,
    typed: &OutcomeTyped,
    shown: Shown,
) -> PageResult<(StatusCode, OutcomePage)> {
    let text = Text::default();
    let options = Options::load(state, &found.access.forum).await?;
    let mut form = form(&text, typed, &options);
    let status = match shown.error {
        Some(error) => form.refuse(on_form_fields(error))?,
        None => StatusCode::OK,
    };
    Ok((
        status,
        OutcomePage {
            page: visitor.page(),
            csrf_token: visitor.csrf_token().to_string(),
            forum_name: found.access.forum.name.clone(),
            meeting_title: found.meeting.title.clone(),
            item_title: item.title.clone(),
            item_description: format::paragraphs(&item.description),
            outcomes_href: found.href("outcomes"),
            action: found.href(&format!("outcomes/{}", item.id)),
            version: shown.version,
            held: found.meeting.status == MeetingStatus::Held,
            form,
            theirs: shown.theirs,
        },
    ))
}

pub async fn save(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<OutcomeTyped>,
) -> PageResult<Response> {
    let (found, item) = load(&state, &visitor, &path).await?;
    let caller = visitor.signed_in("/")?;
    let refused = |error| Shown {
        version: typed.version,
        error: Some(error),
        theirs: None,
    };
    let record = match read(&typed) {
        Ok(record) => record,
        Err(error) => return rendered(&state, &visitor, found, item, &typed, refused(error)).await,
    };
    let if_match = IfMatch::parse(&tag(typed.version))?;
    match meetings::record_outcome(&state, caller, item.id, record, &if_match).await {
        Ok(_) => {
            let saved = format!("{}?saved={}", found.href("outcomes"), item.id);
            Ok(Redirect::to(&saved).into_response())
        }
        Err(ApiError::PreconditionFailed(_)) => {
            conflict(&state, &visitor, found, item, &typed).await
        }
        // Nothing was saved: what was typed is shown again to be put right.
        Err(error) => rendered(&state, &visitor, found, item, &typed, refused(error)).await,
    }
}

async fn rendered(
    state: &AppState,
    visitor: &Visitor,
    found: OfficersMeeting,
    item: AgendaItemOut,
    typed: &OutcomeTyped,
    shown: Shown,
) -> PageResult<Response> {
    let (status, page) = outcome_page(state, visitor, found, item, typed, shown).await?;
    Ok((status, page).into_response())
}

/// The item changed since the page was shown: nothing is saved. The page
/// says who changed it and when, shows their decision beside the one typed,
/// and carries the item's new version, so that saving again saves the
/// merge.
async fn conflict(
    state: &AppState,
    visitor: &Visitor,
    found: OfficersMeeting,
    item: AgendaItemOut,
    typed: &OutcomeTyped,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/")?;
    let now = meetings::item(state, caller, item.id).await?;
    let who = changed_by(state, EntityKind::AgendaItem, item.id).await?;
    let theirs = now
        .outcome
        .as_ref()
        .map(|o| format::paragraphs(&o.decision))
        .unwrap_or_default();
    let shown = Shown {
        version: now.version,
        error: Some(ApiError::Conflict(who.clone())),
        theirs: Some((who, theirs)),
    };
    rendered(state, visitor, found, now, typed, shown).await
}
