//! `/forums/{id}/series/new`: a series scheduled from plain choices
//! ("every month on the second Tuesday", ending after 6 meetings), shown
//! first as the dates it will make on London's clock — by the operation's
//! own preview, the same checks and expansion that saving uses — then
//! changed or scheduled. The choices become the RRULE the API takes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::new_meeting::given;
use super::{field, meetings_page, officer_of};
use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::state::AppState;
use crate::meetings::recurrence;
use crate::meetings::series::plain::{ORDINALS, PlainChoices, WEEKDAYS};
use crate::meetings::{self, SeriesIn};
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::{Choice, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};
use crate::web::when;

#[derive(Template, WebTemplate)]
#[template(path = "scheduling_series_form.html")]
pub struct SeriesFormPage {
    page: Page,
    csrf_token: String,
    forum_id: String,
    forum_name: String,
    form: Form,
}

#[derive(Template, WebTemplate)]
#[template(path = "scheduling_series_preview.html")]
pub struct SeriesPreviewPage {
    page: Page,
    csrf_token: String,
    forum_id: String,
    forum_name: String,
    title: String,
    /// How many meetings it makes, in words.
    lead: String,
    dates: Vec<String>,
    /// How many more the rule gives, made as the year moves on.
    later: Option<String>,
    /// Every choice, carried to "change" and "schedule these meetings".
    hidden: Vec<(&'static str, String)>,
}

/// The series form as sent, and which of its buttons was pressed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SeriesFields {
    title: String,
    description: String,
    location: String,
    online_link: String,
    starts_on: String,
    start_time: String,
    duration_minutes: String,
    repeat: String,
    ordinal: String,
    weekday: String,
    weekly_day: String,
    month_day: String,
    interval: String,
    ends: String,
    count: String,
    until: String,
    /// `preview`, `change` or `save`.
    step: String,
}

impl SeriesFields {
    pub(super) fn blank() -> Self {
        Self {
            duration_minutes: "120".into(),
            repeat: "monthly-weekday".into(),
            ordinal: "2".into(),
            weekday: "TU".into(),
            weekly_day: "TU".into(),
            interval: "2".into(),
            ends: "after".into(),
            ..Self::default()
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("title", self.title.clone()),
            ("description", self.description.clone()),
            ("location", self.location.clone()),
            ("online_link", self.online_link.clone()),
            ("starts_on", self.starts_on.clone()),
            ("start_time", self.start_time.clone()),
            ("duration_minutes", self.duration_minutes.clone()),
            ("repeat", self.repeat.clone()),
            ("ordinal", self.ordinal.clone()),
            ("weekday", self.weekday.clone()),
            ("weekly_day", self.weekly_day.clone()),
            ("month_day", self.month_day.clone()),
            ("interval", self.interval.clone()),
            ("ends", self.ends.clone()),
            ("count", self.count.clone()),
            ("until", self.until.clone()),
        ]
    }

    fn value(&self, name: &str) -> String {
        self.pairs()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .unwrap_or_default()
    }

    /// The request the choices make (422 naming each field that is wrong).
    fn series(&self) -> Result<SeriesIn, ApiError> {
        let choices = PlainChoices {
            repeat: self.repeat.clone(),
            ordinal: self.ordinal.clone(),
            weekday: self.weekday.clone(),
            weekly_day: self.weekly_day.clone(),
            month_day: self.month_day.clone(),
            interval: self.interval.clone(),
            ends: self.ends.clone(),
            count: self.count.clone(),
            until: self.until.clone(),
        };
        let mut errors: Vec<FieldError> = Vec::new();
        let day = when::date(&self.starts_on, "starts_on").map_err(|e| errors.push(e));
        let time = when::time(&self.start_time, "start_time").map_err(|e| errors.push(e));
        let duration = self.duration_minutes.trim().parse::<i32>().map_err(|_| {
            errors.push(FieldError::new("duration_minutes", "must be chosen"));
        });
        let rule = match choices.rule() {
            Ok(rule) => Some(rule),
            Err(ApiError::Validation(found)) => {
                errors.extend(found);
                None
            }
            Err(other) => return Err(other),
        };
        match (day, time, duration, rule) {
            (Ok(day), Ok(time), Ok(duration_minutes), Some(rrule)) if errors.is_empty() => {
                Ok(SeriesIn {
                    title: self.title.clone(),
                    description: self.description.clone(),
                    location: given(&self.location),
                    online_link: given(&self.online_link),
                    starts_at_local: when::local(day, time),
                    duration_minutes,
                    rrule,
                })
            }
            _ => Err(ApiError::Validation(errors)),
        }
    }
}

/// The operation's names for the fields, as this form names them.
fn renamed(error: ApiError) -> ApiError {
    match error {
        ApiError::Validation(mut errors) => {
            for error in &mut errors {
                let to = match error.field.as_str() {
                    "starts_at_local" => "starts_on",
                    "rrule" => "repeat",
                    _ => continue,
                };
                error.field = to.to_string();
            }
            ApiError::Validation(errors)
        }
        other => other,
    }
}

