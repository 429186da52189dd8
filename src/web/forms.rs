//! A form as a page shows it: its fields with what the person typed, and
//! the operation's refusal rendered the design system's way — the error
//! summary at the top, each message beside its field. The messages are the
//! operation's own (one rule, two renderings), led by the field's label.

use axum::http::StatusCode;

use crate::kernel::error::ApiError;
use crate::web::components;
use crate::web::error::PageError;
use crate::web::i18n::Text;

/// What kind of field it is: an `<input type>`, or one of the design
/// system's other fields (textarea, select, radios, checkboxes).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Email,
    Password,
    /// A whole number: a text input with the numeric keyboard, as the
    /// design system asks (not `type=number`).
    Number,
    Date,
    Time,
    TextArea,
    Select,
    Radios,
    Checkboxes,
    /// A file to upload (its form is sent `multipart/form-data`).
    File,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text | Self::Number => "text",
            Self::Email => "email",
            Self::Password => "password",
            Self::Date => "date",
            Self::Time => "time",
            Self::TextArea => "textarea",
            Self::Select => "select",
            Self::Radios => "radios",
            Self::Checkboxes => "checkboxes",
            Self::File => "file",
        }
    }

    /// Whether it is one of the design system's text inputs.
    pub fn is_input(self) -> bool {
        matches!(
            self,
            Self::Text | Self::Email | Self::Password | Self::Number | Self::Date | Self::Time
        )
    }
}

/// One option of a select, radios or checkboxes field.
#[derive(Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }
}

pub struct Field {
    /// The field's name in the form, which is the operation's name for it.
    pub name: &'static str,
    /// The input's id where it is not the name: where two forms of one
    /// page have a field of the same name.
    pub id: Option<&'static str>,
    pub label: String,
    pub hint: Option<String>,
    pub kind: Kind,
    /// The browser's autofill token (`email`, `current-password`, …).
    pub autocomplete: &'static str,
    pub value: String,
    /// The options of a select, radios or checkboxes field.
    pub choices: Vec<Choice>,
    /// The options ticked of a checkboxes field.
    pub checked: Vec<String>,
    /// Rows of a textarea.
    pub rows: u8,
    /// Whether a file field takes several files.
    pub multiple: bool,
    pub error: Option<String>,
}

impl Field {
    pub fn new(text: &Text, name: &'static str, kind: Kind, autocomplete: &'static str) -> Self {
        Self {
            name,
            id: None,
            label: text.get(&format!("field-{}", name.replace('_', "-"))),
            hint: None,
            kind,
            autocomplete,
            value: String::new(),
            choices: Vec::new(),
            checked: Vec::new(),
            rows: 5,
            multiple: false,
            error: None,
        }
    }

    /// A field that is not one of a person's own details (so has nothing for
    /// the browser to fill in).
    pub fn plain(text: &Text, name: &'static str, kind: Kind) -> Self {
        Self::new(text, name, kind, "")
    }

    /// The options of a select, radios or checkboxes field.
    pub fn choices(mut self, choices: Vec<Choice>) -> Self {
        self.choices = choices;
        self
    }

    /// The options ticked, as the form was sent or the record holds them.
    pub fn checked(mut self, values: &[String]) -> Self {
        self.checked = values.to_vec();
        self
    }

    /// A file field that takes several files at once.
    pub fn multiple(mut self) -> Self {
        self.multiple = true;
        self
    }

    pub fn rows(mut self, rows: u8) -> Self {
        self.rows = rows;
        self
    }

    /// Whether this option is the one chosen (or one ticked).
    pub fn is_chosen(&self, value: &str) -> bool {
        self.value == value || self.checked.iter().any(|c| c == value)
    }

    /// The id of the `index`th option's input: the field's own for the
    /// first, which the error summary links to.
    pub fn item_id(&self, index: &usize) -> String {
        match index {
            0 => self.anchor().to_string(),
            n => format!("{}-{}", self.anchor(), n + 1),
        }
    }

