//! Pages for scenarios and achievements: list with search and filters, detail, create, edit,
//! delete and sharing of confidential fields. One generic set of handlers serves both.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form};
use minijinja::context;
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::HttpStatus;
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::resource::Resource;
use crate::service::{self, ListParams};
use crate::table::Routes;
use crate::templates::render;
use crate::AppState;

pub fn routes<R: Resource>() -> Routes {
    let base = format!("/{}", R::PATH);
    Routes::new()
        .at(&base, "GET,POST", get(list::<R>).post(create::<R>))
        .at(&format!("{base}/new"), "GET", get(new::<R>))
        .at(
            &format!("{base}/{{id}}"),
            "GET,POST",
            get(detail::<R>).post(update::<R>),
        )
        .at(&format!("{base}/{{id}}/edit"), "GET", get(edit::<R>))
        .at(&format!("{base}/{{id}}/delete"), "POST", post(delete::<R>))
        .at(&format!("{base}/{{id}}/share"), "POST", post(share::<R>))
        .at(
            &format!("{base}/{{id}}/terms"),
            "POST",
            post(set_terms::<R>),
        )
        .at(
            &format!("{base}/{{id}}/terms/accept"),
            "POST",
            post(accept_terms::<R>),
        )
}

fn pe(ctx: &Ctx) -> impl Fn(AppError) -> PageError + '_ {
    move |err| PageError {
        err,
        lang: ctx.lang,
    }
}

/// Query string of the current filters without the page number, for pagination links.
fn filter_qs(p: &ListParams) -> String {
    let pairs = [
        ("q", &p.q),
        ("chain", &p.chain),
        ("region", &p.region),
        ("trl_min", &p.trl_min),
        ("status", &p.status),
        ("org", &p.org),
    ];
    let mut s = String::new();
    for (k, v) in pairs {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            s.push_str(&format!("{k}={}&", urlencode(v)));
        }
    }
    s
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn list<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let (rows, total, page) = service::list::<R>(&st, &ctx, &p).await.map_err(pe(&ctx))?;
    let items: Vec<_> = rows
        .iter()
        .map(|r| R::view(ctx.lang, r, false, false))
        .collect();
    let pages = (total + page.per_page - 1) / page.per_page;
    let extra = context! {
        items => items, total => total, page => page.page, pages => pages,
        params => json!({"q": p.q, "chain": p.chain, "region": p.region, "trl_min": p.trl_min, "status": p.status}),
        qs => filter_qs(&p),
    };
    render(
        &st,
        &ctx,
        &format!("/{}", R::PATH),
        &format!("{}_list.html", R::TEMPLATE),
        extra,
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DetailQ {
    done: Option<String>,
}

async fn detail<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<DetailQ>,
) -> Result<Html<String>, PageError> {
    let (row, confidential, can_edit) =
        service::read::<R>(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let (grants, orgs) = service::sharing::<R>(&st, &ctx, R::org_id(&row), id)
        .await
        .map_err(pe(&ctx))?;
    let found = crate::matching::record_matches(&st, &R::source(&row), R::MATCH_KIND, 10)
        .await
        .map_err(pe(&ctx))?;
    let related_orgs = related_orgs(&found);
    let dockings = duijie_app::docking::open_about(&st, &ctx, R::ENTITY, id)
        .await
        .map_err(pe(&ctx))?;
    let verified = std::sync::Arc::new(
        duijie_app::organisation::verified_ids(&st)
            .await
            .map_err(pe(&ctx))?,
    );
    // A broker is offered to introduce the two sides of a published record's matches.
    let broker = ctx.role().map(|r| r.code()) == Some("broker")
        && R::status(&row) == duijie_domain::Status::Published;
    let target = match R::MATCH_KIND {
        duijie_search::DocKind::Scenario => "scenarios",
        _ => "achievements",
    };
    let matches_html =
        crate::templates::match_section(&st, &ctx, target, id, broker, &found, &verified)?;
    let terms = service::terms::<R>(&st, &ctx, id, R::org_id(&row))
        .await
        .map_err(pe(&ctx))?;
    let extra = context! {
        open_dockings => dockings, kind => R::ENTITY, verified_orgs => verified.as_ref(), terms => terms,
        notice => q.done.as_deref().and_then(|d| match d {
            "terms" => Some(("保密条款已保存；条款变更后，对方须重新接受。", "The confidentiality terms were saved; changed terms must be accepted anew.")),
            "accepted" => Some(("已代表本单位接受保密条款，可查看授权的保密信息和对接联系人。", "You accepted the terms for your organisation; granted confidential details and docking contacts are now shown.")),
            _ => None,
        }),
        item => R::view(ctx.lang, &row, confidential, can_edit),
        grants => grants, orgs => orgs,
        matches_html => matches_html, related_orgs => related_orgs,
        semantic => st.semantic.is_some(),
    };
    render(
        &st,
        &ctx,
        &format!("/{}/{id}", R::PATH),
        &format!("{}_detail.html", R::TEMPLATE),
        extra,
    )
}

/// The form, empty or filled with `values`, with `errors` beside the fields.
async fn form_page<R: Resource>(
    st: &AppState,
    ctx: &Ctx,
    action: String,
    values: serde_json::Value,
    errors: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let orgs = duijie_app::organisation::choices(st, ctx)
        .await
        .map_err(pe(ctx))?;
    let field_errors = super::field_errors(errors, ctx.lang);
    let extra = context! {
        action => action, v => values, errors => field_errors, orgs => orgs,
        message => errors.map(|e| e.message(ctx.lang)),
    };
    render(
        st,
        ctx,
        &format!("/{}", R::PATH),
        &format!("{}_form.html", R::TEMPLATE),
        extra,
    )
}

async fn new<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Response, PageError> {
    service::may_publish(&ctx).map_err(pe(&ctx))?;
    // A new record starts where its organisation is (region, chain) and as published, the
    // page being 发布; the author may keep it a draft.
    let mut values = json!({"status": "published", "trl_required": 6});
    if let Some(org) = ctx.member_org() {
        if let Ok(o) = duijie_app::organisation::get(&st, org).await {
            values["region"] = json!(o.region);
            values["chain"] = json!(o.chain);
        }
    }
    Ok(
        form_page::<R>(&st, &ctx, format!("/{}", R::PATH), values, None)
            .await?
            .into_response(),
    )
}

async fn edit<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (row, _, can_edit) = service::read::<R>(&st, &ctx, id).await.map_err(pe(&ctx))?;
    if !can_edit {
        return Err(pe(&ctx)(if ctx.user.is_some() {
            AppError::Forbidden
        } else {
            AppError::Unauthorized
        }));
    }
    let values = R::view(ctx.lang, &row, true, true);
    Ok(
        form_page::<R>(&st, &ctx, format!("/{}/{id}", R::PATH), values, None)
            .await?
            .into_response(),
    )
}

