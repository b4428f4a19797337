//! The evaluation of technology-based SMEs (科技型中小企业评价): the conditions of the
//! evaluation rules (国科发政〔2022〕67号, 第六条), the 100-point score of their indicators
//! (R&D staff 20, R&D input 50, IP 30) and the direct confirmations. Figures are the latest
//! year's (the rules read the year before the one of the application).

use rust_decimal::Decimal;

use crate::profile::{Profile, Year};
use crate::verdict::{
    missing, needed, pct_text, percent, wan, Assessment, Condition, Part, Text, Verdict,
};

pub const SOURCES: &[&str] = &[
    "国科发政〔2022〕67号《科技型中小企业评价办法》",
    "财政部 税务总局 科技部公告2022年第16号（入库企业研发费用按100%加计扣除）",
];

const SIZE: &str = "国科发政〔2022〕67号 第六条（二）";
const CLEAN: &str = "国科发政〔2022〕67号 第六条（三）（四）";
const SCORE: &str = "国科发政〔2022〕67号 第六条（五）及所附评价指标";
const DIRECT: &str =
    "国科发政〔2022〕67号 直接确认条款（符合第六条（一）至（四）项且具备其一者，直接确认）";

/// Most staff, sales revenue and assets of an SME (第六条（二）): 500 people, 2 亿元, 2 亿元.
pub const MAX_STAFF: i64 = 500;
pub const MAX_REVENUE: i64 = 200_000_000 * 100;
pub const MAX_ASSETS: i64 = 200_000_000 * 100;
/// The pass mark (第六条（五）).
pub const PASS: u32 = 60;

/// Bands of a share indicator: (lowest percentage, inclusive, points), best first.
type Bands = [(i64, u32); 5];
/// R&D staff share of all staff: 20 points at 30% and above … 4 at 10%; 0 below.
pub const STAFF_BANDS: Bands = [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)];
/// R&D spending share of sales revenue: 50 points at 6% … 10 at 2%; 0 below.
pub const REVENUE_BANDS: Bands = [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)];
/// R&D spending share of total costs and expenses: 50 points at 30% … 10 at 10%; 0 below.
pub const COST_BANDS: Bands = [(30, 50), (25, 40), (20, 30), (15, 20), (10, 10)];

/// Points of a share `p` (percent) in `bands`, with the band's floor.
fn banded(p: Decimal, bands: &Bands) -> (u32, Option<i64>) {
    bands
        .iter()
        .find(|(floor, _)| p >= Decimal::from(*floor))
        .map_or((0, None), |&(floor, points)| (points, Some(floor)))
}

fn band_text(p: Decimal, floor: Option<i64>, next: Option<i64>) -> Text {
    match (floor, next) {
        (Some(f), Some(n)) => Text::new(
            format!("{}（{f}%（含）至 {n}% 档）", pct_text(p)),
            format!("{} (band {f}% to {n}%)", pct_text(p)),
        ),
        (Some(f), None) => Text::new(
            format!("{}（{f}%（含）以上档）", pct_text(p)),
            format!("{} (band {f}% and above)", pct_text(p)),
        ),
        (None, Some(n)) => Text::new(
            format!("{}（低于 {n}%，不得分）", pct_text(p)),
            format!("{} (below {n}%: no points)", pct_text(p)),
        ),
        (None, None) => Text::new(pct_text(p), pct_text(p)),
    }
}

/// The band above `floor` (its lower bound), if any.
fn next_floor(floor: Option<i64>, bands: &Bands) -> Option<i64> {
    match floor {
        None => bands.last().map(|b| b.0),
        Some(f) => bands.iter().rev().find(|(b, _)| *b > f).map(|(b, _)| *b),
    }
}

/// The staff indicator (20 points).
fn staff_part(y: Option<&Year>) -> Part {
    let name = Text::new("科技人员指标", "R&D staff");
    match y.and_then(|y| Some((y.tech_staff?, y.staff?))) {
        Some((tech, all)) if all > 0 => {
            let p = percent(tech, all).unwrap_or_default();
            let (points, floor) = banded(p, &STAFF_BANDS);
            Part {
                name,
                points: Some(points),
                max: 20,
                band: band_text(
                    p,
                    floor,
                    next_floor(floor, &STAFF_BANDS).filter(|n| Some(*n) != floor),
                ),
            }
        }
        _ => Part {
            name,
            points: None,
            max: 20,
            band: missing(
                "职工总数或科技人员数",
                "staff or R&D staff count",
                y.map(|y| y.year),
            ),
        },
    }
}

