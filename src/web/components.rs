//! The design system's components that the pages use, ported from GOV.UK
//! Frontend's Nunjucks macros to askama macros (`templates/components.html`)
//! that take the same options. Each is tested against the package's own
//! `fixtures.json` (kept in `assets/fixtures/` by `assets/vendor.sh`): for
//! every variant whose options the port supports, the same HTML.

use serde::Deserialize;

/// Text given as `{ "text": … }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub text: String,
}

/// `govukInput`: a labelled text field, with its hint and error message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Input {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, rename = "type")]
    pub input_type: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub classes: Option<String>,
    #[serde(default)]
    pub autocomplete: Option<String>,
    #[serde(default)]
    pub spellcheck: Option<bool>,
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    #[serde(default)]
    pub error_message: Option<ErrorMessage>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorMessage {
    pub text: String,
    /// Read before the message by screen readers; "Error" by default.
    #[serde(default)]
    pub visually_hidden_text: Option<String>,
}

impl ErrorMessage {
    pub fn prefix(&self) -> &str {
        self.visually_hidden_text.as_deref().unwrap_or("Error")
    }
}

impl Input {
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.name)
    }

    pub fn input_type(&self) -> &str {
        self.input_type.as_deref().unwrap_or("text")
    }

    /// The ids of the hint and the error message, as the input's
    /// `aria-describedby` names them.
    pub fn described_by(&self) -> Option<String> {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id()));
        }
        if self.error_message.is_some() {
            ids.push(format!("{}-error", self.id()));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// `govukErrorSummary`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorSummary {
    pub title_text: String,
    #[serde(default)]
    pub description_text: Option<String>,
    #[serde(default)]
    pub error_list: Vec<ErrorLink>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorLink {
    pub text: String,
    #[serde(default)]
    pub href: Option<String>,
}

/// `govukButton`, as a `<button>`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Button {
    pub text: String,
    #[serde(default, rename = "type")]
    pub button_type: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub classes: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
}

impl Button {
    pub fn new(text: String) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }

    pub fn classes(mut self, classes: &str) -> Self {
        self.classes = Some(classes.to_string());
        self
    }
}

/// `govukTag`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub text: String,
    #[serde(default)]
    pub classes: Option<String>,
}

/// `govukSkipLink`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipLink {
    pub text: String,
    #[serde(default)]
    pub href: Option<String>,
}

#[cfg(test)]
mod fixtures {
    use askama::Template;
    use serde::de::DeserializeOwned;

    use super::*;

    #[derive(Template)]
    #[template(
        source = "{% import \"components.html\" as c %}{% call c::input(o) %}{% endcall %}",
        ext = "html"
    )]
    struct InputFixture<'a> {
        o: &'a Input,
    }

    #[derive(Template)]
    #[template(
        source = "{% import \"components.html\" as c %}{% call c::error_summary(o) %}{% endcall %}",
        ext = "html"
    )]
    struct ErrorSummaryFixture<'a> {
        o: &'a ErrorSummary,
    }

    #[derive(Template)]
    #[template(
        source = "{% import \"components.html\" as c %}{% call c::button(o) %}{% endcall %}",
        ext = "html"
    )]
    struct ButtonFixture<'a> {
        o: &'a Button,
    }

    #[derive(Template)]
    #[template(
        source = "{% import \"components.html\" as c %}{% call c::tag(o) %}{% endcall %}",
        ext = "html"
    )]
    struct TagFixture<'a> {
        o: &'a Tag,
    }

    #[derive(Template)]
    #[template(
        source = "{% import \"components.html\" as c %}{% call c::skip_link(o) %}{% endcall %}",
        ext = "html"
    )]
    struct SkipLinkFixture<'a> {
        o: &'a SkipLink,
    }

    /// Whitespace as HTML reads it (none beside a tag, one space
    /// elsewhere), and each escaped character spelt one way (askama writes
    /// `&#60;` where Nunjucks writes `&lt;`: the same character).
    fn normalised(html: &str) -> String {
        let collapsed = html.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut html = collapsed.replace("> ", ">").replace(" <", "<");
        for (numeric, named) in [
            ("&#60;", "&lt;"),
            ("&#62;", "&gt;"),
            ("&#34;", "&quot;"),
            ("&#38;", "&amp;"),
            ("&#x27;", "&#39;"),
        ] {
            html = html.replace(numeric, named);
        }
        html
    }

    /// Checks every variant of the component whose options the port takes
    /// (the others use options Convene has no use for, and are counted).
    fn check<O: DeserializeOwned>(
        component: &str,
        fixtures: &str,
        render: impl Fn(&O) -> String,
    ) -> (usize, usize) {
        let file: serde_json::Value = serde_json::from_str(fixtures).expect("fixtures JSON");
        let mut ported = 0;
        let mut other = 0;
        for fixture in file["fixtures"].as_array().expect("a list of fixtures") {
            let Ok(options) = serde_json::from_value::<O>(fixture["options"].clone()) else {
                other += 1;
                continue;
            };
            let expected = fixture["html"].as_str().expect("the fixture's HTML");
            assert_eq!(
                normalised(&render(&options)),
                normalised(expected),
                "{component}: {}",
                fixture["name"]
            );
            ported += 1;
        }
        (ported, other)
    }

    #[test]
    fn the_input_is_the_design_systems() {
        let (ported, _) =
            check::<Input>("input", include_str!("assets/fixtures/input.json"), |o| {
                InputFixture { o }.render().expect("renders")
            });
        assert!(ported >= 12, "{ported} variants");
    }

    #[test]
    fn the_error_summary_is_the_design_systems() {
        let (ported, _) = check::<ErrorSummary>(
            "error summary",
            include_str!("assets/fixtures/error-summary.json"),
            |o| ErrorSummaryFixture { o }.render().expect("renders"),
        );
        assert!(ported >= 5, "{ported} variants");
    }

    #[test]
    fn the_button_is_the_design_systems() {
        let (ported, _) =
            check::<Button>("button", include_str!("assets/fixtures/button.json"), |o| {
                ButtonFixture { o }.render().expect("renders")
            });
        assert!(ported >= 8, "{ported} variants");
    }

    #[test]
    fn the_tag_is_the_design_systems() {
        let (ported, _) = check::<Tag>("tag", include_str!("assets/fixtures/tag.json"), |o| {
            TagFixture { o }.render().expect("renders")
        });
        assert!(ported >= 5, "{ported} variants");
    }

    #[test]
    fn the_skip_link_is_the_design_systems() {
        let (ported, _) = check::<SkipLink>(
            "skip link",
            include_str!("assets/fixtures/skip-link.json"),
            |o| SkipLinkFixture { o }.render().expect("renders"),
        );
        assert!(ported >= 3, "{ported} variants");
    }
}
