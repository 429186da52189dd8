//! Webhooks: a forum's integrations, told of its events.
//!
//! Officers register a URL and the kinds of event it wants, change it,
//! rotate its secret, remove it and read its delivery log; delivery itself
//! is a job (`jobs::webhooks`). Each operation makes the whole decision —
//! who may, what is valid, the conditional write and the audit entry — and
//! knows nothing of HTTP: `api::webhooks` is its JSON face.

mod change;
mod create;
pub mod events;
mod read;
mod secret;
mod types;

pub use change::{ROTATION_OVERLAP, change, delete, rotate_secret};
pub use create::create;
pub use read::{deliveries, get, list};
pub use secret::new_secret;
pub use types::{
    WebhookDeliveryOut, WebhookDeliveryQuery, WebhookIn, WebhookList, WebhookOut, WebhookPatch,
    WebhookWithSecret, subscribable,
};

crate::versioned!(entity::webhook::Entity, "webhook");
