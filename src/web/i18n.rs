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

    /// The message with this id, its `{ $name }` placeholders filled.
    pub fn with(&self, id: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.lang, id, &args)
    }

    /// The message with this id for a number `$count`, so that its
    /// plural form is chosen ("1 award", "3 awards").
    pub fn count(&self, id: &str, count: u64) -> String {
        let args = std::collections::HashMap::from([(
            std::borrow::Cow::Borrowed("count"),
            fluent_templates::fluent_bundle::FluentValue::from(count),
        )]);
        LOCALES.lookup_with_args(&self.lang, id, &args)
    }

    /// Whether the resources hold a message with this id.
    pub fn has(&self, id: &str) -> bool {
        // With a `$count`, as a message that takes one fails without it.
        let args = std::collections::HashMap::from([(
            std::borrow::Cow::Borrowed("count"),
            fluent_templates::fluent_bundle::FluentValue::from(1),
        )]);
        LOCALES
            .try_lookup_with_args(&self.lang, id, &args)
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message id that a template or page code asks for by name
    /// (`text.get` or `text.count` of a literal), and those it builds,
    /// names a message of the English resources (Fluent would otherwise
    /// show the id itself).
    #[test]
    fn every_message_a_template_asks_for_exists() {
        let text = Text::default();
        let web = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web");
        let mut asked = Vec::new();
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in ["templates", "pages", "."] {
            let found = std::fs::read_dir(format!("{web}/{dir}")).expect("a folder");
            files.extend(found.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
        for file in files {
            let template = std::fs::read_to_string(file).expect("a source");
            for call in ["text.get(\"", "text.count(\""] {
                for rest in template.split(call).skip(1) {
                    let id = rest.split('"').next().unwrap_or_default();
                    if id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        asked.push(id.to_string());
                    }
                }
            }
        }
        asked.extend(["nation-england", "nation-wales"].map(String::from));
        // Asked for by a variable: the 403 page's reasons, the account's
        // banners and the form fields' labels.
        asked.extend(
            [
                "skip-to-main",
                "forbidden-elsewhere",
                "forbidden-form",
                "forbidden-not-allowed",
                "account-done-name",
                "account-done-password",
                "account-done-session",
                "field-email",
                "field-password",
                "field-display-name",
                "field-token",
                "field-current-password",
                "field-new-password",
            ]
            .map(String::from),
        );
        asked.extend(crate::web::pages::region_charts::DAY_BOUNDS.map(|(_, id)| id.to_string()));
        use sea_orm::Iterable;
        for chart in ["status", "work", "answers", "days", "mechanism", "shares"] {
            asked.extend(["title", "description"].map(|part| format!("chart-{chart}-{part}")));
        }
        asked.extend(entity::LedByAndFor::iter().map(|g| format!("chart-led-by-{}", g.as_str())));
        asked.extend(entity::FundingMechanism::iter().map(|m| format!("mechanism-{}", m.as_str())));
        asked.extend(entity::SizeBand::iter().map(|b| format!("size-band-{}", b.as_str())));
        asked.extend(entity::Theme::iter().map(|t| format!("theme-{}", t.as_str())));
        asked.extend(
            entity::CommitmentStatus::iter().map(|s| format!("commitment-status-{}", s.as_str())),
        );

        let missing: Vec<&String> = asked.iter().filter(|id| !text.has(id)).collect();

        assert!(asked.len() > 10);
        assert!(missing.is_empty(), "no message for {missing:?}");
        assert_eq!(text.get("convene"), "Convene");
        // Messages with placeholders, filled.
        let email = || [("email", "rhys@example.org".to_string())];
        assert!(
            text.with("register-sent-body", &email())
                .contains("rhys@example.org")
        );
        assert!(
            text.with("reset-sent-body", &email())
                .contains("rhys@example.org")
        );
        let device = [("browser", "Firefox".into()), ("system", "Linux".into())];
        assert_eq!(
            text.with("account-session-browser-on", &device),
            "Firefox on Linux"
        );
    }

    /// Messages with placeables read whole once their values are given.
    #[test]
    fn messages_with_placeables_are_filled_in() {
        let text = Text::default();
        let window = text.with(
            "region-voice-window",
            &[
                ("months", "12".into()),
                ("from", "1 May 2025".into()),
                ("to", "1 May 2026".into()),
            ],
        );

        assert_eq!(
            window,
            "Taking part is counted over the 12 months from 1 May 2025 to 1 May 2026."
        );
    }
}
