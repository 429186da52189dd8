use sea_orm::entity::prelude::*;

use crate::ConsultationStatus;

/// A consultation the forum answers together: who consults, until when, and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    /// Who is consulting (e.g. the Ministry of Justice).
    pub consulting_body: String,
    pub source_url: Option<String>,
    pub description: String,
    pub closes_on: Date,
    /// The forum's own deadline: contributions are taken until then.
    pub internal_deadline: Date,
    pub status: ConsultationStatus,
    pub submitted_on: Option<Date>,
    /// A link to, or reference of, what was sent.
    pub submission_reference: Option<String>,
    pub withdrawn_reason: Option<String>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
