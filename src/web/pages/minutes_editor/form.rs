//! The minutes' editor as a form: one heading, text, visibility and reason
//! per section, the sections' fields repeated in order (so each field
//! arrives as a list), and the version the minutes were read at. What the
//! person typed is always shown back; the operation's refusals are put on
//! the fields it names (`sections[2].visibility`).

use entity::Visibility;
use serde::Deserialize;
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::versioning::{IfMatch, tag};
use crate::minutes::sections::SectionIn;
use crate::minutes::{AgendaLine, MinutesIn, MinutesOut};
use crate::web::components::ErrorLink;
use crate::web::i18n::Text;

/// The form as sent.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditorForm {
    pub version: String,
    pub agenda_item_id: Vec<String>,
    pub heading: Vec<String>,
    pub body: Vec<String>,
    pub visibility: Vec<String>,
    pub visibility_reason: Vec<String>,
    /// The button pressed: `save`, `add`, or `remove-N`.
    pub change: String,
}

/// One section as the editor shows it.
#[derive(Default)]
pub struct SectionRow {
    pub agenda_item_id: String,
    /// The agenda item it records, and what that item's visibility is.
    pub item_hint: Option<String>,
    pub heading: String,
    pub body: String,
    pub visibility: String,
    pub visibility_reason: String,
    pub errors: SectionErrors,
}

#[derive(Default)]
pub struct SectionErrors {
    pub heading: Option<String>,
    pub body: Option<String>,
    pub visibility: Option<String>,
    pub visibility_reason: Option<String>,
}

/// The editor's sections and version, with its errors.
pub struct Editor {
    pub version: String,
    pub sections: Vec<SectionRow>,
    pub errors: Vec<ErrorLink>,
}

fn nth(values: &[String], n: usize) -> String {
    values.get(n).cloned().unwrap_or_default()
}

/// The message of an agenda item's section: what it records, and the
/// visibility it may not be more open than.
fn item_hint(text: &Text, agenda: &[AgendaLine], id: &str) -> Option<String> {
    let line = agenda.iter().find(|l| l.id.to_string() == id)?;
    Some(text.with(
        "minutes-edit-item-hint",
        &[
            ("title", line.title.clone()),
            (
                "visibility",
                text.get(&format!("minutes-edit-item-{}", line.visibility.as_str())),
            ),
        ],
    ))
}

pub fn visibility_label(text: &Text, visibility: &str) -> String {
    text.get(&format!("minutes-edit-visibility-{visibility}"))
}

impl Editor {
    /// The editor of the minutes as they stand (one empty public section
    /// before the first draft).
    pub fn of(text: &Text, minutes: Option<&MinutesOut>, agenda: &[AgendaLine]) -> Self {
        let Some(minutes) = minutes else {
            return Self {
                version: String::new(),
                sections: vec![SectionRow {
                    visibility: Visibility::Public.as_str().into(),
                    ..SectionRow::default()
                }],
                errors: Vec::new(),
            };
        };
        let sections = minutes
            .sections
            .iter()
            .map(|s| {
                let item = s
                    .agenda_item_id
                    .map(|id| id.to_string())
                    .unwrap_or_default();
                SectionRow {
                    item_hint: item_hint(text, agenda, &item),
                    agenda_item_id: item,
                    heading: s.heading.clone(),
                    body: s.body.clone(),
                    visibility: s.visibility.as_str().into(),
                    visibility_reason: s.visibility_reason.clone().unwrap_or_default(),
                    errors: SectionErrors::default(),
                }
            })
            .collect();
        Self {
            version: minutes.version.to_string(),
            sections,
            errors: Vec::new(),
        }
    }

    /// The editor as the person sent it, nothing of it lost.
    pub fn typed(text: &Text, form: &EditorForm, agenda: &[AgendaLine]) -> Self {
        let count = form.heading.len().max(form.body.len());
        let sections = (0..count)
            .map(|n| {
                let item = nth(&form.agenda_item_id, n);
                SectionRow {
                    item_hint: item_hint(text, agenda, &item),
                    agenda_item_id: item,
                    heading: nth(&form.heading, n),
                    body: nth(&form.body, n),
                    visibility: nth(&form.visibility, n),
                    visibility_reason: nth(&form.visibility_reason, n),
                    errors: SectionErrors::default(),
                }
            })
            .collect();
        Self {
            version: form.version.trim().to_string(),
            sections,
            errors: Vec::new(),
        }
    }

    /// Adds an empty public section at the end, or removes the one asked
    /// for; `false` when the button pressed was not one of these.
    pub fn change(&mut self, change: &str) -> bool {
        if change == "add" {
            self.sections.push(SectionRow {
                visibility: Visibility::Public.as_str().into(),
                ..SectionRow::default()
            });
            return true;
        }
        match change
            .strip_prefix("remove-")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) if n < self.sections.len() => {
                self.sections.remove(n);
                true
            }
            _ => false,
        }
    }

    /// The precondition of the save: the version read, if any was.
    pub fn if_match(&self) -> Result<IfMatch, ApiError> {
        match self.version.parse::<i32>() {
            Ok(version) => IfMatch::parse(&tag(version)),
            Err(_) => Ok(IfMatch::none()),
        }
    }

    /// The minutes as the operation takes them. A value no page offers (a
    /// visibility or item id not of the form's own) is passed on for the
    /// operation to refuse, or left out.
    pub fn input(&self) -> MinutesIn {
        let sections = self
            .sections
            .iter()
            .map(|s| SectionIn {
                agenda_item_id: s.agenda_item_id.parse::<Uuid>().ok(),
                heading: s.heading.clone(),
                body: s.body.clone(),
                visibility: parse_visibility(&s.visibility),
                visibility_reason: Some(s.visibility_reason.trim().to_string())
                    .filter(|r| !r.is_empty()),
            })
            .collect();
        MinutesIn {
            sections: Some(sections),
            body: None,
        }
    }
}

fn parse_visibility(value: &str) -> Option<Visibility> {
    [
        Visibility::Public,
        Visibility::Participants,
        Visibility::Officers,
    ]
    .into_iter()
    .find(|v| v.as_str() == value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> Editor {
        let form = EditorForm {
            version: "3".into(),
            agenda_item_id: vec![String::new(), String::new()],
            heading: vec!["Welcome".into(), "Contract".into()],
            body: vec!["Hello".into(), "Secret".into()],
            visibility: vec!["public".into(), "officers".into()],
            visibility_reason: vec![String::new(), "Commercial".into()],
            change: "save".into(),
        };
        Editor::typed(&Text::default(), &form, &[])
    }

    #[test]
    fn a_refused_field_is_told_beside_it_and_in_the_summary() {
        let mut editor = typed();
        editor
            .refuse(
                &Text::default(),
                ApiError::invalid(
                    "sections[1].visibility",
                    "cannot be more open than its agenda item (officers)",
                ),
            )
            .expect("the form's error");
        assert_eq!(
            editor.errors[0].href.as_deref(),
            Some("#sections-1-visibility")
        );
        assert!(editor.sections[1].errors.visibility.is_some());
        assert_eq!(editor.sections[1].body, "Secret");
    }

    #[test]
    fn sections_are_added_and_removed_without_losing_the_others() {
        let mut editor = typed();
        assert!(editor.change("add"));
        assert_eq!(editor.sections.len(), 3);
        assert!(editor.change("remove-0"));
        assert_eq!(editor.sections[0].heading, "Contract");
        assert!(!editor.change("save"));
        assert_eq!(editor.input().sections.map(|s| s.len()), Some(2));
    }
}
