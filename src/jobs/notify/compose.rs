//! What a message says: one email per recipient, with a plain-text and an
//! HTML alternative (user text escaped, never markup), a link to the record,
//! and a Message-ID fixed when it is queued so that a resend is recognisably
//! the same message. Each carries a link that turns that kind of email off
//! for its recipient, also as one-click `List-Unsubscribe` headers.

use std::sync::Arc;

use entity::{meeting, outbox_event};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use uuid::Uuid;

use super::body::Body;
use super::recipients::Recipient;
use super::wording::{details, headline, sentence, text};
use crate::kernel::credentials::tokens::TokenKeys;
use crate::kernel::events::Kind;
use crate::kernel::links::{
    CONFIRM_EMAIL_CHANGE_PAGE, CONFIRM_EMAIL_PAGE, NEW_PASSWORD_PAGE, api_path, page_with_code,
};

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
        let link = match kind {
            // An account link's secret is the message: its link opens the
            // page that takes the code (the code is shown too, for API
            // clients).
            Kind::EmailVerification => self.page_with_code(CONFIRM_EMAIL_PAGE, payload),
            Kind::EmailChange => self.page_with_code(CONFIRM_EMAIL_CHANGE_PAGE, payload),
            Kind::PasswordReset | Kind::AccountExists | Kind::EmailChangeRequested => {
                self.page_with_code(NEW_PASSWORD_PAGE, payload)
            }
            // Told, with nothing to do: the account is as it was.
            Kind::EmailTaken | Kind::EmailChanged => None,
            // The email that asks whether they will come opens the meeting
            // page at its one-click answer (an invitation's link stays the
            // meeting's record, its calendar file carrying the reply).
            Kind::RsvpClosing if event.entity == "meeting" && event.forum_id.is_some() => event
                .forum_id
                .and_then(|forum| self.rsvp_link(forum, event.entity_id)),
            _ => kind
                .is_chosen()
                .then(|| self.link(&event.entity, event.entity_id))
                .flatten(),
        };
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

    /// The page that takes the code an account email carries.
    fn page_with_code(&self, page: &str, payload: &serde_json::Value) -> Option<String> {
        let public_url = self.public_url.as_deref()?;
        let code = text(payload, "token")?;
        Some(page_with_code(public_url, page, &code))
    }

    /// The meeting page's answer form (`#rsvp`), which needs the public URL.
    fn rsvp_link(&self, forum: Uuid, meeting: Uuid) -> Option<String> {
        let public_url = self.public_url.as_deref()?;
        Some(format!(
            "{public_url}/forums/{forum}/meetings/{meeting}#rsvp"
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

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
