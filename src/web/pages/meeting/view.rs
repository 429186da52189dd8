//! The meeting page as its template renders it, built from one read of
//! the meeting as its reader may read it ([`crate::meeting_view`]): the
//! meeting, its agenda, its papers, its RSVPs and matters arising, by the
//! same rules as the API's answers. What it offers — forms to change the
//! agenda — follows the reader's role in the forum; the operations still
//! decide.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use entity::{AgendaItemStatus, MeetingStatus, Visibility, forum};
use uuid::Uuid;

use super::At;
use super::items_form::{ItemInput, item_form};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meeting_view::{MeetingView, meeting_view};
use crate::meetings::AgendaItemOut;
use crate::plans::{self, CommitmentLabel};
use crate::web::components::{ErrorLink, ErrorSummary};
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::forms::{Choice, Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::pages::rsvp::RsvpForm;
use crate::web::session::Visitor;
use crate::web::uploads;

#[derive(Template, WebTemplate)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
    pub page: Page,
    pub csrf_token: String,
    pub href: String,
    pub forum_href: String,
    pub forum_name: String,
    pub title: String,
    pub when: String,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub status: Option<String>,
    pub description: Vec<String>,
    /// Yes, maybe, no: how many answered each way.
    pub rsvps: Vec<(String, u64)>,
    /// The reader's own answer and the buttons to give it, while answers
    /// are taken and the reader may answer.
    pub rsvp: Option<RsvpForm>,
    pub agenda: Vec<ItemRow>,
    pub proposals: Vec<ItemRow>,
    pub declined: Vec<ItemRow>,
    /// "90 of 120 minutes allotted", and whether it runs over.
    pub timing: String,
    pub over: bool,
    /// The accepted items' ids in their order: what a move is made on.
    pub order: Vec<String>,
    pub meeting_papers: Vec<PaperRow>,
    pub pack_href: String,
    pub matters: Vec<MatterRow>,
    /// The reader may change the agenda (its officers, while it is open).
    pub runs: bool,
    /// The officers' way on through the meeting's cycle: changing or
    /// cancelling it, attendance and outcomes, the minutes (each by its
    /// message id and address).
    pub cycle: Vec<(&'static str, String)>,
    /// The reader may put a poll to the forum from an accepted item (its
    /// officers, unless the meeting was cancelled).
    pub polls: bool,
    /// The reader may propose an item (the forum's members and RPD staff).
    pub proposes: bool,
    /// The reader may bring matters arising up to date (its officers,
    /// until the meeting is held).
    pub refreshes: bool,
    pub item_form: Form,
    pub paper_form: Form,
    /// What the upload form takes, told before a file is chosen.
    pub paper_hint: String,
    /// A refusal of a form with no field of its own (a move, a decision,
    /// a drop), as the error summary shows it.
    pub problem: Option<ErrorSummary>,
    pub dropping: Option<Dropping>,
    /// The message id of what was just done, for the success banner.
    pub done: Option<&'static str>,
}

impl MeetingPage {
    /// The drop refused on this entry, if it was.
    pub fn refused_drop(&self, entry: &str) -> Option<&Dropping> {
        self.dropping.as_ref().filter(|d| d.entry == entry)
    }

    pub fn has_errors(&self) -> bool {
        self.item_form.has_errors() || self.paper_form.has_errors() || self.problem.is_some()
    }
}

pub struct ItemRow {
    pub id: String,
    pub number: String,
    pub title: String,
    pub description: Vec<String>,
    pub presenter: Option<String>,
    pub minutes: Option<String>,
    /// Who may read it and why, when not everyone may.
    pub restricted: Option<String>,
    pub withheld: bool,
    pub proposer: Option<String>,
    pub commitments: Vec<String>,
    pub version: i32,
    pub papers: Vec<PaperRow>,
    pub first: bool,
    pub last: bool,
}

pub struct PaperRow {
    pub title: String,
    pub href: String,
    /// "PDF, 12 KB"
    pub about: String,
}

pub struct MatterRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub status: Option<String>,
    pub dropped: Option<String>,
}

/// A drop refused: on which entry, what was typed, and why.
pub struct Dropping {
    pub entry: String,
    pub reason: String,
    pub error: String,
}

/// The page's forms as sent (or empty), and what to say above them.
pub struct Forms {
    pub item: ItemInput,
    /// The add form's refusal, shown on its fields.
    pub item_error: Option<ApiError>,
    /// The upload form's title and item as typed, and its refusal.
    pub paper: (String, String),
    pub paper_error: Option<ApiError>,
    pub problem: Option<String>,
    pub dropping: Option<Dropping>,
    pub done: Option<&'static str>,
}

impl Forms {
    pub fn empty() -> Self {
        Self {
            item: ItemInput::default(),
            item_error: None,
            paper: (String::new(), String::new()),
            paper_error: None,
            problem: None,
            dropping: None,
            done: None,
        }
    }

