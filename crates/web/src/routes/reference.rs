//! The API reference: the OpenAPI document the API serves, read as a page (every operation
//! with its parameters, body and answers), so that integrators need no other tool.

use axum::extract::State;
use axum::response::Html;
use axum::Extension;
use minijinja::context;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

/// The document's operations as the page lists them: grouped by the path's first segment, in
/// the document's order, each with its parameters, request body schema and answers.
fn operations(doc: &Value) -> Vec<Value> {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    let name_of = |r: &Value| {
        r.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map(str::to_string)
    };
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let group = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
            .to_string();
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for method in ["get", "post", "put", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let params: Vec<Value> = shared
                .iter()
                .chain(op["parameters"].as_array().into_iter().flatten())
                .map(|p| {
                    json!({
                        "name": p["name"], "in": p["in"],
                        "required": p["required"].as_bool().unwrap_or(false),
                        "type": p["schema"]["type"],
                    })
                })
                .collect();
            let body = op["requestBody"]["content"]["application/json"]["schema"].clone();
            let answers: Vec<Value> = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, r)| {
                    json!({
                        "status": status,
                        "text": r["description"].as_str().map(str::to_string).or_else(|| name_of(r)),
                    })
                })
                .collect();
            let entry = json!({
                "id": format!("{method}-{}", path.replace(['/', '{', '}'], "-")),
                "method": method.to_uppercase(), "path": format!("/api/v1{path}"),
                "summary": op["summary"], "params": params,
                "body": name_of(&body).or_else(|| body.get("type").and_then(Value::as_str).map(str::to_string)),
                "answers": answers,
                "token": method != "get",
            });
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, ops)) => ops.push(entry),
                None => groups.push((group.clone(), vec![entry])),
            }
        }
    }
    groups
        .into_iter()
        .map(|(name, ops)| json!({"name": name, "ops": ops}))
        .collect()
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    static GROUPS: std::sync::OnceLock<Result<(Value, Vec<Value>), String>> =
        std::sync::OnceLock::new();
    let parsed = GROUPS.get_or_init(|| {
        serde_json::from_str::<Value>(crate::api::OPENAPI)
            .map(|doc| (doc["info"].clone(), operations(&doc)))
            .map_err(|e| e.to_string())
    });
    let (info, groups) = parsed.as_ref().map_err(|e| PageError {
        err: AppError::Internal(format!("openapi.json: {e}")),
        lang: ctx.lang,
    })?;
    render(
        &st,
        &ctx,
        "/developers",
        "reference.html",
        context! { info => info, groups => groups },
    )
}
