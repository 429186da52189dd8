//! The one-click answer to a meeting (yes, maybe, no) as "Your
//! organisation's work" and the meeting page both show it: the person's
//! own answer said, and a button for each. The form goes to the meeting's
//! `rsvp` address, which calls the operation `PUT /meetings/{id}/rsvp`
//! calls, and comes back to where it was sent from.

use entity::RsvpResponse;
use uuid::Uuid;

use crate::web::i18n::Text;

/// The form, ready for the `rsvp_form.html` macro.
pub struct RsvpForm {
    /// The id its answer is said under (unique on the page).
    pub id: String,
    pub action: String,
    /// Where the form comes back to (a path of this site).
    pub back: String,
    /// The meeting's title, telling the buttons apart to a screen reader.
    pub title: String,
    /// "You said you will come", or that they have not answered.
    pub current: String,
    /// The answer given, as the form sends it.
    pub answer: Option<String>,
    /// Each answer's value and button label.
    pub choices: Vec<(String, String)>,
}

impl RsvpForm {
    pub fn new(
        text: &Text,
        (forum, meeting): (Uuid, Uuid),
        title: &str,
        answer: Option<RsvpResponse>,
        back: String,
    ) -> Self {
        let choices = [RsvpResponse::Yes, RsvpResponse::Maybe, RsvpResponse::No]
            .into_iter()
            .map(|r| {
                let value = r.as_str().to_string();
                let label = text.get(&format!("rsvp-button-{value}"));
                (value, label)
            })
            .collect();
        Self {
            id: format!("rsvp-{meeting}"),
            action: format!("/forums/{forum}/meetings/{meeting}/rsvp"),
            back,
            title: title.to_string(),
            current: match answer {
                Some(r) => text.get(&format!("rsvp-answered-{}", r.as_str())),
                None => text.get("rsvp-not-answered"),
            },
            answer: answer.map(|r| r.as_str().to_string()),
            choices,
        }
    }
}

/// The answer a button sent, if it is one.
pub fn parse(sent: &str) -> Option<RsvpResponse> {
    match sent {
        "yes" => Some(RsvpResponse::Yes),
        "maybe" => Some(RsvpResponse::Maybe),
        "no" => Some(RsvpResponse::No),
        _ => None,
    }
}
