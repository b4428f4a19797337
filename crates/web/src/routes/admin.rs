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
    users_page(&st, &ctx, None).await
}

/// The users page; `reset` is (user's e-mail, their new temporary password), shown once.
async fn users_page(
    st: &AppState,
    ctx: &Ctx,
    reset: Option<(String, String)>,
) -> Result<Html<String>, PageError> {
    require(ctx, |r| r == Role::Admin)?;
    let users = st.store.users().await.map_err(|e| pe(ctx)(e.into()))?;
    let orgs = st
        .store
        .organisation_names()
        .await
        .map_err(|e| pe(ctx)(e.into()))?;
    render(
        st,
        ctx,
        "/admin/users",
        "users.html",
        context! { users => users, orgs => orgs, reset => reset },
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
    duijie_app::service::set_user_role(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to("/admin/users"))
}

/// A temporary password an admin hands over: 20 random letters and digits in groups of four
/// (about 100 bits), without look-alikes (0/o, 1/l/i).
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    duijie_domain::password::random_bytes::<20>()
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
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
    require(&ctx, |r| r == Role::Admin)?;
    let user = st.store.user(id).await.map_err(|e| pe(&ctx)(e.into()))?;
    let temporary = temporary_password();
    let password = duijie_domain::password::Password::parse("password", &temporary)
        .map_err(|e| pe(&ctx)(AppError::Invalid(duijie_domain::Invalid::one(e))))?;
    let hash = st.hasher.hash(password).await.map_err(pe(&ctx))?;
    st.store
        .set_password(
            &ctx.audit().map_err(pe(&ctx))?,
            id,
            &hash,
            None,
            "password_reset",
        )
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    users_page(&st, &ctx, Some((user.email, temporary))).await
}
