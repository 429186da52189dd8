//! What runs beside the requests: the delivery worker (emails, digests and
//! webhook requests from the outbox), the daily job (series horizon,
//! reminders, digests) and housekeeping. Jobs call the domains; no domain
//! calls a job.

pub mod housekeeping;
pub mod notify;
pub mod pacing;
pub mod webhooks;
