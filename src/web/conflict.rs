//! A stale save, as every edit form tells it. An edit form carries the
//! version it was read at; when the operation refuses the save because the
//! record has changed since (its 412), the page must not overwrite and must
//! not lose what was typed. This finds who made the latest change and when
//! (from the audit trail, which records every change with its actor), and
//! gives the page the error summary ("Changed by NAME at TIME since you
//! opened it"), their saved text to show beside the person's own (which
//! the page keeps in its form), and the version a merged save must carry.
//! `templates/conflict.html` renders the summary and their text.

use uuid::Uuid;

use crate::audit_trail::last_change;
use crate::kernel::audit::EntityKind;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::web::components::{ErrorLink, ErrorSummary};
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::i18n::Text;

/// Where on the page their saved text is, which the summary links to.
pub const THEIRS_ANCHOR: &str = "their-version";

/// One part of the saved text: a heading (may be empty) and its text.
pub struct Part {
    pub heading: String,
    pub text: Vec<String>,
}

impl Part {
    pub fn new(heading: impl Into<String>, text: &str) -> Self {
        Self {
            heading: heading.into(),
            text: format::paragraphs(text),
        }
    }
}

pub struct Conflict {
    /// The error summary's title.
    pub title: String,
    /// "Changed by NAME at TIME since you opened it".
    pub message: String,
    /// The version saved now: the merged save carries it.
    pub version: i32,
    /// Their text as saved, part by part, shown beside the person's own.
    pub theirs: Vec<Part>,
}

/// The version an edit form carries, as the operation's `If-Match`: what
/// the person saw when they opened it.
pub fn if_match(version: &str) -> ApiResult<IfMatch> {
    let version: i32 = version
        .trim()
        .parse()
        .map_err(|_| ApiError::BadRequest("the form has no version".into()))?;
    IfMatch::parse(&tag(version))
}

/// Whether an operation refused a save as made to a version since replaced.
pub fn is_stale(error: &ApiError) -> bool {
    matches!(error, ApiError::PreconditionFailed(_))
}

/// "Changed by NAME at TIME since you opened it": who made the record's
/// latest change, and when, from its audit trail.
pub async fn changed_by(state: &AppState, entity: EntityKind, id: Uuid) -> ApiResult<String> {
    let text = Text::default();
    Ok(match last_change(&state.db, entity, id).await? {
        Some(change) => text.with(
            "conflict-changed",
            &[
                (
                    "name",
                    change.by.unwrap_or_else(|| text.get("conflict-someone")),
                ),
                ("time", format::time_on_date(change.at)),
            ],
        ),
        None => text.get("conflict-changed-unknown"),
    })
}

impl Conflict {
    /// The conflict with the record of this kind and id, now at `version`
    /// with `theirs` as its text.
    pub async fn after(
        state: &AppState,
        entity: EntityKind,
        id: Uuid,
        version: i32,
        theirs: Vec<Part>,
    ) -> PageResult<Self> {
        let text = Text::default();
        let message = changed_by(state, entity, id).await?;
        Ok(Self {
            title: text.get("error-summary-title"),
            message,
            version,
            theirs,
        })
    }

    /// The error summary: the change, linked to their text.
    pub fn summary(&self) -> ErrorSummary {
        ErrorSummary {
            title_text: self.title.clone(),
            description_text: None,
            error_list: vec![ErrorLink {
                text: self.message.clone(),
                href: Some(format!("#{THEIRS_ANCHOR}")),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stale_version_is_a_conflict() {
        assert!(is_stale(&ApiError::PreconditionFailed("stale".into())));
        assert!(!is_stale(&ApiError::Conflict("approved".into())));
    }

    #[test]
    fn the_summary_leads_to_their_text() {
        let conflict = Conflict {
            title: "There is a problem".into(),
            message: "Changed by Sam at 10am on Tuesday 9 March 2027 since you opened it".into(),
            version: 3,
            theirs: vec![Part::new("Welcome", "One.\n\nTwo.")],
        };
        let summary = conflict.summary();
        assert_eq!(
            summary.error_list[0].href.as_deref(),
            Some("#their-version")
        );
        assert_eq!(conflict.theirs[0].text, ["One.", "Two."]);
    }
}
