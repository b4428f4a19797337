//! Challenge lists between pages and store: who may see and do what, form parsing, automatic
//! conflicts, reviewer assignment (duijie-assign) and the ranked summary.

use std::collections::HashMap;

use duijie_assign::review::{affinity, aggregate, names_anyone, Scored, Summary};
use duijie_domain::challenge::{ApplicationStatus, ChallengeMode, ChallengeStatus, ChallengeStep};
use duijie_store::challenge::{
    ApplicationInput, ApplicationRow, ChallengeInput, ChallengeRow, ExpertRow, ReviewRow,
};

use crate::error::AppError;
use crate::form::FormData;
use crate::service::field_err;
use crate::App;
use crate::Caller;

mod actions;
pub mod read;
mod review;

pub use actions::*;
pub use review::*;

/// Public once published; drafts and challenges under review only for the poser and staff.
pub fn may_see(ctx: &Caller, c: &ChallengeRow) -> bool {
    c.status.is_public() || ctx.acts_for(c.org_id)
}

/// Confidential details: the poser, staff, and organisations that accepted the terms.
/// A challenge the caller may see ("not found" otherwise).
pub async fn visible(st: &App, ctx: &Caller, id: i64) -> Result<ChallengeRow, AppError> {
    let c = st.store.challenge(id).await?;
    if may_see(ctx, &c) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn sees_confidential(st: &App, ctx: &Caller, c: &ChallengeRow) -> Result<bool, AppError> {
    if ctx.acts_for(c.org_id) {
        return Ok(true);
    }
    match ctx.member_org() {
        Some(org) => Ok(st.store.terms_accepted(c.id, org).await?),
        None => Ok(false),
    }
}

/// Review criteria, one per line `name:weight` (weights are relative).
pub fn criteria(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter_map(|l| {
            let (name, w) = l.rsplit_once([':', '：'])?;
            let w: f64 = w.trim().parse().ok()?;
            (w > 0.0 && !name.trim().is_empty()).then(|| (name.trim().to_string(), w))
        })
        .collect()
}

pub fn parse_challenge(form: &FormData) -> Result<ChallengeInput, AppError> {
    let title_zh = form.text("title_zh", 200, true)?;
    let title_en = form.text("title_en", 200, false)?;
    let deadline = form.text("deadline", 10, true)?;
    if chrono::NaiveDate::parse_from_str(&deadline, "%Y-%m-%d").is_err() {
        return Err(field_err(
            "deadline",
            "must be a date like 2027-03-31",
            "须为日期，如 2027-03-31",
        ));
    }
    let Some(mode) = ChallengeMode::from_code(form.get("mode").unwrap_or("unveil")) else {
        return Err(field_err(
            "mode",
            "must be unveil or race",
            "须为揭榜挂帅或赛马",
        ));
    };
    let chain = match form.get("chain").map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) if duijie_domain::Chain::from_code(c).is_some() => Some(c.to_string()),
        Some(_) => return Err(field_err("chain", "unknown chain", "未知的产业链")),
        None => None,
    };
    let criteria_text = match form.text("criteria", 2000, false)? {
        t if t.is_empty() => "技术方案先进性 Technical merit:40\n指标可达性 Feasibility of targets:30\n团队能力 Team:20\n经费合理性 Budget:10".to_string(),
        t => t,
    };
    if criteria(&criteria_text).is_empty() {
        return Err(field_err(
            "criteria",
            "one criterion per line, name:weight",
            "每行一个评审标准，格式为 名称:权重",
        ));
    }
    let reviewers = form
        .get("reviewers")
        .unwrap_or("3")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=9).contains(n));
    Ok(ChallengeInput {
        title_en: if title_en.is_empty() {
            title_zh.clone()
        } else {
            title_en
        },
        title_zh,
        problem: form.text("problem", 10_000, true)?,
        targets: form.text("targets", 5_000, true)?,
        deliverables: form.text("deliverables", 5_000, false)?,
        chain,
        funding_fen: form.wan("funding_wan")?,
        deadline,
        ip_terms: form.text("ip_terms", 5_000, false)?,
        confidential: form.text("confidential", 10_000, false)?,
        mode,
        criteria: criteria_text,
        reviewers: reviewers.ok_or_else(|| field_err("reviewers", "must be 1–9", "须为 1–9"))?,
    })
}

