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

use crate::kernel::error::ApiError;

/// Rows fetched per query while reading a whole list (an export).
pub const BATCH: u64 = 500;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// `?limit=` and `?cursor=`, for a list with no filters of its own.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

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
        // An empty cursor is no cursor, for clients that build the next
        // URL as `?cursor=${next_cursor ?? ""}`.
        let after = cursor
            .filter(|c| !c.is_empty())
            .map(decode_cursor)
            .transpose()?;
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

/// The rows before a cursor in a list sorted by `sort_key` descending: the
/// mirror of [`after_key`], seeking the same index backwards.
pub fn before_key<const N: usize>(sort_key: [Expr; N], cursor: [Value; N]) -> Expr {
    Expr::tuple(sort_key).lt(Expr::tuple(cursor.map(Expr::val)))
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

/// Reads a whole list in keyset batches of [`BATCH`]: `batch(after)` returns
/// the rows after the key of the last row of the previous batch.
pub async fn every_row<K, R, F, Fut>(
    mut batch: F,
    key: impl Fn(&R) -> K,
) -> crate::kernel::error::ApiResult<Vec<R>>
where
    F: FnMut(Option<K>) -> Fut,
    Fut: Future<Output = crate::kernel::error::ApiResult<Vec<R>>>,
{
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let next = batch(after.take()).await?;
        let full = next.len() as u64 >= BATCH;
        after = next.last().map(&key);
        rows.extend(next);
        if !full || after.is_none() {
            return Ok(rows);
        }
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn every_row_reads_batches_until_one_is_short() {
        let all: Vec<u64> = (0..(BATCH * 2 + 3)).collect();
        let mut calls = 0;
        let rows = every_row(
            |after: Option<u64>| {
                calls += 1;
                let start = after.map_or(0, |k| k + 1);
                let batch: Vec<u64> = all
                    .iter()
                    .copied()
                    .filter(|n| *n >= start)
                    .take(usize::try_from(BATCH).unwrap_or(usize::MAX))
                    .collect();
                async move { Ok(batch) }
            },
            |n| *n,
        )
        .await
        .expect("rows");
        assert_eq!(rows, all);
        assert_eq!(calls, 3);
    }

    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;

    type Key = (Option<NaiveDate>, Uuid);

    fn invalid_field(error: ApiError) -> String {
        match error {
            ApiError::Validation(errors) => errors.iter().map(|e| e.field.clone()).collect(),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    fn page_of(limit: u64, rows: u32) -> Page<u32> {
        let request = PageRequest::<u32>::new(Some(limit), None).expect("a valid limit");
        request.finish((1..=rows).collect(), |row| *row, |row| row)
    }

    #[test]
    fn a_cursor_gives_back_the_key_it_was_made_from() {
        let key: Key = (NaiveDate::from_ymd_opt(2026, 3, 31), Uuid::now_v7());

        let cursor = encode_cursor(&key);
        let request = PageRequest::<Key>::new(None, Some(&cursor)).expect("our own cursor");

        assert_eq!(request.after, Some(key));
        assert!(
            cursor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "safe in a query string as it is: {cursor}"
        );
    }

    #[test]
    fn a_cursor_that_this_list_did_not_give_out_is_a_422_on_cursor() {
        let not_base64 = PageRequest::<Key>::new(None, Some("not a cursor!"));
        let not_json = PageRequest::<Key>::new(None, Some(&URL_SAFE_NO_PAD.encode("{{")));
        let another_lists = PageRequest::<Key>::new(None, Some(&encode_cursor(&"a name")));

        for refused in [not_base64, not_json, another_lists] {
            let error = refused.err().expect("refused");
            assert_eq!(invalid_field(error), "cursor");
        }
    }

    #[test]
    fn an_empty_cursor_is_the_first_page() {
        let request = PageRequest::<Key>::new(None, Some("")).expect("empty cursor");
        assert!(request.after.is_none());
    }

    #[test]
    fn limit_defaults_to_50_and_must_be_between_1_and_200() {
        let default = PageRequest::<Key>::new(None, None).expect("no limit given");
        let largest = PageRequest::<Key>::new(Some(MAX_LIMIT), None).expect("200");
        let smallest = PageRequest::<Key>::new(Some(1), None).expect("1");

        assert_eq!(default.limit, DEFAULT_LIMIT);
        assert_eq!((largest.limit, smallest.limit), (200, 1));
        assert_eq!(default.fetch(), 51, "one more than a page");
        for refused in [0, MAX_LIMIT + 1, u64::MAX] {
            let error = PageRequest::<Key>::new(Some(refused), None).err();
            assert_eq!(invalid_field(error.expect("refused")), "limit");
        }
    }

    #[test]
    fn a_page_with_a_row_beyond_it_has_a_cursor_to_its_last_row() {
        let page = page_of(3, 4);

        assert_eq!(page.items, [1, 2, 3]);
        let next = page.next_cursor.expect("there is a next page");
        let request = PageRequest::<u32>::new(Some(3), Some(&next)).expect("our cursor");
        assert_eq!(request.after, Some(3));
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let exactly_full = page_of(3, 3);
        let short = page_of(3, 1);
        let empty = page_of(3, 0);

        assert_eq!(exactly_full.items, [1, 2, 3]);
        assert!(exactly_full.next_cursor.is_none());
        assert!(short.next_cursor.is_none() && empty.next_cursor.is_none());
        assert!(empty.items.is_empty());
    }
}