    /// The ids of the hint and error message, for `aria-describedby`.
    pub fn described_by(&self) -> Option<String> {
        let ids: Vec<String> = [
            self.hint
                .as_ref()
                .map(|_| format!("{}-hint", self.anchor())),
            self.error
                .as_ref()
                .map(|_| format!("{}-error", self.anchor())),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    /// Gives the input an id of its own (the page's other forms have a
    /// field of this name).
    pub fn id(mut self, id: &'static str) -> Self {
        self.id = Some(id);
        self
    }

    /// What the input's id is, which the error summary links to.
    pub fn anchor(&self) -> &'static str {
        self.id.unwrap_or(self.name)
    }

    pub fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }

    /// What the person typed, shown again; never a password, which is
    /// typed again rather than kept in a page.
    pub fn value(mut self, value: &str) -> Self {
        if self.kind != Kind::Password {
            self.value = value.to_string();
        }
        self
    }

    /// The design system's input for this field.
    pub fn component(&self, error_prefix: &str) -> components::Input {
        components::Input {
            id: self.id.map(str::to_string),
            name: self.name.to_string(),
            input_type: Some(self.kind.as_str().to_string()),
            value: (!self.value.is_empty()).then(|| self.value.clone()),
            classes: match self.kind {
                Kind::Number => Some("govuk-input--width-4".to_string()),
                Kind::Date | Kind::Time => Some("govuk-input--width-10".to_string()),
                _ => None,
            },
            autocomplete: (!self.autocomplete.is_empty()).then(|| self.autocomplete.to_string()),
            // Addresses, codes and passwords are not words to correct.
            spellcheck: matches!(self.kind, Kind::Email | Kind::Password).then_some(false),
            label: components::Text {
                text: self.label.clone(),
            },
            hint: self.hint.clone().map(|text| components::Text { text }),
            error_message: self.error.clone().map(|text| components::ErrorMessage {
                text,
                visually_hidden_text: Some(error_prefix.to_string()),
            }),
        }
    }
}

/// One line of the error summary: a link to the field at fault.
pub struct ErrorLink {
    pub field: &'static str,
    /// The id of the field's input.
    pub anchor: &'static str,
    pub text: String,
}

pub struct Form {
    pub fields: Vec<Field>,
    pub errors: Vec<ErrorLink>,
    /// "Error", read before each message by a screen reader.
    pub error_prefix: String,
}

/// One of a vocabulary's values from its kebab-case text (as a form or a
/// filter sends it), or `None` for anything else.
pub fn parsed<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

/// An operation's field errors renamed to the form's fields (`from`, `to`),
/// where the form asks for a value in other parts than the operation takes
/// it (a date and a time for an instant).
pub fn renamed(error: ApiError, names: &[(&str, &str)]) -> ApiError {
    match error {
        ApiError::Validation(mut errors) => {
            for error in &mut errors {
                if let Some((_, to)) = names.iter().find(|(from, _)| *from == error.field) {
                    error.field = (*to).to_string();
                }
            }
            ApiError::Validation(errors)
        }
        other => other,
    }
}

pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Form {
    pub fn new(text: &Text, fields: Vec<Field>) -> Self {
        Self {
            fields,
            errors: Vec::new(),
            error_prefix: text.get("error-prefix"),
        }
    }

    /// The field of this name (a template names only fields it was given).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The design system's error summary of the form's errors, titled so.
    pub fn summary(&self, title: String) -> components::ErrorSummary {
        components::ErrorSummary {
            title_text: title,
            description_text: None,
            error_list: self
                .errors
                .iter()
                .map(|link| components::ErrorLink {
                    text: link.text.clone(),
                    href: Some(format!("#{}", link.anchor)),
                })
                .collect(),
        }
    }

    /// Shows an operation's refusal on the form: each invalid field's
    /// message beside it, and a refusal of the whole (wrong password, too
    /// many attempts, a state that forbids it) against the first field.
    /// Anything else is not the form's to show: the page's error. Returns
    /// the status the API answers the same refusal with, for the page's.
    pub fn refuse(&mut self, error: ApiError) -> Result<StatusCode, PageError> {
        let status = crate::http::problem::status(&error);
        match error {
            ApiError::Validation(errors) => {
                for error in errors {
                    let field = self.field_named(&error.field);
                    let message = match field {
                        Some(index) => {
                            format!("{} {}", self.fields[index].label, error.message)
                        }
                        None => capitalised(&error.message),
                    };
                    self.attach(field.unwrap_or_default(), message);
                }
            }
            ApiError::Unauthorized(detail)
            | ApiError::Forbidden(detail)
            | ApiError::Conflict(detail)
            | ApiError::TooManyRequests { detail, .. } => self.attach(0, capitalised(&detail)),
            // A file too large or of a kind not taken is the file field's
            // fault, told beside it.
            ApiError::TooLarge(detail) | ApiError::UnsupportedMediaType(detail) => {
                let at = self.field_named("file").unwrap_or_default();
                self.attach(at, capitalised(&detail));
            }
            other => return Err(other.into()),
        }
        Ok(status)
    }

    /// The field an operation's error names: by its name, or for an error
    /// within a list or an object (`questions[2].text`), the field of the
    /// whole.
    fn field_named(&self, name: &str) -> Option<usize> {
        let whole = name.split(['[', '.']).next().unwrap_or(name);
        self.fields
            .iter()
            .position(|f| f.name == name)
            .or_else(|| self.fields.iter().position(|f| f.name == whole))
    }

    fn attach(&mut self, index: usize, message: String) {
        let Some(field) = self.fields.get_mut(index) else {
            return;
        };
        if field.error.is_none() {
            field.error = Some(message.clone());
        }
        self.errors.push(ErrorLink {
            field: field.name,
            anchor: field.anchor(),
            text: message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::error::FieldError;

    fn sign_in_form() -> Form {
        let text = Text::default();
        Form::new(
            &text,
            vec![
                Field::new(&text, "email", Kind::Email, "email").value("sam@example.org"),
                Field::new(&text, "password", Kind::Password, "current-password")
                    .value("typed secret"),
            ],
        )
    }

    #[test]
    fn a_password_is_never_shown_again_but_the_email_is() {
        let form = sign_in_form();
        assert_eq!(form.fields[0].value, "sam@example.org");
        assert_eq!(form.fields[1].value, "");
    }

    #[test]
    fn field_errors_go_beside_their_fields_led_by_the_label() {
        let mut form = sign_in_form();
        form.refuse(ApiError::Validation(vec![FieldError::new(
            "password",
            "must be 12 to 256 characters long",
        )]))
        .expect("a form's error");
        assert_eq!(form.errors.len(), 1);
        assert_eq!(form.errors[0].field, "password");
        assert_eq!(
            form.fields[1].error.as_deref(),
            Some("Password must be 12 to 256 characters long")
        );
        assert_eq!(
            form.fields[1].component("Error").described_by().as_deref(),
            Some("password-error")
        );
    }

    #[test]
    fn a_field_with_an_id_of_its_own_is_linked_to_by_it() {
        let text = Text::default();
        let mut form = Form::new(
            &text,
            vec![
                Field::new(
                    &text,
                    "current_password",
                    Kind::Password,
                    "current-password",
                )
                .id("email_current_password"),
            ],
        );
        form.refuse(ApiError::invalid("current_password", "is incorrect"))
            .expect("a form's error");
        let summary = form.summary("There is a problem".into());
        assert_eq!(
            summary.error_list[0].href.as_deref(),
            Some("#email_current_password")
        );
        let input = form.fields[0].component("Error");
        assert_eq!(input.id(), "email_current_password");
        assert_eq!(input.name, "current_password");
    }

    #[test]
    fn a_refusal_of_the_whole_form_is_told_at_its_first_field() {
        let mut form = sign_in_form();
        form.refuse(ApiError::Unauthorized(
            "the email or password is incorrect".into(),
        ))
        .expect("a form's error");
        assert_eq!(
            form.fields[0].error.as_deref(),
            Some("The email or password is incorrect")
        );
        assert!(form.refuse(ApiError::Internal("boom".into())).is_err());
    }
}
