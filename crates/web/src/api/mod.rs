//! The JSON API under `/api/v1`: the same resources and rules as the pages. Reads work for
//! everyone (confidential fields only for those entitled); writes need an API token
//! (`Authorization: Bearer dj_…`), so no cookie can be abused across sites. Every error is
//! `{"error": {"code", "message", "field"?}}`.

mod challenge;
mod contract;
mod docking;
mod gathering;
mod organisation;
mod policy;
mod record;
mod service;

use axum::extract::rejection::JsonRejection;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Extension, Json};
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{ApiError, AppError};
use crate::resource::{Achievements, Scenarios};
use crate::table::Routes;

pub fn router() -> Routes {
    let mut r = Routes::new()
        .at("/openapi.json", "GET", get(openapi))
        .at("/me", "GET", get(me))
        .at("/match", "GET", get(free_match))
        .at(
            "/challenges",
            "GET,POST",
            get(challenge::list).post(challenge::create),
        )
        .at("/challenges/{id}", "GET", get(challenge::get))
        .at("/challenges/{id}/status", "POST", post(challenge::status))
        .at("/challenges/{id}/terms", "POST", post(challenge::terms))
        .at(
            "/challenges/{id}/applications",
            "POST",
            post(challenge::apply),
        )
        .at("/challenges/{id}/assign", "POST", post(challenge::assign))
        .at(
            "/challenges/{id}/reviews/{rid}",
            "POST",
            post(challenge::review),
        )
        .at(
            "/challenges/{id}/applications/{aid}/conflict",
            "POST",
            post(challenge::conflict),
        )
        .at("/challenges/{id}/decide", "POST", post(challenge::decide))
        .at(
            "/challenges/{id}/milestone",
            "POST",
            post(challenge::milestone),
        )
        .at(
            "/dockings",
            "GET,POST",
            get(docking::list).post(docking::create),
        )
        .at(
            "/introductions",
            "POST",
            axum::routing::post(docking::introduce),
        )
        .at("/dockings/{id}", "GET", get(docking::get))
        .at(
            "/dockings/{id}/messages",
            "GET,POST",
            get(docking::messages).post(docking::write),
        )
        .at(
            "/dockings/{id}/accept",
            "POST",
            axum::routing::post(docking::accept),
        )
        .at(
            "/contracts",
            "GET,POST",
            get(contract::list).post(contract::create),
        )
        .at("/contracts/{id}", "GET", get(contract::get))
        .at(
            "/contracts/{id}/register",
            "POST",
            axum::routing::post(contract::register),
        )
        .at(
            "/contracts/{id}/refuse",
            "POST",
            axum::routing::post(contract::refuse),
        )
        .at("/statistics/contracts", "GET", get(contract::statistics))
        .at("/platforms", "GET", get(service::platforms))
        .at("/platforms/{id}", "GET", get(service::platform))
        .at("/funds", "GET", get(service::funds))
        .at("/funds/{id}", "GET", get(service::fund))
        .at("/finance-projects", "GET", get(service::finance_projects))
        .at(
            "/finance-projects/{id}",
            "GET",
            get(service::finance_project),
        )
        .at("/statistics/outcomes", "GET", get(service::outcomes))
        .at(
            "/outcomes",
            "GET,POST",
            get(service::recorded).post(service::record),
        )
        .at("/chains", "GET", get(service::chains))
        .at("/policies", "GET", get(policy::gap))
        .at("/policies/{org}", "GET", get(policy::profile))
        .at("/vouchers", "GET", get(policy::schemes))
        .at("/vouchers/{id}", "GET", get(policy::scheme))
        .at("/chains/{code}", "GET", get(service::chain))
        .at("/gatherings", "GET", get(gathering::list))
        .at("/gatherings/{id}", "GET", get(gathering::get))
        .at(
            "/gatherings/{id}/participants",
            "POST",
            axum::routing::post(gathering::register),
        )
        .at(
            "/gatherings/{id}/requests",
            "POST",
            axum::routing::post(gathering::request),
        )
        .at(
            "/gatherings/{id}/requests/{rid}",
            "POST",
            axum::routing::post(gathering::answer),
        )
        .at(
            "/gatherings/{id}/schedule",
            "POST",
            axum::routing::post(gathering::schedule),
        )
        .merge(record::routes::<Scenarios>())
        .merge(record::routes::<Achievements>())
        .at(
            "/organisations",
            "GET,POST",
            get(organisation::list).post(organisation::create),
        )
        .at(
            "/organisations/{id}",
            "GET,PUT",
            get(organisation::get).put(organisation::update),
        );
    r.router = r.router.fallback(|| async { ApiError(AppError::NotFound) });
    r
}

