use chrono::{DateTime, Utc};
use entity::{PollKind, PollStatus, poll, poll_option};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Array, ArrayBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::patch::{self, Apply, nullable, present};

/// The schema of a list of option labels: each a label, 2–20 of them (`null`
/// where the field may be left out). It replaces the field's own, so it
/// carries the field's description.
fn labels_schema(nullable: bool, description: &str) -> Array {
    let schema_type = if nullable {
        SchemaType::from_iter([Type::Array, Type::Null])
    } else {
        SchemaType::Type(Type::Array)
    };
    ArrayBuilder::new()
        .schema_type(schema_type)
        .description(Some(description))
        .items(limits::PollOptionLabel::schema())
        .min_items(Some(super::rules::FEWEST_OPTIONS))
        .max_items(Some(super::rules::MOST_OPTIONS))
        .build()
}

fn new_labels() -> Array {
    labels_schema(
        true,
        "The options' labels, in order: 2 to 20 distinct ones for `single-choice` and \
         `multiple-choice`; left out for `agree-disagree-abstain`, whose options are \
         \"Agree\", \"Disagree\" and \"Abstain\".",
    )
}

fn replacing_labels() -> Array {
    labels_schema(
        false,
        "New options' labels, in order, replacing the options (with new ids); choice \
         polls only.",
    )
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PollIn {
    /// 1–500 characters, one line.
    #[schema(schema_with = limits::PollQuestion::schema)]
    pub question: String,
    /// Markdown, up to 5,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::PollDescription::schema)]
    pub description: String,
    pub kind: PollKind,
    /// The options' labels, in order (the rules are in `new_labels`).
    #[schema(schema_with = new_labels)]
    pub options: Option<Vec<String>>,
    /// `multiple-choice` only: how many options a vote may choose, from 1 to
    /// the number of options (default: all of them).
    #[schema(minimum = 1)]
    pub max_choices: Option<i32>,
    /// UTC, RFC 3339; default now. A time already past opens the poll now.
    pub opens_at: Option<DateTime<Utc>>,
    /// UTC, RFC 3339; after `opens_at` and after now.
    pub closes_at: DateTime<Utc>,
    /// Whether participants may see the results while the poll is open
    /// (default `false`: only once it closes).
    #[serde(default)]
    pub results_before_close: bool,
    /// Whether the results show how each organisation voted (default
    /// `false`: they show which organisations voted, not how).
    #[serde(default)]
    pub open_voting: bool,
    /// The agenda item it decides: an item of a meeting of this forum.
    pub agenda_item_id: Option<Uuid>,
    /// The consultation whose joint response it agrees: one of this
    /// forum's, being drafted, with no other poll upcoming or open on it;
    /// `agree-disagree-abstain` only. Not with `agenda_item_id`.
    pub consultation_id: Option<Uuid>,
}

/// Only the fields to change. Before the poll opens, any of them but its
/// kind (`options` replaces the options wholesale, with new ids). Once it is
/// open, only a later `closes_at`, or cancelling it with `"status":
/// "cancelled"` and a `cancel_reason`. A closed or cancelled poll does not
/// change. `max_choices`, `agenda_item_id` and `consultation_id` may be
/// cleared with `null`; `null` for the other fields is refused (422).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PollPatch {
    /// 1–500 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PollQuestion::schema)]
    pub question: Option<String>,
    /// Markdown, up to 5,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PollDescription::schema)]
    pub description: Option<String>,
    /// A poll's kind is fixed: only its own kind is accepted here.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub kind: Option<PollKind>,
    /// New options (the rules are in `replacing_labels`).
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = replacing_labels)]
    pub options: Option<Vec<String>>,
    /// `multiple-choice` only; `null`: all of the options.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 1)]
    pub max_choices: Option<Option<i32>>,
    /// UTC, RFC 3339. A time already past opens the poll now.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub opens_at: Option<DateTime<Utc>>,
    /// UTC, RFC 3339; after `opens_at` and after now, and once the poll is
    /// open, later than it was.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub closes_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub results_before_close: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub open_voting: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub agenda_item_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    pub consultation_id: Option<Option<Uuid>>,
    /// `cancelled` cancels the poll (with `cancel_reason`); the other
    /// statuses follow from its times and cannot be set.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<PollStatus>,
    /// Why the poll is cancelled (one line, up to 500 characters): required
    /// with `"status": "cancelled"`.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PollCancelReason::schema)]
    pub cancel_reason: Option<String>,
}

impl Apply for PollPatch {
    type ActiveModel = poll::ActiveModel;

