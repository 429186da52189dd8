//! The agenda item's form, as the add and edit forms share it: its fields
//! as typed, and what they are as the operations take them.

use entity::Visibility;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::validation::Validator;
use crate::meetings::{AgendaItemIn, AgendaItemOut, AgendaItemPatch};
use crate::web::forms::{Choice, Field, Form, Kind};
use crate::web::i18n::Text;

/// An agenda item's fields as the form sent them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemInput {
    pub title: String,
    pub description: String,
    pub presenter: String,
    pub minutes_allotted: String,
    pub commitment_ids: Vec<String>,
    pub visibility: String,
    pub visibility_reason: String,
    /// The version the edit form was shown with.
    pub version: String,
}

impl ItemInput {
    /// The item as it stands, to edit.
    pub fn of(item: &AgendaItemOut) -> Self {
        Self {
            title: item.title.clone(),
            description: item.description.clone(),
            presenter: item.presenter.clone().unwrap_or_default(),
            minutes_allotted: item
                .minutes_allotted
                .map(|m| m.to_string())
                .unwrap_or_default(),
            commitment_ids: item.commitment_ids.iter().map(Uuid::to_string).collect(),
            visibility: item.visibility.as_str().to_string(),
            visibility_reason: item.visibility_reason.clone().unwrap_or_default(),
            version: item.version.to_string(),
        }
    }

    /// The typed fields the operations take; what is not even of the
    /// right type (a number that is not one) is refused as the API
    /// refuses a body of the wrong type, on its field.
    fn typed(&self) -> Result<Typed, ApiError> {
        let mut v = Validator::default();
        let minutes = match self.minutes_allotted.trim() {
            "" => None,
            given => {
                let parsed = given.parse::<i32>().ok();
                v.check(
                    parsed.is_some(),
                    "minutes_allotted",
                    "must be a whole number",
                );
                parsed
            }
        };
        let commitment_ids: Vec<Uuid> = self
            .commitment_ids
            .iter()
            .filter_map(|id| id.parse().ok())
            .collect();
        v.check(
            commitment_ids.len() == self.commitment_ids.len(),
            "commitment_ids",
            "must be commitments of the region's plan",
        );
        let visibility: Option<Visibility> = match self.visibility.as_str() {
            "" => Some(Visibility::Public),
            given => serde_json::from_value(json!(given)).ok(),
        };
        v.check(
            visibility.is_some(),
            "visibility",
            "must be public, participants or officers",
        );
        v.finish()?;
        Ok(Typed {
            minutes,
            commitment_ids,
            visibility: visibility.unwrap_or(Visibility::Public),
        })
    }

    fn presenter(&self) -> Option<String> {
        Some(self.presenter.trim().to_string()).filter(|p| !p.is_empty())
    }

    fn reason(&self) -> Option<String> {
        Some(self.visibility_reason.clone()).filter(|r| !r.trim().is_empty())
    }

    /// A new item, as `add_item` takes it.
    pub fn new_item(&self) -> Result<AgendaItemIn, ApiError> {
        let typed = self.typed()?;
        Ok(AgendaItemIn {
            title: self.title.clone(),
            description: self.description.clone(),
            presenter: self.presenter(),
            minutes_allotted: typed.minutes,
            commitment_ids: typed.commitment_ids,
            visibility: Some(typed.visibility),
            visibility_reason: self.reason(),
        })
    }

    /// The whole item as edited, as `change_item` takes it.
    pub fn patch(&self) -> Result<AgendaItemPatch, ApiError> {
        let typed = self.typed()?;
        Ok(AgendaItemPatch {
            title: Some(self.title.clone()),
            description: Some(self.description.clone()),
            presenter: Some(self.presenter()),
            minutes_allotted: Some(typed.minutes),
            status: None,
            commitment_ids: Some(typed.commitment_ids),
            visibility: Some(typed.visibility),
            carried_over: None,
            visibility_reason: Some(self.reason()),
        })
    }
}

struct Typed {
    minutes: Option<i32>,
    commitment_ids: Vec<Uuid>,
    visibility: Visibility,
}

/// The item's form with what was typed, offering `commitments` (id,
/// label) of the region's plan.
pub fn item_form(text: &Text, typed: &ItemInput, commitments: &[(Uuid, String)]) -> Form {
    let label = |field: Field, id: &str| Field {
        label: text.get(id),
        ..field
    };
    let visibility = if typed.visibility.is_empty() {
        "public"
    } else {
        typed.visibility.as_str()
    };
    let fields = vec![
        label(
            Field::plain(text, "title", Kind::Text),
            "meeting-item-title",
        )
        .value(&typed.title),
        label(
            Field::plain(text, "description", Kind::TextArea),
            "meeting-item-description",
        )
        .hint(text.get("meeting-item-description-hint"))
        .value(&typed.description),
        label(
            Field::plain(text, "presenter", Kind::Text),
            "meeting-item-presenter",
        )
        .value(&typed.presenter),
        label(
            Field::plain(text, "minutes_allotted", Kind::Number),
            "meeting-item-minutes",
        )
        .hint(text.get("meeting-item-minutes-hint"))
        .value(&typed.minutes_allotted),
        label(
            Field::plain(text, "commitment_ids", Kind::Checkboxes),
            "meeting-item-commitments",
        )
        .hint(text.get("meeting-item-commitments-hint"))
        .choices(
            commitments
                .iter()
                .map(|(id, label)| Choice::new(id.to_string(), label.clone()))
                .collect(),
        )
        .checked(&typed.commitment_ids),
        label(
            Field::plain(text, "visibility", Kind::Radios),
            "meeting-item-visibility",
        )
        .choices(
            ["public", "participants", "officers"]
                .into_iter()
                .map(|v| Choice::new(v, text.get(&format!("meeting-visibility-{v}"))))
                .collect(),
        )
        .value(visibility),
        label(
            Field::plain(text, "visibility_reason", Kind::Text),
            "meeting-item-reason",
        )
        .hint(text.get("meeting-item-reason-hint"))
        .value(&typed.visibility_reason),
    ];
    // Without a plan there is nothing to link: no empty question.
    let fields = fields
        .into_iter()
        .filter(|f| f.name != "commitment_ids" || !commitments.is_empty())
        .collect();
    Form::new(text, fields)
}
