//! The workbench (我的工作台): where each person lands after signing in, with what needs them
//! today — for a member its organisation's dockings, contracts, requests, applications and
//! records; for an expert the reviews to write; for a programme officer what waits for
//! approval, what is stalled and this month's figures; for a registrar the contracts to
//! register; for a broker its introductions.

use chrono::{Datelike, Duration, TimeZone};
use duijie_domain::docking::STALLED_DAYS;
use duijie_domain::Role;
use duijie_store::organisation::OrgRow;
use duijie_store::workbench::{MemberCounts, ReviewDue, StaffCounts};
use serde::Serialize;

use crate::{App, AppError, Caller};

/// One count on the workbench, with where to act on it. `todo` marks what waits for the
/// person (shown first and highlighted when it is not zero).
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub count: i64,
    pub link: String,
    pub todo: bool,
}

fn tile(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    count: i64,
    link: &str,
    todo: bool,
) -> Tile {
    Tile {
        id,
        zh,
        en,
        count,
        link: link.to_string(),
        todo,
    }
}

/// Every role's unread notices, linking to the inbox.
fn notices_tile(count: i64) -> Tile {
    tile(
        "t-notices",
        "未读通知",
        "Unread notices",
        count,
        "/inbox",
        true,
    )
}

/// A group of tiles under a heading.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub zh: &'static str,
    pub en: &'static str,
    pub tiles: Vec<Tile>,
}

/// Everything the caller's workbench shows.
#[derive(Default, Serialize)]
pub struct Workbench {
    pub role: &'static str,
    /// The caller's organisation, if it acts for one.
    pub org: Option<OrgRow>,
    pub sections: Vec<Section>,
    /// How many things wait for the caller in all (the sum of the to-do tiles).
    pub todo: i64,
    /// An expert's reviews to write, soonest deadline first.
    pub reviews: Vec<ReviewDue>,
    /// Organisations waiting for verification (staff).
    pub to_verify: Vec<OrgRow>,
    /// This month's figures (staff).
    pub month: Option<StaffCounts>,
    /// The dockings that need the caller, most recent first (at most five).
    pub dockings: Vec<crate::docking::Item>,
}

