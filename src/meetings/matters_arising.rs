//! Matters arising: the section every agenda opens with. The server
//! assembles it from the forum's record — actions still open from earlier
//! meetings, issues the RPD's team has answered since the last meeting
//! held, and items the last meeting carried over — and keeps each entry
//! once (a refresh adds only what is new, and never brings back an entry
//! an officer dropped).

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    ActionStatus, IssueStatus, MeetingStatus, Visibility, action_item, action_update, agenda_item,
    matter_arising, meeting, raised_issue,
};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, IntoIden, OnConflict, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::agenda::withheld_title;
use super::queries::{MeetingLock, lock_meeting};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::names::{Named, People, organisation_name, person_name};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

const ACTION: &str = "action";
const ISSUE: &str = "issue";
const ITEM: &str = "agenda-item";

/// One matter arising, with what it is about as it stands now.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MatterOut {
    pub id: Uuid,
    /// `action`, `issue` or `agenda-item`.
    pub kind: String,
    pub source_id: Uuid,
    pub title: String,
    /// The action's or issue's status now.
    pub status: Option<String>,
    /// An action's owner organisation and person, with their names (the
    /// person's is `null` for a reader who does not take part in the forum).
    pub owner_organisation_id: Option<Uuid>,
    pub owner_organisation_name: Option<String>,
    pub owner_user_id: Option<Uuid>,
    pub owner_user_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// When the action was last updated, and what was logged then.
    pub last_update_at: Option<DateTime<Utc>>,
    pub last_update: Option<String>,
    /// When the RPD's team first answered the issue.
    pub answered_at: Option<DateTime<Utc>>,
    /// Dropped by an officer: why, and when.
    pub dropped_reason: Option<String>,
    pub dropped_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MattersOut {
    pub items: Vec<MatterOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DropMatterIn {
    /// Why it is not taken up; one line, up to 500 characters.
    #[schema(schema_with = limits::CancelReason::schema)]
    pub reason: String,
}

/// Adds to the meeting's matters arising what the forum's record now holds
/// for it; returns how many were new.
pub async fn assemble(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let earlier = Query::select()
        .column(meeting::Column::Id)
        .from(meeting::Entity)
        .and_where(meeting::Column::ForumId.eq(meeting.forum_id))
        .and_where(meeting::Column::StartsAt.lt(meeting.starts_at))
        .to_owned();
    let open_actions: Vec<Uuid> = action_item::Entity::find()
        .select_only()
        .column(action_item::Column::Id)
        .filter(action_item::Column::ForumId.eq(meeting.forum_id))
        .filter(action_item::Column::MeetingId.in_subquery(earlier))
        .filter(action_item::Column::Status.is_in([
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Blocked,
        ]))
        .into_tuple()
        .all(conn)
        .await?;
    let last_held = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(meeting.forum_id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Held))
        .filter(meeting::Column::StartsAt.lt(meeting.starts_at))
        .order_by_desc(meeting::Column::StartsAt)
        .one(conn)
        .await?;
    let mut answered = raised_issue::Entity::find()
        .filter(raised_issue::Column::ForumId.eq(meeting.forum_id))
        .filter(raised_issue::Column::FirstResponseAt.is_not_null());
    if let Some(last) = &last_held {
        answered = answered.filter(raised_issue::Column::FirstResponseAt.gte(last.starts_at));
    }
    let answered: Vec<Uuid> = answered
        .all(conn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let carried: Vec<Uuid> = match &last_held {
        Some(last) => {
            agenda_item::Entity::find()
                .select_only()
                .column(agenda_item::Column::Id)
                .filter(agenda_item::Column::MeetingId.eq(last.id))
                .filter(agenda_item::Column::CarriedOver.eq(true))
                .into_tuple()
                .all(conn)
                .await?
        }
        None => Vec::new(),
    };
    let entries: Vec<matter_arising::ActiveModel> =
        [(ACTION, open_actions), (ISSUE, answered), (ITEM, carried)]
            .into_iter()
            .flat_map(|(kind, ids)| ids.into_iter().map(move |id| (kind, id)))
            .map(|(kind, source_id)| matter_arising::ActiveModel {
                id: Set(Uuid::now_v7()),
                meeting_id: Set(meeting.id),
                kind: Set(kind.to_string()),
                source_id: Set(source_id),
                dropped_reason: Set(None),
                dropped_by: Set(None),
                dropped_at: Set(None),
                created_at: Set(now),
            })
            .collect();
    if entries.is_empty() {
        return Ok(0);
    }
    matter_arising::Entity::insert_many(entries)
        .on_conflict(
            OnConflict::columns([
                matter_arising::Column::MeetingId,
                matter_arising::Column::Kind,
                matter_arising::Column::SourceId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await
}

/// What a matter arising is about, read beside it: the action's, issue's
/// or agenda item's columns (`NULL` for the other kinds, and for a record
/// since deleted).
#[derive(FromQueryResult)]
struct Source {
    action_title: Option<String>,
    action_status: Option<ActionStatus>,
    owner_organisation_id: Option<Uuid>,
    owner_organisation_name: Option<String>,
    owner_user_id: Option<Uuid>,
    owner_user_name: Option<String>,
    due_on: Option<NaiveDate>,
    last_update_at: Option<DateTime<Utc>>,
    last_update: Option<String>,
    issue_title: Option<String>,
    issue_status: Option<IssueStatus>,
    answered_at: Option<DateTime<Utc>>,
    item_title: Option<String>,
    item_visibility: Option<Visibility>,
    item_visibility_reason: Option<String>,
}

/// `matters_arising` joined to the record of this kind its entry names.
fn is_source(kind: &str, table: impl IntoIden + Copy, id: impl IntoIden) -> Condition {
    let entry = |c: matter_arising::Column| Expr::col((matter_arising::Entity, c));
    Condition::all()
        .add(entry(matter_arising::Column::Kind).eq(kind))
        .add(
            Expr::col((table, id))
                .equals((matter_arising::Entity, matter_arising::Column::SourceId)),
        )
}

/// A column of the action's latest update (the last logged), as a scalar
/// subquery on the joined action.
fn latest_update(column: action_update::Column) -> Expr {
    let update = Alias::new("latest_update");
    Expr::from(
        Query::select()
            .expr(Expr::col((update.clone(), column)))
            .from_as(action_update::Entity, update.clone())
            .and_where(
                Expr::col((update.clone(), action_update::Column::ActionId))
                    .equals((action_item::Entity, action_item::Column::Id)),
            )
            .order_by(
                (update.clone(), action_update::Column::CreatedAt),
                Order::Desc,
            )
            .order_by((update, action_update::Column::Id), Order::Desc)
            .limit(1)
            .to_owned(),
    )
}

/// The meeting's matters arising, each with its record as it stands now,
/// as this reader may read them: one statement, each entry joined to the
/// action, issue or agenda item it is about.
pub async fn matters(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
    access: &ForumAccess,
) -> Result<MattersOut, DbErr> {
    let action = |c: action_item::Column| Expr::col((action_item::Entity, c));
    let issue = |c: raised_issue::Column| Expr::col((raised_issue::Entity, c));
    let item = |c: agenda_item::Column| Expr::col((agenda_item::Entity, c));
    let owner = |c: action_item::Column| (action_item::Entity, c);
    let mut select = matter_arising::Entity::find()
        .filter(matter_arising::Column::MeetingId.eq(meeting_id))
        .column_as(action(action_item::Column::Title), "action_title")
        .column_as(action(action_item::Column::Status), "action_status")
        .column_as(
            action(action_item::Column::OwnerOrganisationId),
            "owner_organisation_id",
        )
        .column_as(
            organisation_name(owner(action_item::Column::OwnerOrganisationId)),
            "owner_organisation_name",
        )
        .column_as(action(action_item::Column::OwnerUserId), "owner_user_id")
        .column_as(
            person_name(owner(action_item::Column::OwnerUserId), People::of(access)),
            "owner_user_name",
        )
        .column_as(action(action_item::Column::DueOn), "due_on")
        .column_as(
            latest_update(action_update::Column::CreatedAt),
            "last_update_at",
        )
        .column_as(latest_update(action_update::Column::Body), "last_update")
        .column_as(issue(raised_issue::Column::Title), "issue_title")
        .column_as(issue(raised_issue::Column::Status), "issue_status")
        .column_as(issue(raised_issue::Column::FirstResponseAt), "answered_at")
        .column_as(item(agenda_item::Column::Title), "item_title")
        .column_as(item(agenda_item::Column::Visibility), "item_visibility")
        .column_as(
            item(agenda_item::Column::VisibilityReason),
            "item_visibility_reason",
        )
        .order_by_asc(matter_arising::Column::Kind)
        .order_by_asc(matter_arising::Column::CreatedAt)
        .order_by_asc(matter_arising::Column::Id);
    QueryTrait::query(&mut select)
        .left_join(
            action_item::Entity,
            is_source(ACTION, action_item::Entity, action_item::Column::Id),
        )
        .left_join(
            raised_issue::Entity,
            is_source(ISSUE, raised_issue::Entity, raised_issue::Column::Id),
        )
        .left_join(
            agenda_item::Entity,
            is_source(ITEM, agenda_item::Entity, agenda_item::Column::Id),
        );
    let entries = select
        .into_model::<Named<matter_arising::Model, Source>>()
        .all(conn)
        .await?;
    let items = entries
        .into_iter()
        .map(
            |Named {
                 record: e,
                 names: s,
             }| {
                let mut out = MatterOut {
                    id: e.id,
                    kind: e.kind.clone(),
                    source_id: e.source_id,
                    title: String::new(),
                    status: None,
                    owner_organisation_id: None,
                    owner_organisation_name: None,
                    owner_user_id: None,
                    owner_user_name: None,
                    due_on: None,
                    last_update_at: None,
                    last_update: None,
                    answered_at: None,
                    dropped_reason: e.dropped_reason,
                    dropped_at: e.dropped_at,
                };
                match e.kind.as_str() {
                    ACTION => {
                        if let Some(title) = s.action_title {
                            out.title = title;
                            out.status = s.action_status.map(|status| status.as_str().to_string());
                            out.owner_organisation_id = s.owner_organisation_id;
                            out.owner_organisation_name = s.owner_organisation_name;
                            out.owner_user_id = s.owner_user_id;
                            out.owner_user_name = s.owner_user_name;
                            out.due_on = s.due_on;
                        }
                        out.last_update_at = s.last_update_at;
                        out.last_update = s.last_update;
                    }
                    ISSUE => {
                        if let Some(title) = s.issue_title {
                            out.title = title;
                            out.status = s.issue_status.map(|status| status.as_str().to_string());
                            out.answered_at = s.answered_at;
                        }
                    }
                    _ => {
                        if let (Some(title), Some(visibility)) = (s.item_title, s.item_visibility) {
                            out.title = if access.may_read(visibility) {
                                title
                            } else {
                                withheld_title(s.item_visibility_reason.as_deref())
                            };
                        }
                    }
                }
                out
            },
        )
        .collect();
    Ok(MattersOut { items })
}

/// The meeting's matters arising, dropped ones included (the forum's
/// participants).
pub async fn list_matters(
    state: &AppState,
    caller: &AuthUser,
    meeting_id: Uuid,
) -> ApiResult<MattersOut> {
    let (_, access) =
        access::load_visible::<meeting::Entity>(&state.db, meeting_id, Some(caller)).await?;
    Ok(matters(&state.db, meeting_id, &access).await?)
}

/// Brings the meeting's matters arising up to date (its officers): adds
/// what the forum's record now holds for it, and nothing twice; an entry an
/// officer dropped stays dropped. Only before the meeting is held (409
/// after, or once cancelled).
pub async fn refresh_matters(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<MattersOut> {
    let (_, access) = access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, id, MeetingLock::Exclusive).await?;
    if meeting.status != MeetingStatus::Scheduled {
        return Err(ApiError::Conflict(format!(
            "this meeting is {}; its matters arising are settled",
            meeting.status.as_str()
        )));
    }
    let added = assemble(&txn, &meeting, now).await?;
    if added > 0 {
        AuditEvent::by(
            caller.id(),
            "matters-arising.refreshed",
            EntityKind::Meeting,
            id,
        )
        .forum(meeting.forum_id)
        .changes(json!({ "added": added }))
        .record(&txn, now)
        .await?;
    }
    let out = matters(&txn, id, &access).await?;
    txn.commit().await?;
    Ok(out)
}

/// Drops a matter arising, with the reason (the forum's officers): it
/// stays on the list, marked dropped, and a refresh does not bring it back.
/// Dropping it again is 409. Returns the meeting's matters arising now.
pub async fn drop_matter(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: DropMatterIn,
) -> ApiResult<MattersOut> {
    let entry = matter_arising::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("matter arising"))?;
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, entry.meeting_id, Some(caller))
            .await
            .map_err(|err| match err {
                ApiError::NotFound(_) => ApiError::not_found("matter arising"),
                other => other,
            })?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    v.rule::<limits::CancelReason>(&input.reason, "reason");
    v.finish()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let dropped = matter_arising::Entity::update_many()
        .col_expr(
            matter_arising::Column::DroppedReason,
            Expr::val(input.reason.trim()),
        )
        .col_expr(matter_arising::Column::DroppedBy, Expr::val(caller.id()))
        .col_expr(matter_arising::Column::DroppedAt, Expr::val(now))
        .filter(matter_arising::Column::Id.eq(id))
        .filter(matter_arising::Column::DroppedAt.is_null())
        .exec(&txn)
        .await?;
    if dropped.rows_affected == 0 {
        return Err(ApiError::Conflict("this matter was dropped already".into()));
    }
    AuditEvent::by(
        caller.id(),
        "matter-arising.dropped",
        EntityKind::Meeting,
        meeting.id,
    )
    .forum(meeting.forum_id)
    .changes(json!({ "entry": id, "reason": input.reason.trim() }))
    .record(&txn, now)
    .await?;
    let out = matters(&txn, meeting.id, &access).await?;
    txn.commit().await?;
    Ok(out)
}
