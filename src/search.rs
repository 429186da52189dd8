//! Full-text search (`?q=`) of the lists people search in, with each
//! database's own engine (see the migration that sets them up): SQLite's
//! FTS5 (English stemming, BM25 ranking) and PostgreSQL's `tsvector` with
//! the English configuration (`ts_rank`), kept in a generated column. Both indexes are kept by the
//! database in the transaction of every write.
//!
//! The words of `q` are searched for, all of them, the last also as the
//! start of a word (so results come as people type); the rest of `q`
//! (quotes, operators) is ignored, so no query is ever a syntax error, and
//! a `q` with no words at all is no search.
//! Results come best first, keyset-paged by `(score, id)`: the score is the
//! engine's, lower is better, and the same for a row on every page.
//!
//! (Custom SQL marks its bound value `$1` for PostgreSQL, which the query
//! builder renumbers within the statement, and `?` for SQLite.)

use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::pagination::{Page, PageRequest};

/// A searched table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    Actions,
    Issues,
    Commitments,
    Meetings,
    MinutesSections,
}

impl Corpus {
    pub fn table(self) -> &'static str {
        match self {
            Self::Actions => "action_items",
            Self::Issues => "raised_issues",
            Self::Commitments => "commitments",
            Self::Meetings => "meetings",
            Self::MinutesSections => "minutes_sections",
        }
    }

    /// PostgreSQL: the row's English `tsvector`, kept by the database in a
    /// generated column with a GIN index.
    fn document(self) -> String {
        format!("\"{}\".\"search_document\"", self.table())
    }

    /// SQLite: the FTS5 table over this one.
    fn fts(self) -> String {
        format!("{}_search", self.table())
    }
}

/// The words of a search, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms(Vec<String>);

/// The longest `q` taken.
const MAX_QUERY: usize = 200;

impl Terms {
    /// The words of a list's `q`, if it has any (letters and digits): a `q`
    /// with none, such as one cleared in a search box, searches for nothing
    /// and leaves the list as it is. 422 naming `q` when it is too long.
    pub fn from_query(q: Option<&str>) -> Result<Option<Self>, ApiError> {
        let Some(q) = q else {
            return Ok(None);
        };
        if q.chars().count() > MAX_QUERY {
            return Err(ApiError::invalid(
                "q",
                format!("must be at most {MAX_QUERY} characters"),
            ));
        }
        let words: Vec<String> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .take(20)
            .collect();
        Ok((!words.is_empty()).then_some(Self(words)))
    }

    /// The words of `q`, which must have some (422 naming `q` otherwise).
    pub fn parse(q: &str) -> Result<Self, ApiError> {
        Self::from_query(Some(q))?
            .ok_or_else(|| ApiError::invalid("q", "has no words to search for"))
    }

