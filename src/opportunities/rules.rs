//! The rules an opportunity's and an award's fields must keep (422 naming
//! each field that does not).

use chrono::NaiveDate;
use entity::{Commissioner, ValueBand};

use crate::kernel::limits;
use crate::kernel::validation::Validator;

/// Most places an opportunity may name.
pub const MOST_LOCALITIES: usize = 50;

/// Title, description and the commissioner's name, as far as they are given.
pub fn check_texts(
    v: &mut Validator,
    title: Option<&str>,
    description: Option<&str>,
    commissioner_name: Option<&str>,
) {
    if let Some(title) = title {
        v.rule::<limits::OpportunityTitle>(title, "title");
    }
    if let Some(description) = description {
        v.rule::<limits::OpportunityDescription>(description, "description");
    }
    if let Some(name) = commissioner_name {
        v.rule::<limits::CommissionerName>(name, "commissioner_name");
    }
}

/// An `other` commissioner must be named.
pub fn check_commissioner(v: &mut Validator, commissioner: Commissioner, name: Option<&str>) {
    v.check(
        commissioner != Commissioner::Other || name.is_some_and(|n| !n.trim().is_empty()),
        "commissioner_name",
        "is required when the commissioner is \"other\"",
    );
}

/// A value band, an amount, or both with the amount within the band.
pub fn check_value(v: &mut Validator, band: Option<ValueBand>, amount: Option<i64>) {
    v.check(
        band.is_some() || amount.is_some(),
        "value_band",
        "give a value band, an amount_pence, or both",
    );
    if let Some(amount) = amount {
        check_amount(v, amount);
        let amount_valid = amount > 0 && amount <= limits::MAX_AMOUNT_PENCE;
        if let Some(band) = band.filter(|_| amount_valid) {
            let (from, below) = band.pence();
            v.check(
                amount >= from && below.is_none_or(|below| amount < below),
                "amount_pence",
                &format!("is not within the value band {}", band.as_str()),
            );
        }
    }
}

/// An amount in whole pence: more than 0, at most £1bn (so that no sum the
/// reports make can overflow).
pub fn check_amount(v: &mut Validator, amount_pence: i64) {
    v.check(amount_pence > 0, "amount_pence", "must be more than 0");
    v.check(
        amount_pence <= limits::MAX_AMOUNT_PENCE,
        "amount_pence",
        "must be at most 100000000000 (£1,000,000,000)",
    );
}

pub fn check_dates(v: &mut Validator, opens_on: NaiveDate, closes_on: NaiveDate) {
    v.check(
        closes_on >= opens_on,
        "closes_on",
        "must be on or after opens_on",
    );
}

/// The places, trimmed; each one line of 1–200 characters, at most 50.
pub fn localities(v: &mut Validator, given: &[String]) -> Vec<String> {
    v.check(
        given.len() <= MOST_LOCALITIES,
        "localities",
        &format!("at most {MOST_LOCALITIES} places"),
    );
    let mut kept: Vec<String> = Vec::new();
    for (i, place) in given.iter().enumerate() {
        v.rule::<limits::Locality>(place, &format!("localities[{i}]"));
        let place = place.trim().to_string();
        if !kept.contains(&place) {
            kept.push(place);
        }
    }
    kept
}

/// Each of the list once, in order.
pub fn distinct<T: PartialEq + Copy>(given: &[T]) -> Vec<T> {
    let mut kept = Vec::new();
    for item in given {
        if !kept.contains(item) {
            kept.push(*item);
        }
    }
    kept
}

/// Exactly one recipient, a positive amount and dates in order.
pub fn check_award(
    v: &mut Validator,
    organisation_id: Option<uuid::Uuid>,
    recipient_name: Option<&str>,
    amount_pence: i64,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
) {
    v.check(
        organisation_id.is_some() != recipient_name.is_some(),
        "recipient_name",
        "give exactly one of organisation_id (a Convene organisation) and recipient_name \
         (an outside body)",
    );
    if let Some(name) = recipient_name {
        v.rule::<limits::RecipientName>(name, "recipient_name");
    }
    check_amount(v, amount_pence);
    if let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) {
        v.check(
            ends_on >= starts_on,
            "ends_on",
            "must be on or after starts_on",
        );
    }
}
