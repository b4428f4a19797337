//! What each caller may read of challenge lists: the list, one challenge's page and JSON (the
//! confidential details for the entitled, applications for staff, the poser (titles) and the
//! applicants (their own), reviewers hidden where the officer is conflicted, each expert's own
//! review tasks), the expert pool and the staff's Excel workbook.

use std::collections::HashMap;

use duijie_assign::review::Summary;
use duijie_domain::challenge::ChallengeStatus;
use duijie_domain::{Money, Role};
use duijie_search::DocKind;
use duijie_store::challenge::{ApplicationRow, ChallengeRow, ExpertRow, MilestoneRow, ReviewRow};
use serde::Serialize;
use serde_json::{json, Value};

use super::{criteria, may_see, sees_confidential, summary, visible};
use crate::matching::{self, Match, Source};
use crate::{App, AppError, Caller};

/// What the list is narrowed to: free text over titles, problem, targets and the poser; a
/// status code; a mode code.
#[derive(Debug, Default)]
pub struct ListFilter {
    pub q: String,
    pub status: Option<String>,
    pub mode: Option<String>,
}

/// The challenges the caller may see, narrowed by `f`.
pub async fn list(st: &App, ctx: &Caller, f: &ListFilter) -> Result<Vec<ChallengeRow>, AppError> {
    let q = f.q.trim().to_lowercase();
    Ok(st
        .store
        .challenges()
        .await?
        .into_iter()
        .filter(|c| may_see(ctx, c))
        .filter(|c| f.status.as_ref().is_none_or(|s| c.status.code() == s))
        .filter(|c| f.mode.as_ref().is_none_or(|m| c.mode.code() == m))
        .filter(|c| {
            q.is_empty()
                || [
                    &c.title_zh,
                    &c.title_en,
                    &c.problem,
                    &c.targets,
                    &c.org_name_zh,
                ]
                .iter()
                .any(|t| t.to_lowercase().contains(&q))
        })
        .collect())
}

/// One application as the viewer may see it.
#[derive(Serialize)]
pub struct AppView {
    #[serde(flatten)]
    pub a: ApplicationRow,
    pub partner_names: Vec<String>,
    /// The plan and members are shown.
    pub full: bool,
    pub summary: Option<Summary>,
    /// The reviews of the current round — empty when the officer is conflicted.
    pub reviewers: Vec<ReviewerView>,
    pub hidden: bool,
    pub team: Vec<Member>,
    pub plan_milestones: Vec<Milestone>,
}

/// One reviewer of an application as an officer sees it.
#[derive(Serialize)]
pub struct ReviewerView {
    pub name: String,
    pub submitted: bool,
    /// How close the expert's expertise is to the application, 0–1 (from matching).
    pub affinity: f64,
    /// (criterion, score 0–10) in the challenge's order, once submitted.
    pub scores: Vec<(String, f64)>,
    pub comment: String,
}

/// A team member: name and affiliation.
#[derive(Serialize, Debug, PartialEq)]
pub struct Member {
    pub name: String,
    pub affiliation: String,
}

/// A milestone of an application's plan: name, date, tranche (万元), as the team wrote them.
#[derive(Serialize, Debug, PartialEq)]
pub struct Milestone {
    pub name: String,
    pub date: String,
    pub tranche: String,
}

/// The members of an application (`name|affiliation` per line).
pub fn members(text: &str) -> Vec<Member> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, a) = l.split_once(['|', '｜']).unwrap_or((l, ""));
            Member {
                name: n.trim().to_string(),
                affiliation: a.trim().to_string(),
            }
        })
        .collect()
}

