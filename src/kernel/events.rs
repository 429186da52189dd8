//! The events of the outbox and how a write records one.

use chrono::{DateTime, Utc};
use entity::{NotificationMode, outbox_event};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::Value;
use uuid::Uuid;

/// The kinds of event people are told about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    MeetingScheduled,
    MeetingRescheduled,
    MeetingCancelled,
    MinutesApproved,
    IssueRaised,
    IssueAcknowledged,
    IssueResponded,
    IssueReopened,
    IssueClosed,
    ActionAssigned,
    ActionProgress,
    ActionMoved,
    CommitmentMoved,
    AgendaItemProposed,
    AgendaItemDecided,
    MembershipApplied,
    MembershipDecided,
    RoleGiven,
    RoleRemoved,
    // Reminders, found by the daily scan.
    ActionDueSoon,
    ActionDueToday,
    ActionOverdue,
    IssueResponseDueSoon,
    IssueResponseOverdue,
    MeetingTomorrow,
    RsvpClosing,
    /// A consultation registered for the forum to answer.
    ConsultationRegistered,
    /// Contributions to a consultation close within three days.
    ContributionsClosing,
    /// A consultation not yet answered closes within a week.
    ConsultationClosing,
    /// A poll opens today.
    PollOpening,
    /// A poll closes tomorrow.
    PollClosing,
    /// A webhook switched off after failing again and again.
    WebhookDisabled,
    // A person's own account: always sent, whatever their settings.
    PasswordReset,
    EmailVerification,
    /// Someone tried to register an address that has an account: its owner
    /// is told, with a code to choose a new password.
    AccountExists,
    /// A change of address asked for: the new address is sent a code that
    /// confirms it.
    EmailChange,
    /// A change of address asked for: the old address is told of it.
    EmailChangeRequested,
    /// Someone asked to move another account to an address that has an
    /// account: its owner is told, and nothing changes.
    EmailTaken,
    /// A change of address made: the old address is told it no longer
    /// signs in.
    EmailChanged,
    /// The day's gathered news of one person.
    Digest,
}

