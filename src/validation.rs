//! Collects every invalid field of a request so that one 422 names them all.
//!
//! Text comes in two kinds. A *line* (a name, a title, a reference, a reason)
//! is one line of printable text: no control character at all, so nothing
//! can break a CSV row, a log line, a calendar file or an email header. A
//! *text* (a description, a markdown body) may hold line breaks and tabs but
//! no other control character (NUL above all, which PostgreSQL refuses).

use crate::error::{ApiError, FieldError};

#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

/// Whether a one-line value is free of control characters.
pub fn is_single_line(value: &str) -> bool {
    !value.chars().any(char::is_control)
}

/// Whether a multi-line value holds no control character but line breaks and tabs.
pub fn is_clean_text(value: &str) -> bool {
    !value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

impl Validator {
    pub fn check(&mut self, ok: bool, field: &str, message: &str) -> &mut Self {
        if !ok {
            self.errors.push(FieldError::new(field, message));
        }
        self
    }

    /// A one-line text of `min` to `max` characters (after trimming).
    pub fn line(&mut self, value: &str, field: &str, min: usize, max: usize) -> &mut Self {
        if !is_single_line(value) {
            return self.check(
                false,
                field,
                "must be one line of text, without control characters",
            );
        }
        self.length(value, field, min, max)
    }

    /// A multi-line text (markdown) of `min` to `max` characters (after trimming).
    pub fn text(&mut self, value: &str, field: &str, min: usize, max: usize) -> &mut Self {
        if !is_clean_text(value) {
            return self.check(
                false,
                field,
                "must not contain control characters other than line breaks and tabs",
            );
        }
        self.length(value, field, min, max)
    }

    /// Checks a text's length in characters (not bytes), after trimming.
    fn length(&mut self, value: &str, field: &str, min: usize, max: usize) -> &mut Self {
        let len = value.trim().chars().count();
        let message = if min > 0 && len == 0 {
            "must not be empty".to_string()
        } else {
            format!("must be {min} to {max} characters long")
        };
        self.check((min..=max).contains(&len), field, &message)
    }

    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(std::mem::take(&mut self.errors)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: &mut Validator) -> Vec<String> {
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_line_refuses_every_control_character() {
        for bad in ["a\nb", "a\rb", "a\0b", "a\tb", "a\u{7f}b", "a\u{85}b"] {
            let mut v = Validator::default();
            v.line(bad, "title", 1, 200);
            assert_eq!(fields(&mut v), ["title"], "{bad:?}");
        }
        let mut v = Validator::default();
        v.line("Housing – first nights", "title", 1, 200);
        assert!(fields(&mut v).is_empty());
    }

    #[test]
    fn a_text_keeps_line_breaks_and_tabs_but_not_nul() {
        let mut v = Validator::default();
        v.text("# Minutes\r\n\n- item\twith tab", "body", 0, 1000);
        assert!(fields(&mut v).is_empty());
        for bad in ["a\0b", "a\u{1b}[31mred", "a\u{7}"] {
            let mut v = Validator::default();
            v.text(bad, "body", 0, 1000);
            assert_eq!(fields(&mut v), ["body"], "{bad:?}");
        }
    }

    #[test]
    fn lengths_count_characters_after_trimming() {
        let mut v = Validator::default();
        v.line("   ", "name", 1, 10)
            .line("ééééé", "short", 1, 5)
            .line("toolong", "long", 1, 3);
        assert_eq!(fields(&mut v), ["name", "long"]);
    }

    #[test]
    fn every_invalid_field_is_named_at_once() {
        let mut v = Validator::default();
        v.line("", "a", 1, 5)
            .text("\0", "b", 0, 5)
            .check(false, "c", "no");
        assert_eq!(fields(&mut v), ["a", "b", "c"]);
    }
}
