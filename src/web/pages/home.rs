//! `/`: the regions, their forums and the forums' next meetings.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use entity::Nation;

use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::public_record::{self, RegionSummary};
use crate::web::format;
use crate::web::page::Page;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    page: Page,
    regions: Vec<RegionRow>,
}

/// A region's row: its name, its nation's message id, its forum and the
/// forum's next meeting, as text.
struct RegionRow {
    href: String,
    name: String,
    nation: &'static str,
    forum: Option<(String, String)>,
    next_meeting: Option<String>,
}

impl From<RegionSummary> for RegionRow {
    fn from(summary: RegionSummary) -> Self {
        let next_meeting = summary
            .forum
            .as_ref()
            .and_then(|f| f.next_meeting.as_ref())
            .map(|m| format!("{} – {}", format::date_time(m.starts_at), m.title));
        Self {
            href: format!("/regions/{}", summary.region.code),
            name: summary.region.name,
            nation: match summary.region.nation {
                Nation::England => "nation-england",
                Nation::Wales => "nation-wales",
            },
            forum: summary.forum.map(|f| (format!("/forums/{}", f.id), f.name)),
            next_meeting,
        }
    }
}

pub async fn show(State(state): State<AppState>, page: Page) -> ApiResult<HomePage> {
    let regions = public_record::regions_at_a_glance(&state).await?;
    Ok(HomePage {
        page,
        regions: regions.into_iter().map(RegionRow::from).collect(),
    })
}
