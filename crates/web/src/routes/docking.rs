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
        (_, Some("introduced")) => Some((
            "引荐已发出，已通知双方；双方都接受后进入洽谈。",
            "Your introduction was sent and both sides told; it moves to negotiation once both accept.",
        )),
        (_, Some("accepted")) => Some((
            "您已接受。双方都接受后进入洽谈，届时可查看对方联系人。",
            "You accepted. Once both sides have, it moves to negotiation and you see the other side's contact.",
        )),
        (_, Some("negotiating")) => Some((
            "已接受，进入洽谈：双方可查看对方联系人并在下方沟通。",
            "Accepted: the two sides now negotiate, see each other's contact and talk below.",
        )),
        (_, Some("stage")) => Some(("对接阶段已更新。", "The docking's stage was updated.")),
        (_, Some("message")) => Some(("消息已发送。", "Your message was sent.")),
        (_, Some("invited")) => Some((
            "已邀请项目主管查看双方沟通，并已通知他们。",
            "The programme officers were invited to read the conversation and told so.",
        )),
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
    let now = docking::answer(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    use duijie_domain::docking::DockingStage;
    let done = match now {
        DockingStage::Introduced => "accepted",
        DockingStage::Negotiating => "negotiating",
        _ => "stage",
    };
    Ok(Redirect::to(&format!("/dockings/{id}?done={done}")).into_response())
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

/// A party invites the programme officers to read the conversation.
pub async fn invite_staff(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    docking::invite_staff(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/dockings/{id}?done=invited#conversation")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct IntroduceQ {
    scenario: Option<String>,
    achievement: Option<String>,
}

/// The broker's introduction form, filled from `?scenario=&achievement=` (a match's link).
pub async fn introduce_form(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    axum::extract::Query(q): axum::extract::Query<IntroduceQ>,
) -> Result<Html<String>, PageError> {
    let id = |s: &Option<String>| s.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    let draft = docking::introduction_draft(&st, &ctx, id(&q.scenario), id(&q.achievement))
        .await
        .map_err(pe(&ctx))?;
    introduce_page(&st, &ctx, draft, Default::default(), &[])
}

fn introduce_page(
    st: &AppState,
    ctx: &Ctx,
    draft: docking::IntroductionDraft,
    errors: serde_json::Map<String, serde_json::Value>,
    values: &[(String, String)],
) -> Result<Html<String>, PageError> {
    let values: std::collections::BTreeMap<&str, &str> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    render(
        st,
        ctx,
        "/dockings/introduce",
        "docking_introduce.html",
        context! { draft => draft, errors => errors, values => values },
    )
}

pub async fn introduce(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs.clone())?;
    match docking::introduce(&st, &ctx, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/dockings/{id}?done=introduced")).into_response()),
        Err(err @ duijie_app::AppError::Invalid(_)) => {
            let num = |k: &str| form.get(k).and_then(|s| s.trim().parse::<i64>().ok());
            let draft =
                docking::introduction_draft(&st, &ctx, num("scenario_id"), num("achievement_id"))
                    .await
                    .map_err(pe(&ctx))?;
            let errors = super::field_errors(Some(&err), ctx.lang);
            let mut page = introduce_page(&st, &ctx, draft, errors, &pairs)?.into_response();
            *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

/// The platform's technology brokers and what each brought about.
pub async fn brokers(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let items = docking::brokers(&st, &ctx).await.map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        "/brokers",
        "broker_list.html",
        context! { items => items },
    )
}

/// One broker's page: figures for everyone signed in; its dockings and contracts for itself
/// and staff.
pub async fn broker(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let b = docking::broker_page(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        &format!("/brokers/{id}"),
        "broker_detail.html",
        context! { b => b },
    )
}
