//! OpenAPI documents generated from the code: the route table gives the paths, operation ids,
//! parameters, scopes and envelopes; the model types give the schemas (utoipa derives).
//!
//! Two documents are served. The 1.2 discovery document describes this server's own 1.2
//! rostering API, localized with its server URL and token URL, at the path the 1.2 REST
//! binding requires. The whole-API document describes both trees and the token endpoint.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use utoipa::openapi::{RefOr, Schema};
use utoipa::ToSchema;

use super::routes::{Operation, Shape, OPERATIONS};
use crate::auth::{Requirement, Scope};
use crate::oneroster::entity::Entity;
use crate::oneroster::primitives::{CalendarDate, GuidRef, Status, StrBool, Timestamp};
use crate::oneroster::vocab::Version;
use crate::oneroster::{v1p1, v1p2};

/// Where the 1.2 discovery document is served, relative to the 1.2 base path.
pub const DISCOVERY_PATH: &str = "/discovery/onerosterv1p2rostersservice_openapi3_v1p0.json";
/// The file name the 1.2 conformance guide uses for the same document.
pub const DISCOVERY_ALIAS: &str = "/discovery/imsorv1p2_rostering_openapi3_v1p0.json";
/// Where the whole-API document is served.
pub const WHOLE_API_PATH: &str = "/openapi.json";

fn schema_json(schema: RefOr<Schema>) -> Value {
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

fn add<T: ToSchema>(schemas: &mut Map<String, Value>) {
    let mut found = Vec::new();
    T::schemas(&mut found);
    found.push((T::name().into_owned(), T::schema()));
    for (name, schema) in found {
        schemas.insert(name, schema_json(schema));
    }
}

/// The component schemas, built once: they do not depend on the request.
fn model_schemas() -> Map<String, Value> {
    static SCHEMAS: OnceLock<Map<String, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(build_model_schemas).clone()
}

fn build_model_schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    add::<Status>(&mut schemas);
    add::<Timestamp>(&mut schemas);
    add::<CalendarDate>(&mut schemas);
    add::<StrBool>(&mut schemas);
    add::<GuidRef>(&mut schemas);
    add::<v1p1::Common>(&mut schemas);
    add::<v1p1::Org>(&mut schemas);
    add::<v1p1::AcademicSession>(&mut schemas);
    add::<v1p1::Course>(&mut schemas);
    add::<v1p1::Class>(&mut schemas);
    add::<v1p1::User>(&mut schemas);
    add::<v1p1::Enrollment>(&mut schemas);
    add::<v1p1::Demographics>(&mut schemas);
    add::<v1p2::User>(&mut schemas);
    schemas.insert("imsx_StatusInfo".into(), status_info_schema());
    schemas.insert("statusInfoSet".into(), status_info_set_schema());
    schemas
}

fn status_info_schema() -> Value {
    json!({
        "type": "object",
        "required": ["imsx_codeMajor", "imsx_severity"],
        "properties": {
            "imsx_codeMajor": {"type": "string", "enum": ["success", "processing", "failure", "unsupported"]},
            "imsx_severity": {"type": "string", "enum": ["status", "warning", "error"]},
            "imsx_description": {"type": "string"},
            "imsx_CodeMinor": {
                "type": "object",
                "properties": {"imsx_codeMinorField": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "imsx_codeMinorFieldName": {"type": "string"},
                        "imsx_codeMinorFieldValue": {"type": "string"}
                    }
                }}}
            }
        }
    })
}

fn status_info_set_schema() -> Value {
    json!({
        "type": "object",
        "properties": {"statusInfoSet": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "imsx_codeMajor": {"type": "string"},
                "imsx_severity": {"type": "string"},
                "imsx_description": {"type": "string"},
                "imsx_codeMinor": {"type": "string"}
            }
        }}}
    })
}

/// The schema name of `entity`'s records in `version`.
fn record_schema(entity: Entity, version: Version) -> &'static str {
    match (entity, version) {
        (Entity::Org, _) => "Org",
        (Entity::AcademicSession, _) => "AcademicSession",
        (Entity::Course, _) => "Course",
        (Entity::Class, _) => "Class",
        (Entity::User, Version::V1p1) => "User",
        (Entity::User, Version::V1p2) => "UserV1p2",
        (Entity::Enrollment, _) => "Enrollment",
        (Entity::Demographics, _) => "Demographics",
    }
}