    /// FTS5: every word, quoted (so none is an operator), the last also as
    /// a prefix.
    fn fts5(&self) -> String {
        let last = self.0.len() - 1;
        self.0
            .iter()
            .enumerate()
            .map(|(n, w)| {
                if n == last {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// PostgreSQL: every word, the last also as a prefix (`to_tsquery`
    /// syntax, from words that are letters and digits only).
    fn tsquery(&self) -> String {
        let last = self.0.len() - 1;
        self.0
            .iter()
            .enumerate()
            .map(|(n, w)| {
                if n == last {
                    format!("{w}:*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

/// A condition: the row of `corpus` matches the terms (for filtering a
/// list that keeps its own order, such as a CSV export).
pub fn matches(backend: DbBackend, corpus: Corpus, terms: &Terms) -> SimpleExpr {
    match backend {
        DbBackend::Postgres => Expr::cust_with_values(
            format!("{} @@ to_tsquery('english', $1)", corpus.document()),
            [terms.tsquery()],
        ),
        _ => Expr::cust_with_values(
            format!(
                "\"{table}\".rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)",
                table = corpus.table(),
                fts = corpus.fts()
            ),
            [terms.fts5()],
        ),
    }
}

/// One row found: its id and its score (lower is better).
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub id: Uuid,
    pub score: f64,
}

/// A score in a page cursor, as its exact bits: a decimal written and read
/// back may come back one step off, and the next page would repeat a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score(pub f64);

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_bits().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u64::deserialize(deserializer).map(|bits| Self(f64::from_bits(bits)))
    }
}

/// The page request of a search: after a `(score, id)`.
pub type SearchPage = PageRequest<(Score, Uuid)>;

/// The ids `rows` selects from `corpus`'s table (filtered as its list
/// filters, with no order), best match first, one page of them after the
/// cursor. `id` is what a hit is the id of: the row's own id, or — with
/// `grouped` — a column rows are grouped by (the minutes of a section),
/// each scored by its best row.
pub async fn ranked(
    conn: &impl ConnectionTrait,
    mut rows: SelectStatement,
    corpus: Corpus,
    terms: &Terms,
    id: SimpleExpr,
    grouped: bool,
    page: &SearchPage,
) -> Result<Vec<Hit>, DbErr> {
    let backend = conn.get_database_backend();
    let hits = Alias::new("hits");
    let row_score = match backend {
        DbBackend::Postgres => {
            rows.and_where(matches(backend, corpus, terms));
            Expr::cust_with_values(
                format!(
                    "(0 - CAST(ts_rank({}, to_tsquery('english', $1)) AS double precision))",
                    corpus.document()
                ),
                [terms.tsquery()],
            )
        }
        _ => {
            let fts = Alias::new(corpus.fts());
            let found = Query::select()
                .expr_as(Expr::cust("rowid"), Alias::new("hit"))
                .expr_as(
                    Expr::cust(format!("bm25({})", corpus.fts())),
                    Alias::new("score"),
                )
                .from(fts)
                .and_where(Expr::cust_with_values(
                    format!("{} MATCH ?", corpus.fts()),
                    [terms.fts5()],
                ))
                // A limit keeps SQLite from merging this query into the
                // outer one, where `bm25` may not be used (under `MIN`).
                .limit(i64::MAX.unsigned_abs())
                .to_owned();
            rows.join_subquery(
                JoinType::InnerJoin,
                found,
                hits.clone(),
                Expr::col((hits.clone(), Alias::new("hit")))
                    .equals((Alias::new(corpus.table()), Alias::new("rowid"))),
            );
            Expr::col((hits.clone(), Alias::new("score")))
        }
    };
    let score: SimpleExpr = if grouped {
        Func::min(row_score).into()
    } else {
        row_score
    };
    rows.clear_selects()
        .expr_as(id.clone(), Alias::new("id"))
        .expr_as(score.clone(), Alias::new("score"));
    if grouped {
        rows.add_group_by([id.clone()]);
    }
    if let Some((Score(after_score), after_id)) = page.after {
        let after = Expr::tuple([score.clone(), id.clone()])
            .gt(Expr::tuple([Expr::val(after_score), Expr::val(after_id)]));
        if grouped {
            rows.and_having(after);
        } else {
            rows.and_where(after);
        }
    }
    rows.order_by_expr(score, Order::Asc)
        .order_by_expr(id, Order::Asc)
        .limit(page.fetch());
    let found = conn.query_all_raw(backend.build(&rows)).await?;
    found
        .into_iter()
        .map(|row| {
            Ok(Hit {
                id: row.try_get("", "id")?,
                score: row.try_get("", "score")?,
            })
        })
        .collect()
}

/// A page of a list searched: the ids `rows` selects from `corpus`'s
/// table, ranked (see [`ranked`]), then made items by `load`, which reads
/// them all at once (in any order; the page keeps the ranking's).
pub async fn page<T, F, Fut>(
    conn: &impl ConnectionTrait,
    rows: SelectStatement,
    corpus: Corpus,
    terms: &Terms,
    page: &SearchPage,
    load: F,
) -> Result<Page<T>, ApiError>
where
    F: FnOnce(Vec<Uuid>) -> Fut,
    Fut: std::future::Future<Output = Result<std::collections::HashMap<Uuid, T>, ApiError>>,
{
    let id = Expr::col((Alias::new(corpus.table()), Alias::new("id")));
    let hits = ranked(conn, rows, corpus, terms, id, false, page).await?;
    let items = load(hits.iter().map(|h| h.id).collect()).await?;
    Ok(page_of(page, hits, items))
}

/// The page of `hits`, each made an item by `load` (which reads them all at
/// once, in any order), in the hits' order.
pub fn page_of<T>(
    page: &SearchPage,
    hits: Vec<Hit>,
    mut items: std::collections::HashMap<Uuid, T>,
) -> Page<T> {
    page.finish(
        hits.into_iter()
            .filter_map(|hit| items.remove(&hit.id).map(|item| (hit, item)))
            .collect(),
        |(hit, _)| (Score(hit.score), hit.id),
        |(_, item)| item,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_words_of_a_search_are_searched_for() {
        let terms = Terms::parse("Housing \"on release* OR NEAR(").expect("words");
        assert_eq!(
            terms.fts5(),
            "\"housing\" \"on\" \"release\" \"or\" \"near\"*"
        );
        assert_eq!(terms.tsquery(), "housing & on & release & or & near:*");
        assert!(Terms::parse(" -- \"\" ").is_err());
        assert!(matches!(Terms::from_query(Some(" -- ")), Ok(None)));
        assert!(Terms::from_query(Some(&"a".repeat(201))).is_err());
        assert_eq!(
            Terms::parse("Café").ok().map(|t| t.0),
            Some(vec!["café".to_string()])
        );
    }
}
