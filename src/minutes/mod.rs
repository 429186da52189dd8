//! Minutes: one per meeting, drafted in markdown by the secretary with every
//! version kept, approved by the chair once the meeting is held, then
//! read-only and public.

mod routes;

pub use routes::router;
