//! `/forums/{id}/minutes/{meeting_id}/revisions`: every version of the
//! minutes (who saved it, when) and a readable difference between any two
//! chosen, line by line. The versions are the operation's, as this reader
//! may read them: a section withheld from them is withheld in both.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};

use super::{minutes_path, not_here, place};
use crate::kernel::state::AppState;
use crate::minutes::{self, RevisionOut, RevisionQuery};
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "minutes_revisions.html")]
pub struct RevisionsPage {
    page: Page,
    forum_name: String,
    meeting_title: String,
    back: String,
    rows: Vec<Row>,
    /// The versions compared, and the versions one may choose.
    from: i32,
    to: i32,
    versions: Vec<(String, String)>,
    lines: Vec<Line>,
}

struct Row {
    version: i32,
    by: String,
    at: String,
}

/// One line of the difference.
pub struct Line {
    /// `added`, `removed` or `same`.
    pub kind: &'static str,
    pub text: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CompareQuery {
    from: String,
    to: String,
}

/// The lines of `new` against `old`: each kept, added or removed.
pub fn difference(old: &str, new: &str) -> Vec<Line> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| Line {
            kind: match change.tag() {
                ChangeTag::Insert => "added",
                ChangeTag::Delete => "removed",
                ChangeTag::Equal => "same",
            },
            text: change.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

impl RevisionsPage {
    fn version_label(&self, version: &i32) -> String {
        Text::default().with(
            "minutes-revisions-version",
            &[("number", version.to_string())],
        )
    }

    fn unchanged(&self) -> bool {
        self.lines.iter().all(|l| l.kind == "same")
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting)): Path<(String, String)>,
    Query(query): Query<CompareQuery>,
) -> PageResult<RevisionsPage> {
    let (forum, meeting) = place(&forum, &meeting)?;
    let back = minutes_path(forum, meeting);
    let caller = visitor.signed_in(&format!("{back}/revisions"))?;
    let current = minutes::get(&state, Some(caller), meeting).await?;
    if current.forum_id != forum {
        return Err(not_here());
    }
    let forum_name = crate::forums::get(&state, Some(caller), forum)
        .await?
        .forum
        .name;
    let mut all: Vec<RevisionOut> = Vec::new();
    let mut cursor = None;
    loop {
        let query = RevisionQuery {
            limit: Some(200),
            cursor,
        };
        let page = minutes::revisions(&state, caller, meeting, query).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let chosen = |value: &str| {
        value
            .parse::<i32>()
            .ok()
            .filter(|v| all.iter().any(|r| r.version == *v))
    };
    let last = all.last().map(|r| r.version).unwrap_or(current.version);
    let to = chosen(&query.to).unwrap_or(last);
    let from = chosen(&query.from).unwrap_or_else(|| {
        all.iter()
            .map(|r| r.version)
            .filter(|v| *v < to)
            .max()
            .unwrap_or(to)
    });
    let body_of = |version: i32| {
        all.iter()
            .find(|r| r.version == version)
            .map(|r| r.body.as_str())
            .unwrap_or_default()
    };
    let lines = difference(body_of(from), body_of(to));
    let text = Text::default();
    Ok(RevisionsPage {
        page: visitor.page(),
        forum_name,
        meeting_title: current.meeting_title,
        from,
        to,
        versions: all
            .iter()
            .map(|r| {
                let label = text.with(
                    "minutes-revisions-version",
                    &[("number", r.version.to_string())],
                );
                (r.version.to_string(), label)
            })
            .collect(),
        rows: all
            .iter()
            .rev()
            .map(|r| Row {
                version: r.version,
                by: r
                    .edited_by_name
                    .clone()
                    .unwrap_or_else(|| text.get("conflict-someone")),
                at: format::date_time(r.edited_at),
            })
            .collect(),
        lines,
        back,
    })
}

#[cfg(test)]
mod tests {
    use super::difference;

    #[test]
    fn a_difference_marks_each_line_added_removed_or_kept() {
        let lines = difference(
            "## Welcome\n\nHello all\n",
            "## Welcome\n\nHello everyone\n",
        );
        let kinds: Vec<_> = lines.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("same", "## Welcome"),
                ("same", ""),
                ("removed", "Hello all"),
                ("added", "Hello everyone"),
            ]
        );
    }
}
