//! What every domain shares, and nothing of HTTP: the error every
//! operation returns, the clock, configuration and database, the context an
//! operation runs in, validation, pagination, versioned writes, who may do
//! what, the audit trail, the outbox of events, credentials, paper storage
//! and where outbound requests may go. The kernel imports no domain, face or
//! job.

pub mod access;
pub mod audit;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod db;
pub mod error;
pub mod events;
pub mod limits;
pub mod links;
pub mod names;
pub mod outbound;
pub mod pagination;
pub mod patch;
pub mod state;
pub mod storage;
pub mod validation;
pub mod versioning;
