//! What a message says: one email per recipient, with a plain-text and an
//! HTML alternative (user text escaped, never markup), a link to the record,
//! and a Message-ID fixed when it is queued so that a resend is recognisably
//! the same message. Each carries a link that turns that kind of email off
//! for its recipient, also as one-click `List-Unsubscribe` headers.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::{meeting, outbox_event};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use serde_json::Value;
use uuid::Uuid;

use super::recipients::Recipient;
use crate::kernel::credentials::tokens::TokenKeys;
use crate::kernel::events::Kind;
use crate::kernel::links::api_path;

/// Builds the messages, with the sender, the base of every link and the
/// keys that sign unsubscribe links.
#[derive(Clone)]
pub struct Composer {
    from: Mailbox,
    public_url: Option<String>,
    /// The right-hand side of every Message-ID.
    domain: String,
    tokens: Arc<TokenKeys>,
}

/// An event told in someone's digest, with the name of its forum.
#[derive(Debug, Clone)]
pub struct DigestItem {
    pub forum: String,
    pub kind: Kind,
    pub event: outbox_event::Model,
}

/// A meeting's calendar invitation for one person, from its forum.
struct Invitation<'a> {
    meeting: &'a meeting::Model,
    forum: Option<&'a str>,
    attendee: &'a str,
}

/// A message ready to queue.
#[derive(Debug)]
pub struct Composed {
    pub subject: String,
    /// The whole message, RFC 5322 (7-bit: lettre encodes what is not ASCII).
    pub message: String,
}