/// The R&D input indicator (50 points): the better of its two measures, as the enterprise may
/// choose either.
fn rnd_part(y: Option<&Year>) -> Part {
    let name = Text::new("研发投入指标", "R&D input");
    let by_revenue = y.and_then(|y| percent(y.rnd?, y.revenue?));
    let by_cost = y.and_then(|y| percent(y.rnd?, y.total_cost?));
    let scored = |p: Option<Decimal>, bands: &Bands| p.map(|p| (p, banded(p, bands)));
    let (r, c) = (
        scored(by_revenue, &REVENUE_BANDS),
        scored(by_cost, &COST_BANDS),
    );
    let text = |(p, (_, floor)): (Decimal, (u32, Option<i64>)), bands: &Bands| {
        band_text(p, floor, next_floor(floor, bands))
    };
    match (r, c) {
        (None, None) => Part {
            name,
            points: None,
            max: 50,
            band: missing(
                "研发费用总额，或销售收入与成本费用支出总额",
                "R&D spending, or the sales revenue and total costs",
                y.map(|y| y.year),
            ),
        },
        _ => {
            let rp = r.map_or(0, |x| x.1 .0);
            let cp = c.map_or(0, |x| x.1 .0);
            let band = if r.is_some() && (rp >= cp || c.is_none()) {
                let t = text(r.unwrap_or_default(), &REVENUE_BANDS);
                Text::new(
                    format!("研发费用占销售收入 {}", t.zh),
                    format!("R&D spending {} of sales revenue", t.en),
                )
            } else {
                let t = text(c.unwrap_or_default(), &COST_BANDS);
                Text::new(
                    format!("研发费用占成本费用支出总额 {}", t.zh),
                    format!("R&D spending {} of total costs", t.en),
                )
            };
            Part {
                name,
                points: Some(rp.max(cp)),
                max: 50,
                band,
            }
        }
    }
}

/// The IP indicator (30 points).
fn ip_part(p: &Profile) -> Part {
    let name = Text::new("科技成果指标", "IP and results");
    let (one, two) = (p.ip_class1, p.ip_class2);
    let (points, band) = match (one, two) {
        (Some(n), _) if n >= 1 => (
            Some(30),
            Text::new(
                format!("Ⅰ类知识产权 {n} 项（1 项及以上）"),
                format!("{n} class I IP (one or more)"),
            ),
        ),
        (Some(_), Some(n)) => {
            let points = match n {
                n if n >= 4 => 24,
                3 => 18,
                2 => 12,
                1 => 6,
                _ => 0,
            };
            (
                Some(points),
                Text::new(
                    format!("无Ⅰ类、Ⅱ类知识产权 {n} 项"),
                    format!("no class I, {n} class II IP"),
                ),
            )
        }
        _ => (
            None,
            Text::new(
                "缺少Ⅰ类或Ⅱ类知识产权数量",
                "the count of class I or class II IP is missing",
            ),
        ),
    };
    Part {
        name,
        points,
        max: 30,
        band,
    }
}

/// The direct confirmations the enterprise has (第六条（一）至（四）项之外的任一项).
fn direct(p: &Profile, today: chrono::NaiveDate) -> Vec<Text> {
    let mut out = Vec::new();
    if p.hightech_certificate_until.is_some_and(|d| d >= today) {
        out.push(Text::new(
            "拥有有效期内高新技术企业资格证书",
            "a valid high and new technology enterprise certificate",
        ));
    }
    if p.national_award == Some(true) {
        out.push(Text::new(
            "近五年内获得国家级科技奖励并排名前三",
            "a national S&T award in the last five years, among the first three",
        ));
    }
    if p.provincial_rnd_institution == Some(true) {
        out.push(Text::new(
            "拥有经认定的省部级以上研发机构",
            "a recognised R&D institution at provincial level or above",
        ));
    }
    if p.led_standard == Some(true) {
        out.push(Text::new(
            "近五年内主导制定过国际、国家或行业标准",
            "led an international, national or industry standard in the last five years",
        ));
    }
    out
}

