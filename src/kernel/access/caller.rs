//! Who is calling: the signed-in person an operation acts for. Faces make
//! one from a request (a bearer token, a session); operations take it.

use entity::user;
use uuid::Uuid;

/// The signed-in caller: their account as of this request, and the session
/// their token belongs to.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    pub session_id: Uuid,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }
}