fn org_field(form: &FormData) -> Option<i64> {
    form.get("org_id").and_then(|s| s.trim().parse().ok())
}

async fn create<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let raw: R::Raw = form.to().map_err(pe(&ctx))?;
    match service::create::<R>(&st, &ctx, org_field(&form), &raw).await {
        Ok(id) => Ok(Redirect::to(&format!("/{}/{id}", R::PATH)).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let page =
                form_page::<R>(&st, &ctx, format!("/{}", R::PATH), form.values(), Some(&e)).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

async fn update<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let raw: R::Raw = form.to().map_err(pe(&ctx))?;
    match service::update::<R>(&st, &ctx, id, org_field(&form), &raw).await {
        Ok(()) => Ok(Redirect::to(&format!("/{}/{id}", R::PATH)).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let page = form_page::<R>(
                &st,
                &ctx,
                format!("/{}/{id}", R::PATH),
                form.values(),
                Some(&e),
            )
            .await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

async fn delete<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    service::delete::<R>(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/{}", R::PATH)))
}

async fn share<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(&ctx))?;
    let org = org_field(&form).ok_or_else(|| {
        pe(&ctx)(service::field_err(
            "org_id",
            "choose an organisation",
            "请选择机构",
        ))
    })?;
    let allow = form.get("allow") != Some("false");
    service::share::<R>(&st, &ctx, id, org, allow)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/{}/{id}", R::PATH)))
}

async fn set_terms<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let form = super::checked(&ctx, pairs)?;
    service::set_terms::<R>(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/{}/{id}?done=terms#terms", R::PATH)))
}

async fn accept_terms<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    super::checked(&ctx, pairs)?;
    service::accept_terms::<R>(&st, &ctx, id)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!(
        "/{}/{id}?done=accepted#terms",
        R::PATH
    )))
}

/// The organisations behind a list of matches, each once, in rank order.
fn related_orgs(found: &[crate::matching::Match]) -> Vec<serde_json::Value> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for m in found {
        if !seen.contains(&m.org_id) {
            seen.push(m.org_id);
            out.push(json!({"id": m.org_id, "name_zh": m.org_name_zh, "name_en": m.org_name_en}));
        }
    }
    out
}
