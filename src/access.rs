//! Who may do what: the permission table of DESIGN.md, in one place.
//!
//! Handlers ask one question — may this caller do this to this record? — and
//! get back `Ok`, 404 (the caller may not see the record at all) or 403 (they
//! may see it but not change it). No handler carries its own `if is_admin`.

use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};

/// Platform administration: user management and the whole audit trail.
pub fn require_admin(user: &AuthUser) -> ApiResult<()> {
    if user.user.is_admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only platform admins may do this".into(),
        ))
    }
}

/// Editing an organisation's profile: its own people and admins.
pub fn require_organisation_editor(user: &AuthUser, organisation_id: Uuid) -> ApiResult<()> {
    if user.user.is_admin || user.user.organisation_id == Some(organisation_id) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only this organisation's own people and admins may edit it".into(),
        ))
    }
}
