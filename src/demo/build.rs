//! The whole dataset, region by region: a forum with its officers and
//! member organisations, the region's plans, a year of meetings with their
//! minutes and actions, the issues raised, the 2021 consultation and the
//! funding pipeline.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{ForumRole, MembershipStatus, forum, forum_membership, organisation, regional_plan};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::calendar::{self, london};
use super::data::{ORGANISATIONS, PlanData, plans_2021};
use super::forum::{Forum, Member, Person};
use super::people::{Cast, cast};
use super::rows::{email, person, role};
use super::story::Held;
use super::{Seeded, SkippedRegion};
use crate::kernel::error::{ApiError, ApiResult};

/// The forums began before the 2021 probation reforms, which they answered.
fn founded() -> DateTime<Utc> {
    london(
        NaiveDate::from_ymd_opt(2021, 1, 11).unwrap_or_default(),
        10,
        0,
    )
}

/// The whole dataset, inside the caller's transaction.
pub async fn everything(
    conn: &impl ConnectionTrait,
    hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<Seeded> {
    let plans = plans_2021().map_err(ApiError::internal)?;
    let mut seeded = Seeded::default();
    person(
        conn,
        "admin@demo.convene.example".into(),
        "Ruth Abbott",
        hash,
        None,
        true,
        founded(),
    )
    .await?;
    seeded.users += 1;
    for (index, region) in crate::regions::all(conn).await?.into_iter().enumerate() {
        if let Some(reason) = real_data(conn, &region).await? {
            seeded.skipped_regions.push(SkippedRegion {
                code: region.code.clone(),
                reason,
            });
            continue;
        }
        let plan = plans.plans.iter().find(|p| p.region == region.code);
        region_demo(conn, hash, &region, index, plan, now, &mut seeded).await?;
    }
    Ok(seeded)
}

/// What makes a region real data that the demo leaves be, if anything.
async fn real_data(
    conn: &impl ConnectionTrait,
    region: &entity::region::Model,
) -> ApiResult<Option<&'static str>> {
    let has_forum = forum::Entity::find()
        .filter(forum::Column::RegionId.eq(region.id))
        .one(conn)
        .await?
        .is_some();
    let has_plan = regional_plan::Entity::find()
        .filter(regional_plan::Column::RegionId.eq(region.id))
        .one(conn)
        .await?
        .is_some();
    Ok(match (has_forum, has_plan) {
        (false, false) => None,
        (true, false) => Some("it already has a forum"),
        (false, true) => Some("it already has a regional plan"),
        (true, true) => Some("it already has a forum and a regional plan"),
    })
}

/// The forum's officers: secretary, chair, the RPD's Head of Reducing
/// Reoffending and an observer.
async fn officers(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    cast: &'static Cast,
    hash: &str,
) -> ApiResult<[Person; 4]> {
    let roles = [
        ("secretary", ForumRole::Secretary),
        ("chair", ForumRole::Chair),
        ("rpd", ForumRole::RpdStaff),
        ("observer", ForumRole::Observer),
    ];
    let mut people = Vec::with_capacity(4);
    for ((who, forum_role), name) in roles.into_iter().zip(cast.officers) {
        let id = person(
            conn,
            email(who, cast.code),
            name,
            hash,
            None,
            false,
            founded(),
        )
        .await?;
        role(conn, forum_id, id, forum_role, founded()).await?;
        people.push(Person { id, name });
    }
    people
        .try_into()
        .map_err(|_| ApiError::internal("four officers"))
}

