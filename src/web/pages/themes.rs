//! `/themes`: the national matrix, regions by themes — how many of each
//! current plan's commitments fall under each theme, and the actions behind
//! them. A cell's shade grows with its count, and the count is printed in
//! it: the colour is never the only signal.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::accountability;
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::page::Page;

#[derive(Template, WebTemplate)]
#[template(path = "themes.html")]
pub struct ThemesPage {
    page: Page,
    themes: Vec<String>,
    rows: Vec<Row>,
}

struct Row {
    href: String,
    region: String,
    cells: Vec<Cell>,
}

struct Cell {
    commitments: u64,
    actions: u64,
    shade: &'static str,
}

/// Light tints of the design system's blue, dark text legible on each
/// (contrast above 4.5:1 with #0b0c0c).
fn shade(commitments: u64) -> &'static str {
    match commitments {
        0 => "transparent",
        1..=2 => "#e8f1f8",
        3..=5 => "#bbd4ea",
        _ => "#8eb8dc",
    }
}

pub async fn show(State(state): State<AppState>, page: Page) -> PageResult<ThemesPage> {
    let matrix = accountability::matrix(&state).await?;
    let themes = matrix
        .themes
        .iter()
        .map(|t| page.text.get(&format!("theme-{}", t.as_str())))
        .collect();
    let rows = matrix
        .regions
        .into_iter()
        .map(|row| Row {
            href: format!("/regions/{}", row.region.code),
            region: row.region.name,
            cells: row
                .cells
                .iter()
                .map(|c| Cell {
                    commitments: c.commitments.total,
                    actions: c.actions,
                    shade: shade(c.commitments.total),
                })
                .collect(),
        })
        .collect();
    Ok(ThemesPage { page, themes, rows })
}
