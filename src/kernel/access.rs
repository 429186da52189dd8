//! Who may do what: the permission table, in one place. `docs/permissions.md`
//! is generated from it (see `access/table.rs`).
//!
//! Handlers ask one question — may this caller do this to this record? — and
//! get back `Ok`, 401 (not signed in), 404 (the caller may not see the record)
//! or 403 (they may see it but not do this). No handler carries its own role
//! checks: they load a [`ForumAccess`] for the record's forum once and call
//! [`ForumAccess::require`] or [`ForumAccess::require_visible`].

use entity::{ForumRole, Visibility, forum, forum_role, user};
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationDef,
};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult};

pub use caller::AuthUser;
pub use records::{ForumRecord, load_visible, visible_to};

/// Platform administration: user management and the whole audit trail.
pub fn require_admin(user: &AuthUser) -> ApiResult<()> {
    if user.user.is_admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only platform admins may do this".into(),
        ))
    }
}

/// Editing an organisation's profile: its own people and admins.
pub fn require_organisation_editor(user: &AuthUser, organisation_id: Uuid) -> ApiResult<()> {
    if user.user.is_admin || user.user.organisation_id == Some(organisation_id) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only this organisation's own people and admins may edit it".into(),
        ))
    }
}

/// Registering an organisation: anyone signed in registers their own and
/// is linked to it; an admin registers organisations on others' behalf,
/// without being linked to them.
pub fn registers_own_organisation(user: &AuthUser) -> bool {
    !user.user.is_admin
}

/// Who may read business of a visibility (an agenda item, and what is made
/// of it): the one rule for every output — JSON, feeds, lists. A reader
/// who may not is shown that it is withheld, and why.
pub fn may_read(visibility: Visibility, participant: bool, officer: bool) -> bool {
    match visibility {
        Visibility::Public => true,
        Visibility::Participants => participant || officer,
        Visibility::Officers => officer,
    }
}

/// Things one can do within a forum: the rows of docs/permissions.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForumAction {
    /// The forum's public profile and membership summary.
    ReadForum,
    /// Records only the forum's participants see: full memberships, roles,
    /// meetings, agendas, actions, raised issues.
    ReadParticipantRecords,
    /// Description and terms of reference.
    EditForumProfile,
    /// Name, region, issue response days.
    EditForumSettings,
    /// Apply to join for this organisation.
    ApplyForMembership { organisation_id: Uuid },
    /// Approve, reject, suspend or reinstate a membership.
    DecideMembership,
    /// Leave the forum, for this organisation.
    LeaveForum { organisation_id: Uuid },
    /// Give someone this role, or take it away.
    AssignRole(ForumRole),
    /// The forum's audit trail.
    ReadAudit,
    /// Schedule, edit, cancel or close meetings; accept agenda items; record attendance.
    RunMeetings,
    /// RSVP and propose agenda items: members, officers and RPD staff, not observers.
    TakePart,
    /// Change the agenda of a meeting that has been held.
    EditHeldAgenda,
    /// Draft (and edit) minutes.
    DraftMinutes,
    /// Approve minutes: the chair, or the secretary where the forum has no chair.
    ApproveMinutes { forum_has_chair: bool },
    /// Update an action or log progress on it: officers, and the members of
    /// the organisation that owns it.
    UpdateAction { owner_organisation_id: Option<Uuid> },
    /// Raise an issue with the RPD's team: members and officers.
    RaiseIssue,
    /// Acknowledge and respond to an issue: the region's RPD staff.
    RespondToIssue,
    /// Close or re-open an issue: officers and whoever raised it.
    SettleIssue { raised_by: Option<Uuid> },
    /// Register and look after the forum's webhooks: officers.
    ManageWebhooks,
    /// Read a meeting's paper of this visibility: the forum's participants
    /// as their role allows, and anyone its public papers once it is held.
    ReadMeetingPaper { visibility: Visibility, held: bool },
    /// Read a paper of this visibility of a raised issue (its evidence) or
    /// of a consultation: the forum's participants as their role allows.
    ReadForumPaper { visibility: Visibility },
    /// Add, replace, narrow and delete an issue's evidence: those who raise
    /// issues and those who answer them.
    KeepIssueEvidence,
    /// Register a consultation for the forum and edit its details: officers
    /// and the region's RPD staff.
    RegisterConsultation,
    /// Compose the forum's joint response, move it on (drafting, agreed,
    /// submitted) or withdraw it: officers.
    RunConsultation,
    /// Contribute to a consultation for one's own organisation: members and
    /// officers (whose organisation must be an active member).
    Contribute,
    /// Edit a contribution: the people of the organisation that wrote it.
    EditContribution { organisation_id: Uuid },
    /// Put polls to the forum, change and cancel them: officers.
    RunPolls,
    /// Vote for one's own organisation: members and officers (whose
    /// organisation must be an active member); not observers or RPD staff.
    Vote,
    /// Register one's own organisation's interest in the region's opportunities:
    /// not observers or RPD staff (and the organisation an active member).
    RegisterInterest,
    /// See who registered interest in the region's opportunities: officers, RPD staff.
    ReadInterests,
}

