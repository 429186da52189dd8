//! A stale save, as the page tells it: who changed the record since the
//! person opened it, when, and the record as they left it — shown beside
//! the person's own text, which is kept, so that they can merge and save.

use crate::kernel::audit::EntityKind;
use crate::kernel::state::AppState;
use crate::meetings::AgendaItemOut;
use crate::web::error::PageResult;
use crate::web::i18n::Text;

pub struct Changed {
    /// "Changed by Sam Okafor at Tuesday 9 March 2027, 10am since you
    /// opened it"
    pub summary: String,
    pub version: i32,
    /// The item as they left it, field by field: label and value.
    pub theirs: Vec<(String, String)>,
}

/// Who last changed the item, and when (from the forum's audit trail,
/// which the item's officers read), with the item as it is now.
pub async fn changed_since(state: &AppState, theirs: &AgendaItemOut) -> PageResult<Changed> {
    let text = Text::default();
    let summary =
        crate::web::conflict::changed_by(state, EntityKind::AgendaItem, theirs.id).await?;
    let field = |id: &str, value: String| (text.get(id), value);
    Ok(Changed {
        summary,
        version: theirs.version,
        theirs: vec![
            field("meeting-item-title", theirs.title.clone()),
            field("meeting-item-description", theirs.description.clone()),
            field(
                "meeting-item-presenter",
                theirs.presenter.clone().unwrap_or_default(),
            ),
            field(
                "meeting-item-minutes",
                theirs
                    .minutes_allotted
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
            ),
            field(
                "meeting-item-visibility",
                text.get(&format!(
                    "meeting-visibility-{}",
                    theirs.visibility.as_str()
                )),
            ),
            field(
                "meeting-item-reason",
                theirs.visibility_reason.clone().unwrap_or_default(),
            ),
        ],
    })
}