    /// Every column but `opens_at` (a time already past opens the poll
    /// now, so it needs the clock) and the cancellation, which the state
    /// machine decides; the options are rows of their own.
    fn apply(self, to: &mut poll::ActiveModel) {
        patch::set(&mut to.question, self.question.map(patch::trimmed));
        patch::set(&mut to.description, self.description.map(patch::trimmed));
        patch::set(&mut to.max_choices, self.max_choices);
        patch::set(&mut to.closes_at, self.closes_at);
        patch::set(&mut to.results_before_close, self.results_before_close);
        patch::set(&mut to.open_voting, self.open_voting);
        patch::set(&mut to.agenda_item_id, self.agenda_item_id);
        patch::set(&mut to.consultation_id, self.consultation_id);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OptionOut {
    pub id: Uuid,
    pub label: String,
    /// 1 for the first option.
    pub position: i32,
}

impl From<poll_option::Model> for OptionOut {
    fn from(o: poll_option::Model) -> Self {
        Self {
            id: o.id,
            label: o.label,
            position: o.position,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PollOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub question: String,
    pub description: String,
    pub kind: PollKind,
    pub options: Vec<OptionOut>,
    /// `multiple-choice`: how many options a vote may choose; `null` for
    /// the other kinds, which take exactly one.
    pub max_choices: Option<i32>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub status: PollStatus,
    pub results_before_close: bool,
    pub open_voting: bool,
    pub agenda_item_id: Option<Uuid>,
    pub consultation_id: Option<Uuid>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    /// Rises with every change to the poll itself (not with votes).
    pub version: i32,
    pub created_by: Option<Uuid>,
    /// The display name of who put it (only the forum's participants read
    /// polls); `null` when they are unknown.
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PollOut {
    pub fn new(
        p: poll::Model,
        options: Vec<poll_option::Model>,
        now: DateTime<Utc>,
        created_by_name: Option<String>,
    ) -> Self {
        let max_choices = match p.kind {
            PollKind::MultipleChoice => Some(
                p.max_choices
                    .unwrap_or(i32::try_from(options.len()).unwrap_or(i32::MAX)),
            ),
            PollKind::AgreeDisagreeAbstain | PollKind::SingleChoice => None,
        };
        Self {
            created_by_name,
            status: p.status_at(now),
            max_choices,
            options: options.into_iter().map(OptionOut::from).collect(),
            id: p.id,
            forum_id: p.forum_id,
            question: p.question,
            description: p.description,
            kind: p.kind,
            opens_at: p.opens_at,
            closes_at: p.closes_at,
            results_before_close: p.results_before_close,
            open_voting: p.open_voting,
            agenda_item_id: p.agenda_item_id,
            consultation_id: p.consultation_id,
            cancelled_at: p.cancelled_at,
            cancel_reason: p.cancel_reason,
            version: p.version,
            created_by: p.created_by,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A poll as a participant reads it: with their organisation's vote and,
/// when they may be shown, the results.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PollDetail {
    #[serde(flatten)]
    pub poll: PollOut,
    /// The vote of the caller's organisation, if it has voted.
    pub my_vote: Option<VoteOut>,
    /// Once the poll is closed, or while it is open if it shows results
    /// before it closes; `null` otherwise.
    pub results: Option<ResultsOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteIn {
    /// The options chosen, each once: exactly one for `agree-disagree-abstain`
    /// and `single-choice`, 1 to `max_choices` for `multiple-choice`.
    #[schema(min_items = 1)]
    pub option_ids: Vec<Uuid>,
}

/// An organisation's vote: the latest cast by any of its people.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VoteOut {
    pub poll_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: Option<String>,
    /// In the options' order.
    pub option_ids: Vec<Uuid>,
    /// Who cast it for the organisation.
    pub cast_by: Option<Uuid>,
    /// Their display name; `null` when they are unknown.
    pub cast_by_name: Option<String>,
    pub cast_at: DateTime<Utc>,
}

/// The names beside a vote's ids, read with it.
#[derive(Debug, Clone, Default, sea_orm::FromQueryResult)]
pub struct VoteNames {
    pub organisation_name: Option<String>,
    pub cast_by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OptionTally {
    pub option_id: Uuid,
    pub label: String,
    /// Organisations that chose it.
    pub votes: u64,
}

/// An organisation that voted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VoterOut {
    pub organisation_id: Uuid,
    pub name: String,
    /// What it chose, when the poll's voting is open; `null` otherwise.
    pub option_ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultsOut {
    pub poll_id: Uuid,
    /// `closed` when the results are final.
    pub status: PollStatus,
    /// Every option, in order, with its votes.
    pub options: Vec<OptionTally>,
    /// Organisations that voted.
    pub votes_cast: u64,
    /// Organisations with an active membership of the forum now.
    pub eligible_organisations: u64,
    /// `votes_cast / eligible_organisations`; `null` when none is eligible.
    pub turnout: Option<f64>,
    /// The organisations that voted, by name.
    pub voted: Vec<VoterOut>,
    /// `agree-disagree-abstain`, once closed: whether more organisations
    /// agreed than disagreed. `null` before it closes and for other kinds.
    pub carried: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PollQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only polls where they stand now.
    pub status: Option<PollStatus>,
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::PollPatch>();
    }
}
