//! What a paper is attached to — a meeting (or one of its agenda items), a
//! raised issue, or a region's plan — and the rules that follow from it:
//! who reads its papers, who adds and changes them, and when they may no
//! longer be taken back.

use entity::{
    ConsultationStatus, IssueStatus, MeetingStatus, Visibility, agenda_item, consultation, meeting,
    paper, raised_issue, regional_plan,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::types::AttachedTo;
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction, require_plan_editor};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{People, people_of_region};

pub(super) enum Holder {
    Meeting {
        meeting: Box<meeting::Model>,
        item: Option<Box<agenda_item::Model>>,
    },
    Issue {
        issue: Box<raised_issue::Model>,
    },
    Plan,
    Consultation {
        consultation: Box<consultation::Model>,
    },
}

/// A holder, and the caller's standing towards it.
pub(super) struct Attached {
    pub holder: Holder,
    /// The caller's access to the forum (for meetings and issues).
    pub access: Option<ForumAccess>,
    /// Whether the caller keeps the region's plan (for plans).
    pub plan_editor: bool,
    /// Whether the caller is shown people's names here: they take part in
    /// the forum (for plans, the region's forum).
    pub people: People,
}

fn gone(what: &str) -> ApiError {
    ApiError::not_found(what)
}

impl Attached {
    /// What `to` names (404 when there is no such thing), and the caller's
    /// standing towards it.
    pub async fn of(
        conn: &impl ConnectionTrait,
        to: AttachedTo,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        match to {
            AttachedTo::Meeting(id) => Self::meeting(conn, id, None, caller).await,
            AttachedTo::Issue(id) => Self::issue(conn, id, caller).await,
            AttachedTo::Plan(id) => Self::plan(conn, id, caller).await,
            AttachedTo::Consultation(id) => Self::consultation(conn, id, caller).await,
        }
    }

    pub async fn meeting(
        conn: &impl ConnectionTrait,
        meeting_id: Uuid,
        item: Option<agenda_item::Model>,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        let meeting = meeting::Entity::find_by_id(meeting_id)
            .one(conn)
            .await?
            .ok_or_else(|| gone("meeting"))?;
        let access = ForumAccess::load(conn, meeting.forum_id, caller).await?;
        Ok(Self::of_meeting(meeting, item, access))
    }

    /// A meeting (or one of its items) and the caller's access to its
    /// forum, both already read.
    pub fn of_meeting(
        meeting: meeting::Model,
        item: Option<agenda_item::Model>,
        access: ForumAccess,
    ) -> Self {
        Self {
            holder: Holder::Meeting {
                meeting: Box::new(meeting),
                item: item.map(Box::new),
            },
            people: People::of(&access),
            access: Some(access),
            plan_editor: false,
        }
    }

    pub async fn issue(
        conn: &impl ConnectionTrait,
        issue_id: Uuid,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        let issue = raised_issue::Entity::find_by_id(issue_id)
            .one(conn)
            .await?
            .ok_or_else(|| gone("issue"))?;
        let access = ForumAccess::load(conn, issue.forum_id, caller).await?;
        Ok(Self {
            holder: Holder::Issue {
                issue: Box::new(issue),
            },
            people: People::of(&access),
            access: Some(access),
            plan_editor: false,
        })
    }

    pub async fn plan(
        conn: &impl ConnectionTrait,
        plan_id: Uuid,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        let plan = regional_plan::Entity::find_by_id(plan_id)
            .one(conn)
            .await?
            .ok_or_else(|| gone("plan"))?;
        let plan_editor = match caller {
            Some(_) => require_plan_editor(conn, plan.region_id, caller)
                .await
                .is_ok(),
            None => false,
        };
        // Those who keep the plan take part in the region's forum.
        let people = if plan_editor {
            People::Named
        } else {
            people_of_region(conn, Expr::val(plan.region_id), caller).await?
        };
        Ok(Self {
            holder: Holder::Plan,
            access: None,
            plan_editor,
            people,
        })
    }

    pub async fn consultation(
        conn: &impl ConnectionTrait,
        consultation_id: Uuid,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        let consultation = consultation::Entity::find_by_id(consultation_id)
            .one(conn)
            .await?
            .ok_or_else(|| gone("consultation"))?;
        let access = ForumAccess::load(conn, consultation.forum_id, caller).await?;
        Ok(Self {
            holder: Holder::Consultation {
                consultation: Box::new(consultation),
            },
            people: People::of(&access),
            access: Some(access),
            plan_editor: false,
        })
    }

    /// What a paper is attached to, as it now is.
    pub async fn of_paper(
        conn: &impl ConnectionTrait,
        paper: &paper::Model,
        caller: Option<&AuthUser>,
    ) -> ApiResult<Self> {
        if let Some(meeting_id) = paper.meeting_id {
            let item = match paper.agenda_item_id {
                Some(item) => agenda_item::Entity::find_by_id(item).one(conn).await?,
                None => None,
            };
            Self::meeting(conn, meeting_id, item, caller).await
        } else if let Some(issue_id) = paper.issue_id {
            Self::issue(conn, issue_id, caller).await
        } else if let Some(plan_id) = paper.plan_id {
            Self::plan(conn, plan_id, caller).await
        } else if let Some(consultation_id) = paper.consultation_id {
            Self::consultation(conn, consultation_id, caller).await
        } else {
            Err(ApiError::Internal(format!(
                "paper {} is attached to nothing",
                paper.id
            )))
        }
    }

