//! Request and response bodies of the agenda.

use chrono::{DateTime, Utc};
use entity::{AgendaItemStatus, Visibility, agenda_item};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::actions::{ActionIn, ActionOut};
use crate::kernel::limits;
use crate::kernel::patch::{self, Apply, nullable, present};
use crate::kernel::validation::Validator;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemIn {
    /// 1–200 characters, one line.
    #[schema(schema_with = limits::AgendaTitle::schema)]
    pub title: String,
    /// Markdown, up to 5,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::AgendaDescription::schema)]
    pub description: String,
    /// One line, up to 200 characters.
    #[schema(schema_with = limits::Presenter::nullable)]
    pub presenter: Option<String>,
    /// 1–480.
    #[schema(minimum = 1, maximum = 480)]
    pub minutes_allotted: Option<i32>,
    /// Commitments of the region's plans that the item is about.
    #[serde(default)]
    pub commitment_ids: Vec<Uuid>,
    /// Who may read it (default `public`).
    pub visibility: Option<Visibility>,
    /// Why it is not public: required unless `visibility` is `public`
    /// (and dropped when it is); what everyone else is shown. One line, up
    /// to 500 characters.
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub visibility_reason: Option<String>,
}

/// Only the fields to change; `status` accepts or declines a proposal.
/// `presenter` and `minutes_allotted` may be cleared with `null`; `null` for
/// any other field is refused (422).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemPatch {
    /// 1–200 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::AgendaTitle::schema)]
    pub title: Option<String>,
    /// Markdown, up to 5,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::AgendaDescription::schema)]
    pub description: Option<String>,
    /// One line, up to 200 characters; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::Presenter::nullable)]
    pub presenter: Option<Option<String>>,
    /// 1–480; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 480)]
    pub minutes_allotted: Option<Option<i32>>,
    /// `accepted` or `declined`, for a proposed item.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<AgendaItemStatus>,
    /// Replaces the linked commitments.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub commitment_ids: Option<Vec<Uuid>>,
    /// Who may read it.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub visibility: Option<Visibility>,
    /// `true`: not reached at its meeting, which has been held; it becomes
    /// a matter arising at the forum's next meeting (409 before the meeting
    /// is held, or for an item not on the agenda).
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub carried_over: Option<bool>,
    /// Why it is not public (required unless public); `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub visibility_reason: Option<Option<String>>,
}

impl Apply for AgendaItemPatch {
    type ActiveModel = agenda_item::ActiveModel;

    /// The item's own text, time and visibility. Its status (a move the
    /// state machine decides), links, place, reason and carrying over are
    /// the operation's, which needs the meeting and the item's links.
    fn apply(self, to: &mut agenda_item::ActiveModel) {
        patch::set(&mut to.title, self.title.map(patch::trimmed));
        patch::set(&mut to.description, self.description.map(patch::trimmed));
        let presenter = self.presenter.map(|p| p.map(patch::trimmed));
        patch::set(&mut to.presenter, presenter);
        patch::set(&mut to.minutes_allotted, self.minutes_allotted);
        patch::set(&mut to.visibility, self.visibility);
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaOrderIn {
    /// Every accepted item of the meeting, once each, in the new order.
    #[schema(max_items = 100)]
    pub item_ids: Vec<Uuid>,
    /// Optional: the accepted items in the order you last read them. When
    /// the agenda is no longer in that order (someone else has reordered
    /// it, or added or removed an item), the new order is refused with 409
    /// rather than made over their change.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub read_order: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgendaItemOut {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// 1-based order of accepted items; `null` for proposals and declined items.
    pub position: Option<i32>,
    pub title: String,
    pub description: String,
    pub presenter: Option<String>,
    pub minutes_allotted: Option<i32>,
    pub status: AgendaItemStatus,
    pub proposed_by: Option<Uuid>,
    /// The proposer's display name (only the forum's participants read
    /// agendas); `null` when they are unknown, or the item is withheld.
    pub proposed_by_name: Option<String>,
    /// Commitments of the region's plans that the item is about.
    pub commitment_ids: Vec<Uuid>,
    /// Rises on every change to the item, its links or its position; send it
    /// back in `If-Match`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who may read it.
    pub visibility: Visibility,
    /// Why it is not public.
    pub visibility_reason: Option<String>,
    /// The caller may not read it: the title says it is withheld and why,
    /// and its description, presenter, proposer and links are left out.
    pub withheld: bool,
    /// Not reached at its held meeting: taken up at the next.
    pub carried_over: bool,
    /// What the held meeting decided or noted on it.
    pub outcome: Option<OutcomeOut>,
}

/// Votes of the member organisations present.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    #[schema(minimum = 0)]
    pub r#for: i32,
    #[schema(minimum = 0)]
    pub against: i32,
    #[schema(minimum = 0)]
    pub abstain: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutcomeOut {
    /// The decision or note (markdown).
    pub decision: String,
    pub votes: Option<Votes>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// An item's outcome, once its meeting is held, and optionally whether it
/// is carried over and the actions agreed on it: saved together or not at
/// all.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeIn {
    /// The decision or note: markdown, 1–20,000 characters.
    #[schema(schema_with = limits::OutcomeText::schema)]
    pub decision: String,
    /// Optional: for, against and abstaining, by member organisations
    /// present; together no more than the organisations represented.
    pub votes: Option<Votes>,
    /// Optional: `true` when the item is taken up again at the forum's
    /// next meeting (only the secretary changes a held meeting's agenda:
    /// 409 for anyone else); left out, it stays as it is.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub carried_over: Option<bool>,
    /// Optional: actions agreed on the item, made with the outcome. Each
    /// has the body and rules of `POST /agenda-items/{id}/actions`, its
    /// refused fields named `actions[0].title` and so on; one refused
    /// action refuses the whole outcome, and nothing is written.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub actions: Vec<ActionIn>,
}

/// The most actions one outcome agrees at once.
pub const MAX_AGREED_ACTIONS: usize = 20;

/// What a meeting decided or noted on an item, and the votes on it.
#[derive(Debug, Clone)]
pub struct Decision {
    pub decision: String,
    pub votes: Option<Votes>,
}

/// What the officers record on one item of a held meeting in one save:
/// its decision (left as it is when `None`), whether it is carried over
/// (likewise), and the actions agreed on it.
#[derive(Debug)]
pub struct ItemRecord {
    pub decision: Option<Decision>,
    pub carried_over: Option<bool>,
    pub actions: Vec<ActionIn>,
}

impl From<OutcomeIn> for ItemRecord {
    fn from(input: OutcomeIn) -> Self {
        Self {
            decision: Some(Decision {
                decision: input.decision,
                votes: input.votes,
            }),
            carried_over: input.carried_over,
            actions: input.actions,
        }
    }
}

/// The item with its outcome as now recorded, and the actions agreed with it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordedOutcome {
    #[serde(flatten)]
    pub item: AgendaItemOut,
    /// The actions made with this outcome (none unless `actions` was sent).
    pub actions: Vec<ActionOut>,
}

/// The outcome as stored on the item.
pub fn outcome_of(i: &agenda_item::Model) -> Option<OutcomeOut> {
    let decision = i.outcome.clone()?;
    let votes = match (i.votes_for, i.votes_against, i.votes_abstain) {
        (Some(r#for), Some(against), Some(abstain)) => Some(Votes {
            r#for,
            against,
            abstain,
        }),
        _ => None,
    };
    Some(OutcomeOut {
        decision,
        votes,
        recorded_at: i.outcome_at,
    })
}

/// What is shown in place of an item the reader may not read.
pub fn withheld_title(reason: Option<&str>) -> String {
    format!("Withheld: {}", reason.unwrap_or("confidential"))
}

impl AgendaItemOut {
    pub fn with_links(
        i: agenda_item::Model,
        commitment_ids: Vec<Uuid>,
        proposed_by_name: Option<String>,
    ) -> Self {
        Self {
            commitment_ids,
            proposed_by_name,
            ..Self::from(i)
        }
    }

