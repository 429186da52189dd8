//! The pages: the second face on the domain operations, for people in a
//! browser. A page handler extracts, calls the operation the API handler
//! calls, and renders a template; the text is Fluent's, the look the
//! design system's.

pub mod assets;
pub mod chart;
pub mod components;
pub mod conflict;
pub mod error;
pub mod format;
pub mod forms;
pub mod i18n;
pub mod page;
pub mod pages;
pub mod permissions;
pub mod session;
pub mod uploads;
pub mod user_agent;
pub mod when;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};

use crate::kernel::links::{CONFIRM_EMAIL_CHANGE_PAGE, CONFIRM_EMAIL_PAGE, NEW_PASSWORD_PAGE};
use pages::{account, after_meeting, consultations, members, minutes_editor};

use crate::kernel::state::AppState;

pub use pages::not_found::fallback;

/// The officers' scheduling pages (`pages::scheduling`).
fn scheduling_routes() -> Router<AppState> {
    use pages::scheduling::{cancel, edit, list, new_meeting, new_series};
    Router::new()
        .route("/forums/{id}/meetings", get(list::show))
        .route(
            "/forums/{id}/meetings/new",
            get(new_meeting::show).post(new_meeting::submit),
        )
        .route(
            "/forums/{id}/series/new",
            get(new_series::show).post(new_series::submit),
        )
        .route(
            "/forums/{id}/meetings/{meeting_id}/edit",
            get(edit::show).post(edit::submit),
        )
        .route(
            "/forums/{id}/meetings/{meeting_id}/cancel",
            get(cancel::show_meeting).post(cancel::cancel_meeting),
        )
        .route(
            "/forums/{id}/series/{series_id}/cancel",
            get(cancel::show_series).post(cancel::cancel_series),
        )
}

/// The pages' routes. Every unsafe request to them must come from this
/// site's own pages (`session::same_origin_only`) and carry its visitor's
/// CSRF token (`session::CheckedForm`).
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route("/", get(pages::home::show))
        .route("/regions/{code}", get(pages::region::show))
        .route("/regions/{code}/plan", get(pages::plan::show))
        .route("/themes", get(pages::themes::show))
        .route("/your-forums", get(pages::your_forums::show))
        .route(pages::your_work::PATH, get(pages::your_work::show))
        .route(
            "/opportunities/{id}/interest",
            post(pages::your_work::register),
        )
        .route(
            "/opportunities/{id}/interest/withdraw",
            post(pages::your_work::withdraw),
        )
        .route("/awaiting-answer", get(pages::awaiting_answer::show))
        .route("/forums/{id}/members", get(members::list::show))
        .route(
            "/forums/{id}/members/applications",
            get(members::applications::show),
        )
        .route(
            "/forums/{id}/members/{membership_id}",
            get(members::decision::show).post(members::decision::decide),
        )
        .route(
            "/forums/{id}/roles",
            get(members::roles::show).post(members::roles::assign),
        )
        .route("/forums/{id}/roles/{user_id}", post(members::roles::change))
        .route(
            "/forums/{id}/consultations/new",
            get(consultations::register::show).post(consultations::register::submit),
        )
        .route(
            "/forums/{id}/consultations/{consultation_id}",
            get(consultations::running::show),
        )
        .route(
            "/forums/{id}/consultations/{consultation_id}/questions/{question_id}/answer",
            post(consultations::running::answer),
        )
        .route(
            "/forums/{id}/consultations/{consultation_id}/questions/{question_id}/contribution",
            post(consultations::contribute::save),
        )
        .route(
            "/forums/{id}/consultations/{consultation_id}/status",
            post(consultations::running::move_on),
        )
        .route(
            "/forums/{id}/consultations/{consultation_id}/poll",
            post(consultations::running::put_to_poll),
        )
        .route(
            "/forums/{id}/roles/{user_id}/remove",
            post(members::roles::remove),
        )
        .route("/forums/{id}", get(pages::forum::show))
        .route(
            "/forums/{id}/minutes/{meeting_id}",
            get(pages::minutes::show),
        )
        .merge(scheduling_routes())
        .route(
            "/forums/{id}/minutes/{meeting_id}/edit",
            get(minutes_editor::edit::show).post(minutes_editor::edit::save),
        )
        .route(
            "/forums/{id}/minutes/{meeting_id}/draft",
            post(minutes_editor::edit::draft),
        )
        .route(
            "/forums/{id}/minutes/{meeting_id}/approve",
            post(minutes_editor::edit::approve),
        )
        .route(
            "/forums/{id}/minutes/{meeting_id}/revisions",
            get(minutes_editor::revisions::show),
        )
        .route("/forums/{id}/actions", get(pages::forum_actions::show))
        .route(
            "/forums/{id}/meetings/{meeting_id}/attendance",
            get(after_meeting::attendance::show).post(after_meeting::attendance_save::save),
        )
        .route(
            "/forums/{id}/meetings/{meeting_id}/held",
            post(after_meeting::held::mark),
        )
        .route(
            "/forums/{id}/meetings/{meeting_id}/outcomes",
            get(after_meeting::outcomes::show),
        )
        .route(
            "/forums/{id}/meetings/{meeting_id}/outcomes/{item_id}",
            get(after_meeting::outcome::show).post(after_meeting::outcome::save),
        )
        .route(
            "/sign-in",
            get(account::sign_in::show).post(account::sign_in::submit),
        )
        .route(
            "/sign-out",
            get(account::sign_out::show).post(account::sign_out::submit),
        )
        .route(
            "/register",
            get(account::register::show).post(account::register::submit),
        )
        .route(
            CONFIRM_EMAIL_PAGE,
            get(account::confirm_email::show).post(account::confirm_email::submit),
        )
        .route(
            "/reset-password",
            get(account::reset_password::show).post(account::reset_password::submit),
        )
        .route(
            NEW_PASSWORD_PAGE,
            get(account::reset_password::show_new).post(account::reset_password::submit_new),
        )
        .route("/account", get(account::settings::show))
        .route("/account/name", post(account::settings::change_name))
        .route(
            "/account/notifications",
            get(account::notifications::show).post(account::notifications::save),
        )
        .route(
            "/account/calendar",
            get(account::calendar::show).post(account::calendar::renew),
        )
        .route(
            "/account/password",
            post(account::settings::change_password),
        )
        .route("/account/email", post(account::settings::change_email))
        .route(
            CONFIRM_EMAIL_CHANGE_PAGE,
            get(account::confirm_email_change::show).post(account::confirm_email_change::submit),
        )
        .route(
            "/account/sessions/end-all",
            post(account::settings::end_every_session),
        )
        .route(
            "/account/sessions/{id}/end",
            post(account::settings::end_session),
        )
        .merge(pages::meeting::routes())
        .merge(pages::polls::routes())
        .merge(pages::action::routes())
        .merge(pages::issues::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            session::same_origin_only,
        ))
        // Pages are text: compressed for a browser that asks, as the
        // assets are.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .br(true),
        );
    routes.merge(assets::router())
}
