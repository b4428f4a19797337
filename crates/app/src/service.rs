//! What a request may do with scenarios and achievements, shared by pages and the API: visibility
//! of drafts, confidential fields, owner checks on every write, and keeping the index in step.

use std::collections::HashMap;

use duijie_domain::{Actor, Status};
use duijie_store::listing::ListFilter;
use duijie_store::{Page, Viewer};
use serde::Deserialize;

use crate::error::AppError;
use crate::resource::Resource;
use crate::App;
use crate::Caller;

/// Query parameters of list pages and list endpoints.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub q: Option<String>,
    pub chain: Option<String>,
    pub region: Option<String>,
    pub trl_min: Option<String>,
    pub trl_max: Option<String>,
    pub status: Option<String>,
    pub org: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub fn blank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn number(field: &str, v: &Option<String>) -> Result<Option<i64>, AppError> {
    match blank(v) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| {
            AppError::Invalid(duijie_domain::Invalid::one(duijie_domain::FieldError::new(
                field,
                "not_a_number",
                format!("must be a whole number, not \"{s}\""),
                format!("须为整数，而不是“{s}”"),
            )))
        }),
    }
}

impl ListParams {
    pub fn q(&self) -> Option<String> {
        blank(&self.q)
    }

    pub fn page(&self) -> Result<Page, AppError> {
        Ok(Page::new(
            number("page", &self.page)?,
            number("per_page", &self.per_page)?,
        ))
    }

    pub fn filter(&self, viewer: Viewer) -> Result<ListFilter, AppError> {
        let mut f = ListFilter::new(viewer);
        f.chain = blank(&self.chain);
        f.region = blank(&self.region);
        f.trl_min = number("trl_min", &self.trl_min)?;
        f.trl_max = number("trl_max", &self.trl_max)?;
        f.status = blank(&self.status);
        f.org_id = number("org", &self.org)?;
        Ok(f)
    }
}

/// Which records a request may list.
pub fn viewer(ctx: &Caller) -> Viewer {
    match ctx.actor() {
        Some(a) if a.role.is_staff() => Viewer::All,
        Some(Actor {
            role: duijie_domain::Role::Member,
            org_id: Some(o),
            ..
        }) => Viewer::Org(o),
        _ => Viewer::Public,
    }
}

/// A page of records matching the parameters; with `q`, ranked by the search index.
pub async fn list<R: Resource>(
    st: &App,
    ctx: &Caller,
    p: &ListParams,
) -> Result<(Vec<R::Row>, i64, Page), AppError> {
    let mut filter = p.filter(viewer(ctx))?;
    let mut page = p.page()?;
    // A page past the end (`?page=99` of 6) shows the last page, and says so.
    let last = |total: i64, page: &Page| ((total + page.per_page - 1) / page.per_page).max(1);
    let Some(q) = p.q() else {
        let (rows, total) = R::list(&st.store, &filter, Some(page)).await?;
        if page.page > last(total, &page) {
            page.page = last(total, &page);
            let (rows, total) = R::list(&st.store, &filter, Some(page)).await?;
            return Ok((rows, total, page));
        }
        return Ok((rows, total, page));
    };
    let (hits, _) = st.search.search(&q, Some(R::DOC_KIND), 1000)?;
    let rank: HashMap<i64, usize> = hits.iter().enumerate().map(|(i, h)| (h.id, i)).collect();
    filter.ids = Some(hits.iter().map(|h| h.id).collect());
    let (mut rows, total) = R::list(&st.store, &filter, None).await?;
    page.page = page.page.min(last(total, &page));
    rows.sort_by_key(|r| rank.get(&R::id(r)).copied().unwrap_or(usize::MAX));
    let rows = rows
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .collect();
    Ok((rows, total, page))
}

