//! The conditions of high and new technology enterprise recognition (高新技术企业认定),
//! 国科发火〔2016〕32号 第十一条 (一)–(八), with the R&D ratio over the last three accounting
//! years by band of the latest year's sales revenue, and what R&D spending would meet it.

use rust_decimal::Decimal;

use crate::profile::{Profile, Year};
use crate::verdict::{
    missing, needed, pct_text, percent, wan, Assessment, Condition, Text, Verdict,
};

pub const SOURCES: &[&str] = &[
    "国科发火〔2016〕32号《高新技术企业认定管理办法》",
    "国科发火〔2016〕195号《高新技术企业认定管理工作指引》",
];

const AGE: &str = "国科发火〔2016〕32号 第十一条（一）";
const IP: &str = "国科发火〔2016〕32号 第十一条（二）";
const FIELD: &str = "国科发火〔2016〕32号 第十一条（三）";
const STAFF: &str = "国科发火〔2016〕32号 第十一条（四）";
const RND: &str = "国科发火〔2016〕32号 第十一条（五）";
const DOMESTIC: &str = "国科发火〔2016〕32号 第十一条（五）（境内研发费用占比）";
const INCOME: &str = "国科发火〔2016〕32号 第十一条（六）";
const SCORE: &str =
    "国科发火〔2016〕32号 第十一条（七）；国科发火〔2016〕195号 四（创新能力评价，70 分以上）";
const CLEAN: &str = "国科发火〔2016〕32号 第十一条（八）";

/// Sales revenue bands (inclusive upper bound in fen) and the R&D share each needs (第十一条（五）):
/// up to 5,000 万元 5%; up to 2 亿元 4%; above, 3%.
pub const RND_BANDS: [(Option<i64>, i64); 3] = [
    (Some(50_000_000 * 100), 5),
    (Some(200_000_000 * 100), 4),
    (None, 3),
];
/// Least R&D staff share (第十一条（四）), domestic R&D share (（五）), high-tech income
/// share (（六）), in percent; the innovation score must exceed 70 (工作指引).
pub const STAFF_PCT: i64 = 10;
pub const DOMESTIC_PCT: i64 = 60;
pub const INCOME_PCT: i64 = 60;
pub const SCORE_ABOVE: i64 = 70;

/// The share of R&D spending needed at `revenue` (the latest year's), with its band's text.
pub fn rnd_share(revenue: i64) -> (i64, Text) {
    let &(_, pct) = RND_BANDS
        .iter()
        .find(|(cap, _)| cap.is_none_or(|c| revenue <= c))
        .unwrap_or(&RND_BANDS[2]);
    let band = match pct {
        5 => Text::new(
            "最近一年销售收入 5,000 万元（含）以下",
            "latest sales revenue up to CNY 50 million",
        ),
        4 => Text::new(
            "最近一年销售收入 5,000 万元至 2 亿元（含）",
            "latest sales revenue CNY 50 million to 200 million",
        ),
        _ => Text::new(
            "最近一年销售收入 2 亿元以上",
            "latest sales revenue above CNY 200 million",
        ),
    };
    (pct, band)
}

/// The accounting years the R&D ratio reads: the latest and the two before it, those the
/// enterprise existed in (实际经营期不满三年的按实际经营时间计算).
fn three_years(p: &Profile, latest: i32) -> Vec<i32> {
    let first = p
        .founded_on
        .map_or(latest - 2, |d| chrono::Datelike::year(&d).max(latest - 2));
    (first..=latest).collect()
}

