//! PATCH bodies must tell "leave this field alone" (absent) from "clear it"
//! (`null`). Fields that may be cleared are `Option<Option<T>>`, read with
//! [`nullable`]: absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.

use serde::{Deserialize, Deserializer};

pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
