//! Loading consultations as the caller may see them, and the checks their
//! writes share.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use entity::{
    ConsultationStatus, MembershipStatus, consultation, consultation_question, forum_membership,
    organisation,
};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Names, People};

crate::versioned!(entity::consultation::Entity, "consultation", status);
crate::versioned!(entity::consultation_contribution::Entity, "contribution");
crate::versioned!(entity::consultation_answer::Entity, "answer");

/// The date in England and Wales: deadlines end with London's day.
pub fn london_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

/// A consultation and the caller's standing in its forum.
pub struct Loaded {
    pub consultation: consultation::Model,
    pub access: ForumAccess,
}

impl Loaded {
    /// Whether the caller takes part in the forum (and so reads everything
    /// of the consultation but what the public record leaves out).
    pub fn participant(&self) -> bool {
        self.access.allows(ForumAction::ReadParticipantRecords)
    }
}

fn no_consultation() -> ApiError {
    ApiError::not_found("consultation")
}

/// A consultation the caller may read: its forum's participants read every
/// one; anyone reads a submitted one (the forum's response is then public).
/// 404 otherwise.
pub async fn load_readable(
    conn: &impl ConnectionTrait,
    id: Uuid,
    caller: Option<&AuthUser>,
) -> ApiResult<Loaded> {
    let consultation = consultation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(no_consultation)?;
    let access = ForumAccess::load(conn, consultation.forum_id, caller).await?;
    let loaded = Loaded {
        consultation,
        access,
    };
    if loaded.participant() || loaded.consultation.status == ConsultationStatus::Submitted {
        Ok(loaded)
    } else {
        Err(no_consultation())
    }
}

/// A consultation for a write: 404 to those outside its forum, 403 to its
/// participants whose role does not allow `action`.
pub async fn load_for(
    conn: &impl ConnectionTrait,
    id: Uuid,
    user: &AuthUser,
    action: ForumAction,
) -> ApiResult<Loaded> {
    let consultation = consultation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(no_consultation)?;
    let access = ForumAccess::load(conn, consultation.forum_id, Some(user)).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, "consultation")?;
    access.require(action)?;
    Ok(Loaded {
        consultation,
        access,
    })
}

/// The consultation as it now is, share-locked for the rest of the
/// transaction: a status move (which updates the row) waits for this write
/// to finish, and this write sees the status that move will find.
pub async fn lock_consultation(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> ApiResult<consultation::Model> {
    consultation::Entity::find_by_id(id)
        .lock(LockType::Share)
        .one(txn)
        .await?
        .ok_or_else(no_consultation)
}

/// A consultation's questions, in order.
pub async fn questions_of(
    conn: &impl ConnectionTrait,
    consultation_id: Uuid,
) -> ApiResult<Vec<consultation_question::Model>> {
    Ok(consultation_question::Entity::find()
        .filter(consultation_question::Column::ConsultationId.eq(consultation_id))
        .order_by_asc(consultation_question::Column::Position)
        .all(conn)
        .await?)
}

/// One question of this consultation (404 otherwise).
pub async fn question_of(
    conn: &impl ConnectionTrait,
    consultation_id: Uuid,
    question_id: Uuid,
) -> ApiResult<consultation_question::Model> {
    consultation_question::Entity::find_by_id(question_id)
        .filter(consultation_question::Column::ConsultationId.eq(consultation_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("question"))
}

/// The caller's organisation, when it is an active member of the forum:
/// the forum speaks for its member organisations only (403 otherwise).
pub async fn speaking_for(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    user: &AuthUser,
) -> ApiResult<organisation::Model> {
    let refused = || {
        ApiError::Forbidden(
            "only people of the forum's active member organisations contribute, for their \
             organisation"
                .into(),
        )
    };
    let organisation_id = user.user.organisation_id.ok_or_else(refused)?;
    forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum_id))
        .filter(forum_membership::Column::OrganisationId.eq(organisation_id))
        .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
        .one(conn)
        .await?
        .ok_or_else(refused)?;
    organisation::Entity::find_by_id(organisation_id)
        .one(conn)
        .await?
        .ok_or_else(refused)
}

/// 409 unless contributions are still taken.
pub fn require_contributions_open(c: &consultation::Model, today: NaiveDate) -> ApiResult<()> {
    contributions_open(c.status, c.internal_deadline, today)
}

/// 409 unless a consultation in this status, with this deadline of the
/// forum's, takes contributions on London's `today`: while it is open, to
/// the end of the deadline's day.
pub fn contributions_open(
    status: ConsultationStatus,
    internal_deadline: NaiveDate,
    today: NaiveDate,
) -> ApiResult<()> {
    if status != ConsultationStatus::Open {
        return Err(ApiError::Conflict(format!(
            "the consultation is {}: contributions are closed",
            status.as_str()
        )));
    }
    if today > internal_deadline {
        return Err(ApiError::Conflict(format!(
            "contributions closed at the end of the forum's deadline, {internal_deadline}"
        )));
    }
    Ok(())
}

/// The name of who registered the consultation, as the caller it was
/// loaded for may read it (one statement for a participant, none for the
/// public).
pub async fn named(conn: &impl ConnectionTrait, loaded: &Loaded) -> ApiResult<Option<String>> {
    let by = loaded.consultation.created_by;
    let people = People::named_if(loaded.participant());
    Ok(Names::load(conn, people, [by], []).await?.person(by))
}

/// The names of these organisations, in one query.
pub async fn organisation_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> ApiResult<HashMap<Uuid, String>> {
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}
