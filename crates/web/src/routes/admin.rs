//! Administration: the audit log (staff) and user roles (admins).

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect};
use axum::{Extension, Form};
use duijie_app::account;
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
    let page = Page::new(p.page, Some(50));
    let which = match (&p.entity, p.id) {
        (Some(e), Some(id)) => Some((e.as_str(), id)),
        _ => None,
    };
    let (rows, total) = account::audit_log(&st, &ctx, which, page)
        .await
        .map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        "/admin/audit",
        "audit.html",
        context! { rows => rows, total => total, page => page.page, pages => (total + 49) / 50 },
    )
}

/// The users page. Not kept between views (`no-store`): it shows when each token was last
/// used, which changes without an audited change.
pub async fn users(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<impl IntoResponse, PageError> {
    Ok(([crate::pages::NOT_KEPT], users_page(&st, &ctx, None).await?))
}

/// The users page; `reset` is (user's e-mail, their new temporary password), shown once.
async fn users_page(
    st: &AppState,
    ctx: &Ctx,
    reset: Option<(String, String)>,
) -> Result<Html<String>, PageError> {
    let (users, orgs) = account::users(st, ctx).await.map_err(pe(ctx))?;
    let tokens = account::all_tokens(st, ctx).await.map_err(pe(ctx))?;
    render(
        st,
        ctx,
        "/admin/users",
        "users.html",
        context! { users => users, orgs => orgs, reset => reset, tokens => tokens },
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
    duijie_app::service::set_user_role(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to("/admin/users"))
}

/// Reset a user's password (admins): a temporary password, shown once on the page for the
/// admin to hand over; every session of the user ends.
pub async fn reset_password(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Html<String>, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let reset = account::reset_password(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    users_page(&st, &ctx, Some(reset)).await
}
