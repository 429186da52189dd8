//! A browser's description of itself (`User-Agent`), told as a person
//! recognises their devices: "Firefox on Windows".

use crate::web::i18n::Text;

/// The first of these names that the description contains: order matters,
/// as Edge's and Chrome's descriptions also say "Safari".
const BROWSERS: [(&str, &str); 5] = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
];

const SYSTEMS: [(&str, &str); 6] = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
];

fn first_named<'a>(description: &str, names: &[(&str, &'a str)]) -> Option<&'a str> {
    names
        .iter()
        .find(|(marker, _)| description.contains(marker))
        .map(|(_, name)| *name)
}

pub fn describe(text: &Text, user_agent: Option<&str>) -> String {
    let description = user_agent.unwrap_or_default();
    match (
        first_named(description, &BROWSERS),
        first_named(description, &SYSTEMS),
    ) {
        (Some(browser), Some(system)) => text.with(
            "account-session-browser-on",
            &[("browser", browser.into()), ("system", system.into())],
        ),
        (Some(browser), None) => browser.to_string(),
        _ => text.get("account-session-unknown-browser"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_told_by_name_and_system() {
        let text = Text::default();
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/156.0.0.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
                    Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(&text, Some(chrome)), "Chrome on Linux");
        assert_eq!(describe(&text, Some(edge)), "Edge on Windows");
        assert_eq!(describe(&text, Some(iphone)), "Safari on iPhone");
        assert_eq!(describe(&text, None), "An unknown browser");
    }
}