impl ForumAction {
    fn describe(self) -> &'static str {
        match self {
            Self::ReadForum => "read this forum",
            Self::ReadParticipantRecords => "read the forum's own records",
            Self::EditForumProfile => "edit the forum's description and terms of reference",
            Self::EditForumSettings => "change the forum's name or settings",
            Self::ApplyForMembership { .. } => "apply on behalf of that organisation",
            Self::DecideMembership => "decide on memberships",
            Self::LeaveForum { .. } => "withdraw that organisation",
            Self::AssignRole(role) if role.needs_admin_to_assign() => {
                "assign or remove that role (only admins can)"
            }
            Self::AssignRole(_) => "assign or remove roles",
            Self::ReadAudit => "read the forum's audit trail",
            Self::RunMeetings => "run the forum's meetings",
            Self::TakePart => "take part in meetings (observers may only watch)",
            Self::EditHeldAgenda => "change the agenda of a meeting that has been held",
            Self::DraftMinutes => "draft minutes",
            Self::ApproveMinutes { .. } => "approve minutes",
            Self::UpdateAction { .. } => "update an action your organisation does not own",
            Self::RaiseIssue => "raise issues",
            Self::RespondToIssue => "answer issues (the region's RPD staff do)",
            Self::SettleIssue { .. } => "close or re-open an issue someone else raised",
            Self::ManageWebhooks => "manage the forum's webhooks",
            Self::ReadMeetingPaper { .. } => "read this paper",
            Self::ReadForumPaper { .. } => "read this paper",
            Self::KeepIssueEvidence => "add or change an issue's evidence",
            Self::RegisterConsultation => "register consultations",
            Self::RunConsultation => "compose or move on the forum's consultation responses",
            Self::Contribute => "contribute to consultations (members and officers do)",
            Self::EditContribution { .. } => "edit a contribution another organisation wrote",
            Self::RunPolls => "put polls to the forum",
            Self::Vote => "vote (members and officers do; observers and RPD staff do not)",
            Self::RegisterInterest => "register interest (observers and RPD staff do not)",
            Self::ReadInterests => "see who registered interest in the region's opportunities",
        }
    }
}

/// What the caller is to one forum, loaded once per request.
#[derive(Clone)]
pub struct ForumAccess {
    pub forum: forum::Model,
    caller: Option<user::Model>,
    role: Option<ForumRole>,
}

impl ForumAccess {
    /// Loads the forum (404 when there is none) and the caller's role in it.
    pub async fn load(
        conn: &impl ConnectionTrait,
        forum_id: Uuid,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        Self::load_for(conn, forum_id, caller.map(|c| &c.user)).await
    }

