//! A consultation's pages: registering one with its questions; member
//! organisations' contributions to each question; and running the forum's
//! response — the contributions beside the joint answer that cites them,
//! the members' poll on the response, and its moves to agreed and
//! submitted.

pub mod contribute;
pub mod register;
pub mod running;

use chrono::NaiveDate;

use crate::kernel::error::FieldError;

/// A date from a date field, or the field's error: the form's equivalent of
/// the API refusing a body whose date does not read.
pub(crate) fn date_field(
    value: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(FieldError::new(field, "must be a date"));
            None
        }
    }
}
