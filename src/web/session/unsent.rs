//! A form that arrived with a token no longer the visitor's — their session
//! ended while they typed, or they signed in again elsewhere — is not acted
//! on, but what they typed is not lost either: the page that refuses it
//! carries the fields, shows them, and sends them again once the person is
//! signed in (with one click, as a new form of theirs, so the operation
//! still decides, and a version read before is still checked).
//!
//! The fields travel in the page itself (one hidden field holding the form
//! as it was encoded), never in the session: there may be none.

use askama::Template;
use askama_web::WebTemplate;
use uuid::Uuid;

use super::form::CSRF_FIELD;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;

/// The form as it was sent: where to, and its fields in their order (its
/// token left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Unsent {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

impl Unsent {
    /// The form sent to `action`, if it is one worth keeping: none with a
    /// password (a password is typed again, never carried through a page)
    /// and none without a field of its own (a sign-out, a button).
    pub fn from_body(action: &str, body: &[u8]) -> Option<Self> {
        let fields: Vec<(String, String)> = form_urlencoded::parse(body)
            .filter(|(name, _)| name != CSRF_FIELD)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        let keeps = !fields.is_empty() && !fields.iter().any(|(name, _)| name.contains("password"));
        let local = super::local_path(action)?;
        keeps.then(|| Self {
            action: local.to_string(),
            fields,
        })
    }

    /// The form carried through the sign-in page: its address and fields,
    /// as the hidden field holds them.
    pub fn carried(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("action", &self.action);
        out.extend_pairs(&self.fields);
        out.finish()
    }

    /// The form from the hidden field of the sign-in page, if it holds one.
    pub fn from_carried(carried: &str) -> Option<Self> {
        let mut pairs = form_urlencoded::parse(carried.as_bytes());
        let (name, action) = pairs.next()?;
        if name != "action" {
            return None;
        }
        Self::from_body(&action, &carried.as_bytes()[carried.find('&')? + 1..])
    }

    /// What the person typed, to show them: the values they wrote, not the
    /// ids and versions the page put in its hidden fields.
    pub fn typed(&self) -> Vec<&str> {
        self.fields
            .iter()
            .map(|(_, value)| value.trim())
            .filter(|value| {
                !value.is_empty() && value.parse::<Uuid>().is_err() && value.parse::<i64>().is_err()
            })
            .collect()
    }
}

/// The sign-in form's fields, with the email typed (the sign-in page's,
/// and this page's for someone signed out).
pub fn sign_in_form(text: &Text, email: &str) -> Form {
    Form::new(
        text,
        vec![
            Field::new(text, "email", Kind::Email, "email").value(email),
            Field::new(text, "password", Kind::Password, "current-password"),
        ],
    )
}

/// The page that keeps an unsent form: "send again" for someone signed in,
/// or signing in first, then "send again".
#[derive(Template, WebTemplate)]
#[template(path = "unsent.html")]
pub struct UnsentPage {
    pub page: Page,
    pub csrf_token: String,
    pub unsent: Unsent,
    /// The sign-in form, for someone whose session has ended.
    pub sign_in: Option<Form>,
}

impl UnsentPage {
    /// For someone signed in: the form, to send again with their token.
    pub fn send_again(page: Page, csrf_token: String, unsent: Unsent) -> Self {
        Self {
            page,
            csrf_token,
            unsent,
            sign_in: None,
        }
    }

    /// For someone signed out: signing in first.
    pub fn sign_in_first(page: Page, csrf_token: String, unsent: Unsent, form: Form) -> Self {
        Self {
            page,
            csrf_token,
            unsent,
            sign_in: Some(form),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.sign_in.as_ref().is_some_and(Form::has_errors)
    }
}

#[cfg(test)]
mod tests {
    use super::Unsent;

    #[test]
    fn a_form_keeps_its_fields_in_order_without_its_token() {
        let unsent = Unsent::from_body(
            "/forums/1/minutes/2/edit",
            b"csrf_token=abc&body=Our+answer&cites=a&cites=b&version=3",
        );
        let fields = unsent.map(|u| u.fields).unwrap_or_default();
        assert_eq!(
            fields,
            [
                ("body".to_string(), "Our answer".to_string()),
                ("cites".to_string(), "a".to_string()),
                ("cites".to_string(), "b".to_string()),
                ("version".to_string(), "3".to_string()),
            ]
        );
    }

    #[test]
    fn a_password_is_never_carried() {
        assert_eq!(
            Unsent::from_body("/sign-in", b"email=a%40b.org&password=secret"),
            None
        );
    }

    #[test]
    fn a_form_of_nothing_but_its_token_is_not_kept() {
        assert_eq!(Unsent::from_body("/sign-out", b"csrf_token=abc"), None);
    }

    #[test]
    fn only_an_address_of_convene_is_sent_to() {
        assert_eq!(Unsent::from_body("//evil.example/x", b"body=x"), None);
    }

    #[test]
    fn the_carried_form_reads_back_as_it_was() {
        let unsent = Unsent::from_body("/a?b=c&d=e", b"body=One+%26+two%0Athree&v=1");
        let back = unsent
            .as_ref()
            .and_then(|u| Unsent::from_carried(&u.carried()));
        assert_eq!(back, unsent);
    }

    #[test]
    fn what_was_typed_leaves_out_ids_and_versions() {
        let unsent = Unsent {
            action: "/x".into(),
            fields: vec![
                ("version".into(), "4".into()),
                ("item".into(), "0190b5c2-0000-7000-8000-000000000000".into()),
                ("decision".into(), "Agreed to write to the RPD".into()),
                ("empty".into(), " ".into()),
            ],
        };
        assert_eq!(unsent.typed(), ["Agreed to write to the RPD"]);
    }
}