/// Assess the enterprise for the technology-based SME evaluation on `today`.
pub fn assess(p: &Profile, today: chrono::NaiveDate) -> Assessment {
    let y = p.latest();
    let year = y.map(|y| y.year);
    let mut conditions = Vec::new();
    // 第六条（二）: small enough.
    for (key, value, max, zh, en) in [
        (
            "size.staff",
            y.and_then(|y| y.staff),
            MAX_STAFF,
            "职工总数",
            "staff",
        ),
        (
            "size.revenue",
            y.and_then(|y| y.revenue),
            MAX_REVENUE,
            "年销售收入",
            "sales revenue",
        ),
        (
            "size.assets",
            y.and_then(|y| y.assets),
            MAX_ASSETS,
            "资产总额",
            "total assets",
        ),
    ] {
        let (shown, limit) = if key == "size.staff" {
            (
                value.map(|v| (format!("{v} 人"), format!("{v} people"))),
                ("500 人".to_string(), "500 people".to_string()),
            )
        } else {
            (value.map(wan), wan(max))
        };
        conditions.push(match shown {
            Some((vz, ve)) => Condition::check(
                key,
                SIZE,
                value.unwrap_or(0) <= max,
                Text::new(
                    format!("{zh} {vz}，不得超过 {}", limit.0),
                    format!("{en} {ve}, at most {}", limit.1),
                ),
            )
            .excluding(),
            None => Condition::unknown(key, SIZE, missing(zh, en, year)),
        });
    }
    conditions.push(match p.clean_record {
        Some(ok) => Condition::check(
            "clean_record",
            CLEAN,
            ok,
            if ok {
                Text::new(
                    "产品和服务不属于禁止、限制和淘汰类；上一年及当年内无重大安全、质量事故，无严重环境违法、科研严重失信，未列入经营异常名录和严重违法失信名单",
                    "products not prohibited, restricted or to be eliminated; no major accident, serious violation or misconduct last year or this year; on no abnormal-operation or dishonesty list",
                )
            } else {
                Text::new(
                    "企业声明存在禁止类产品、重大事故、严重违法失信或被列入异常名录的情形",
                    "the enterprise declared a prohibited product, a major accident, a serious violation or a listing",
                )
            },
        )
        .excluding(),
        None => Condition::unknown(
            "clean_record",
            CLEAN,
            Text::new("尚未声明产品类别与信用情况", "no declaration on products and record yet"),
        ),
    });
    let score = vec![staff_part(y), rnd_part(y), ip_part(p)];
    let confirmations = direct(p, today);
    let total: Option<u32> = score.iter().map(|s| s.points).sum();
    let staff_points = score[0].points;
    let mut what_if = Vec::new();
    if let Some(first) = confirmations.first() {
        conditions.push(Condition::met(
            "score",
            DIRECT,
            Text::new(
                format!("直接确认：{}，无需评分", first.zh),
                format!("confirmed directly: {}; no score needed", first.en),
            ),
        ));
    } else {
        conditions.push(match (total, staff_points) {
            (Some(t), Some(s)) => Condition::check(
                "score",
                SCORE,
                t >= PASS && s > 0,
                Text::new(
                    format!(
                        "评价得分 {t} 分（科技人员指标 {s} 分），须不低于 {PASS} 分且科技人员指标不为 0 分"
                    ),
                    format!("score {t} (R&D staff {s}); at least {PASS} with R&D staff above 0"),
                ),
            ),
            _ => Condition::unknown(
                "score",
                SCORE,
                Text::new(
                    "评分所需数据不全（见下方各指标）",
                    "figures for the score are missing (see the indicators below)",
                ),
            ),
        });
        if let (Some(t), Some(s), Some(y)) = (total, staff_points, y) {
            if t < PASS && s > 0 {
                if let Some(t) = rnd_needed(y, PASS - (t - score[1].points.unwrap_or(0))) {
                    what_if.push(t);
                }
            }
        }
    }
    let verdict = Verdict::of(&conditions);
    Assessment {
        policy: "sci_tech_sme",
        name: Text::new("科技型中小企业评价", "Technology-based SME evaluation"),
        sources: SOURCES,
        in_force: "2022–",
        verdict,
        conditions,
        score,
        what_if,
        worth: None,
    }
}

/// What R&D spending (by the sales-revenue measure) gives at least `points` R&D input points.
fn rnd_needed(y: &Year, points: u32) -> Option<Text> {
    let revenue = y.revenue.filter(|r| *r > 0)?;
    let rnd = y.rnd.unwrap_or(0);
    let &(floor, _) = REVENUE_BANDS.iter().rev().find(|(_, p)| *p >= points)?;
    let need = needed(Decimal::from(floor), revenue);
    (need > rnd).then(|| {
        let (nz, ne) = wan(need);
        let (mz, me) = wan(need - rnd);
        Text::new(
            format!(
                "按研发费用占销售收入计分：研发费用达到 {nz}（销售收入的 {floor}%，较现在多 {mz}）即可达到 {PASS} 分"
            ),
            format!(
                "By the sales-revenue measure: R&D spending of {ne} ({floor}% of sales revenue, {me} more than now) reaches {PASS} points"
            ),
        )
    })
}
