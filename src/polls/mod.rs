//! Polls: a question put to the forum's member organisations, one vote
//! each, decided by the database.
//!
//! A poll is `upcoming` until `opens_at`, `open` until `closes_at` and then
//! `closed`, unless its officers cancel it; where it stands is computed from
//! those times and the application's clock, in Rust and in SQL alike. Votes
//! share-lock the poll's row and edits lock it alone, so every vote is taken
//! against the poll as it is when the vote is written.
//!
//! Each operation makes the whole decision and knows nothing of HTTP:
//! `api::polls` is its JSON face.

mod ballots;
mod change;
mod create;
pub mod events;
mod queries;
mod read;
mod results;
mod rules;
mod types;
mod vote;

pub use change::change;
pub use create::create;
pub use read::{get, list};
pub use results::results;
pub use types::{
    OptionOut, PollDetail, PollIn, PollOut, PollPatch, PollQuery, ResultsOut, VoteIn, VoteOut,
};
pub use vote::vote;
