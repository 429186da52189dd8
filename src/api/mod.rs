//! The JSON API: one module per domain with its handlers, each of which
//! extracts, calls the domain's operation and responds; the OpenAPI document
//! generated from them; the reference page and health checks.

pub mod accountability;
pub mod actions;
pub mod audit;
pub mod auth;
pub mod consultations;
pub mod docs;
pub mod forums;
pub mod health;
pub mod issues;
pub mod meetings;
pub mod minutes;
pub mod notifications;
pub mod openapi;
pub mod opportunities;
pub mod organisations;
pub mod papers;
pub mod plans;
pub mod polls;
pub mod public_record;
pub mod regions;
pub mod users;
pub mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::http;
use crate::kernel::links::API_PREFIX;
use crate::kernel::state::AppState;

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
        .merge(audit::router())
        .merge(notifications::router())
        .merge(webhooks::router())
        .merge(public_record::router())
        .merge(papers::router())
        .merge(consultations::router())
        .merge(polls::router())
        .merge(opportunities::router());
    let (router, mut doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest(API_PREFIX, api)
        .merge(health::router())
        .split_for_parts();
    openapi::Shapes.modify(&mut doc);
    openapi::CommonResponses.modify(&mut doc);
    (router, doc)
}

/// The HTTP application: routes, the served spec and its reference page,
/// fallbacks and middleware.
pub fn app(state: AppState) -> Router {
    let (router, doc) = routes();
    let doc = Arc::new(doc);
    let request_timeout = state.request_timeout;
    let pages = crate::web::router(&state);
    let router = router
        .route(
            docs::SPEC_PATH,
            get(move || {
                let doc = Arc::clone(&doc);
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(docs::router())
        .merge(pages)
        .fallback(crate::web::fallback)
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state);
    http::layers(router, request_timeout)
}
