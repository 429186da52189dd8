//! What every page carries: its text's language, the design system's files
//! under their current names, and who is signed in.

use crate::web::assets;
use crate::web::components;
use crate::web::i18n::Text;

pub struct Page {
    pub text: Text,
    pub stylesheet: &'static str,
    /// Convene's own few rules, after the design system's.
    pub own_stylesheet: &'static str,
    pub script: &'static str,
    /// The person signed in, for the header's "account" and "sign out".
    pub signed_in: Option<SignedIn>,
}

pub struct SignedIn {
    pub display_name: String,
    /// The sign-out button's form's token.
    pub csrf_token: String,
}

impl Page {
    /// The design system's skip link, to the page's main content.
    pub fn skip_link(&self) -> components::SkipLink {
        components::SkipLink {
            text: self.text.get("skip-to-main"),
            href: Some("#main-content".into()),
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self {
            text: Text::default(),
            stylesheet: assets::path_of("govuk-frontend.min.css").unwrap_or_default(),
            own_stylesheet: assets::path_of("convene.css").unwrap_or_default(),
            script: assets::path_of("govuk-frontend.min.js").unwrap_or_default(),
            signed_in: None,
        }
    }
}
