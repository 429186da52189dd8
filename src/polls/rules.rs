//! What makes a poll's definition valid, checked field by field so that one
//! 422 names every problem: the same rules for a new poll and an edited one.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::PollKind;
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::validation::Validator;

pub const FEWEST_OPTIONS: usize = 2;
pub const MOST_OPTIONS: usize = 20;

/// The options of an agree-disagree-abstain poll, in this order: results
/// read the first two as "agree" and "disagree".
pub const AGREE_DISAGREE_ABSTAIN: [&str; 3] = ["Agree", "Disagree", "Abstain"];

pub fn check_texts(v: &mut Validator, question: Option<&str>, description: Option<&str>) {
    if let Some(question) = question {
        v.rule::<limits::PollQuestion>(question, "question");
    }
    if let Some(description) = description {
        v.rule::<limits::PollDescription>(description, "description");
    }
}

/// The options of a new poll: the labels given for a choice poll (which
/// must give them), the fixed three for agree-disagree-abstain.
pub fn new_options(v: &mut Validator, kind: PollKind, given: Option<&[String]>) -> Vec<String> {
    if kind == PollKind::AgreeDisagreeAbstain {
        check_options(v, kind, given);
        return AGREE_DISAGREE_ABSTAIN.map(String::from).to_vec();
    }
    v.check(
        given.is_some(),
        "options",
        "a choice poll lists its options",
    );
    check_options(v, kind, given)
}

/// The labels given for a kind of poll, trimmed: 2–20 distinct ones for the
/// choice kinds, none for agree-disagree-abstain (whose labels are fixed).
pub fn check_options(v: &mut Validator, kind: PollKind, given: Option<&[String]>) -> Vec<String> {
    let Some(given) = given else {
        return Vec::new();
    };
    if kind == PollKind::AgreeDisagreeAbstain {
        v.check(
            false,
            "options",
            "an agree-disagree-abstain poll's options are Agree, Disagree and Abstain; leave them out",
        );
        return Vec::new();
    }
    v.check(
        (FEWEST_OPTIONS..=MOST_OPTIONS).contains(&given.len()),
        "options",
        &format!("must list {FEWEST_OPTIONS} to {MOST_OPTIONS} options"),
    );
    // Told apart by people, so "Yes" and "yes " are the same option.
    let mut seen = HashSet::new();
    for (i, label) in given.iter().enumerate() {
        let field = format!("options[{i}]");
        v.rule::<limits::PollOptionLabel>(label, &field);
        let trimmed = label.trim();
        if !trimmed.is_empty() {
            v.check(
                seen.insert(trimmed.to_lowercase()),
                &field,
                "is the same as an earlier option",
            );
        }
    }
    given.iter().map(|l| l.trim().to_string()).collect()
}

/// A multiple-choice poll may limit a vote to 1..=options choices; the other
/// kinds take exactly one, and say nothing of it.
pub fn check_max_choices(v: &mut Validator, kind: PollKind, max: Option<i32>, options: usize) {
    let Some(max) = max else {
        return;
    };
    if kind != PollKind::MultipleChoice {
        v.check(
            false,
            "max_choices",
            "only a multiple-choice poll has a maximum; a vote in this poll chooses one option",
        );
        return;
    }
    let fits = usize::try_from(max).is_ok_and(|max| (1..=options).contains(&max));
    v.check(
        fits,
        "max_choices",
        &format!("must be from 1 to the number of options ({options})"),
    );
}

/// A poll closes in the future, and after it opens.
pub fn check_window(
    v: &mut Validator,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    if closes_at <= now {
        v.check(false, "closes_at", "must be in the future");
    } else {
        v.check(closes_at > opens_at, "closes_at", "must be after opens_at");
    }
}

/// A poll decides an agenda item, a consultation's joint response (which is
/// agreed or not: agree-disagree-abstain), or neither.
pub fn check_links(
    v: &mut Validator,
    kind: PollKind,
    agenda_item_id: Option<Uuid>,
    consultation_id: Option<Uuid>,
) {
    v.check(
        agenda_item_id.is_none() || consultation_id.is_none(),
        "consultation_id",
        "a poll decides an agenda item or a consultation's response, not both",
    );
    v.check(
        consultation_id.is_none() || kind == PollKind::AgreeDisagreeAbstain,
        "consultation_id",
        "a consultation's response is agreed by an agree-disagree-abstain poll",
    );
}

/// The choices of a vote before the poll is read: some, each once.
pub fn check_choices(v: &mut Validator, option_ids: &[Uuid]) {
    v.check(
        !option_ids.is_empty(),
        "option_ids",
        "must choose at least one option",
    );
    let mut seen = HashSet::new();
    for (i, id) in option_ids.iter().enumerate() {
        v.check(
            seen.insert(*id),
            &format!("option_ids[{i}]"),
            "is chosen twice",
        );
    }
}

/// The choices of a vote against the poll's options and its kind.
pub fn check_choices_fit(
    v: &mut Validator,
    kind: PollKind,
    max_choices: Option<i32>,
    options: &[Uuid],
    option_ids: &[Uuid],
) {
    for (i, id) in option_ids.iter().enumerate() {
        v.check(
            options.contains(id),
            &format!("option_ids[{i}]"),
            "is not an option of this poll",
        );
    }
    match kind {
        PollKind::AgreeDisagreeAbstain | PollKind::SingleChoice => {
            v.check(
                option_ids.len() == 1,
                "option_ids",
                "this poll takes exactly one option",
            );
        }
        PollKind::MultipleChoice => {
            let most = max_choices
                .and_then(|m| usize::try_from(m).ok())
                .unwrap_or(options.len());
            v.check(
                option_ids.len() <= most,
                "option_ids",
                &format!("this poll takes at most {most} options"),
            );
        }
    }
}
