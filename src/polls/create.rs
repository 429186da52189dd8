//! Putting a poll to the forum.

use entity::poll;
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use super::queries::{
    hold_consultation, insert_options, is_forums_agenda_item, is_forums_consultation,
};
use super::rules::{check_links, check_max_choices, check_texts, check_window, new_options};
use super::types::{PollIn, PollOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Puts a poll to the forum's member organisations (officers). It opens at
/// `opens_at` (now unless later) and closes at `closes_at`. A poll on a
/// consultation's joint response takes the consultation, which must be
/// drafting with no other poll still to close (409).
pub async fn create(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: PollIn,
) -> ApiResult<PollOut> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::RunPolls)?;
    let now = state.clock.now();
    // A poll cannot have been open before it was put.
    let opens_at = input.opens_at.map_or(now, |at| at.max(now));
    let mut v = Validator::default();
    check_texts(&mut v, Some(&input.question), Some(&input.description));
    let labels = new_options(&mut v, input.kind, input.options.as_deref());
    check_max_choices(&mut v, input.kind, input.max_choices, labels.len());
    check_window(&mut v, opens_at, input.closes_at, now);
    check_links(
        &mut v,
        input.kind,
        input.agenda_item_id,
        input.consultation_id,
    );
    if let Some(item) = input.agenda_item_id {
        v.check(
            is_forums_agenda_item(&state.db, forum_id, item).await?,
            "agenda_item_id",
            "is not an agenda item of a meeting of this forum",
        );
    }
    if let Some(consultation) = input.consultation_id {
        v.check(
            is_forums_consultation(&state.db, forum_id, consultation).await?,
            "consultation_id",
            "is not a consultation of this forum",
        );
    }
    v.finish()?;

    let txn = begin_write(&state.db).await?;
    if let Some(consultation) = input.consultation_id {
        hold_consultation(&txn, consultation, None, now).await?;
    }
    let poll = poll::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        question: Set(input.question.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        kind: Set(input.kind),
        max_choices: Set(input.max_choices),
        opens_at: Set(opens_at),
        closes_at: Set(input.closes_at),
        results_before_close: Set(input.results_before_close),
        open_voting: Set(input.open_voting),
        agenda_item_id: Set(input.agenda_item_id),
        consultation_id: Set(input.consultation_id),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let options = insert_options(&txn, poll.id, &labels).await?;
    let name = Some(caller.user.display_name.clone());
    let out = PollOut::new(poll, options, now, name);
    AuditEvent::by(caller.id(), "poll.created", EntityKind::Poll, out.id)
        .forum(forum_id)
        .changes(audit::snapshot(&out)?)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
