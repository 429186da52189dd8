//! User management for platform admins: listing the accounts, reading one,
//! disabling it, making an admin, linking it to an organisation.
//! `api::users` is its JSON face.

mod change;
mod read;
mod types;

pub use change::change;
pub use read::{get, list};
pub use types::{UserPatch, UserQuery};
