use chrono::{DateTime, Utc};
use entity::{
    ActionStatus, CommitmentStatus, Firmness, ForumRole, IssueStatus, MembershipStatus, PlanStatus,
    Theme, commitment, commitment_status_change, forum, forum_membership, organisation,
    regional_plan,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::data::{ORGANISATIONS, plans_2021, town};
use super::{Seeded, SkippedRegion};
use crate::kernel::error::{ApiError, ApiResult};

use super::rows::*;

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
        "Demo Admin".into(),
        hash,
        None,
        true,
        now,
    )
    .await?;
    seeded.users += 1;
    for region in crate::regions::all(conn).await? {
        // A region that already has a forum or a plan is real data: leave it be.
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
        let reason = match (has_forum, has_plan) {
            (false, false) => None,
            (true, false) => Some("it already has a forum"),
            (false, true) => Some("it already has a regional plan"),
            (true, true) => Some("it already has a forum and a regional plan"),
        };
        if let Some(reason) = reason {
            seeded.skipped_regions.push(SkippedRegion {
                code: region.code.clone(),
                reason,
            });
            continue;
        }
        let code = region.code.clone();
        let forum_id = Uuid::now_v7();
        forum::ActiveModel {
            id: Set(forum_id),
            region_id: Set(region.id),
            name: Set(format!("{} Voluntary Sector Forum", region.name)),
            description: Set(format!("Voluntary organisations of {} meeting the RPD's team.", region.name)),
            terms_of_reference: Set("## Purpose\n\nTo bring the voice of the voluntary sector to the region's reducing reoffending work.".into()),
            issue_response_days: Set(28),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(conn)
        .await?;
        seeded.forums += 1;
        let mut officers = Vec::new();
        for (who, forum_role) in [
            ("secretary", ForumRole::Secretary),
            ("chair", ForumRole::Chair),
            ("rpd", ForumRole::RpdStaff),
            ("observer", ForumRole::Observer),
        ] {
            let name = format!("{} {}", capitalise(who), region.name);
            let id = person(conn, email(who, &code), name, hash, None, false, now).await?;
            role(conn, forum_id, id, forum_role, now).await?;
            officers.push(id);
            seeded.users += 1;
        }
        let secretary = officers[0];

        let mut members: Vec<(Uuid, Option<Uuid>)> = Vec::new();
        let mut organisations = Vec::new();
        let mut funded = Vec::new();
        for (i, template) in ORGANISATIONS.iter().enumerate() {
            let org_id = Uuid::now_v7();
            organisation::ActiveModel {
                id: Set(org_id),
                name: Set(template.name.replace("{town}", town(&code))),
                charity_number: Set(None),
                website: Set(None),
                description: Set(template.description.into()),
                size_band: Set(template.size),
                in_supply_chain: Set(template.in_supply_chain),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(conn)
            .await?;
            crate::organisations::replace_children(
                conn,
                org_id,
                Some(template.led_by),
                Some(template.themes),
                Some(&[region.id]),
            )
            .await?;
            let member = person(
                conn,
                email(&format!("member{}", i + 1), &code),
                format!("Member {} {}", i + 1, region.name),
                hash,
                Some(org_id),
                false,
                now,
            )
            .await?;
            let active = i < ORGANISATIONS.len() - 1;
            forum_membership::ActiveModel {
                id: Set(Uuid::now_v7()),
                forum_id: Set(forum_id),
                organisation_id: Set(org_id),
                status: Set(if active {
                    MembershipStatus::Active
                } else {
                    MembershipStatus::Applied
                }),
                statement: Set(template.description.into()),
                status_reason: Set(None),
                applied_by: Set(Some(member)),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(conn)
            .await?;
            if active {
                role(conn, forum_id, member, ForumRole::Member, now).await?;
                members.push((member, Some(org_id)));
                organisations.push(org_id);
                funded.push(super::funding::Funded {
                    id: org_id,
                    size: template.size,
                    in_supply_chain: template.in_supply_chain,
                    led_by: template.led_by,
                });
            }
            seeded.organisations += 1;
            seeded.users += 1;
        }

        let spring = meeting_with_minutes(
            conn,
            forum_id,
            "Spring forum",
            -90,
            &members,
            secretary,
            now,
        )
        .await?;
        meeting_with_minutes(
            conn,
            forum_id,
            "Summer forum",
            -30,
            &members[..2],
            secretary,
            now,
        )
        .await?;
        meeting_with_minutes(conn, forum_id, "Autumn forum", 21, &[], secretary, now).await?;
        seeded.meetings += 3;

        let plan = plans.plans.iter().find(|p| p.region == code);
        let plan_id = Uuid::now_v7();
        regional_plan::ActiveModel {
            id: Set(plan_id),
            region_id: Set(region.id),
            title: Set(plan.map_or_else(
                || format!("{} Regional Reducing Reoffending Plan 2021-22", region.name),
                |p| p.title.clone(),
            )),
            period: Set("2021-22".into()),
            published_on: Set(plan.and_then(|p| p.published_on)),
            source_url: Set(None),
            status: Set(PlanStatus::Current),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(conn)
        .await?;
        let prefix = code
            .split('-')
            .map(|w| w.chars().next().unwrap_or('X').to_ascii_uppercase())
            .collect::<String>();
        let generic = [
            (
                format!("{prefix}-WOM-1"),
                Theme::Women,
                Firmness::General,
                "Recognise and respond to the specific needs of women on probation.".to_string(),
                None,
            ),
            (
                format!("{prefix}-RACE-1"),
                Theme::RaceEquality,
                Firmness::Mention,
                "Refers to people with protected characteristics.".to_string(),
                None,
            ),
        ];
        let rows: Vec<(String, Theme, Firmness, String, Option<String>)> = match plan {
            Some(p) => p
                .commitments
                .iter()
                .map(|c| {
                    (
                        c.reference.clone(),
                        c.theme,
                        c.firmness,
                        c.text.clone(),
                        c.target.clone(),
                    )
                })
                .collect(),
            None => generic.to_vec(),
        };
        let mut commitments = Vec::new();
        for (reference, theme, firmness, text, target) in rows {
            let status = if commitments.is_empty() {
                CommitmentStatus::InProgress
            } else {
                CommitmentStatus::NotStarted
            };
            let c = commitment::ActiveModel {
                id: Set(Uuid::now_v7()),
                plan_id: Set(plan_id),
                reference: Set(reference),
                theme: Set(theme),
                text: Set(text),
                firmness: Set(firmness),
                target: Set(target),
                due_on: Set(None),
                status: Set(status),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(conn)
            .await?;
            commitment_status_change::ActiveModel {
                id: Set(Uuid::now_v7()),
                commitment_id: Set(c.id),
                from_status: Set(None),
                to_status: Set(status),
                note: Set("as published".into()),
                changed_by: Set(None),
                changed_at: Set(now),
            }
            .insert(conn)
            .await?;
            commitments.push(c);
            seeded.commitments += 1;
        }

        // The first commitment has work behind it (one done, one overdue), the
        // second some, the rest none: the gaps the report should show.
        let first = commitments.first();
        let second = commitments.get(1);
        let owner = |i: usize| organisations.get(i).copied();
        for a in [
            NewAction {
                forum_id,
                title: "Map first-night accommodation options".into(),
                owner: owner(0),
                due_in_days: -40,
                status: ActionStatus::Done,
                commitment: first,
                meeting_id: Some(spring),
            },
            NewAction {
                forum_id,
                title: "Report on people released without an address".into(),
                owner: owner(1),
                due_in_days: -7,
                status: ActionStatus::Open,
                commitment: first,
                meeting_id: Some(spring),
            },
            NewAction {
                forum_id,
                title: "Bring member organisations into the commissioning round".into(),
                owner: owner(2),
                due_in_days: 30,
                status: ActionStatus::InProgress,
                commitment: second,
                meeting_id: None,
            },
            NewAction {
                forum_id,
                title: "Circulate the forum's terms of reference".into(),
                owner: None,
                due_in_days: 14,
                status: ActionStatus::Open,
                commitment: None,
                meeting_id: None,
            },
        ] {
            action(conn, a, now).await?;
            seeded.actions += 1;
        }

        // Issues in every state: one answered in time and closed, one answered
        // late, one overdue with no answer, one just raised.
        let (raiser, raiser_org) = members.first().copied().unwrap_or((secretary, None));
        let rpd = officers[2];
        for (title, ago, answered, status, linked) in [
            (
                "Housing referrals on Friday releases",
                60,
                Some(10),
                IssueStatus::Closed,
                None,
            ),
            (
                "Women's centres left out of the dynamic framework",
                50,
                Some(40),
                IssueStatus::Responded,
                first,
            ),
            (
                "No response to the accommodation data request",
                40,
                None,
                IssueStatus::Acknowledged,
                first,
            ),
            (
                "Volunteers' access to prisons for induction",
                5,
                None,
                IssueStatus::Open,
                second,
            ),
        ] {
            issue(
                conn,
                NewIssue {
                    forum_id,
                    title,
                    raised_days_ago: ago,
                    answered_after_days: answered,
                    status,
                    raised_by: raiser,
                    organisation_id: raiser_org,
                    rpd,
                    commitment: linked,
                },
                now,
            )
            .await?;
            seeded.issues += 1;
        }
        // The 2021 reforms, answered by the forum: late in one region, so
        // that the report tells the two apart.
        super::consultation::reforms_2021(conn, forum_id, &members, secretary, code == "wales")
            .await?;
        seeded.consultations += 1;
        // Where the money went: in the north-west, every grant to the large
        // supply-chain provider.
        super::funding::pipeline(
            conn,
            region.id,
            town(&code),
            &funded,
            &commitments,
            rpd,
            code == "north-west",
            now,
        )
        .await?;
        seeded.opportunities += 3;
    }
    Ok(seeded)
}
