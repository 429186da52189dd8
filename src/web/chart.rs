//! Charts as geometry: horizontal bars, each split into the segments of its
//! series, laid out in a viewBox 320 units wide so that on a phone a unit
//! is about a CSS pixel and the text stays legible. The template draws
//! them as inline SVG; nothing here knows of SVG or of the page's text.
//!
//! Each row is a label above its bar, and the bar's total printed after
//! it, so the figures are read as text and never only from a length or a
//! colour. A segment wide enough for its figure carries it too.

/// The viewBox's width.
pub const WIDTH: f64 = 320.0;
/// Room a character takes, about, in the 14-unit text.
const CHARACTER: f64 = 8.0;
/// Between a bar and its total.
const GAP: f64 = 6.0;
/// A row: its label's line, then its bar.
const ROW: f64 = 46.0;
const LABEL_BASELINE: f64 = 15.0;
const BAR_TOP: f64 = 21.0;
const BAR_HEIGHT: f64 = 18.0;
/// A legend's line, and its square.
const LEGEND_LINE: f64 = 22.0;
const KEY: f64 = 14.0;

/// How a series is drawn: filled in a design system colour (each at least
/// 3:1 against white, and 4.5:1 under the white figures it carries), or
/// hollow (its outline only), which tells it from a filled one without
/// its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub colour: &'static str,
    pub hollow: bool,
}

impl Style {
    pub const fn filled(colour: &'static str) -> Self {
        Self {
            colour,
            hollow: false,
        }
    }

    pub const fn hollow(colour: &'static str) -> Self {
        Self {
            colour,
            hollow: true,
        }
    }

    pub fn fill(&self) -> &'static str {
        if self.hollow { "#ffffff" } else { self.colour }
    }

    /// The colour of a figure drawn on the segment.
    pub fn ink(&self) -> &'static str {
        if self.hollow { BLACK } else { "#ffffff" }
    }
}

/// GOV.UK Frontend's palette, the colours with AA contrast against white.
pub const BLUE: &str = "#1d70b8";
pub const DARK_BLUE: &str = "#003078";
pub const GREEN: &str = "#00703c";
pub const RED: &str = "#d4351c";
pub const PURPLE: &str = "#4c2c92";
pub const DARK_GREY: &str = "#505a5f";
pub const BLACK: &str = "#0b0c0c";

/// One row's figures, one per series, and how its total reads.
#[derive(Debug, Clone)]
pub struct Input {
    pub label: String,
    pub values: Vec<u64>,
    pub total: String,
}

/// A chart laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub height: f64,
    pub rows: Vec<Row>,
    pub legend: Vec<Key>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub label_y: f64,
    pub bar_y: f64,
    pub bar_height: f64,
    pub segments: Vec<Segment>,
    pub total: String,
    pub total_x: f64,
    pub total_y: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub x: f64,
    pub width: f64,
    pub fill: &'static str,
    pub stroke: &'static str,
    /// Its figure, where it fits: the text, where it is centred, its ink.
    pub figure: Option<(String, f64, &'static str)>,
}

/// A series' square and name under the bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub y: f64,
    pub fill: &'static str,
    pub stroke: &'static str,
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Bars split by series, all drawn to the scale of the largest total (or
/// of `scale` where it is larger, e.g. 100 for percentages). A legend
/// follows when there is more than one series.
pub fn stacked(rows: &[Input], series: &[(String, Style)], scale: Option<u64>) -> Chart {
    // The longest bar leaves room for the longest total after it.
    let longest_total = rows
        .iter()
        .map(|r| r.total.chars().count())
        .max()
        .unwrap_or(0);
    let plot = (WIDTH - GAP - CHARACTER * longest_total as f64).max(WIDTH / 2.0);
    let largest = rows
        .iter()
        .map(|r| r.values.iter().sum::<u64>())
        .chain(scale)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let laid: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let top = i as f64 * ROW;
            let mut x = 0.0;
            let mut segments = Vec::new();
            for (value, (_, style)) in input.values.iter().zip(series) {
                if *value == 0 {
                    continue;
                }
                let width = round(*value as f64 / largest * plot);
                let text = value.to_string();
                let fits = width >= CHARACTER * text.len() as f64 + 4.0;
                segments.push(Segment {
                    x: round(x),
                    width,
                    fill: style.fill(),
                    stroke: style.colour,
                    figure: fits.then(|| (text, round(x + width / 2.0), style.ink())),
                });
                x += width;
            }
            Row {
                label: input.label.clone(),
                label_y: top + LABEL_BASELINE,
                bar_y: top + BAR_TOP,
                bar_height: BAR_HEIGHT,
                segments,
                total: input.total.clone(),
                total_x: round(x + GAP),
                total_y: top + BAR_TOP + BAR_HEIGHT - 4.0,
            }
        })
        .collect();
    let bars_height = rows.len() as f64 * ROW;
    let legend: Vec<Key> = if series.len() > 1 {
        series
            .iter()
            .enumerate()
            .map(|(i, (name, style))| Key {
                name: name.clone(),
                y: bars_height + 8.0 + i as f64 * LEGEND_LINE,
                fill: style.fill(),
                stroke: style.colour,
            })
            .collect()
    } else {
        Vec::new()
    };
    Chart {
        height: bars_height + 8.0 + legend.len() as f64 * LEGEND_LINE,
        rows: laid,
        legend,
    }
}

