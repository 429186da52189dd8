//! `/forums/{id}/meetings/{meeting_id}/items/{item_id}/poll`: a poll put
//! to the forum's member organisations to decide an agenda item (the
//! forum's officers), its question first worded as the item's title.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::form::{PollFields, on_the_form, poll_form};
use super::poll_href;
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::Form;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};
use crate::{meetings, polls};

#[derive(Template, WebTemplate)]
#[template(path = "poll_new.html")]
pub struct NewPollPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    meeting_title: String,
    item_title: String,
    action: String,
    /// The item on the meeting page.
    back: String,
    form: Form,
}

/// The forum, meeting and agenda item an address names.
struct At {
    forum: Uuid,
    meeting: Uuid,
    item: Uuid,
}

impl At {
    fn parse((forum, meeting, item): &(String, String, String)) -> PageResult<Self> {
        Ok(Self {
            forum: id_in_path(forum)?,
            meeting: id_in_path(meeting)?,
            item: id_in_path(item)?,
        })
    }

    fn href(&self) -> String {
        format!(
            "/forums/{}/meetings/{}/items/{}/poll",
            self.forum, self.meeting, self.item
        )
    }
}

/// What the page is about: the item, of a meeting of this forum (404 to
/// whoever may not read them, or at another forum's address), for one who
/// may put polls to the forum (403 to its other participants).
struct Subject {
    forum_name: String,
    meeting_title: String,
    item_title: String,
}

async fn subject(state: &AppState, caller: &AuthUser, at: &At) -> PageResult<Subject> {
    let meeting = meetings::get(state, caller, at.meeting).await?;
    let item = meetings::item(state, caller, at.item).await?;
    if meeting.forum_id != at.forum || item.meeting_id != at.meeting || item.withheld {
        return Err(ApiError::not_found("agenda item").into());
    }
    let access = ForumAccess::load(&state.db, at.forum, Some(caller)).await?;
    access.require(ForumAction::RunPolls)?;
    Ok(Subject {
        forum_name: access.forum.name,
        meeting_title: meeting.title,
        item_title: item.title,
    })
}

fn page(visitor: &Visitor, at: &At, subject: Subject, form: Form) -> NewPollPage {
    NewPollPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: subject.forum_name,
        meeting_title: subject.meeting_title,
        item_title: subject.item_title,
        action: at.href(),
        back: format!(
            "/forums/{}/meetings/{}#item-{}",
            at.forum, at.meeting, at.item
        ),
        form,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(path): Path<(String, String, String)>,
) -> PageResult<Response> {
    let at = At::parse(&path)?;
    let caller = visitor.signed_in(&at.href())?;
    let subject = subject(&state, caller, &at).await?;
    let typed = PollFields {
        question: subject.item_title.clone(),
        ..PollFields::default()
    };
    let form = poll_form(&Text::default(), &typed);
    Ok((visitor.cookies(), page(&visitor, &at, subject, form)).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<PollFields>,
) -> PageResult<Response> {
    let at = At::parse(&path)?;
    let caller = visitor.signed_in(&at.href())?;
    let subject = subject(&state, caller, &at).await?;
    let put = match typed.input(at.item) {
        Ok(input) => polls::create(&state, caller, at.forum, input).await,
        Err(error) => Err(error),
    };
    match put {
        Ok(poll) => {
            let to = format!("{}?done=created", poll_href(at.forum, poll.id));
            Ok(Redirect::to(&to).into_response())
        }
        Err(error) => {
            let text = Text::default();
            let mut form = poll_form(&text, &typed);
            let status = form.refuse(on_the_form(error, &text))?;
            Ok((status, page(&visitor, &at, subject, form)).into_response())
        }
    }
}
