//! The JSON API: one module per domain with its handlers, each of which
//! extracts, calls the domain's operation and responds; the OpenAPI document
//! generated from them; the reference page and health checks.

pub mod audit;
pub mod docs;
pub mod health;
pub mod openapi;
