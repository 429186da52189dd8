//! The region's accountability report as charts, each with the same
//! figures as a table: the plan's commitments by theme and status, with and
//! without actions, the RPD team's answers and how long they took, and the
//! money by mechanism and by who received it.

use entity::{CommitmentStatus, Theme};
use sea_orm::Iterable;

use crate::public_record::RegionRecord;
use crate::web::chart::{self, Figure, Input, Style};
use crate::web::format;
use crate::web::i18n::Text;

/// Each status's look, in the order the stacked bars and the legend give them.
const STATUSES: [(CommitmentStatus, Style); 6] = [
    (
        CommitmentStatus::NotStarted,
        Style::hollow(chart::DARK_GREY),
    ),
    (CommitmentStatus::InProgress, Style::filled(chart::BLUE)),
    (
        CommitmentStatus::PartlyAchieved,
        Style::filled(chart::DARK_BLUE),
    ),
    (CommitmentStatus::Achieved, Style::filled(chart::GREEN)),
    (CommitmentStatus::NotAchieved, Style::filled(chart::RED)),
    (CommitmentStatus::Withdrawn, Style::filled(chart::PURPLE)),
];

/// Days to a first answer, grouped: up to and including each bound.
pub(crate) const DAY_BOUNDS: [(i32, &str); 4] = [
    (7, "chart-days-week"),
    (14, "chart-days-fortnight"),
    (28, "chart-days-four-weeks"),
    (i32::MAX, "chart-days-longer"),
];

fn theme_name(text: &Text, theme: Theme) -> String {
    text.get(&format!("theme-{}", theme.as_str()))
}

/// A figure from rows of counts, its table the same counts with a total.
fn counted(
    text: &Text,
    id: &'static str,
    rows: Vec<(String, Vec<u64>)>,
    series: Vec<(String, Style)>,
) -> Figure {
    let inputs: Vec<Input> = rows
        .iter()
        .map(|(label, values)| Input {
            label: label.clone(),
            values: values.clone(),
            total: values.iter().sum::<u64>().to_string(),
        })
        .collect();
    let mut columns: Vec<String> = series.iter().map(|(name, _)| name.clone()).collect();
    if series.len() > 1 {
        columns.push(text.get("chart-total"));
    }
    let table = rows
        .into_iter()
        .map(|(label, values)| {
            let mut cells: Vec<String> = values.iter().map(u64::to_string).collect();
            if series.len() > 1 {
                cells.push(values.iter().sum::<u64>().to_string());
            }
            (label, cells)
        })
        .collect();
    Figure {
        id,
        title: text.get(&format!("{id}-title")),
        description: text.get(&format!("{id}-description")),
        chart: chart::stacked(&inputs, &series, None),
        columns,
        rows: table,
    }
}

/// Every theme's commitments by status.
pub fn status_by_theme(text: &Text, record: &RegionRecord) -> Figure {
    let rows = Theme::iter()
        .map(|theme| {
            let values = STATUSES
                .iter()
                .map(|(status, _)| {
                    record
                        .commitments
                        .iter()
                        .filter(|c| c.theme == theme && c.status == *status)
                        .count() as u64
                })
                .collect();
            (theme_name(text, theme), values)
        })
        .collect();
    let series = STATUSES
        .iter()
        .map(|(status, style)| {
            (
                text.get(&format!("commitment-status-{}", status.as_str())),
                *style,
            )
        })
        .collect();
    counted(text, "chart-status", rows, series)
}

/// Every theme's commitments with an action behind them, and without.
pub fn work_by_theme(text: &Text, record: &RegionRecord) -> Figure {
    let rows = record
        .themes
        .iter()
        .map(|t| {
            let without = t.commitments_without_actions;
            let with = t.commitments.total.saturating_sub(without);
            (theme_name(text, t.theme), vec![with, without])
        })
        .collect();
    let series = vec![
        (text.get("chart-with-actions"), Style::filled(chart::BLUE)),
        (text.get("chart-without-actions"), Style::hollow(chart::RED)),
    ];
    counted(text, "chart-work", rows, series)
}

