//! Free-text matching (paste a need, in Chinese or English, and get explained matches) and the
//! inbox of match notices.

use axum::extract::{Query, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use duijie_match::fit::Need;
use duijie_search::DocKind;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::matching::{matches, Source};
use crate::templates::render;
use crate::AppState;

/// The form of the free-text match page (and the API's query).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MatchParams {
    /// The need (or offer) described in words.
    pub q: Option<String>,
    /// `achievements` (default) or `scenarios`.
    pub target: Option<String>,
    pub chain: Option<String>,
    pub region: Option<String>,
    pub trl: Option<String>,
}

impl MatchParams {
    pub fn target(&self) -> Result<DocKind, AppError> {
        match self.target.as_deref().map(str::trim) {
            None | Some("") | Some("achievements") => Ok(DocKind::Achievement),
            Some("scenarios") => Ok(DocKind::Scenario),
            Some(other) => Err(crate::service::field_err(
                "target",
                &format!("must be achievements or scenarios, not \"{other}\""),
                &format!("须为 achievements 或 scenarios，而不是“{other}”"),
            )),
        }
    }

    /// The structured facts given with the text.
    pub fn need(&self) -> Result<Need, AppError> {
        use crate::service::{blank, field_err};
        let chain = blank(&self.chain)
            .map(|c| {
                crate::matching::chain(&c)
                    .ok_or_else(|| field_err("chain", "unknown chain", "未知的产业链"))
            })
            .transpose()?;
        let region = blank(&self.region)
            .map(|r| {
                crate::matching::region(&r)
                    .ok_or_else(|| field_err("region", "unknown region", "未知的地区"))
            })
            .transpose()?;
        let trl_required = blank(&self.trl)
            .map(|t| {
                t.parse::<u8>()
                    .ok()
                    .filter(|t| (1..=9).contains(t))
                    .ok_or_else(|| {
                        field_err("trl", "must be a whole number 1–9", "须为 1–9 的整数")
                    })
            })
            .transpose()?;
        Ok(Need {
            chain,
            field: None,
            region,
            trl_required,
            budget_wan: None,
        })
    }
}

/// Longest need text accepted (characters).
pub const MAX_TEXT: usize = 5000;

pub fn checked_text(q: &Option<String>) -> Result<Option<String>, AppError> {
    match q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) if t.chars().count() > MAX_TEXT => Err(crate::service::field_err(
            "q",
            &format!("at most {MAX_TEXT} characters"),
            &format!("不超过 {MAX_TEXT} 个字"),
        )),
        Some(t) => Ok(Some(t.to_string())),
    }
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<MatchParams>,
) -> Result<Html<String>, PageError> {
    let pe = |err: AppError| PageError {
        err,
        lang: ctx.lang,
    };
    let target = p.target().map_err(pe)?;
    let need = p.need().map_err(pe)?;
    let text = checked_text(&p.q).map_err(pe)?;
    let found = match &text {
        Some(t) => matches(
            st.engine(),
            &Source::Text {
                text: t,
                need: Box::new(need),
            },
            target,
            20,
        )
        .await
        .map_err(pe)?,
        None => Vec::new(),
    };
    let target_path = if target == DocKind::Scenario {
        "scenarios"
    } else {
        "achievements"
    };
    let verified = duijie_app::organisation::verified_ids(&st)
        .await
        .map_err(|err| PageError {
            err,
            lang: ctx.lang,
        })?;
    let extra = context! {
        verified_orgs => verified,
        q => text, target => target_path, matches => found,
        chain => p.chain, region => p.region, trl => p.trl,
        semantic => st.semantic.is_some(),
    };
    render(&st, &ctx, "/match", "match.html", extra)
}

/// The signed-in user's notices: each step of its dockings, contracts and verification, and
/// the match notices of its organisation.
pub async fn inbox(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let pe = |err: AppError| PageError {
        err,
        lang: ctx.lang,
    };
    let inbox = duijie_app::notice::inbox(&st, &ctx).await.map_err(pe)?;
    let has_org = ctx.user.as_ref().is_some_and(|u| u.org_id.is_some());
    let extra = context! { notices => inbox.notices, items => inbox.matches, has_org => has_org };
    render(&st, &ctx, "/inbox", "inbox.html", extra)
}

/// Mark every notice read.
pub async fn mark_read(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let pe = |err: AppError| PageError {
        err,
        lang: ctx.lang,
    };
    ctx.require_user().map_err(pe)?;
    ctx.check_csrf(crate::form::FormData(pairs).get("csrf"))
        .map_err(pe)?;
    duijie_app::notice::mark_read(&st, &ctx).await.map_err(pe)?;
    Ok(Redirect::to("/inbox"))
}
