//! The committed `openapi.yaml` is what the code generates: change a route or
//! a type and this fails until `convene openapi > openapi.yaml` is run.

use axum::http::StatusCode;

use crate::support::TestApp;

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = convene::api::openapi::to_yaml(&convene::api::openapi::document());
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .unwrap_or_default();

    assert!(
        generated == committed,
        "openapi.yaml is out of date: run `cargo run -- openapi > openapi.yaml`"
    );
}

/// A reference to a component the document does not hold makes the whole
/// document invalid to every reader (a query parameter's enum is one utoipa
/// refers to without adding it).
#[test]
fn every_reference_points_at_a_component_the_document_holds() {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    found.push(target.clone());
                }
                map.values().for_each(|v| refs(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let doc = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    let mut found = Vec::new();
    refs(&doc, &mut found);

    let dangling: Vec<&String> = found
        .iter()
        .filter(|target| {
            let pointer = target.trim_start_matches('#');
            !target.starts_with("#/") || doc.pointer(pointer).is_none()
        })
        .collect();

    assert!(!found.is_empty());
    assert!(dangling.is_empty(), "references to nothing: {dangling:?}");
}

#[tokio::test]
async fn the_served_spec_is_the_generated_one() {
    let app = TestApp::spawn().await;

    let response = app.get("/openapi.json", None).await;

    response.assert_status(StatusCode::OK);
    let served = response.json();
    let generated = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    assert_eq!(served, generated);
}

#[test]
fn every_operation_documents_its_errors() {
    let doc = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.contains_key("/api/v1/auth/login") && paths.contains_key("/healthz"));
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let responses = operation["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            assert!(
                responses.keys().any(|code| code.starts_with('2')),
                "{method} {path} has no success response"
            );
            assert!(
                responses.contains_key("500"),
                "{method} {path} does not document 500"
            );
            if operation.get("security").is_some() {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} does not document 401"
                );
            }
            if operation.get("requestBody").is_some() {
                assert!(
                    responses.contains_key("422"),
                    "{method} {path} does not document 422"
                );
            }
        }
    }
}

fn operations() -> Vec<(String, String, serde_json::Value)> {
    let doc = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut found = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            found.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    found
}

#[test]
fn every_error_is_documented_as_a_problem_document() {
    for (method, path, operation) in operations() {
        let responses = operation["responses"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (code, response) in responses {
            if code.starts_with('4') || code.starts_with('5') {
                let content = response["content"].as_object().cloned().unwrap_or_default();
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/problem+json"],
                    "{method} {path} {code}"
                );
            }
        }
        if path.contains('{') {
            assert!(
                operation["responses"].get("404").is_some(),
                "{method} {path}: a malformed id is 404"
            );
        }
    }
}

#[test]
fn conditional_writes_declare_if_match_412_and_the_etag_they_send() {
    let mut conditional = 0;
    for (method, path, operation) in operations() {
        let params = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !params
            .iter()
            .any(|p| p["name"] == "If-Match" && p["in"] == "header")
        {
            continue;
        }
        conditional += 1;
        let responses = &operation["responses"];
        assert!(responses.get("412").is_some(), "{method} {path}");
        for (code, response) in responses.as_object().into_iter().flatten() {
            if code.starts_with('2') && code != "204" {
                assert!(
                    response["headers"].get("ETag").is_some(),
                    "{method} {path} {code} sends an ETag"
                );
            }
        }
    }
    assert!(
        conditional >= 8,
        "only {conditional} operations take If-Match"
    );
}

#[test]
fn limit_is_bounded_as_the_server_bounds_it() {
    for (method, path, operation) in operations() {
        let params = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for p in params.iter().filter(|p| p["name"] == "limit") {
            assert_eq!(p["schema"]["minimum"], 1, "{method} {path}");
            assert_eq!(p["schema"]["maximum"], 200, "{method} {path}");
        }
    }
}

