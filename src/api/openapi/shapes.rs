//! Corrections to the shapes utoipa derives, so that the spec says what the
//! server does and generated clients come out clean:
//!
//! - every `limit` query parameter carries the bounds [`PageRequest`] enforces;
//! - a `Page_X` refers to `X` instead of holding a copy of it (generators
//!   would emit one duplicate class per list);
//! - in what the server sends, a field that is always present but may be
//!   `null` is `required` (a nullable response field is never left out: those
//!   that may be are declared `nullable = false`), so clients need not treat
//!   every such field as possibly missing.
//!
//! [`PageRequest`]: crate::kernel::pagination::PageRequest

use std::collections::BTreeSet;

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ArrayItems, Schema, SchemaType, Type};
use utoipa::openapi::{OpenApi, Ref, RefOr};

use crate::kernel::pagination::{DEFAULT_LIMIT, MAX_LIMIT};

pub struct Shapes;

impl Modify for Shapes {
    fn modify(&self, openapi: &mut OpenApi) {
        let mut inputs = BTreeSet::new();
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
                bound_limit(operation);
                if let Some(RefOr::T(body)) = &operation.request_body {
                    for content in body.content.values() {
                        if let RefOr::T(content) = content
                            && let Some(schema) = &content.schema
                        {
                            refs_in(schema, &mut inputs);
                        }
                    }
                }
            }
        }
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        // What a request body refers to, directly or through other schemas.
        let mut pending: Vec<String> = inputs.iter().cloned().collect();
        while let Some(name) = pending.pop() {
            let mut found = BTreeSet::new();
            if let Some(schema) = components.schemas.get(&name) {
                refs_in(schema, &mut found);
            }
            for name in found {
                if inputs.insert(name.clone()) {
                    pending.push(name);
                }
            }
        }
        let pages: Vec<String> = components
            .schemas
            .keys()
            .filter(|name| name.starts_with("Page_"))
            .cloned()
            .collect();
        for page in pages {
            refer_to_item(&mut components.schemas, &page);
        }
        for (name, schema) in &mut components.schemas {
            if !inputs.contains(name) {
                require_nullable(schema);
            }
        }
    }
}

fn bound_limit(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else {
            continue;
        };
        if parameter.parameter_in != ParameterIn::Query || parameter.name != "limit" {
            continue;
        }
        if let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema {
            schema.minimum = Some(1.into());
            schema.maximum = Some(MAX_LIMIT.into());
            schema.default = Some(DEFAULT_LIMIT.into());
        }
    }
}

/// Replaces the copy of the item schema in `Page_X` with a reference to `X`.
fn refer_to_item(schemas: &mut std::collections::BTreeMap<String, RefOr<Schema>>, page: &str) {
    let Some(item_name) = page.strip_prefix("Page_").map(str::to_string) else {
        return;
    };
    let Some(RefOr::T(Schema::Object(page_schema))) = schemas.get_mut(page) else {
        return;
    };
    let Some(RefOr::T(Schema::Array(items))) = page_schema.properties.get_mut("items") else {
        return;
    };
    let ArrayItems::RefOrSchema(item) = &mut items.items else {
        return;
    };
    let inline = std::mem::replace(
        item.as_mut(),
        RefOr::Ref(Ref::from_schema_name(item_name.clone())),
    );
    if let RefOr::T(inline) = inline {
        schemas.entry(item_name).or_insert(RefOr::T(inline));
    }
}

fn refs_in(schema: &RefOr<Schema>, found: &mut BTreeSet<String>) {
    match schema {
        RefOr::Ref(r) => {
            if let Some(name) = r.ref_location.strip_prefix("#/components/schemas/") {
                found.insert(name.to_string());
            }
        }
        RefOr::T(Schema::Object(o)) => {
            for property in o.properties.values() {
                refs_in(property, found);
            }
        }
        RefOr::T(Schema::Array(a)) => {
            if let ArrayItems::RefOrSchema(item) = &a.items {
                refs_in(item, found);
            }
        }
        RefOr::T(Schema::OneOf(o)) => o.items.iter().for_each(|s| refs_in(s, found)),
        RefOr::T(Schema::AllOf(o)) => o.items.iter().for_each(|s| refs_in(s, found)),
        RefOr::T(Schema::AnyOf(o)) => o.items.iter().for_each(|s| refs_in(s, found)),
        RefOr::T(_) => {}
    }
}

fn is_nullable(schema: &RefOr<Schema>) -> bool {
    let has_null =
        |t: &SchemaType| matches!(t, SchemaType::Array(types) if types.contains(&Type::Null));
    match schema {
        RefOr::T(Schema::Object(o)) => has_null(&o.schema_type),
        RefOr::T(Schema::Array(a)) => has_null(&a.schema_type),
        RefOr::T(Schema::OneOf(o)) => o.items.iter().any(|item| {
            matches!(item, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
        }),
        _ => false,
    }
}

fn require_nullable(schema: &mut RefOr<Schema>) {
    match schema {
        RefOr::T(Schema::Object(o)) => {
            let missing: Vec<String> = o
                .properties
                .iter()
                .filter(|(name, property)| is_nullable(property) && !o.required.contains(name))
                .map(|(name, _)| name.clone())
                .collect();
            o.required.extend(missing);
            o.properties.values_mut().for_each(require_nullable);
        }
        RefOr::T(Schema::Array(a)) => {
            if let ArrayItems::RefOrSchema(item) = &mut a.items {
                require_nullable(item);
            }
        }
        _ => {}
    }
}
