//! The design system's files, as a browser fetches them: under names that
//! carry their hash, kept for a year, compressed when the browser asks.

use std::io::Read;

use axum::http::{Method, StatusCode};

use crate::support::TestApp;

fn path(name: &str) -> &'static str {
    convene::web::assets::path_of(name).expect("a built-in asset")
}

#[tokio::test]
async fn a_stylesheet_is_served_under_its_hashed_name_and_kept_for_a_year() {
    let app = TestApp::spawn().await;

    let css = app.get(path("govuk-frontend.min.css"), None).await;
    let js = app.get(path("moj-frontend.min.js"), None).await;

    css.assert_status(StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(String::from_utf8_lossy(&css.body).contains(".govuk-button"));
    js.assert_status(StatusCode::OK);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
}

#[tokio::test]
async fn a_name_without_the_current_hash_is_not_found() {
    let app = TestApp::spawn().await;

    let old = app
        .get("/assets/govuk-frontend.min.0000000000.css", None)
        .await;
    let plain = app.get("/assets/govuk-frontend.min.css", None).await;

    old.assert_status(StatusCode::NOT_FOUND);
    plain.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn files_are_compressed_with_brotli_or_gzip_for_a_browser_that_asks() {
    let app = TestApp::spawn().await;
    let css = path("govuk-frontend.min.css");
    let plain = app.get(css, None).await;

    let br = app
        .request_with_headers(
            Method::GET,
            css,
            None,
            &[("accept-encoding", "br, gzip")],
            None,
        )
        .await;
    let gzip = app
        .request_with_headers(Method::GET, css, None, &[("accept-encoding", "gzip")], None)
        .await;

    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut unbrotlied = Vec::new();
    brotli_decompressor::Decompressor::new(br.body.as_ref(), 4096)
        .read_to_end(&mut unbrotlied)
        .expect("brotli");
    assert_eq!(unbrotlied, plain.body.as_ref());
    assert!(
        br.body.len() * 4 < plain.body.len(),
        "{} bytes",
        br.body.len()
    );

    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut ungzipped = Vec::new();
    flate2::read::GzDecoder::new(gzip.body.as_ref())
        .read_to_end(&mut ungzipped)
        .expect("gzip");
    assert_eq!(ungzipped, plain.body.as_ref());
}

/// Convene is not a GOV.UK service: the GDS Transport font is not served,
/// and the pages' system stack starts with Arial.
#[test]
fn the_stylesheets_carry_no_gds_transport_font() {
    for (name, asset) in convene::web::assets::all() {
        if name.ends_with(".css") {
            let text = std::str::from_utf8(asset.bytes()).expect("UTF-8 CSS");
            assert!(
                !text.contains("GDS Transport"),
                "{name} names GDS Transport"
            );
            assert!(!text.contains("@font-face"), "{name} declares a font");
            if name.contains("frontend") {
                assert!(text.contains("font-family:arial,sans-serif"), "{name}");
            }
        }
    }
}

/// The design system's budget: its CSS and JavaScript together at most
/// 350 KB before compression.
#[test]
fn the_design_system_stays_within_its_budget() {
    let total: usize = convene::web::assets::all().map(|(_, a)| a.len()).sum();
    assert!(total <= 350 * 1024, "{total} bytes");
}
