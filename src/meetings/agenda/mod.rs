//! A meeting's agenda: members propose items, officers accept, decline,
//! edit, delete and order them. Once a meeting is held only its secretary
//! may change the agenda; a cancelled meeting's agenda is closed.
//!
//! Every write to an agenda first locks its meeting's row
//! ([`crate::meetings::MeetingLock::Exclusive`]), so the writes to one agenda happen one at a
//! time, each on the agenda as the previous one left it. Item versions alone
//! could not give that: two officers accepting two different proposals
//! would both read the same last position and give both items the same
//! place; a reorder must keep the set of accepted items it checked while it
//! writes their positions; and two reorders must not mix. The lock is also
//! what makes "the meeting is not cancelled" hold until the write commits.
//! Changes to one item are in addition conditional on the version this
//! request read ([`crate::kernel::versioning::save`]): the loser of a race over an item is
//! refused (412 with `If-Match`, 409 naming the state it found without),
//! never applied on top of the winner.

mod agreed;
mod items;
mod order;
mod outcomes;
mod proposals;
mod queries;
mod types;

pub use agreed::agree_action;
pub use items::{change_item, item, remove_item};
pub use order::order_agenda;
pub use outcomes::{held_agenda, record_outcome};
pub use proposals::{add_item, agenda};
pub use queries::{agenda_as_read, may_add_items};
pub use types::{
    AgendaItemIn, AgendaItemOut, AgendaItemPatch, AgendaOrderIn, AgendaOut, Decision, ItemRecord,
    OutcomeIn, OutcomeOut, RecordedOutcome, Votes, check_visibility_at, withheld_title,
};