/// A record as this request may see it: `(row, may read confidential fields, may edit)`.
/// Drafts are "not found" for those who may not see them.
pub async fn read<R: Resource>(
    st: &App,
    ctx: &Caller,
    id: i64,
) -> Result<(R::Row, bool, bool), AppError> {
    let row = R::get(&st.store, id).await?;
    let actor = ctx.actor();
    let owner = R::org_id(&row);
    let can_edit = Actor::may_edit(actor.as_ref(), owner);
    let public = R::status(&row).is_public();
    if !public && !can_edit {
        return Err(AppError::NotFound);
    }
    let confidential = if can_edit {
        true
    } else if actor.is_none() {
        // Visitors never see confidential fields: no need to look up the grants.
        false
    } else {
        let grants: Vec<i64> = st
            .store
            .grants(R::ENTITY, id)
            .await?
            .iter()
            .map(|g| g.org_id)
            .collect();
        Actor::may_read_confidential(actor.as_ref(), owner, &grants)
            && (ctx.is_staff() || terms_met(st, ctx, R::ENTITY, id).await?)
    };
    Ok((row, confidential, can_edit))
}

/// Whether the caller's organisation has accepted the confidentiality terms of `entity` `id`
/// (true when the record has none).
pub(crate) async fn terms_met(
    st: &App,
    ctx: &Caller,
    entity: &str,
    id: i64,
) -> Result<bool, AppError> {
    if st.store.record_terms(entity, id).await?.is_none() {
        return Ok(true);
    }
    Ok(match ctx.actor().and_then(|a| a.org_id) {
        Some(org) => st
            .store
            .record_terms_accepted(entity, id, org)
            .await?
            .is_some(),
        None => false,
    })
}

/// Longest confidentiality terms, in characters.
pub const TERMS_MAX: usize = 5000;

/// A record's confidentiality terms as the caller sees them: the text, whether and when the
/// caller's organisation accepted it, whether it may accept now; for those who may edit the
/// record, every acceptance.
#[derive(Debug, Default, serde::Serialize)]
pub struct Terms {
    pub body: Option<String>,
    pub accepted_at: Option<String>,
    pub may_accept: bool,
    pub may_edit: bool,
    pub acceptances: Vec<duijie_store::terms::AcceptanceRow>,
}

pub async fn terms<R: Resource>(
    st: &App,
    ctx: &Caller,
    id: i64,
    owner: i64,
) -> Result<Terms, AppError> {
    let body = st.store.record_terms(R::ENTITY, id).await?.map(|t| t.body);
    let may_edit = ctx.acts_for(owner);
    let member = ctx.member_org().filter(|o| *o != owner);
    let accepted_at = match (member, &body) {
        (Some(org), Some(_)) => st.store.record_terms_accepted(R::ENTITY, id, org).await?,
        _ => None,
    };
    Ok(Terms {
        may_accept: member.is_some() && body.is_some() && accepted_at.is_none(),
        acceptances: if may_edit {
            st.store.record_terms_acceptances(R::ENTITY, id).await?
        } else {
            Vec::new()
        },
        body,
        accepted_at,
        may_edit,
    })
}

/// The owner sets (or, empty, removes) the record's confidentiality terms (`terms`). Changed
/// terms must be accepted anew.
pub async fn set_terms<R: Resource>(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &crate::FormData,
) -> Result<(), AppError> {
    let (user, actor) = ctx.require_user()?;
    let row = R::get(&st.store, id).await?;
    if !Actor::may_edit(Some(&actor), R::org_id(&row)) {
        return Err(AppError::Forbidden);
    }
    let body = form.text("terms", TERMS_MAX, false)?;
    st.store
        .set_record_terms(&ctx.audit()?, R::ENTITY, id, &body, user.id)
        .await?;
    Ok(())
}

/// A member of another organisation accepts the record's terms for its organisation.
pub async fn accept_terms<R: Resource>(st: &App, ctx: &Caller, id: i64) -> Result<(), AppError> {
    let (user, _) = ctx.require_user()?;
    let (row, _, _) = read::<R>(st, ctx, id).await?;
    let org = ctx
        .member_org()
        .filter(|o| *o != R::org_id(&row))
        .ok_or(AppError::Forbidden)?;
    if st.store.record_terms(R::ENTITY, id).await?.is_none() {
        return Err(AppError::Conflict("terms"));
    }
    st.store
        .accept_record_terms(&ctx.audit()?, R::ENTITY, id, org, user.id)
        .await?;
    Ok(())
}

