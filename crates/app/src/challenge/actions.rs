//! The use cases of a challenge list: its life cycle, terms, applications, reviews, the
//! selection and milestone rounds, experts' profiles.

use super::*;

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
    // Each expert is told once, with how many applications are theirs to review.
    let mut per_expert: std::collections::BTreeMap<i64, usize> = Default::default();
    for &(_, user, _) in &pairs {
        *per_expert.entry(user).or_default() += 1;
    }
    let notices: Vec<duijie_store::notice::NoticeInput> = per_expert
        .into_iter()
        .map(|(user, n)| duijie_store::notice::NoticeInput {
            to: duijie_store::notice::Recipient::User(user),
            kind: duijie_domain::docking::NoticeKind::ReviewAssigned,
            subject: "challenge",
            subject_id: id,
            title: format!("{}（{n} 份申报待评审）", c.title_zh),
            title_en: format!(
                "{} ({n} application(s) to review)",
                if c.title_en.is_empty() {
                    &c.title_zh
                } else {
                    &c.title_en
                }
            ),
            reason: String::new(),
            actor_id: ctx.user.as_ref().map(|u| u.id),
        })
        .collect();
    st.store
        .save_assignment(&ctx.audit()?, id, round, &pairs, (c.status, next), &notices)
        .await?;
    crate::notice::deliver(st, &notices).await;
    Ok(())
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