    /// As [`Self::load`], for a person known other than by an access token
    /// (a calendar-feed token). One query: the forum, joined to the caller's
    /// role in it when they have one.
    pub async fn load_for(
        conn: &impl ConnectionTrait,
        forum_id: Uuid,
        caller: Option<&user::Model>,
    ) -> ApiResult<Self> {
        let found = match caller {
            Some(user) => forum::Entity::find_by_id(forum_id)
                .select_also(forum_role::Entity)
                .join(JoinType::LeftJoin, role_of(user.id))
                .one(conn)
                .await?
                .map(|(forum, role)| (forum, role.map(|r| r.role))),
            None => forum::Entity::find_by_id(forum_id)
                .one(conn)
                .await?
                .map(|forum| (forum, None)),
        };
        let (forum, role) = found.ok_or_else(|| ApiError::not_found("forum"))?;
        Ok(Self {
            forum,
            caller: caller.cloned(),
            role,
        })
    }

    pub fn role(&self) -> Option<ForumRole> {
        self.role
    }

    fn is_admin(&self) -> bool {
        self.caller.as_ref().is_some_and(|c| c.is_admin)
    }

    fn caller_organisation(&self) -> Option<Uuid> {
        self.caller.as_ref().and_then(|c| c.organisation_id)
    }

    /// Takes part in the forum: holds any role in it (or is an admin).
    pub fn is_participant(&self) -> bool {
        self.is_admin() || self.role.is_some()
    }

    /// Secretary or chair (or an admin).
    pub fn is_officer(&self) -> bool {
        self.is_admin() || self.role.is_some_and(ForumRole::is_officer)
    }

    /// Whether the caller may read business of this visibility.
    pub fn may_read(&self, visibility: Visibility) -> bool {
        may_read(visibility, self.is_participant(), self.is_officer())
    }

    /// The permission table.
    pub fn allows(&self, action: ForumAction) -> bool {
        if self.is_admin() {
            return true;
        }
        let signed_in = self.caller.is_some();
        match action {
            ForumAction::ReadForum => true,
            ForumAction::ReadParticipantRecords => self.role.is_some(),
            ForumAction::EditForumProfile | ForumAction::DecideMembership => self.is_officer(),
            ForumAction::EditForumSettings => false,
            ForumAction::ApplyForMembership { organisation_id }
            | ForumAction::LeaveForum { organisation_id }
            | ForumAction::EditContribution { organisation_id } => {
                signed_in && self.caller_organisation() == Some(organisation_id)
            }
            ForumAction::AssignRole(role) => !role.needs_admin_to_assign() && self.is_officer(),
            ForumAction::ReadAudit => self
                .role
                .is_some_and(|r| r.is_officer() || r == ForumRole::RpdStaff),
            ForumAction::RunMeetings | ForumAction::DraftMinutes | ForumAction::ManageWebhooks => {
                self.is_officer()
            }
            ForumAction::TakePart => self.role.is_some_and(|r| r != ForumRole::Observer),
            ForumAction::EditHeldAgenda => self.role == Some(ForumRole::Secretary),
            ForumAction::UpdateAction {
                owner_organisation_id,
            } => {
                self.is_officer()
                    || (self.role == Some(ForumRole::Member)
                        && owner_organisation_id.is_some()
                        && owner_organisation_id == self.caller_organisation())
            }
            ForumAction::RaiseIssue => self.is_officer() || self.role == Some(ForumRole::Member),
            ForumAction::RespondToIssue => self.role == Some(ForumRole::RpdStaff),
            ForumAction::SettleIssue { raised_by } => {
                self.is_officer()
                    || (self.role.is_some()
                        && raised_by.is_some()
                        && raised_by == self.caller.as_ref().map(|c| c.id))
            }
            ForumAction::ReadMeetingPaper { visibility, held } => {
                if self.role.is_some() {
                    self.may_read(visibility)
                } else {
                    held && visibility == Visibility::Public
                }
            }
            ForumAction::ReadForumPaper { visibility } => {
                self.role.is_some() && self.may_read(visibility)
            }
            ForumAction::RegisterConsultation | ForumAction::ReadInterests => {
                self.is_officer() || self.role == Some(ForumRole::RpdStaff)
            }
            ForumAction::RunConsultation | ForumAction::RunPolls => self.is_officer(),
            ForumAction::Contribute | ForumAction::Vote => {
                self.is_officer() || self.role == Some(ForumRole::Member)
            }
            ForumAction::RegisterInterest => {
                signed_in && !matches!(self.role, Some(ForumRole::Observer | ForumRole::RpdStaff))
            }
            ForumAction::KeepIssueEvidence => {
                self.allows(ForumAction::RaiseIssue) || self.allows(ForumAction::RespondToIssue)
            }
            ForumAction::ApproveMinutes { forum_has_chair } => match self.role {
                Some(ForumRole::Chair) => true,
                Some(ForumRole::Secretary) => !forum_has_chair,
                _ => false,
            },
        }
    }

