//! Technology-contract pages: the caller's contracts (every contract for staff and registrars),
//! a new contract (from a docking or directly), one contract with the registrar's decision, an
//! Excel import (all rows or none) and export.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::contract;
use duijie_domain::contract::ContractRaw;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQ {
    status: Option<String>,
    imported: Option<usize>,
}

async fn list_page(
    st: &AppState,
    ctx: &Ctx,
    q: &ListQ,
    refusal: Option<String>,
) -> Result<Html<String>, PageError> {
    let items = contract::list(st, ctx, q.status.as_deref())
        .await
        .map_err(pe(ctx))?;
    let may_record = ctx.is_staff() || ctx.member_org().is_some();
    render(
        st,
        ctx,
        "/contracts",
        "contract_list.html",
        context! {
            items => items, status => q.status.clone().unwrap_or_default(),
            may_record => may_record, imported => q.imported, refusal => refusal,
            columns => duijie_domain::contract::CONTRACT_COLUMNS_ZH,
        },
    )
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<ListQ>,
) -> Result<Html<String>, PageError> {
    list_page(&st, &ctx, &q, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQ {
    docking: Option<i64>,
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    values: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let orgs = contract::party_choices(st, ctx).await.map_err(pe(ctx))?;
    let errors = super::field_errors(err, ctx.lang);
    render(
        st,
        ctx,
        "/contracts/new",
        "contract_form.html",
        context! { v => values, errors => errors, orgs => orgs, message => err.map(|e| e.message(ctx.lang)) },
    )
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<NewQ>,
) -> Result<Html<String>, PageError> {
    let v = contract::new_values(&st, &ctx, q.docking)
        .await
        .map_err(pe(&ctx))?;
    form_page(&st, &ctx, v, None).await
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let raw: ContractRaw = form.to().map_err(pe(&ctx))?;
    match contract::record(&st, &ctx, &raw).await {
        Ok(id) => Ok(Redirect::to(&format!("/contracts/{id}?done=recorded")).into_response()),
        Err(e @ AppError::Invalid(_)) => Ok(form_page(&st, &ctx, form.values(), Some(&e))
            .await?
            .into_response()),
        Err(e) => Err(pe(&ctx)(e)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailQ {
    done: Option<String>,
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Query(q): Query<DetailQ>,
) -> Result<Html<String>, PageError> {
    let d = contract::detail(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let verified = duijie_app::organisation::verified_ids(&st)
        .await
        .map_err(pe(&ctx))?;
    let notice = match q.done.as_deref() {
        Some("recorded") => Some((
            "合同已记录，等待技术合同登记机构审核登记。",
            "The contract was recorded; it waits for a contract registrar.",
        )),
        Some("registered") => Some((
            "合同已登记，计入技术合同成交统计。",
            "The contract was registered; it now counts in the statistics.",
        )),
        Some("refused") => Some((
            "已决定不予登记，理由已告知双方。",
            "Registration was refused; both parties see why.",
        )),
        _ => None,
    };
    render(
        &st,
        &ctx,
        &format!("/contracts/{id}"),
        "contract_detail.html",
        context! { notice => notice, verified_orgs => verified, ..minijinja::Value::from_serialize(&d) },
    )
}

pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    contract::register(&st, &ctx, id).await.map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/contracts/{id}?done=registered")).into_response())
}

pub async fn refuse(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    contract::refuse(&st, &ctx, id, form.get("reason").unwrap_or(""))
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/contracts/{id}?done=refused")).into_response())
}

/// Import contracts from an .xlsx or .csv file: all rows or none; the refusal names the row
/// and column.
pub async fn import(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let bad =
        |e: axum::extract::multipart::MultipartError| pe(&ctx)(AppError::BadRequest(e.to_string()));
    let mut csrf = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(bad)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("contracts.xlsx").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            _ => {}
        }
    }
    ctx.check_csrf(csrf.as_deref()).map_err(pe(&ctx))?;
    ctx.require_user().map_err(pe(&ctx))?;
    let refusal = match file.filter(|(_, b)| !b.is_empty()) {
        None => Err(if ctx.lang == "en" {
            "Choose a file to import.".to_string()
        } else {
            "请选择要导入的文件。".to_string()
        }),
        Some((name, bytes)) => contract::import(&st, &ctx, &name, &bytes)
            .await
            .map_err(pe(&ctx))?,
    };
    match refusal {
        Ok(n) => Ok(Redirect::to(&format!("/contracts?imported={n}")).into_response()),
        Err(why) => Ok(list_page(&st, &ctx, &ListQ::default(), Some(why))
            .await?
            .into_response()),
    }
}

pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<ListQ>,
) -> Result<Response, PageError> {
    let bytes = contract::export(&st, &ctx, q.status.as_deref())
        .await
        .map_err(pe(&ctx))?;
    Ok(super::xlsx("contracts.xlsx", bytes))
}
