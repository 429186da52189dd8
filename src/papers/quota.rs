//! What a forum's papers take in storage, against its limit. The counter is
//! raised only by an `UPDATE … WHERE used + size <= limit`: of uploads made
//! at once, those that would pass the limit find no row to raise, so the
//! database, not a read before the write, keeps the forum within it.

use entity::forum_paper_storage;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult};

fn mib(bytes: i64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// What the forum's papers take now.
async fn used(conn: &impl ConnectionTrait, forum_id: Uuid) -> ApiResult<i64> {
    Ok(forum_paper_storage::Entity::find_by_id(forum_id)
        .one(conn)
        .await?
        .map_or(0, |row| row.used_bytes))
}

/// Counts `bytes` more against the forum, in the caller's transaction, or
/// refuses them (413) if they would take it past `limit`.
pub async fn reserve(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    bytes: i64,
    limit: u64,
) -> ApiResult<()> {
    forum_paper_storage::Entity::insert(forum_paper_storage::ActiveModel {
        forum_id: Set(forum_id),
        used_bytes: Set(0),
    })
    .on_conflict(
        OnConflict::column(forum_paper_storage::Column::ForumId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let raised = forum_paper_storage::Entity::update_many()
        .col_expr(
            forum_paper_storage::Column::UsedBytes,
            Expr::col(forum_paper_storage::Column::UsedBytes).add(bytes),
        )
        .filter(forum_paper_storage::Column::ForumId.eq(forum_id))
        .filter(
            Expr::col(forum_paper_storage::Column::UsedBytes)
                .add(bytes)
                .lte(limit),
        )
        .exec(conn)
        .await?;
    if raised.rows_affected == 1 {
        return Ok(());
    }
    let now = used(conn, forum_id).await?;
    Err(ApiError::TooLarge(format!(
        "the forum's papers take {} of the {} they may; this file ({}) would take them past it",
        mib(now),
        mib(limit),
        mib(bytes)
    )))
}

/// Counts `bytes` less against the forum (its papers deleted).
pub async fn release(conn: &impl ConnectionTrait, forum_id: Uuid, bytes: i64) -> ApiResult<()> {
    forum_paper_storage::Entity::update_many()
        .col_expr(
            forum_paper_storage::Column::UsedBytes,
            Expr::col(forum_paper_storage::Column::UsedBytes).sub(bytes),
        )
        .filter(forum_paper_storage::Column::ForumId.eq(forum_id))
        .exec(conn)
        .await?;
    Ok(())
}
