//! Sign-in, sign-out, registration and the account page with API tokens.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{Path, Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use axum_extra::extract::cookie::CookieJar;
use duijie_domain::organisation::OrgRaw;
use duijie_domain::password::Password;
use duijie_domain::{Email, FieldError, OrgInput};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;

use crate::ctx::{cookie, Ctx, SESSION_COOKIE};
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::routes::safe_next;
use crate::templates::render;
use crate::throttle::Key;
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
    registered: Option<String>,
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
        context! { next => safe_next(n.next.as_deref()), email => "", failed => false,
        registered => n.registered.is_some() },
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

fn client_text(ctx: &Ctx) -> String {
    ctx.client.map(|ip| ip.to_string()).unwrap_or_default()
}

/// Sign in. Attempts are throttled by account and by client address (see `throttle`): a
/// throttled attempt is answered 429 with `Retry-After` and costs no password hashing; every
/// wrong password is written to the audit log with the address it came from.
pub async fn login(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let email = form.get("email").unwrap_or("").trim().to_lowercase();
    let password = form.get("password").unwrap_or("").to_string();
    let mut keys = vec![Key::Account(email.clone())];
    keys.extend(ctx.client.map(Key::Client));
    let wait = st.logins.wait(&keys, Instant::now());
    if !wait.is_zero() {
        let secs = wait.as_secs().max(1);
        tracing::debug!(email = %email, client = %client_text(&ctx), "sign-in throttled");
        let page = render(
            &st,
            &ctx,
            "/login",
            "login.html",
            context! { next => safe_next(form.get("next")), email => email, failed => false,
            throttled => AppError::Throttled(secs).message(ctx.lang) },
        )?;
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(RETRY_AFTER, secs.to_string())],
            page,
        )
            .into_response());
    }
    let found = st
        .store
        .user_for_login(&email)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let ok = st.hasher.verify(password, hash).await.map_err(pe(&ctx))?;
    match found {
        Some((user, _)) if ok => {
            st.logins.succeeded(&keys[0]);
            let (token, _) = st
                .store
                .create_session(user.id)
                .await
                .map_err(|e| pe(&ctx)(e.into()))?;
            let c = cookie(SESSION_COOKIE, token, st.secure_cookies, true);
            let next = safe_next(form.get("next"));
            Ok(([(SET_COOKIE, c.to_string())], Redirect::to(&next)).into_response())
        }
        found => {
            st.logins.failed(&keys, Instant::now());
            st.store
                .record_attempt(
                    "login_failed",
                    &email,
                    found.map(|(u, _)| u.id),
                    &client_text(&ctx),
                )
                .await
                .map_err(|e| pe(&ctx)(e.into()))?;
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

/// Register. The answer never says whether the e-mail already has an account (that would
/// let anyone test addresses): a new address gets its account, a known one nothing (the attempt
/// is audited), and both are sent to sign in with the same words and the same delay (the
/// password is hashed either way).
pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let mut errors = Vec::new();
    let raw_email = form.get("email").unwrap_or("");
    let email = Email::parse("email", raw_email)
        .map_err(|e| errors.push(e))
        .ok();
    let name = form.get("display_name").unwrap_or("").trim().to_string();
    let password = Password::parse_for(
        "password",
        form.get("password").unwrap_or(""),
        &[raw_email, name.as_str()],
    )
    .map_err(|e| errors.push(e))
    .ok();
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
    let (Some(email), Some(password), true) = (email, password, errors.is_empty()) else {
        let errs: serde_json::Map<String, serde_json::Value> = errors
            .iter()
            .map(|f| (f.field.clone(), json!(f.message_in(ctx.lang))))
            .collect();
        let mut v = form.values();
        v["password"] = json!("");
        let page = render(
            &st,
            &ctx,
            "/register",
            "register.html",
            context! { v => v, errors => errs },
        )?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let hash = st.hasher.hash(password).await.map_err(pe(&ctx))?;
    match st.store.register(&email, &hash, &name, org.as_ref()).await {
        Ok(_) => {}
        Err(duijie_store::StoreError::Conflict { field: "email" }) => st
            .store
            .record_attempt(
                "register_existing",
                email.as_str(),
                None,
                &client_text(&ctx),
            )
            .await
            .map_err(|e| pe(&ctx)(e.into()))?,
        Err(e) => return Err(pe(&ctx)(e.into())),
    }
    Ok(Redirect::to("/login?registered=1").into_response())
}

/// Change one's own password: the current one is checked, the new one must pass the rules,
/// and every other session of the user ends (a thief signed in elsewhere is signed out).
pub async fn change_password(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    jar: CookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let (user, _) = ctx.require_user().map_err(pe(&ctx))?;
    let current = form.get("current").unwrap_or("").to_string();
    let stored = st
        .store
        .password_hash(user.id)
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    let (state, context) = (&st, &ctx);
    let refuse = |e: FieldError| {
        let label = match (e.field.as_str(), context.lang) {
            ("current", "en") => "Current password",
            ("current", _) => "当前密码",
            ("confirm", "en") => "Repeated password",
            ("confirm", _) => "再次输入的密码",
            (_, "en") => "New password",
            _ => "新密码",
        };
        let sep = if context.lang == "en" { ": " } else { "：" };
        let message = format!("{label}{sep}{}", e.message_in(context.lang));
        async move {
            let page = account_page(state, context, None, Some(message), None).await?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    if !st.hasher.verify(current, stored).await.map_err(pe(&ctx))? {
        return refuse(FieldError::new(
            "current",
            "wrong_password",
            "is not your current password",
            "当前密码不正确",
        ))
        .await;
    }
    let new = form.get("new").unwrap_or("");
    if form.get("confirm").unwrap_or("") != new {
        return refuse(FieldError::new(
            "confirm",
            "mismatch",
            "does not repeat the new password",
            "与新密码不一致",
        ))
        .await;
    }
    let password = match Password::parse_for("new", new, &[&user.email, &user.display_name]) {
        Ok(p) => p,
        Err(e) => return refuse(e).await,
    };
    let hash = st.hasher.hash(password).await.map_err(pe(&ctx))?;
    let keep = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    st.store
        .set_password(
            &ctx.audit().map_err(pe(&ctx))?,
            user.id,
            &hash,
            keep.as_deref(),
            "password_change",
        )
        .await
        .map_err(|e| pe(&ctx)(e.into()))?;
    Ok(Redirect::to("/account?password=changed").into_response())
}

#[derive(Deserialize)]
pub struct AccountParams {
    password: Option<String>,
}

pub async fn account(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<AccountParams>,
) -> Result<Html<String>, PageError> {
    let notice = (p.password.as_deref() == Some("changed")).then(|| {
        if ctx.lang == "en" {
            "Your password was changed; your other sessions were signed out.".to_string()
        } else {
            "密码已修改，其他设备上的登录已退出。".to_string()
        }
    });
    account_page(&st, &ctx, None, None, notice).await
}

async fn account_page(
    st: &AppState,
    ctx: &Ctx,
    new_token: Option<String>,
    password_error: Option<String>,
    notice: Option<String>,
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
        context! { tokens => tokens, new_token => new_token, org => org, role_label => role,
        password_error => password_error, notice => notice },
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
    account_page(&st, &ctx, Some(token), None, None).await
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
