//! The dataset: the demo's 12 regions, then years of history for one forum.
//!
//! `convene::demo::seed` gives every region a forum, officers, member
//! organisations, a plan and a handful of meetings, actions and issues. The
//! Kent, Surrey and Sussex forum then gets a long history in bulk (see
//! `history.rs`), while every other forum keeps its handful: the benchmark
//! compares the same page of a big forum and of a small one.

use std::time::Instant;

use chrono::{DateTime, Utc};
use convene::AppState;
use entity::{ForumRole, PlanStatus, forum, forum_role, regional_plan, user};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::history;

pub const BIG_REGION: &str = "kent-surrey-sussex";
pub const SMALL_REGION: &str = "wales";

/// What the load needs to know about the data it drives.
pub struct Dataset {
    pub big_forum: Uuid,
    pub big_plan: Uuid,
    pub small_forum: Uuid,
    /// Every action of the big forum, for detail reads and progress notes.
    pub actions: Vec<Uuid>,
    pub meetings: Vec<Uuid>,
    /// The officers who may edit any action of the big forum, and the small forum's secretary.
    pub big_officers: Vec<Uuid>,
    pub small_secretary: Uuid,
    pub counts: Counts,
}

#[derive(Default, Debug)]
pub struct Counts {
    pub forums: u64,
    pub users: u64,
    pub commitments: u64,
    pub big_actions: u64,
    pub small_actions: u64,
    pub all_actions: u64,
    pub action_links: u64,
    pub action_updates: u64,
    pub big_meetings: u64,
    pub big_issues: u64,
    pub seconds: f64,
}

/// A forum of the demo, with its people.
pub struct DemoForum {
    pub id: Uuid,
    pub plan: Uuid,
    pub roles: Vec<forum_role::Model>,
    pub members: Vec<user::Model>,
}

impl DemoForum {
    pub fn with_role(&self, role: ForumRole) -> Vec<Uuid> {
        self.roles
            .iter()
            .filter(|r| r.role == role)
            .map(|r| r.user_id)
            .collect()
    }
}

pub async fn build(
    db: &DatabaseConnection,
    actions: usize,
    now: DateTime<Utc>,
) -> Result<Dataset, Box<dyn std::error::Error>> {
    let started = Instant::now();
    convene::demo::seed(db, now)
        .await
        .map_err(|err| format!("seeding the demo data: {err}"))?;
    let big = demo_forum(db, BIG_REGION).await?;
    let small = demo_forum(db, SMALL_REGION).await?;
    let made = history::add(db, &big, actions, now).await?;
    let counts = Counts {
        forums: forum::Entity::find().count(db).await?,
        users: user::Entity::find().count(db).await?,
        commitments: entity::commitment::Entity::find().count(db).await?,
        big_actions: actions_of(db, big.id).await?,
        small_actions: actions_of(db, small.id).await?,
        all_actions: entity::action_item::Entity::find().count(db).await?,
        action_links: entity::action_commitment::Entity::find().count(db).await?,
        action_updates: entity::action_update::Entity::find().count(db).await?,
        big_meetings: made.meetings.len() as u64,
        big_issues: entity::raised_issue::Entity::find()
            .filter(entity::raised_issue::Column::ForumId.eq(big.id))
            .count(db)
            .await?,
        seconds: started.elapsed().as_secs_f64(),
    };
    let mut big_officers = big.with_role(ForumRole::Secretary);
    big_officers.extend(big.with_role(ForumRole::Chair));
    let small_secretary = small
        .with_role(ForumRole::Secretary)
        .first()
        .copied()
        .ok_or("the small forum has no secretary")?;
    if big_officers.is_empty() {
        return Err("the big forum has no secretary or chair".into());
    }
    Ok(Dataset {
        big_forum: big.id,
        big_plan: big.plan,
        small_forum: small.id,
        actions: made.actions,
        meetings: made.meetings,
        big_officers,
        small_secretary,
        counts,
    })
}

async fn actions_of(db: &DatabaseConnection, forum_id: Uuid) -> Result<u64, DbErr> {
    entity::action_item::Entity::find()
        .filter(entity::action_item::Column::ForumId.eq(forum_id))
        .count(db)
        .await
}

async fn demo_forum(
    db: &DatabaseConnection,
    code: &str,
) -> Result<DemoForum, Box<dyn std::error::Error>> {
    let region = convene::regions::all(db)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .ok_or_else(|| format!("no region {code}"))?;
    let forum = forum::Entity::find()
        .filter(forum::Column::RegionId.eq(region.id))
        .one(db)
        .await?
        .ok_or_else(|| format!("the demo has no forum for {code}"))?;
    let plan = regional_plan::Entity::find()
        .filter(regional_plan::Column::RegionId.eq(region.id))
        .filter(regional_plan::Column::Status.eq(PlanStatus::Current))
        .one(db)
        .await?
        .ok_or_else(|| format!("the demo has no current plan for {code}"))?;
    let roles = forum_role::Entity::find()
        .filter(forum_role::Column::ForumId.eq(forum.id))
        .all(db)
        .await?;
    let member_ids: Vec<Uuid> = roles
        .iter()
        .filter(|r| r.role == ForumRole::Member)
        .map(|r| r.user_id)
        .collect();
    let members = user::Entity::find()
        .filter(user::Column::Id.is_in(member_ids))
        .all(db)
        .await?;
    Ok(DemoForum {
        id: forum.id,
        plan: plan.id,
        roles,
        members,
    })
}

/// One bearer token per simulated client for the big forum (its officers,
/// taken in turn) and one for the small forum (its secretary), each from a
/// session of its own, as after a sign-in.
pub async fn tokens(
    state: &AppState,
    data: &Dataset,
    clients: usize,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let now = state.clock.now();
    let txn = convene::kernel::db::begin_write(&state.db).await?;
    let mut tokens = Vec::with_capacity(clients);
    for n in 0..clients {
        let officer = data.big_officers[n % data.big_officers.len()];
        let (big, _) = convene::auth::sessions::start(&txn, officer, now).await?;
        let (small, _) = convene::auth::sessions::start(&txn, data.small_secretary, now).await?;
        tokens.push((
            state.tokens.issue(officer, big.id, now)?,
            state.tokens.issue(data.small_secretary, small.id, now)?,
        ));
    }
    txn.commit().await?;
    Ok(tokens)
}
