//! What each kind of message says: its headline (the subject), its opening
//! sentence and the labelled facts it lists, from the event's payload.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::kernel::events::Kind;

pub(super) fn text(payload: &Value, field: &str) -> Option<String> {
    payload.get(field)?.as_str().map(str::to_string)
}

pub(super) fn headline(kind: Kind) -> &'static str {
    match kind {
        Kind::MeetingScheduled => "Meeting scheduled",
        Kind::MeetingRescheduled => "Meeting moved",
        Kind::MeetingCancelled => "Meeting cancelled",
        Kind::MinutesApproved => "Minutes approved",
        Kind::IssueRaised => "Issue raised",
        Kind::IssueAcknowledged => "Issue acknowledged",
        Kind::IssueResponded => "Issue answered",
        Kind::IssueReopened => "Issue re-opened",
        Kind::IssueClosed => "Issue closed",
        Kind::ActionAssigned => "Action for you",
        Kind::ActionProgress => "Progress on an action",
        Kind::ActionMoved => "Action moved",
        Kind::CommitmentMoved => "Commitment moved",
        Kind::AgendaItemProposed => "Agenda item proposed",
        Kind::AgendaItemDecided => "Your agenda item",
        Kind::MembershipApplied => "Membership application",
        Kind::MembershipDecided => "Your membership",
        Kind::RoleGiven => "Your role in a forum",
        Kind::RoleRemoved => "Your role in a forum ended",
        Kind::ActionDueSoon => "Action due soon",
        Kind::ActionDueToday => "Action due today",
        Kind::ActionOverdue => "Action overdue",
        Kind::IssueResponseDueSoon => "Answer due soon",
        Kind::IssueResponseOverdue => "Answer overdue",
        Kind::MeetingTomorrow => "Meeting tomorrow",
        Kind::RsvpClosing => "Will you come?",
        Kind::ConsultationRegistered => "Consultation to answer",
        Kind::ContributionsClosing => "Contributions close soon",
        Kind::ConsultationClosing => "Consultation closes soon",
        Kind::PollOpening => "Poll open",
        Kind::PollClosing => "Poll closes tomorrow",
        Kind::WebhookDisabled => "Webhook switched off",
        Kind::PasswordReset => "Reset your Convene password",
        Kind::EmailVerification => "Confirm your email address for Convene",
        Kind::AccountExists => "You already have a Convene account",
        Kind::EmailChange => "Confirm your new email address for Convene",
        Kind::EmailChangeRequested => "A change of your Convene email address was asked for",
        Kind::EmailTaken => "This address already has a Convene account",
        Kind::EmailChanged => "Your Convene account has a new email address",
        Kind::Digest => "Your Convene digest",
    }
}

