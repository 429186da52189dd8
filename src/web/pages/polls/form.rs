//! The new poll's form: its fields as typed, what they give the operation
//! (its times from London's clock), and the operation's refusals put back
//! on the fields they are about.

use chrono::{DateTime, Utc};
use entity::PollKind;
use serde::Deserialize;
use uuid::Uuid;

use super::field;
use crate::kernel::error::{ApiError, FieldError};
use crate::polls::PollIn;
use crate::web::forms::{self, Choice, Form, Kind};
use crate::web::i18n::Text;
use crate::web::when;

/// What a ticked checkbox sends.
pub const TICKED: &str = "yes";

/// The poll's fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PollFields {
    pub question: String,
    pub description: String,
    pub kind: String,
    /// One option a line.
    pub options: String,
    pub max_choices: String,
    pub opens_on: String,
    pub opens_time: String,
    pub closes_on: String,
    pub closes_time: String,
    pub results_before_close: String,
    pub open_voting: String,
}

/// A kind of poll, in words.
pub fn kind_words(text: &Text, kind: PollKind) -> String {
    text.get(&format!("poll-kind-{}", kind.as_str()))
}

/// A box to tick, with its words.
fn tick_box(text: &Text, name: &'static str, typed: &str, label: &str) -> forms::Field {
    field(text, name, Kind::Checkboxes)
        .choices(vec![Choice::new(TICKED, text.get(label))])
        .checked(&[typed.to_string()])
}

/// The new poll's form, as typed.
pub fn poll_form(text: &Text, typed: &PollFields) -> Form {
    let london = text.get("poll-london-time");
    let kinds = [
        PollKind::AgreeDisagreeAbstain,
        PollKind::SingleChoice,
        PollKind::MultipleChoice,
    ]
    .map(|kind| Choice::new(kind.as_str(), kind_words(text, kind)))
    .to_vec();
    Form::new(
        text,
        vec![
            field(text, "question", Kind::Text).value(&typed.question),
            field(text, "description", Kind::TextArea)
                .hint(text.get("poll-description-hint"))
                .rows(4)
                .value(&typed.description),
            field(text, "kind", Kind::Radios)
                .choices(kinds)
                .value(&typed.kind),
            field(text, "options", Kind::TextArea)
                .hint(text.get("poll-options-hint"))
                .value(&typed.options),
            field(text, "max_choices", Kind::Number)
                .hint(text.get("poll-max-choices-hint"))
                .value(&typed.max_choices),
            field(text, "opens_on", Kind::Date)
                .hint(text.get("poll-opens-hint"))
                .value(&typed.opens_on),
            field(text, "opens_time", Kind::Time)
                .hint(london.clone())
                .value(&typed.opens_time),
            field(text, "closes_on", Kind::Date).value(&typed.closes_on),
            field(text, "closes_time", Kind::Time)
                .hint(london)
                .value(&typed.closes_time),
            tick_box(
                text,
                "results_before_close",
                &typed.results_before_close,
                "poll-results-before-close-box",
            ),
            tick_box(
                text,
                "open_voting",
                &typed.open_voting,
                "poll-open-voting-box",
            )
            .hint(text.get("poll-open-voting-hint")),
        ],
    )
}

/// The instant a date field and a time field give on London's clock, or
/// their errors (the date's named `date_field`, the time's `time_field`).
pub fn instant(
    (on, date_field): (&str, &str),
    (at, time_field): (&str, &str),
    errors: &mut Vec<FieldError>,
) -> Option<DateTime<Utc>> {
    let day = when::date(on, date_field).map_err(|e| errors.push(e)).ok();
    let time = when::time(at, time_field).map_err(|e| errors.push(e)).ok();
    when::instant(when::local(day?, time?), time_field)
        .map_err(|e| errors.push(e))
        .ok()
}

