//! Collects every invalid field of a request so that one 422 names them all.
//!
//! Text comes in two kinds. A *line* (a name, a title, a reference, a reason)
//! is one line of printable text: no control character at all, so nothing
//! can break a CSV row, a log line, a calendar file or an email header. A
//! *text* (a description, a markdown body) may hold line breaks and tabs but
//! no other control character (NUL above all, which PostgreSQL refuses).

use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

use crate::kernel::error::{ApiError, FieldError};

#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

/// `1000` as `1,000`, as limits are written for people.
fn with_commas(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Whether a one-line value is free of control characters.
pub fn is_single_line(value: &str) -> bool {
    !value.chars().any(char::is_control)
}

/// Whether a value is an http:// or https:// URL of at most `max`
/// characters, one line, without white space: [`HttpUrl`]'s pattern. A
/// byte-order mark counts as a space, as it does to the pattern's `\s`.
fn is_http_url(value: &str, max: usize) -> bool {
    (value.starts_with("https://") || value.starts_with("http://"))
        && value.chars().count() <= max
        && is_single_line(value)
        && !value.contains(|c: char| c.is_whitespace() || c == '\u{feff}')
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

    /// An http:// or https:// URL of at most `max` characters, one line and
    /// without spaces (where people follow a link to a published document).
    pub fn http_url(&mut self, value: &str, field: &str, max: usize) -> &mut Self {
        self.check(
            is_http_url(value, max),
            field,
            &format!(
                "must be an http:// or https:// URL of at most {} characters, without spaces",
                with_commas(max)
            ),
        )
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

    /// Checks a text's length in characters (not bytes): at least `min`
    /// after trimming, so that blanks are not a value, and at most `max` as
    /// sent, as the spec's `maxLength` says.
    fn length(&mut self, value: &str, field: &str, min: usize, max: usize) -> &mut Self {
        let trimmed = value.trim().chars().count();
        let sent = value.chars().count();
        let message = if min > 0 && trimmed == 0 {
            "must not be empty".to_string()
        } else {
            format!("must be {min} to {max} characters long")
        };
        self.check(trimmed >= min && sent <= max, field, &message)
    }

    /// Checks a value against a [`Rule`] (a [`Line`] or a [`Text`]).
    pub fn rule<R: Rule>(&mut self, value: &str, field: &str) -> &mut Self {
        R::apply(self, value, field);
        self
    }

    /// Takes in the invalid fields of a check that refuses them whole
    /// (422), each named under `prefix` (`actions[0].`), so that one
    /// refusal names them together with the rest; passes any other error
    /// on. Gives the check's value when it passed.
    pub fn gather<T>(
        &mut self,
        result: Result<T, ApiError>,
        prefix: &str,
    ) -> Result<Option<T>, ApiError> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(ApiError::Validation(errors)) => {
                self.errors.extend(errors.into_iter().map(|e| FieldError {
                    field: format!("{prefix}{}", e.field),
                    ..e
                }));
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// The invalid fields found so far, for a caller that reports them
    /// its own way (the rows of a spreadsheet).
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(std::mem::take(&mut self.errors)))
        }
    }
}

/// Characters a line may hold: none of Unicode's control characters (`Cc`,
/// what [`char::is_control`] finds), as a regular expression class body.
const LINE_CHARS: &str = r"\x00-\x1F\x7F-\x9F";
/// Characters a text may hold: a line's, and line breaks and tabs.
const TEXT_CHARS: &str = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F";

/// The schema of a string field that [`Validator::line`] or
/// [`Validator::text`] checks: the same bounds and characters, so that what
/// the spec allows the server accepts. With a minimum, the string must hold a
/// character other than white space (the server trims before counting).
fn string_schema(refused: &str, min: usize, max: usize, nullable: bool) -> Object {
    debug_assert!(min <= 1, "a pattern can only say \"not blank\"");
    let pattern = if min > 0 {
        format!("^[^{refused}]*[^\\s{refused}][^{refused}]*$")
    } else {
        format!("^[^{refused}]*$")
    };
    let schema_type = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    let kind = if refused == LINE_CHARS {
        "one line"
    } else {
        "line breaks and tabs allowed"
    };
    ObjectBuilder::new()
        .schema_type(schema_type)
        .description(Some(format!("{min} to {max} characters, {kind}.")))
        .min_length((min > 0).then_some(min))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .build()
}

