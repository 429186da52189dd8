//! `/forums/{id}/minutes/{meeting_id}`: a meeting's approved minutes as the
//! public reads them (the minutes' own operation: a withheld section shows
//! only its place and reason).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::minutes;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::page::Page;

#[derive(Template, WebTemplate)]
#[template(path = "minutes.html")]
pub struct MinutesPage {
    page: Page,
    forum_href: String,
    title: String,
    when: String,
    sections: Vec<Section>,
}

struct Section {
    heading: String,
    paragraphs: Vec<String>,
    withheld: bool,
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path((forum, meeting)): Path<(String, String)>,
) -> PageResult<MinutesPage> {
    let (forum, meeting) = (id_in_path(&forum)?, id_in_path(&meeting)?);
    let minutes = minutes::get(&state, None, meeting).await?;
    // The minutes of another forum's meeting are not at this forum's address.
    if minutes.forum_id != forum {
        return Err(ApiError::NotFound("no such minutes in this forum".into()).into());
    }
    Ok(MinutesPage {
        page,
        forum_href: format!("/forums/{forum}"),
        title: minutes.meeting_title,
        when: format::date_time(minutes.meeting_starts_at),
        sections: minutes
            .sections
            .into_iter()
            .map(|s| Section {
                heading: s.heading,
                paragraphs: format::paragraphs(&s.body),
                withheld: s.withheld,
            })
            .collect(),
    })
}
