//! Scenario Gatherings in JSON: the list, and one event with its slots, participants and the
//! requests and meetings the caller may see.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::AppState;

pub async fn list(State(st): State<AppState>) -> Result<Json<Value>, ApiError> {
    let items = st
        .store
        .gatherings()
        .await
        .map_err(|e| ApiError(e.into()))?;
    Ok(Json(json!({ "items": items })))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let db = |e: duijie_store::StoreError| ApiError(e.into());
    let gathering = st.store.gathering(id).await.map_err(db)?;
    let slots = st.store.gathering_slots(id).await.map_err(db)?;
    // Contact e-mails are for the organisers and the participant's own organisation.
    let people: Vec<Value> = st
        .store
        .participants(id)
        .await
        .map_err(db)?
        .into_iter()
        .map(|p| {
            let email = if ctx.acts_for(p.org_id) {
                Some(p.email.clone())
            } else {
                None
            };
            json!({
                "id": p.id, "name": p.name, "title": p.title, "side": p.side, "org_id": p.org_id,
                "org_name_zh": p.org_name_zh, "org_name_en": p.org_name_en,
                "unavailable": p.unavailable_ids(), "email": email,
            })
        })
        .collect();
    let (requests, meetings) = crate::gathering::visible(
        &ctx,
        st.store.requests(id).await.map_err(db)?,
        st.store.meetings(id).await.map_err(db)?,
    );
    let report: Option<Value> = gathering
        .schedule_report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    Ok(Json(json!({
        "gathering": gathering, "slots": slots, "participants": people,
        "requests": requests, "meetings": meetings, "report": report,
    })))
}
