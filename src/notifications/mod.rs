//! What people choose to be told, and how (their settings and the links
//! that turn a kind off), and the admins' view of outgoing messages.

pub mod deliveries;
pub mod settings;
