//! Docking pages: the caller's dockings (all of them, stage only, for staff), one docking with
//! its stages and conversation, and the forms that request, answer, move and write.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::docking;
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::PageError;
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let items = docking::list(&st, &ctx).await.map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        "/dockings",
        "docking_list.html",
        context! { items => items },
    )
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let id = docking::request(&st, &ctx, &form).await.map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/dockings/{id}?sent=1")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    sent: Option<String>,
    done: Option<String>,
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    axum::extract::Query(f): axum::extract::Query<Flash>,
) -> Result<Html<String>, PageError> {
    let d = docking::detail(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let notice = match (f.sent.is_some(), f.done.as_deref()) {
        (true, _) => Some((
            "对接请求已发送，对方接受后可查看联系人。",
            "Your docking request was sent; you will see the contact once it is accepted.",
        )),
        (_, Some("stage")) => Some(("对接阶段已更新。", "The docking's stage was updated.")),
        (_, Some("message")) => Some(("消息已发送。", "Your message was sent.")),
        _ => None,
    };
    render(
        &st,
        &ctx,
        &format!("/dockings/{id}"),
        "docking_detail.html",
        context! { notice => notice, ..minijinja::Value::from_serialize(&d) },
    )
}

pub async fn answer(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    docking::answer(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/dockings/{id}?done=stage")).into_response())
}

pub async fn stage(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    docking::move_on(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/dockings/{id}?done=stage")).into_response())
}

pub async fn message(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    docking::write(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/dockings/{id}?done=message#conversation")).into_response())
}
