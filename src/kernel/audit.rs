//! The audit trail: who did what to which record, when, and what changed.
//! Every write calls [`record`] inside its own transaction, so a change and
//! its audit event are committed together or not at all.

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

/// What an audit event is about: one name each, as the trail stores it and
/// `GET /audit?entity=` filters by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Action,
    /// Also read as `agenda_item`, the name some events were stored under once.
    #[serde(alias = "agenda_item")]
    AgendaItem,
    Answer,
    Award,
    /// Also read as `calendar_feed`, the name some events were stored under once.
    #[serde(alias = "calendar_feed")]
    CalendarFeed,
    Commitment,
    Consultation,
    Contribution,
    Delivery,
    Forum,
    /// Also read as `forum_role`, the name some events were stored under once.
    #[serde(alias = "forum_role")]
    ForumRole,
    Issue,
    Meeting,
    MeetingSeries,
    Membership,
    Minutes,
    Opportunity,
    /// Also read as `opportunity_interest`, the name some events were stored under once.
    #[serde(alias = "opportunity_interest")]
    OpportunityInterest,
    Organisation,
    Paper,
    Plan,
    Poll,
    Session,
    Setting,
    User,
    Webhook,
}

impl EntityKind {
    pub const ALL: [EntityKind; 26] = [
        EntityKind::Action,
        EntityKind::AgendaItem,
        EntityKind::Answer,
        EntityKind::Award,
        EntityKind::CalendarFeed,
        EntityKind::Commitment,
        EntityKind::Consultation,
        EntityKind::Contribution,
        EntityKind::Delivery,
        EntityKind::Forum,
        EntityKind::ForumRole,
        EntityKind::Issue,
        EntityKind::Meeting,
        EntityKind::MeetingSeries,
        EntityKind::Membership,
        EntityKind::Minutes,
        EntityKind::Opportunity,
        EntityKind::OpportunityInterest,
        EntityKind::Organisation,
        EntityKind::Paper,
        EntityKind::Plan,
        EntityKind::Poll,
        EntityKind::Session,
        EntityKind::Setting,
        EntityKind::User,
        EntityKind::Webhook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Action => "action",
            EntityKind::AgendaItem => "agenda-item",
            EntityKind::Answer => "answer",
            EntityKind::Award => "award",
            EntityKind::CalendarFeed => "calendar-feed",
            EntityKind::Commitment => "commitment",
            EntityKind::Consultation => "consultation",
            EntityKind::Contribution => "contribution",
            EntityKind::Delivery => "delivery",
            EntityKind::Forum => "forum",
            EntityKind::ForumRole => "forum-role",
            EntityKind::Issue => "issue",
            EntityKind::Meeting => "meeting",
            EntityKind::MeetingSeries => "meeting-series",
            EntityKind::Membership => "membership",
            EntityKind::Minutes => "minutes",
            EntityKind::Opportunity => "opportunity",
            EntityKind::OpportunityInterest => "opportunity-interest",
            EntityKind::Organisation => "organisation",
            EntityKind::Paper => "paper",
            EntityKind::Plan => "plan",
            EntityKind::Poll => "poll",
            EntityKind::Session => "session",
            EntityKind::Setting => "setting",
            EntityKind::User => "user",
            EntityKind::Webhook => "webhook",
        }
    }
}

/// One event to record.
pub struct AuditEvent<'a> {
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub forum_id: Option<Uuid>,
    pub changes: Value,
}

impl<'a> AuditEvent<'a> {
    pub fn new(
        actor_id: Option<Uuid>,
        action: &'a str,
        entity: EntityKind,
        entity_id: Uuid,
    ) -> Self {
        Self {
            actor_id,
            action,
            entity,
            entity_id,
            forum_id: None,
            changes: json!({}),
        }
    }

    /// Something a signed-in person did.
    pub fn by(actor_id: Uuid, action: &'a str, entity: EntityKind, entity_id: Uuid) -> Self {
        Self::new(Some(actor_id), action, entity, entity_id)
    }

    /// Files the event under a forum, so the forum's officers can read it.
    pub fn forum(mut self, forum_id: Uuid) -> Self {
        self.forum_id = Some(forum_id);
        self
    }

    /// The forum, for records that may have none (a region's plan's papers).
    pub fn forum_of(mut self, forum_id: Option<Uuid>) -> Self {
        self.forum_id = forum_id;
        self
    }

    pub fn changes(mut self, changes: Value) -> Self {
        self.changes = changes;
        self
    }
}

impl AuditEvent<'_> {
    /// Writes the event, in the caller's transaction (so it is kept exactly
    /// when the change it tells of is).
    pub async fn record(
        self,
        conn: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        audit_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            actor_id: Set(self.actor_id),
            action: Set(self.action.to_string()),
            entity: Set(self.entity.as_str().to_string()),
            entity_id: Set(self.entity_id),
            forum_id: Set(self.forum_id),
            changes: Set(self.changes),
            created_at: Set(now),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// A record as the audit trail keeps it: its API rendering.
pub fn snapshot<T: serde::Serialize>(record: &T) -> Result<Value, crate::kernel::error::ApiError> {
    serde_json::to_value(record).map_err(crate::kernel::error::ApiError::internal)
}

/// The fields that differ between two JSON renderings of a record, as
/// `{field: {"from": old, "to": new}}`.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let changed: Map<String, Value> = after
        .iter()
        .filter(|(key, value)| before.get(*key) != Some(*value))
        .map(|(key, value)| {
            let old = before.get(key).cloned().unwrap_or(Value::Null);
            (key.clone(), json!({"from": old, "to": value}))
        })
        .collect();
    Value::Object(changed)
}

#[cfg(test)]
mod tests {
    use super::EntityKind;

    #[test]
    fn each_kind_has_one_name_and_reads_back_from_it() {
        for kind in EntityKind::ALL {
            let name = serde_json::to_value(kind).expect("a name");
            assert_eq!(name, kind.as_str());
            assert_eq!(serde_json::from_value::<EntityKind>(name).ok(), Some(kind));
        }
    }
}
