//! What makes a consultation's fields valid, checked field by field so that
//! one 422 names every problem: the same rules when it is registered and
//! when it is edited, and the word limits its questions set.

use entity::consultation_question;

use crate::kernel::limits;
use crate::kernel::validation::Validator;

/// The details shared by registering and editing: each checked when given.
pub struct Details<'a> {
    pub title: Option<&'a str>,
    pub consulting_body: Option<&'a str>,
    pub source_url: Option<&'a str>,
    pub description: Option<&'a str>,
}

pub fn check_details(v: &mut Validator, d: &Details<'_>) {
    if let Some(title) = d.title {
        v.rule::<limits::ConsultationTitle>(title, "title");
    }
    if let Some(body) = d.consulting_body {
        v.rule::<limits::ConsultingBody>(body, "consulting_body");
    }
    if let Some(url) = d.source_url {
        v.rule::<limits::SourceUrl>(url, "source_url");
    }
    if let Some(description) = d.description {
        v.rule::<limits::ConsultationDescription>(description, "description");
    }
}

/// 422 on `body` when it has more words than the question allows.
pub fn check_word_limit(v: &mut Validator, body: &str, question: &consultation_question::Model) {
    if let Some(limit) = question.word_limit {
        let words = word_count(body);
        v.check(
            i64::try_from(words).unwrap_or(i64::MAX) <= i64::from(limit),
            "body",
            &format!(
                "has {words} words; question {} allows at most {limit}",
                question.position
            ),
        );
    }
}

/// Words as a reader counts them: runs of text between white space that
/// hold a letter or a digit (a markdown bullet or a dash is not a word).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|run| run.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::word_count;

    #[test]
    fn words_are_runs_between_white_space() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  \n "), 0);
        assert_eq!(
            word_count("Through-the-gate support,\n\n- housing\n- work"),
            4
        );
        assert_eq!(word_count("Cymraeg – yn gyntaf"), 3);
        assert_eq!(word_count("**2021** reforms: 12 CRCs"), 4);
    }
}