/// Assess the enterprise for high-tech recognition on `today`.
pub fn assess(p: &Profile, today: chrono::NaiveDate) -> Assessment {
    let mut c = Vec::new();
    c.push(match p.founded_on {
        Some(d) => {
            let days = (today - d).num_days();
            Condition::check(
                "age",
                AGE,
                days >= 365,
                Text::new(
                    format!("注册成立 {days} 天，须满一年（365 天）以上"),
                    format!("registered {days} days ago; more than a year (365 days) needed"),
                ),
            )
        }
        None => Condition::unknown(
            "age",
            AGE,
            Text::new("缺少成立日期", "the date of registration is missing"),
        ),
    });
    c.push(match (p.ip_class1, p.ip_class2) {
        (None, None) => Condition::unknown("ip", IP, Text::new("缺少知识产权数量", "the count of IP is missing")),
        (a, b) => {
            let (a, b) = (a.unwrap_or(0), b.unwrap_or(0));
            Condition::check(
                "ip",
                IP,
                a + b >= 1,
                Text::new(
                    format!("拥有Ⅰ类知识产权 {a} 项、Ⅱ类 {b} 项，须至少 1 项对主要产品发挥核心支持作用"),
                    format!("{a} class I and {b} class II IP; at least one supporting the main products"),
                ),
            )
        }
    });
    c.push(match p.hightech_field {
        Some(ok) => Condition::check(
            "field",
            FIELD,
            ok,
            if ok {
                Text::new(
                    "核心技术属于《国家重点支持的高新技术领域》",
                    "core technology within the state-supported high-tech fields",
                )
            } else {
                Text::new(
                    "核心技术不属于《国家重点支持的高新技术领域》",
                    "core technology outside the state-supported high-tech fields",
                )
            },
        ),
        None => Condition::unknown(
            "field",
            FIELD,
            Text::new(
                "尚未说明核心技术是否属于重点支持领域",
                "not yet said whether the core technology is in a supported field",
            ),
        ),
    });
    let latest = p.latest();
    let ly = latest.map(|y| y.year);
    c.push(match latest.and_then(|y| Some((y.tech_staff?, y.staff?))) {
        Some((t, s)) if s > 0 => {
            let share = percent(t, s).unwrap_or_default();
            Condition::check(
                "staff",
                STAFF,
                share >= Decimal::from(STAFF_PCT),
                Text::new(
                    format!(
                        "科技人员 {t} 人，占职工总数 {s} 人的 {}，须不低于 {STAFF_PCT}%",
                        pct_text(share)
                    ),
                    format!(
                        "{t} R&D staff, {} of {s} staff; at least {STAFF_PCT}% needed",
                        pct_text(share)
                    ),
                ),
            )
        }
        _ => Condition::unknown(
            "staff",
            STAFF,
            missing("职工总数或科技人员数", "staff or R&D staff count", ly),
        ),
    });
    let mut what_if = Vec::new();
    c.extend(rnd_conditions(p, latest, &mut what_if));
    c.push(match latest.and_then(|y| Some((y.hightech_revenue?, y.total_income?))) {
        Some((h, t)) if t > 0 => {
            let share = percent(h, t).unwrap_or_default();
            let (hz, he) = wan(h);
            Condition::check(
                "income",
                INCOME,
                share >= Decimal::from(INCOME_PCT),
                Text::new(
                    format!("高新技术产品（服务）收入 {hz}，占同期总收入的 {}，须不低于 {INCOME_PCT}%", pct_text(share)),
                    format!("high-tech products and services {he}, {} of total income; at least {INCOME_PCT}% needed", pct_text(share)),
                ),
            )
        }
        _ => Condition::unknown("income", INCOME, missing("高新技术产品（服务）收入或总收入", "high-tech income or total income", ly)),
    });
    c.push(match p.innovation_score {
        Some(s) => Condition::check(
            "score",
            SCORE,
            s > SCORE_ABOVE,
            Text::new(
                format!("企业自评创新能力 {s} 分，须高于 {SCORE_ABOVE} 分（由专家评价）"),
                format!("self-assessed innovation score {s}; above {SCORE_ABOVE} needed (experts score it)"),
            ),
        ),
        None => Condition::unknown(
            "score",
            SCORE,
            Text::new("缺少创新能力自评分（知识产权、成果转化、研发管理、成长性）", "no self-assessed innovation score yet (IP, commercialisation, R&D management, growth)"),
        ),
    });
    c.push(match p.clean_record {
        Some(ok) => Condition::check(
            "clean_record",
            CLEAN,
            ok,
            if ok {
                Text::new("申请前一年内无重大安全、重大质量事故或严重环境违法行为", "no major safety or quality accident or serious environmental violation in the year before")
            } else {
                Text::new("企业声明申请前一年内有重大事故或严重违法行为", "the enterprise declared a major accident or serious violation in the year before")
            },
        ),
        None => Condition::unknown("clean_record", CLEAN, Text::new("尚未声明安全、质量与环境情况", "no declaration on safety, quality and environment yet")),
    });
    Assessment {
        policy: "hightech",
        name: Text::new("高新技术企业认定", "High and new technology enterprise recognition"),
        sources: SOURCES,
        in_force: "2016–",
        verdict: Verdict::of(&c),
        conditions: c,
        score: Vec::new(),
        what_if,
        worth: Some(Text::new(
            "认定后企业所得税按 15% 的优惠税率征收（《企业所得税法》第二十八条）",
            "once recognised, enterprise income tax at the reduced rate of 15% (Enterprise Income Tax Law, art. 28)",
        )),
    }
}