/// Whether the caller may publish records at all (staff, or a member of an organisation).
pub fn may_publish(ctx: &Caller) -> Result<(), AppError> {
    let (_, a) = ctx.require_user()?;
    if a.role.is_staff() || (a.role == duijie_domain::Role::Member && a.org_id.is_some()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The organisation a new record belongs to: a member's own; staff must name one.
pub fn owner_for_new(ctx: &Caller, requested: Option<i64>) -> Result<i64, AppError> {
    let (_, actor) = ctx.require_user()?;
    let org = match (actor.role.is_staff(), requested, actor.org_id) {
        (true, Some(o), _) => o,
        (_, _, Some(o)) => o,
        (true, None, None) => {
            return Err(AppError::Invalid(duijie_domain::Invalid::one(
                duijie_domain::FieldError::required("org_id"),
            )))
        }
        (false, _, None) => return Err(AppError::Forbidden),
    };
    if Actor::may_publish_for(Some(&actor), org) {
        Ok(org)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A record published with a deadline already past is refused: nobody could answer it. (An
/// edit that keeps the stored deadline is not held to this, so a record may outlive it.)
fn check_deadline<R: Resource>(
    st: &App,
    input: &R::Input,
    stored: Option<&str>,
) -> Result<(), AppError> {
    let Some(d) = R::input_deadline(input) else {
        return Ok(());
    };
    let today = st.clock.today().to_string();
    if R::input_status(input) == Status::Published && Some(d) != stored && d < today.as_str() {
        return Err(field_err(
            "deadline",
            &format!("{d} has passed: give a deadline from today ({today}) on, or leave it open"),
            &format!("截止日期 {d} 已过：请填写今天（{today}）或以后的日期，或留空表示长期有效"),
        ));
    }
    Ok(())
}

/// Parse, check and store a new record; index it.
pub async fn create<R: Resource>(
    st: &App,
    ctx: &Caller,
    org: Option<i64>,
    raw: &R::Raw,
) -> Result<i64, AppError> {
    let org = owner_for_new(ctx, org)?;
    let input = R::parse(raw)?;
    check_deadline::<R>(st, &input, None)?;
    if !matches!(R::input_status(&input), Status::Draft | Status::Published) {
        return Err(field_err(
            "status",
            "a new record starts as a draft or published",
            "新记录的状态只能是草稿或已发布",
        ));
    }
    st.store
        .organisation(org)
        .await
        .map_err(|_| field_err("org_id", "no such organisation", "机构不存在"))?;
    let id = R::create(&st.store, &ctx.audit()?, org, &input).await?;
    reindex::<R>(st, id).await;
    Ok(id)
}

/// Replace a record's fields after checking the caller may edit it. Staff may move it to
/// another organisation; members may not.
pub async fn update<R: Resource>(
    st: &App,
    ctx: &Caller,
    id: i64,
    org: Option<i64>,
    raw: &R::Raw,
) -> Result<(), AppError> {
    let (_, actor) = ctx.require_user()?;
    let row = R::get(&st.store, id).await?;
    if !Actor::may_edit(Some(&actor), R::org_id(&row)) {
        return Err(AppError::Forbidden);
    }
    let input = R::parse(raw)?;
    check_deadline::<R>(st, &input, R::deadline(&row))?;
    let (from, to) = (R::status(&row), R::input_status(&input));
    if !from.can_become(to) {
        return Err(field_err(
            "status",
            &format!("a {} record cannot become {}", from.code(), to.code()),
            &format!("状态不能从“{}”改为“{}”", from.label().zh, to.label().zh),
        ));
    }
    let org = match org {
        Some(o) if actor.role.is_staff() => {
            st.store
                .organisation(o)
                .await
                .map_err(|_| field_err("org_id", "no such organisation", "机构不存在"))?;
            o
        }
        _ => R::org_id(&row),
    };
    R::update(&st.store, &ctx.audit()?, id, org, &input).await?;
    reindex::<R>(st, id).await;
    Ok(())
}

pub async fn delete<R: Resource>(st: &App, ctx: &Caller, id: i64) -> Result<(), AppError> {
    let (_, actor) = ctx.require_user()?;
    let row = R::get(&st.store, id).await?;
    if !Actor::may_edit(Some(&actor), R::org_id(&row)) {
        return Err(AppError::Forbidden);
    }
    R::delete(&st.store, &ctx.audit()?, id).await?;
    reindex::<R>(st, id).await;
    Ok(())
}

/// Allow (or, with `allow = false`, stop allowing) an organisation to read confidential fields.
pub async fn share<R: Resource>(
    st: &App,
    ctx: &Caller,
    id: i64,
    org: i64,
    allow: bool,
) -> Result<(), AppError> {
    let (_, actor) = ctx.require_user()?;
    let row = R::get(&st.store, id).await?;
    if !Actor::may_edit(Some(&actor), R::org_id(&row)) {
        return Err(AppError::Forbidden);
    }
    st.store
        .organisation(org)
        .await
        .map_err(|_| field_err("org_id", "no such organisation", "机构不存在"))?;
    let audit = ctx.audit()?;
    if allow {
        st.store.grant(&audit, R::ENTITY, id, org).await?;
    } else {
        st.store.revoke_grant(&audit, R::ENTITY, id, org).await?;
    }
    Ok(())
}

/// Bring the record's index entry and vector in line with the database (added, replaced or
/// removed), then tell scenario owners about an achievement that ranks among their best
/// matches. The database stays the truth: a failure here is logged and repaired by the next
/// catch-up or rebuild.
async fn reindex<R: Resource>(st: &App, id: i64) {
    let done =
        crate::indexer::refresh(&st.store, &st.search, st.semantic.as_ref(), R::ENTITY, id).await;
    if let Err(e) = done {
        tracing::error!(error = %e, id, "indexing failed");
    }
    if R::DOC_KIND == duijie_search::DocKind::Achievement {
        let st = st.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::notify::new_achievement(&st, id).await {
                tracing::warn!(error = ?e, id, "match notifications failed");
            }
        });
    }
}

pub fn field_err(field: &str, en: &str, zh: &str) -> AppError {
    AppError::Invalid(duijie_domain::Invalid::one(duijie_domain::FieldError::new(
        field, "invalid", en, zh,
    )))
}

/// The achievement a form names in `achievement_id`, if any; it must be `org`'s own (a
/// service request, a one-stop case or a finance project is for the organisation's own work).
pub async fn org_achievement(
    st: &App,
    form: &crate::FormData,
    org: i64,
) -> Result<Option<i64>, AppError> {
    let Some(a) = form
        .get("achievement_id")
        .and_then(|s| s.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    if st.store.achievement(a).await?.org_id != org {
        return Err(field_err(
            "achievement_id",
            "is not this organisation's",
            "不是本单位的成果",
        ));
    }
    Ok(Some(a))
}

/// A user's role and organisation set by an admin.
pub async fn set_user_role(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &crate::FormData,
) -> Result<(), AppError> {
    if ctx.require_user()?.1.role != duijie_domain::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let role = form
        .get("role")
        .and_then(duijie_domain::Role::from_code)
        .ok_or_else(|| AppError::BadRequest("unknown role".into()))?;
    let org = form.get("org_id").and_then(|s| s.parse::<i64>().ok());
    st.store.set_user_role(&ctx.audit()?, id, role, org).await?;
    Ok(())
}

/// The home page's figures: counts of public records, by chain and by region.
pub async fn figures(st: &App) -> Result<std::sync::Arc<duijie_store::stats::Figures>, AppError> {
    st.memo("figures".into(), || async { Ok(st.store.figures().await?) })
        .await
}

/// Whom the owner of record `id` has let see its confidential fields, and every organisation
/// it could share with — for those who may edit the record; nothing for anyone else.
#[allow(clippy::type_complexity)]
pub async fn sharing<R: Resource>(
    st: &App,
    ctx: &Caller,
    owner: i64,
    id: i64,
) -> Result<
    (
        Vec<duijie_store::grant::GrantRow>,
        Vec<(i64, String, String)>,
    ),
    AppError,
> {
    if !ctx.acts_for(owner) {
        return Ok((Vec::new(), Vec::new()));
    }
    Ok((
        st.store.grants(R::ENTITY, id).await?,
        st.store.organisation_names().await?,
    ))
}
