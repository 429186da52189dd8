//! The OpenAPI document, generated from the handlers' annotations. Served at
//! `/openapi.json`, printed by `convene openapi`, and committed as
//! `openapi.yaml` (a test fails when the two disagree).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as OpenApiDoc, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Convene",
        description = "The voluntary sector forums of the 12 probation regions of England and Wales: \
meetings, agendas and minutes, actions tied to the commitments of each Regional Reducing Reoffending \
Plan, issues raised with the Regional Probation Director's team, and the accountability report.\n\n\
Every error is an RFC 9457 `application/problem+json` document.",
        license(name = "AGPL-3.0-or-later")
    ),
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
        (name = "accountability", description = "Which promises have work behind them"),
        (name = "audit", description = "The audit trail"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

/// Adds what every operation shares: the bearer scheme, the problem schema,
/// and the error responses any request can get (so each handler documents
/// only the errors particular to it).
pub struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components
            .schemas
            .insert(Problem::name().into_owned(), Problem::schema());
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        crate::error::PROBLEM_CONTENT_TYPE,
                        ContentBuilder::new()
                            .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                                "Problem",
                            ))))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_body = operation.request_body.is_some();
                let responses = &mut operation.responses.responses;
                let mut add = |code: &str, description: &str| {
                    responses
                        .entry(code.to_string())
                        .or_insert_with(|| problem(description));
                };
                if secured {
                    add("401", "Missing, invalid or expired access token");
                    add("403", "Signed in, but not allowed to do this");
                }
                if has_body {
                    add("400", "The body is not valid JSON");
                    add("413", "The body is larger than 1 MiB");
                    add("415", "The body is not application/json");
                }
                add("408", "The request took too long");
                add("422", "Invalid fields or query parameters");
                add("500", "Unexpected error (details are logged, not returned)");
            }
        }
    }
}

/// The document, with the routes that the router really serves.
pub fn document() -> OpenApiDoc {
    crate::routes().1
}

pub fn to_yaml(doc: &OpenApiDoc) -> String {
    doc.to_yaml().unwrap_or_default()
}
