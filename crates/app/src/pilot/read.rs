//! What each caller may read of pilot platforms and one-stop cases: the platforms (ranked by
//! fit for one of the member's achievements, with reasons), a platform's services, the next six
//! weeks of its calendar and the requests the caller may see (with the earliest day each could
//! still be booked), the cases the caller may see and their stuck steps.

use chrono::{Duration, NaiveDate};
use duijie_domain::pipeline::StepStatus;
use duijie_pipeline::calendar::Day;
use duijie_pipeline::fit::{platform_fit, Fit, NeedProfile, PlatformProfile};
use duijie_store::achievement::AchievementRow;
use duijie_store::listing::ListFilter;
use duijie_store::pilot::{CaseRow, PlatformRow, RequestRow, ServiceRow, StepRow};
use duijie_store::Viewer;
use serde::Serialize;

use super::own_case;
use crate::{App, AppError, Caller};

/// The signed-in member's own achievements (none for staff and experts).
pub async fn my_achievements(st: &App, ctx: &Caller) -> Result<Vec<AchievementRow>, AppError> {
    match ctx.member_org() {
        Some(org) => {
            let mut f = ListFilter::new(Viewer::Org(org));
            f.org_id = Some(org);
            Ok(st.store.achievements(&f, None).await?.0)
        }
        None => Ok(Vec::new()),
    }
}

/// (id, Chinese title, English title) of the member's achievements, for a select.
pub async fn my_titles(st: &App, ctx: &Caller) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(my_achievements(st, ctx)
        .await?
        .into_iter()
        .map(|a| (a.id, a.title_zh, a.title_en))
        .collect())
}

/// Free units in the next 30 days and the most there could be.
async fn free_next_month(st: &App, p: &PlatformRow) -> Result<(u64, u64), AppError> {
    let cal = st.store.calendar(p.id).await?;
    let (from, to) = (st.clock.today(), st.clock.today() + Duration::days(29));
    let full: u64 = cal
        .days(from, to)
        .iter()
        .map(|d| u64::from(d.capacity))
        .sum();
    Ok((cal.free_units(from, to), full))
}

/// A platform in the list, with its fit (score 0–100 and reasons) when ranked for an
/// achievement.
#[derive(Serialize)]
pub struct PlatformItem {
    pub p: PlatformRow,
    pub fit: Option<Fit>,
    pub score: Option<i64>,
}

/// The platforms of `kind` (all for `None`); ranked by fit for `achievement` when it is one of
/// the member's own. Also the member's achievements, for the chooser.
pub async fn platforms(
    st: &App,
    ctx: &Caller,
    kind: Option<&str>,
    achievement: Option<i64>,
) -> Result<(Vec<PlatformItem>, Vec<(i64, String, String)>), AppError> {
    let all = st.store.platforms().await?;
    let mine = my_achievements(st, ctx).await?;
    let target = achievement.and_then(|id| mine.iter().find(|a| a.id == id).cloned());
    let mut items = Vec::new();
    for p in all
        .into_iter()
        .filter(|p| kind.is_none_or(|k| p.f.kind.code() == k))
    {
        let fit = match &target {
            Some(a) => {
                let (free, full) = free_next_month(st, &p).await?;
                let profile = PlatformProfile {
                    chain: p.f.chain.clone(),
                    fields: p.f.fields.clone(),
                    equipment: p.f.equipment.clone(),
                    region: p.f.region.clone(),
                    kinds: p.kinds.clone(),
                    free_units: free,
                    full_units: full,
                };
                let need = NeedProfile {
                    chain: a.chain.clone(),
                    text: format!("{} {} {} {}", a.title_zh, a.summary_zh, a.title_en, a.field),
                    kind: String::new(),
                };
                Some(platform_fit(&profile, &need))
            }
            None => None,
        };
        items.push(PlatformItem {
            score: fit.as_ref().map(|f| (f.score * 100.0).round() as i64),
            p,
            fit,
        });
    }
    if target.is_some() {
        items.sort_by(|a, b| {
            let s = |x: &Option<Fit>| x.as_ref().map_or(0.0, |f| f.score);
            s(&b.fit).total_cmp(&s(&a.fit))
        });
    }
    let titles = mine
        .into_iter()
        .map(|a| (a.id, a.title_zh, a.title_en))
        .collect();
    Ok((items, titles))
}

/// A service request as the caller sees it on the platform page.
#[derive(Serialize)]
pub struct RequestView {
    pub r: RequestRow,
    /// The earliest day from which it still fits the calendar (within a year).
    pub earliest: Option<String>,
    /// The caller acts for the requesting organisation.
    pub mine: bool,
}