/// The milestones of an application (`name | date | tranche` per line).
pub fn milestones(text: &str) -> Vec<Milestone> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split(['|', '｜']).map(str::trim);
            Milestone {
                name: parts.next().unwrap_or("").to_string(),
                date: parts.next().unwrap_or("").to_string(),
                tranche: parts.next().unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// An expert's review task: the review and the application it is of, with its team and
/// milestones read out (experts score the budget and the team, so they see both).
#[derive(Serialize)]
pub struct Task {
    pub r: ReviewRow,
    pub a: ApplicationRow,
    pub team: Vec<Member>,
    pub plan_milestones: Vec<Milestone>,
}

/// Everything the challenge page shows the caller.
#[derive(Serialize)]
pub struct Detail {
    pub c: ChallengeRow,
    /// The caller may read the confidential details.
    pub confidential: bool,
    pub secret: Option<String>,
    pub owner: bool,
    pub my_org: Option<i64>,
    pub apps: Vec<AppView>,
    pub tasks: Vec<Task>,
    pub expert: bool,
    pub terms: bool,
    pub applied: bool,
    pub criteria: Vec<(String, f64)>,
    pub suggestions: Vec<Match>,
    /// (id, name zh, name en) of every organisation, for choosing partners.
    pub orgs: Vec<(i64, String, String)>,
    pub milestones: Vec<MilestoneRow>,
    pub funding: String,
}

fn officer_conflicted(ctx: &Caller, a: &ApplicationRow, declared: &[(i64, i64)]) -> bool {
    let Some(user) = &ctx.user else { return false };
    user.org_id.is_some_and(|o| a.org_ids().contains(&o)) || declared.contains(&(user.id, a.id))
}

async fn declared(st: &App, id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(st
        .store
        .declared_conflicts(id)
        .await?
        .into_iter()
        .map(|d| (d.user_id, d.application_id))
        .collect())
}

pub async fn detail(st: &App, ctx: &Caller, id: i64) -> Result<Detail, AppError> {
    let c = visible(st, ctx, id).await?;
    let confidential = sees_confidential(st, ctx, &c).await?;
    let my_org = ctx.member_org();
    let is_staff = ctx.is_staff();
    let owner = ctx.acts_for(c.org_id);
    let apps = st.store.applications(id).await?;
    let reviews = st.store.reviews(id).await?;
    let declared = declared(st, id).await?;
    let ranked = summary(&c, &reviews, c.round);
    let names: HashMap<i64, (String, String)> = st
        .store
        .all_organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, (o.name_zh, o.name_en)))
        .collect();
    let en = ctx.lang == "en";
    let crit = criteria(&c.criteria);
    let views: Vec<AppView> = apps
        .iter()
        .filter(|a| is_staff || owner || my_org.is_some_and(|o| a.org_ids().contains(&o)))
        .map(|a| {
            let mine = my_org.is_some_and(|o| a.org_ids().contains(&o));
            let hidden = is_staff && officer_conflicted(ctx, a, &declared);
            let reviewers = if is_staff && !hidden {
                reviews
                    .iter()
                    .filter(|r| r.application_id == a.id && r.round == c.round)
                    .map(|r| {
                        let given: HashMap<String, f64> = r
                            .scores
                            .as_deref()
                            .and_then(|j| serde_json::from_str(j).ok())
                            .unwrap_or_default();
                        ReviewerView {
                            name: r.reviewer.clone(),
                            submitted: r.submitted_at.is_some(),
                            affinity: r.affinity_milli as f64 / 1000.0,
                            scores: crit
                                .iter()
                                .filter_map(|(name, _)| given.get(name).map(|s| (name.clone(), *s)))
                                .collect(),
                            comment: r.comment.clone(),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            AppView {
                a: a.clone(),
                partner_names: a
                    .partner_ids()
                    .iter()
                    .filter_map(|p| {
                        names
                            .get(p)
                            .map(|n| if en { n.1.clone() } else { n.0.clone() })
                    })
                    .collect(),
                full: is_staff || mine,
                summary: if is_staff {
                    ranked.iter().find(|s| s.application == a.id).cloned()
                } else {
                    None
                },
                reviewers,
                hidden,
                team: members(&a.members),
                plan_milestones: milestones(&a.milestones),
            }
        })
        .collect();
    // An expert's own review tasks in this challenge.
    let me = ctx.user.as_ref().map(|u| u.id);
    let tasks: Vec<Task> = reviews
        .iter()
        .filter(|r| Some(r.user_id) == me)
        .filter_map(|r| {
            apps.iter()
                .find(|a| a.id == r.application_id)
                .map(|a| Task {
                    r: r.clone(),
                    a: a.clone(),
                    team: members(&a.members),
                    plan_milestones: milestones(&a.milestones),
                })
        })
        .collect();
    let terms = match my_org {
        Some(org) => st.store.terms_accepted(id, org).await?,
        None => false,
    };
    let applied = my_org.is_some_and(|o| apps.iter().any(|a| a.org_id == o));
    let suggestions = if c.status != ChallengeStatus::Draft {
        let need = duijie_match::fit::Need {
            chain: c.chain.as_deref().and_then(matching::chain),
            field: None,
            region: None,
            trl_required: None,
            budget_wan: None,
        };
        let text = format!("{}\n{}\n{}", c.title_zh, c.problem, c.targets);
        matching::matches(
            st.engine(),
            &Source::Text {
                text: &text,
                need: Box::new(need),
            },
            DocKind::Achievement,
            5,
        )
        .await
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut orgs: Vec<_> = names
        .iter()
        .map(|(id, n)| (*id, n.0.clone(), n.1.clone()))
        .collect();
    orgs.sort();
    let milestones = st.store.milestones(id).await?;
    Ok(Detail {
        secret: confidential.then(|| c.confidential.clone()),
        funding: Money::from_fen(c.funding_fen).wan_text(),
        criteria: criteria(&c.criteria),
        expert: ctx.role() == Some(Role::Expert),
        c,
        confidential,
        owner,
        my_org,
        apps: views,
        tasks,
        terms,
        applied,
        suggestions,
        orgs,
        milestones,
    })
}

/// One challenge as JSON, with what the caller may see of it.
pub async fn api_detail(st: &App, ctx: &Caller, id: i64) -> Result<Value, AppError> {
    let c = visible(st, ctx, id).await?;
    let confidential = if sees_confidential(st, ctx, &c).await? {
        Some(c.confidential.clone())
    } else {
        None
    };
    let staff = ctx.is_staff();
    let owner = ctx.acts_for(c.org_id);
    let org = ctx.member_org();
    let me = ctx.user.as_ref().map(|u| (u.id, u.org_id));
    let declared = declared(st, id).await?;
    let apps = st.store.applications(id).await?;
    let conflicted = |a: &ApplicationRow| {
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
                Some(
                    json!({ "id": a.id, "org_id": a.org_id, "org_name_zh": a.org_name_zh,
                    "title": a.title, "status": a.status }),
                )
            } else {
                None
            }
        })
        .collect();
    let reviews = st.store.reviews(id).await?;
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
    let milestones = if staff || org.is_some() {
        serde_json::to_value(st.store.milestones(id).await?).unwrap_or_default()
    } else {
        json!([])
    };
    Ok(json!({
        "challenge": c, "confidential": confidential, "applications": visible_apps,
        "reviews": visible_reviews, "summary": ranked, "milestones": milestones,
    }))
}

/// The expert pool (staff) and the caller's own profile (experts and staff).
pub async fn experts(
    st: &App,
    ctx: &Caller,
) -> Result<(Vec<ExpertRow>, Option<ExpertRow>), AppError> {
    let (user, actor) = ctx.require_user()?;
    if !(actor.role == Role::Expert || actor.role.is_staff()) {
        return Err(AppError::Forbidden);
    }
    let pool = st.store.experts().await?;
    let me = pool.iter().find(|e| e.user_id == user.id).cloned();
    let list = if ctx.is_staff() { pool } else { Vec::new() };
    Ok((list, me))
}

fn table(headers: &[&str], rows: Vec<Vec<String>>) -> duijie_tabular::Table {
    duijie_tabular::Table {
        headers: headers.iter().map(|s| s.to_string()).collect(),
        rows,
    }
}

/// The staff's workbook of a challenge: applications with scores and ranks, reviews, milestone
/// decisions.
pub async fn workbook(st: &App, ctx: &Caller, id: i64) -> Result<Vec<u8>, AppError> {
    ctx.require_user()?;
    if !ctx.is_staff() {
        return Err(AppError::Forbidden);
    }
    let c = visible(st, ctx, id).await?;
    let apps = st.store.applications(id).await?;
    let reviews = st.store.reviews(id).await?;
    let ranked = summary(&c, &reviews, 0);
    let row = |a: &ApplicationRow| {
        let s = ranked.iter().find(|s| s.application == a.id);
        vec![
            a.id.to_string(),
            a.org_name_zh.clone(),
            a.title.clone(),
            Money::from_fen(a.budget_fen).wan_text(),
            a.status.label().zh.to_string(),
            a.reason.clone(),
            s.map(|s| format!("{:.1}", s.score)).unwrap_or_default(),
            s.map(|s| s.rank.to_string()).unwrap_or_default(),
            Money::from_fen(a.funded_fen).wan_text(),
        ]
    };
    let applications = table(
        &[
            "编号 id",
            "牵头单位 lead",
            "方案 title",
            "预算（万元） budget",
            "状态 status",
            "理由 reason",
            "评审得分 score",
            "排名 rank",
            "已拨付（万元） funded",
        ],
        apps.iter().map(row).collect(),
    );
    let review_rows = table(
        &[
            "申请 application",
            "轮次 round",
            "专家 expert",
            "匹配度 affinity",
            "评分 scores",
            "意见 comment",
            "提交 submitted",
        ],
        reviews
            .iter()
            .map(|r| {
                vec![
                    r.application_id.to_string(),
                    r.round.to_string(),
                    r.reviewer.clone(),
                    format!("{:.3}", r.affinity_milli as f64 / 1000.0),
                    r.scores.clone().unwrap_or_default(),
                    r.comment.clone(),
                    r.submitted_at.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    );
    let decisions = st.store.milestones(id).await?;
    let milestone_rows = table(
        &[
            "申请 application",
            "里程碑 round",
            "通过 passed",
            "理由 reason",
            "拨付（万元） tranche",
            "时间 decided",
        ],
        decisions
            .iter()
            .map(|m| {
                vec![
                    m.application_id.to_string(),
                    m.round.to_string(),
                    if m.passed != 0 { "✓" } else { "✗" }.into(),
                    m.reason.clone(),
                    Money::from_fen(m.tranche_fen).wan_text(),
                    m.decided_at.clone(),
                ]
            })
            .collect(),
    );
    duijie_tabular::xlsx_bytes(&[
        ("申请 Applications", &applications),
        ("评审 Reviews", &review_rows),
        ("里程碑 Milestones", &milestone_rows),
    ])
    .map_err(|e| AppError::Internal(e.to_string()))
}
