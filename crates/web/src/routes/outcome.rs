//! Outcomes and statistics: what the platform achieved — counted from the records, by year,
//! chain, city and source region, the funnel from demand to companies rooted, charts drawn as
//! HTML bars by the server (readable at any width, no scripts, no CDN) with the figures behind
//! a toggle, an Excel export; officers record outcomes linked to what led to them.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::outcome;
use duijie_pipeline::funnel::funnel;
use duijie_store::outcome::Group;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

#[derive(Debug, Default, Deserialize)]
pub struct Q {
    year: Option<String>,
    quarter: Option<String>,
}

/// The funnel's steps with labels.
const STEPS: &[(&str, &str, &str)] = &[
    ("demand", "需求发布", "Demand released"),
    ("matched", "达成对接意向", "Matched"),
    ("met", "洽谈会面", "Met"),
    ("pilot", "中试/检测服务", "Pilot tested"),
    ("invested", "获得投资", "Invested"),
    ("rooted", "落户河北", "Rooted in Hebei"),
];

/// The docking funnel's steps with labels.
const DOCKING_STEPS: &[(&str, &str, &str)] = &[
    ("docking_requested", "发起对接", "Docking requested"),
    ("docking_accepted", "接受洽谈", "Accepted"),
    (
        "contract_signed",
        "签订合同（来自对接）",
        "Contract signed from a docking",
    ),
    ("contract_registered", "合同登记（来自对接）", "Registered"),
];

/// One bar of a chart: its label in both languages, its length as a share of the longest
/// (0–100) and its value as shown (with separators and unit).
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub key: String,
    pub zh: String,
    pub en: String,
    pub value: i64,
    /// Whole percent, 0–100: the bar's class (`w37`), since the page's policy allows no inline
    /// styles.
    pub pct: i64,
    pub shown: String,
}

/// Bars of `(key, zh, en, value, shown)`, each as long as its share of the largest value.
fn chart(rows: Vec<(String, String, String, i64, String)>) -> Vec<Bar> {
    let max = rows.iter().map(|r| r.3).max().unwrap_or(0).max(1);
    rows.into_iter()
        .map(|(key, zh, en, value, shown)| Bar {
            pct: ((value.max(0) as f64 * 100.0 / max as f64).round() as i64).clamp(0, 100),
            key,
            zh,
            en,
            value,
            shown,
        })
        .collect()
}

/// Bars of a funnel's steps, labelled from `labels` (code, zh, en) in step order.
fn step_bars(steps: &[duijie_pipeline::funnel::Step], labels: &[(&str, &str, &str)]) -> Vec<Bar> {
    chart(
        steps
            .iter()
            .zip(labels)
            .map(|(s, l)| {
                let (zh, en) = (l.1.to_string(), l.2.to_string());
                (s.code.to_string(), zh, en, s.count, s.count.to_string())
            })
            .collect(),
    )
}

/// Bars of registered contracts' technology transaction amounts (万元, with separators),
/// labelled by `name`.
fn contract_bars(
    groups: &[duijie_store::contract::ContractGroup],
    name: impl Fn(&str) -> (String, String),
) -> Vec<Bar> {
    chart(
        groups
            .iter()
            .map(|g| {
                let (zh, en) = name(&g.key);
                let shown = duijie_domain::Money::from_fen(g.transaction_fen).wan_grouped();
                (g.key.clone(), zh, en, g.transaction_fen, shown)
            })
            .collect(),
    )
}

/// Bars of a breakdown: counts, or amounts (万元) for the money metrics.
fn bars(groups: &[Group], money: bool) -> Vec<Bar> {
    chart(
        groups
            .iter()
            .map(|g| {
                let (zh, en) = label(&g.key);
                if money {
                    let shown = duijie_domain::Money::from_fen(g.amount).wan_grouped();
                    (g.key.clone(), zh, en, g.amount, shown)
                } else {
                    (g.key.clone(), zh, en, g.count, g.count.to_string())
                }
            })
            .collect(),
    )
}