pub fn parse_application(form: &FormData, own: i64) -> Result<ApplicationInput, AppError> {
    let mut partners = Vec::new();
    for (k, v) in &form.0 {
        if k == "partner" && !v.trim().is_empty() {
            let id: i64 = v
                .trim()
                .parse()
                .map_err(|_| field_err("partner", "not an organisation", "不是机构编号"))?;
            if id != own && !partners.contains(&id) {
                partners.push(id);
            }
        }
    }
    let mut milestones = form.text("milestones", 5_000, false)?;
    if milestones.is_empty() {
        milestones = milestone_rows(form)?;
    }
    let mut members = form.text("members", 5_000, false)?;
    if members.is_empty() {
        members = member_rows(form)?;
    }
    Ok(ApplicationInput {
        partners,
        title: form.text("title", 200, true)?,
        plan: form.text("plan", 20_000, true)?,
        milestones,
        budget_fen: form.wan("budget_wan")?,
        members,
    })
}

/// The values of a repeated field, in order.
fn repeated<'a>(form: &'a FormData, name: &str) -> Vec<&'a str> {
    form.0
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .collect()
}

/// Milestones from the form's repeated rows (`ms_name`, `ms_date`, `ms_tranche`), as stored
/// (`name | date | tranche` per line); blank rows are skipped, a half-filled one is refused.
fn milestone_rows(form: &FormData) -> Result<String, AppError> {
    let (names, dates, tranches) = (
        repeated(form, "ms_name"),
        repeated(form, "ms_date"),
        repeated(form, "ms_tranche"),
    );
    let mut lines = Vec::new();
    for i in 0..names.len().max(dates.len()).max(tranches.len()) {
        let n = names.get(i).copied().unwrap_or_default();
        let d = dates.get(i).copied().unwrap_or_default();
        let t = tranches.get(i).copied().unwrap_or_default();
        if n.is_empty() && d.is_empty() && t.is_empty() {
            continue;
        }
        if n.is_empty() {
            return Err(field_err(
                "ms_name",
                "a milestone needs a name",
                "里程碑须填写名称",
            ));
        }
        if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            return Err(field_err(
                "ms_date",
                "a milestone needs a date like 2027-06-30",
                "里程碑须填写形如 2027-06-30 的日期",
            ));
        }
        if !t.is_empty() && !t.parse::<f64>().is_ok_and(|x| x.is_finite() && x >= 0.0) {
            return Err(field_err(
                "ms_tranche",
                "a tranche is a number of 10,000 yuan",
                "拨付金额须为非负的万元数",
            ));
        }
        lines.push(format!("{} | {d} | {t}", n.replace(['|', '｜'], "/")));
    }
    Ok(lines.join("\n"))
}

/// Team members from the repeated rows (`member_name`, `member_affiliation`), as stored.
fn member_rows(form: &FormData) -> Result<String, AppError> {
    let (names, places) = (
        repeated(form, "member_name"),
        repeated(form, "member_affiliation"),
    );
    let mut lines = Vec::new();
    for i in 0..names.len().max(places.len()) {
        let n = names.get(i).copied().unwrap_or("");
        let a = places.get(i).copied().unwrap_or("");
        if n.is_empty() && a.is_empty() {
            continue;
        }
        if n.is_empty() {
            return Err(field_err(
                "member_name",
                "a member needs a name",
                "团队成员须填写姓名",
            ));
        }
        lines.push(format!(
            "{} | {}",
            n.replace(['|', '｜'], "/"),
            a.replace(['|', '｜'], "/")
        ));
    }
    Ok(lines.join("\n"))
}

/// Why `expert` may not review `app`, if they may not: own organisation (lead or partner), a
/// collaborator named in the team or its organisations, or a declared conflict.
pub fn conflict(
    expert: &ExpertRow,
    app: &ApplicationRow,
    org_names: &HashMap<i64, String>,
    declared: &[(i64, i64)],
) -> Option<String> {
    if let Some(org) = expert.org_id {
        if app.org_ids().contains(&org) {
            return Some("own organisation".into());
        }
    }
    let team: String = app
        .org_ids()
        .iter()
        .filter_map(|o| org_names.get(o).cloned())
        .chain([app.members.clone()])
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(name) = names_anyone(&expert.collaborators, &team) {
        return Some(format!("collaborator: {name}"));
    }
    declared
        .contains(&(expert.user_id, app.id))
        .then(|| "declared".into())
}
