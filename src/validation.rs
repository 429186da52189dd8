//! Collects every invalid field of a request so that one 422 names them all.

use crate::error::{ApiError, FieldError};

#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn check(&mut self, ok: bool, field: &str, message: &str) -> &mut Self {
        if !ok {
            self.errors.push(FieldError::new(field, message));
        }
        self
    }

    /// Checks a text's length in characters (not bytes), after trimming.
    pub fn length(&mut self, value: &str, field: &str, min: usize, max: usize) -> &mut Self {
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