impl Kind {
    pub const ALL: [Kind; 40] = [
        Kind::MeetingScheduled,
        Kind::MeetingRescheduled,
        Kind::MeetingCancelled,
        Kind::MinutesApproved,
        Kind::IssueRaised,
        Kind::IssueAcknowledged,
        Kind::IssueResponded,
        Kind::IssueReopened,
        Kind::IssueClosed,
        Kind::ActionAssigned,
        Kind::ActionProgress,
        Kind::ActionMoved,
        Kind::CommitmentMoved,
        Kind::AgendaItemProposed,
        Kind::AgendaItemDecided,
        Kind::MembershipApplied,
        Kind::MembershipDecided,
        Kind::RoleGiven,
        Kind::RoleRemoved,
        Kind::ActionDueSoon,
        Kind::ActionDueToday,
        Kind::ActionOverdue,
        Kind::IssueResponseDueSoon,
        Kind::IssueResponseOverdue,
        Kind::MeetingTomorrow,
        Kind::RsvpClosing,
        Kind::ConsultationRegistered,
        Kind::ContributionsClosing,
        Kind::ConsultationClosing,
        Kind::PollOpening,
        Kind::PollClosing,
        Kind::WebhookDisabled,
        Kind::PasswordReset,
        Kind::EmailVerification,
        Kind::AccountExists,
        Kind::EmailChange,
        Kind::EmailChangeRequested,
        Kind::EmailTaken,
        Kind::EmailChanged,
        Kind::Digest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MeetingScheduled => "meeting.scheduled",
            Kind::MeetingRescheduled => "meeting.rescheduled",
            Kind::MeetingCancelled => "meeting.cancelled",
            Kind::MinutesApproved => "minutes.approved",
            Kind::IssueRaised => "issue.raised",
            Kind::IssueAcknowledged => "issue.acknowledged",
            Kind::IssueResponded => "issue.responded",
            Kind::IssueReopened => "issue.reopened",
            Kind::IssueClosed => "issue.closed",
            Kind::ActionAssigned => "action.assigned",
            Kind::ActionProgress => "action.progress-logged",
            Kind::ActionMoved => "action.moved",
            Kind::CommitmentMoved => "commitment.status-changed",
            Kind::AgendaItemProposed => "agenda-item.proposed",
            Kind::AgendaItemDecided => "agenda-item.decided",
            Kind::MembershipApplied => "membership.applied",
            Kind::MembershipDecided => "membership.decided",
            Kind::RoleGiven => "role.given",
            Kind::RoleRemoved => "role.removed",
            Kind::ActionDueSoon => "action.due-soon",
            Kind::ActionDueToday => "action.due-today",
            Kind::ActionOverdue => "action.overdue",
            Kind::IssueResponseDueSoon => "issue.response-due-soon",
            Kind::IssueResponseOverdue => "issue.response-overdue",
            Kind::MeetingTomorrow => "meeting.tomorrow",
            Kind::RsvpClosing => "meeting.rsvp-closing",
            Kind::ConsultationRegistered => "consultation.registered",
            Kind::ContributionsClosing => "consultation.contributions-closing",
            Kind::ConsultationClosing => "consultation.closing",
            Kind::PollOpening => "poll.opening",
            Kind::PollClosing => "poll.closing",
            Kind::WebhookDisabled => "webhook.disabled",
            Kind::PasswordReset => "account.password-reset",
            Kind::EmailVerification => "account.email-verification",
            Kind::AccountExists => "account.exists",
            Kind::EmailChange => "account.email-change",
            Kind::EmailChangeRequested => "account.email-change-requested",
            Kind::EmailTaken => "account.email-taken",
            Kind::EmailChanged => "account.email-changed",
            Kind::Digest => "digest.daily",
        }
    }

    /// Whether people choose how (and whether) they hear of it. Account
    /// links are always sent; the digest is how the chosen kinds arrive.
    pub fn is_chosen(self) -> bool {
        !self.is_account() && self != Kind::Digest
    }

    /// About a person's own account (its links and what is asked of it):
    /// sent to them alone, always, whatever their settings.
    pub fn is_account(self) -> bool {
        matches!(
            self,
            Kind::PasswordReset
                | Kind::EmailVerification
                | Kind::AccountExists
                | Kind::EmailChange
                | Kind::EmailChangeRequested
                | Kind::EmailTaken
                | Kind::EmailChanged
        )
    }

    /// Sent to an address not yet verified: what concerns the account
    /// itself (the links that verify an address or recover the account),
    /// and an officer's invitation into a forum.
    pub fn mails_unverified(self) -> bool {
        self.is_account() || self == Kind::RoleGiven
    }

    /// How it reaches someone who has not chosen: news of the whole forum
    /// in the daily digest, what is addressed to them (or asks something of
    /// them, like a meeting's invitation) as it happens.
    pub fn default_mode(self) -> NotificationMode {
        match self {
            Kind::MinutesApproved | Kind::CommitmentMoved => NotificationMode::DailyDigest,
            _ => NotificationMode::Immediate,
        }
    }

    /// The kinds people choose about, in order.
    pub fn chosen() -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(|k| k.is_chosen())
    }

    /// Whether its emails carry the meeting's calendar invitation.
    pub fn invites(self) -> bool {
        matches!(
            self,
            Kind::MeetingScheduled | Kind::MeetingRescheduled | Kind::MeetingCancelled
        )
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The schema of a string naming one of `kinds`, for the spec.
    pub fn names_schema(kinds: impl Iterator<Item = Kind>) -> utoipa::openapi::Object {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .enum_values(Some(kinds.map(Kind::as_str)))
            .build()
    }
}

/// Something people must hear about. `payload` holds what the message says
/// of the record as it was at the write (its title, the time of a meeting),
/// so that the message tells what happened, not what is true later.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: Kind,
    pub forum_id: Option<Uuid>,
    pub entity: &'static str,
    pub entity_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub payload: Value,
}

/// Records the event in the outbox; call it inside the write's transaction.
pub async fn emit(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event: Event,
) -> Result<(), DbErr> {
    outbox_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(event.kind.as_str().to_string()),
        forum_id: Set(event.forum_id),
        entity: Set(event.entity.to_string()),
        entity_id: Set(event.entity_id),
        actor_id: Set(event.actor_id),
        payload: Set(event.payload),
        created_at: Set(now),
        dispatched_at: Set(None),
        once_key: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("meeting.held"), None);
    }
}
