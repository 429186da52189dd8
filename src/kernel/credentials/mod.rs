//! Secrets and what they sign: access and account tokens, password hashes,
//! and giving password hashing's memory back.

pub mod memory;
pub mod passwords;
pub mod tokens;
