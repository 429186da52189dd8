//! Building the report and the matrix from the figures of a [`Source`].

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{Firmness, PlanStatus, Theme, commitment, forum, regional_plan};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder};

use super::source::Source;
use super::types::{
    AccountabilityReport, CommitmentLine, FirmnessCounts, ForumVoice, Funding, MatrixCell,
    MatrixRow, RegionRef, ThemeLine, ThemeMatrix,
};
use crate::issues::Responsiveness;
use crate::kernel::error::ApiResult;
use crate::plans::PlanOut;
use crate::regions;

fn add(counts: &mut FirmnessCounts, firmness: Firmness, n: u64) {
    match firmness {
        Firmness::Specific => counts.specific += n,
        Firmness::General => counts.general += n,
        Firmness::Mention => counts.mention += n,
    }
    counts.total += n;
}

fn region_ref(r: &entity::region::Model) -> RegionRef {
    RegionRef {
        code: r.code.clone(),
        name: r.name.clone(),
        nation: r.nation,
    }
}

/// A region's report as of `today` (404 for an unknown region code).
pub async fn region_report(
    conn: &impl ConnectionTrait,
    code: &str,
    today: NaiveDate,
    source: Source,
) -> ApiResult<AccountabilityReport> {
    let region = regions::find_by_code(conn, code).await?;
    let forum_id = forum::Entity::find()
        .filter(forum::Column::RegionId.eq(region.id))
        .one(conn)
        .await?
        .map(|f| f.id);
    let plan = regional_plan::Entity::find()
        .filter(regional_plan::Column::RegionId.eq(region.id))
        .filter(regional_plan::Column::Status.eq(PlanStatus::Current))
        .one(conn)
        .await?;
    let mut report = AccountabilityReport {
        region: region_ref(&region),
        plan: None,
        forum_id,
        commitments: Vec::new(),
        themes: Vec::new(),
        themes_without_commitments: Vec::new(),
        commitments_without_actions: 0,
        responsiveness: Responsiveness::default(),
        voice: ForumVoice::empty(today),
        funding: Funding::default(),
    };
    let mut theme_actions = HashMap::new();
    if let Some(plan) = plan {
        // The plan's own commitments are the report's rows; the figures
        // about them come from grouped queries.
        let commitments = commitment::Entity::find()
            .filter(commitment::Column::PlanId.eq(plan.id))
            .order_by_asc(commitment::Column::Reference)
            .all(conn)
            .await?;
        let mut counts = source.action_counts(conn, plan.id, today).await?;
        let mut open_issues = source.open_issues(conn, plan.id).await?;
        theme_actions = source.actions_per_theme(conn, Some(plan.id)).await?;
        for c in commitments {
            let actions = counts.remove(&c.id).unwrap_or_default();
            report.commitments.push(CommitmentLine {
                id: c.id,
                reference: c.reference,
                theme: c.theme,
                firmness: c.firmness,
                status: c.status,
                due_on: c.due_on,
                text: c.text,
                actions,
                open_issues: open_issues.remove(&c.id).unwrap_or(0),
            });
        }
        report.plan = Some(PlanOut::new(plan, region.code.clone()));
    }
    report.funding =
        super::funding::region_funding(conn, region.id, report.plan.as_ref().map(|p| p.id)).await?;
    if let Some(forum_id) = forum_id {
        report.responsiveness = source.responsiveness(conn, forum_id, today).await?;
        report.voice = super::voice::forum_voice(conn, forum_id, today).await?;
    }
    let themes = Themes::of(&report.commitments, |theme| {
        theme_actions.get(&(region.id, theme)).copied().unwrap_or(0)
    });
    report.themes = themes.lines;
    report.themes_without_commitments = themes.without_commitments;
    report.commitments_without_actions = themes.commitments_without_actions;
    Ok(report)
}

/// The plan's commitments counted by theme: every theme, those with none,
/// and the commitments with no action behind them.
pub struct Themes {
    pub lines: Vec<ThemeLine>,
    pub without_commitments: Vec<Theme>,
    pub commitments_without_actions: u64,
}

impl Themes {
    /// From the report's lines; `actions`: the distinct actions linked to
    /// a theme's commitments.
    pub fn of(commitments: &[CommitmentLine], actions: impl Fn(Theme) -> u64) -> Self {
        let mut by_theme: HashMap<Theme, (FirmnessCounts, u64)> = HashMap::new();
        let mut commitments_without_actions = 0;
        for c in commitments {
            let entry = by_theme.entry(c.theme).or_default();
            add(&mut entry.0, c.firmness, 1);
            if c.actions.total == 0 {
                entry.1 += 1;
                commitments_without_actions += 1;
            }
        }
        let mut themes = Self {
            lines: Vec::new(),
            without_commitments: Vec::new(),
            commitments_without_actions,
        };
        for theme in Theme::iter() {
            let (commitments, without) = by_theme.remove(&theme).unwrap_or_default();
            if commitments.total == 0 {
                themes.without_commitments.push(theme);
            }
            themes.lines.push(ThemeLine {
                theme,
                commitments,
                commitments_without_actions: without,
                actions: actions(theme),
            });
        }
        themes
    }
}

/// Regions × themes, each region's current plan counted per theme.
pub async fn theme_matrix(conn: &impl ConnectionTrait, source: Source) -> ApiResult<ThemeMatrix> {
    let regions = regions::all(conn).await?;
    let counts = source.commitments_per_theme(conn).await?;
    let actions = source.actions_per_theme(conn, None).await?;
    let mut funding = super::funding::summaries(conn).await?;
    let mut cells: HashMap<(uuid::Uuid, Theme), FirmnessCounts> = HashMap::new();
    let mut plans: HashMap<uuid::Uuid, uuid::Uuid> = HashMap::new();
    for (region, plan, theme, firmness, n) in counts {
        add(cells.entry((region, theme)).or_default(), firmness, n);
        plans.insert(region, plan);
    }
    let themes: Vec<Theme> = Theme::iter().collect();
    let rows = regions
        .iter()
        .map(|r| MatrixRow {
            region: region_ref(r),
            plan_id: plans.get(&r.id).copied(),
            cells: themes
                .iter()
                .map(|t| MatrixCell {
                    theme: *t,
                    commitments: cells.get(&(r.id, *t)).cloned().unwrap_or_default(),
                    actions: actions.get(&(r.id, *t)).copied().unwrap_or(0),
                })
                .collect(),
            funding: funding.remove(&r.id).unwrap_or_default(),
        })
        .collect();
    Ok(ThemeMatrix {
        themes,
        regions: rows,
    })
}
