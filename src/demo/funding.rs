//! The demo's commissioning pipeline: in each region a grant round and a
//! contract awarded in 2021, and a dynamic framework open now. Most regions
//! gave their grants to small and specialist members; one gave everything
//! to its large supply-chain provider, so the report shows the difference.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    Commissioner, FundingMechanism, LedByAndFor, OpportunityState, SizeBand, Theme, ValueBand,
    award, award_group, commitment, opportunity, opportunity_commitment, opportunity_group,
    opportunity_theme,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::error::ApiResult;

/// A demo organisation as it stood when funded.
#[derive(Clone, Copy)]
pub struct Funded<'a> {
    pub id: Uuid,
    pub size: SizeBand,
    pub in_supply_chain: bool,
    pub led_by: &'a [LedByAndFor],
}

struct New<'a> {
    title: &'a str,
    mechanism: FundingMechanism,
    band: ValueBand,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    theme: Theme,
    aimed_at: &'a [LedByAndFor],
    commitment: Option<&'a commitment::Model>,
    awarded: bool,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

async fn publish(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    town: &str,
    o: New<'_>,
    by: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    opportunity::ActiveModel {
        id: Set(id),
        region_id: Set(region_id),
        title: Set(o.title.to_string()),
        description: Set(format!("{} across the region.", o.title)),
        mechanism: Set(o.mechanism),
        commissioner: Set(Commissioner::Probation),
        commissioner_name: Set(None),
        value_band: Set(Some(o.band)),
        amount_pence: Set(None),
        opens_on: Set(o.opens_on),
        closes_on: Set(o.closes_on),
        localities: Set(json!([town])),
        status: Set(if o.awarded {
            OpportunityState::Awarded
        } else {
            OpportunityState::Published
        }),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(by)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    opportunity_theme::ActiveModel {
        opportunity_id: Set(id),
        theme: Set(o.theme),
    }
    .insert(conn)
    .await?;
    for group in o.aimed_at {
        opportunity_group::ActiveModel {
            opportunity_id: Set(id),
            category: Set(*group),
        }
        .insert(conn)
        .await?;
    }
    if let Some(c) = o.commitment {
        opportunity_commitment::ActiveModel {
            opportunity_id: Set(id),
            commitment_id: Set(c.id),
        }
        .insert(conn)
        .await?;
    }
    Ok(id)
}

async fn award_to(
    conn: &impl ConnectionTrait,
    opportunity_id: Uuid,
    to: Funded<'_>,
    pounds: i64,
    starts_on: NaiveDate,
    by: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let id = Uuid::now_v7();
    let made = award::ActiveModel {
        id: Set(id),
        opportunity_id: Set(opportunity_id),
        organisation_id: Set(Some(to.id)),
        recipient_name: Set(None),
        amount_pence: Set(pounds * 100),
        starts_on: Set(Some(starts_on)),
        ends_on: Set(Some(starts_on + Duration::days(364))),
        size_band: Set(Some(to.size)),
        in_supply_chain: Set(Some(to.in_supply_chain)),
        created_by: Set(Some(by)),
        created_at: Set(now),
        status: Set(entity::AwardStatus::Awarded),
        withdrawn_reason: Set(None),
        version: Set(1),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    crate::opportunities::keep_revision(conn, &made, None, Some(by), now).await?;
    if !to.led_by.is_empty() {
        award_group::Entity::insert_many(to.led_by.iter().map(|group| award_group::ActiveModel {
            award_id: Set(id),
            category: Set(*group),
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

/// One region's pipeline. `members`: its active member organisations (a
/// small women's centre, a micro lived-experience network, a large
/// supply-chain provider); `provider_takes_all`: the region whose grants
/// all went to the provider.
#[allow(clippy::too_many_arguments)]
pub async fn pipeline(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    town: &str,
    members: &[Funded<'_>],
    commitments: &[commitment::Model],
    rpd: Uuid,
    provider_takes_all: bool,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let [small, micro, provider] = match members {
        [a, b, c, ..] => [*a, *b, *c],
        _ => return Ok(()),
    };
    let today = now.date_naive();
    let grants = publish(
        conn,
        region_id,
        town,
        New {
            title: "Accommodation and women's services grants 2021",
            mechanism: FundingMechanism::Grant,
            band: ValueBand::From10kTo100k,
            opens_on: day(2021, 5, 4),
            closes_on: day(2021, 6, 18),
            theme: Theme::Accommodation,
            aimed_at: &[LedByAndFor::Women, LedByAndFor::LivedExperience],
            commitment: commitments.first(),
            awarded: true,
        },
        rpd,
        now,
    )
    .await?;
    let (first, second) = if provider_takes_all {
        (provider, provider)
    } else {
        (small, micro)
    };
    award_to(conn, grants, first, 45_000, day(2021, 8, 1), rpd, now).await?;
    award_to(conn, grants, second, 18_000, day(2021, 8, 1), rpd, now).await?;
    let contract = publish(
        conn,
        region_id,
        town,
        New {
            title: "Resettlement support contract",
            mechanism: FundingMechanism::Contract,
            band: ValueBand::From100kTo1m,
            opens_on: day(2021, 3, 1),
            closes_on: day(2021, 4, 30),
            theme: Theme::Accommodation,
            aimed_at: &[],
            commitment: commitments.get(1),
            awarded: true,
        },
        rpd,
        now,
    )
    .await?;
    award_to(
        conn,
        contract,
        provider,
        420_000,
        day(2021, 6, 26),
        rpd,
        now,
    )
    .await?;
    publish(
        conn,
        region_id,
        town,
        New {
            title: "Dynamic framework: personal wellbeing services",
            mechanism: FundingMechanism::DynamicFramework,
            band: ValueBand::From10kTo100k,
            opens_on: today - Duration::days(10),
            closes_on: today + Duration::days(20),
            theme: Theme::Women,
            aimed_at: &[LedByAndFor::RaciallyMinoritisedPeople],
            commitment: None,
            awarded: false,
        },
        rpd,
        now,
    )
    .await?;
    Ok(())
}
