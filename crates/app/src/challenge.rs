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
    Ok(ApplicationInput {
        partners,
        title: form.text("title", 200, true)?,
        plan: form.text("plan", 20_000, true)?,
        milestones: form.text("milestones", 5_000, false)?,
        budget_fen: form.wan("budget_wan")?,
        members: form.text("members", 5_000, false)?,
    })
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

/// Assign `reviewers` experts to each application of the round (exact, max total affinity).
/// `objective`: the largest total affinity (exact), or first the best worst-off application.
pub async fn assign(
    st: &App,
    c: &ChallengeRow,
    apps: &[ApplicationRow],
    objective: duijie_assign::Objective,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let experts = st.store.experts().await?;
    let declared: Vec<(i64, i64)> = st
        .store
        .declared_conflicts(c.id)
        .await?
        .into_iter()
        .map(|d| (d.user_id, d.application_id))
        .collect();
    let org_names: HashMap<i64, String> = st
        .store
        .all_organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, format!("{}\n{}", o.name_zh, o.name_en)))
        .collect();
    let mut input = duijie_assign::Input {
        applications: apps
            .iter()
            .map(|a| duijie_assign::Application {
                id: a.id.to_string(),
                reviewers: c.reviewers as u32,
            })
            .collect(),
        experts: experts
            .iter()
            .map(|e| duijie_assign::Expert {
                id: e.user_id.to_string(),
                max_load: e.max_load.max(0) as u32,
                min_load: 0,
            })
            .collect(),
        ..Default::default()
    };
    let texts: Vec<String> = apps
        .iter()
        .map(|a| format!("{}\n{}\n{}\n{}", c.title_zh, c.problem, a.title, a.plan))
        .collect();
    let semantic = semantic_affinity(st, &experts, &texts).await;
    for (i, a) in apps.iter().enumerate() {
        for (j, e) in experts.iter().enumerate() {
            if conflict(e, a, &org_names, &declared).is_some() {
                input
                    .conflicts
                    .push((a.id.to_string(), e.user_id.to_string()));
            } else {
                // Every non-conflicted expert is eligible; the affinity orders them.
                let lexical = affinity(&e.fields, &texts[i]);
                let score = match &semantic {
                    Some(m) => (lexical + m[j][i]) / 2.0,
                    None => lexical,
                };
                input.scores.push((
                    a.id.to_string(),
                    e.user_id.to_string(),
                    (score * 1000.0).round() / 1000.0,
                ));
            }
        }
    }
    let out = tokio::task::spawn_blocking(move || {
        let out = duijie_assign::assign(&input, objective)?;
        let wrong = duijie_assign::check(&input, &out);
        Ok::<_, duijie_assign::AssignError>((out, wrong, input))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (out, wrong, input) =
        out.map_err(|e| AppError::BadRequest(format!("Reviewers cannot be assigned: {e}")))?;
    if !wrong.is_empty() {
        return Err(AppError::Internal(format!(
            "assignment broke rules: {}",
            wrong.join("; ")
        )));
    }
    let score: HashMap<(&str, &str), f64> = input
        .scores
        .iter()
        .map(|(a, e, s)| ((a.as_str(), e.as_str()), *s))
        .collect();
    Ok(out
        .assignments
        .iter()
        .map(|(a, e)| {
            let milli = (score.get(&(a.as_str(), e.as_str())).copied().unwrap_or(0.0) * 1000.0)
                .round() as i64;
            (
                a.parse().unwrap_or_default(),
                e.parse().unwrap_or_default(),
                milli,
            )
        })
        .collect())
}

/// Cosine similarity of each expert's fields (as a query) to each application (as a passage)
/// with the embedding model, when it is loaded: `[expert][application]`, 0 for empty fields.
async fn semantic_affinity(
    st: &App,
    experts: &[ExpertRow],
    texts: &[String],
) -> Option<Vec<Vec<f64>>> {
    let semantic = st.semantic.clone()?;
    let fields: Vec<String> = experts.iter().map(|e| e.fields.clone()).collect();
    let texts = texts.to_vec();
    let job = tokio::task::spawn_blocking(move || {
        let q: Vec<&str> = fields
            .iter()
            .map(|f| if f.is_empty() { "-" } else { f.as_str() })
            .collect();
        let p: Vec<&str> = texts.iter().map(String::as_str).collect();
        let eq = semantic.model.queries(&q).ok()?;
        let ep = semantic.model.passages(&p).ok()?;
        let unit = |v: &Vec<f32>| {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter().map(|x| f64::from(x / n)).collect::<Vec<f64>>()
        };
        let (eq, ep): (Vec<_>, Vec<_>) =
            (eq.iter().map(unit).collect(), ep.iter().map(unit).collect());
        Some(
            eq.iter()
                .zip(&fields)
                .map(|(e, f)| {
                    ep.iter()
                        .map(|a| {
                            if f.is_empty() {
                                0.0
                            } else {
                                e.iter().zip(a).map(|(x, y)| x * y).sum::<f64>().max(0.0)
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    });
    job.await.ok().flatten()
}

/// A review's weighted score, 0–100, from its criterion scores (0–10).
/// A step on the challenge's life cycle by button (`action`: submit, publish, return, close,
/// execute, accept, fail): the posing organisation submits; staff take every other step.
pub async fn take_step(
    st: &App,
    ctx: &Caller,
    id: i64,
    action: Option<&str>,
) -> Result<(), AppError> {
    let c = st.store.challenge(id).await?;
    if !may_see(ctx, &c) {
        return Err(AppError::NotFound);
    }
    let Some(step) = action.and_then(ChallengeStep::from_code) else {
        return Err(field_err("action", "unknown action", "未知的操作"));
    };
    let allowed = if step.by_owner() {
        ctx.acts_for(c.org_id)
    } else {
        ctx.is_staff()
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let (from, to) = step.moves();
    if c.status != from {
        return Err(AppError::Conflict("status"));
    }
    st.store
        .set_challenge_status(&ctx.audit()?, id, from, to, c.round)
        .await?;
    Ok(())
}

/// Assign reviewers (staff only): the selection round when applications are closed, the next
/// milestone round for the racing teams during execution. The assignment and the challenge's
/// move to its next status are one transaction.
pub async fn assign_reviewers(
    st: &App,
    ctx: &Caller,
    id: i64,
    objective: duijie_assign::Objective,
) -> Result<(), AppError> {
    if !ctx.is_staff() {
        return Err(AppError::Forbidden);
    }
    let c = st.store.challenge(id).await?;
    if !may_see(ctx, &c) {
        return Err(AppError::NotFound);
    }
    let apps = st.store.applications(id).await?;
    let (round, next, apps): (i64, ChallengeStatus, Vec<ApplicationRow>) = match c.status {
        ChallengeStatus::Closed => (
            0,
            ChallengeStatus::Reviewing,
            apps.into_iter()
                .filter(|a| a.status == ApplicationStatus::Submitted)
                .collect(),
        ),
        ChallengeStatus::Executing => (
            c.round + 1,
            ChallengeStatus::Executing,
            apps.into_iter()
                .filter(|a| {
                    matches!(
                        a.status,
                        ApplicationStatus::Racing | ApplicationStatus::Awarded
                    )
                })
                .collect(),
        ),
        _ => return Err(AppError::Conflict("status")),
    };
    if apps.is_empty() {
        return Err(AppError::BadRequest(
            if ctx.lang == "en" {
                "No applications to review."
            } else {
                "没有需要评审的申请。"
            }
            .into(),
        ));
    }
    let pairs = assign(st, &c, &apps, objective).await?;
    st.store
        .save_assignment(&ctx.audit()?, id, round, &pairs, (c.status, next))
        .await?;
    Ok(())
}

pub fn weighted(criteria: &[(String, f64)], scores: &serde_json::Value) -> Option<f64> {
    let total: f64 = criteria.iter().map(|c| c.1).sum();
    let mut sum = 0.0;
    for (name, w) in criteria {
        sum += scores.get(name)?.as_f64()? * w;
    }
    (total > 0.0).then(|| sum / total * 10.0)
}

/// The ranked summary of one round's submitted reviews.
pub fn summary(c: &ChallengeRow, reviews: &[ReviewRow], round: i64) -> Vec<Summary> {
    let crit = criteria(&c.criteria);
    let scored: Vec<Scored> = reviews
        .iter()
        .filter(|r| r.round == round)
        .filter_map(|r| {
            let v: serde_json::Value = serde_json::from_str(r.scores.as_deref()?).ok()?;
            Some(Scored {
                application: r.application_id,
                expert: r.user_id,
                score: weighted(&crit, &v)?,
            })
        })
        .collect();
    aggregate(&scored)
}

/// The selection (staff): the winning team (several in horse racing), and the reason for every
/// team not selected; the challenge is awarded in the same transaction.
pub async fn decide(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    if !ctx.is_staff() {
        return Err(AppError::Forbidden);
    }
    let c = st.store.challenge(id).await?;
    if !may_see(ctx, &c) {
        return Err(AppError::NotFound);
    }
    if c.status != ChallengeStatus::Reviewing {
        return Err(AppError::Conflict("status"));
    }
    let apps: Vec<ApplicationRow> = st
        .store
        .applications(id)
        .await?
        .into_iter()
        .filter(|a| a.status == ApplicationStatus::Submitted)
        .collect();
    let awarded: Vec<i64> = form
        .0
        .iter()
        .filter(|(k, _)| k == "award")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let count = apps.iter().filter(|a| awarded.contains(&a.id)).count();
    if count == 0 || (c.mode == ChallengeMode::Unveil && count != 1) {
        return Err(field_err(
            "award",
            "choose the winning team (one; several in horse racing)",
            "请选择中榜团队（揭榜挂帅一个，赛马可多个）",
        ));
    }
    let mut decisions = Vec::new();
    for a in &apps {
        let reason = form
            .get(&format!("reason_{}", a.id))
            .unwrap_or("")
            .trim()
            .to_string();
        let win = awarded.contains(&a.id);
        if !win && reason.is_empty() {
            return Err(field_err(
                &format!("reason_{}", a.id),
                "rejected teams are told why",
                "未中榜的团队须说明理由",
            ));
        }
        let status = match (win, c.mode) {
            (true, ChallengeMode::Race) => ApplicationStatus::Racing,
            (true, _) => ApplicationStatus::Awarded,
            (false, _) => ApplicationStatus::Rejected,
        };
        decisions.push((a.id, status, reason));
    }
    st.store
        .decide(
            &ctx.audit()?,
            id,
            &decisions,
            ChallengeStatus::Reviewing,
            ChallengeStatus::Awarded,
        )
        .await?;
    Ok(())
}

/// A milestone round's decisions (staff): each team reviewed in the round passes (with a
/// tranche) or is dropped (with a reason), all in one transaction.
pub async fn milestone(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    if !ctx.is_staff() {
        return Err(AppError::Forbidden);
    }
    let c = st.store.challenge(id).await?;
    if !may_see(ctx, &c) {
        return Err(AppError::NotFound);
    }
    if c.status != ChallengeStatus::Executing || c.round < 1 {
        return Err(AppError::Conflict("status"));
    }
    let reviewed: Vec<i64> = st
        .store
        .reviews(id)
        .await?
        .iter()
        .filter(|r| r.round == c.round)
        .map(|r| r.application_id)
        .collect();
    let done: Vec<i64> = st
        .store
        .milestones(id)
        .await?
        .iter()
        .filter(|m| m.round == c.round)
        .map(|m| m.application_id)
        .collect();
    let apps: Vec<ApplicationRow> = st
        .store
        .applications(id)
        .await?
        .into_iter()
        .filter(|a| reviewed.contains(&a.id) && !done.contains(&a.id))
        .collect();
    if apps.is_empty() {
        return Err(AppError::Conflict("round"));
    }
    let audit = ctx.audit()?;
    let mut plan = Vec::new();
    for a in &apps {
        let passed = match form.get(&format!("pass_{}", a.id)) {
            Some("1") => true,
            Some("0") => false,
            _ => {
                return Err(field_err(
                    &format!("pass_{}", a.id),
                    "pass or drop each team",
                    "请为每个团队选择通过或淘汰",
                ))
            }
        };
        let reason = form
            .get(&format!("reason_{}", a.id))
            .unwrap_or("")
            .trim()
            .to_string();
        if !passed && reason.is_empty() {
            return Err(field_err(
                &format!("reason_{}", a.id),
                "dropped teams are told why",
                "被淘汰的团队须说明理由",
            ));
        }
        let tranche = match form
            .get(&format!("tranche_{}", a.id))
            .map(str::trim)
            .filter(|t| !t.is_empty() && passed)
        {
            Some(t) => duijie_domain::Money::parse_wan(&format!("tranche_{}", a.id), t)
                .map_err(|e| AppError::Invalid(duijie_domain::Invalid::one(e)))?
                .fen(),
            None => 0,
        };
        plan.push((a.id, passed, reason, tranche));
    }
    st.store.milestone(&audit, c.round, &plan).await?;
    Ok(())
}

/// A member accepts a challenge's terms for their organisation (not the poser's own).
pub async fn accept_terms(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let c = visible(st, ctx, id).await?;
    let Some(org) = ctx.member_org().filter(|&o| o != c.org_id) else {
        return Err(AppError::Forbidden);
    };
    if form.get("agree") != Some("1") {
        return Err(field_err(
            "agree",
            "tick the box to accept the terms",
            "请勾选同意条款",
        ));
    }
    let (user, _) = ctx.require_user()?;
    st.store
        .accept_terms(&ctx.audit()?, c.id, org, user.id)
        .await?;
    Ok(())
}

/// An application from the member's organisation: not the poser, only while published and
/// before the deadline, and only after accepting the terms.
pub async fn apply(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let c = visible(st, ctx, id).await?;
    let Some(org) = ctx.member_org() else {
        return Err(AppError::Forbidden);
    };
    if org == c.org_id {
        return Err(AppError::BadRequest(
            if ctx.lang == "en" {
                "The poser cannot apply to its own challenge."
            } else {
                "发榜单位不能揭自己的榜。"
            }
            .into(),
        ));
    }
    let today = st.clock.today().to_string();
    if c.status != ChallengeStatus::Published || today > c.deadline {
        return Err(AppError::Conflict("status"));
    }
    if !st.store.terms_accepted(id, org).await? {
        return Err(field_err(
            "agree",
            "accept the challenge's terms first",
            "请先同意榜单条款",
        ));
    }
    let input = parse_application(form, org)?;
    st.store.apply(&ctx.audit()?, id, org, &input).await?;
    Ok(())
}

/// An expert's scores (0–10 per criterion) and comment for their own review of this round.
pub async fn submit_review(
    st: &App,
    ctx: &Caller,
    id: i64,
    rid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let c = visible(st, ctx, id).await?;
    let (user, _) = ctx.require_user()?;
    let r = st.store.review(id, rid).await?;
    if r.user_id != user.id {
        return Err(AppError::Forbidden);
    }
    if r.round != c.round || r.submitted_at.is_some() {
        return Err(AppError::Conflict("review"));
    }
    let mut scores = serde_json::Map::new();
    for (i, (name, _)) in criteria(&c.criteria).iter().enumerate() {
        let field = format!("score_{i}");
        let v = form
            .get(&field)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| (0.0..=10.0).contains(v));
        let v = v.ok_or_else(|| {
            field_err(
                &field,
                &format!("{name}: a score from 0 to 10"),
                &format!("{name}：0–10 分"),
            )
        })?;
        scores.insert(name.clone(), serde_json::json!(v));
    }
    let comment: String = form
        .get("comment")
        .unwrap_or("")
        .trim()
        .chars()
        .take(5000)
        .collect();
    st.store
        .submit_review(
            &ctx.audit()?,
            rid,
            &serde_json::Value::Object(scores).to_string(),
            &comment,
        )
        .await?;
    Ok(())
}

/// An expert (or staff) declares a conflict of interest with an application.
pub async fn declare_conflict(
    st: &App,
    ctx: &Caller,
    id: i64,
    aid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    visible(st, ctx, id).await?;
    let (user, actor) = ctx.require_user()?;
    if !(actor.role == duijie_domain::Role::Expert || actor.role.is_staff()) {
        return Err(AppError::Forbidden);
    }
    let apps = st.store.applications(id).await?;
    if !apps.iter().any(|a| a.id == aid) {
        return Err(AppError::NotFound);
    }
    let reason: String = form
        .get("reason")
        .unwrap_or("")
        .trim()
        .chars()
        .take(500)
        .collect();
    st.store
        .declare_conflict(&ctx.audit()?, user.id, aid, &reason)
        .await?;
    Ok(())
}

/// A challenge posed by organisation `org` (the caller may publish for it), as a draft.
pub async fn create(st: &App, ctx: &Caller, org: i64, form: &FormData) -> Result<i64, AppError> {
    let input = parse_challenge(form)?;
    Ok(st
        .store
        .create_challenge(&ctx.audit()?, org, &input)
        .await?)
}

/// An expert's own profile: fields, collaborators (for conflicts) and how many reviews they
/// take at most.
pub async fn save_expert_profile(st: &App, ctx: &Caller, form: &FormData) -> Result<(), AppError> {
    let (user, actor) = ctx.require_user()?;
    if actor.role != duijie_domain::Role::Expert {
        return Err(AppError::Forbidden);
    }
    let fields: String = form
        .get("fields")
        .unwrap_or("")
        .trim()
        .chars()
        .take(2000)
        .collect();
    let collaborators: String = form
        .get("collaborators")
        .unwrap_or("")
        .trim()
        .chars()
        .take(5000)
        .collect();
    let load = form
        .get("max_load")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| (0..=100).contains(n));
    let load =
        load.ok_or_else(|| field_err("max_load", "a whole number 0–100", "须为 0–100 的整数"))?;
    st.store
        .set_expert_profile(&ctx.audit()?, user.id, &fields, &collaborators, load)
        .await?;
    Ok(())
}