/// The member organisations and their people; the last one applied to join
/// a fortnight ago and waits for the forum's answer.
async fn members(
    conn: &impl ConnectionTrait,
    region: &entity::region::Model,
    forum_id: Uuid,
    cast: &'static Cast,
    hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<Vec<(Member, &'static super::data::OrgTemplate)>> {
    let mut members = Vec::new();
    for (i, template) in ORGANISATIONS.iter().enumerate() {
        let active = i < ORGANISATIONS.len() - 1;
        let joined = if active {
            founded()
        } else {
            now - Duration::days(12)
        };
        let org = Uuid::now_v7();
        organisation::ActiveModel {
            id: Set(org),
            name: Set(cast.organisations[i].into()),
            charity_number: Set(None),
            website: Set(None),
            description: Set(template.description.into()),
            size_band: Set(template.size),
            in_supply_chain: Set(template.in_supply_chain),
            created_at: Set(joined),
            updated_at: Set(joined),
        }
        .insert(conn)
        .await?;
        crate::organisations::replace_children(
            conn,
            org,
            Some(template.led_by),
            Some(template.themes),
            Some(&[region.id]),
        )
        .await?;
        let name = cast.members[i];
        let id = person(
            conn,
            email(&format!("member{}", i + 1), cast.code),
            name,
            hash,
            Some(org),
            false,
            joined,
        )
        .await?;
        forum_membership::ActiveModel {
            id: Set(Uuid::now_v7()),
            forum_id: Set(forum_id),
            organisation_id: Set(org),
            status: Set(if active {
                MembershipStatus::Active
            } else {
                MembershipStatus::Applied
            }),
            statement: Set(template.description.into()),
            status_reason: Set(None),
            applied_by: Set(Some(id)),
            created_at: Set(joined),
            updated_at: Set(joined),
        }
        .insert(conn)
        .await?;
        if active {
            role(conn, forum_id, id, ForumRole::Member, joined).await?;
        }
        members.push((
            Member {
                person: Person { id, name },
                org,
                org_name: cast.organisations[i],
            },
            template,
        ));
    }
    Ok(members)
}

/// One region's demo.
async fn region_demo(
    conn: &impl ConnectionTrait,
    hash: &str,
    region: &entity::region::Model,
    index: usize,
    plan: Option<&PlanData>,
    now: DateTime<Utc>,
    seeded: &mut Seeded,
) -> ApiResult<()> {
    let cast = cast(&region.code);
    let today = crate::consultations::london_today(now);
    let forum_id = Uuid::now_v7();
    let response_days = 28;
    forum::ActiveModel {
        id: Set(forum_id),
        region_id: Set(region.id),
        name: Set(format!("{} Voluntary Sector Forum", region.name)),
        description: Set(format!(
            "Voluntary and community organisations of {} meeting the Regional Probation \
             Director's team each quarter, to bring their voice to the region's Reducing \
             Reoffending Plan and to follow the work behind its commitments.",
            region.name
        )),
        terms_of_reference: Set(format!(
            "Purpose: to bring the voice of the voluntary sector to the region's reducing \
             reoffending work, and to hold the region's plan to account.\n\nMembership: \
             voluntary and community organisations working in {} with people in contact with \
             the justice system, and their families.\n\nMeetings: quarterly, in {} and online. \
             The RPD's team reports on the plan's commitments at each meeting, and answers \
             issues raised by members within {response_days} days.",
            region.name, cast.town
        )),
        issue_response_days: Set(i32::try_from(response_days).unwrap_or(28)),
        created_at: Set(founded()),
        updated_at: Set(founded()),
    }
    .insert(conn)
    .await?;
    seeded.forums += 1;
    let [secretary, chair, rpd, observer] = officers(conn, forum_id, cast, hash).await?;
    let members = members(conn, region, forum_id, cast, hash, now).await?;
    seeded.users += 4 + members.len();
    seeded.organisations += members.len();
    let active: Vec<Member> = members.iter().take(3).map(|(m, _)| *m).collect();
    let three: [Member; 3] = active
        .clone()
        .try_into()
        .map_err(|_| ApiError::internal("three active members"))?;

    let plans = super::plans::plans(conn, region, plan, today).await?;
    seeded.plans += plans.plans;
    seeded.commitments += plans.commitments;
    let f = Forum {
        id: forum_id,
        cast,
        secretary,
        chair,
        rpd,
        observer,
        members: three,
        commitments: &plans.current,
        period: plans.period.clone(),
        published: plans.published,
        carried: plans.carried.join(", "),
        added: plans.added.join(", "),
    };

    let dates = calendar::quarterly(today, index);
    let next = dates.upcoming[0];
    for (k, day) in dates.held.iter().enumerate() {
        let held = Held {
            forum: &f,
            k,
            day: *day,
            previous: k.checked_sub(1).map(|p| dates.held[p]),
            next: dates.held.get(k + 1).copied().unwrap_or(next),
            today,
        };
        let scheduled_at = london(*day - Duration::weeks(6), 11, 0);
        let out = super::meetings::held(conn, &held, scheduled_at).await?;
        seeded.meetings += 1;
        seeded.actions += out.actions;
        if k == calendar::HELD - 1 {
            let ended = london(*day, 12, 30);
            super::poll::next_task_group(conn, &f, out.plan_item, ended).await?;
        }
    }
    seeded.issues += super::issues::raise(conn, &f, response_days, now).await?;
    let last_held = dates.held[calendar::HELD - 1];
    for (n, day) in dates.upcoming.iter().enumerate() {
        let scheduled_at = london(last_held + Duration::days(14), 11, 0);
        super::meetings::upcoming(conn, &f, n, *day, scheduled_at, now).await?;
        seeded.meetings += 1;
    }

    // The 2021 reforms, answered by the forum: late in one region, so
    // that the report tells the two apart.
    let speakers: Vec<(Uuid, Option<Uuid>)> =
        active.iter().map(|m| (m.person.id, Some(m.org))).collect();
    super::consultation::reforms_2021(
        conn,
        forum_id,
        &speakers,
        secretary.id,
        region.code == "wales",
    )
    .await?;
    seeded.consultations += 1;
    // Where the money went: in the north-west, every grant to the large
    // supply-chain provider.
    let funded: Vec<super::funding::Funded> = members
        .iter()
        .take(3)
        .map(|(m, t)| super::funding::Funded {
            id: m.org,
            size: t.size,
            in_supply_chain: t.in_supply_chain,
            led_by: t.led_by,
        })
        .collect();
    super::funding::pipeline(
        conn,
        region.id,
        cast.town,
        &funded,
        &plans.current,
        rpd.id,
        region.code == "north-west",
        today,
    )
    .await?;
    seeded.opportunities += 3;
    Ok(())
}
