//! The OpenAPI document, generated from the handlers' annotations. Served at
//! `/openapi.json`, printed by `convene openapi`, and committed as
//! `openapi.yaml` (a test fails when the two disagree).

use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDoc;

mod problems;
mod shapes;
mod yaml;

pub use problems::CommonResponses;
pub use shapes::Shapes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Convene",
        description = "The voluntary sector forums of the 12 probation regions of England and Wales: \
meetings, agendas and minutes, actions tied to the commitments of each Regional Reducing Reoffending \
Plan, issues raised with the Regional Probation Director's team, and the accountability report.\n\n\
Every error is an RFC 9457 `application/problem+json` document.\n\n\
**Dates and times.** A field named `…_on`, `…_before` or `…_deadline` is a date (`2027-01-10`); \
`…_at`, `from` and `to` are instants in RFC 3339 with `Z` or an offset (`2027-01-10T09:00:00Z`); \
`…_local` is a time on London's clock without an offset (`2027-01-10T09:00:00`). A value that does \
not parse is a 422 saying which of these the field expects.\n\n\
**PATCH.** Send only the fields that change. `null` clears a field that may be empty (its schema \
admits `null`) and is refused with 422 for any other field; it is never taken for \"leave it\".\n\n\
**Money.** Amounts are whole pence, from 1 to 100,000,000,000 (£1,000,000,000), so that every \
total the reports make stays exact.",
        license(name = "AGPL-3.0-or-later")
    ),
    // utoipa refers to these without adding them to the components: a
    // query parameter's enum (the audit trail's `entity` filter), the mode a
    // hand-written map schema refers to, and the field errors of the problem
    // document every error response is made (by `CommonResponses`).
    components(schemas(
        crate::kernel::audit::EntityKind,
        entity::NotificationMode,
        crate::kernel::error::FieldError
    )),
    tags(
        (name = "auth", description = "Registration, sign-in and tokens"),
        (name = "me", description = "Your own account"),
        (name = "regions", description = "The 12 probation regions"),
        (name = "organisations", description = "Member organisations"),
        (name = "users", description = "User management (admins)"),
        (name = "forums", description = "The forum of each region"),
        (name = "memberships", description = "Organisations' memberships of forums"),
        (name = "roles", description = "People's roles in forums"),
        (name = "meetings", description = "Forum meetings"),
        (name = "calendars", description = "iCalendar files and personal feeds"),
        (name = "agenda", description = "Meeting agendas"),
        (name = "minutes", description = "Meeting minutes"),
        (name = "plans", description = "Regional Reducing Reoffending Plans"),
        (name = "commitments", description = "The commitments of each plan"),
        (name = "actions", description = "Action items and their progress"),
        (name = "issues", description = "Issues raised with the RPD's team, and their answers"),
        (name = "consultations", description = "Consultations the forum answers together: contributions and the joint response"),
        (name = "polls", description = "Polls of the forum's member organisations: one vote each"),
        (name = "opportunities", description = "The commissioning pipeline: funding opportunities, interest in them and awards"),
        (name = "accountability", description = "Which promises have work behind them"),
        (name = "audit", description = "The audit trail"),
        (name = "notifications", description = "Outgoing messages (admins)"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

/// The document, with the routes that the router really serves.
pub fn document() -> OpenApiDoc {
    crate::routes().1
}

/// The document as YAML that YAML 1.1 and 1.2 readers read alike.
pub fn to_yaml(doc: &OpenApiDoc) -> String {
    yaml_serde::to_value(doc)
        .map(|value| yaml::to_string(&value))
        .unwrap_or_default()
}