    /// A participant of the forum (meetings and issues).
    fn is_participant(&self) -> bool {
        self.access
            .as_ref()
            .is_some_and(|a| a.allows(ForumAction::ReadParticipantRecords))
    }

    pub fn forum_id(&self) -> Option<Uuid> {
        match &self.holder {
            Holder::Meeting { meeting, .. } => Some(meeting.forum_id),
            Holder::Issue { issue } => Some(issue.forum_id),
            Holder::Plan => None,
            Holder::Consultation { consultation } => Some(consultation.forum_id),
        }
    }

    /// The visibility papers inherit: their agenda item's, else public (a
    /// meeting's and an issue's readers are decided by [`Self::may_read`]).
    pub fn inherited(&self) -> (Visibility, Option<String>) {
        match &self.holder {
            Holder::Meeting {
                item: Some(item), ..
            } => (item.visibility, item.visibility_reason.clone()),
            _ => (Visibility::Public, None),
        }
    }

    /// Whether the caller may read a paper of this visibility here: a
    /// meeting's, its forum's participants as their role allows, and anyone
    /// its public ones once it is held; an issue's, the forum's participants
    /// as their role allows; a plan's, anyone its public ones, and those who
    /// keep the plan the rest.
    pub fn may_read(&self, visibility: Visibility) -> bool {
        let allows = |action| self.access.as_ref().is_some_and(|a| a.allows(action));
        match &self.holder {
            Holder::Meeting { meeting, .. } => allows(ForumAction::ReadMeetingPaper {
                visibility,
                held: meeting.status == MeetingStatus::Held,
            }),
            Holder::Issue { .. } => allows(ForumAction::ReadForumPaper { visibility }),
            Holder::Plan => visibility == Visibility::Public || self.plan_editor,
            Holder::Consultation { consultation } => {
                allows(ForumAction::ReadForumPaper { visibility })
                    || (visibility == Visibility::Public
                        && consultation.status == ConsultationStatus::Submitted)
            }
        }
    }

    /// Whether the caller may see this holder's list of papers at all
    /// (404 otherwise: its existence is not theirs to learn).
    pub fn may_list(&self) -> bool {
        let participant = self.is_participant();
        match &self.holder {
            Holder::Meeting { meeting, .. } => participant || meeting.status == MeetingStatus::Held,
            Holder::Issue { .. } => participant,
            Holder::Plan => true,
            Holder::Consultation { consultation } => {
                participant || consultation.status == ConsultationStatus::Submitted
            }
        }
    }

    /// Who adds and changes papers: a meeting's officers; those who raise
    /// or answer a forum's issues; the RPD staff who keep a plan (and
    /// admins everywhere). 403 to anyone else who may read them.
    pub fn require_write(&self) -> ApiResult<()> {
        match (&self.holder, &self.access) {
            (Holder::Meeting { .. }, Some(access)) => access.require(ForumAction::RunMeetings),
            (Holder::Issue { .. }, Some(access)) => access.require(ForumAction::KeepIssueEvidence),
            (Holder::Consultation { .. }, Some(access)) => {
                access.require(ForumAction::RegisterConsultation)
            }
            (Holder::Plan, _) if self.plan_editor => Ok(()),
            _ => Err(ApiError::Forbidden(
                "only the region's RPD staff and admins keep its plan's papers".into(),
            )),
        }
    }

    /// 409 when what the papers are of no longer takes them (a cancelled
    /// meeting) or no longer lets them go (a held meeting, a closed issue).
    pub fn require_open(&self, deleting: bool) -> ApiResult<()> {
        match &self.holder {
            Holder::Meeting { meeting, .. } if meeting.status == MeetingStatus::Cancelled => {
                Err(ApiError::Conflict(
                    "this meeting was cancelled; its papers are as they were".into(),
                ))
            }
            Holder::Meeting { meeting, .. }
                if deleting && meeting.status == MeetingStatus::Held =>
            {
                Err(ApiError::Conflict(
                    "the meeting has been held: the papers it saw are kept".into(),
                ))
            }
            Holder::Issue { issue } if issue.status == IssueStatus::Closed => Err(
                ApiError::Conflict("this issue is closed: its evidence is kept as it was".into()),
            ),
            Holder::Consultation { consultation }
                if consultation.status == ConsultationStatus::Withdrawn
                    || (deleting && consultation.status == ConsultationStatus::Submitted) =>
            {
                Err(ApiError::Conflict(format!(
                    "the consultation is {}: its papers are kept as they were",
                    consultation.status.as_str()
                )))
            }
            _ => Ok(()),
        }
    }
}

/// 409 when the consultation (share-locked for the rest of the
/// transaction) was withdrawn, or, for a deletion, submitted: what was sent
/// is kept.
pub(super) async fn require_consultation_open(
    txn: &sea_orm::DatabaseTransaction,
    consultation_id: Uuid,
    deleting: bool,
) -> ApiResult<()> {
    use entity::ConsultationStatus::{Submitted, Withdrawn};
    let consultation = crate::consultations::lock_consultation(txn, consultation_id).await?;
    if consultation.status == Withdrawn || (deleting && consultation.status == Submitted) {
        return Err(ApiError::Conflict(format!(
            "the consultation is {}: its papers are kept as they were",
            consultation.status.as_str()
        )));
    }
    Ok(())
}
