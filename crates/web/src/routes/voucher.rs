//! Innovation vouchers (创新券): the schemes, a scheme's page (apply; approve or refuse; use on
//! a service; ask for redemption; reconcile; the statistics by province) and its actions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::voucher;
use duijie_domain::pipeline::ServiceKind;
use duijie_domain::voucher::VoucherUseStatus;
use duijie_domain::Vocabulary;
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    list_page(&st, &ctx, None, None).await
}

async fn list_page(
    st: &AppState,
    ctx: &Ctx,
    message: Option<String>,
    values: Option<serde_json::Value>,
) -> Result<Html<String>, PageError> {
    let schemes = voucher::list(st).await.map_err(pe(ctx))?;
    let extra = context! {
        schemes => schemes, may_open => ctx.is_staff(), kinds => ServiceKind::table(),
        provinces => voucher::PROVINCES, message => message, v => values,
        today => st.clock.today().to_string(),
    };
    render(st, ctx, "/vouchers", "voucher_list.html", extra)
}

/// A failed form: said above the form that was sent, which keeps what was typed.
async fn refused(
    st: &AppState,
    ctx: &Ctx,
    scheme: Option<i64>,
    e: AppError,
    values: serde_json::Value,
) -> Result<Response, PageError> {
    match e {
        AppError::Invalid(_) => {
            let message = Some(e.message(ctx.lang));
            let html = match scheme {
                Some(id) => detail_page(st, ctx, id, message).await?,
                None => list_page(st, ctx, message, Some(values)).await?,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        e => Err(pe(ctx)(e)),
    }
}

fn back(id: i64, code: &str) -> Response {
    Redirect::to(&crate::flash::to(&format!("/vouchers/{id}"), code)).into_response()
}

pub async fn open(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    match voucher::open(&st, &ctx, &form).await {
        Ok(id) => Ok(back(id, "scheme_opened")),
        Err(e) => refused(&st, &ctx, None, e, form.values()).await,
    }
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    detail_page(&st, &ctx, id, None).await
}

async fn detail_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
) -> Result<Html<String>, PageError> {
    let p = voucher::page(st, ctx, id).await.map_err(pe(ctx))?;
    let extra = context! { p => p, message => message, kinds => ServiceKind::table() };
    render(st, ctx, "/vouchers", "voucher_detail.html", extra)
}

pub async fn apply(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    match voucher::apply(&st, &ctx, id).await {
        Ok(_) => Ok(back(id, "voucher_applied")),
        Err(e) => refused(&st, &ctx, Some(id), e, form.values()).await,
    }
}

pub async fn decide(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(vid): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let scheme = scheme_of_voucher(&st, &ctx, vid).await?;
    match voucher::decide(&st, &ctx, vid, &form).await {
        Ok(id) => Ok(back(id, "voucher_decided")),
        Err(e) => refused(&st, &ctx, Some(scheme), e, form.values()).await,
    }
}

pub async fn use_on(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(vid): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let scheme = scheme_of_voucher(&st, &ctx, vid).await?;
    match voucher::use_on(&st, &ctx, vid, &form).await {
        Ok(id) => Ok(back(id, "voucher_used")),
        Err(e) => refused(&st, &ctx, Some(scheme), e, form.values()).await,
    }
}

async fn scheme_of_voucher(st: &AppState, ctx: &Ctx, vid: i64) -> Result<i64, PageError> {
    voucher::scheme_of(st, vid).await.map_err(pe(ctx))
}

async fn step(
    st: &AppState,
    ctx: &Ctx,
    uid: i64,
    to: VoucherUseStatus,
    code: &str,
) -> Result<Response, PageError> {
    match voucher::step(st, ctx, uid, to).await {
        Ok(id) => Ok(back(id, code)),
        Err(e) => {
            let scheme = voucher::scheme_of_use(st, uid).await.map_err(pe(ctx))?;
            refused(st, ctx, Some(scheme), e, serde_json::Value::Null).await
        }
    }
}

pub async fn redeem(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(uid): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    step(
        &st,
        &ctx,
        uid,
        VoucherUseStatus::Redeemed,
        "voucher_redeemed",
    )
    .await
}

pub async fn reconcile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(uid): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    step(
        &st,
        &ctx,
        uid,
        VoucherUseStatus::Reconciled,
        "voucher_reconciled",
    )
    .await
}
