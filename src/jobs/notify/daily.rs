//! The daily job: reminders of what falls due, each person's digest, and
//! meeting series' meetings made a year ahead.
//!
//! It runs once a day at a configured hour on London's clock (GMT or BST,
//! whichever is in force). Everything it records carries a `once_key`
//! (a reminder: kind, item and date; a digest: person and day) that the
//! database keeps unique, so however many nodes run it, or however often
//! it restarts, each reminder and each digest is recorded once.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Europe::London;
use entity::{
    ActionStatus, ConsultationStatus, IssueStatus, MeetingStatus, action_item, consultation,
    digest_entry, meeting, outbox_event, poll, raised_issue,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::db::begin_write;
use crate::kernel::events::{Event, Kind};
use crate::{consultations, polls};

/// How far back an item past its date is still reminded of (the job may
/// not have run every day), and no further: a deployment does not wake
/// every long-forgotten action.
const OVERDUE_LOOKBACK_DAYS: u64 = 7;

/// What a day's run recorded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Daily {
    pub reminders: u64,
    pub digests: u64,
    /// Meeting series whose meetings were made further ahead.
    pub series_extended: usize,
}

/// The London day whose job is due at `now`, once its hour has come.
pub fn due_day(now: DateTime<Utc>, hour: u32) -> Option<NaiveDate> {
    let local = now.with_timezone(&London);
    (local.hour() >= hour).then(|| local.date_naive())
}