pub(super) fn sentence(kind: Kind) -> &'static str {
    match kind {
        Kind::MeetingScheduled => "A meeting of your forum has been scheduled.",
        Kind::MeetingRescheduled => "A meeting of your forum has moved.",
        Kind::MeetingCancelled => "A meeting of your forum has been cancelled.",
        Kind::MinutesApproved => {
            "The minutes of a meeting of your forum are approved and published."
        }
        Kind::IssueRaised => {
            "An issue has been raised with the Regional Probation Director's team."
        }
        Kind::IssueAcknowledged => {
            "The Regional Probation Director's team has acknowledged an issue."
        }
        Kind::IssueResponded => "The Regional Probation Director's team has answered an issue.",
        Kind::IssueReopened => {
            "An answered issue has been re-opened: the answer did not settle it."
        }
        Kind::IssueClosed => "An issue has been closed.",
        Kind::ActionAssigned => "An action of your forum is yours to carry out.",
        Kind::ActionProgress => "Progress has been logged on an action that is yours.",
        Kind::ActionMoved => "An action that is yours has changed status.",
        Kind::CommitmentMoved => {
            "A commitment of your region's Reducing Reoffending Plan has changed status."
        }
        Kind::AgendaItemProposed => "An item has been proposed for a meeting's agenda.",
        Kind::AgendaItemDecided => "The officers have decided on the item you proposed.",
        Kind::MembershipApplied => "An organisation has applied to join your forum.",
        Kind::MembershipDecided => "Your organisation's membership of a forum has changed.",
        Kind::RoleGiven => "You have been given a role in a forum.",
        Kind::RoleRemoved => "Your role in a forum has been taken away.",
        Kind::ActionDueSoon => "An action is due within a week.",
        Kind::ActionDueToday => "An action is due today.",
        Kind::ActionOverdue => "An action is past its due date and not done.",
        Kind::IssueResponseDueSoon => {
            "The Regional Probation Director's team's answer to an issue is due within three days."
        }
        Kind::IssueResponseOverdue => {
            "The Regional Probation Director's team's answer to an issue is past due."
        }
        Kind::MeetingTomorrow => "A meeting of your forum is tomorrow.",
        Kind::RsvpClosing => {
            "A meeting of your forum is soon and you have not said whether you will come; \
             answers close when it starts."
        }
        Kind::ConsultationRegistered => {
            "Your forum will answer a consultation together: your organisation's \
             contribution to each question is welcome until the forum's deadline."
        }
        Kind::ContributionsClosing => {
            "Contributions to a consultation your forum is answering close within three days."
        }
        Kind::ConsultationClosing => {
            "A consultation your forum is answering closes within a week and its response \
             is not yet submitted."
        }
        Kind::PollOpening => {
            "A poll of your forum's member organisations is open: one vote per organisation."
        }
        Kind::PollClosing => {
            "A poll of your forum's member organisations closes tomorrow; a later vote by \
             your organisation replaces its earlier one until then."
        }
        Kind::WebhookDisabled => {
            "A webhook of your forum failed again and again and has been switched off; \
             nothing more is sent to it until an officer switches it on again."
        }
        Kind::PasswordReset => {
            "Someone (we hope you) asked to reset your Convene password. Follow the link \
             below (or use the code) within 30 minutes to choose a new one; if it was not \
             you, ignore this email and your password stays as it is."
        }
        Kind::EmailVerification => {
            "Follow the link below (or use the code) to confirm that this address is \
             yours, so that Convene can send you your forums' news."
        }
        Kind::AccountExists => {
            "Someone (we hope you) tried to create a Convene account with this address, \
             which already has one. If it was you, sign in with your password, or choose a \
             new one by following the link below (or with the code) within 30 minutes. If it was not you, ignore this \
             email: nothing has changed."
        }
        Kind::EmailChange => {
            "Someone (we hope you) asked to change the email address of their Convene \
             account to this one. Follow the link below (or use the code) within 24 hours \
             to confirm it; until then the account keeps its old address. If it was not \
             you, ignore this email: nothing changes."
        }
        Kind::EmailChangeRequested => {
            "Someone signed in to your Convene account asked to change its email address \
             to the one below. It changes only when the code sent to that address is used. \
             If it was you, there is nothing to do here. If it was not you, someone knows \
             your password: follow the link below (or use the code) within 30 minutes to \
             choose a new one, which calls the change off and signs everyone out."
        }
        Kind::EmailTaken => {
            "Someone asked to change the email address of another Convene account to this \
             one, which has an account of its own. Nothing has changed: your account and \
             its address are as they were. If it was you, sign in with this address."
        }
        Kind::EmailChanged => {
            "The email address of your Convene account was changed to the one below, which \
             its code proved. This address no longer signs in to it, and Convene will write \
             to the new one from now on. If you did not make this change, tell your forum's \
             secretary or Convene's administrators at once."
        }
        Kind::Digest => "Here is what happened in your forums since your last digest.",
    }
}

/// A time as people in England and Wales read it: London's clock, with
/// GMT or BST named.
fn when(payload: &Value, field: &str) -> Option<String> {
    let at: DateTime<Utc> = text(payload, field)?.parse().ok()?;
    let local = at.with_timezone(&chrono_tz::Europe::London);
    Some(local.format("%a %-d %b %Y, %H:%M %Z").to_string())
}

