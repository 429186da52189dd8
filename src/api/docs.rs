//! The API reference as a page, at `/docs`: Swagger UI reading the served
//! spec at `/openapi.json`.
//!
//! Swagger UI's files are compiled into the binary, so the page works on a
//! server with no way out to the internet and never loads anything from
//! elsewhere: the page's own policy lets it load only from this server.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_swagger_ui::{Config, SwaggerUi};

pub const DOCS_PATH: &str = "/docs";

/// The spec the page reads: the one the API serves, not a copy of it.
pub const SPEC_PATH: &str = "/openapi.json";

/// Only this server's own scripts, styles and spec. Swagger UI styles some
/// elements inline and draws its icons as `data:` images; nothing else is
/// allowed, and no other site may frame the page.
const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Swagger UI's page rules and the colours that make the page readable,
/// in place of Swagger UI's own `index.css`.
const DOCS_CSS: &str = include_str!("docs.css");

/// The page's files change only with the binary, unlike API answers.
const DOCS_CACHE_CONTROL: &str = "public, max-age=3600";

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    // `validator_url("none")`: Swagger UI would otherwise send the spec's
    // address to a public validator and show its verdict as a badge.
    // The base layout has no "explore" bar (an unlabelled address field
    // with a button of too little contrast), and without deep links an
    // operation's summary is one button rather than a button holding links:
    // both for WCAG 2.2 AA, with `docs.css` for the colours.
    let config = Config::from(SPEC_PATH)
        .validator_url("none")
        .display_request_duration(true)
        .use_base_layout()
        .deep_linking(false);
    Router::from(SwaggerUi::new(DOCS_PATH).config(config))
        .route(
            "/docs/index.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                    DOCS_CSS,
                )
            }),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(DOCS_CACHE_CONTROL),
        ))
}
