//! Outcomes officers record: a company rooted in a Hebei city or an industrial project, linked
//! to the scenario, achievement, event or challenge that led to it.

use duijie_domain::pipeline::OutcomeKind;
use duijie_store::outcome::OutcomeInput;
use duijie_store::StoreError;

use crate::service::field_err;
use crate::{App, AppError, Caller, FormData};

/// Record an outcome (staff only). Each link must name a record that exists; the error says
/// which does not.
pub async fn record(st: &App, ctx: &Caller, form: &FormData) -> Result<(), AppError> {
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
    st.store.record_outcome(&ctx.audit()?, &o).await?;
    Ok(())
}