/// The stall cut-off and this month's start, as stored times compare.
fn cutoffs(st: &App) -> (String, String, String) {
    let now = st.clock.now();
    let stalled = (now - Duration::days(STALLED_DAYS))
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let today = st.clock.today();
    let first = today.with_day(1).unwrap_or(today);
    let month_from = now
        .offset()
        .from_local_datetime(&first.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default();
    (stalled, month_from, first.to_string())
}

pub async fn workbench(st: &App, ctx: &Caller) -> Result<Workbench, AppError> {
    let (user, actor) = ctx.require_user()?;
    let (stalled, month_from, first_day) = cutoffs(st);
    let mut w = Workbench {
        role: actor.role.code(),
        ..Default::default()
    };
    let needing_me = |items: Vec<crate::docking::Item>| -> Vec<crate::docking::Item> {
        items
            .into_iter()
            .filter(|x| x.unread > 0 || x.stalled || x.d.stage.awaits_answer())
            .take(5)
            .collect()
    };
    match actor.role {
        Role::Member => {
            let Some(org) = actor.org_id else {
                return Ok(w);
            };
            let o = st.store.organisation(org).await?;
            let c: MemberCounts = st.store.member_counts(org, user.id, &stalled).await?;
            let mine = |kind: &str| format!("/{kind}?org={org}");
            let mut todo = vec![
                tile(
                    "t-dockings-waiting",
                    "待答复的对接",
                    "Dockings waiting for your answer",
                    c.dockings_waiting,
                    "/dockings",
                    true,
                ),
                tile(
                    "t-messages",
                    "未读对接消息",
                    "Unread docking messages",
                    c.messages_unread,
                    "/dockings",
                    true,
                ),
                notices_tile(c.notices_unread),
                tile(
                    "t-to-schedule",
                    "待排期的服务申请",
                    "Service requests to schedule",
                    c.requests_to_schedule,
                    "/platforms",
                    true,
                ),
                tile(
                    "t-contracts-refused",
                    "未予登记的合同",
                    "Contracts refused registration",
                    c.contracts_refused,
                    "/contracts?status=refused",
                    true,
                ),
            ];
            if !o.verified() {
                todo.push(tile(
                    "t-verify",
                    "单位尚未认证",
                    "Your organisation is not verified",
                    1,
                    &format!("/organisations/{org}#verification"),
                    true,
                ));
            }
            w.sections = vec![
                Section {
                    zh: "待办",
                    en: "To do",
                    tiles: todo,
                },
                Section {
                    zh: "进行中",
                    en: "In progress",
                    tiles: vec![
                        tile(
                            "t-dockings-open",
                            "进行中的对接",
                            "Open dockings",
                            c.dockings_open,
                            "/dockings",
                            false,
                        ),
                        tile(
                            "t-dockings-stalled",
                            "停滞 30 天的对接",
                            "Dockings stalled 30 days",
                            c.dockings_stalled,
                            "/dockings",
                            false,
                        ),
                        tile(
                            "t-contracts-pending",
                            "待登记的合同",
                            "Contracts awaiting registration",
                            c.contracts_pending,
                            "/contracts?status=pending",
                            false,
                        ),
                        tile(
                            "t-requests",
                            "中试服务申请",
                            "Pilot service requests",
                            c.requests_open,
                            "/platforms",
                            false,
                        ),
                        tile(
                            "t-applications",
                            "揭榜申报",
                            "Challenge applications",
                            c.applications_open,
                            "/challenges",
                            false,
                        ),
                        tile(
                            "t-rnd-review",
                            "研发项目待专家意见",
                            "R&D projects awaiting an opinion",
                            c.rnd_in_review,
                            "/rnd",
                            false,
                        ),
                    ],
                },
                Section {
                    zh: "本单位",
                    en: "Your organisation",
                    tiles: vec![
                        tile(
                            "t-scenarios",
                            "应用场景",
                            "Scenarios",
                            c.scenarios,
                            &mine("scenarios"),
                            false,
                        ),
                        tile(
                            "t-achievements",
                            "科技成果",
                            "Achievements",
                            c.achievements,
                            &mine("achievements"),
                            false,
                        ),
                        tile(
                            "t-drafts",
                            "草稿",
                            "Drafts",
                            c.drafts,
                            &mine("scenarios"),
                            false,
                        ),
                        tile(
                            "t-matches",
                            "新匹配提醒",
                            "New match notices",
                            c.matches_unread,
                            "/inbox",
                            false,
                        ),
                        tile(
                            "t-rnd-years",
                            "研发费用年度",
                            "R&D expense years",
                            c.rnd_years,
                            "/rnd",
                            false,
                        ),
                    ],
                },
            ];
            w.dockings = needing_me(crate::docking::list(st, ctx).await?);
            w.org = Some(o);
        }
        Role::Expert => {
            w.reviews = st.store.reviews_due(user.id).await?;
            let rnd = st.store.rnd_review_queue().await?.len() as i64;
            let reviews: i64 = w.reviews.iter().map(|r| r.reviews).sum();
            let notices = st.store.unread_notices(None, user.id).await?;
            w.sections = vec![Section {
                zh: "待办",
                en: "To do",
                tiles: vec![
                    tile(
                        "t-reviews",
                        "待完成的揭榜评审",
                        "Challenge reviews to write",
                        reviews,
                        "/challenges",
                        true,
                    ),
                    tile(
                        "t-rnd-opinions",
                        "待出具意见的研发项目",
                        "R&D projects awaiting your opinion",
                        rnd,
                        "/rnd/reviews",
                        true,
                    ),
                    notices_tile(notices),
                ],
            }];
        }
        Role::Officer | Role::Admin => {
            let c = st
                .store
                .staff_counts(&stalled, &month_from, &first_day)
                .await?;
            let stuck = crate::pilot::read::cases(st, ctx).await?.1.len() as i64;
            let notices = st.store.unread_notices(actor.org_id, user.id).await?;
            w.to_verify = st.store.organisations_to_verify().await?;
            w.sections = vec![
                Section {
                    zh: "待审批",
                    en: "Waiting for approval",
                    tiles: vec![
                        tile(
                            "t-verify-orgs",
                            "待认证的单位",
                            "Organisations to verify",
                            c.orgs_to_verify,
                            "#to-verify",
                            true,
                        ),
                        tile(
                            "t-challenges-approve",
                            "待审核的榜单",
                            "Challenges to approve",
                            c.challenges_to_approve,
                            "/challenges?status=review",
                            true,
                        ),
                        tile(
                            "t-challenges-assign",
                            "待分配评审专家的榜单",
                            "Challenges needing reviewers",
                            c.challenges_to_assign,
                            "/challenges?status=closed",
                            true,
                        ),
                        tile(
                            "t-rnd-review",
                            "待出具意见的研发项目",
                            "R&D projects awaiting an opinion",
                            c.rnd_to_review,
                            "/rnd/reviews",
                            true,
                        ),
                        notices_tile(notices),
                    ],
                },
                Section {
                    zh: "需要关注",
                    en: "Needs attention",
                    tiles: vec![
                        tile(
                            "t-dockings-stalled",
                            "停滞 30 天的对接",
                            "Dockings stalled 30 days",
                            c.dockings_stalled,
                            "/dockings",
                            false,
                        ),
                        tile(
                            "t-cases-stuck",
                            "卡住的一站式服务",
                            "Stuck one-stop cases",
                            stuck,
                            "/cases",
                            false,
                        ),
                        tile(
                            "t-contracts-pending",
                            "待登记的技术合同",
                            "Contracts awaiting registration",
                            c.contracts_pending,
                            "/contracts?status=pending",
                            false,
                        ),
                    ],
                },
            ];
            w.month = Some(c);
        }
        Role::Registrar => {
            let pending = st.store.contracts_to_register(actor.org_id).await?;
            let notices = st.store.unread_notices(actor.org_id, user.id).await?;
            w.sections = vec![Section {
                zh: "待办",
                en: "To do",
                tiles: vec![
                    tile(
                        "t-contracts-register",
                        "待审核登记的技术合同",
                        "Contracts to register",
                        pending,
                        "/contracts?status=pending",
                        true,
                    ),
                    notices_tile(notices),
                ],
            }];
        }
        Role::Broker => {
            let items = crate::docking::list(st, ctx).await?;
            let waiting = items.iter().filter(|x| x.d.stage.awaits_answer()).count() as i64;
            let accepted = items.iter().filter(|x| x.d.stage.accepted()).count() as i64;
            let unread: i64 = items.iter().map(|x| x.unread).sum();
            let notices = st.store.unread_notices(None, user.id).await?;
            w.sections = vec![Section {
                zh: "我的引荐",
                en: "Your introductions",
                tiles: vec![
                    tile(
                        "t-intro-waiting",
                        "等待双方接受的引荐",
                        "Introductions waiting for acceptance",
                        waiting,
                        "/dockings",
                        false,
                    ),
                    tile(
                        "t-messages",
                        "未读对接消息",
                        "Unread docking messages",
                        unread,
                        "/dockings",
                        true,
                    ),
                    notices_tile(notices),
                    tile(
                        "t-intro-accepted",
                        "双方已接受的引荐",
                        "Introductions accepted by both",
                        accepted,
                        &format!("/brokers/{}", user.id),
                        false,
                    ),
                ],
            }];
            w.dockings = needing_me(items);
        }
    }
    w.todo = w
        .sections
        .iter()
        .flat_map(|s| s.tiles.iter())
        .filter(|t| t.todo && t.id != "t-verify")
        .map(|t| t.count)
        .sum();
    Ok(w)
}