fn label(code: &str) -> (String, String) {
    if let Some(c) = duijie_domain::Chain::from_code(code) {
        return (c.label().zh.to_string(), c.label().en.to_string());
    }
    if let Ok(r) = duijie_domain::Region::parse("region", code) {
        return (r.label.zh.to_string(), r.label.en.to_string());
    }
    match code {
        "beijing" => ("北京".into(), "Beijing".into()),
        "tianjin" => ("天津".into(), "Tianjin".into()),
        "hebei" => ("河北".into(), "Hebei".into()),
        "other" => ("其他".into(), "Other".into()),
        _ => (code.to_string(), code.to_string()),
    }
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<Q>,
) -> Result<Html<String>, PageError> {
    let year = outcome::year(q.year.as_deref()).map_err(pe(&ctx))?;
    let f = outcome::statistics(&st, &year).await.map_err(pe(&ctx))?;
    let t = &f.totals;
    let steps = funnel(&[
        ("demand", t.scenarios_released),
        ("matched", t.matches),
        ("met", t.meetings_held),
        ("pilot", t.services_delivered),
        ("invested", t.fund_investments + t.projects_catalysed),
        ("rooted", t.companies_rooted),
    ]);
    let funnel_rows = step_bars(&steps, STEPS);
    let tables: Vec<_> = f
        .groups
        .iter()
        .map(|(metric, dim, g)| {
            let rows: Vec<_> = g
                .iter()
                .map(|x| {
                    let (zh, en) = label(&x.key);
                    context! { key => x.key, zh => zh, en => en, count => x.count, amount => x.amount }
                })
                .collect();
            let money = matches!(*metric, "projects" | "investments");
            context! { id => format!("{metric}-by-{dim}"), metric => metric, dim => dim, rows => rows, bars => bars(g, money), money => money }
        })
        .collect();
    let outcomes = outcome::recorded(&st).await.map_err(pe(&ctx))?;
    let this_year = st.clock.year();
    let years: Vec<String> = (2020..=this_year).rev().map(|y| y.to_string()).collect();
    let (challenges, gatherings) = outcome::link_choices(&st, &ctx).await.map_err(pe(&ctx))?;
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let quarter = duijie_app::contract::quarter(q.quarter.as_deref()).map_err(pe(&ctx))?;
    let cs = duijie_app::contract::statistics(&st, &year, quarter)
        .await
        .map_err(pe(&ctx))?;
    let matrix = duijie_app::contract::matrix(&cs.flows);
    let class_name = |k: &str| {
        duijie_domain::contract::ContractClass::from_code(k).map_or_else(
            || (k.to_string(), k.to_string()),
            |c| (c.label().zh.to_string(), c.label().en.to_string()),
        )
    };
    let class_bars = contract_bars(&cs.by_class, class_name);
    let quarter_bars = contract_bars(&cs.by_quarter, |k| {
        let (y, q) = k.split_once("-Q").unwrap_or((k, ""));
        (format!("{y} 年第 {q} 季度"), format!("Q{q} {y}"))
    });
    let chain_bars = contract_bars(&cs.by_chain, |k| {
        if k.is_empty() {
            ("未注明".into(), "Not given".into())
        } else {
            label(k)
        }
    });
    let year_bars = contract_bars(&cs.by_year, |k| (format!("{k} 年"), k.to_string()));
    let docking_funnel: Vec<_> = {
        let steps = funnel(&cs.funnel);
        let bars = step_bars(&steps, DOCKING_STEPS);
        steps
            .into_iter()
            .zip(bars)
            .map(|(s, b)| context! { s => s, b => b })
            .collect()
    };
    let extra = context! {
        cs => cs, matrix => matrix, class_bars => class_bars, quarter_bars => quarter_bars,
        chain_bars => chain_bars, year_bars => year_bars,
        docking_funnel => docking_funnel, quarter => quarter,
        year => year, years => years, t => t, invested => t.money_invested_fen(), funnel => funnel_rows,
        tables => tables, outcomes => outcomes, challenges => challenges, gatherings => gatherings,
        orgs => orgs,
    };
    render(&st, &ctx, "/outcomes", "outcomes.html", extra)
}

pub async fn record(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    outcome::record(&st, &ctx, &form).await.map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to("/outcomes#outcomes", "outcome_recorded")).into_response())
}

pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<Q>,
) -> Result<Response, PageError> {
    let year = outcome::year(q.year.as_deref()).map_err(pe(&ctx))?;
    let f = outcome::statistics(&st, &year).await.map_err(pe(&ctx))?;
    let t = &f.totals;
    let totals = duijie_tabular::Table {
        headers: vec!["指标".into(), "Figure".into(), "数值".into()],
        rows: [
            (
                "发布场景",
                "Scenarios released",
                t.scenarios_released.to_string(),
            ),
            (
                "发布成果",
                "Achievements published",
                t.achievements_published.to_string(),
            ),
            ("对接意向", "Matches", t.matches.to_string()),
            ("洽谈会面", "Meetings held", t.meetings_held.to_string()),
            (
                "揭榜中榜",
                "Challenges awarded",
                t.challenges_awarded.to_string(),
            ),
            (
                "中试/检测服务",
                "Services delivered",
                t.services_delivered.to_string(),
            ),
            (
                "服务成果数",
                "Achievements served",
                t.achievements_served.to_string(),
            ),
            (
                "落户企业",
                "Companies rooted",
                t.companies_rooted.to_string(),
            ),
            (
                "促成项目",
                "Projects catalysed",
                t.projects_catalysed.to_string(),
            ),
            (
                "项目投资（万元）",
                "Project investment (10k yuan)",
                duijie_domain::Money::from_fen(t.project_investment_fen).wan_text(),
            ),
            (
                "基金投资笔数",
                "Fund investments",
                t.fund_investments.to_string(),
            ),
            (
                "基金投资（万元）",
                "Fund investment (10k yuan)",
                duijie_domain::Money::from_fen(t.fund_invested_fen).wan_text(),
            ),
            (
                "投资合计（万元）",
                "Money invested (10k yuan)",
                duijie_domain::Money::from_fen(t.money_invested_fen()).wan_text(),
            ),
        ]
        .into_iter()
        .map(|(zh, en, v)| vec![zh.to_string(), en.to_string(), v])
        .collect(),
    };
    let mut sheets = vec![("总量".to_string(), totals)];
    for (metric, dim, g) in &f.groups {
        sheets.push((
            format!("{metric}-{dim}"),
            duijie_tabular::Table {
                headers: vec![
                    "key".into(),
                    "名称".into(),
                    "数量".into(),
                    "金额（万元）".into(),
                ],
                rows: g
                    .iter()
                    .map(|x| {
                        vec![
                            x.key.clone(),
                            label(&x.key).0,
                            x.count.to_string(),
                            duijie_domain::Money::from_fen(x.amount).wan_text(),
                        ]
                    })
                    .collect(),
            },
        ));
    }
    let quarter = duijie_app::contract::quarter(q.quarter.as_deref()).map_err(pe(&ctx))?;
    let cs = duijie_app::contract::statistics(&st, &year, quarter)
        .await
        .map_err(pe(&ctx))?;
    let wan = |fen: i64| duijie_domain::Money::from_fen(fen).wan_text();
    let region = |code: &str| duijie_app::views::region_label("zh", code);
    let mut heads = vec![vec![
        "指标".to_string(),
        "Figure".into(),
        "合同数".into(),
        "合同总额（万元）".into(),
        "技术交易额（万元）".into(),
        "上年技术交易额（万元）".into(),
        "增长（%）".into(),
    ]];
    for h in &cs.headlines {
        heads.push(vec![
            h.zh.to_string(),
            h.en.to_string(),
            h.count.to_string(),
            wan(h.total_fen),
            wan(h.transaction_fen),
            wan(h.previous_transaction_fen),
            h.growth.map(|g| g.to_string()).unwrap_or_default(),
        ]);
    }
    let headers = heads.remove(0);
    sheets.push((
        "技术合同-重点流向".to_string(),
        duijie_tabular::Table {
            headers,
            rows: heads,
        },
    ));
    sheets.push((
        "技术合同-流向".to_string(),
        duijie_tabular::Table {
            headers: vec![
                "seller_region".into(),
                "卖方所在地".into(),
                "buyer_region".into(),
                "买方所在地".into(),
                "合同数".into(),
                "合同总额（万元）".into(),
                "技术交易额（万元）".into(),
            ],
            rows: cs
                .flows
                .iter()
                .map(|c| {
                    vec![
                        c.seller_region.clone(),
                        region(&c.seller_region),
                        c.buyer_region.clone(),
                        region(&c.buyer_region),
                        c.count.to_string(),
                        wan(c.total_fen),
                        wan(c.transaction_fen),
                    ]
                })
                .collect(),
        },
    ));
    for (name, groups) in [
        ("技术合同-类别", &cs.by_class),
        ("技术合同-类型", &cs.by_kind),
        ("技术合同-季度", &cs.by_quarter),
        ("技术合同-产业链", &cs.by_chain),
    ] {
        sheets.push((
            name.to_string(),
            duijie_tabular::Table {
                headers: vec![
                    "key".into(),
                    "合同数".into(),
                    "合同总额（万元）".into(),
                    "技术交易额（万元）".into(),
                ],
                rows: groups
                    .iter()
                    .map(|g| {
                        vec![
                            g.key.clone(),
                            g.count.to_string(),
                            wan(g.total_fen),
                            wan(g.transaction_fen),
                        ]
                    })
                    .collect(),
            },
        ));
    }
    let refs: Vec<(&str, &duijie_tabular::Table)> =
        sheets.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let bytes = duijie_tabular::xlsx_bytes(&refs)
        .map_err(|e| pe(&ctx)(AppError::Internal(e.to_string())))?;
    let name = if year.is_empty() {
        "outcomes.xlsx".to_string()
    } else {
        format!("outcomes-{year}.xlsx")
    };
    Ok(super::xlsx(&name, bytes))
}