/// A rule for a text field, named once (in [`crate::kernel::limits`]) and used both
/// by the check (`v.rule::<limits::ActionTitle>(…)`) and by the field's
/// schema (`#[schema(schema_with = limits::ActionTitle::schema)]`).
pub trait Rule {
    fn apply(v: &mut Validator, value: &str, field: &str);
}

/// A one-line text of `MIN` (0 or 1) to `MAX` characters.
pub struct Line<const MIN: usize, const MAX: usize>;

impl<const MIN: usize, const MAX: usize> Rule for Line<MIN, MAX> {
    fn apply(v: &mut Validator, value: &str, field: &str) {
        v.line(value, field, MIN, MAX);
    }
}

impl<const MIN: usize, const MAX: usize> Line<MIN, MAX> {
    pub fn schema() -> Object {
        string_schema(LINE_CHARS, MIN, MAX, false)
    }

    /// For a field that may also be `null`.
    pub fn nullable() -> Object {
        string_schema(LINE_CHARS, MIN, MAX, true)
    }
}

/// A multi-line text (markdown) of `MIN` (0 or 1) to `MAX` characters.
pub struct Text<const MIN: usize, const MAX: usize>;

impl<const MIN: usize, const MAX: usize> Rule for Text<MIN, MAX> {
    fn apply(v: &mut Validator, value: &str, field: &str) {
        v.text(value, field, MIN, MAX);
    }
}

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn schema() -> Object {
        string_schema(TEXT_CHARS, MIN, MAX, false)
    }

    /// For a field that may also be `null`.
    pub fn nullable() -> Object {
        string_schema(TEXT_CHARS, MIN, MAX, true)
    }
}

/// An http:// or https:// URL of at most `MAX` characters, one line and
/// without spaces, taken as sent (not trimmed).
pub struct HttpUrl<const MAX: usize>;

impl<const MAX: usize> Rule for HttpUrl<MAX> {
    fn apply(v: &mut Validator, value: &str, field: &str) {
        v.http_url(value, field, MAX);
    }
}

impl<const MAX: usize> HttpUrl<MAX> {
    pub fn schema() -> Object {
        url_schema(MAX, false)
    }

    /// For a field that may also be `null`.
    pub fn nullable() -> Object {
        url_schema(MAX, true)
    }
}

fn url_schema(max: usize, nullable: bool) -> Object {
    let schema_type = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(schema_type)
        .description(Some(format!(
            "An `http://` or `https://` URL of at most {} characters, without spaces.",
            with_commas(max)
        )))
        .max_length(Some(max))
        .pattern(Some(format!("^https?://[^\\s{LINE_CHARS}]*$")))
        .build()
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
    fn the_maximum_counts_what_was_sent_as_the_spec_says() {
        let mut v = Validator::default();
        v.line(" abc ", "padded", 1, 4).line(" abc", "fits", 1, 4);
        assert_eq!(fields(&mut v), ["padded"]);
    }

    #[test]
    fn a_rule_and_its_schema_share_their_bounds() {
        type Title = Line<1, 300>;
        let schema = Title::schema();
        assert_eq!((schema.min_length, schema.max_length), (Some(1), Some(300)));
        let pattern = schema.pattern.unwrap_or_default();
        assert!(pattern.contains(r"\s"), "not blank: {pattern}");
        let mut v = Validator::default();
        v.rule::<Title>(" ", "title")
            .rule::<Text<0, 5>>("a\nb", "body");
        assert_eq!(fields(&mut v), ["title"]);
        assert_eq!(Text::<0, 5>::schema().min_length, None);
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