pub(super) fn series_form(text: &Text, typed: &SeriesFields) -> Form {
    let v = |name: &str| typed.value(name);
    let choose = |values: &[&str], prefix: &str| -> Vec<Choice> {
        values
            .iter()
            .map(|value| Choice::new(*value, text.get(&format!("{prefix}{value}"))))
            .collect()
    };
    let ordinals: Vec<String> = ORDINALS.iter().map(ToString::to_string).collect();
    let ordinals: Vec<&str> = ordinals.iter().map(String::as_str).collect();
    let weekdays: Vec<&str> = WEEKDAYS.to_vec();
    let durations = ["60", "90", "120", "150", "180", "240"];
    let fields = vec![
        field(text, "title", Kind::Text).value(&v("title")),
        field(text, "starts_on", Kind::Date)
            .hint(text.get("scheduling-starts-on-hint"))
            .value(&v("starts_on")),
        field(text, "start_time", Kind::Time)
            .hint(text.get("scheduling-london-time"))
            .value(&v("start_time")),
        field(text, "duration_minutes", Kind::Select)
            .choices(choose(&durations, "scheduling-duration-"))
            .value(&v("duration_minutes")),
        field(text, "repeat", Kind::Radios)
            .choices(choose(
                &["monthly-weekday", "monthly-day", "weekly"],
                "scheduling-repeat-",
            ))
            .value(&v("repeat")),
        field(text, "ordinal", Kind::Select)
            .choices(choose(&ordinals, "scheduling-ordinal-"))
            .value(&v("ordinal")),
        field(text, "weekday", Kind::Select)
            .choices(choose(&weekdays, "scheduling-weekday-"))
            .value(&v("weekday")),
        field(text, "month_day", Kind::Number)
            .hint(text.get("scheduling-month-day-hint"))
            .value(&v("month_day")),
        field(text, "interval", Kind::Select)
            .choices(choose(&["1", "2", "3", "4"], "scheduling-interval-"))
            .value(&v("interval")),
        field(text, "weekly_day", Kind::Select)
            .choices(choose(&weekdays, "scheduling-weekday-"))
            .value(&v("weekly_day")),
        field(text, "ends", Kind::Radios)
            .choices(choose(&["after", "on"], "scheduling-ends-"))
            .value(&v("ends")),
        field(text, "count", Kind::Number)
            .hint(text.get("scheduling-count-hint"))
            .value(&v("count")),
        field(text, "until", Kind::Date)
            .hint(text.get("scheduling-until-hint"))
            .value(&v("until")),
        field(text, "location", Kind::Text)
            .hint(text.get("scheduling-location-hint"))
            .value(&v("location")),
        field(text, "online_link", Kind::Text).value(&v("online_link")),
        field(text, "description", Kind::TextArea)
            .hint(text.get("scheduling-description-hint"))
            .value(&v("description")),
    ];
    Form::new(text, fields)
}

fn form_page(visitor: &Visitor, forum_id: Uuid, forum_name: String, form: Form) -> SeriesFormPage {
    SeriesFormPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_id: forum_id.to_string(),
        forum_name,
        form,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let forum_id = id_in_path(&id)?;
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/series/new"))?;
    let access = officer_of(&state, caller, forum_id).await?;
    let form = series_form(&Text::default(), &SeriesFields::blank());
    let shown = form_page(&visitor, forum_id, access.forum.name, form);
    Ok((visitor.cookies(), shown).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<SeriesFields>,
) -> PageResult<Response> {
    let forum_id = id_in_path(&id)?;
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/series/new"))?;
    let access = officer_of(&state, caller, forum_id).await?;
    let text = Text::default();
    if typed.step == "change" {
        let form = series_form(&text, &typed);
        return Ok(form_page(&visitor, forum_id, access.forum.name, form).into_response());
    }
    let input = typed.series();
    let error = match (typed.step.as_str(), input) {
        ("save", Ok(input)) => match meetings::schedule_series(&state, caller, forum_id, input)
            .await
        {
            Ok(_) => return Ok(Redirect::to(&meetings_page(forum_id, "series")).into_response()),
            Err(error) => error,
        },
        (_, Ok(input)) => match meetings::preview_series(&state, caller, forum_id, &input).await {
            Ok(starts) => {
                let later = recurrence::count_of(&input.rrule)
                    .map(|total| total.saturating_sub(starts.len()))
                    .filter(|more| *more > 0)
                    .map(|more| text.count("scheduling-preview-later", more as u64));
                return Ok(SeriesPreviewPage {
                    page: visitor.page(),
                    csrf_token: visitor.csrf_token().to_string(),
                    forum_id: forum_id.to_string(),
                    forum_name: access.forum.name,
                    title: input.title.trim().to_string(),
                    lead: text.count("scheduling-preview-lead", starts.len() as u64),
                    dates: starts.into_iter().map(format::date_time).collect(),
                    later,
                    hidden: typed.pairs(),
                }
                .into_response());
            }
            Err(error) => error,
        },
        (_, Err(error)) => error,
    };
    let mut form = series_form(&text, &typed);
    let status = form.refuse(renamed(error))?;
    let shown = form_page(&visitor, forum_id, access.forum.name, form);
    Ok((status, shown).into_response())
}