fn envelope_schema(operation: &Operation, version: Version) -> Value {
    let record = json!({"$ref": format!("#/components/schemas/{}", record_schema(operation.entity, version))});
    let body = match operation.shape {
        Shape::Collection => json!({"type": "array", "items": record}),
        Shape::Single => record,
    };
    json!({
        "type": "object",
        "required": [operation.envelope],
        "properties": {operation.envelope: body}
    })
}

fn query_parameters(shape: Shape) -> Vec<Value> {
    let fields = json!({
        "name": "fields", "in": "query", "required": false, "style": "form", "explode": true,
        "description": "Fields to return: a comma list, repeated parameters, or both.",
        "schema": {"type": "array", "items": {"type": "string"}}
    });
    if shape == Shape::Single {
        return vec![fields];
    }
    vec![
        json!({"name": "limit", "in": "query", "required": false,
               "schema": {"type": "integer", "format": "int32", "default": 100, "minimum": 1, "maximum": 10000}}),
        json!({"name": "offset", "in": "query", "required": false,
               "schema": {"type": "integer", "format": "int32", "default": 0, "minimum": 0}}),
        json!({"name": "sort", "in": "query", "required": false, "schema": {"type": "string"}}),
        json!({"name": "orderBy", "in": "query", "required": false,
               "schema": {"type": "string", "enum": ["asc", "desc"]}}),
        json!({"name": "filter", "in": "query", "required": false, "schema": {"type": "string"},
               "description": "field op 'value' joined by AND/OR; op is one of = != > >= < <= ~"}),
        fields,
    ]
}

fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect()
}

fn scopes_for(requirement: Requirement, version: Version) -> Vec<String> {
    use crate::auth::scope::Family;
    let families: &[Family] = match requirement {
        Requirement::Core => &[Family::RosterCore, Family::Roster],
        Requirement::Roster => &[Family::Roster],
        Requirement::Demographics => &[Family::RosterDemographics],
    };
    families
        .iter()
        .map(|&family| Scope { version, family }.to_string())
        .collect()
}

fn error_response(version: Version, description: &str) -> Value {
    let schema = match version {
        Version::V1p1 => "statusInfoSet",
        Version::V1p2 => "imsx_StatusInfo",
    };
    json!({"description": description,
           "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn operation_json(operation: &Operation, version: Version) -> Value {
    let mut parameters = path_parameters(operation.path);
    parameters.extend(query_parameters(operation.shape));
    let mut ok = json!({
        "description": "Success",
        "headers": {"X-Total-Count": {"schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": envelope_schema(operation, version)}}
    });
    if operation.shape == Shape::Collection {
        ok["headers"]["Link"] = json!({"schema": {"type": "string"}});
    }
    let has_404 = operation.shape == Shape::Single || !operation.parents.is_empty();
    let mut responses = json!({
        "200": ok,
        "400": error_response(version, "Invalid filter, field selection or paging parameter"),
        "401": error_response(version, "Missing or invalid access token"),
        "403": error_response(version, "The token lacks the scope"),
        "429": error_response(version, "Too many requests"),
        "500": error_response(version, "Internal server error"),
    });
    if has_404 {
        responses["404"] = error_response(version, "Unknown object");
    }
    // The operationId is unique per document: the whole-API document carries both trees.
    let id = match version {
        Version::V1p1 => format!("v1p1_{}", operation.id),
        Version::V1p2 => operation.id.to_owned(),
    };
    json!({
        "operationId": id,
        "tags": [version_tag(version)],
        "parameters": parameters,
        "responses": responses,
        "security": [{"OAuth2CC": scopes_for(operation.requirement, version)}]
    })
}

fn version_tag(version: Version) -> &'static str {
    match version {
        Version::V1p1 => "OneRoster 1.1 rostering",
        Version::V1p2 => "OneRoster 1.2 rostering",
    }
}

fn paths(version: Version, prefix: &str) -> Map<String, Value> {
    OPERATIONS
        .iter()
        .map(|op| {
            (
                format!("{prefix}{}", op.path),
                json!({"get": operation_json(op, version)}),
            )
        })
        .collect()
}

fn security_scheme(origin: &str) -> Value {
    let scopes: Map<String, Value> = Scope::all()
        .into_iter()
        .map(|scope| (scope.to_string(), json!(format!("{scope}"))))
        .collect();
    json!({"OAuth2CC": {"type": "oauth2", "flows": {"clientCredentials": {
        "tokenUrl": format!("{origin}/token"), "scopes": scopes
    }}}})
}

fn document(origin: &str, title: &str, server: String, paths: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": env!("CARGO_PKG_VERSION"),
            "description": "ums-oneroster: OneRoster rostering for inLogic UMS. Generated from the service's route table and model types."
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": model_schemas(), "securitySchemes": security_scheme(origin)}
    })
}

