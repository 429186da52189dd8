//! Downloads' `Content-Disposition`: one builder for every file Convene
//! hands out (papers, CSV exports, calendars), so each name reaches the
//! reader whole — Welsh letters included — and old clients still get a
//! plain-ASCII one.

use axum::http::HeaderValue;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `attachment`, with the name both as ASCII (accents taken off, so `ŵ` is
/// `w`; anything else unsafe as `_`) for old clients and as UTF-8
/// (RFC 6266 and RFC 8187 `filename*`), which every current browser uses.
pub fn disposition(file_name: &str) -> HeaderValue {
    let ascii: String = file_name
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(file_name, NON_ALPHANUMERIC);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("attachment"))
}

/// A file name made of a title: its letters and digits in lower case (any
/// script's, so `Gŵyl` stays `gŵyl`), the rest as single hyphens, at most
/// 60 characters, then `.extension`; `fallback` when nothing is left.
pub fn slug(name: &str, extension: &str, fallback: &str) -> String {
    let mut slug = String::new();
    for c in name.nfc() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("{fallback}.{extension}")
    } else {
        format!("{slug}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_letters_in_any_script_and_lose_the_rest() {
        assert_eq!(
            slug("KSS Voluntary Sector Forum", "ics", "calendar"),
            "kss-voluntary-sector-forum.ics"
        );
        assert_eq!(
            slug("Summer forum (room change) 2030-07-02", "ics", "calendar"),
            "summer-forum-room-change-2030-07-02.ics"
        );
        assert_eq!(slug("\"; rm -rf /", "ics", "calendar"), "rm-rf.ics");
        assert_eq!(
            slug("Cyfarfod Gŵyl Dewi – Fforwm Cymru 🏴", "ics", "calendar"),
            "cyfarfod-gŵyl-dewi-fforwm-cymru.ics"
        );
        assert_eq!(slug("Tŷ Hafan", "ics", "calendar"), "tŷ-hafan.ics");
        assert_eq!(slug("–", "ics", "calendar"), "calendar.ics");
    }

    #[test]
    fn a_disposition_carries_the_name_in_utf8_and_without_accents_in_ascii() {
        let value = disposition("tŷ-hafan.ics");
        assert_eq!(
            value.to_str().expect("ASCII"),
            "attachment; filename=\"ty-hafan.ics\"; filename*=UTF-8''t%C5%B7%2Dhafan%2Eics"
        );
        let quoted = disposition("a \"quoted\" name\\.pdf");
        assert_eq!(
            quoted.to_str().expect("ASCII"),
            "attachment; filename=\"a _quoted_ name_.pdf\"; \
             filename*=UTF-8''a%20%22quoted%22%20name%5C%2Epdf"
        );
    }
}
