//! What admins ask of the user accounts: the list's filters and a change.

use entity::user;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::patch::{Apply, nullable, present, set, trimmed};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only the people of this organisation.
    pub organisation_id: Option<Uuid>,
    /// Only disabled (`true`) or active (`false`) accounts.
    pub disabled: Option<bool>,
}

/// Only the fields to change. `organisation_id` may be `null` to unlink; the
/// other fields cannot be `null`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// 1–100 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::DisplayName::schema)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub is_admin: Option<bool>,
    /// A disabled user cannot sign in, and their tokens stop working at once.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub disabled: Option<bool>,
    /// Link to an organisation, or `null` to unlink.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub organisation_id: Option<Option<Uuid>>,
}

impl Apply for UserPatch {
    type ActiveModel = user::ActiveModel;

    fn apply(self, to: &mut user::ActiveModel) {
        set(&mut to.display_name, self.display_name.map(trimmed));
        set(&mut to.is_admin, self.is_admin);
        set(&mut to.disabled, self.disabled);
        set(&mut to.organisation_id, self.organisation_id);
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::UserPatch>();
    }
}