impl Composer {
    /// `from` as `Name <address>` or a bare address.
    pub fn new(
        from: &str,
        public_url: Option<&str>,
        tokens: Arc<TokenKeys>,
    ) -> Result<Self, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|err| format!("the sender {from:?} is not an email address: {err}"))?;
        let domain = public_url
            .and_then(|url| url.parse::<axum::http::Uri>().ok())
            .and_then(|uri| uri.host().map(str::to_string))
            .unwrap_or_else(|| from.email.domain().to_string());
        Ok(Self {
            from,
            public_url: public_url.map(str::to_string),
            domain,
            tokens,
        })
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    pub fn message_id(&self, delivery_id: Uuid) -> String {
        format!("<{delivery_id}@{}>", self.domain)
    }

    /// The email telling `to` of the event, which happened in `forum` (its
    /// name) if it concerns one.
    pub fn email(
        &self,
        delivery_id: Uuid,
        event: &outbox_event::Model,
        kind: Kind,
        to: &Recipient,
        meeting: Option<&meeting::Model>,
        forum: Option<&str>,
    ) -> Result<Composed, String> {
        let payload = &event.payload;
        let mut subject = match text(payload, "title") {
            Some(title) => format!("{}: {title}", headline(kind)),
            None => headline(kind).to_string(),
        };
        // An invitation says whose meeting it is: people sit on several
        // forums, and a title such as "Quarterly meeting" is everyone's.
        if let Some(forum) = forum.filter(|_| kind.invites()) {
            subject.push_str(&format!(" ({forum})"));
        }
        // An account link's secret is the message; it points at no record.
        let link = kind
            .is_chosen()
            .then(|| self.link(&event.entity, event.entity_id))
            .flatten();
        let mut details = details(kind, payload);
        if let Some(forum) = forum {
            details.insert(0, ("Forum", forum.to_string()));
        }
        let body = Body {
            name: &to.display_name,
            opening: sentence(kind),
            details: &details,
            link: link.as_deref(),
            sections: &[],
        };
        let stop = self.stop_link(to, kind)?;
        let invitation = meeting
            .filter(|_| kind.invites())
            .map(|meeting| Invitation {
                meeting,
                forum,
                attendee: &to.email,
            });
        let parts = self.parts(&body, stop.as_deref(), invitation);
        self.envelope(delivery_id, event, to, subject, stop, parts)
    }

    /// One person's digest: what they chose to hear of once a day, by forum.
    pub fn digest(
        &self,
        delivery_id: Uuid,
        event: &outbox_event::Model,
        to: &Recipient,
        items: &[DigestItem],
    ) -> Result<Composed, String> {
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        for item in items {
            let mut line = format!(
                "{}: {}",
                headline(item.kind),
                text(&item.event.payload, "title").unwrap_or_default(),
            );
            if let Some(link) = self.link(&item.event.entity, item.event.entity_id) {
                line.push_str(&format!(" {link}"));
            }
            match sections.last_mut() {
                Some((forum, lines)) if *forum == item.forum => lines.push(line),
                _ => sections.push((item.forum.clone(), vec![line])),
            }
        }
        let subject = format!(
            "Your Convene digest: {} update{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        );
        let body = Body {
            name: &to.display_name,
            opening: "Here is what happened in your forums since your last digest.",
            details: &[],
            link: None,
            sections: &sections,
        };
        let stop = self.stop_link(to, Kind::Digest)?;
        let parts = self.parts(&body, stop.as_deref(), None);
        self.envelope(delivery_id, event, to, subject, stop, parts)
    }

    /// The link that turns this kind off for the recipient; none for what
    /// cannot be turned off (their own account's links), nor without the
    /// public URL that a link needs.
    fn stop_link(&self, to: &Recipient, kind: Kind) -> Result<Option<String>, String> {
        let Some(public_url) = &self.public_url else {
            return Ok(None);
        };
        if !kind.is_chosen() && kind != Kind::Digest {
            return Ok(None);
        }
        let token = self
            .tokens
            .issue_unsubscribe(to.id, kind.as_str())
            .map_err(|err| format!("no unsubscribe link: {err}"))?;
        Ok(Some(format!(
            "{public_url}{}",
            api_path(format_args!("unsubscribe/{token}"))
        )))
    }

    fn envelope(
        &self,
        delivery_id: Uuid,
        event: &outbox_event::Model,
        to: &Recipient,
        subject: String,
        stop: Option<String>,
        parts: MultiPart,
    ) -> Result<Composed, String> {
        let recipient = Mailbox::new(
            Some(to.display_name.clone()),
            to.email
                .parse()
                .map_err(|err| format!("the address {:?} is not valid: {err}", to.email))?,
        );
        let mut builder = Message::builder();
        // One-click unsubscribe (RFC 8058), which needs an https link.
        if let Some(stop) = stop.filter(|s| s.starts_with("https://")) {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{stop}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        let message = builder
            .from(self.from.clone())
            .to(recipient)
            .subject(subject.clone())
            .message_id(Some(self.message_id(delivery_id)))
            // When the change was made: the order mail clients show them in.
            .date(event.created_at.into())
            .multipart(parts)
            .map_err(|err| format!("the message could not be built: {err}"))?;
        let message = String::from_utf8(message.formatted())
            .map_err(|err| format!("the message is not text: {err}"))?;
        Ok(Composed { subject, message })
    }

    /// The alternatives: text and HTML, and for a meeting scheduled, moved or
    /// cancelled its iTIP invitation, which mail clients offer to add to (or
    /// update in, or remove from) the calendar.
    fn parts(&self, body: &Body, stop: Option<&str>, invitation: Option<Invitation>) -> MultiPart {
        let parts = MultiPart::alternative()
            .singlepart(SinglePart::plain(body.plain(stop)))
            .singlepart(SinglePart::html(body.html(stop)));
        match invitation {
            Some(Invitation {
                meeting,
                forum,
                attendee,
            }) => {
                let organizer = crate::meetings::Organizer {
                    name: forum,
                    email: self.from.email.as_ref(),
                };
                let (method, ics) = crate::meetings::invitation(meeting, &organizer, attendee);
                let content_type =
                    ContentType::parse(&format!("text/calendar; method={method}; charset=utf-8"))
                        .unwrap_or(ContentType::TEXT_PLAIN);
                parts.singlepart(SinglePart::builder().header(content_type).body(ics))
            }
            None => parts,
        }
    }

    /// The record's address in the API, which needs the public URL: a
    /// message written without one carries no link rather than a path that
    /// leads nowhere from a mail client.
    fn link(&self, entity: &str, id: Uuid) -> Option<String> {
        let collection = match entity {
            "meeting" => "meetings",
            "issue" => "issues",
            "action" => "actions",
            "commitment" => "commitments",
            "forum" => "forums",
            "webhook" => "webhooks",
            "consultation" => "consultations",
            "poll" => "polls",
            other => other,
        };
        let public_url = self.public_url.as_deref()?;
        Some(format!(
            "{public_url}{}",
            api_path(format_args!("{collection}/{id}"))
        ))
    }
}

fn text(payload: &Value, field: &str) -> Option<String> {
    payload.get(field)?.as_str().map(str::to_string)
}

fn headline(kind: Kind) -> &'static str {
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
        Kind::Digest => "Your Convene digest",
    }
}

