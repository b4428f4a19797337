//! Sign-in, sign-out, registration and the account page with API tokens.

use axum::extract::{Path, Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use axum_extra::extract::cookie::CookieJar;
use duijie_app::account::{self, SignIn};
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

/// Sign in. Attempts are throttled by account and by client address (see `app::account`): a
/// throttled attempt is answered 429 with `Retry-After`, a wrong one 401 with the form again.
pub async fn login(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let email = form.get("email").unwrap_or("").trim().to_lowercase();
    let password = form.get("password").unwrap_or("");
    // Signing in lands on the workbench unless the sign-in was asked for on the way elsewhere.
    let next = match safe_next(form.get("next")) {
        n if n == "/" => "/workbench".to_string(),
        n => n,
    };
    match account::sign_in(&st, ctx.client, &email, password)
        .await
        .map_err(pe(&ctx))?
    {
        SignIn::Signed { session } => {
            let c = cookie(SESSION_COOKIE, session, st.secure_cookies, true);
            Ok(([(SET_COOKIE, c.to_string())], Redirect::to(&next)).into_response())
        }
        SignIn::Throttled(secs) => {
            let page = render(
                &st,
                &ctx,
                "/login",
                "login.html",
                context! { next => next, email => email, failed => false,
                throttled => AppError::Throttled(secs).message(ctx.lang) },
            )?;
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(RETRY_AFTER, secs.to_string())],
                page,
            )
                .into_response())
        }
        SignIn::Wrong => {
            let page = render(
                &st,
                &ctx,
                "/login",
                "login.html",
                context! { next => next, email => email, failed => true },
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
        account::sign_out(&st, c.value()).await.map_err(pe(&ctx))?;
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
    match account::register(&st, ctx.client, &form).await {
        Ok(()) => {}
        Err(AppError::Invalid(invalid)) => {
            let errs: serde_json::Map<String, serde_json::Value> = invalid
                .0
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
        }
        Err(e) => return Err(pe(&ctx)(e)),
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
    let keep = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    match account::change_password(&st, &ctx, &form, keep.as_deref()).await {
        Ok(()) => {}
        Err(AppError::Invalid(invalid)) if !invalid.0.is_empty() => {
            let e = &invalid.0[0];
            let label = match (e.field.as_str(), ctx.lang) {
                ("current", "en") => "Current password",
                ("current", _) => "当前密码",
                ("confirm", "en") => "Repeated password",
                ("confirm", _) => "再次输入的密码",
                (_, "en") => "New password",
                _ => "新密码",
            };
            let sep = if ctx.lang == "en" { ": " } else { "：" };
            let message = format!("{label}{sep}{}", e.message_in(ctx.lang));
            let said = Said {
                password_error: Some(message),
                ..Said::default()
            };
            let page = account_page(&st, &ctx, None, said).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(pe(&ctx)(e)),
    }
    Ok(Redirect::to("/account?password=changed").into_response())
}

#[derive(Deserialize)]
pub struct AccountParams {
    password: Option<String>,
}

/// The account page. Not kept between views (`no-store`): it shows when each token was last
/// used, which changes without an audited change.
pub async fn account(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<AccountParams>,
) -> Result<impl IntoResponse, PageError> {
    let notice = (p.password.as_deref() == Some("changed")).then(|| {
        if ctx.lang == "en" {
            "Your password was changed; your other sessions were signed out.".to_string()
        } else {
            "密码已修改，其他设备上的登录已退出。".to_string()
        }
    });
    let page = account_page(
        &st,
        &ctx,
        None,
        Said {
            notice,
            ..Said::default()
        },
    )
    .await?;
    Ok(([crate::pages::NOT_KEPT], page))
}

/// What the account page says beside one of its forms.
#[derive(Default)]
struct Said {
    password_error: Option<String>,
    token_error: Option<String>,
    notice: Option<String>,
}

async fn account_page(
    st: &AppState,
    ctx: &Ctx,
    new_token: Option<String>,
    said: Said,
) -> Result<Html<String>, PageError> {
    let account::AccountView { tokens, org } = account::view(st, ctx).await.map_err(pe(ctx))?;
    let role = ctx.role().map(|r| r.label().get(ctx.lang));
    render(
        st,
        ctx,
        "/account",
        "account.html",
        context! { tokens => tokens, new_token => new_token, org => org, role_label => role,
        password_error => said.password_error, token_error => said.token_error, notice => said.notice },
    )
}

pub async fn create_token(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    match account::create_token(&st, &ctx, &form).await {
        Ok(token) => Ok(account_page(&st, &ctx, Some(token), Said::default())
            .await?
            .into_response()),
        // Said beside the token form, naming the field.
        Err(AppError::Invalid(invalid)) => {
            let e = &invalid.0[0];
            let label = match (e.field.as_str(), ctx.lang) {
                ("days", "en") => "Valid for",
                ("days", _) => "有效期",
                ("scope", "en") => "Scope",
                ("scope", _) => "权限",
                (_, "en") => "Token",
                _ => "令牌",
            };
            let sep = if ctx.lang == "en" { ": " } else { "：" };
            let said = Said {
                token_error: Some(format!("{label}{sep}{}", e.message_in(ctx.lang))),
                ..Said::default()
            };
            let page = account_page(&st, &ctx, None, said).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

pub async fn revoke_token(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    account::revoke_token(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(if form.get("from") == Some("users") {
        "/admin/users?ok=token_revoked#tokens"
    } else {
        "/account?ok=token_revoked"
    }))
}