/// The forum's raised issues by how the RPD's team answered them.
pub fn answers(text: &Text, record: &RegionRecord) -> Figure {
    let r = &record.responsiveness;
    let answered: u64 = record.response_days.iter().map(|(_, n)| n).sum();
    let unanswered = r.issues_raised.saturating_sub(answered);
    let rows = vec![
        (
            text.get("chart-answered-in-time"),
            r.answered_within_due_date,
        ),
        (
            text.get("chart-answered-late"),
            answered.saturating_sub(r.answered_within_due_date),
        ),
        (text.get("chart-unanswered-overdue"), r.open_past_due),
        (
            text.get("chart-unanswered-not-due"),
            unanswered.saturating_sub(r.open_past_due),
        ),
    ];
    let series = vec![(text.get("chart-issues"), Style::filled(chart::BLUE))];
    counted(
        text,
        "chart-answers",
        rows.into_iter().map(|(l, n)| (l, vec![n])).collect(),
        series,
    )
}

/// Answered issues by the days their first answer took.
pub fn response_times(text: &Text, record: &RegionRecord) -> Figure {
    let mut counts = [0u64; DAY_BOUNDS.len()];
    for (days, n) in &record.response_days {
        if let Some(i) = DAY_BOUNDS.iter().position(|(bound, _)| days <= bound) {
            counts[i] += n;
        }
    }
    let rows = DAY_BOUNDS
        .iter()
        .zip(counts)
        .map(|((_, id), n)| (text.get(id), vec![n]))
        .collect();
    let series = vec![(text.get("chart-issues"), Style::filled(chart::DARK_BLUE))];
    counted(text, "chart-days", rows, series)
}

/// The value awarded under each mechanism, with the number of awards.
pub fn funding_by_mechanism(text: &Text, record: &RegionRecord) -> Figure {
    let lines = &record.funding.by_mechanism;
    let inputs: Vec<Input> = lines
        .iter()
        .map(|m| Input {
            label: text.get(&format!("mechanism-{}", m.mechanism.as_str())),
            values: vec![u64::try_from(m.value_pence / 100).unwrap_or(0)],
            total: format!(
                "{} · {}",
                format::pounds(m.value_pence),
                text.count("chart-awards-count", m.awards)
            ),
        })
        .collect();
    let series = vec![(text.get("chart-value"), Style::filled(chart::GREEN))];
    Figure {
        id: "chart-mechanism",
        title: text.get("chart-mechanism-title"),
        description: text.get("chart-mechanism-description"),
        chart: chart::stacked(&inputs, &series, None),
        columns: vec![text.get("chart-awards"), text.get("chart-value")],
        rows: lines
            .iter()
            .zip(&inputs)
            .map(|(m, input)| {
                (
                    input.label.clone(),
                    vec![m.awards.to_string(), format::pounds(m.value_pence)],
                )
            })
            .collect(),
    }
}

/// The shares of the value awarded that reached small and micro
/// organisations, those outside the supply chain, and each led-by-and-for
/// group.
pub fn shares(text: &Text, record: &RegionRecord) -> Figure {
    let f = &record.funding;
    let mut lines = vec![
        (
            text.get("region-small-share"),
            f.small_and_micro_value_pence,
            f.small_and_micro_share,
        ),
        (
            text.get("region-outside-share"),
            f.outside_supply_chain_value_pence,
            f.outside_supply_chain_share,
        ),
    ];
    lines.extend(f.by_group.iter().map(|g| {
        (
            text.get(&format!("chart-led-by-{}", g.group.as_str())),
            g.value_pence,
            g.share,
        )
    }));
    let none = text.get("not-recorded");
    let inputs: Vec<Input> = lines
        .iter()
        .map(|(label, _, share)| Input {
            label: label.clone(),
            values: vec![share.map_or(0, |s| (s * 100.0).round() as u64)],
            total: format::percent(*share).unwrap_or_else(|| none.clone()),
        })
        .collect();
    let series = vec![(text.get("chart-share"), Style::filled(chart::PURPLE))];
    Figure {
        id: "chart-shares",
        title: text.get("chart-shares-title"),
        description: text.get("chart-shares-description"),
        chart: chart::stacked(&inputs, &series, Some(100)),
        columns: vec![text.get("chart-value"), text.get("chart-share")],
        rows: lines
            .iter()
            .zip(&inputs)
            .map(|((label, value, _), input)| {
                (
                    label.clone(),
                    vec![format::pounds(*value), input.total.clone()],
                )
            })
            .collect(),
    }
}
