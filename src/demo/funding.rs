//! The demo's commissioning pipeline: in each region a grant round and a
//! contract awarded in the last financial year, and a dynamic framework
//! open now, each linked to the plan's commitment of its theme. Most
//! regions gave their grants to small and specialist members; one gave
//! everything to its large supply-chain provider, so the report shows the
//! difference.

use chrono::{Duration, NaiveDate};
use entity::{
    Commissioner, FundingMechanism, LedByAndFor, OpportunityState, SizeBand, Theme, ValueBand,
    award, award_group, commitment, opportunity, opportunity_commitment, opportunity_group,
    opportunity_theme,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::calendar::{FinancialYear, london};
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
    title: String,
    mechanism: FundingMechanism,
    band: ValueBand,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    theme: Theme,
    aimed_at: &'a [LedByAndFor],
    commitment: Option<&'a commitment::Model>,
    awarded: bool,
}

async fn publish(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    town: &str,
    o: New<'_>,
    by: Uuid,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    // Announced a week before it opens.
    let at = london(o.opens_on - Duration::days(7), 10, 0);
    opportunity::ActiveModel {
        id: Set(id),
        region_id: Set(region_id),
        title: Set(o.title.clone()),
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
        created_at: Set(at),
        updated_at: Set(at),
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
) -> ApiResult<()> {
    let id = Uuid::now_v7();
    // Awarded a month before the work starts.
    let at = london(starts_on - Duration::days(30), 15, 0);
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
        created_at: Set(at),
        status: Set(entity::AwardStatus::Awarded),
        withdrawn_reason: Set(None),
        version: Set(1),
        updated_at: Set(at),
    }
    .insert(conn)
    .await?;
    crate::opportunities::keep_revision(conn, &made, None, Some(by), at).await?;
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
    today: NaiveDate,
) -> ApiResult<()> {
    let [small, micro, provider] = match members {
        [a, b, c, ..] => [*a, *b, *c],
        _ => return Ok(()),
    };
    let of = |theme: Theme| commitments.iter().filter(move |c| c.theme == theme);
    let last_year = FinancialYear::of(today).previous();
    let start = last_year.first_day;
    let grants = publish(
        conn,
        region_id,
        town,
        New {
            title: format!(
                "Accommodation and women's services grants {}",
                last_year.period()
            ),
            mechanism: FundingMechanism::Grant,
            band: ValueBand::From10kTo100k,
            opens_on: start + Duration::days(34),
            closes_on: start + Duration::days(78),
            theme: Theme::Accommodation,
            aimed_at: &[LedByAndFor::Women, LedByAndFor::LivedExperience],
            commitment: of(Theme::Accommodation).next(),
            awarded: true,
        },
        rpd,
    )
    .await?;
    let (first, second) = if provider_takes_all {
        (provider, provider)
    } else {
        (small, micro)
    };
    let grants_start = start + Duration::days(122);
    award_to(conn, grants, first, 45_000, grants_start, rpd).await?;
    award_to(conn, grants, second, 18_000, grants_start, rpd).await?;
    let contract = publish(
        conn,
        region_id,
        town,
        New {
            title: "Resettlement support contract".into(),
            mechanism: FundingMechanism::Contract,
            band: ValueBand::From100kTo1m,
            opens_on: start - Duration::days(31),
            closes_on: start + Duration::days(29),
            theme: Theme::Accommodation,
            aimed_at: &[],
            // The second accommodation commitment where the plan has one.
            commitment: of(Theme::Accommodation)
                .nth(1)
                .or_else(|| of(Theme::Accommodation).next()),
            awarded: true,
        },
        rpd,
    )
    .await?;
    award_to(
        conn,
        contract,
        provider,
        420_000,
        start + Duration::days(86),
        rpd,
    )
    .await?;
    publish(
        conn,
        region_id,
        town,
        New {
            title: "Dynamic framework: personal wellbeing services".into(),
            mechanism: FundingMechanism::DynamicFramework,
            band: ValueBand::From10kTo100k,
            opens_on: today - Duration::days(10),
            closes_on: today + Duration::days(20),
            theme: Theme::Women,
            aimed_at: &[LedByAndFor::RaciallyMinoritisedPeople],
            commitment: of(Theme::Women).next(),
            awarded: false,
        },
        rpd,
    )
    .await?;
    Ok(())
}
