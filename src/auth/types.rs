//! Request and response bodies of sign-in, account recovery and the
//! caller's own account.

use chrono::{DateTime, Utc};
use entity::user;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::limits;
use crate::kernel::patch::{Apply, set, trimmed};
use crate::kernel::validation::Validator;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 256;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterIn {
    /// Compared case-insensitively; stored lower-cased.
    #[schema(example = "sam@example.org", format = "email", max_length = 254)]
    pub email: String,
    /// 1–100 characters, one line.
    #[schema(schema_with = limits::DisplayName::schema)]
    pub display_name: String,
    /// 12–256 characters.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
}

/// What registration answers, the same whether or not the address already
/// has an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationOut {
    /// The address, as it is stored (trimmed, lower-cased).
    pub email: String,
    /// What happens next.
    pub detail: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshIn {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokensOut {
    /// JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: exchange it at `/auth/refresh` for a new pair.
    pub refresh_token: String,
}

/// Only the fields to change; none can be `null`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MePatch {
    /// 1–100 characters, one line.
    #[serde(default, deserialize_with = "crate::kernel::patch::present")]
    #[schema(schema_with = limits::DisplayName::schema)]
    pub display_name: Option<String>,
}

impl Apply for MePatch {
    type ActiveModel = user::ActiveModel;

    fn apply(self, to: &mut user::ActiveModel) {
        set(&mut to.display_name, self.display_name.map(trimmed));
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeIn {
    pub current_password: String,
    /// 12–256 characters.
    #[schema(min_length = 12, max_length = 256)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetIn {
    /// The account's address. Whatever it is, the answer is the same.
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmIn {
    /// The code from the reset email.
    pub token: String,
    /// 12–256 characters.
    #[schema(min_length = 12, max_length = 256)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailVerificationConfirmIn {
    /// The code from the verification email.
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeIn {
    /// The address to change to: a valid address, compared
    /// case-insensitively and stored lower-cased, as at registration.
    #[schema(example = "sam.jones@example.org", format = "email", max_length = 254)]
    pub new_email: String,
    pub current_password: String,
}

/// What asking for a change of address answers, the same whether or not
/// the new address already has an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmailChangeOut {
    /// The new address, as it would be stored (trimmed, lower-cased).
    pub new_email: String,
    /// What happens next.
    pub detail: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeConfirmIn {
    /// The code from the email sent to the new address.
    pub token: String,
}

/// A user account as its owner and admins see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserOut {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub organisation_id: Option<Uuid>,
    pub is_admin: bool,
    pub disabled: bool,
    /// When the address was verified; until then Convene sends it only
    /// account links and role invitations.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<user::Model> for UserOut {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            organisation_id: u.organisation_id,
            is_admin: u.is_admin,
            disabled: u.disabled,
            email_verified_at: u.email_verified_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// Trims and lower-cases an email; `None` when it is not an address.
pub fn normalise_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    (email.len() <= 254 && email_address::EmailAddress::is_valid(&email)).then_some(email)
}

pub fn check_password(v: &mut Validator, field: &str, password: &str) {
    let len = password.chars().count();
    v.check(
        (PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&len),
        field,
        "must be 12 to 256 characters long",
    );
}

impl RegisterIn {
    /// Validates every field and returns the normalised email.
    pub fn validate(&self) -> Result<String, ApiError> {
        let email = normalise_email(&self.email);
        let mut v = Validator::default();
        v.check(email.is_some(), "email", "must be a valid email address");
        v.rule::<limits::DisplayName>(&self.display_name, "display_name");
        check_password(&mut v, "password", &self.password);
        v.finish()?;
        Ok(email.unwrap_or_default())
    }
}

impl EmailChangeIn {
    /// Validates the new address by registration's rule, and that it is
    /// not the address the account has (`current`); returns it normalised.
    pub fn validate(&self, current: &str) -> Result<String, ApiError> {
        let email = normalise_email(&self.new_email);
        let mut v = Validator::default();
        v.check(
            email.is_some(),
            "new_email",
            "must be a valid email address",
        );
        v.check(
            email.as_deref() != Some(current),
            "new_email",
            "is already your address",
        );
        v.finish()?;
        Ok(email.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::MePatch>();
    }
}
