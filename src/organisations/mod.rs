//! Member organisations: charities and community groups, their size, who
//! they are led by and for, the themes they work on and the regions they
//! serve. Each operation makes its whole decision without HTTP;
//! `api::organisations` is its JSON face.

mod change;
mod create;
mod queries;
mod read;
mod types;
pub mod work;

pub use change::change;
pub use create::create;
pub use queries::{find, replace_children, with_children};
pub use read::{get, list};
pub use types::{OrganisationIn, OrganisationOut, OrganisationPatch, OrganisationQuery};
