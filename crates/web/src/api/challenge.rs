//! Challenge lists in JSON: the visible list, and one challenge with what the caller may see —
//! confidential details for the entitled, applications for staff, the poser (titles) and the
//! applicants (their own), reviews for staff (reviewers hidden where the officer is conflicted)
//! and for each expert their own.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use duijie_domain::Role;
use serde_json::{json, Value};

use crate::challenge::{may_see, sees_confidential, summary};
use crate::ctx::Ctx;
use crate::error::{ApiError, AppError};
use crate::AppState;

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Json<Value>, ApiError> {
    let items: Vec<_> = st
        .store
        .challenges()
        .await
        .map_err(|e| ApiError(e.into()))?
        .into_iter()
        .filter(|c| may_see(&ctx, c))
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let db = |e: duijie_store::StoreError| ApiError(e.into());
    let c = st.store.challenge(id).await.map_err(db)?;
    if !may_see(&ctx, &c) {
        return Err(ApiError(AppError::NotFound));
    }
    let confidential = if sees_confidential(&st, &ctx, &c).await? {
        Some(c.confidential.clone())
    } else {
        None
    };
    let staff = ctx.is_staff();
    let owner = ctx.acts_for(c.org_id);
    let org = ctx.member_org();
    let me = ctx.user.as_ref().map(|u| (u.id, u.org_id));
    let declared: Vec<(i64, i64)> = st
        .store
        .declared_conflicts(id)
        .await
        .map_err(db)?
        .into_iter()
        .map(|d| (d.user_id, d.application_id))
        .collect();
    let apps = st.store.applications(id).await.map_err(db)?;
    let conflicted = |a: &duijie_store::challenge::ApplicationRow| {
        me.is_some_and(|(uid, uorg)| {
            uorg.is_some_and(|o| a.org_ids().contains(&o)) || declared.contains(&(uid, a.id))
        })
    };
    let visible_apps: Vec<Value> = apps
        .iter()
        .filter_map(|a| {
            let mine = org.is_some_and(|o| a.org_ids().contains(&o));
            if staff || mine {
                Some(serde_json::to_value(a).unwrap_or_default())
            } else if owner {
                Some(json!({ "id": a.id, "org_id": a.org_id, "org_name_zh": a.org_name_zh, "title": a.title, "status": a.status }))
            } else {
                None
            }
        })
        .collect();
    let reviews = st.store.reviews(id).await.map_err(db)?;
    let visible_reviews: Vec<Value> = reviews
        .iter()
        .filter(|r| {
            let own =
                me.is_some_and(|(uid, _)| uid == r.user_id) && ctx.role() == Some(Role::Expert);
            own || (staff
                && !apps
                    .iter()
                    .any(|a| a.id == r.application_id && conflicted(a)))
        })
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    let ranked = if staff {
        serde_json::to_value(summary(&c, &reviews, c.round)).unwrap_or_default()
    } else {
        json!([])
    };
    Ok(Json(json!({
        "challenge": c, "confidential": confidential, "applications": visible_apps,
        "reviews": visible_reviews, "summary": ranked,
        "milestones": if staff || org.is_some() { serde_json::to_value(st.store.milestones(id).await.map_err(db)?).unwrap_or_default() } else { json!([]) },
    })))
}
