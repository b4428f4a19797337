//! Organisation pages: directory, profile with the organisation's scenarios and achievements,
//! and create (staff) / edit (staff or the organisation's members).

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::organisation;
use duijie_domain::organisation::OrgRaw;
use duijie_store::organisation::OrgFilter;
use minijinja::context;
use serde::Deserialize;
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::HttpStatus;
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::resource::{Achievements, Resource, Scenarios};
use crate::service::{self, ListParams};
use crate::templates::render;
use crate::views;
use crate::AppState;

use super::pe;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub chain: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl OrgParams {
    pub fn filter(&self) -> OrgFilter {
        let b = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        OrgFilter {
            q: b(&self.q),
            kind: b(&self.kind),
            region: b(&self.region),
            chain: b(&self.chain),
        }
    }

    pub fn page(&self) -> Result<duijie_store::Page, AppError> {
        ListParams {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
            ..Default::default()
        }
        .page()
    }
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<OrgParams>,
) -> Result<Html<String>, PageError> {
    let page = p.page().map_err(pe(&ctx))?;
    let (rows, total) = organisation::list(&st, &p.filter(), page)
        .await
        .map_err(pe(&ctx))?;
    let items: Vec<_> = rows
        .iter()
        .map(|r| views::organisation(ctx.lang, r, false, false))
        .collect();
    let mut qs = String::new();
    for (k, v) in [
        ("q", &p.q),
        ("kind", &p.kind),
        ("region", &p.region),
        ("chain", &p.chain),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            qs.push_str(&format!("{k}={}&", crate::routes::record::urlencode(v)));
        }
    }
    let extra = context! {
        items => items, total => total, page => page.page, pages => (total + page.per_page - 1) / page.per_page,
        params => json!({"q": p.q, "kind": p.kind, "region": p.region, "chain": p.chain}), qs => qs,
    };
    render(&st, &ctx, "/organisations", "org_list.html", extra)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DetailQ {
    done: Option<String>,
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<DetailQ>,
) -> Result<Html<String>, PageError> {
    let row = organisation::get(&st, id).await.map_err(pe(&ctx))?;
    let p = ListParams {
        org: Some(id.to_string()),
        per_page: Some("50".into()),
        ..Default::default()
    };
    let (scn, scn_total, _) = service::list::<Scenarios>(&st, &ctx, &p)
        .await
        .map_err(pe(&ctx))?;
    let (ach, ach_total, _) = service::list::<Achievements>(&st, &ctx, &p)
        .await
        .map_err(pe(&ctx))?;
    let scope = organisation::contact_scope(&st, &ctx)
        .await
        .map_err(pe(&ctx))?;
    let extra = context! {
        org => views::organisation(ctx.lang, &row, scope.sees(id), organisation::may_edit(&ctx, id)),
        scenarios => scn.iter().map(|r| Scenarios::view(ctx.lang, r, false, false)).collect::<Vec<_>>(),
        achievements => ach.iter().map(|r| Achievements::view(ctx.lang, r, false, false)).collect::<Vec<_>>(),
        scenario_total => scn_total, achievement_total => ach_total,
        verification => row.verification.code(), credit_code => row.credit_code,
        verification_reason => row.verification_reason,
        may_verify => ctx.is_staff(), notice => q.done.as_deref().map(|d| match d {
            "code" => ("统一社会信用代码已提交，等待项目主管认证。", "The credit code was submitted; a programme officer will verify it."),
            _ => ("认证结果已保存。", "The verification decision was saved."),
        }),
    };
    render(
        &st,
        &ctx,
        &format!("/organisations/{id}"),
        "org_detail.html",
        extra,
    )
}

fn form_page(
    st: &AppState,
    ctx: &Ctx,
    action: String,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let errors = super::field_errors(err, ctx.lang);
    let extra = context! { action => action, v => v, errors => errors, message => err.map(|e| e.message(ctx.lang)) };
    render(st, ctx, "/organisations", "org_form.html", extra)
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    ctx.require_user().map_err(pe(&ctx))?;
    if !ctx.is_staff() {
        return Err(pe(&ctx)(AppError::Forbidden));
    }
    form_page(&st, &ctx, "/organisations".into(), json!({}), None)
}

pub async fn edit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    ctx.require_user().map_err(pe(&ctx))?;
    let row = organisation::get(&st, id).await.map_err(pe(&ctx))?;
    if !organisation::may_edit(&ctx, id) {
        return Err(pe(&ctx)(AppError::Forbidden));
    }
    let mut v = serde_json::to_value(&row).unwrap_or_default();
    v["chain"] = json!(row.chain.unwrap_or_default());
    form_page(&st, &ctx, format!("/organisations/{id}"), v, None)
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let permit = organisation::begin_create(&ctx).map_err(pe(&ctx))?;
    let raw: OrgRaw = form.to().map_err(pe(&ctx))?;
    let result = permit.save(&st, &raw).await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => Ok((
            e.status(),
            form_page(&st, &ctx, "/organisations".into(), form.values(), Some(&e))?,
        )
            .into_response()),
        Err(e) => Err(pe(&ctx)(e)),
    }
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let permit = organisation::begin_update(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    let raw: OrgRaw = form.to().map_err(pe(&ctx))?;
    let result = permit.save(&st, &raw).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => Ok((
            e.status(),
            form_page(
                &st,
                &ctx,
                format!("/organisations/{id}"),
                form.values(),
                Some(&e),
            )?,
        )
            .into_response()),
        Err(e) => Err(pe(&ctx)(e)),
    }
}

/// A member gives the organisation's unified social credit code; it waits for verification.
pub async fn credit_code(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = super::checked(&ctx, pairs)?;
    organisation::submit_credit_code(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/organisations/{id}?done=code#verification")).into_response())
}

/// A programme officer verifies the organisation or refuses, saying why.
pub async fn verification(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = super::checked(&ctx, pairs)?;
    organisation::decide_verification(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/organisations/{id}?done=decided#verification")).into_response())
}
