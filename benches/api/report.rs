//! Figures from recorded latencies, printed as tables next to the issue's
//! targets. Targets are reported, never asserted: the run fails only on
//! answers the API must not give (a 5xx, a dropped connection, a wrong status).

use std::time::Duration;

use crate::load::{Recorded, Samples};

/// The big forum's list must keep up with a small forum's.
pub const TARGET_RATIO: f64 = 0.8;
/// p99 of any list page at 64 connections.
pub const TARGET_LIST_P99_MS: f64 = 50.0;

pub struct Figures {
    pub requests: usize,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

pub fn figures(samples: &Samples, elapsed: Duration) -> Figures {
    let mut sorted = samples.micros.clone();
    sorted.sort_unstable();
    let ms = |p: f64| {
        if sorted.is_empty() {
            return 0.0;
        }
        // Nearest rank: the smallest latency with at least p of the requests at or below it.
        let rank = (p * sorted.len() as f64).ceil() as usize;
        f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1e3
    };
    Figures {
        requests: sorted.len(),
        rate: sorted.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: ms(0.50),
        p99_ms: ms(0.99),
        max_ms: ms(1.0),
    }
}

fn answers(samples: &Samples) -> String {
    let mut parts: Vec<String> = samples
        .statuses
        .iter()
        .map(|(status, count)| format!("{status}×{count}"))
        .collect();
    if samples.transport_errors > 0 {
        parts.push(format!("no answer×{}", samples.transport_errors));
    }
    parts.join(" ")
}

pub fn print_table(title: &str, recorded: &Recorded, elapsed: Duration) {
    let total: usize = recorded.values().map(|s| s.micros.len()).sum();
    println!(
        "\n{title}: {total} requests in {:.1} s, {:.0} req/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  {:<38} {:>8} {:>8} {:>8} {:>8} {:>8}  answers",
        "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "max ms"
    );
    for (endpoint, samples) in recorded {
        let f = figures(samples, elapsed);
        let flag = if endpoint.is_list() && f.p99_ms > TARGET_LIST_P99_MS {
            "  (list p99 over target)"
        } else {
            ""
        };
        println!(
            "  {:<38} {:>8} {:>8.1} {:>8.1} {:>8.1} {:>8.1}  {}{flag}",
            endpoint.label(),
            f.requests,
            f.rate,
            f.p50_ms,
            f.p99_ms,
            f.max_ms,
            answers(samples)
        );
    }
}

/// Everything that must not happen, one line each.
pub fn failures(phase: &str, recorded: &Recorded) -> Vec<String> {
    let mut found = Vec::new();
    for (endpoint, samples) in recorded {
        let wrong: u64 = samples
            .statuses
            .iter()
            .filter(|(status, _)| {
                reqwest::StatusCode::from_u16(**status).map_or(true, |s| !endpoint.expects(s))
            })
            .map(|(_, count)| count)
            .sum();
        let server_errors: u64 = samples
            .statuses
            .iter()
            .filter(|(status, _)| **status >= 500)
            .map(|(_, count)| count)
            .sum();
        if wrong + samples.transport_errors > 0 {
            found.push(format!(
                "{phase}, {}: {wrong} unexpected answers ({server_errors} of them 5xx), {} without an answer; first: {}",
                endpoint.label(),
                samples.transport_errors,
                samples.first_unexpected.as_deref().unwrap_or("-")
            ));
        }
    }
    found
}

/// One forum's actions page driven alone.
pub struct ListRun {
    pub forum: &'static str,
    pub actions: u64,
    pub items: usize,
    pub figures: Figures,
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

pub fn print_lists(database: &str, big: &ListRun, small: &ListRun, short: &ListRun) -> f64 {
    println!(
        "\n{database}: the actions page alone, 64 connections (GET /forums/{{id}}/actions?limit=50)"
    );
    for run in [big, small, short] {
        let f = &run.figures;
        println!(
            "  {:<52} {:>7.1} req/s  p50 {:>6.1} ms  p99 {:>6.1} ms   target p99 ≤ {TARGET_LIST_P99_MS} ms: {}",
            format!(
                "{} ({} actions, {} on the page)",
                run.forum, run.actions, run.items
            ),
            f.rate,
            f.p50_ms,
            f.p99_ms,
            verdict(f.p99_ms <= TARGET_LIST_P99_MS)
        );
    }
    let over = |a: &ListRun, b: &ListRun| {
        if b.figures.rate > 0.0 {
            a.figures.rate / b.figures.rate
        } else {
            0.0
        }
    };
    let ratio = over(big, small);
    println!(
        "  big forum's rate / small forum's: {ratio:.2}   target ≥ {TARGET_RATIO}: {}",
        verdict(ratio >= TARGET_RATIO)
    );
    // Pages of the same size: what remains of the gap is the forum's history.
    println!(
        "  the same, pages of the same size ({} items): {:.2}",
        short.items,
        over(short, small)
    );
    ratio
}
