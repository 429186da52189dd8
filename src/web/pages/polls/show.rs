//! `/forums/{id}/polls/{poll_id}`: one poll as the forum's participants
//! read it — its question, where it stands, when it opens and closes, the
//! agenda item it decides, its options, and its results once they may be
//! shown — and, for its officers while it is still to close, its closing
//! put later or the poll cancelled (`changes`).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use entity::PollStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::changes::{closes_form, reason_form};
use super::form::kind_words;
use super::vote::vote_form;
use super::{done, poll_href, poll_of, status_tag};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::state::AppState;
use crate::meetings;
use crate::polls::{PollDetail, PollOut, ResultsOut, VoteOut};
use crate::web::components::{ErrorSummary, Tag};
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::Form;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;
use crate::web::when;

#[derive(Template, WebTemplate)]
#[template(path = "poll.html")]
pub struct PollPage {
    pub page: Page,
    pub csrf_token: String,
    pub forum_name: String,
    pub polls_href: String,
    pub href: String,
    pub question: String,
    pub description: Vec<String>,
    pub kind: String,
    pub status: Tag,
    pub opens: String,
    pub closes: String,
    pub put_by: Option<String>,
    /// The agenda item it decides: its place on the meeting page, and its
    /// title.
    pub item: Option<(String, String)>,
    pub options: Vec<String>,
    /// "Choose up to 2"
    pub max_choices: Option<String>,
    pub cancelled: Option<String>,
    pub results: Option<ResultsView>,
    /// The version the officers' forms carry.
    pub version: i32,
    pub closes_form: Option<Form>,
    pub cancel_form: Option<Form>,
    /// The organisation's vote, for its people while the poll is open.
    pub vote_form: Option<Form>,
    /// "Your organisation voted: Agree. Cast by … on …"
    pub voted: Option<String>,
    /// A refusal with no form left to show it on (the poll closed or was
    /// cancelled meanwhile).
    pub problem: Option<ErrorSummary>,
    /// The message id of what was just done, for the success banner.
    pub done: Option<&'static str>,
}

impl PollPage {
    pub fn has_errors(&self) -> bool {
        [&self.closes_form, &self.cancel_form, &self.vote_form]
            .into_iter()
            .flatten()
            .any(Form::has_errors)
            || self.problem.is_some()
    }
}

pub struct ResultsView {
    /// Whether they are final (the poll has closed) or so far.
    pub lead: String,
    /// Each option and how many organisations chose it.
    pub tally: Vec<(String, u64)>,
    /// "3 of 5 member organisations voted (60%)"
    pub turnout: String,
    pub carried: Option<String>,
    /// The organisations that voted and, with open voting, what they chose.
    pub voted: Vec<(String, Option<String>)>,
    pub open_voting: bool,
}

