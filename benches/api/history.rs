//! Years of a busy forum's history, inserted in batches in one transaction:
//! monthly meetings with attendance, a plan of 60 commitments, then thousands
//! of actions (`actions.rs`) and hundreds of raised issues (`issues.rs`).

use chrono::{DateTime, Duration, Utc};
use entity::{
    Attendance, CommitmentStatus, Firmness, ForumRole, MeetingStatus, Theme, commitment, meeting,
    meeting_attendance,
};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    Iterable, QueryFilter, Set,
};
use uuid::Uuid;

use crate::dataset::DemoForum;

/// Rows per INSERT: well under both databases' limits on bound parameters.
const BATCH: usize = 500;
const MEETINGS: i64 = 120;
const COMMITMENTS: usize = 60;

pub struct Made {
    pub actions: Vec<Uuid>,
    pub meetings: Vec<Uuid>,
}

/// What the generated rows refer to.
pub struct Context {
    pub forum: Uuid,
    pub secretary: Option<Uuid>,
    pub rpd: Option<Uuid>,
    /// Member people and their organisations.
    pub members: Vec<(Uuid, Option<Uuid>)>,
    /// Meetings that took place, and when.
    pub held: Vec<(Uuid, DateTime<Utc>)>,
    pub commitments: Vec<Uuid>,
    pub now: DateTime<Utc>,
    pub rng: SmallRng,
}

pub async fn insert_all<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(BATCH).collect();
        A::Entity::insert_many(batch)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

pub async fn add(
    db: &DatabaseConnection,
    forum: &DemoForum,
    actions: usize,
    now: DateTime<Utc>,
) -> Result<Made, DbErr> {
    let txn = convene::kernel::db::begin_write(db).await?;
    let mut cx = Context {
        forum: forum.id,
        secretary: forum.with_role(ForumRole::Secretary).first().copied(),
        rpd: forum.with_role(ForumRole::RpdStaff).first().copied(),
        members: forum
            .members
            .iter()
            .map(|m| (m.id, m.organisation_id))
            .collect(),
        held: Vec::new(),
        commitments: commitments(&txn, forum.plan, now).await?,
        now,
        // A fixed seed: every run builds the same history.
        rng: SmallRng::seed_from_u64(2021),
    };
    let meetings = meetings(&txn, &mut cx).await?;
    let actions = crate::actions::add(&txn, &mut cx, actions).await?;
    crate::issues::add(&txn, &mut cx, actions.len()).await?;
    txn.commit().await?;
    Ok(Made { actions, meetings })
}

/// Monthly for eight years, and the next year and a half scheduled.
async fn meetings(txn: &DatabaseTransaction, cx: &mut Context) -> Result<Vec<Uuid>, DbErr> {
    let (mut ids, mut rows, mut attendance) = (Vec::new(), Vec::new(), Vec::new());
    for month in 0..MEETINGS {
        let starts = cx.now + Duration::days((month - 96) * 30);
        let id = Uuid::now_v7();
        let status = match (starts < cx.now, month % 15 == 7) {
            (_, true) => MeetingStatus::Cancelled,
            (true, false) => MeetingStatus::Held,
            (false, false) => MeetingStatus::Scheduled,
        };
        ids.push(id);
        rows.push(meeting::ActiveModel {
            id: Set(id),
            forum_id: Set(cx.forum),
            title: Set(format!("Forum meeting {}", starts.format("%B %Y"))),
            description: Set("Monthly meeting of the forum with the RPD's team.".into()),
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::hours(2)),
            location: Set(Some("Maidstone Community Hub".into())),
            online_link: Set(Some("https://meet.example.org/kss".into())),
            status: Set(status),
            cancel_reason: Set((status == MeetingStatus::Cancelled).then(|| "Venue closed".into())),
            version: Set(1),
            created_by: Set(cx.secretary),
            created_at: Set(starts - Duration::days(30)),
            updated_at: Set(starts - Duration::days(30)),
            series_id: Set(None),
            occurrence_start: Set(None),
            is_exception: Set(false),
        });
        if status != MeetingStatus::Held {
            continue;
        }
        cx.held.push((id, starts));
        for (user_id, organisation_id) in &cx.members {
            let sent_apologies = cx.rng.random_ratio(1, 6);
            attendance.push(meeting_attendance::ActiveModel {
                meeting_id: Set(id),
                user_id: Set(*user_id),
                attendance: Set(if sent_apologies {
                    Attendance::Apologies
                } else {
                    Attendance::Attended
                }),
                organisation_id: Set(*organisation_id),
                recorded_by: Set(cx.secretary),
                recorded_at: Set(starts),
            });
        }
    }
    insert_all(txn, rows).await?;
    insert_all(txn, attendance).await?;
    Ok(ids)
}

/// The plan's commitments, made up to 60 (a full plan has dozens).
async fn commitments(
    txn: &DatabaseTransaction,
    plan: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = commitment::Entity::find()
        .filter(commitment::Column::PlanId.eq(plan))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let themes: Vec<Theme> = Theme::iter().collect();
    let firmness: Vec<Firmness> = Firmness::iter().collect();
    let mut rows = Vec::new();
    for i in ids.len()..COMMITMENTS {
        let id = Uuid::now_v7();
        ids.push(id);
        rows.push(commitment::ActiveModel {
            id: Set(id),
            plan_id: Set(plan),
            reference: Set(format!("KSS-GEN-{i}")),
            theme: Set(themes[i % themes.len()]),
            text: Set("Work with the voluntary sector on this theme across the region.".into()),
            firmness: Set(firmness[i % firmness.len()]),
            target: Set(None),
            due_on: Set(None),
            status: Set(CommitmentStatus::InProgress),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    insert_all(txn, rows).await?;
    Ok(ids)
}
