//! What people choose to be told, and how (their settings and the links
//! that turn a kind off), and the admins' view of outgoing messages.
//!
//! Each operation makes its whole decision and knows nothing of HTTP:
//! `api::notifications` is its JSON face (and writes the unsubscribe pages).

mod deliveries;
mod settings;
mod unsubscribe;

pub use deliveries::{DeliveryOut, DeliveryQuery, list_deliveries, retry_delivery};
pub use settings::{NotificationSettings, set_settings, settings};
pub use unsubscribe::{topic, unsubscribe, unsubscribe_link};