    pub fn problem(message: String) -> Self {
        Self {
            problem: Some(message),
            ..Self::empty()
        }
    }
}

/// The upload form's fields: its title, which part of the meeting it is
/// for, and the file.
pub fn paper_form(text: &Text, title: &str, item: &str, items: &[(String, String)]) -> Form {
    let mut choices = vec![Choice::new("", text.get("meeting-paper-whole-meeting"))];
    choices.extend(items.iter().map(|(id, title)| Choice::new(id, title)));
    Form::new(
        text,
        vec![
            Field {
                label: text.get("meeting-paper-title"),
                ..Field::plain(text, "title", Kind::Text).id("paper-title")
            }
            .value(title),
            Field {
                label: text.get("meeting-paper-for"),
                ..Field::plain(text, "agenda_item_id", Kind::Select)
            }
            .choices(choices)
            .value(item),
            Field {
                label: text.get("meeting-paper-file"),
                ..Field::plain(text, "file", Kind::File)
            },
        ],
    )
}

/// The region's current plan's commitments, by reference, for linking
/// items to (public reading, so the same for every reader).
pub async fn region_commitments(
    state: &AppState,
    forum: &forum::Model,
) -> PageResult<Vec<(Uuid, String)>> {
    let commitments = plans::current_commitments(&state.db, forum.region_id, None).await?;
    Ok(commitments.iter().map(commitment_label).collect())
}

/// "KSS-ACC-1: Accommodation on release", as a form offers it.
fn commitment_label(c: &CommitmentLabel) -> (Uuid, String) {
    (c.id, format!("{}: {}", c.reference, c.text))
}

fn restricted(text: &Text, item: &AgendaItemOut) -> Option<String> {
    if item.withheld || item.visibility == Visibility::Public {
        return None;
    }
    Some(text.with(
        &format!("meeting-restricted-{}", item.visibility.as_str()),
        &[("reason", item.visibility_reason.clone().unwrap_or_default())],
    ))
}

