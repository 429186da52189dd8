//! A spreadsheet of commitments read and checked: its header, and each of
//! its rows as the values of a commitment, every problem found named by
//! row and column.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{CommitmentStatus, Firmness, Theme, commitment};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::error::FieldError;
use crate::kernel::limits;
use crate::kernel::validation::Validator;

const REQUIRED: [&str; 4] = ["reference", "theme", "firmness", "text"];
const OPTIONAL: [&str; 4] = ["id", "status", "target", "due_on"];

/// One row, checked.
pub struct Row {
    pub number: u64,
    pub id: Option<Uuid>,
    pub reference: String,
    pub theme: Theme,
    pub firmness: Firmness,
    /// `None`: as it is (or `not-started` for a new commitment).
    pub status: Option<CommitmentStatus>,
    pub target: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub text: String,
}

pub fn bad(number: u64, column: Option<&str>, message: impl Into<String>) -> FieldError {
    FieldError::in_row(number, column, message)
}

fn kebab<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(json!(value)).ok()
}

fn allowed<T: sea_orm::Iterable + Copy>(name: impl Fn(T) -> &'static str) -> String {
    T::iter().map(name).collect::<Vec<_>>().join(", ")
}

/// Reads and checks every row; every problem found is named.
pub fn read_rows(body: &[u8]) -> Result<Vec<Row>, Vec<FieldError>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Err(err) = std::str::from_utf8(body) {
        let valid = &body[..err.valid_up_to()];
        let row = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        return Err(vec![bad(
            row,
            None,
            "is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"",
        )]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(body);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(err) => return Err(vec![bad(1, None, format!("cannot be read: {err}"))]),
    };
    let mut errors = Vec::new();
    for (n, name) in headers.iter().enumerate() {
        if !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()) {
            errors.push(bad(
                1,
                Some(name),
                format!(
                    "column {} is not one of {}",
                    n + 1,
                    [REQUIRED.as_slice(), &OPTIONAL].concat().join(", ")
                ),
            ));
        }
        if headers[..n].contains(name) {
            errors.push(bad(1, Some(name), "is named twice"));
        }
    }
    for name in REQUIRED {
        if !headers.iter().any(|h| h == name) {
            errors.push(bad(
                1,
                Some(name),
                "is missing: the first row must name the columns (as the commitments export does)",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let number = index as u64 + 2;
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} columns; the header has {expected_len}"),
                    _ => format!("cannot be read: {err}"),
                };
                errors.push(bad(number, None, message));
                continue;
            }
        };
        let cell = |name: &str| at(name).and_then(|i| record.get(i)).map(str::trim);
        let mut v = Validator::default();
        let reference = cell("reference").unwrap_or_default().to_string();
        let text = cell("text").unwrap_or_default().to_string();
        v.rule::<limits::CommitmentReference>(&reference, "reference");
        v.rule::<limits::CommitmentText>(&text, "text");
        let target = cell("target").filter(|t| !t.is_empty()).map(str::to_string);
        if let Some(target) = &target {
            v.rule::<limits::CommitmentTarget>(target, "target");
        }
        let mut row_errors: Vec<FieldError> = v
            .into_errors()
            .into_iter()
            .map(|e| bad(number, Some(&e.field), e.message))
            .collect();
        let theme = cell("theme").unwrap_or_default();
        let theme: Option<Theme> = kebab(theme);
        if theme.is_none() {
            row_errors.push(bad(
                number,
                Some("theme"),
                format!("must be one of {}", allowed::<Theme>(Theme::as_str)),
            ));
        }
        let firmness: Option<Firmness> = kebab(cell("firmness").unwrap_or_default());
        if firmness.is_none() {
            row_errors.push(bad(
                number,
                Some("firmness"),
                format!("must be one of {}", allowed::<Firmness>(Firmness::as_str)),
            ));
        }
        let status = match cell("status").filter(|s| !s.is_empty()) {
            None => None,
            Some(given) => {
                let parsed: Option<CommitmentStatus> = kebab(given);
                if parsed.is_none() {
                    row_errors.push(bad(
                        number,
                        Some("status"),
                        format!(
                            "must be empty or one of {}",
                            allowed::<CommitmentStatus>(CommitmentStatus::as_str)
                        ),
                    ));
                }
                parsed
            }
        };
        let due_on = match cell("due_on").filter(|d| !d.is_empty()) {
            None => None,
            Some(given) => {
                let parsed = NaiveDate::parse_from_str(given, "%Y-%m-%d").ok();
                if parsed.is_none() {
                    row_errors.push(bad(number, Some("due_on"), "must be a date, YYYY-MM-DD"));
                }
                parsed
            }
        };
        let id = match cell("id").filter(|i| !i.is_empty()) {
            None => None,
            Some(given) => {
                let parsed = Uuid::try_parse(given).ok();
                if parsed.is_none() {
                    row_errors.push(bad(
                        number,
                        Some("id"),
                        "must be empty or a commitment's id",
                    ));
                }
                parsed
            }
        };
        if !reference.is_empty() {
            if let Some(first) = seen.get(&reference) {
                row_errors.push(bad(
                    number,
                    Some("reference"),
                    format!("{reference} is in row {first} too: each reference once"),
                ));
            } else {
                seen.insert(reference.clone(), number);
            }
        }
        match (row_errors.is_empty(), theme, firmness) {
            (true, Some(theme), Some(firmness)) => rows.push(Row {
                number,
                id,
                reference,
                theme,
                firmness,
                status,
                target,
                due_on,
                text,
            }),
            _ => errors.extend(row_errors),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// What applying a row to the commitment it matches changes.
pub fn changes_of(current: &commitment::Model, row: &Row) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if current.theme != row.theme {
        changed.push("theme");
    }
    if current.firmness != row.firmness {
        changed.push("firmness");
    }
    if current.text != row.text {
        changed.push("text");
    }
    if current.target != row.target {
        changed.push("target");
    }
    if current.due_on != row.due_on {
        changed.push("due_on");
    }
    if row.status.is_some_and(|s| s != current.status) {
        changed.push("status");
    }
    changed
}