/// The legend's square: its side.
pub const fn key_side() -> f64 {
    KEY
}

/// A chart with what it shows in words and the same figures as a table:
/// `id` names its title and description for `aria-labelledby`.
#[derive(Debug, Clone)]
pub struct Figure {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub chart: Chart,
    /// The table's column headings after the rows' own.
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(label: &str, values: &[u64]) -> Input {
        Input {
            label: label.into(),
            values: values.to_vec(),
            total: values.iter().sum::<u64>().to_string(),
        }
    }

    fn two_series() -> Vec<(String, Style)> {
        vec![
            ("with".into(), Style::filled(BLUE)),
            ("without".into(), Style::hollow(DARK_GREY)),
        ]
    }

    #[test]
    fn the_largest_total_fills_the_plot_and_the_others_are_drawn_to_its_scale() {
        let chart = stacked(
            &[input("a", &[6, 2]), input("b", &[2, 0])],
            &two_series(),
            None,
        );
        // One character's room kept for the totals ("8", "2").
        const PLOT: f64 = WIDTH - GAP - CHARACTER;

        let a = &chart.rows[0].segments;
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].x, 0.0);
        assert_eq!(a[0].width + a[1].width, PLOT);
        assert_eq!(a[1].x, a[0].width, "segments follow one another");
        assert_eq!(chart.rows[1].segments.len(), 1, "a zero draws nothing");
        assert_eq!(chart.rows[1].segments[0].width, round(PLOT / 4.0));
    }

    #[test]
    fn each_total_is_printed_after_its_bar_and_inside_the_view() {
        let mut long = input("a", &[10]);
        long.total = "£12,500 · 3 awards".into();
        let chart = stacked(&[long, input("b", &[0])], &two_series(), None);

        let row = &chart.rows[0];
        let end = row.total_x + CHARACTER * row.total.chars().count() as f64;
        assert!(
            (end - WIDTH).abs() < 0.1,
            "the longest total ends the view: {end}"
        );
        assert_eq!(
            chart.rows[1].total_x, GAP,
            "an empty bar's total at the start"
        );
    }

    #[test]
    fn a_segment_carries_its_figure_only_where_it_fits() {
        let chart = stacked(&[input("a", &[100, 1])], &two_series(), None);

        let segments = &chart.rows[0].segments;
        assert_eq!(
            segments[0].figure,
            Some(("100".into(), round(segments[0].width / 2.0), "#ffffff"))
        );
        assert_eq!(segments[1].figure, None, "too narrow for its figure");
    }

    #[test]
    fn a_hollow_series_is_white_inside_its_coloured_outline_with_dark_figures() {
        let chart = stacked(&[input("a", &[0, 5])], &two_series(), None);

        let segment = &chart.rows[0].segments[0];
        assert_eq!(segment.fill, "#ffffff");
        assert_eq!(segment.stroke, DARK_GREY);
        assert_eq!(segment.figure.as_ref().map(|f| f.2), Some(BLACK));
    }

    #[test]
    fn a_fixed_scale_keeps_small_shares_small() {
        let mut quarter = input("a", &[25]);
        quarter.total = "25%".into();
        let chart = stacked(
            &[quarter],
            &[("share".into(), Style::filled(BLUE))],
            Some(100),
        );

        let plot = WIDTH - GAP - 3.0 * CHARACTER;
        assert_eq!(chart.rows[0].segments[0].width, round(plot / 4.0));
        assert!(chart.legend.is_empty(), "one series needs no legend");
        assert_eq!(chart.height, ROW + 8.0);
    }

    #[test]
    fn rows_and_legend_stack_down_the_view_without_overlapping() {
        let chart = stacked(
            &[
                input("a", &[1, 1]),
                input("b", &[1, 1]),
                input("c", &[0, 0]),
            ],
            &two_series(),
            None,
        );

        for pair in chart.rows.windows(2) {
            // A label's text rises about 12 units above its baseline.
            assert!(pair[0].bar_y + pair[0].bar_height + 4.0 < pair[1].label_y - 12.0);
            assert_eq!(pair[1].label_y - pair[0].label_y, ROW);
        }
        assert_eq!(chart.legend.len(), 2);
        assert!(chart.legend[0].y >= 3.0 * ROW);
        assert_eq!(chart.height, 3.0 * ROW + 8.0 + 2.0 * LEGEND_LINE);
    }

    #[test]
    fn nothing_at_all_is_drawn_as_empty_bars_not_as_a_division_by_zero() {
        let chart = stacked(&[input("a", &[0, 0])], &two_series(), None);

        assert!(chart.rows[0].segments.is_empty());
        assert_eq!(chart.rows[0].total, "0");
    }
}
