//! A region's plans as the demo tells them: its 2021-22 plan (the
//! commitments summarised from the public record, where there is one),
//! superseded by the plan for the financial year of today, which carries
//! those commitments forward and adds the year's own.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    CommitmentStatus, Firmness, PlanStatus, Theme, commitment, commitment_status_change,
    regional_plan,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::calendar::{FinancialYear, london};
use super::data::PlanData;
use crate::kernel::error::ApiResult;

/// A commitment as the demo writes it.
#[derive(Clone)]
pub struct Promise {
    pub reference: String,
    pub theme: Theme,
    pub firmness: Firmness,
    pub text: String,
    pub target: Option<String>,
}

/// The 2021-22 plan's commitments: the summarised ones, or for a region
/// with none summarised, the two that Clinks found in every plan.
pub fn promises_2021(prefix: &str, plan: Option<&PlanData>) -> Vec<Promise> {
    match plan {
        Some(p) => p
            .commitments
            .iter()
            .map(|c| Promise {
                reference: c.reference.clone(),
                theme: c.theme,
                firmness: c.firmness,
                text: c.text.clone(),
                target: c.target.clone(),
            })
            .collect(),
        None => vec![
            Promise {
                reference: format!("{prefix}-WOM-1"),
                theme: Theme::Women,
                firmness: Firmness::General,
                text: "Recognise and respond to the specific needs of women on probation.".into(),
                target: None,
            },
            Promise {
                reference: format!("{prefix}-RACE-1"),
                theme: Theme::RaceEquality,
                firmness: Firmness::Mention,
                text: "Refers to people with protected characteristics.".into(),
                target: None,
            },
        ],
    }
}

/// What the current year's plan adds, each only where the 2021-22 plan has
/// nothing of its theme (employment and health are new everywhere).
const NEW: [(&str, Theme, Firmness, &str, Option<&str>); 4] = [
    (
        "ACC",
        Theme::Accommodation,
        Firmness::Specific,
        "Everyone leaving prison has somewhere to stay on the first night, with up to 12 weeks \
         of Community Accommodation Service (CAS3) housing for those who need it.",
        Some("90% in settled or CAS3 accommodation on the first night"),
    ),
    (
        "EMP",
        Theme::EmploymentEducation,
        Firmness::Specific,
        "An employment hub in every resettlement prison, and a work coach for everyone on \
         probation who wants one.",
        Some("30% in work six weeks after release"),
    ),
    (
        "VCS",
        Theme::VoluntarySectorEngagement,
        Firmness::General,
        "Report progress on this plan to the voluntary sector forum at each of its quarterly \
         meetings, and agree the next plan's priorities with it.",
        None,
    ),
    (
        "HEA",
        Theme::HealthSubstanceMisuse,
        Firmness::Specific,
        "People released with a drug or alcohol need start treatment within three weeks of \
         release.",
        Some("75% in treatment within three weeks"),
    ),
];

/// The prefix of the plan's references ("KSS"), or the region code's
/// initials ("NE" for north-east) where none was summarised.
pub fn prefix(code: &str, plan: Option<&PlanData>) -> String {
    plan.and_then(|p| p.commitments.first())
        .and_then(|c| c.reference.split('-').next())
        .map_or_else(
            || {
                code.split('-')
                    .filter_map(|w| w.chars().next())
                    .map(|c| c.to_ascii_uppercase())
                    .collect()
            },
            String::from,
        )
}

/// The current year's commitments that the 2021-22 plan did not have.
pub fn promises_new(prefix: &str, carried: &[Promise]) -> Vec<Promise> {
    NEW.iter()
        .filter(|(_, theme, ..)| {
            matches!(
                theme,
                Theme::EmploymentEducation | Theme::HealthSubstanceMisuse
            ) || !carried.iter().any(|p| p.theme == *theme)
        })
        .map(|(code, theme, firmness, text, target)| {
            let taken = carried
                .iter()
                .filter(|p| p.reference.starts_with(&format!("{prefix}-{code}-")))
                .count();
            Promise {
                reference: format!("{prefix}-{code}-{}", taken + 1),
                theme: *theme,
                firmness: *firmness,
                text: (*text).into(),
                target: target.map(String::from),
            }
        })
        .collect()
}

pub struct Plans {
    /// The current plan's commitments, by reference.
    pub current: Vec<commitment::Model>,
    /// Its period, "2026-27", and the day it was published.
    pub period: String,
    pub published: NaiveDate,
    /// The references it carried forward from the 2021-22 plan, and those
    /// it added.
    pub carried: Vec<String>,
    pub added: Vec<String>,
    /// Plans and commitments written, for the count.
    pub plans: usize,
    pub commitments: usize,
}

/// Commitments and their status histories, written together.
#[derive(Default)]
struct Batch {
    commitments: Vec<commitment::Model>,
    history: Vec<commitment_status_change::ActiveModel>,
}

