//! The pages: the second face on the domain operations, for people in a
//! browser. A page handler extracts, calls the operation the API handler
//! calls, and renders a template; the text is Fluent's, the look the
//! design system's.

pub mod assets;
pub mod chart;
pub mod error;
pub mod format;
pub mod i18n;
pub mod page;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::kernel::state::AppState;

pub use pages::not_found::fallback;

/// The pages' routes.
pub fn router() -> Router<AppState> {
    let routes = Router::new()
        .route("/", get(pages::home::show))
        .route("/regions/{code}", get(pages::region::show))
        .route("/regions/{code}/plan", get(pages::plan::show))
        .route("/themes", get(pages::themes::show))
        .route("/forums/{id}", get(pages::forum::show))
        .route(
            "/forums/{id}/minutes/{meeting_id}",
            get(pages::minutes::show),
        )
        // Pages are text: compressed for a browser that asks, as the
        // assets are.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .br(true),
        );
    routes.merge(assets::router())
}
