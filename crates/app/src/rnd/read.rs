//! What each caller may read of the R&D records: the start page, an enterprise's year (with the
//! deduction computed from the records), the review queue, a project's opinions.

use duijie_store::organisation::OrgRow;
use duijie_store::rnd::{ImportRow, OpinionRow};

use super::*;

/// The start page: the member's organisation with the years it has records for; for staff,
/// the organisations with records (id, name zh, name en).
#[allow(clippy::type_complexity)]
pub async fn start(
    st: &App,
    ctx: &Caller,
) -> Result<(Option<(i64, Vec<i64>)>, Vec<(i64, String, String)>), AppError> {
    let mine = match ctx.member_org() {
        Some(org) => Some((org, st.store.rnd_years(org).await?)),
        None => None,
    };
    let with_records = if ctx.is_staff() {
        st.store.rnd_organisations().await?
    } else {
        Vec::new()
    };
    Ok((mine, with_records))
}

/// A project with its pre-identification verdict ("error" when its facts cannot be assessed).
#[derive(Serialize)]
pub struct Assessed {
    pub p: ProjectRow,
    pub verdict: &'static str,
}

fn assessed(p: ProjectRow) -> Assessed {
    let verdict = assessment(&p.fields).map(|a| a.verdict).unwrap_or("error");
    Assessed { p, verdict }
}

/// Projects opened for opinions (officers and the R&D reviewers).
pub async fn review_queue(st: &App, ctx: &Caller) -> Result<Vec<Assessed>, AppError> {
    ctx.require_user()?;
    if !may_review(ctx) {
        return Err(AppError::Forbidden);
    }
    Ok(st
        .store
        .rnd_review_queue()
        .await?
        .into_iter()
        .map(assessed)
        .collect())
}

/// An enterprise's year as its page shows it.
pub struct Year {
    pub organisation: OrgRow,
    pub figures: Option<YearRow>,
    pub projects: Vec<Assessed>,
    pub resources: Vec<ResourceRow>,
    pub imports: Vec<ImportRow>,
    pub hour_rows: usize,
    /// The deduction, once the year's income figures are in.
    pub report: Option<Report>,
}

/// `org`'s records of `year` (the enterprise and staff).
pub async fn year(st: &App, ctx: &Caller, org: i64, year: i64) -> Result<Year, AppError> {
    manage(ctx, org)?;
    let organisation = st.store.organisation(org).await?;
    let figures = st.store.rnd_year(org, year).await?;
    let projects = st.store.rnd_projects(org, year).await?;
    let resources = st.store.rnd_resources(org, year).await?;
    let imports = st.store.rnd_imports(org, year).await?;
    let hours = st.store.rnd_hours(org, year).await?;
    let report = match &figures {
        Some(y) => Some(report(year, y, &projects, &resources, &hours)?),
        None => None,
    };
    Ok(Year {
        organisation,
        figures,
        projects: projects.into_iter().map(assessed).collect(),
        resources,
        imports,
        hour_rows: hours.len(),
        report,
    })
}

/// The deduction of `org`'s `year` (None before the income figures are in), with the
/// organisation (the enterprise and staff).
pub async fn computed(
    st: &App,
    ctx: &Caller,
    org: i64,
    year: i64,
) -> Result<(OrgRow, Option<Report>), AppError> {
    manage(ctx, org)?;
    let organisation = st.store.organisation(org).await?;
    let Some(y) = st.store.rnd_year(org, year).await? else {
        return Ok((organisation, None));
    };
    let projects = st.store.rnd_projects(org, year).await?;
    let resources = st.store.rnd_resources(org, year).await?;
    let hours = st.store.rnd_hours(org, year).await?;
    Ok((
        organisation,
        Some(report(year, &y, &projects, &resources, &hours)?),
    ))
}

/// A project the caller may see, with the opinions given on it.
pub async fn project(
    st: &App,
    ctx: &Caller,
    id: i64,
) -> Result<(ProjectRow, Vec<OpinionRow>), AppError> {
    let p = project_row(st, ctx, id).await?;
    let opinions = st.store.rnd_opinions(id).await?;
    Ok((p, opinions))
}
