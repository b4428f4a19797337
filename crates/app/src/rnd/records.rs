//! The use cases on an enterprise's R&D records: figures, shared resources, opening a project
//! for opinions and giving one.

use super::*;
use duijie_domain::rnd::{ResourceKind, Verdict};
use duijie_store::rnd::ResourceInput;

/// The caller manages `org`'s R&D records (the enterprise itself or staff).
pub fn manage(ctx: &Caller, org: i64) -> Result<(), AppError> {
    ctx.require_user()?;
    if may_manage(ctx, org) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A project the caller may see: sign in first, "not found" for projects of others.
pub async fn project_row(st: &App, ctx: &Caller, id: i64) -> Result<ProjectRow, AppError> {
    let p = st.store.rnd_project(id).await?;
    if may_see_project(ctx, &p) {
        Ok(p)
    } else if ctx.user.is_none() {
        Err(AppError::Unauthorized)
    } else {
        Err(AppError::NotFound)
    }
}

/// The year's income figures (kind of enterprise, total, negative-list income …).
pub async fn save_year(
    st: &App,
    ctx: &Caller,
    org: i64,
    year: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let y = parse_year(form)?;
    st.store.save_rnd_year(&ctx.audit()?, org, year, &y).await?;
    Ok(())
}

/// A shared member of staff or piece of equipment whose cost is split by recorded hours.
pub async fn save_resource(
    st: &App,
    ctx: &Caller,
    org: i64,
    year: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let Some(kind) = ResourceKind::from_code(form.get("kind").unwrap_or("staff")) else {
        return Err(field_err(
            "kind",
            "must be staff or equipment",
            "须为人员或设备",
        ));
    };
    let Some(category) = CostCategory::from_code(form.get("category").unwrap_or("")) else {
        return Err(field_err(
            "category",
            "is not a cost category",
            "不是费用类别",
        ));
    };
    let input = ResourceInput {
        name: form.text("name", 100, true)?,
        kind,
        category,
        amount_fen: yuan(form, "amount")?,
    };
    st.store
        .save_rnd_resource(&ctx.audit()?, org, year, &input)
        .await?;
    Ok(())
}

/// A project opened to officers and experts for opinions (`open=0` closes it again).
pub async fn request_review(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let p = project_row(st, ctx, id).await?;
    manage(ctx, p.org_id)?;
    let status = if form.get("open") == Some("0") {
        ReviewStatus::Draft
    } else {
        ReviewStatus::Requested
    };
    st.store
        .set_rnd_review_status(&ctx.audit()?, id, status)
        .await?;
    Ok(())
}

/// An officer's or expert's opinion on a project open for opinions.
pub async fn opinion(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let p = project_row(st, ctx, id).await?;
    if !(may_review(ctx) && p.review_status == ReviewStatus::Requested) {
        return Err(AppError::Forbidden);
    }
    let Some(verdict) = Verdict::from_code(form.get("verdict").unwrap_or("")) else {
        return Err(field_err(
            "verdict",
            "choose likely, doubtful or not R&D",
            "请选择 可能属于/存疑/不属于",
        ));
    };
    let text = form.text("opinion", 4000, true)?;
    let (user, _) = ctx.require_user()?;
    st.store
        .add_rnd_opinion(&ctx.audit()?, id, user.id, verdict, &text)
        .await?;
    Ok(())
}

/// A shared resource removed (with its recorded hours).
pub async fn delete_resource(st: &App, ctx: &Caller, org: i64, id: i64) -> Result<(), AppError> {
    manage(ctx, org)?;
    st.store.delete_rnd_resource(&ctx.audit()?, org, id).await?;
    Ok(())
}

/// An imported time sheet removed, with every hour it brought.
pub async fn delete_import(st: &App, ctx: &Caller, org: i64, id: i64) -> Result<(), AppError> {
    manage(ctx, org)?;
    st.store.delete_rnd_import(&ctx.audit()?, org, id).await?;
    Ok(())
}

/// A new R&D project of `org` for `year` (the caller manages `org`: checked by the page).
pub async fn create_project(
    st: &App,
    ctx: &Caller,
    org: i64,
    year: i64,
    form: &FormData,
) -> Result<i64, AppError> {
    manage(ctx, org)?;
    let f = parse_project(form)?;
    Ok(st
        .store
        .create_rnd_project(&ctx.audit()?, org, year, &f)
        .await?)
}

/// A project's facts and costs edited by its enterprise (or staff).
pub async fn update_project(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let p = project_row(st, ctx, id).await?;
    manage(ctx, p.org_id)?;
    let f = parse_project(form)?;
    st.store.update_rnd_project(&ctx.audit()?, id, &f).await?;
    Ok(())
}