/// This server's own 1.2 rostering API, localized to `origin` (e.g. `https://skole.example.dk`).
pub fn rostering_v1p2(origin: &str) -> Value {
    document(
        origin,
        "OneRoster 1.2 Rostering Service",
        format!("{origin}{}", Version::V1p2.base_path()),
        paths(Version::V1p2, ""),
    )
}

fn token_path(operation_id: &str) -> Value {
    json!({"post": {
        "operationId": operation_id,
        "tags": ["OAuth 2"],
        "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["grant_type"],
            "properties": {
                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                "scope": {"type": "string"},
                "client_id": {"type": "string"},
                "client_secret": {"type": "string"}
            }
        }}}},
        "responses": {
            "200": {"description": "An access token", "content": {"application/json": {"schema": {
                "type": "object", "required": ["access_token", "token_type", "expires_in"],
                "properties": {
                    "access_token": {"type": "string"},
                    "token_type": {"type": "string", "enum": ["bearer"]},
                    "expires_in": {"type": "integer"},
                    "scope": {"type": "string"}
                }
            }}}},
            "400": {"description": "invalid_request, unsupported_grant_type or invalid_scope (RFC 6749 §5.2)"},
            "401": {"description": "invalid_client"}
        }
    }})
}

/// Both rostering trees and the token endpoint, localized to `origin`.
pub fn whole_api(origin: &str) -> Value {
    let mut all = paths(Version::V1p1, Version::V1p1.base_path());
    all.extend(paths(Version::V1p2, Version::V1p2.base_path()));
    all.insert("/token".into(), token_path("issueToken"));
    all.insert(
        format!("{}/token", Version::V1p1.base_path()),
        token_path("issueTokenV1p1"),
    );
    document(origin, "ums-oneroster API", origin.to_owned(), all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_1_2_document_is_localized_and_lists_every_operation() {
        let doc = rostering_v1p2("https://skole.example.dk");
        assert_eq!(
            doc["servers"][0]["url"],
            "https://skole.example.dk/ims/oneroster/rostering/v1p2"
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["OAuth2CC"]["flows"]["clientCredentials"]
                ["tokenUrl"],
            "https://skole.example.dk/token"
        );
        assert_eq!(doc["paths"].as_object().map(Map::len), Some(41));
        let users = &doc["paths"]["/users"]["get"];
        assert_eq!(users["operationId"], "getAllUsers");
        assert_eq!(
            users["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
                ["users"]["items"]["$ref"],
            "#/components/schemas/UserV1p2"
        );
    }

    #[test]
    fn every_reference_resolves() {
        let doc = whole_api("http://h");
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap_or("");
            assert!(schemas.contains_key(name), "unresolved {name}");
        }
        assert_eq!(doc["paths"].as_object().map(Map::len), Some(84));
    }

    #[test]
    fn nested_reads_need_roster_and_demographics_need_their_scope() {
        let doc = rostering_v1p2("http://h");
        let scopes = |path: &str| doc["paths"][path]["get"]["security"][0]["OAuth2CC"].clone();
        assert_eq!(
            scopes("/classes/{classSourcedId}/students"),
            json!(["https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly"])
        );
        assert_eq!(
            scopes("/demographics"),
            json!(["https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly"])
        );
    }
}
