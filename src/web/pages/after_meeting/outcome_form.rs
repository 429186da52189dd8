//! The outcome form's fields, as typed, and reading them into the
//! operations' inputs. What only a browser can send wrong (a number or a
//! date that is not one) is told on its field, as the API's own parsing
//! would refuse it; every other rule is the operations'.

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::actions::ActionIn;
use crate::forums;
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::pagination::PageQuery;
use crate::kernel::state::AppState;
use crate::meetings::{Decision, ItemRecord, Votes};
use crate::plans::{self, CommitmentQuery};
use crate::web::forms::{Choice, Field, Form, Kind};
use crate::web::i18n::Text;
use entity::PlanStatus;

/// The form as sent (or as the record has it).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OutcomeTyped {
    pub version: i32,
    pub decision: String,
    pub votes_for: String,
    pub votes_against: String,
    pub votes_abstain: String,
    /// `yes` when ticked.
    pub carried_over: Vec<String>,
    pub title: String,
    pub description: String,
    pub owner_organisation_id: String,
    pub due_on: String,
    pub commitment_ids: Vec<String>,
}

impl OutcomeTyped {
    pub fn carried(&self) -> bool {
        self.carried_over.iter().any(|c| c == "yes")
    }

    /// Whether any of the action's fields was filled in.
    pub fn has_action(&self) -> bool {
        [
            &self.title,
            &self.description,
            &self.owner_organisation_id,
            &self.due_on,
        ]
        .iter()
        .any(|f| !f.trim().is_empty())
            || !self.commitment_ids.is_empty()
    }
}

/// What the secretary may choose from: the forum's active member
/// organisations, and the commitments of its region's current plan.
pub struct Options {
    pub owners: Vec<Choice>,
    pub commitments: Vec<Choice>,
}

impl Options {
    pub async fn load(state: &AppState, forum: &entity::forum::Model) -> ApiResult<Self> {
        let owners = forums::active_member_names(&state.db, forum.id)
            .await?
            .into_iter()
            .map(|(id, name)| Choice::new(id.to_string(), name))
            .collect();
        let code = forums::region_code(&state.db, forum.region_id).await?;
        let plans = plans::list(
            state,
            &code,
            PageQuery {
                limit: Some(10),
                cursor: None,
            },
        )
        .await?;
        let mut commitments = Vec::new();
        if let Some(plan) = plans.items.iter().find(|p| p.status == PlanStatus::Current) {
            let query = CommitmentQuery {
                limit: Some(200),
                cursor: None,
                theme: None,
                firmness: None,
                status: None,
                q: None,
            };
            commitments = plans::commitments(state, plan.id, query)
                .await?
                .items
                .into_iter()
                .map(|c| Choice::new(c.id.to_string(), c.reference).hint(c.text))
                .collect();
        }
        Ok(Self {
            owners,
            commitments,
        })
    }
}

/// A field of this form, labelled with the form's own words.
fn field(text: &Text, name: &'static str, kind: Kind) -> Field {
    let field = Field::plain(text, name, kind);
    Field {
        label: text.get(&format!("outcome-field-{}", name.replace('_', "-"))),
        ..field
    }
}

/// The form's fields, filled in as typed.
pub fn form(text: &Text, typed: &OutcomeTyped, options: &Options) -> Form {
    let mut owners = vec![Choice::new("", text.get("outcome-no-owner"))];
    owners.extend(options.owners.iter().cloned());
    Form::new(
        text,
        vec![
            field(text, "decision", Kind::TextArea)
                .value(&typed.decision)
                .hint(text.get("outcome-decision-hint")),
            field(text, "votes_for", Kind::Number).value(&typed.votes_for),
            field(text, "votes_against", Kind::Number).value(&typed.votes_against),
            field(text, "votes_abstain", Kind::Number).value(&typed.votes_abstain),
            field(text, "carried_over", Kind::Checkboxes)
                .choices(vec![Choice::new("yes", text.get("outcome-carry-over"))])
                .checked(&typed.carried_over),
            field(text, "title", Kind::Text).value(&typed.title),
            field(text, "description", Kind::TextArea)
                .value(&typed.description)
                .rows(3),
            field(text, "owner_organisation_id", Kind::Select)
                .choices(owners)
                .value(&typed.owner_organisation_id),
            field(text, "due_on", Kind::Date)
                .value(&typed.due_on)
                .hint(text.get("outcome-due-hint")),
            field(text, "commitment_ids", Kind::Checkboxes)
                .choices(options.commitments.clone())
                .checked(&typed.commitment_ids),
        ],
    )
}

/// A refusal named as the form names its fields: the votes are three, and
/// the form's one action is the operation's first.
pub fn on_form_fields(error: ApiError) -> ApiError {
    match error {
        ApiError::Validation(errors) => ApiError::Validation(
            errors
                .into_iter()
                .map(|e| match e.field.as_str() {
                    "votes" => FieldError::new("votes_for", e.message),
                    field => match field.strip_prefix(ACTION) {
                        Some(own) => FieldError::new(own, e.message),
                        None => e,
                    },
                })
                .collect(),
        ),
        other => other,
    }
}

/// How the operation names the fields of the form's one action.
const ACTION: &str = "actions[0].";

fn whole_number(errors: &mut Vec<FieldError>, field: &str, typed: &str) -> i32 {
    match typed.trim() {
        "" => 0,
        n => n.parse().unwrap_or_else(|_| {
            errors.push(FieldError::new(field, "must be a whole number, like 3"));
            0
        }),
    }
}

/// The operation's input, or the fields that are not what they must be.
pub fn read(typed: &OutcomeTyped) -> ApiResult<ItemRecord> {
    let mut errors = Vec::new();
    let votes_given = [&typed.votes_for, &typed.votes_against, &typed.votes_abstain]
        .iter()
        .any(|v| !v.trim().is_empty());
    let votes = (
        whole_number(&mut errors, "votes_for", &typed.votes_for),
        whole_number(&mut errors, "votes_against", &typed.votes_against),
        whole_number(&mut errors, "votes_abstain", &typed.votes_abstain),
    );
    let due_on = match typed.due_on.trim() {
        "" => None,
        date => NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| errors.push(FieldError::new("due_on", "must be a real date")))
            .ok(),
    };
    let owner = match typed.owner_organisation_id.trim() {
        "" => None,
        id => id
            .parse::<Uuid>()
            .map_err(|_| {
                errors.push(FieldError::new(
                    "owner_organisation_id",
                    "is not an organisation of this forum",
                ))
            })
            .ok(),
    };
    let mut commitment_ids = Vec::new();
    for id in &typed.commitment_ids {
        match id.parse::<Uuid>() {
            Ok(id) => commitment_ids.push(id),
            Err(_) => errors.push(FieldError::new(
                "commitment_ids",
                "names a commitment that is not of this region's plan",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    // An item carried over without a word recorded has no outcome yet.
    let decision =
        (!typed.decision.trim().is_empty() || votes_given || !typed.carried()).then(|| Decision {
            decision: typed.decision.clone(),
            votes: votes_given.then_some(Votes {
                r#for: votes.0,
                against: votes.1,
                abstain: votes.2,
            }),
        });
    let actions = typed
        .has_action()
        .then(|| ActionIn {
            title: typed.title.clone(),
            description: typed.description.clone(),
            meeting_id: None,
            owner_organisation_id: owner,
            owner_user_id: None,
            due_on,
            commitment_ids,
        })
        .into_iter()
        .collect();
    Ok(ItemRecord {
        decision,
        carried_over: Some(typed.carried()),
        actions,
    })
}