    /// As a reader who may (`readable`) or may not read it sees it.
    pub fn as_read(
        i: agenda_item::Model,
        commitment_ids: Vec<Uuid>,
        readable: bool,
        proposed_by_name: Option<String>,
    ) -> Self {
        if readable {
            return Self::with_links(i, commitment_ids, proposed_by_name);
        }
        Self {
            title: withheld_title(i.visibility_reason.as_deref()),
            description: String::new(),
            presenter: None,
            proposed_by: None,
            withheld: true,
            outcome: None,
            ..Self::from(i)
        }
    }
}

impl From<agenda_item::Model> for AgendaItemOut {
    fn from(i: agenda_item::Model) -> Self {
        let outcome = outcome_of(&i);
        Self {
            id: i.id,
            meeting_id: i.meeting_id,
            position: i.position,
            title: i.title,
            description: i.description,
            presenter: i.presenter,
            minutes_allotted: i.minutes_allotted,
            status: i.status,
            proposed_by: i.proposed_by,
            proposed_by_name: None,
            commitment_ids: Vec::new(),
            version: i.version,
            created_at: i.created_at,
            updated_at: i.updated_at,
            visibility: i.visibility,
            visibility_reason: i.visibility_reason,
            withheld: false,
            carried_over: i.carried_over,
            outcome,
        }
    }
}

/// The visibility an item ends with, and its reason: a reason is required
/// unless the item is public, and dropped when it is.
pub fn check_visibility(
    v: &mut Validator,
    visibility: Visibility,
    reason: Option<&str>,
) -> Option<String> {
    check_visibility_at(v, visibility, reason, "visibility_reason")
}

/// As [`check_visibility`], naming the reason's field `field`.
pub fn check_visibility_at(
    v: &mut Validator,
    visibility: Visibility,
    reason: Option<&str>,
    field: &str,
) -> Option<String> {
    if visibility == Visibility::Public {
        // Dropped, but not unchecked: a reason that could not be kept is
        // refused even where none is needed.
        if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            v.rule::<limits::VisibilityReason>(reason, field);
        }
        return None;
    }
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => {
            v.rule::<limits::VisibilityReason>(reason, field);
            Some(reason.to_string())
        }
        None => {
            v.check(false, field, "is required when it is not public");
            None
        }
    }
}

/// The agenda: accepted items in order, then proposals, then declined items,
/// with the time allotted set against the meeting's length.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgendaOut {
    pub items: Vec<AgendaItemOut>,
    /// Sum of the accepted items' minutes.
    pub total_minutes_allotted: i64,
    pub meeting_minutes: i64,
    /// Minutes allotted beyond the meeting's length (0 when it fits).
    pub minutes_over: i64,
}

pub fn check_fields(
    v: &mut Validator,
    title: Option<&str>,
    description: Option<&str>,
    presenter: Option<&str>,
    minutes: Option<i32>,
) {
    if let Some(title) = title {
        v.rule::<limits::AgendaTitle>(title, "title");
    }
    if let Some(description) = description {
        v.rule::<limits::AgendaDescription>(description, "description");
    }
    if let Some(presenter) = presenter {
        v.rule::<limits::Presenter>(presenter, "presenter");
    }
    if let Some(minutes) = minutes {
        v.check(
            (1..=480).contains(&minutes),
            "minutes_allotted",
            "must be between 1 and 480",
        );
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::AgendaItemPatch>();
    }
}