impl Batch {
    #[allow(clippy::too_many_arguments)]
    fn commitment(
        &mut self,
        plan_id: Uuid,
        p: &Promise,
        status: CommitmentStatus,
        due_on: Option<NaiveDate>,
        created_at: DateTime<Utc>,
        changes: &[(
            Option<CommitmentStatus>,
            CommitmentStatus,
            &str,
            DateTime<Utc>,
        )],
    ) -> commitment::Model {
        let c = commitment::Model {
            id: Uuid::now_v7(),
            plan_id,
            reference: p.reference.clone(),
            theme: p.theme,
            text: p.text.clone(),
            firmness: p.firmness,
            target: p.target.clone(),
            due_on,
            status,
            // One version for each status it has had.
            version: i32::try_from(changes.len()).unwrap_or(1),
            created_at,
            updated_at: changes.last().map_or(created_at, |change| change.3),
        };
        for (from, to, note, at) in changes {
            self.history.push(commitment_status_change::ActiveModel {
                id: Set(Uuid::now_v7()),
                commitment_id: Set(c.id),
                from_status: Set(*from),
                to_status: Set(*to),
                note: Set((*note).into()),
                changed_by: Set(None),
                changed_at: Set(*at),
            });
        }
        self.commitments.push(c.clone());
        c
    }

    async fn write(self, conn: &impl ConnectionTrait) -> ApiResult<()> {
        commitment::Entity::insert_many(
            self.commitments
                .into_iter()
                .map(|c| commitment::ActiveModel::from(c).reset_all()),
        )
        .exec_without_returning(conn)
        .await?;
        commitment_status_change::Entity::insert_many(self.history)
            .exec_without_returning(conn)
            .await?;
        Ok(())
    }
}

/// Writes the region's 2021-22 plan, superseded, and the current one.
pub async fn plans(
    conn: &impl ConnectionTrait,
    region: &entity::region::Model,
    plan: Option<&PlanData>,
    today: NaiveDate,
) -> ApiResult<Plans> {
    let prefix = prefix(&region.code, plan);
    let year = FinancialYear::of(today);
    let period = year.period();
    let old = promises_2021(&prefix, plan);
    let published_2021 = plan
        .and_then(|p| p.published_on)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(2021, 8, 31).unwrap_or_default());
    // Plans are published ahead of the year they cover.
    let published = year.first_day - Duration::weeks(3);
    let superseded_at = london(published, 9, 0);
    let past = write_plan(
        conn,
        region,
        plan.map_or_else(
            || format!("{} Regional Reducing Reoffending Plan 2021-22", region.name),
            |p| p.title.clone(),
        ),
        "2021-22".into(),
        published_2021,
        PlanStatus::Superseded,
    )
    .await?;
    let current_id = write_plan(
        conn,
        region,
        format!(
            "{} Regional Reducing Reoffending Plan {period}",
            region.name
        ),
        period.clone(),
        published,
        PlanStatus::Current,
    )
    .await?;
    let mut batch = Batch::default();
    let at_2021 = london(published_2021, 9, 0);
    let superseded = format!("Superseded by the {period} plan, which carries it forward.");
    for p in &old {
        let published = (None, CommitmentStatus::NotStarted, "As published.", at_2021);
        if p.firmness == Firmness::Mention {
            batch.commitment(
                past,
                p,
                CommitmentStatus::NotStarted,
                None,
                at_2021,
                &[published],
            );
        } else {
            let carried = (
                Some(CommitmentStatus::NotStarted),
                CommitmentStatus::InProgress,
                superseded.as_str(),
                superseded_at,
            );
            batch.commitment(
                past,
                p,
                CommitmentStatus::InProgress,
                None,
                at_2021,
                &[published, carried],
            );
        }
    }
    let added = promises_new(&prefix, &old);
    let mut current = Vec::new();
    for (p, carried) in old
        .iter()
        .map(|p| (p, true))
        .chain(added.iter().map(|p| (p, false)))
    {
        let status = match (p.firmness, p.theme) {
            (Firmness::Mention, _) | (_, Theme::HealthSubstanceMisuse) => {
                CommitmentStatus::NotStarted
            }
            _ => CommitmentStatus::InProgress,
        };
        // The year's own specific promises fall due at its end.
        let due = (!carried && p.firmness == Firmness::Specific).then_some(year.last_day);
        let note = if carried {
            "Carried forward from the 2021-22 plan."
        } else {
            "As published."
        };
        current.push(batch.commitment(
            current_id,
            p,
            status,
            due,
            superseded_at,
            &[(None, status, note, superseded_at)],
        ));
    }
    let commitments = batch.commitments.len();
    batch.write(conn).await?;
    current.sort_by(|a, b| a.reference.cmp(&b.reference));
    Ok(Plans {
        current,
        period,
        published,
        carried: old.into_iter().map(|p| p.reference).collect(),
        added: added.into_iter().map(|p| p.reference).collect(),
        plans: 2,
        commitments,
    })
}

async fn write_plan(
    conn: &impl ConnectionTrait,
    region: &entity::region::Model,
    title: String,
    period: String,
    published_on: NaiveDate,
    status: PlanStatus,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    let at = london(published_on, 9, 0);
    regional_plan::ActiveModel {
        id: Set(id),
        region_id: Set(region.id),
        title: Set(title),
        period: Set(period),
        published_on: Set(Some(published_on)),
        source_url: Set(None),
        status: Set(status),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(id)
}