#[test]
fn pages_refer_to_their_item_schema() {
    let doc = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    let schemas = doc["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let pages: Vec<_> = schemas
        .iter()
        .filter(|(n, _)| n.starts_with("Page_"))
        .collect();
    assert!(!pages.is_empty());
    for (name, page) in pages {
        let item = name.trim_start_matches("Page_");
        assert_eq!(
            page["properties"]["items"]["items"]["$ref"],
            format!("#/components/schemas/{item}"),
        );
        assert!(schemas.contains_key(item), "{item}");
        assert_eq!(
            page["required"],
            serde_json::json!(["items", "next_cursor"])
        );
    }
}

#[test]
fn passwords_are_bounded_in_the_spec_as_the_server_bounds_them() {
    use convene::auth::types::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
    let doc = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("RegisterIn", "password"),
        ("PasswordChangeIn", "new_password"),
    ] {
        let property = &schemas[schema]["properties"][field];
        assert_eq!(
            property["minLength"], PASSWORD_MIN_CHARS,
            "{schema}.{field}"
        );
        assert_eq!(
            property["maxLength"], PASSWORD_MAX_CHARS,
            "{schema}.{field}"
        );
    }
}

#[test]
fn the_rsvp_answers_are_strings_to_every_yaml_reader() {
    let yaml = convene::api::openapi::to_yaml(&convene::api::openapi::document());

    assert!(yaml.contains("- 'yes'\n") && yaml.contains("- 'no'\n"));
    assert!(!yaml.contains("- yes\n") && !yaml.contains("- no\n"));
}

#[test]
fn every_operation_has_an_id_of_its_own() {
    let mut seen = std::collections::HashMap::new();
    for (method, path, operation) in operations() {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!id.is_empty(), "{method} {path} has no operationId");
        if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
            panic!("{id} names both {other} and {method} {path}");
        }
    }
}

/// Problems about dates and times say what a field expects by its name
/// (`convene::http::extract::Temporal`): every date, date-time and London-time
/// field the spec has, in bodies and query strings, must be named so.
#[test]
fn every_date_and_time_field_is_named_for_what_it_holds() {
    use convene::http::extract::Temporal;

    let doc = serde_json::to_value(convene::api::openapi::document()).unwrap_or_default();
    let mut seen = Vec::new();
    let mut check = |name: &str, schema: &serde_json::Value| {
        let kind = match schema["format"].as_str() {
            Some("date") => Some(Temporal::Date),
            Some("date-time") => Some(Temporal::DateTime),
            _ if name.ends_with("_local") => Some(Temporal::LondonTime),
            _ => None,
        };
        if let Some(kind) = kind {
            assert_eq!(Temporal::of_field(name), Some(kind), "{name}: {schema}");
            seen.push(name.to_string());
        }
    };
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for operation in item.as_object().into_iter().flatten().map(|(_, o)| o) {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                check(name, &parameter["schema"]);
            }
        }
    }
    // Request bodies: the schemas they refer to, and those these refer to.
    let schemas = &doc["components"]["schemas"];
    let mut written: Vec<String> = Vec::new();
    let mut pending: Vec<serde_json::Value> = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .map(|(_, operation)| operation["requestBody"].clone())
        .collect();
    while let Some(value) = pending.pop() {
        let text = value.to_string();
        for reference in text.split("#/components/schemas/").skip(1) {
            let name: String = reference.chars().take_while(|c| *c != '"').collect();
            if !written.contains(&name) {
                pending.push(schemas[&name].clone());
                written.push(name);
            }
        }
    }
    for name in &written {
        for (field, property) in schemas[name]["properties"]
            .as_object()
            .into_iter()
            .flatten()
        {
            check(field, property);
        }
    }
    for expected in [
        "due_before",
        "starts_at",
        "due_on",
        "starts_at_local",
        "closes_on",
    ] {
        assert!(seen.iter().any(|s| s == expected), "{expected} not checked");
    }
}
