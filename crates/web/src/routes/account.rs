//! Sign-in, sign-out, registration and the account page with API tokens.

use std::sync::OnceLock;

use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use axum_extra::extract::cookie::CookieJar;
use duijie_domain::organisation::OrgRaw;
use duijie_domain::password::{verify, Password};
use duijie_domain::{Email, FieldError, Invalid, OrgInput};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;

use crate::ctx::{cookie, Ctx, SESSION_COOKIE};
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::routes::safe_next;
use crate::templates::render;
use crate::AppState;

fn pe(ctx: &Ctx) -> impl Fn(AppError) -> PageError + '_ {
    move |err| PageError {
        err,
        lang: ctx.lang,
    }
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn login_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(n): Query<NextParam>,
) -> Result<Html<String>, PageError> {
    render(
        &st,
        &ctx,
        "/login",
        "login.html",
        context! { next => safe_next(n.next.as_deref()), email => "", failed => false },
    )
}

/// A hash to verify against when the e-mail is unknown, so that both cases take as long.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        Password::parse("p", "not-a-real-password")
            .map(|p| p.hash())
            .unwrap_or_default()
    })
}

pub async fn login(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let email = form.get("email").unwrap_or("").trim().to_lowercase();
    let password = form.get("password").unwrap_or("").to_string();
    let found = st
        .store
        .user_for_login(&email)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .unwrap_or(false);
    match found {
        Some((user, _)) if ok => {
            let (token, _) = st
                .store
                .create_session(user.id)
                .await
                .map_err(|e| pe(&ctx)(e.into()))?;
            let c = cookie(SESSION_COOKIE, token, st.secure_cookies, true);
            let next = safe_next(form.get("next"));
            Ok(([(SET_COOKIE, c.to_string())], Redirect::to(&next)).into_response())
        }
        _ => {
            let page = render(
                &st,
                &ctx,
                "/login",
                "login.html",
                context! { next => safe_next(form.get("next")), email => email, failed => true },
            )?;
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
    }
}

pub async fn logout(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    jar: CookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        st.store
            .delete_session(c.value())
            .await
            .map_err(|e| pe(&ctx)(e.into()))?;
    }
    let mut gone = cookie(SESSION_COOKIE, String::new(), st.secure_cookies, true);
    gone.make_removal();
    Ok(([(SET_COOKIE, gone.to_string())], Redirect::to("/")).into_response())
}

pub async fn register_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    render(
        &st,
        &ctx,
        "/register",
        "register.html",
        context! { v => json!({}), errors => json!({}) },
    )
}

pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let mut errors = Vec::new();
    let email = Email::parse("email", form.get("email").unwrap_or(""))
        .map_err(|e| errors.push(e))
        .ok();
    let password = Password::parse("password", form.get("password").unwrap_or(""))
        .map_err(|e| errors.push(e))
        .ok();
    let name = form.get("display_name").unwrap_or("").trim().to_string();
    if name.is_empty() || name.chars().count() > 60 {
        errors.push(FieldError::new(
            "display_name",
            "required",
            "give a name of up to 60 characters",
            "请填写不超过 60 个字符的姓名",
        ));
    }
    let org = if form.get("name_zh").is_some_and(|s| !s.trim().is_empty())
        || form.get("name_en").is_some_and(|s| !s.trim().is_empty())
    {
        let raw: OrgRaw = form.to().map_err(pe(&ctx))?;
        OrgInput::parse(&raw).map_err(|e| errors.extend(e.0)).ok()
    } else {
        None
    };
    let result = match (email, password, errors.is_empty()) {
        (Some(email), Some(password), true) => {
            let hash = tokio::task::spawn_blocking(move || password.hash())
                .await
                .map_err(|e| pe(&ctx)(AppError::Internal(e.to_string())))?;
            st.store
                .register(&email, &hash, &name, org.as_ref())
                .await
                .map_err(AppError::from)
        }
        _ => Err(AppError::Invalid(Invalid(errors))),
    };
    match result {
        Ok(user_id) => {
            let (token, _) = st
                .store
                .create_session(user_id)
                .await
                .map_err(|e| pe(&ctx)(e.into()))?;
            let c = cookie(SESSION_COOKIE, token, st.secure_cookies, true);
            Ok(([(SET_COOKIE, c.to_string())], Redirect::to("/account")).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let errs: serde_json::Map<String, serde_json::Value> = match &e {
                AppError::Invalid(inv) => inv
                    .0
                    .iter()
                    .map(|f| (f.field.clone(), json!(f.message_in(ctx.lang))))
                    .collect(),
                AppError::Conflict(f) => [(f.to_string(), json!(e.message(ctx.lang)))]
                    .into_iter()
                    .collect(),
                _ => Default::default(),
            };
            let mut v = form.values();
            v["password"] = json!("");
            let page = render(
                &st,
                &ctx,
                "/register",
                "register.html",
                context! { v => v, errors => errs },
            )?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

pub async fn account(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    account_page(&st, &ctx, None).await
}

async fn account_page(
    st: &AppState,
    ctx: &Ctx,
    new_token: Option<String>,
) -> Result<Html<String>, PageError> {
    let (user, _) = ctx.require_user().map_err(pe(ctx))?;
    let tokens = st
        .store
        .api_tokens(user.id)
        .await
        .map_err(|e| pe(ctx)(e.into()))?;
    let org = match user.org_id {
        Some(o) => Some(
            st.store
                .organisation(o)
                .await
                .map_err(|e| pe(ctx)(e.into()))?,
        ),
        None => None,
    };
    let role = ctx.role().map(|r| r.label().get(ctx.lang));
    render(
        st,
        ctx,
        "/account",
        "account.html",
        context! { tokens => tokens, new_token => new_token, org => org, role_label => role },
    )
}

pub async fn create_token(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Html<String>, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let (user, _) = ctx.require_user().map_err(pe(&ctx))?;
    let name = form
        .get("name")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("api")
        .chars()
        .take(60)
        .collect::<String>();
    let token = st
        .store
        .create_api_token(&ctx.audit().map_err(pe(&ctx))?, user.id, &name)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    account_page(&st, &ctx, Some(token)).await
}

pub async fn revoke_token(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let (user, _) = ctx.require_user().map_err(pe(&ctx))?;
    st.store
        .revoke_api_token(&ctx.audit().map_err(pe(&ctx))?, user.id, id)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    Ok(Redirect::to("/account"))
}
