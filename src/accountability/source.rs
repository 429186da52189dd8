//! Where the report's figures come from: the counters (what the endpoints
//! read) or the aggregates over every row (the oracle). Both answer the same
//! questions in the same shapes, so the report built from either is the same.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{Firmness, Theme};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::types::ActionCounts;
use super::{counted, oracle};
use crate::issues::Responsiveness;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Counters,
    Oracle,
}

impl Source {
    pub async fn action_counts(
        self,
        conn: &impl ConnectionTrait,
        plan_id: Uuid,
        today: NaiveDate,
    ) -> Result<HashMap<Uuid, ActionCounts>, DbErr> {
        match self {
            Self::Counters => counted::action_counts(conn, plan_id, today).await,
            Self::Oracle => oracle::action_counts(conn, plan_id, today).await,
        }
    }

    pub async fn actions_per_theme(
        self,
        conn: &impl ConnectionTrait,
        plan_id: Option<Uuid>,
    ) -> Result<HashMap<(Uuid, Theme), u64>, DbErr> {
        match self {
            Self::Counters => counted::actions_per_theme(conn, plan_id).await,
            Self::Oracle => oracle::actions_per_theme(conn, plan_id).await,
        }
    }

    pub async fn commitments_per_theme(
        self,
        conn: &impl ConnectionTrait,
    ) -> Result<Vec<(Uuid, Uuid, Theme, Firmness, u64)>, DbErr> {
        match self {
            Self::Counters => counted::commitments_per_theme(conn).await,
            Self::Oracle => oracle::commitments_per_theme(conn).await,
        }
    }

    pub async fn open_issues(
        self,
        conn: &impl ConnectionTrait,
        plan_id: Uuid,
    ) -> Result<HashMap<Uuid, u64>, DbErr> {
        match self {
            Self::Counters => counted::open_issues(conn, plan_id).await,
            Self::Oracle => oracle::open_issues_per_commitment(conn, plan_id).await,
        }
    }

    pub async fn responsiveness(
        self,
        conn: &impl ConnectionTrait,
        forum_id: Uuid,
        today: NaiveDate,
    ) -> Result<Responsiveness, DbErr> {
        match self {
            Self::Counters => counted::responsiveness(conn, forum_id, today).await,
            Self::Oracle => oracle::responsiveness(conn, forum_id, today).await,
        }
    }
}
