//! The error responses of every operation, written once: the handlers
//! document only the errors particular to them, and this pass adds those that
//! the extractors, the router and the middleware can give any request, and
//! makes every error the problem document it really is.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, PartialSchema, ToSchema};

use crate::http::problem::{PROBLEM_CONTENT_TYPE, Problem};

/// The header the optimistic-concurrency extractor reads.
const IF_MATCH: &str = "If-Match";

pub struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApi) {
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
        // No operation answers 405 (it is the answer for a method that is
        // not an operation), so it is documented once, here.
        components.responses.insert(
            "MethodNotAllowed".into(),
            problem("The path exists but not with this method; `Allow` lists those it has"),
        );
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
                document_errors(operation);
            }
        }
    }
}

fn document_errors(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = operation.request_body.is_some();
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let in_path = parameters.iter().any(|p| match p {
        RefOr::T(p) => p.parameter_in == ParameterIn::Path,
        RefOr::Ref(_) => false,
    });
    let if_match = parameters.iter().any(|p| match p {
        RefOr::T(p) => p.name == IF_MATCH,
        RefOr::Ref(_) => false,
    });
    let responses = &mut operation.responses.responses;
    // Whatever a handler wrote for an error, it is served as a problem.
    for (code, response) in responses.iter_mut() {
        if let (true, RefOr::T(response)) = (is_error(code), response) {
            let headers = std::mem::take(&mut response.headers);
            *response = problem_response(&response.description, headers);
        }
    }
    let mut add = |code: &str, description: &str| {
        responses
            .entry(code.to_string())
            .or_insert_with(|| problem(description));
    };
    if secured {
        add("401", "Missing, invalid or expired access token");
        add("403", "Signed in, but not allowed to do this");
    }
    if in_path {
        add(
            "404",
            "Nothing at this path: an id that is not an id, or a record you cannot see",
        );
    }
    match (has_body, if_match) {
        (true, true) => add(
            "400",
            "The body is not valid JSON, or If-Match is not a list of entity tags",
        ),
        (true, false) => add("400", "The body is not valid JSON"),
        (false, true) => add("400", "If-Match is not a list of entity tags"),
        (false, false) => {}
    }
    if has_body {
        add("413", "The body is larger than 1 MiB");
        add("415", "The body is not application/json");
    }
    if if_match {
        add("412", "If-Match does not name the record's current version");
    }
    add("408", "The request took too long");
    add("422", "Invalid fields or query parameters");
    add("500", "Unexpected error (details are logged, not returned)");
}

fn is_error(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

type Headers = std::collections::BTreeMap<String, RefOr<utoipa::openapi::Header>>;

/// A problem document response, keeping the headers a handler declared.
fn problem_response(description: &str, headers: Headers) -> Response {
    let mut response = ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
                .build(),
        )
        .build();
    response.headers = headers;
    response
}

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(problem_response(description, Headers::new()))
}