/// The meeting page for `caller`, with these forms.
pub async fn meeting_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    at: &At,
    forms: Forms,
) -> PageResult<MeetingPage> {
    let text = Text::default();
    let view = meeting_view(state, caller, at.meeting).await?;
    at.require_forum(view.meeting.forum_id)?;
    let MeetingView {
        meeting,
        access,
        rsvps,
        own_rsvp,
        agenda,
        papers,
        matters,
        commitments,
        ..
    } = view;
    let open = match meeting.status {
        MeetingStatus::Scheduled => true,
        MeetingStatus::Held => access.allows(ForumAction::EditHeldAgenda),
        MeetingStatus::Cancelled => false,
    };
    let runs = open && access.allows(ForumAction::RunMeetings);
    // Offered as the operation decides: to those who take part, while the
    // meeting is to come (a refusal still shown should that change).
    let rsvp = (meeting.status == MeetingStatus::Scheduled
        && meeting.starts_at > state.clock.now()
        && access.allows(ForumAction::TakePart))
    .then(|| {
        RsvpForm::new(
            &text,
            (at.forum, at.meeting),
            &meeting.title,
            own_rsvp,
            format!("{}#rsvp", at.href()),
        )
    });
    let base = format!("/forums/{}/meetings/{}", at.forum, at.meeting);
    let mut cycle = Vec::new();
    if access.allows(ForumAction::RunMeetings) {
        if meeting.status == MeetingStatus::Scheduled {
            cycle.push(("meeting-cycle-edit", format!("{base}/edit")));
            cycle.push(("meeting-cycle-cancel", format!("{base}/cancel")));
        }
        if meeting.status != MeetingStatus::Cancelled {
            cycle.push(("meeting-cycle-attendance", format!("{base}/attendance")));
            cycle.push(("meeting-cycle-outcomes", format!("{base}/outcomes")));
        }
    }
    if meeting.status == MeetingStatus::Held && access.allows(ForumAction::DraftMinutes) {
        cycle.push((
            "meeting-cycle-minutes",
            format!("/forums/{}/minutes/{}/edit", at.forum, at.meeting),
        ));
    }
    let proposes =
        !runs && meeting.status == MeetingStatus::Scheduled && access.allows(ForumAction::TakePart);
    let references: HashMap<Uuid, &str> = commitments
        .iter()
        .map(|c| (c.id, c.reference.as_str()))
        .collect();
    let commitments: Vec<(Uuid, String)> = commitments.iter().map(commitment_label).collect();

    let href = at.href();
    let mut by_item: HashMap<Option<Uuid>, Vec<PaperRow>> = HashMap::new();
    for paper in papers {
        by_item
            .entry(paper.agenda_item_id)
            .or_default()
            .push(PaperRow {
                href: format!("{href}/papers/{}", paper.id),
                about: uploads::about_file(&paper),
                title: paper.title,
            });
    }
    let accepted = agenda
        .items
        .iter()
        .filter(|i| i.status == AgendaItemStatus::Accepted)
        .count();
    let order: Vec<String> = agenda
        .items
        .iter()
        .filter(|i| i.status == AgendaItemStatus::Accepted)
        .map(|i| i.id.to_string())
        .collect();
    let mut rows = (Vec::new(), Vec::new(), Vec::new());
    let mut paper_items = Vec::new();
    for (index, item) in agenda.items.into_iter().enumerate() {
        if !item.withheld && item.status != AgendaItemStatus::Declined {
            paper_items.push((item.id.to_string(), item.title.clone()));
        }
        let row = ItemRow {
            id: item.id.to_string(),
            number: item.position.map(|p| p.to_string()).unwrap_or_default(),
            restricted: restricted(&text, &item),
            description: format::paragraphs(&item.description),
            presenter: item.presenter.clone(),
            minutes: item
                .minutes_allotted
                .map(|m| text.count("meeting-item-minutes-allotted", m.unsigned_abs().into())),
            withheld: item.withheld,
            proposer: item.proposed_by_name.clone(),
            commitments: item
                .commitment_ids
                .iter()
                .filter_map(|c| references.get(c).map(|r| r.to_string()))
                .collect(),
            version: item.version,
            papers: by_item.remove(&Some(item.id)).unwrap_or_default(),
            first: index == 0,
            last: index + 1 == accepted,
            title: item.title,
        };
        match item.status {
            AgendaItemStatus::Accepted => rows.0.push(row),
            AgendaItemStatus::Proposed => rows.1.push(row),
            AgendaItemStatus::Declined => rows.2.push(row),
        }
    }
    let mut item_form = item_form(&text, &forms.item, &commitments);
    if let Some(error) = forms.item_error {
        item_form.refuse(error)?;
    }
    let (title, item) = &forms.paper;
    let mut paper_form = paper_form(&text, title, item, &paper_items);
    if let Some(error) = forms.paper_error {
        paper_form.refuse(error)?;
    }
    let problem = forms
        .problem
        .map(|message| ErrorSummary {
            title_text: text.get("error-summary-title"),
            description_text: None,
            error_list: vec![ErrorLink {
                text: message,
                href: None,
            }],
        })
        .or_else(|| {
            forms.dropping.as_ref().map(|d| ErrorSummary {
                title_text: text.get("error-summary-title"),
                description_text: None,
                error_list: vec![ErrorLink {
                    text: d.error.clone(),
                    href: Some(format!("#drop-{}", d.entry)),
                }],
            })
        });
    Ok(MeetingPage {
        cycle,
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_href: format!("/forums/{}", at.forum),
        forum_name: access.forum.name.clone(),
        when: format!(
            "{} {} {}",
            format::date_time(meeting.starts_at),
            text.get("meeting-to"),
            format::clock(meeting.ends_at)
        ),
        place: meeting.location,
        online_link: meeting.online_link,
        status: match meeting.status {
            MeetingStatus::Scheduled => None,
            other => Some(text.get(&format!("meeting-status-{}", other.as_str()))),
        },
        description: format::paragraphs(&meeting.description),
        title: meeting.title,
        rsvps: vec![
            (text.get("meeting-rsvp-yes"), rsvps.yes),
            (text.get("meeting-rsvp-maybe"), rsvps.maybe),
            (text.get("meeting-rsvp-no"), rsvps.no),
        ],
        rsvp,
        agenda: rows.0,
        proposals: rows.1,
        declined: rows.2,
        timing: text.with(
            "meeting-timing",
            &[
                ("allotted", agenda.total_minutes_allotted.to_string()),
                ("length", agenda.meeting_minutes.to_string()),
            ],
        ),
        over: agenda.minutes_over > 0,
        order,
        meeting_papers: by_item.remove(&None).unwrap_or_default(),
        pack_href: format!("{href}/pack"),
        matters: matters
            .items
            .into_iter()
            .map(|m| MatterRow {
                id: m.id.to_string(),
                kind: text.get(&format!("meeting-matter-{}", m.kind)),
                title: m.title,
                status: m.status,
                dropped: m
                    .dropped_reason
                    .map(|reason| text.with("meeting-matter-dropped", &[("reason", reason)])),
            })
            .collect(),
        href,
        refreshes: runs && meeting.status == MeetingStatus::Scheduled,
        polls: meeting.status != MeetingStatus::Cancelled && access.allows(ForumAction::RunPolls),
        runs,
        proposes,
        item_form,
        paper_form,
        paper_hint: uploads::limits_hint(&text, state.paper_max_bytes),
        problem,
        dropping: forms.dropping,
        done: forms.done,
    })
}