/// The labelled facts a message lists, in order.
pub(super) fn details(kind: Kind, payload: &Value) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    let mut add = |label, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            lines.push((label, value));
        }
    };
    add("Title", text(payload, "title"));
    match kind {
        Kind::MeetingScheduled | Kind::MeetingRescheduled | Kind::MeetingCancelled => {
            add("Was", when(payload, "previous_starts_at"));
            add("Starts", when(payload, "starts_at"));
            add("Ends", when(payload, "ends_at"));
            add("Where", text(payload, "location"));
            add("Online", text(payload, "online_link"));
            add("Reason", text(payload, "cancel_reason"));
        }
        Kind::MinutesApproved => add("Meeting of", when(payload, "starts_at")),
        Kind::IssueRaised
        | Kind::IssueAcknowledged
        | Kind::IssueResponded
        | Kind::IssueReopened
        | Kind::IssueClosed => {
            add("Priority", text(payload, "priority"));
            add("Answer due by", text(payload, "response_due_on"));
            add("Reason", text(payload, "reason"));
        }
        Kind::ActionAssigned | Kind::ActionProgress | Kind::ActionMoved => {
            add("Due", text(payload, "due_on"));
            add("Status was", text(payload, "status_from"));
            add("Status now", text(payload, "status_to"));
            add("Note", text(payload, "note"));
        }
        Kind::CommitmentMoved => {
            add("Status was", text(payload, "status_from"));
            add("Status now", text(payload, "status_to"));
            add("Note", text(payload, "note"));
        }
        Kind::AgendaItemProposed | Kind::AgendaItemDecided => {
            add("Meeting", text(payload, "meeting"));
            add("Meeting starts", when(payload, "starts_at"));
            add("Status", text(payload, "status"));
        }
        Kind::MembershipApplied | Kind::MembershipDecided => {
            add("Status", text(payload, "status"));
            add("Reason", text(payload, "reason"));
        }
        Kind::RoleGiven | Kind::RoleRemoved => add("Role", text(payload, "role")),
        Kind::ActionDueSoon | Kind::ActionDueToday | Kind::ActionOverdue => {
            add("Due", text(payload, "due_on"));
            add("Status", text(payload, "status"));
        }
        Kind::IssueResponseDueSoon | Kind::IssueResponseOverdue => {
            add("Priority", text(payload, "priority"));
            add("Answer due by", text(payload, "response_due_on"));
        }
        Kind::MeetingTomorrow | Kind::RsvpClosing => {
            add("Starts", when(payload, "starts_at"));
            add("Where", text(payload, "location"));
            add("Online", text(payload, "online_link"));
        }
        Kind::ConsultationRegistered | Kind::ContributionsClosing | Kind::ConsultationClosing => {
            add("Consulting", text(payload, "consulting_body"));
            add("Contributions close", text(payload, "internal_deadline"));
            add("Consultation closes", text(payload, "closes_on"));
        }
        Kind::PollOpening | Kind::PollClosing => {
            add("Opens", when(payload, "opens_at"));
            add("Closes", when(payload, "closes_at"));
        }
        Kind::WebhookDisabled => {
            add("URL", text(payload, "url"));
            add("Last error", text(payload, "reason"));
        }
        Kind::PasswordReset
        | Kind::EmailVerification
        | Kind::AccountExists
        | Kind::EmailChange
        | Kind::EmailChangeRequested => {
            add("New address", text(payload, "new_email"));
            add("Code", text(payload, "token"));
            add("Valid until", when(payload, "expires_at"));
        }
        Kind::EmailChanged => add("New address", text(payload, "new_email")),
        Kind::EmailTaken | Kind::Digest => {}
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_told_on_london_s_clock_across_the_change() {
        let winter = serde_json::json!({"at": "2026-12-08T10:00:00Z"});
        let summer = serde_json::json!({"at": "2026-06-09T09:00:00Z"});
        assert_eq!(
            when(&winter, "at").as_deref(),
            Some("Tue 8 Dec 2026, 10:00 GMT")
        );
        assert_eq!(
            when(&summer, "at").as_deref(),
            Some("Tue 9 Jun 2026, 10:00 BST")
        );
    }
}
