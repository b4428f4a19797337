//! Outcomes and statistics: what the platform achieved — counted from the records, by year,
//! chain, city and source region, the funnel from demand to companies rooted, charts drawn as
//! SVG by the server (no scripts, no CDN), an Excel export; officers record outcomes linked to
//! what led to them.

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

/// Bars of registered contracts' transaction amounts (in 万元 for the label).
fn contract_bars(groups: &[duijie_store::contract::ContractGroup]) -> Vec<Bar> {
    let max = groups
        .iter()
        .map(|g| g.transaction_fen)
        .max()
        .unwrap_or(0)
        .max(1);
    groups
        .iter()
        .map(|g| Bar {
            key: g.key.clone(),
            value: g.transaction_fen,
            width: ((g.transaction_fen as i128 * 300) / max as i128) as i64,
        })
        .collect()
}

/// A bar of a chart: label, value, and width in the chart's units (0–300).
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub key: String,
    pub value: i64,
    pub width: i64,
}

fn bars(groups: &[Group], amount: bool) -> Vec<Bar> {
    let value = |g: &Group| {
        if amount {
            g.amount / 1_000_000
        } else {
            g.count
        }
    };
    let max = groups.iter().map(value).max().unwrap_or(0).max(1);
    groups
        .iter()
        .map(|g| Bar {
            key: g.key.clone(),
            value: value(g),
            width: value(g) * 300 / max,
        })
        .collect()
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
    let funnel_rows: Vec<_> = steps
        .iter()
        .zip(STEPS)
        .map(|(s, l)| context! { s => s, zh => l.1, en => l.2, width => if t.scenarios_released > 0 { (s.count * 300 / t.scenarios_released.max(1)).min(300) } else { 0 } })
        .collect();
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
            context! { id => format!("{metric}-by-{dim}"), metric => metric, dim => dim, rows => rows, bars => bars(g, false), money => money }
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
    let class_bars = contract_bars(&cs.by_class);
    let quarter_bars = contract_bars(&cs.by_quarter);
    let first = cs.funnel.first().map(|s| s.1).unwrap_or(0).max(1);
    let docking_funnel: Vec<_> = funnel(&cs.funnel)
        .into_iter()
        .zip(DOCKING_STEPS)
        .map(|(s, l)| context! { width => (s.count * 300 / first).min(300), s => s, zh => l.1, en => l.2 })
        .collect();
    let extra = context! {
        cs => cs, matrix => matrix, class_bars => class_bars, quarter_bars => quarter_bars,
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
    Ok(Redirect::to("/outcomes#outcomes").into_response())
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
