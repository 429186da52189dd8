use chrono::{DateTime, NaiveDate, Utc};
use entity::{ActionStatus, action_item, action_update};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::names::{Named, Names};
use crate::kernel::patch::{self, Apply, nullable, present};
use crate::kernel::validation::Validator;
use crate::plans::WithLinks;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    /// 1–300 characters.
    #[schema(schema_with = limits::ActionTitle::schema)]
    pub title: String,
    #[serde(default)]
    #[schema(schema_with = limits::ActionDescription::schema)]
    pub description: String,
    /// The meeting it was agreed at; must be this forum's.
    pub meeting_id: Option<Uuid>,
    /// An active member organisation of the forum.
    pub owner_organisation_id: Option<Uuid>,
    /// A person who takes part in the forum.
    pub owner_user_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    /// Commitments of the region's plans that this action is work towards.
    #[serde(default)]
    pub commitment_ids: Vec<Uuid>,
}

/// Only the fields to change; `status` follows `open → in-progress → done`,
/// any open state → `blocked | cancelled`, `blocked → in-progress`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ActionTitle::schema)]
    pub title: Option<String>,
    /// Markdown; `""` empties it (`null` is refused like every field that
    /// cannot be cleared).
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ActionDescription::schema)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub meeting_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_organisation_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_user_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<ActionStatus>,
}

impl Apply for ActionPatch {
    type ActiveModel = action_item::ActiveModel;

    /// Every field but `status`, whose move the state machine decides.
    fn apply(self, to: &mut action_item::ActiveModel) {
        patch::set(&mut to.title, self.title.map(patch::trimmed));
        patch::set(&mut to.description, self.description.map(patch::trimmed));
        patch::set(&mut to.meeting_id, self.meeting_id);
        patch::set(&mut to.owner_organisation_id, self.owner_organisation_id);
        patch::set(&mut to.owner_user_id, self.owner_user_id);
        patch::set(&mut to.due_on, self.due_on);
    }
}

pub fn check_action(v: &mut Validator, title: Option<&str>, description: Option<&str>) {
    if let Some(title) = title {
        v.rule::<limits::ActionTitle>(title, "title");
    }
    if let Some(description) = description {
        v.rule::<limits::ActionDescription>(description, "description");
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub meeting_id: Option<Uuid>,
    /// The agenda item it was agreed on, if any.
    pub agenda_item_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub owner_organisation_id: Option<Uuid>,
    /// The owner organisation's name; `null` when no organisation owns it.
    pub owner_organisation_name: Option<String>,
    pub owner_user_id: Option<Uuid>,
    /// The owner's display name; `null` when no person owns it. (Only the
    /// forum's participants read actions, and they are shown people's names.)
    pub owner_user_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    /// Past its due date and neither done nor cancelled.
    pub overdue: bool,
    pub completed_at: Option<DateTime<Utc>>,
    /// Ids of the commitments this action is work towards.
    pub commitment_ids: Vec<Uuid>,
    /// Rises on every change; send it back in `If-Match`.
    pub version: i32,
    pub created_by: Option<Uuid>,
    /// The display name of who recorded it; `null` when they are unknown.
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The names beside an action's ids, read with it (see `kernel::names`).
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct ActionNames {
    pub owner_organisation_name: Option<String>,
    pub owner_user_name: Option<String>,
    pub created_by_name: Option<String>,
}

impl ActionNames {
    /// The action's names among names read for several.
    pub fn among(names: &Names, a: &action_item::Model) -> Self {
        Self {
            owner_organisation_name: names.organisation(a.owner_organisation_id),
            owner_user_name: names.person(a.owner_user_id),
            created_by_name: names.person(a.created_by),
        }
    }
}

/// An action as lists read it: with its names and its links.
pub type ActionRow = WithLinks<Named<action_item::Model, ActionNames>>;

impl ActionRow {
    pub fn action(&self) -> &action_item::Model {
        &self.record.record
    }
}

impl ActionOut {
    /// An action as a list reads it, with its names and links.
    pub fn listed(row: ActionRow, today: NaiveDate) -> Self {
        Self::new(
            row.record.record,
            row.record.names,
            row.commitment_ids,
            today,
        )
    }

    pub fn new(
        a: action_item::Model,
        names: ActionNames,
        commitment_ids: Vec<Uuid>,
        today: NaiveDate,
    ) -> Self {
        Self {
            owner_organisation_name: names.owner_organisation_name,
            owner_user_name: names.owner_user_name,
            created_by_name: names.created_by_name,
            overdue: is_overdue(&a, today),
            id: a.id,
            forum_id: a.forum_id,
            meeting_id: a.meeting_id,
            agenda_item_id: a.agenda_item_id,
            title: a.title,
            description: a.description,
            owner_organisation_id: a.owner_organisation_id,
            owner_user_id: a.owner_user_id,
            due_on: a.due_on,
            status: a.status,
            completed_at: a.completed_at,
            commitment_ids,
            version: a.version,
            created_by: a.created_by,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

pub fn is_overdue(a: &action_item::Model, today: NaiveDate) -> bool {
    !a.status.is_closed() && a.due_on.is_some_and(|due| due < today)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// Page size, 1–200 (default 50). Ignored for `text/csv`, which has every row.
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<ActionStatus>,
    pub owner_organisation_id: Option<Uuid>,
    /// Only actions linked to this commitment.
    pub commitment_id: Option<Uuid>,
    /// `true`: only actions past their due date and neither done nor cancelled.
    pub overdue: Option<bool>,
    /// Only actions due before this date.
    pub due_before: Option<NaiveDate>,
    /// Words to search for in the title and description (1–200
    /// characters): the matching actions, best match first.
    /// Without letters or digits, no search.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIn {
    /// What happened, 1–5,000 characters.
    #[schema(schema_with = limits::UpdateBody::schema)]
    pub body: String,
    /// A new status for the action, applied with the update.
    pub status: Option<ActionStatus>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UpdateOut {
    pub id: Uuid,
    pub action_id: Uuid,
    pub body: String,
    pub status_from: Option<ActionStatus>,
    pub status_to: Option<ActionStatus>,
    pub author_id: Option<Uuid>,
    /// The author's display name; `null` when they are unknown.
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl UpdateOut {
    pub fn new(u: action_update::Model, author_name: Option<String>) -> Self {
        Self {
            author_name,
            id: u.id,
            action_id: u.action_id,
            body: u.body,
            status_from: u.status_from,
            status_to: u.status_to,
            author_id: u.author_id,
            created_at: u.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_action_patch_clears_only_what_may_be_empty() {
        crate::kernel::patch::assert_null_rule::<super::ActionPatch>();
    }
}
