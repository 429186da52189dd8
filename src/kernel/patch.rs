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
//!
//! The one rule, everywhere: `null` clears a field that may be empty, and is
//! refused (422) for one that may not. The spec says which: a clearable
//! field's schema admits `null`, no other does; [`assert_null_rule`] holds
//! each patch type to its schema.

use sea_orm::{ActiveValue, Value};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// A PATCH body that writes itself onto its record: each field given is
/// set on the record's column (marked changed only where it differs), each
/// field left out leaves its column alone. The operation then saves the
/// record as one conditional write.
pub trait Apply {
    type ActiveModel;

    fn apply(self, to: &mut Self::ActiveModel);
}

/// Sets `column` to `value` when the patch gave one: a column a patch may
/// set but not clear.
pub fn set<V>(column: &mut ActiveValue<V>, value: Option<V>)
where
    V: Into<Value> + PartialEq,
{
    if let Some(value) = value {
        column.set_ne(value);
    }
}

/// Text as it is kept: trimmed of the spaces around it.
pub fn trimmed(text: String) -> String {
    let trimmed = text.trim();
    if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_string()
    }
}

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

/// Fails unless every field of the patch type `T` follows the rule its
/// schema states: `null` is accepted, and means something other than
/// absence, for exactly the fields whose schema admits `null`.
#[cfg(test)]
pub fn assert_null_rule<T>()
where
    T: utoipa::ToSchema + serde::de::DeserializeOwned + std::fmt::Debug,
{
    assert_null_rule_from::<T>(serde_json::json!({}));
}

/// As [`assert_null_rule`], for a body that needs `required` to be valid
/// (each field is set to `null` in turn over it).
#[cfg(test)]
pub fn assert_null_rule_from<T>(required: serde_json::Value)
where
    T: utoipa::ToSchema + serde::de::DeserializeOwned + std::fmt::Debug,
{
    use serde_json::{Value, json};

    fn admits_null(schema: &Value) -> bool {
        let typed = schema["type"]
            .as_array()
            .is_some_and(|types| types.contains(&json!("null")));
        let one_of = schema["oneOf"]
            .as_array()
            .is_some_and(|options| options.iter().any(|o| o["type"] == "null"));
        typed || one_of
    }

    let name = T::name();
    let schema = serde_json::to_value(T::schema()).expect("a schema serialises");
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name}: not an object schema"));
    let absent: T = serde_json::from_value(required.clone()).expect("the least body is valid");
    for (field, property) in properties {
        let mut body = required.clone();
        body[field] = Value::Null;
        let with_null = serde_json::from_value::<T>(body);
        if admits_null(property) {
            let patch = with_null.unwrap_or_else(|err| {
                panic!("{name}.{field}: the schema admits null, but it is refused: {err}")
            });
            assert_ne!(
                format!("{patch:?}"),
                format!("{absent:?}"),
                "{name}.{field}: null is taken for absent; it must clear the field"
            );
        } else {
            assert!(
                with_null.is_err(),
                "{name}.{field}: the schema does not admit null, but null is accepted"
            );
        }
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
