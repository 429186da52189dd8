//! PATCH bodies must tell "leave this field alone" (absent) from "clear it"
//! (`null`).
//!
//! - A field that may be cleared is `Option<Option<T>>`, read with
//!   [`nullable`]: absent → `None`, `null` → `Some(None)`, a value →
//!   `Some(Some(v))`.
//! - A field that cannot be cleared is `Option<T>`, read with [`present`]:
//!   absent → `None`, a value → `Some(v)`, and `null` is refused (422) rather
//!   than silently ignored.
//!
//! Both need `#[serde(default)]` so that an absent field is `None`.

use serde::de::Error;
use serde::{Deserialize, Deserializer};

pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(D::Error::custom(
            "cannot be null: this field cannot be cleared (leave it out to keep it)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Patch {
        #[serde(default, deserialize_with = "present")]
        title: Option<String>,
        #[serde(default, deserialize_with = "nullable")]
        due_on: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_values_are_told_apart() {
        let absent: Patch = serde_json::from_str("{}").expect("absent");
        assert!(absent.title.is_none() && absent.due_on.is_none());

        let cleared: Patch = serde_json::from_str(r#"{"due_on": null}"#).expect("null");
        assert_eq!(cleared.due_on, Some(None));

        let set: Patch =
            serde_json::from_str(r#"{"title": "T", "due_on": "2026-01-01"}"#).expect("values");
        assert_eq!(set.title.as_deref(), Some("T"));
        assert_eq!(set.due_on, Some(Some("2026-01-01".into())));
    }

    #[test]
    fn null_for_a_field_that_cannot_be_cleared_is_refused() {
        let err = serde_json::from_str::<Patch>(r#"{"title": null}"#).expect_err("refused");
        assert!(err.to_string().starts_with("cannot be null"), "{err}");
    }
}
