//! Administration: the audit log (staff) and user roles (admins).

use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use axum::{Extension, Form};
use duijie_domain::Role;
use duijie_store::Page;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::templates::render;
use crate::AppState;

fn pe(ctx: &Ctx) -> impl Fn(AppError) -> PageError + '_ {
    move |err| PageError {
        err,
        lang: ctx.lang,
    }
}

fn require(ctx: &Ctx, ok: impl Fn(Role) -> bool) -> Result<(), PageError> {
    let (_, a) = ctx.require_user().map_err(pe(ctx))?;
    if ok(a.role) {
        Ok(())
    } else {
        Err(pe(ctx)(AppError::Forbidden))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditParams {
    entity: Option<String>,
    id: Option<i64>,
    page: Option<i64>,
}

pub async fn audit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<AuditParams>,
) -> Result<Html<String>, PageError> {
    require(&ctx, Role::is_staff)?;
    let page = Page::new(p.page, Some(50));
    let which = match (&p.entity, p.id) {
        (Some(e), Some(id)) => Some((e.as_str(), id)),
        _ => None,
    };
    let (rows, total) = st
        .store
        .audit_log(which, page)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    render(
        &st,
        &ctx,
        "/admin/audit",
        "audit.html",
        context! { rows => rows, total => total, page => page.page, pages => (total + 49) / 50 },
    )
}

pub async fn users(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    require(&ctx, |r| r == Role::Admin)?;
    let users = st.store.users().await.map_err(|e| pe(&ctx)(e.into()))?;
    let orgs = st
        .store
        .organisation_names()
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    render(
        &st,
        &ctx,
        "/admin/users",
        "users.html",
        context! { users => users, orgs => orgs },
    )
}

pub async fn update_user(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    require(&ctx, |r| r == Role::Admin)?;
    let role = form
        .get("role")
        .and_then(Role::from_code)
        .ok_or_else(|| pe(&ctx)(AppError::BadRequest("unknown role".into())))?;
    let org = form.get("org_id").and_then(|s| s.parse::<i64>().ok());
    st.store
        .set_user_role(&ctx.audit().map_err(pe(&ctx))?, id, role, org)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    Ok(Redirect::to("/admin/users"))
}
