//! `/account/notifications`: what the signed-in person is told, and how —
//! for each kind of notification, an email as it happens, in the day's one
//! email, or not at all. The form is the operation on
//! `/me/notification-settings`: every kind is sent, each as chosen.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::NotificationMode;
use sea_orm::Iterable;
use serde::Deserialize;

use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::events::Kind as Notification;
use crate::kernel::state::AppState;
use crate::notifications::{self, NotificationSettings};
use crate::web::error::PageResult;
use crate::web::forms::{Choice, Field, Form, Kind, parsed};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

const ADDRESS: &str = "/account/notifications";

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    page: Page,
    csrf_token: String,
    form: Form,
    done: bool,
}

/// The message naming a kind of notification (`notification-kind-…`).
fn kind_label(text: &Text, kind: Notification) -> String {
    text.get(&format!(
        "notification-kind-{}",
        kind.as_str().replace('.', "-")
    ))
}

/// A field for each kind the person chooses for, its mode as `chosen`.
fn settings_form(text: &Text, chosen: &BTreeMap<String, String>) -> Form {
    let modes: Vec<Choice> = NotificationMode::iter()
        .map(|mode| {
            let value = mode.as_str();
            Choice::new(value, text.get(&format!("notification-mode-{value}")))
        })
        .collect();
    let fields = Notification::chosen()
        .map(|kind| {
            let mut field = Field::plain(text, kind.as_str(), Kind::Radios)
                .choices(modes.clone())
                .value(
                    chosen
                        .get(kind.as_str())
                        .map(String::as_str)
                        .unwrap_or_default(),
                );
            field.label = kind_label(text, kind);
            field
        })
        .collect();
    Form::new(text, fields)
}

fn page(visitor: &Visitor, form: Form, done: bool) -> NotificationsPage {
    NotificationsPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        form,
        done,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(shown): Query<Shown>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(ADDRESS)?;
    let settings = notifications::settings(&state, caller).await?;
    let chosen = settings
        .settings
        .into_iter()
        .map(|(kind, mode)| (kind, mode.as_str().to_string()))
        .collect();
    let form = settings_form(&Text::default(), &chosen);
    Ok((
        visitor.cookies(),
        page(&visitor, form, shown.done == "saved"),
    )
        .into_response())
}

/// The modes sent, as the operation takes them: a kind left unchosen, or
/// sent with a mode that is not one, is refused on its field.
fn modes_sent(
    sent: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, NotificationMode>, ApiError> {
    let mut modes = BTreeMap::new();
    let mut errors = Vec::new();
    for kind in Notification::chosen() {
        match sent
            .get(kind.as_str())
            .and_then(|m| parsed::<NotificationMode>(m))
        {
            Some(mode) => {
                modes.insert(kind.as_str().to_string(), mode);
            }
            None => errors.push(FieldError::new(kind.as_str(), "must be chosen")),
        }
    }
    match errors.is_empty() {
        true => Ok(modes),
        false => Err(ApiError::Validation(errors)),
    }
}

pub async fn save(
    State(state): State<AppState>,
    CheckedForm { visitor, form }: CheckedForm<HashMap<String, String>>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(ADDRESS)?;
    let sent: BTreeMap<String, String> = form
        .into_iter()
        .filter(|(name, _)| Notification::parse(name).is_some())
        .collect();
    let saved = match modes_sent(&sent) {
        Ok(settings) => {
            notifications::set_settings(&state, caller, NotificationSettings { settings }).await
        }
        Err(error) => Err(error),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("{ADDRESS}?done=saved")).into_response()),
        Err(error) => {
            let mut form = settings_form(&Text::default(), &sent);
            let status = form.refuse(error)?;
            Ok((status, page(&visitor, form, false)).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_mode_a_person_chooses_has_its_words() {
        let text = Text::default();
        let form = settings_form(&text, &BTreeMap::new());
        let mut words: Vec<String> = form.fields.iter().map(|f| f.label.clone()).collect();
        words.extend(form.fields[0].choices.iter().map(|c| c.label.clone()));
        let unworded: Vec<&String> = words
            .iter()
            .filter(|w| w.contains("notification-"))
            .collect();
        assert!(unworded.is_empty(), "no message for {unworded:?}");
    }

    #[test]
    fn a_kind_left_unchosen_is_refused_on_its_field() {
        let mut sent: BTreeMap<String, String> = Notification::chosen()
            .map(|k| (k.as_str().to_string(), "off".to_string()))
            .collect();
        sent.insert("meeting.scheduled".into(), "sometimes".into());
        let Err(ApiError::Validation(errors)) = modes_sent(&sent) else {
            panic!("refused");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "meeting.scheduled");
    }
}