/// Matches for a need described in words: `?q=…&target=achievements|scenarios&chain=&region=&trl=`.
async fn free_match(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    axum::extract::Query(p): axum::extract::Query<crate::routes::MatchParams>,
) -> Result<Json<Value>, ApiError> {
    let target = p.target()?;
    let need = p.need()?;
    let Some(text) = crate::routes::checked_text(&p.q)? else {
        return Err(ApiError(AppError::Invalid(duijie_domain::Invalid::one(
            duijie_domain::FieldError::required("q"),
        ))));
    };
    let found = crate::matching::matches(
        st.engine(),
        &crate::matching::Source::Text {
            text: &text,
            need: Box::new(need),
        },
        target,
        20,
    )
    .await?;
    Ok(Json(
        json!({"items": found, "semantic": st.semantic.is_some()}),
    ))
}

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn me(Extension(ctx): Extension<Ctx>) -> Result<Json<Value>, ApiError> {
    let (u, _) = ctx.require_user()?;
    Ok(Json(
        json!({"id": u.id, "email": u.email, "display_name": u.display_name, "role": u.role, "org_id": u.org_id}),
    ))
}

/// Writes need a token; a browser session alone is not enough.
pub(crate) fn require_token(ctx: &Ctx) -> Result<(), ApiError> {
    if ctx.via_token() && ctx.user.is_some() {
        Ok(())
    } else {
        Err(ApiError(AppError::Unauthorized))
    }
}

/// A JSON body or a `bad_request` envelope saying what is wrong with it.
pub(crate) fn body(b: Result<Json<Value>, JsonRejection>) -> Result<Value, ApiError> {
    match b {
        Ok(Json(v)) if v.is_object() => Ok(v),
        Ok(_) => Err(ApiError(AppError::BadRequest(
            "the body must be a JSON object".into(),
        ))),
        Err(e) => Err(ApiError(AppError::BadRequest(e.body_text()))),
    }
}

/// A JSON body that may be left out (every field optional): none at all is `{}`.
pub(crate) fn optional_body(b: Result<Json<Value>, JsonRejection>) -> Result<Value, ApiError> {
    match b {
        Err(JsonRejection::MissingJsonContentType(_)) => Ok(json!({})),
        other => body(other),
    }
}

/// A JSON body as the raw record `T`. A field of the wrong JSON type (`"title_zh": 123`) is
/// refused as `invalid`, naming the field, instead of being stored as its text.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner().to_string();
        ApiError(AppError::Invalid(duijie_domain::Invalid::one(
            duijie_domain::FieldError::new(
                &field,
                "type",
                format!("wrong type: {inner}"),
                format!("类型不对：{inner}"),
            ),
        )))
    })
}

/// A JSON object as the form fields a page would post, for the use cases that read forms: the
/// same parsing, validation and messages as the page. Text and numbers become their text,
/// `true` a ticked box ("1") and `false` or `null` nothing (an unticked box is not sent), and
/// an array of those one field per element (a multi-valued field or repeated rows); anything
/// else is refused as `invalid`, naming the field.
pub(crate) fn form_of(v: &Value) -> Result<duijie_app::FormData, ApiError> {
    let wrong = |field: &str| {
        ApiError(AppError::Invalid(duijie_domain::Invalid::one(
            duijie_domain::FieldError::new(
                field,
                "type",
                "wrong type: expected text, a number, true/false or a list of those",
                "类型不对：须为文本、数字、真假值或它们的列表",
            ),
        )))
    };
    fn scalar(v: &Value) -> Option<Option<String>> {
        match v {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.clone())),
            Value::Number(n) => Some(Some(n.to_string())),
            Value::Bool(true) => Some(Some("1".into())),
            Value::Bool(false) => Some(None),
            _ => None,
        }
    }
    let mut pairs = Vec::new();
    for (k, x) in v.as_object().into_iter().flatten() {
        let values: Vec<&Value> = match x {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for item in values {
            match scalar(item) {
                Some(Some(text)) => pairs.push((k.clone(), text)),
                Some(None) => {}
                None => return Err(wrong(k)),
            }
        }
    }
    Ok(duijie_app::FormData(pairs))
}

/// `{"items", "total", "page", "per_page"}`.
pub(crate) fn page_json(items: Vec<Value>, total: i64, page: duijie_store::Page) -> Json<Value> {
    Json(json!({"items": items, "total": total, "page": page.page, "per_page": page.per_page}))
}
