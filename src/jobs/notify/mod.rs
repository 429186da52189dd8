//! Notifications: telling people what happened.
//!
//! A write that others must hear about records an [`Event`] in the outbox
//! inside its own transaction, beside its audit event: nothing is sent for a
//! write that rolled back, and nothing is lost for one that committed. The
//! delivery [`worker`] (inside `convene serve`, or alone as `convene worker`)
//! turns each event into one message per recipient, then sends the messages
//! due, retrying with backoff; a request never waits on a mail server.

mod body;
mod compose;
pub mod daily;
mod dispatch;
mod mailer;
mod recipients;
mod wording;
pub mod worker;

pub use compose::Composer;
pub use mailer::{Mailer, MailerError};
