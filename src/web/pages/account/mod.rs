//! Signing in and out, registering, confirming an address, resetting a
//! forgotten password, the person's own account (and a change of its
//! address confirmed): the pages of `crate::auth`'s operations; and what
//! they are told (`notifications`) and their calendar feeds (`calendar`).

pub mod calendar;
pub mod confirm_email;
pub mod confirm_email_change;
pub mod notifications;
pub mod register;
pub mod reset_password;
pub mod settings;
pub mod sign_in;
pub mod sign_out;
