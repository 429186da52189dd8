//! A forum's members and roles, for its participants, and their running
//! by its officers: the member organisations with filters, the
//! applications awaiting a decision, one membership with the decisions
//! its officers may make, and who holds which role.

pub mod applications;
pub mod decision;
pub mod list;
pub mod roles;

use crate::web::forms::Choice;
use crate::web::i18n::Text;

pub(crate) use crate::web::forms::parsed;

/// A select's options: "any" first, then each value by its label.
pub(crate) fn any_or<'a>(
    text: &Text,
    prefix: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> Vec<Choice> {
    std::iter::once(Choice::new("", text.get("members-filter-any")))
        .chain(
            values
                .into_iter()
                .map(|v| Choice::new(v, text.get(&format!("{prefix}-{v}")))),
        )
        .collect()
}
