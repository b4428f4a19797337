//! R&D super-deduction pages: the start page, an enterprise's year (income figures, projects,
//! shared staff and equipment, time-sheet imports, the deduction), the project pages with
//! pre-identification and opinions, the ledger with form A107012 and its Excel export, the
//! review queue and the searchable policy store.

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_store::rnd::ProjectRow;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::rnd as r;
use crate::templates::render;
use crate::AppState;
use duijie_domain::rnd::ReviewStatus;

use super::{checked, pe};

/// Largest time sheet accepted (an .xlsx of a year of daily rows for a few hundred people).
pub const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD_LIMIT)
}

fn manage(ctx: &Ctx, org: i64) -> Result<(), PageError> {
    r::manage(ctx, org).map_err(pe(ctx))
}

fn back(org: i64, year: i64, anchor: &str) -> Response {
    Redirect::to(&crate::flash::to(
        &format!("/rnd/{org}/{year}#{anchor}"),
        "rnd_saved",
    ))
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct Q {
    q: Option<String>,
    year: Option<i64>,
    org: Option<i64>,
}

/// The start page: an enterprise goes to its year; staff pick an enterprise; everyone can
/// search the policies.
pub async fn home(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<Q>,
) -> Result<Response, PageError> {
    if let (Some(org), Some(year)) = (q.org.or(ctx.member_org()), q.year) {
        return Ok(Redirect::to(&format!("/rnd/{org}/{year}")).into_response());
    }
    let (mine, with_records) = r::read::start(&st, &ctx).await.map_err(pe(&ctx))?;
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let extra = context! {
        mine => mine, orgs => orgs, with_records => with_records,
        years => r::years(&st.clock), default_year => r::default_year(&st.clock),
        may_review => r::may_review(&ctx),
    };
    Ok(render(&st, &ctx, "/rnd", "rnd_home.html", extra)?.into_response())
}

pub async fn policies(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<Q>,
) -> Result<Html<String>, PageError> {
    let query = q.q.unwrap_or_default();
    let found = r::search_policies(&query).map_err(pe(&ctx))?;
    let extra = context! { q => query, policies => found };
    render(&st, &ctx, "/rnd/policies", "rnd_policies.html", extra)
}

pub async fn reviews(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let items = r::read::review_queue(&st, &ctx).await.map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        "/rnd/reviews",
        "rnd_reviews.html",
        context! { items => items },
    )
}

async fn year_page(
    st: &AppState,
    ctx: &Ctx,
    org: i64,
    year: i64,
    message: Option<String>,
    values: serde_json::Value,
) -> Result<Html<String>, PageError> {
    let r::read::Year {
        organisation,
        figures,
        projects: rows,
        resources,
        imports,
        hour_rows,
        report,
    } = r::read::year(st, ctx, org, year).await.map_err(pe(ctx))?;
    let resource_rows: Vec<_> = resources
        .iter()
        .map(|res| context! { r => res, amount => r::dec(res.amount_fen).to_string() })
        .collect();
    let y = figures.clone().unwrap_or_default();
    let figures_form = context! {
        kind => y.kind,
        total_income => r::dec(y.total_income_fen).to_string(),
        negative_list_income => r::dec(y.negative_list_income_fen).to_string(),
        non_taxable_income => r::dec(y.non_taxable_income_fen).to_string(),
        investment_income => r::dec(y.investment_income_fen).to_string(),
        q4_2022 => y.q4_2022_fen.map(|f| r::dec(f).to_string()),
    };
    let extra = context! {
        org => organisation, year => year, years => r::years(&st.clock), has_figures => figures.is_some(),
        f => figures_form, projects => rows, resources => resource_rows, imports => imports,
        hour_rows => hour_rows, report => report, kinds => r::kinds(), categories => r::categories(),
        message => message, v => values,
    };
    render(st, ctx, "/rnd", "rnd_year.html", extra)
}

pub async fn year(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
) -> Result<Html<String>, PageError> {
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    year_page(&st, &ctx, org, year, None, serde_json::json!({})).await
}

/// After a write on the year page: back to its section, or the page again with the problem.
async fn or_year_page(
    st: &AppState,
    ctx: &Ctx,
    (org, year): (i64, i64),
    res: Result<(), AppError>,
    anchor: &str,
    values: serde_json::Value,
) -> Result<Response, PageError> {
    match res {
        Ok(()) => Ok(back(org, year, anchor)),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let message = Some(e.message(ctx.lang));
            Ok(year_page(st, ctx, org, year, message, values)
                .await?
                .into_response())
        }
        Err(e) => Err(pe(ctx)(e)),
    }
}

pub async fn save_year(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    let res = r::save_year(&st, &ctx, org, year, &form).await;
    or_year_page(&st, &ctx, (org, year), res, "figures", form.values()).await
}

pub async fn save_resource(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    let res = r::save_resource(&st, &ctx, org, year, &form).await;
    or_year_page(&st, &ctx, (org, year), res, "resources", form.values()).await
}

pub async fn delete_resource(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year, id)): Path<(i64, i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    r::delete_resource(&st, &ctx, org, id)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(org, year, "resources"))
}

/// Import a time sheet or equipment-use log (.csv or .xlsx): every row is checked first and
/// nothing is stored unless all are good; the error names the row and column.
pub async fn import_hours(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut csrf = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| pe(&ctx)(AppError::BadRequest(e.to_string())))?
    {
        match field.name() {
            Some("csrf") => {
                csrf = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| pe(&ctx)(AppError::BadRequest(e.to_string())))?,
                )
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| pe(&ctx)(AppError::BadRequest(e.to_string())))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    ctx.check_csrf(csrf.as_deref()).map_err(pe(&ctx))?;
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    match r::import_hours(&st, &ctx, org, year, file)
        .await
        .map_err(pe(&ctx))?
    {
        None => Ok(back(org, year, "hours")),
        Some(refusal) => Ok(
            year_page(&st, &ctx, org, year, Some(refusal), serde_json::json!({}))
                .await?
                .into_response(),
        ),
    }
}

