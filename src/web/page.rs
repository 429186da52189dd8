//! What every page carries: its text's language and the design system's
//! files under their current names.

use crate::web::assets;
use crate::web::i18n::Text;

pub struct Page {
    pub text: Text,
    pub stylesheet: &'static str,
    pub script: &'static str,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            text: Text::default(),
            stylesheet: assets::path_of("govuk-frontend.min.css").unwrap_or_default(),
            script: assets::path_of("govuk-frontend.min.js").unwrap_or_default(),
        }
    }
}
