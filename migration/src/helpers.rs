//! Small builders shared by the migrations that create many tables.

use sea_orm_migration::prelude::*;

pub fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// A foreign key from `from_table.from_col` to `to_table.id`.
pub fn fk(
    from_table: &str,
    from_col: &str,
    to_table: &str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(col(from_table), col(from_col))
        .to(col(to_table), col("id"))
        .on_delete(on_delete)
        .to_owned()
}

/// An index named `idx_<table>_<cols>`.
pub async fn index(manager: &SchemaManager<'_>, table: &str, cols: &[&str]) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", cols.join("_")))
        .table(col(table));
    for c in cols {
        stmt.col(col(c));
    }
    manager.create_index(stmt.to_owned()).await
}

/// A unique index of this name on these columns (the database decides
/// between concurrent writes).
pub async fn unique(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(col(table)).unique();
    for c in cols {
        stmt.col(col(c));
    }
    manager.create_index(stmt.to_owned()).await
}