fn sentence(kind: Kind) -> &'static str {
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
            "Someone (we hope you) asked to reset your Convene password. Use the code \
             below within 30 minutes to choose a new one; if it was not you, ignore this \
             email and your password stays as it is."
        }
        Kind::EmailVerification => {
            "Use the code below to confirm that this address is yours, so that Convene \
             can send you your forums' news."
        }
        Kind::AccountExists => {
            "Someone (we hope you) tried to create a Convene account with this address, \
             which already has one. If it was you, sign in with your password, or choose a \
             new one with the code below within 30 minutes. If it was not you, ignore this \
             email: nothing has changed."
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
fn details(kind: Kind, payload: &Value) -> Vec<(&'static str, String)> {
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
        Kind::PasswordReset | Kind::EmailVerification | Kind::AccountExists => {
            add("Code", text(payload, "token"));
            add("Valid until", when(payload, "expires_at"));
        }
        Kind::Digest => {}
    }
    lines
}

const STOP: &str = "To stop emails like this one";

/// What a message says, before it is written as text and as HTML.
struct Body<'a> {
    name: &'a str,
    opening: &'a str,
    details: &'a [(&'static str, String)],
    link: Option<&'a str>,
    /// A digest's lines, under the name of their forum.
    sections: &'a [(String, Vec<String>)],
}

impl Body<'_> {
    fn plain(&self, stop: Option<&str>) -> String {
        let mut body = format!("Hello {},\n\n{}\n\n", self.name, self.opening);
        for (label, value) in self.details {
            body.push_str(&format!("{label}: {value}\n"));
        }
        for (forum, lines) in self.sections {
            body.push_str(&format!("{forum}\n"));
            for line in lines {
                body.push_str(&format!("- {line}\n"));
            }
            body.push('\n');
        }
        if let Some(link) = self.link {
            body.push_str(&format!("\n{link}\n"));
        }
        body.push_str("\n-- \nConvene\n");
        if let Some(stop) = stop {
            body.push_str(&format!("{STOP}: {stop}\n"));
        }
        body
    }

    fn html(&self, stop: Option<&str>) -> String {
        let mut body = format!(
            "<!DOCTYPE html>\n<html><body>\n<p>Hello {},</p>\n<p>{}</p>\n",
            escape(self.name),
            escape(self.opening)
        );
        if !self.details.is_empty() {
            body.push_str("<table>\n");
            for (label, value) in self.details {
                body.push_str(&format!(
                    "<tr><th align=\"left\">{}</th><td>{}</td></tr>\n",
                    escape(label),
                    escape(value)
                ));
            }
            body.push_str("</table>\n");
        }
        for (forum, lines) in self.sections {
            body.push_str(&format!("<h3>{}</h3>\n<ul>\n", escape(forum)));
            for line in lines {
                body.push_str(&format!("<li>{}</li>\n", escape(line)));
            }
            body.push_str("</ul>\n");
        }
        if let Some(link) = self.link {
            body.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>\n", escape(link)));
        }
        body.push_str("<p>Convene</p>\n");
        if let Some(stop) = stop {
            body.push_str(&format!(
                "<p><small><a href=\"{}\">{STOP}</a></small></p>\n",
                escape(stop)
            ));
        }
        body.push_str("</body></html>\n");
        body
    }
}

/// Text as HTML shows it, never as markup.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
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

    #[test]
    fn user_text_never_becomes_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn message_ids_are_named_for_the_public_host() {
        let keys = Arc::new(TokenKeys::new(b"a secret of thirty-two bytes or more"));
        let composer = Composer::new(
            "Convene <convene@mail.example.org>",
            Some("https://convene.example.org"),
            Arc::clone(&keys),
        )
        .expect("composer");
        let id = Uuid::from_u128(7);
        assert_eq!(
            composer.message_id(id),
            format!("<{id}@convene.example.org>")
        );
        let bare =
            Composer::new("convene@mail.example.org", None, Arc::clone(&keys)).expect("composer");
        assert_eq!(bare.message_id(id), format!("<{id}@mail.example.org>"));
        assert!(Composer::new("not an address", None, keys).is_err());
    }
}
