//! Request and response bodies of webhooks and their delivery log.

use chrono::{DateTime, Utc};
use entity::{DeliveryStatus, webhook, webhook_delivery};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::events::Kind;
use crate::kernel::limits;
use crate::kernel::outbound::Policy;
use crate::kernel::patch::{Apply, set, trimmed};
use crate::kernel::validation::Validator;

/// The kinds of event a webhook can be sent: the forum's own news and
/// reminders (not people's account emails, digests, or news of webhooks).
pub fn subscribable(kind: Kind) -> bool {
    kind.is_chosen() && kind != Kind::WebhookDisabled
}

/// The schema of `events`: at least one of the kinds a webhook can be sent.
fn events_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .description(Some(
            "The kinds of event to send, at least one: those of \
             `GET /me/notification-settings` except `webhook.disabled`.",
        ))
        .items(Kind::names_schema(
            Kind::ALL.into_iter().filter(|k| subscribable(*k)),
        ))
        .min_items(Some(1))
        .build()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// Where to send: an `https` URL whose host is a public address.
    #[schema(format = "uri", max_length = 2000)]
    pub url: String,
    #[schema(schema_with = events_schema)]
    pub events: Vec<String>,
    /// What it is for (0–500 characters, one line).
    #[serde(default)]
    #[schema(schema_with = limits::WebhookDescription::schema)]
    pub description: String,
}

/// Only the fields to change; none can be `null`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    #[serde(default, deserialize_with = "crate::kernel::patch::present")]
    #[schema(format = "uri", max_length = 2000, nullable = false)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "crate::kernel::patch::present")]
    #[schema(schema_with = events_schema)]
    pub events: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::kernel::patch::present")]
    #[schema(schema_with = limits::WebhookDescription::schema)]
    pub description: Option<String>,
    /// `true` switches a webhook back on (its run of failures forgotten);
    /// `false` switches it off.
    #[serde(default, deserialize_with = "crate::kernel::patch::present")]
    #[schema(nullable = false)]
    pub active: Option<bool>,
}

impl Apply for WebhookPatch {
    type ActiveModel = webhook::ActiveModel;

    /// `events` as checked (each kind once), `description` trimmed.
    fn apply(self, to: &mut webhook::ActiveModel) {
        set(&mut to.url, self.url);
        set(&mut to.events, self.events.map(|kinds| json!(kinds)));
        set(&mut to.description, self.description.map(trimmed));
        set(&mut to.active, self.active);
    }
}

/// Checks a URL and a list of kinds; returns the kinds, each once, in order.
pub fn check(
    v: &mut Validator,
    policy: Policy,
    url: Option<&str>,
    events: Option<&[String]>,
    description: Option<&str>,
) -> Vec<String> {
    if let Some(url) = url
        && let Err(why) = policy.check_url(url)
    {
        v.check(false, "url", why);
    }
    if let Some(description) = description {
        v.rule::<limits::WebhookDescription>(description, "description");
    }
    let mut kinds: Vec<String> = Vec::new();
    if let Some(events) = events {
        v.check(
            !events.is_empty(),
            "events",
            "must name at least one kind of event",
        );
        for (i, name) in events.iter().enumerate() {
            match Kind::parse(name).filter(|k| subscribable(*k)) {
                Some(_) if !kinds.contains(name) => kinds.push(name.clone()),
                Some(_) => {}
                None => {
                    v.check(
                        false,
                        &format!("events[{i}]"),
                        "is not a kind of event a webhook can be sent",
                    );
                }
            }
        }
    }
    kinds
}

/// A webhook, as officers see it (never its secret).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    /// Switched off by an officer, or after a run of failed attempts.
    pub active: bool,
    /// Failed attempts in a row; at 15 the webhook is switched off.
    pub failure_streak: i32,
    /// Why it was switched off, when it was by failures.
    pub disabled_reason: Option<String>,
    /// Until when the secret replaced by the last rotation still signs too.
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<webhook::Model> for WebhookOut {
    fn from(w: webhook::Model) -> Self {
        Self {
            id: w.id,
            forum_id: w.forum_id,
            url: w.url,
            description: w.description,
            events: serde_json::from_value(w.events).unwrap_or_default(),
            active: w.active,
            failure_streak: w.failure_streak,
            disabled_reason: w.disabled_reason,
            previous_secret_until: w.previous_secret_until,
            version: w.version,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// A webhook with its signing secret: given once, when it is made or its
/// secret rotated.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: WebhookOut,
    /// `whsec_…`: verify each request's `webhook-signature` with it
    /// (Standard Webhooks). It is not shown again.
    pub secret: String,
}

/// The forum's webhooks.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WebhookDeliveryQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only deliveries in this state.
    pub status: Option<DeliveryStatus>,
}

/// One event sent to a webhook, with its attempts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryOut {
    /// Also its `webhook-id` header, the same on every attempt.
    pub id: Uuid,
    pub event_id: Uuid,
    /// The kind of event.
    pub kind: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// When a queued delivery is next tried.
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's HTTP status at the last attempt, when it answered.
    pub response_status: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<webhook_delivery::Model> for WebhookDeliveryOut {
    fn from(d: webhook_delivery::Model) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            kind: d.kind,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            response_status: d.response_status,
            last_error: d.last_error,
            sent_at: d.sent_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::WebhookPatch>();
    }
}