fn results_view(text: &Text, results: ResultsOut, open_voting: bool) -> ResultsView {
    let labels: HashMap<Uuid, String> = results
        .options
        .iter()
        .map(|o| (o.option_id, o.label.clone()))
        .collect();
    let lead = match results.status {
        entity::PollStatus::Closed => "poll-results-final",
        _ => "poll-results-so-far",
    };
    ResultsView {
        lead: text.get(lead),
        turnout: text.with(
            "poll-turnout",
            &[
                ("voted", results.votes_cast.to_string()),
                ("eligible", results.eligible_organisations.to_string()),
                (
                    "share",
                    format::percent(results.turnout).unwrap_or_else(|| "–".into()),
                ),
            ],
        ),
        carried: results.carried.map(|carried| {
            text.get(match carried {
                true => "poll-carried",
                false => "poll-not-carried",
            })
        }),
        voted: results
            .voted
            .into_iter()
            .map(|v| {
                let chose = v.option_ids.map(|ids| {
                    ids.iter()
                        .filter_map(|id| labels.get(id).cloned())
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                (v.name, chose)
            })
            .collect(),
        tally: results
            .options
            .into_iter()
            .map(|o| (o.label, o.votes))
            .collect(),
        open_voting,
    }
}

/// The organisation's vote as it stands: what it chose, who cast it, when.
fn voted_words(text: &Text, poll: &PollOut, vote: &VoteOut) -> String {
    let chose = poll
        .options
        .iter()
        .filter(|o| vote.option_ids.contains(&o.id))
        .map(|o| o.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    text.with(
        "poll-voted",
        &[
            ("chose", chose),
            (
                "by",
                vote.cast_by_name
                    .clone()
                    .unwrap_or_else(|| text.get("poll-someone")),
            ),
            ("when", format::date_time(vote.cast_at)),
        ],
    )
}

/// What the officers' forms hold when the page is shown: as typed after a
/// refusal, otherwise the closing as it stands and no reason.
#[derive(Default)]
pub struct Typed {
    pub closes: Option<(String, String)>,
    pub reason: String,
    /// The options ticked in the vote's form, as sent.
    pub ticked: Option<Vec<String>>,
}

/// The poll page for `caller`, with the officers' forms as typed.
pub async fn poll_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    (forum, id): (Uuid, Uuid),
    typed: Typed,
) -> PageResult<PollPage> {
    let PollDetail {
        poll,
        results,
        my_vote,
    } = poll_of(state, caller, forum, id).await?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let text = Text::default();
    let item = match poll.agenda_item_id {
        Some(item) => {
            let item = meetings::item(state, caller, item).await?;
            Some((
                format!(
                    "/forums/{forum}/meetings/{}#item-{}",
                    item.meeting_id, item.id
                ),
                item.title,
            ))
        }
        None => None,
    };
    let runs = access.allows(ForumAction::RunPolls) && !poll.status.is_final();
    // Offered to those who vote for an organisation while the poll is
    // open; whether that organisation is a member the operation decides.
    let votes = access.allows(ForumAction::Vote)
        && poll.status == PollStatus::Open
        && caller.user.organisation_id.is_some();
    let organisation = my_vote
        .as_ref()
        .and_then(|v| v.organisation_name.clone())
        .unwrap_or_else(|| text.get("poll-your-organisation"));
    let ticked = typed.ticked.unwrap_or_else(|| {
        my_vote
            .iter()
            .flat_map(|v| v.option_ids.iter().map(Uuid::to_string))
            .collect()
    });
    let voted = my_vote.as_ref().map(|v| voted_words(&text, &poll, v));
    let vote_form =
        votes.then(|| vote_form(&text, (poll.kind, &poll.options), &organisation, &ticked));
    let (closes_on, closes_time) = typed
        .closes
        .unwrap_or_else(|| when::fields_of(poll.closes_at));
    Ok(PollPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: access.forum.name.clone(),
        polls_href: format!("/forums/{forum}/polls"),
        href: poll_href(forum, id),
        description: format::paragraphs(&poll.description),
        kind: kind_words(&text, poll.kind),
        status: status_tag(&text, poll.status),
        opens: format::date_time(poll.opens_at),
        closes: format::date_time(poll.closes_at),
        put_by: poll.created_by_name.clone(),
        item,
        options: poll.options.iter().map(|o| o.label.clone()).collect(),
        max_choices: poll
            .max_choices
            .map(|n| text.count("poll-choose-up-to", n.unsigned_abs().into())),
        cancelled: poll.cancel_reason.clone(),
        results: results.map(|r| results_view(&text, r, poll.open_voting)),
        version: poll.version,
        closes_form: runs.then(|| closes_form(&text, &closes_on, &closes_time)),
        cancel_form: runs.then(|| reason_form(&text, &typed.reason)),
        vote_form,
        voted,
        question: poll.question,
        problem: None,
        done: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, id)): Path<(String, String)>,
    Query(shown): Query<Shown>,
) -> PageResult<Response> {
    let ids = (id_in_path(&forum)?, id_in_path(&id)?);
    let caller = visitor.signed_in(&poll_href(ids.0, ids.1))?;
    let mut page = poll_page(&state, &visitor, caller, ids, Typed::default()).await?;
    page.done = done(&shown.done);
    Ok((visitor.cookies(), page).into_response())
}
