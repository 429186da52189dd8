//! Minutes: one per meeting, drafted in markdown sections by the secretary
//! with every version kept, approved by the chair once the meeting is held,
//! then read-only and public — each section as far as its visibility allows.
//!
//! Each operation takes the caller and its input and makes the whole
//! decision — who may, what is valid, the conditional write, the revision
//! kept, the outbox event and the audit entry, in one transaction — and
//! knows nothing of HTTP: `api::minutes` is its JSON face.

mod approve;
mod editing;
pub mod events;
mod from_agenda;
mod queries;
mod read;
pub mod sections;
pub(crate) mod types;
mod write;

pub use approve::approve;
pub use editing::{AgendaLine, Editing, editing};
pub use from_agenda::draft_from_agenda;
pub use read::{get, revisions};
pub use types::{MinutesIn, MinutesOut, RevisionOut, RevisionQuery};
pub use write::{Written, write};
