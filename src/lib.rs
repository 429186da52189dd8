//! Convene: the API behind the voluntary sector forums of the 12 probation
//! regions of England and Wales.
//!
//! [`app`] builds the whole HTTP application from an [`AppState`]; `main` and
//! the integration tests both use it.

pub mod accountability;
pub mod actions;
pub mod api;
pub mod auth;
pub mod cli;
pub mod consultations;
pub mod demo;
pub mod forums;
pub mod http;
pub mod issues;
pub mod jobs;
pub mod kernel;
pub mod meetings;
pub mod minutes;
pub mod notifications;
pub mod opportunities;
pub mod organisations;
pub mod papers;
pub mod plans;
pub mod polls;
pub mod public_record;
pub mod regions;
pub mod search;
pub mod users;
pub mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub use kernel::state::AppState;

pub const API_PREFIX: &str = "/api/v1";

/// Every documented route, with the OpenAPI document that describes exactly them.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let api = OpenApiRouter::new()
        .merge(auth::router())
        .merge(regions::router())
        .merge(organisations::router())
        .merge(forums::router())
        .merge(meetings::router())
        .merge(minutes::router())
        .merge(plans::router())
        .merge(actions::router())
        .merge(issues::router())
        .merge(accountability::router())
        .merge(users::router())
        .merge(api::audit::router())
        .merge(notifications::deliveries::router())
        .merge(notifications::settings::router())
        .merge(webhooks::router())
        .merge(public_record::router())
        .merge(papers::router())
        .merge(consultations::router())
        .merge(polls::router())
        .merge(opportunities::router());
    let (router, mut doc) = OpenApiRouter::with_openapi(api::openapi::ApiDoc::openapi())
        .nest(API_PREFIX, api)
        .merge(api::health::router())
        .split_for_parts();
    api::openapi::Shapes.modify(&mut doc);
    api::openapi::CommonResponses.modify(&mut doc);
    (router, doc)
}

/// The HTTP application: routes, the served spec and its reference page,
/// fallbacks and middleware.
pub fn app(state: AppState) -> Router {
    let (router, doc) = routes();
    let doc = Arc::new(doc);
    let request_timeout = state.request_timeout;
    let router = router
        .route(
            api::docs::SPEC_PATH,
            get(move || {
                let doc = Arc::clone(&doc);
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(api::docs::router())
        .fallback(http::not_found)
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state);
    http::layers(router, request_timeout)
}
