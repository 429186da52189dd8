//! The audit trail names each kind of record one way, kebab-case as the
//! API writes every other name (`agenda-item`, `forum-role`): events were
//! stored under `agenda_item` and `agenda-item` both, and a few other names
//! in snake case. Down leaves them as they are: the old spellings cannot be
//! told apart again, and both read the same once rewritten.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Old names and the names the trail keeps now.
const RENAMED: [(&str, &str); 4] = [
    ("agenda_item", "agenda-item"),
    ("forum_role", "forum-role"),
    ("calendar_feed", "calendar-feed"),
    ("opportunity_interest", "opportunity-interest"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new) in RENAMED {
            let rename = Query::update()
                .table(Alias::new("audit_events"))
                .value(Alias::new("entity"), new)
                .and_where(Expr::col(Alias::new("entity")).eq(old))
                .to_owned();
            manager.exec_stmt(rename).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
