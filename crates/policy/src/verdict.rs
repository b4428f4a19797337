//! What an assessment says: each condition met, unmet (by how much) or unknown (which figure is
//! missing), with the clause it comes from; the verdict drawn from them; a score where the rule
//! scores; and what would make the enterprise eligible where the rule allows saying it.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// Two texts of one sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.zh
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Met,
    Unmet,
    Unknown,
}

impl State {
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            State::Met => ("符合", "met"),
            State::Unmet => ("不符合", "not met"),
            State::Unknown => ("待补充", "unknown"),
        }
    }
}

/// One condition of a policy, as it stands for this enterprise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// Stable name, e.g. `size.staff`.
    pub key: &'static str,
    pub state: State,
    /// What the rule asks and what the enterprise has: "研发费用占销售收入 2.8%，须不低于 3%".
    pub text: Text,
    /// The clause it comes from, e.g. "国科发火〔2016〕32号 第十一条（五）".
    pub clause: &'static str,
    /// Unmet, it rules the enterprise out (not a gap to close, e.g. too large to be an SME).
    pub excludes: bool,
}

impl Condition {
    pub fn met(key: &'static str, clause: &'static str, text: Text) -> Condition {
        Condition {
            key,
            state: State::Met,
            text,
            clause,
            excludes: false,
        }
    }

    pub fn unmet(key: &'static str, clause: &'static str, text: Text) -> Condition {
        Condition {
            key,
            state: State::Unmet,
            text,
            clause,
            excludes: false,
        }
    }

    pub fn unknown(key: &'static str, clause: &'static str, text: Text) -> Condition {
        Condition {
            key,
            state: State::Unknown,
            text,
            clause,
            excludes: false,
        }
    }

    /// Met when `ok`, else unmet.
    pub fn check(key: &'static str, clause: &'static str, ok: bool, text: Text) -> Condition {
        if ok {
            Condition::met(key, clause, text)
        } else {
            Condition::unmet(key, clause, text)
        }
    }

    /// Unmet, this condition excludes the enterprise.
    pub fn excluding(mut self) -> Condition {
        self.excludes = true;
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every condition met, as far as the platform can tell.
    Likely,
    /// A condition unmet that can be closed, or a fact missing.
    NotYet,
    /// A condition unmet that rules the enterprise out.
    NotEligible,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Likely => "likely",
            Verdict::NotYet => "not_yet",
            Verdict::NotEligible => "not_eligible",
        }
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Verdict::Likely => ("可能符合", "likely eligible"),
            Verdict::NotYet => ("尚不符合", "not yet"),
            Verdict::NotEligible => ("不符合", "not eligible"),
        }
    }

    /// The verdict the conditions give.
    pub fn of(conditions: &[Condition]) -> Verdict {
        if conditions
            .iter()
            .any(|c| c.state == State::Unmet && c.excludes)
        {
            Verdict::NotEligible
        } else if conditions.iter().all(|c| c.state == State::Met) {
            Verdict::Likely
        } else {
            Verdict::NotYet
        }
    }
}

/// One part of a score: its name, the points given and the most it can give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Part {
    pub name: Text,
    /// Points, or none when a figure is missing.
    pub points: Option<u32>,
    pub max: u32,
    /// Why these points: the band the figure falls in.
    pub band: Text,
}

/// A policy as it stands for the enterprise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Stable anchor, e.g. `sci_tech_sme`.
    pub policy: &'static str,
    pub name: Text,
    /// The notices it rests on.
    pub sources: &'static [&'static str],
    /// Years in force, as text ("2022–").
    pub in_force: &'static str,
    pub verdict: Verdict,
    pub conditions: Vec<Condition>,
    /// The score's parts, where the rule scores.
    pub score: Vec<Part>,
    /// What would close the gap, where the rule lets it be said (e.g. the R&D spending needed).
    pub what_if: Vec<Text>,
    /// What it is worth, where that can be estimated (e.g. the additional deduction).
    pub worth: Option<Text>,
}

/// `part / whole` as a percentage, or none without a positive whole.
pub fn percent(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| Decimal::from(part) * Decimal::from(100) / Decimal::from(whole))
}

/// A percentage for reading: one decimal, rounded down so that 2.99…% never reads as 3.0%.
pub fn pct_text(p: Decimal) -> String {
    format!(
        "{}%",
        p.round_dp_with_strategy(1, RoundingStrategy::ToZero)
            .normalize()
    )
}

/// An amount in fen as 万元 with up to two decimals and thousands separators ("1,234.5 万元"),
/// and as yuan in English ("CNY 12,345,000").
pub fn wan(fen: i64) -> (String, String) {
    let w = (Decimal::from(fen) / Decimal::from(1_000_000))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let yuan = Decimal::from(fen) / Decimal::from(100);
    (
        format!("{} 万元", grouped(w)),
        format!(
            "CNY {}",
            grouped(yuan.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        ),
    )
}

/// A decimal with thousands separators in its whole part.
fn grouped(d: Decimal) -> String {
    let s = d.to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (whole, frac) = s.split_once('.').map_or((s, None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// The smallest amount in fen that makes `amount / base` reach `pct` percent.
pub fn needed(pct: Decimal, base: i64) -> i64 {
    let exact = Decimal::from(base) * pct / Decimal::from(100);
    let up = exact.round_dp_with_strategy(0, RoundingStrategy::AwayFromZero);
    up.to_i64().unwrap_or(i64::MAX)
}

/// "The {what} of {year} is missing", or with no year at all "no year's figures yet".
pub fn missing(what_zh: &str, what_en: &str, year: Option<i32>) -> Text {
    match year {
        Some(y) => Text::new(
            format!("缺少 {y} 年的{what_zh}"),
            format!("the {what_en} of {y} is missing"),
        ),
        None => Text::new(
            format!("缺少{what_zh}（尚未填写任何年度数据）"),
            format!("the {what_en} is missing (no year's figures yet)"),
        ),
    }
}
