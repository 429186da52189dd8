//! Keyset pagination shared by every list: `?limit=` (default 50, at most 200)
//! and an opaque `cursor`, answered as `{items, next_cursor}`.
//!
//! The cursor is the base64url of the JSON sort key of the last row served;
//! lists fetch `limit + 1` rows so they know whether another page exists
//! without counting.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::Value;
use sea_orm::sea_query::{Expr, ExprTrait};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// One page of a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A validated page request, with the decoded key of the row to continue after.
pub struct PageRequest<K> {
    pub limit: u64,
    pub after: Option<K>,
}

impl<K: DeserializeOwned> PageRequest<K> {
    pub fn new(limit: Option<u64>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = cursor.map(decode_cursor).transpose()?;
        Ok(Self { limit, after })
    }

    /// Rows to fetch: one more than the page, to detect a next page.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Turns the fetched rows into a page, with a cursor built from the key of
    /// the last row kept.
    pub fn finish<R, T, KS: Serialize>(
        &self,
        mut rows: Vec<R>,
        key: impl Fn(&R) -> KS,
        map: impl FnMut(R) -> T,
    ) -> Page<T> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|row| encode_cursor(&key(row)))
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}

/// Keyset condition: rows whose sort key `(a, b, …)` comes after the
/// cursor's. A row-value comparison, so that both databases seek straight to
/// the cursor in the list's index; `a > ? OR (a = ? AND b > ?)` would have
/// them read every row of the earlier pages again, page after page.
pub fn after_key<const N: usize>(sort_key: [Expr; N], cursor: [Value; N]) -> Expr {
    Expr::tuple(sort_key).gt(Expr::tuple(cursor.map(Expr::val)))
}

fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::invalid("cursor", "is not a cursor this list gave out"))
}
