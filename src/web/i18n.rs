//! Page text from Fluent resources (`src/web/locales/{lang}/*.ftl`): no text
//! is written in a template, so that a page reads the same in each language
//! Convene speaks (English now; Welsh is to come).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./src/web/locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would show in
        // titles and be read out by some screen readers.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const ENGLISH: LanguageIdentifier = langid!("en");

/// The text of a page in one language.
#[derive(Debug, Clone)]
pub struct Text {
    lang: LanguageIdentifier,
}

impl Default for Text {
    fn default() -> Self {
        Self { lang: ENGLISH }
    }
}

impl Text {
    /// The language, as `<html lang>` names it.
    pub fn lang(&self) -> String {
        self.lang.to_string()
    }

    /// The message with this id.
    pub fn get(&self, id: &str) -> String {
        LOCALES.lookup(&self.lang, id)
    }

    /// The message with this id, its `{ $name }` placeables filled in
    /// (each value as written: numbers and dates come formatted).
    pub fn get_with(&self, id: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.as_str())))
            .collect();
        LOCALES.lookup_with_args(&self.lang, id, &args)
    }

    /// Whether the resources hold a message with this id.
    pub fn has(&self, id: &str) -> bool {
        LOCALES.try_lookup(&self.lang, id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `text.get("…")` of every template names a message of the
    /// English resources (Fluent would otherwise show the id itself).
    #[test]
    fn every_message_a_template_asks_for_exists() {
        let text = Text::default();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/templates");
        let mut asked = Vec::new();
        for entry in std::fs::read_dir(dir).expect("templates").flatten() {
            let template = std::fs::read_to_string(entry.path()).expect("a template");
            for rest in template.split("text.get(\"").skip(1) {
                asked.push(rest.split('"').next().unwrap_or_default().to_string());
            }
        }
        asked.extend(["nation-england", "nation-wales"].map(String::from));
        asked.extend(crate::web::pages::region::FIGURES.map(String::from));
        use sea_orm::Iterable;
        asked.extend(entity::Theme::iter().map(|t| format!("theme-{}", t.as_str())));
        asked.extend(
            entity::CommitmentStatus::iter().map(|s| format!("commitment-status-{}", s.as_str())),
        );

        let missing: Vec<&String> = asked.iter().filter(|id| !text.has(id)).collect();

        assert!(asked.len() > 10);
        assert!(missing.is_empty(), "no message for {missing:?}");
        assert_eq!(text.get("convene"), "Convene");
    }

    /// Messages with placeables read whole once their values are given.
    #[test]
    fn messages_with_placeables_are_filled_in() {
        let text = Text::default();
        let window = text.get_with(
            "region-voice-window",
            &[
                ("months", "12".into()),
                ("from", "1 May 2025".into()),
                ("to", "1 May 2026".into()),
            ],
        );
        let taking_part = text.get_with(
            "region-taking-part-value",
            &[("taking_part", "2".into()), ("members", "3".into())],
        );

        assert_eq!(
            window,
            "Taking part is counted over the 12 months from 1 May 2025 to 1 May 2026."
        );
        assert_eq!(taking_part, "2 of 3");
    }
}
