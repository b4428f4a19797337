//! Outcomes officers record: a company rooted in a Hebei city or an industrial project, linked
//! to the scenario, achievement, event or challenge that led to it.

use duijie_domain::pipeline::OutcomeKind;
use duijie_store::outcome::{Group, OutcomeInput, OutcomeRow, Totals};
use duijie_store::StoreError;

use crate::service::field_err;
use crate::{App, AppError, Caller, FormData};

/// Record an outcome (staff only). Each link must name a record that exists; the error says
/// which does not.
pub async fn record(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    if !ctx.is_staff() {
        return Err(AppError::Forbidden);
    }
    let id = |name: &str| form.get(name).and_then(|s| s.trim().parse::<i64>().ok());
    let Some(kind) = OutcomeKind::from_code(form.get("kind").unwrap_or("")) else {
        return Err(field_err(
            "kind",
            "is company or project",
            "须为企业落户或产业项目",
        ));
    };
    let city = form.region()?;
    let source = form.get("source_region").unwrap_or("").to_string();
    if !matches!(source.as_str(), "beijing" | "tianjin" | "hebei" | "other") {
        return Err(field_err(
            "source_region",
            "is beijing, tianjin, hebei or other",
            "须为北京、天津、河北或其他",
        ));
    }
    let o = OutcomeInput {
        title: form.text("title", 200, true)?,
        org_id: id("org_id"),
        city,
        chain: form.chain()?,
        source_region: source,
        amount_fen: form.wan("amount_wan")?,
        occurred_on: form.day("occurred_on")?.to_string(),
        scenario_id: id("scenario_id"),
        achievement_id: id("achievement_id"),
        gathering_id: id("gathering_id"),
        challenge_id: id("challenge_id"),
        note: form.text("note", 2000, false)?,
        kind,
    };
    let gone = |field: &'static str| {
        move |e: StoreError| match e {
            StoreError::NotFound => field_err(
                field,
                "links to a record that does not exist",
                "关联的记录不存在",
            ),
            other => other.into(),
        }
    };
    if let Some(id) = o.org_id {
        st.store.organisation(id).await.map_err(gone("org_id"))?;
    }
    if let Some(id) = o.scenario_id {
        st.store.scenario(id).await.map_err(gone("scenario_id"))?;
    }
    if let Some(id) = o.achievement_id {
        st.store
            .achievement(id)
            .await
            .map_err(gone("achievement_id"))?;
    }
    if let Some(id) = o.gathering_id {
        st.store.gathering(id).await.map_err(gone("gathering_id"))?;
    }
    if let Some(id) = o.challenge_id {
        st.store.challenge(id).await.map_err(gone("challenge_id"))?;
    }
    Ok(st.store.record_outcome(&ctx.audit()?, &o).await?)
}

/// The breakdowns the statistics show: (metric, dimension).
const BREAKDOWNS: [(&str, &str); 15] = [
    ("scenarios", "year"),
    ("achievements", "year"),
    ("companies", "year"),
    ("projects", "year"),
    ("investments", "year"),
    ("scenarios", "chain"),
    ("achievements", "chain"),
    ("companies", "chain"),
    ("projects", "chain"),
    ("investments", "chain"),
    ("companies", "city"),
    ("projects", "city"),
    ("achievements", "source"),
    ("companies", "source"),
    ("projects", "source"),
];

/// What the platform achieved in `year` ("" for all years), counted from the records.
pub struct Statistics {
    pub totals: Totals,
    /// (metric, dimension, groups) for each of the breakdowns.
    pub groups: Vec<(&'static str, &'static str, Vec<Group>)>,
}

/// A year as the statistics take it: "" (all years) or four digits.
pub fn year(text: Option<&str>) -> Result<String, AppError> {
    let y = text.unwrap_or_default().to_string();
    if y.is_empty() || (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit())) {
        Ok(y)
    } else {
        Err(field_err("year", "is not a year", "不是年份"))
    }
}

pub async fn statistics(st: &App, year: &str) -> Result<std::sync::Arc<Statistics>, AppError> {
    st.memo(format!("outcomes:{year}"), || async {
        let totals = st.store.totals(year).await?;
        let mut groups = Vec::new();
        for (metric, dim) in BREAKDOWNS {
            groups.push((metric, dim, st.store.breakdown(metric, dim, year).await?));
        }
        Ok(Statistics { totals, groups })
    })
    .await
}

/// Every recorded outcome (public).
pub async fn recorded(st: &App) -> Result<Vec<OutcomeRow>, AppError> {
    Ok(st.store.outcomes().await?)
}

/// (id, title) of every challenge and every gathering, for staff to link an outcome to (empty
/// for anyone else).
pub async fn link_choices(
    st: &App,
    ctx: &Caller,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), AppError> {
    if !ctx.is_staff() {
        return Ok((Vec::new(), Vec::new()));
    }
    Ok((
        st.store
            .challenges()
            .await?
            .into_iter()
            .map(|c| (c.id, c.title_zh))
            .collect(),
        st.store
            .gatherings()
            .await?
            .into_iter()
            .map(|g| (g.id, g.title_zh))
            .collect(),
    ))
}