    /// Allows, or refuses with 401 (not signed in) or 403.
    pub fn require(&self, action: ForumAction) -> ApiResult<()> {
        self.check(action, || {
            ApiError::Forbidden(format!(
                "your role in this forum does not allow you to {}",
                action.describe()
            ))
        })
    }

    /// Allows, or refuses with 401 (not signed in) or 404: for records whose
    /// very existence the caller may not learn.
    pub fn require_visible(&self, action: ForumAction, what: &str) -> ApiResult<()> {
        self.check(action, || ApiError::not_found(what))
    }

    fn check(&self, action: ForumAction, refusal: impl FnOnce() -> ApiError) -> ApiResult<()> {
        if self.allows(action) {
            Ok(())
        } else if self.caller.is_none() {
            Err(ApiError::Unauthorized(
                "sign in to use this endpoint".into(),
            ))
        } else {
            Err(refusal())
        }
    }
}

/// `forums LEFT JOIN forum_roles` on the forum and this person: their role, if any.
fn role_of(user_id: Uuid) -> RelationDef {
    RelationDef::from(
        forum_role::Entity::belongs_to(forum::Entity)
            .from(forum_role::Column::ForumId)
            .to(forum::Column::Id),
    )
    .rev()
    .on_condition(move |_forums, roles| {
        Expr::col((roles, forum_role::Column::UserId))
            .eq(user_id)
            .into_condition()
    })
}

/// Keeping a region's plan and commitments up to date: the RPD staff of the
/// region (those holding `rpd_staff` in its forum) and admins. Refuses with
/// 401 when not signed in, 403 otherwise.
pub async fn require_plan_editor(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    caller: Option<&AuthUser>,
) -> ApiResult<()> {
    let Some(user) = caller else {
        return Err(ApiError::Unauthorized(
            "sign in to use this endpoint".into(),
        ));
    };
    if user.user.is_admin {
        return Ok(());
    }
    let forums_of_region = sea_orm::sea_query::Query::select()
        .column(forum::Column::Id)
        .from(forum::Entity)
        .and_where(forum::Column::RegionId.eq(region_id))
        .to_owned();
    let is_rpd_staff = forum_role::Entity::find()
        .filter(forum_role::Column::UserId.eq(user.id()))
        .filter(forum_role::Column::Role.eq(ForumRole::RpdStaff))
        .filter(forum_role::Column::ForumId.in_subquery(forums_of_region))
        .one(conn)
        .await?
        .is_some();
    if is_rpd_staff {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the region's RPD staff and admins keep its plan".into(),
        ))
    }
}

mod caller;
#[cfg(test)]
pub(crate) mod cases;
mod records;
#[cfg(test)]
pub(crate) mod table;
#[cfg(test)]
mod tests;