/// The R&D ratio over the last three years and the domestic share (第十一条（五）).
fn rnd_conditions(p: &Profile, latest: Option<&Year>, what_if: &mut Vec<Text>) -> Vec<Condition> {
    let Some(latest) = latest else {
        return vec![
            Condition::unknown(
                "rnd",
                RND,
                missing("研发费用和销售收入", "R&D spending and sales revenue", None),
            ),
            Condition::unknown(
                "rnd_domestic",
                DOMESTIC,
                missing("境内研发费用", "domestic R&D spending", None),
            ),
        ];
    };
    let years = three_years(p, latest.year);
    let (mut rnd, mut revenue, mut domestic) = (0i64, 0i64, Some(0i64));
    let mut gap = None;
    for y in &years {
        match p.year(*y).and_then(|f| Some((f.rnd?, f.revenue?))) {
            Some((r, s)) => {
                rnd += r;
                revenue += s;
                domestic = domestic.and_then(|d| Some(d + p.year(*y)?.rnd_domestic?));
            }
            None => gap = gap.or(Some(*y)),
        }
    }
    let span = match years.as_slice() {
        [one] => format!("{one}"),
        [first, .., last] => format!("{first}–{last}"),
        [] => String::new(),
    };
    if let Some(y) = gap {
        return vec![
            Condition::unknown(
                "rnd",
                RND,
                missing(
                    "研发费用或销售收入",
                    "R&D spending or sales revenue",
                    Some(y),
                ),
            ),
            Condition::unknown(
                "rnd_domestic",
                DOMESTIC,
                missing("境内研发费用", "domestic R&D spending", Some(y)),
            ),
        ];
    }
    let mut out = Vec::new();
    let (pct, band) = rnd_share(latest.revenue.unwrap_or(0));
    match percent(rnd, revenue) {
        Some(share) => {
            let ok = share >= Decimal::from(pct);
            out.push(Condition::check(
                "rnd",
                RND,
                ok,
                Text::new(
                    format!(
                        "{span} 年研发费用占销售收入 {}，{}须不低于 {pct}%",
                        pct_text(share),
                        band.zh
                    ),
                    format!(
                        "R&D spending {} of sales revenue in {span}; {} needs at least {pct}%",
                        pct_text(share),
                        band.en
                    ),
                ),
            ));
            if !ok {
                let need = needed(Decimal::from(pct), revenue) - rnd;
                let (nz, ne) = wan(need);
                what_if.push(Text::new(
                    format!("{span} 年研发费用合计再增加 {nz}（达到同期销售收入的 {pct}%）即符合研发费用比例"),
                    format!("{ne} more R&D spending over {span} ({pct}% of sales revenue) meets the R&D ratio"),
                ));
            }
        }
        None => out.push(Condition::unknown(
            "rnd",
            RND,
            Text::new(
                format!("{span} 年销售收入合计为 0，无法计算比例"),
                format!("no sales revenue in {span}: no ratio"),
            ),
        )),
    }
    out.push(match domestic {
        Some(d) if rnd > 0 => {
            let share = percent(d, rnd).unwrap_or_default();
            Condition::check(
                "rnd_domestic",
                DOMESTIC,
                share >= Decimal::from(DOMESTIC_PCT),
                Text::new(
                    format!("境内研发费用占全部研发费用的 {}，须不低于 {DOMESTIC_PCT}%", pct_text(share)),
                    format!("R&D spent in China {} of all R&D spending; at least {DOMESTIC_PCT}% needed", pct_text(share)),
                ),
            )
        }
        Some(_) => Condition::unmet(
            "rnd_domestic",
            DOMESTIC,
            Text::new(format!("{span} 年没有研发费用"), format!("no R&D spending in {span}")),
        ),
        None => Condition::unknown("rnd_domestic", DOMESTIC, missing("境内研发费用", "domestic R&D spending", Some(latest.year))),
    });
    out
}
