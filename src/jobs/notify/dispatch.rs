//! Dispatch: each waiting outbox event becomes one queued message per
//! person concerned (or a line of their digest, and a webhook request per
//! webhook that wants it), in one transaction.

use entity::{
    DeliveryChannel, DeliveryStatus, NotificationMode, delivery, digest_entry, forum, meeting,
    outbox_event,
};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use super::compose::DigestItem;
use super::daily::{self};
use super::recipients;
use super::worker::Worker;
use crate::kernel::db::begin_write;
use crate::kernel::events::Kind;

impl Worker {
    /// Turns waiting events into queued messages, one per recipient, in one
    /// transaction; the unique (event, recipient, channel) makes a second
    /// dispatch of the same event add nothing. Returns the events dispatched.
    pub async fn dispatch(&self) -> Result<usize, DbErr> {
        let txn = begin_write(&self.db).await?;
        let now = self.clock.now();
        let events = outbox_event::Entity::find()
            .filter(outbox_event::Column::DispatchedAt.is_null())
            .order_by_asc(outbox_event::Column::Id)
            .limit(self.settings.batch)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await?;
        let forums = forum_names(&txn, &events).await?;
        for event in &events {
            let forum = event.forum_id.and_then(|id| forums.get(&id));
            let Some(kind) = Kind::parse(&event.kind) else {
                tracing::warn!(kind = %event.kind, "an event of no known kind: nobody is told");
                continue;
            };
            // A meeting's invitation carries it as it was at the event.
            let meeting = if kind.invites() {
                meeting::Entity::find_by_id(event.entity_id)
                    .one(&txn)
                    .await?
                    .map(|m| crate::meetings::events::meeting_as_told(m, &event.payload))
            } else {
                None
            };
            let items = if kind == Kind::Digest {
                digest_items(&txn, event.id).await?
            } else {
                Vec::new()
            };
            let (later, now_people): (Vec<_>, Vec<_>) = recipients::of(&txn, event, kind)
                .await?
                .into_iter()
                .partition(|person| person.mode == NotificationMode::DailyDigest);
            let later: Vec<Uuid> = later.iter().map(|person| person.id).collect();
            daily::gather(&txn, event, &later, now).await?;
            crate::jobs::webhooks::queue(&txn, event, kind, now).await?;
            let mut messages = Vec::new();
            for person in now_people {
                let id = Uuid::now_v7();
                let composed = if kind == Kind::Digest {
                    self.composer.digest(id, event, &person, &items)
                } else {
                    self.composer.email(
                        id,
                        event,
                        kind,
                        &person,
                        meeting.as_ref(),
                        forum.map(String::as_str),
                    )
                };
                match composed {
                    Ok(composed) => messages.push(delivery::ActiveModel {
                        id: Set(id),
                        event_id: Set(event.id),
                        channel: Set(DeliveryChannel::Email),
                        recipient_id: Set(person.id),
                        address: Set(person.email),
                        subject: Set(composed.subject),
                        message: Set(composed.message),
                        status: Set(DeliveryStatus::Queued),
                        attempts: Set(0),
                        next_attempt_at: Set(now),
                        lease_until: Set(None),
                        last_error: Set(None),
                        sent_at: Set(None),
                        created_at: Set(now),
                        updated_at: Set(now),
                    }),
                    Err(why) => {
                        tracing::warn!(event = %event.id, recipient = %person.id, %why, "no message")
                    }
                }
            }
            if !messages.is_empty() {
                delivery::Entity::insert_many(messages)
                    .on_conflict(
                        OnConflict::columns([
                            delivery::Column::EventId,
                            delivery::Column::RecipientId,
                            delivery::Column::Channel,
                        ])
                        .do_nothing()
                        .to_owned(),
                    )
                    .exec_without_returning(&txn)
                    .await?;
            }
        }
        if !events.is_empty() {
            outbox_event::Entity::update_many()
                .col_expr(outbox_event::Column::DispatchedAt, Expr::val(now))
                .filter(outbox_event::Column::Id.is_in(events.iter().map(|e| e.id)))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(events.len())
    }
}

/// What a digest tells: its entries' events, grouped by forum, oldest
/// first within each, with the forums' names (two statements).
async fn digest_items(
    conn: &impl sea_orm::ConnectionTrait,
    digest_id: Uuid,
) -> Result<Vec<DigestItem>, DbErr> {
    let entries = Query::select()
        .column(digest_entry::Column::EventId)
        .from(digest_entry::Entity)
        .and_where(digest_entry::Column::DigestEventId.eq(digest_id))
        .to_owned();
    let events = outbox_event::Entity::find()
        .filter(outbox_event::Column::Id.in_subquery(entries))
        .order_by_asc(outbox_event::Column::ForumId)
        .order_by_asc(outbox_event::Column::Id)
        .all(conn)
        .await?;
    let forums = forum_names(conn, &events).await?;
    Ok(events
        .into_iter()
        .filter_map(|event| {
            let kind = Kind::parse(&event.kind)?;
            let forum = event
                .forum_id
                .and_then(|id| forums.get(&id).cloned())
                .unwrap_or_default();
            Some(DigestItem { forum, kind, event })
        })
        .collect())
}

/// The names of the events' forums, by id (one statement).
async fn forum_names(
    conn: &impl sea_orm::ConnectionTrait,
    events: &[outbox_event::Model],
) -> Result<std::collections::HashMap<Uuid, String>, DbErr> {
    let ids: Vec<Uuid> = events.iter().filter_map(|e| e.forum_id).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(forum::Entity::find()
        .filter(forum::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect())
}