/// When a London day begins, as an instant.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    // Midnight exists on every London day (the clocks change at 01:00 UTC).
    London
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn plus(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

fn minus(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

/// Runs the day's job as of `at`: reminders for the London day of `at`,
/// and the digests of everything gathered until `at`.
pub async fn run(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<Daily, DbErr> {
    let today = at.with_timezone(&London).date_naive();
    let txn = begin_write(db).await?;
    let mut reminders = Vec::new();
    reminders.extend(action_reminders(&txn, today).await?);
    reminders.extend(issue_reminders(&txn, today).await?);
    reminders.extend(meeting_reminders(&txn, today).await?);
    reminders.extend(consultation_reminders(&txn, today).await?);
    reminders.extend(poll_reminders(&txn, today).await?);
    let recorded = record_once(&txn, at, reminders).await?;
    txn.commit().await?;
    Ok(Daily {
        reminders: recorded,
        digests: digests(db, at, today).await?,
        series_extended: crate::meetings::series::extend_all(db, at).await?,
    })
}

/// An event with its once-key.
struct Once {
    key: String,
    event: Event,
}

impl Once {
    fn new(event: Event, date: impl std::fmt::Display) -> Self {
        Self {
            key: format!("{}:{}:{date}", event.kind.as_str(), event.entity_id),
            event,
        }
    }
}

/// Records the events not recorded before; returns how many were new.
async fn record_once(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    events: Vec<Once>,
) -> Result<u64, DbErr> {
    if events.is_empty() {
        return Ok(0);
    }
    let rows = events.into_iter().map(|once| outbox_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(once.event.kind.as_str().to_string()),
        forum_id: Set(once.event.forum_id),
        entity: Set(once.event.entity.to_string()),
        entity_id: Set(once.event.entity_id),
        actor_id: Set(None),
        payload: Set(once.event.payload),
        created_at: Set(now),
        dispatched_at: Set(None),
        once_key: Set(Some(once.key)),
    });
    let inserted = outbox_event::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(outbox_event::Column::OnceKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted)
}

/// Actions not done: within a week of their date, on it, or past it.
async fn action_reminders(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<Once>, DbErr> {
    let actions = action_item::Entity::find()
        .filter(
            action_item::Column::DueOn.between(minus(today, OVERDUE_LOOKBACK_DAYS), plus(today, 7)),
        )
        .filter(action_item::Column::Status.is_in([
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Blocked,
        ]))
        .all(conn)
        .await?;
    Ok(actions
        .iter()
        .filter_map(|action| {
            let due = action.due_on?;
            let kind = match due.cmp(&today) {
                std::cmp::Ordering::Greater => Kind::ActionDueSoon,
                std::cmp::Ordering::Equal => Kind::ActionDueToday,
                std::cmp::Ordering::Less => Kind::ActionOverdue,
            };
            let mut event = crate::actions::events::assigned(action, None);
            event.kind = kind;
            event.payload["status"] = json!(action.status);
            Some(Once::new(event, due))
        })
        .collect())
}

/// Issues the RPD's team has not yet answered: due within three days
/// (today included), or past due.
async fn issue_reminders(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<Once>, DbErr> {
    let issues = raised_issue::Entity::find()
        .filter(
            raised_issue::Column::ResponseDueOn
                .between(minus(today, OVERDUE_LOOKBACK_DAYS), plus(today, 3)),
        )
        .filter(raised_issue::Column::Status.is_in([IssueStatus::Open, IssueStatus::Acknowledged]))
        .all(conn)
        .await?;
    Ok(issues
        .iter()
        .map(|issue| {
            let kind = if issue.response_due_on >= today {
                Kind::IssueResponseDueSoon
            } else {
                Kind::IssueResponseOverdue
            };
            Once::new(
                crate::issues::events::about(kind, issue, None),
                issue.response_due_on,
            )
        })
        .collect())
}

/// Meetings tomorrow, and meetings in two or three days whose invitees
/// have not answered (answers close when the meeting starts).
async fn meeting_reminders(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<Once>, DbErr> {
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .filter(meeting::Column::StartsAt.gte(day_start(plus(today, 1))))
        .filter(meeting::Column::StartsAt.lt(day_start(plus(today, 4))))
        .all(conn)
        .await?;
    let tomorrow_ends = day_start(plus(today, 2));
    Ok(meetings
        .iter()
        .map(|meeting| {
            let kind = if meeting.starts_at < tomorrow_ends {
                Kind::MeetingTomorrow
            } else {
                Kind::RsvpClosing
            };
            let day = meeting.starts_at.with_timezone(&London).date_naive();
            Once::new(
                crate::meetings::events::meeting(kind, meeting, None, None),
                day,
            )
        })
        .collect())
}

/// Consultations whose contributions close within three days (today
/// included), and those not yet answered that close within a week.
async fn consultation_reminders(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<Once>, DbErr> {
    let contributing = consultation::Entity::find()
        .filter(consultation::Column::Status.eq(ConsultationStatus::Open))
        .filter(consultation::Column::InternalDeadline.between(today, plus(today, 3)))
        .all(conn)
        .await?;
    let closing = consultation::Entity::find()
        .filter(consultation::Column::Status.is_in([
            ConsultationStatus::Open,
            ConsultationStatus::Drafting,
            ConsultationStatus::Agreed,
        ]))
        .filter(consultation::Column::ClosesOn.between(today, plus(today, 7)))
        .all(conn)
        .await?;
    Ok(contributing
        .iter()
        .map(|c| {
            Once::new(
                consultations::events::closing(Kind::ContributionsClosing, c),
                c.internal_deadline,
            )
        })
        .chain(closing.iter().map(|c| {
            Once::new(
                consultations::events::closing(Kind::ConsultationClosing, c),
                c.closes_on,
            )
        }))
        .collect())
}

/// Polls that open today, and polls that close tomorrow (London's days),
/// not cancelled.
async fn poll_reminders(conn: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<Once>, DbErr> {
    let (start, tomorrow, after) = (
        day_start(today),
        day_start(plus(today, 1)),
        day_start(plus(today, 2)),
    );
    let opening = poll::Entity::find()
        .filter(poll::Column::CancelledAt.is_null())
        .filter(poll::Column::OpensAt.gte(start))
        .filter(poll::Column::OpensAt.lt(tomorrow))
        .all(conn)
        .await?;
    let closing = poll::Entity::find()
        .filter(poll::Column::CancelledAt.is_null())
        .filter(poll::Column::ClosesAt.gte(tomorrow))
        .filter(poll::Column::ClosesAt.lt(after))
        .all(conn)
        .await?;
    Ok(opening
        .iter()
        .map(|p| Once::new(polls::events::reminder(Kind::PollOpening, p), today))
        .chain(closing.iter().map(|p| {
            Once::new(
                polls::events::reminder(Kind::PollClosing, p),
                plus(today, 1),
            )
        }))
        .collect())
}

/// People whose digest entries wait, a page at a time.
const DIGEST_PAGE: u64 = 500;

/// Each person with news waiting gets one digest of it, unless they had
/// today's already. Returns the digests recorded.
async fn digests(
    db: &DatabaseConnection,
    at: DateTime<Utc>,
    today: NaiveDate,
) -> Result<u64, DbErr> {
    let mut recorded = 0;
    let mut after: Option<Uuid> = None;
    loop {
        let mut waiting = digest_entry::Entity::find()
            .select_only()
            .column(digest_entry::Column::UserId)
            .distinct()
            .filter(digest_entry::Column::DigestEventId.is_null())
            .filter(digest_entry::Column::CreatedAt.lte(at))
            .order_by_asc(digest_entry::Column::UserId)
            .limit(DIGEST_PAGE);
        if let Some(after) = after {
            waiting = waiting.filter(digest_entry::Column::UserId.gt(after));
        }
        let people: Vec<Uuid> = waiting.into_tuple().all(db).await?;
        for person in &people {
            recorded += u64::from(digest_of(db, *person, at, today).await?);
        }
        match people.last() {
            Some(last) if people.len() as u64 == DIGEST_PAGE => after = Some(*last),
            _ => return Ok(recorded),
        }
    }
}

/// One person's digest, in its own transaction: the database decides,
/// through the day's once-key, that it is recorded once; and through the
/// entries' empty `digest_event_id`, which entries it tells.
async fn digest_of(
    db: &DatabaseConnection,
    person: Uuid,
    at: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, DbErr> {
    let txn = begin_write(db).await?;
    let id = Uuid::now_v7();
    let recorded = outbox_event::Entity::insert(outbox_event::ActiveModel {
        id: Set(id),
        kind: Set(Kind::Digest.as_str().to_string()),
        forum_id: Set(None),
        entity: Set("user".to_string()),
        entity_id: Set(person),
        actor_id: Set(None),
        payload: Set(json!({ "to": person, "day": today })),
        created_at: Set(at),
        dispatched_at: Set(None),
        once_key: Set(Some(format!("{}:{person}:{today}", Kind::Digest.as_str()))),
    })
    .on_conflict(
        OnConflict::column(outbox_event::Column::OnceKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if recorded == 0 {
        // Today's digest is already recorded: what came since waits for tomorrow's.
        return Ok(false);
    }
    let told = digest_entry::Entity::update_many()
        .col_expr(digest_entry::Column::DigestEventId, Expr::val(id))
        .filter(digest_entry::Column::UserId.eq(person))
        .filter(digest_entry::Column::DigestEventId.is_null())
        .filter(digest_entry::Column::CreatedAt.lte(at))
        .exec(&txn)
        .await?
        .rows_affected;
    if told == 0 {
        // Another node told them first: no empty digest.
        txn.rollback().await?;
        return Ok(false);
    }
    txn.commit().await?;
    Ok(true)
}

/// Gathers an event for a person's next digest (once, however often the
/// event is dispatched).
pub async fn gather(
    conn: &impl ConnectionTrait,
    event: &outbox_event::Model,
    people: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if people.is_empty() {
        return Ok(());
    }
    digest_entry::Entity::insert_many(people.iter().map(|person| digest_entry::ActiveModel {
        user_id: Set(*person),
        event_id: Set(event.id),
        created_at: Set(now),
        digest_event_id: Set(None),
    }))
    .on_conflict(
        OnConflict::columns([digest_entry::Column::UserId, digest_entry::Column::EventId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    #[test]
    fn the_job_is_due_at_the_hour_on_london_s_clock_in_winter_and_summer() {
        // 07:00 GMT is 07:00 UTC; 07:00 BST is 06:00 UTC.
        assert_eq!(due_day(at("2026-12-08T06:59:00Z"), 7), None);
        assert_eq!(
            due_day(at("2026-12-08T07:00:00Z"), 7),
            NaiveDate::from_ymd_opt(2026, 12, 8)
        );
        assert_eq!(
            due_day(at("2026-06-09T06:00:00Z"), 7),
            NaiveDate::from_ymd_opt(2026, 6, 9)
        );
        assert_eq!(due_day(at("2026-06-09T05:59:00Z"), 7), None);
    }

    #[test]
    fn the_job_keeps_its_hour_across_the_clock_changes() {
        // The clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October.
        assert_eq!(due_day(at("2026-03-28T06:59:00Z"), 7), None);
        assert!(due_day(at("2026-03-28T07:00:00Z"), 7).is_some());
        assert!(due_day(at("2026-03-29T06:00:00Z"), 7).is_some());
        assert_eq!(due_day(at("2026-03-29T05:59:00Z"), 7), None);
        assert_eq!(due_day(at("2026-10-25T06:59:00Z"), 7), None);
        assert!(due_day(at("2026-10-25T07:00:00Z"), 7).is_some());
    }

    #[test]
    fn a_london_day_begins_at_london_s_midnight() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).expect("a day");
        assert_eq!(day_start(day(9)), at("2026-06-08T23:00:00Z"));
        let winter = NaiveDate::from_ymd_opt(2026, 12, 8).expect("a day");
        assert_eq!(day_start(winter), at("2026-12-08T00:00:00Z"));
        // The day the clocks go forward begins in GMT.
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).expect("a day");
        assert_eq!(day_start(spring), at("2026-03-29T00:00:00Z"));
    }
}
