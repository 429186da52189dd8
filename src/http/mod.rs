//! What a face needs and no domain knows: extractors whose every rejection
//! is a problem document, `If-Match`/`ETag`/`If-None-Match`, responders
//! (`Created` with its `Location`, CSV, attachments), the middleware every
//! response passes through, and the listener that makes even the HTTP
//! library's own refusals problems.

pub mod attachment;
pub mod caller;
pub mod conditional;
pub mod csv_export;
pub mod extract;
pub mod if_match;
pub mod layers;
pub mod listener;
pub mod paper_download;
pub mod paper_pack;
pub mod problem;
pub mod responses;

pub use layers::{layers, method_not_allowed, not_found};