pub async fn delete_import(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year, id)): Path<(i64, i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    r::delete_import(&st, &ctx, org, id)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(org, year, "hours"))
}

/// A template for time sheets, with the columns the import reads.
pub async fn hours_template() -> Response {
    let body = "\u{feff}日期,人员/设备,项目,工时\n2025-03-03,张工,RD-2025-01,6\n2025-03-03,张工,非研发,2\n";
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"hours-template.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    action: String,
    org: i64,
    year: i64,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let extra = context! {
        action => action, org => org, year => year, v => v,
        message => err.map(|e| e.message(ctx.lang)),
        activities => duijie_rnd::assess::EXCLUDED_ACTIVITIES, evidence => r::EVIDENCE, money => r::MONEY,
    };
    render(st, ctx, "/rnd", "rnd_project_form.html", extra)
}

pub async fn new_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
) -> Result<Html<String>, PageError> {
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    let action = format!("/rnd/{org}/{year}/projects");
    form_page(&st, &ctx, action, org, year, serde_json::json!({}), None).await
}

pub async fn create_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    let action = format!("/rnd/{org}/{year}/projects");
    let result = r::create_project(&st, &ctx, org, year, &form).await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/rnd/projects/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            Ok(
                form_page(&st, &ctx, action, org, year, form.values(), Some(&e))
                    .await?
                    .into_response(),
            )
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

async fn project_row(st: &AppState, ctx: &Ctx, id: i64) -> Result<ProjectRow, PageError> {
    r::project_row(st, ctx, id).await.map_err(pe(ctx))
}

pub async fn project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let (p, opinions) = r::read::project(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let assessment = r::assessment(&p.fields).map_err(pe(&ctx))?;
    let findings: Vec<_> = assessment
        .findings
        .iter()
        .map(|f| context! { f => f, cite => r::cite(f.clause) })
        .collect();
    let manage = r::may_manage(&ctx, p.org_id);
    let activities: Vec<_> = duijie_rnd::assess::EXCLUDED_ACTIVITIES
        .iter()
        .filter(|a| p.fields.activities.split(',').any(|c| c == a.0))
        .collect();
    let evidence: Vec<_> = r::EVIDENCE
        .iter()
        .filter(|a| p.fields.evidence.split(',').any(|c| c == a.0))
        .collect();
    let money = if manage {
        Some(r::form_values(&p.fields))
    } else {
        None
    };
    let extra = context! {
        p => p, verdict => assessment.verdict, findings => findings, opinions => opinions,
        manage => manage, may_review => r::may_review(&ctx) && p.review_status == ReviewStatus::Requested,
        activities => activities, evidence => evidence, money => money, money_fields => r::MONEY,
    };
    render(&st, &ctx, "/rnd", "rnd_project.html", extra)
}

pub async fn edit_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let p = project_row(&st, &ctx, id).await?;
    manage(&ctx, p.org_id)?;
    let v = r::form_values(&p.fields);
    form_page(
        &st,
        &ctx,
        format!("/rnd/projects/{id}"),
        p.org_id,
        p.year,
        v,
        None,
    )
    .await
}

pub async fn update_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    match r::update_project(&st, &ctx, id, &form).await {
        Ok(()) => Ok(Redirect::to(&crate::flash::to(
            &format!("/rnd/projects/{id}"),
            "rnd_saved",
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            // The form again, with what was typed: the project is read only in this case.
            let p = project_row(&st, &ctx, id).await?;
            Ok(form_page(
                &st,
                &ctx,
                format!("/rnd/projects/{id}"),
                p.org_id,
                p.year,
                form.values(),
                Some(&e),
            )
            .await?
            .into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

/// Open the project to officers and experts for an opinion, or withdraw it.
pub async fn request_review(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    r::request_review(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/rnd/projects/{id}#review"),
        "rnd_saved",
    ))
    .into_response())
}

pub async fn opinion(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    r::opinion(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/rnd/projects/{id}#opinions"),
        "rnd_saved",
    ))
    .into_response())
}

pub async fn ledger(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
) -> Result<Html<String>, PageError> {
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    let (organisation, report) = r::read::computed(&st, &ctx, org, year)
        .await
        .map_err(pe(&ctx))?;
    let trace: Vec<_> = report
        .iter()
        .flat_map(|rep| rep.out.trace.iter())
        .map(|l| context! { l => l, cite => r::cite(&l.clause) })
        .collect();
    let extra = context! {
        org => organisation, year => year, report => report, trace => trace,
        columns => duijie_rnd::form::LEDGER_COLUMNS,
    };
    render(&st, &ctx, "/rnd", "rnd_ledger.html", extra)
}

pub async fn ledger_xlsx(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((org, year)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    manage(&ctx, org)?;
    let year = r::valid_year(&st.clock, year).map_err(pe(&ctx))?;
    let report = r::read::computed(&st, &ctx, org, year)
        .await
        .map_err(pe(&ctx))?
        .1
        .ok_or_else(|| pe(&ctx)(AppError::NotFound))?;
    let bytes = r::workbook(&report).map_err(pe(&ctx))?;
    Ok(super::xlsx(&format!("rnd-{org}-{year}.xlsx"), bytes))
}
