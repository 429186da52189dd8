//! The forum's voice: the consultations it answered, on time or not, and
//! how many of its member organisations took part in its consultations and
//! polls in the last twelve months — the reach RR3 asks forums to show.
//! Each figure is one aggregate query over small, indexed tables.

use chrono::{Months, NaiveDate, NaiveTime};
use entity::{
    ConsultationStatus, MembershipStatus, consultation, consultation_contribution,
    forum_membership, poll, poll_vote,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::types::ForumVoice;

/// How far back taking part counts, in months.
pub const WINDOW_MONTHS: u32 = 12;

/// The first and last day taking part counts, for a report of `today`.
pub fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = today
        .checked_sub_months(Months::new(WINDOW_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    (from, today)
}

impl ForumVoice {
    /// A forum's voice with nothing counted yet, over the window of `today`.
    pub fn empty(today: NaiveDate) -> Self {
        let (window_from, window_to) = window(today);
        Self {
            window_months: WINDOW_MONTHS,
            window_from,
            window_to,
            ..Self::default()
        }
    }
}

fn sum_when(condition: Expr) -> Expr {
    Expr::from(Func::coalesce([
        Expr::from(Func::sum(Expr::case(condition, 1).finally(0))),
        Expr::val(0),
    ]))
}

pub async fn forum_voice(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    today: NaiveDate,
) -> Result<ForumVoice, DbErr> {
    use consultation::Column as C;
    let submitted = Expr::col(C::Status).eq(ConsultationStatus::Submitted.as_str());
    let (registered, responded, in_time): (i64, i64, i64) = consultation::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::count(Expr::col(C::Id))), "registered")
        .column_as(sum_when(submitted.clone()), "responded")
        .column_as(
            sum_when(submitted.and(Expr::col(C::SubmittedOn).lte(Expr::col(C::ClosesOn)))),
            "in_time",
        )
        .filter(C::ForumId.eq(forum_id))
        .filter(C::Status.ne(ConsultationStatus::Withdrawn))
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or_default();

    let empty = ForumVoice::empty(today);
    let since = empty.window_from.and_time(NaiveTime::MIN).and_utc();
    let member = || Expr::col((Alias::new("m"), forum_membership::Column::OrganisationId));
    let contributed = Query::select()
        .expr(Expr::val(1))
        .from(consultation_contribution::Entity)
        .inner_join(
            consultation::Entity,
            Expr::col((consultation::Entity, C::Id)).equals((
                consultation_contribution::Entity,
                consultation_contribution::Column::ConsultationId,
            )),
        )
        .and_where(Expr::col((consultation::Entity, C::ForumId)).eq(forum_id))
        .and_where(
            Expr::col((
                consultation_contribution::Entity,
                consultation_contribution::Column::OrganisationId,
            ))
            .eq(member()),
        )
        .and_where(
            Expr::col((
                consultation_contribution::Entity,
                consultation_contribution::Column::CreatedAt,
            ))
            .gte(since),
        )
        .to_owned();
    let voted = Query::select()
        .expr(Expr::val(1))
        .from(poll_vote::Entity)
        .inner_join(
            poll::Entity,
            Expr::col((poll::Entity, poll::Column::Id))
                .equals((poll_vote::Entity, poll_vote::Column::PollId)),
        )
        .and_where(Expr::col((poll::Entity, poll::Column::ForumId)).eq(forum_id))
        .and_where(Expr::col((poll_vote::Entity, poll_vote::Column::OrganisationId)).eq(member()))
        .and_where(Expr::col((poll_vote::Entity, poll_vote::Column::CastAt)).gte(since))
        .to_owned();
    let active = || {
        forum_membership::Entity::find()
            .filter(forum_membership::Column::ForumId.eq(forum_id))
            .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
    };
    let members = active().count(conn).await?;
    // The same rows, aliased `m` so that the EXISTS subqueries can name them.
    let mut taking_part = Query::select();
    taking_part
        .expr(Expr::from(Func::count(Expr::val(1))))
        .from_as(forum_membership::Entity, Alias::new("m"))
        .and_where(Expr::col((Alias::new("m"), forum_membership::Column::ForumId)).eq(forum_id))
        .and_where(
            Expr::col((Alias::new("m"), forum_membership::Column::Status))
                .eq(MembershipStatus::Active.as_str()),
        )
        .and_where(Expr::exists(contributed).or(Expr::exists(voted)));
    let participating: i64 = conn
        .query_one(&taking_part)
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    let participating = u64::try_from(participating).unwrap_or(0);
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(ForumVoice {
        consultations_registered: count(registered),
        consultations_responded: count(responded),
        consultations_responded_before_closing: count(in_time),
        member_organisations: members,
        organisations_taking_part: participating,
        participation_share: (members > 0).then(|| participating as f64 / members as f64),
        ..empty
    })
}