impl PollFields {
    /// What the form asks the operation for: a poll deciding this agenda
    /// item. Only what the operation cannot be asked without — a kind,
    /// the times, a number — is refused here (422 naming each field).
    pub fn input(&self, agenda_item: Uuid) -> Result<PollIn, ApiError> {
        let mut errors = Vec::new();
        let kind = forms::parsed::<PollKind>(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "must be chosen"));
        }
        let choosing = kind.filter(|k| *k != PollKind::AgreeDisagreeAbstain);
        let lines: Vec<String> = self
            .options
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect();
        let max_choices = match self.max_choices.trim() {
            "" => None,
            _ if kind != Some(PollKind::MultipleChoice) => None,
            given => match given.parse::<i32>() {
                Ok(max) => Some(max),
                Err(_) => {
                    errors.push(FieldError::new("max_choices", "must be a whole number"));
                    None
                }
            },
        };
        let opens_at = match (self.opens_on.trim(), self.opens_time.trim()) {
            ("", "") => None,
            (on, at) => instant((on, "opens_on"), (at, "opens_time"), &mut errors),
        };
        let closes_at = instant(
            (&self.closes_on, "closes_on"),
            (&self.closes_time, "closes_time"),
            &mut errors,
        );
        match (kind, closes_at) {
            (Some(kind), Some(closes_at)) if errors.is_empty() => Ok(PollIn {
                question: self.question.clone(),
                description: self.description.clone(),
                kind,
                options: choosing.and((!lines.is_empty()).then_some(lines)),
                max_choices,
                opens_at,
                closes_at,
                results_before_close: self.results_before_close == TICKED,
                open_voting: self.open_voting == TICKED,
                agenda_item_id: Some(agenda_item),
                consultation_id: None,
            }),
            _ => Err(ApiError::Validation(errors)),
        }
    }
}

/// The operation's refusal as the form's fields have it: its instants are
/// a date and a time here, and an option is a line of the options.
pub fn on_the_form(error: ApiError, text: &Text) -> ApiError {
    let error = forms::renamed(
        error,
        &[("closes_at", "closes_on"), ("opens_at", "opens_on")],
    );
    match error {
        ApiError::Validation(errors) => ApiError::Validation(
            errors
                .into_iter()
                .map(|e| {
                    let message = e.message.replace("opens_at", &text.get("poll-opening"));
                    match option_line(&e.field) {
                        Some(line) => FieldError::new(
                            "options",
                            text.with(
                                "poll-option-line",
                                &[("line", line.to_string()), ("message", message)],
                            ),
                        ),
                        None => FieldError::new(e.field, message),
                    }
                })
                .collect(),
        ),
        other => other,
    }
}

/// The line an option's error is about (`options[2]` is the third).
fn option_line(field: &str) -> Option<usize> {
    let index = field.strip_prefix("options[")?.strip_suffix(']')?;
    index.parse::<usize>().ok().map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> PollFields {
        PollFields {
            question: "Which venue?".into(),
            kind: "single-choice".into(),
            options: "Maidstone\n\n  Canterbury \n".into(),
            max_choices: "2".into(),
            closes_on: "2027-04-13".into(),
            closes_time: "17:00".into(),
            open_voting: TICKED.into(),
            ..PollFields::default()
        }
    }

    #[test]
    fn the_form_asks_for_a_poll_closing_on_londons_clock_with_one_option_a_line() {
        let item = Uuid::now_v7();
        let input = typed().input(item).expect("a poll");
        assert_eq!(
            input.options,
            Some(vec!["Maidstone".into(), "Canterbury".into()])
        );
        assert_eq!(input.closes_at.to_rfc3339(), "2027-04-13T16:00:00+00:00");
        assert_eq!(input.opens_at, None);
        // Only a multiple choice poll has a maximum.
        assert_eq!(input.max_choices, None);
        assert!(input.open_voting && !input.results_before_close);
        assert_eq!(input.agenda_item_id, Some(item));
    }

    #[test]
    fn what_the_operation_cannot_take_is_refused_on_its_field() {
        let mut fields = typed();
        fields.kind = String::new();
        fields.closes_time = "5pm".into();
        fields.opens_on = "2027-04-01".into();
        let Err(ApiError::Validation(errors)) = fields.input(Uuid::now_v7()) else {
            panic!("refused");
        };
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["kind", "opens_time", "closes_time"]);
    }

    #[test]
    fn an_options_error_names_its_line() {
        let text = Text::default();
        let error = on_the_form(
            ApiError::Validation(vec![
                FieldError::new("options[1]", "is the same as an earlier option"),
                FieldError::new("closes_at", "must be after opens_at"),
            ]),
            &text,
        );
        let ApiError::Validation(errors) = error else {
            panic!("still a validation error");
        };
        assert_eq!(errors[0].field, "options");
        assert!(errors[0].message.contains('2'), "{}", errors[0].message);
        assert_eq!(errors[1].field, "closes_on");
        assert!(!errors[1].message.contains("opens_at"));
    }
}
