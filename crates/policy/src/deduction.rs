//! The R&D super-deduction (研发费用加计扣除) as a policy to claim: who may claim it (the
//! industries it excludes, audited accounts, R&D spending in the year) and about what it is
//! worth, at the rate the R&D engine (`duijie_rnd::rules`) gives for the year and kind of
//! enterprise. The exact deduction is the R&D engine's, computed from the ledger.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::profile::{Industry, Profile};
use crate::verdict::{wan, Assessment, Condition, Text, Verdict};
use duijie_rnd::rules::{self, Kind};

pub const SOURCES: &[&str] = &[
    "财税〔2015〕119号《关于完善研究开发费用税前加计扣除政策的通知》",
    "国家税务总局公告2015年第97号",
    "财政部 税务总局公告2023年第7号",
];

const INDUSTRY: &str = "财税〔2015〕119号 第四条（不适用税前加计扣除政策的行业）；国家税务总局公告2015年第97号（负面清单行业的判定）";
const ACCOUNTS: &str = "财税〔2015〕119号 第五条（一）（适用于会计核算健全、实行查账征收并能够准确归集研发费用的居民企业）";
const SPENDING: &str = "财税〔2015〕119号 第一条（研发活动实际发生的研发费用）";

/// The kind of enterprise the rate depends on: a manufacturer, a technology-based SME (when
/// the SME evaluation says likely), or general.
fn kind(p: &Profile, sme: bool) -> Kind {
    if p.industry == Some(Industry::Manufacturing) {
        Kind::Manufacturing
    } else if sme {
        Kind::SciTechSme
    } else {
        Kind::General
    }
}

/// Assess the enterprise for the super-deduction of its latest year's R&D spending; `sme`:
/// whether it is likely a technology-based SME (a higher rate in some years).
pub fn assess(p: &Profile, sme: bool) -> Assessment {
    let mut c = Vec::new();
    c.push(match p.industry {
        Some(i) => {
            let (zh, en) = i.label();
            Condition::check(
                "industry",
                INDUSTRY,
                !i.excluded_from_deduction(),
                if i.excluded_from_deduction() {
                    Text::new(
                        format!("主营行业为{zh}，属于不适用加计扣除的行业"),
                        format!("main industry {en}, which the deduction excludes"),
                    )
                } else {
                    Text::new(
                        format!("主营行业为{zh}，不在不适用行业之列"),
                        format!("main industry {en}, not excluded"),
                    )
                },
            )
            .excluding()
        }
        None => Condition::unknown(
            "industry",
            INDUSTRY,
            Text::new("缺少主营行业", "the main industry is missing"),
        ),
    });
    c.push(match p.audited_accounts {
        Some(ok) => Condition::check(
            "accounts",
            ACCOUNTS,
            ok,
            if ok {
                Text::new(
                    "会计核算健全，实行查账征收",
                    "sound accounts, tax assessed on audited books",
                )
            } else {
                Text::new(
                    "未实行查账征收（核定征收企业不适用）",
                    "tax not assessed on audited books (deemed-profit taxpayers may not claim)",
                )
            },
        )
        .excluding(),
        None => Condition::unknown(
            "accounts",
            ACCOUNTS,
            Text::new(
                "尚未说明是否实行查账征收",
                "not yet said whether tax is assessed on audited books",
            ),
        ),
    });
    let latest = p.latest();
    let mut worth = None;
    c.push(match latest.and_then(|y| Some((y.year, y.rnd?))) {
        Some((year, r)) => {
            let (rz, re) = wan(r);
            if r > 0 {
                let (rate, _) = rules::rate(year, kind(p, sme));
                let extra = (Decimal::from(r) * rate)
                    .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                    .to_i64()
                    .unwrap_or(0);
                let (ez, ee) = wan(extra);
                let pct = (rate * Decimal::from(100)).normalize();
                worth = Some(Text::new(
                    format!(
                        "{year} 年研发费用 {rz} 按 {pct}% 加计扣除，可多扣除至多约 {ez}（以研发费用辅助账按项目归集后的可加计扣除额为准）"
                    ),
                    format!(
                        "{year} R&D spending of {re} at {pct}% gives up to about {ee} of additional deduction (the exact figure is what the R&D ledger allows per project)"
                    ),
                ));
            }
            Condition::check(
                "spending",
                SPENDING,
                r > 0,
                Text::new(format!("{year} 年研发费用 {rz}"), format!("R&D spending {re} in {year}")),
            )
        }
        None => Condition::unknown("spending", SPENDING, Text::new("缺少最近一年的研发费用", "the latest year's R&D spending is missing")),
    });
    Assessment {
        policy: "rnd_deduction",
        name: Text::new("研发费用加计扣除", "R&D expense super-deduction"),
        sources: SOURCES,
        in_force: "2016–",
        verdict: Verdict::of(&c),
        conditions: c,
        score: Vec::new(),
        what_if: Vec::new(),
        worth,
    }
}

/// The rule text of the negative list, as the R&D engine cites it.
pub fn negative_list() -> &'static str {
    rules::NEGATIVE_LIST
}
