//! Member organisations: charities and community groups, their size, who
//! they are led by and for, the themes they work on and the regions they serve.

mod changes;
mod queries;
mod routes;
mod types;

pub use queries::{find, replace_children, with_children};
pub use routes::router;
pub use types::OrganisationOut;
