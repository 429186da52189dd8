//! The operation's refusal of the minutes, put on the editor's fields: a
//! section's field named as `sections[2].visibility` gets its message
//! beside it and a line in the error summary that leads to it, each led by
//! the field's label; a refusal of the whole is told in the summary.

use crate::kernel::error::{ApiError, FieldError};
use crate::web::components::{ErrorLink, ErrorSummary};
use crate::web::i18n::Text;

use super::form::Editor;

impl Editor {
    /// Puts the operation's refusal on the fields it names; returns it
    /// when it names none and is not the form's to show.
    pub fn refuse(&mut self, text: &Text, error: ApiError) -> Result<(), ApiError> {
        match error {
            ApiError::Validation(errors) => {
                for error in errors {
                    self.attach(text, error);
                }
                Ok(())
            }
            ApiError::Conflict(detail) => {
                self.errors.push(ErrorLink {
                    text: capitalised(&detail),
                    href: None,
                });
                Ok(())
            }
            other => Err(other),
        }
    }

    fn attach(&mut self, text: &Text, error: FieldError) {
        let place = error
            .field
            .strip_prefix("sections[")
            .and_then(|rest| rest.split_once("]."))
            .and_then(|(n, name)| Some((n.parse::<usize>().ok()?, name.to_string())));
        let Some((n, name)) = place.filter(|(n, _)| *n < self.sections.len()) else {
            self.errors.push(ErrorLink {
                text: text.with("minutes-edit-error-sections", &[("message", error.message)]),
                href: Some(format!("#{}", field_id(0, "heading"))),
            });
            return;
        };
        let label = text.get(&format!("minutes-edit-{}", name.replace('_', "-")));
        let message = format!("{label} {}", error.message);
        let errors = &mut self.sections[n].errors;
        let slot = match name.as_str() {
            "body" => &mut errors.body,
            "visibility" => &mut errors.visibility,
            "visibility_reason" => &mut errors.visibility_reason,
            _ => &mut errors.heading,
        };
        let anchor = match name.as_str() {
            "body" | "visibility" | "visibility_reason" => field_id(n, &name),
            _ => field_id(n, "heading"),
        };
        slot.get_or_insert_with(|| message.clone());
        self.errors.push(ErrorLink {
            text: message,
            href: Some(format!("#{anchor}")),
        });
    }

    pub fn summary(&self) -> ErrorSummary {
        ErrorSummary {
            title_text: Text::default().get("error-summary-title"),
            description_text: None,
            error_list: self.errors.clone(),
        }
    }
}

/// The id of a section's field: `sections-2-visibility`.
pub fn field_id(n: usize, name: &str) -> String {
    format!("sections-{n}-{}", name.replace('_', "-"))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