/// `days` (from `today` on) laid out in weeks from the Monday of `today`'s week.
fn weeks_of(today: NaiveDate, days: &[Day]) -> Vec<Vec<Option<Day>>> {
    let lead = chrono::Datelike::weekday(&today).num_days_from_monday() as usize;
    let cells: Vec<Option<Day>> = std::iter::repeat_n(None, lead)
        .chain(days.iter().copied().map(Some))
        .collect();
    cells
        .chunks(7)
        .map(|w| {
            let mut w = w.to_vec();
            w.resize(7, None);
            w
        })
        .collect()
}

/// Everything the platform page shows the caller.
#[derive(Serialize)]
pub struct PlatformPage {
    pub p: PlatformRow,
    pub services: Vec<ServiceRow>,
    /// The caller operates the platform.
    pub operator: bool,
    /// The calendar from today to the end of the sixth week.
    pub days: Vec<Day>,
    /// The same six weeks as weeks, Monday first (days before today empty).
    pub weeks: Vec<Vec<Option<Day>>>,
    /// All requests for the operator; the caller's own for anyone else.
    pub requests: Vec<RequestView>,
    pub mine: Vec<(i64, String, String)>,
    pub may_request: bool,
}

pub async fn platform(st: &App, ctx: &Caller, id: i64) -> Result<PlatformPage, AppError> {
    let p = st.store.platform(id).await?;
    let services = st.store.services(id).await?;
    let operator = ctx.acts_for(p.org_id);
    let cal = st.store.calendar(id).await?;
    let today = st.clock.today();
    // Six whole weeks, Monday of this week to Sunday of the sixth.
    let lead = i64::from(chrono::Datelike::weekday(&today).num_days_from_monday());
    let days = cal.days(today, today + Duration::days(41 - lead));
    let weeks = weeks_of(today, &days);
    let requests = st
        .store
        .service_requests(Some(id))
        .await?
        .into_iter()
        .filter(|r| operator || ctx.acts_for(r.org_id))
        .map(|r| {
            let earliest = NaiveDate::parse_from_str(&r.wanted_from, "%Y-%m-%d")
                .ok()
                .map(|from| from.max(today))
                .and_then(|from| {
                    cal.earliest(from, r.days.max(1) as u32, r.units.max(0) as u32, 365)
                })
                .map(|d| d.to_string());
            RequestView {
                mine: ctx.acts_for(r.org_id),
                r,
                earliest,
            }
        })
        .collect();
    Ok(PlatformPage {
        p,
        services,
        operator,
        days,
        weeks,
        requests,
        mine: my_titles(st, ctx).await?,
        may_request: ctx.member_org().is_some() || ctx.is_staff(),
    })
}

/// A stuck step (blocked, or past its date and not done) with its case.
#[derive(Serialize)]
pub struct Stuck {
    pub s: StepRow,
    pub case: CaseRow,
}

/// A case in the list with its step counts.
#[derive(Serialize)]
pub struct CaseItem {
    pub c: CaseRow,
    pub steps: usize,
    pub done: usize,
}

/// The cases the caller may see (their organisation's; all for staff) and their stuck steps.
pub async fn cases(st: &App, ctx: &Caller) -> Result<(Vec<CaseItem>, Vec<Stuck>), AppError> {
    ctx.require_user()?;
    let all = st.store.cases().await?;
    let steps = st.store.steps(None).await?;
    let today = st.clock.today().to_string();
    let visible: Vec<CaseRow> = all.into_iter().filter(|c| ctx.acts_for(c.org_id)).collect();
    let stuck = steps
        .iter()
        .filter(|s| {
            s.status == StepStatus::Blocked
                || (s.status != StepStatus::Done && !s.due_day.is_empty() && s.due_day < today)
        })
        .filter_map(|s| {
            let case = visible.iter().find(|c| c.id == s.case_id)?;
            Some(Stuck {
                s: s.clone(),
                case: case.clone(),
            })
        })
        .collect();
    let rows = visible
        .into_iter()
        .map(|c| {
            let mine: Vec<_> = steps.iter().filter(|s| s.case_id == c.id).collect();
            let done = mine.iter().filter(|s| s.status == StepStatus::Done).count();
            CaseItem {
                steps: mine.len(),
                done,
                c,
            }
        })
        .collect();
    Ok((rows, stuck))
}

/// One case the caller may see, with its steps.
pub async fn case(st: &App, ctx: &Caller, id: i64) -> Result<(CaseRow, Vec<StepRow>), AppError> {
    let c = own_case(st, ctx, id).await?;
    let steps = st.store.steps(Some(id)).await?;
    Ok((c, steps))
}
