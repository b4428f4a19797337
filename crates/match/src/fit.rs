//! Structured fit between a need (a scenario, or a free-text need with optional facts) and an
//! offer (an achievement): industrial chain, field, maturity, region, budget and cooperation,
//! each scored and explained in both languages, saying what fits and what does not fit yet.

use serde::Serialize;

/// A label in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Label {
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl Label {
    pub fn new(code: &str, zh: &str, en: &str) -> Label {
        Label {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// What a scenario asks for.
#[derive(Debug, Clone, Default)]
pub struct Need {
    pub chain: Option<Label>,
    pub field: Option<String>,
    /// Region code of the site, e.g. `hebei.tangshan.caofeidian`.
    pub region: Option<Label>,
    pub trl_required: Option<u8>,
    /// Budget range in 万元.
    pub budget_wan: Option<(f64, f64)>,
}

/// What an achievement offers.
#[derive(Debug, Clone, Default)]
pub struct Offer {
    pub chain: Option<Label>,
    pub field: Option<String>,
    /// Region code of the holder, e.g. `beijing.haidian`.
    pub region: Option<Label>,
    pub trl: Option<u8>,
    pub coop_modes: Vec<Label>,
}

/// The aspect a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Terms,
    Semantic,
    Chain,
    Field,
    Maturity,
    Region,
    Budget,
    Cooperation,
}

/// How well one aspect fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitLevel {
    Good,
    Partial,
    Gap,
    /// Not enough information to judge.
    Unknown,
}

/// One line of an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub kind: FactKind,
    pub fit: FitLevel,
    pub zh: String,
    pub en: String,
}

/// The structured part of a match: a score in [0, 1] and the facts behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub structured: f64,
    pub facts: Vec<Fact>,
}

/// Weights of the structured aspects in the structured score (they sum to 1).
pub const CHAIN_WEIGHT: f64 = 0.35;
pub const MATURITY_WEIGHT: f64 = 0.35;
pub const REGION_WEIGHT: f64 = 0.15;
pub const BUDGET_WEIGHT: f64 = 0.15;

/// Score and explain the structured fit of an offer to a need. Aspects that cannot be judged
/// count as half a fit, so missing data neither hides nor promotes a record.
pub fn explain(need: &Need, offer: &Offer) -> Explanation {
    let mut facts = Vec::new();
    let mut score = 0.0;

    // Industrial chain.
    let chain = match (&need.chain, &offer.chain) {
        (Some(n), Some(o)) if n.code == o.code => {
            facts.push(fact(
                FactKind::Chain,
                FitLevel::Good,
                format!("同属{}产业链", n.zh),
                format!("Same industrial chain: {}", n.en),
            ));
            1.0
        }
        (Some(n), Some(o)) => {
            facts.push(fact(
                FactKind::Chain,
                FitLevel::Gap,
                format!("产业链不同：需求属{}，成果属{}", n.zh, o.zh),
                format!("Different chains: the need is {}, the offer {}", n.en, o.en),
            ));
            0.0
        }
        _ => 0.5,
    };
    score += CHAIN_WEIGHT * chain;

    // Field: a shared field label is worth saying, a different one is not a gap by itself.
    if let (Some(n), Some(o)) = (&need.field, &offer.field) {
        if !n.is_empty() && n == o {
            facts.push(fact(
                FactKind::Field,
                FitLevel::Good,
                format!("领域一致：{n}"),
                format!("Same field: {n}"),
            ));
        }
    }

    // Maturity.
    let maturity = match (need.trl_required, offer.trl) {
        (Some(req), Some(have)) if have >= req => {
            facts.push(fact(
                FactKind::Maturity,
                FitLevel::Good,
                format!("成熟度 TRL {have}，满足需求的 TRL {req}"),
                format!("Maturity TRL {have} meets the TRL {req} needed"),
            ));
            1.0
        }
        (Some(req), Some(have)) => {
            let gap = req - have;
            let (level, s) = if gap == 1 {
                (FitLevel::Partial, 0.5)
            } else {
                (FitLevel::Gap, 0.0)
            };
            facts.push(fact(
                FactKind::Maturity,
                level,
                format!("成熟度 TRL {have}，需求要求 TRL {req}（差 {gap} 级，需中试验证）"),
                format!(
                    "TRL {have}, the scenario needs {req} ({gap} level(s) short: needs piloting)"
                ),
            ));
            s
        }
        (Some(req), None) => {
            facts.push(fact(
                FactKind::Maturity,
                FitLevel::Unknown,
                format!("成果未注明成熟度，需求要求 TRL {req}"),
                format!("The offer states no maturity; TRL {req} is needed"),
            ));
            0.5
        }
        _ => 0.5,
    };
    score += MATURITY_WEIGHT * maturity;

    // Region: the platform's purpose is Beijing/Tianjin R&D transformed in Hebei.
    let region = match (&need.region, &offer.region) {
        (Some(n), Some(o)) => {
            let (level, s, zh, en) = region_fit(n, o);
            facts.push(fact(FactKind::Region, level, zh, en));
            s
        }
        _ => 0.5,
    };
    score += REGION_WEIGHT * region;

    // Budget: the scenario's budget (achievements publish no price; the parties negotiate).
    // A scenario without one is "negotiable": half a fit, and nothing to say.
    let budget = match need.budget_wan {
        Some((lo, hi)) if hi > 0.0 => {
            facts.push(fact(
                FactKind::Budget,
                FitLevel::Good,
                format!("需求方预算 {}–{} 万元", wan(lo), wan(hi)),
                format!(
                    "The scenario has a budget of CNY {}–{} million",
                    millions(lo),
                    millions(hi)
                ),
            ));
            1.0
        }
        _ => 0.5,
    };
    score += BUDGET_WEIGHT * budget;

    // Cooperation modes on offer (information for both sides).
    if !offer.coop_modes.is_empty() {
        let zh: Vec<&str> = offer.coop_modes.iter().map(|m| m.zh.as_str()).collect();
        let en: Vec<&str> = offer.coop_modes.iter().map(|m| m.en.as_str()).collect();
        facts.push(fact(
            FactKind::Cooperation,
            FitLevel::Good,
            format!("可合作方式：{}", zh.join("、")),
            format!("Cooperation offered: {}", en.join(", ")),
        ));
    }

    Explanation {
        structured: score,
        facts,
    }
}

/// 万元 as millions of yuan for English: 300 → "3", 250 → "2.5".
fn millions(wan: f64) -> String {
    let m = format!("{:.2}", wan / 100.0);
    m.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn province(code: &str) -> &str {
    code.split('.').next().unwrap_or("")
}

fn city(code: &str) -> String {
    code.split('.').take(2).collect::<Vec<_>>().join(".")
}

fn region_fit(need: &Label, offer: &Label) -> (FitLevel, f64, String, String) {
    let (np, op) = (province(&need.code), province(&offer.code));
    match (np, op) {
        ("hebei", "beijing" | "tianjin") => (
            FitLevel::Good,
            1.0,
            format!("京津研发、河北转化：{} → {}", offer.zh, need.zh),
            format!("Beijing-Tianjin R&D for Hebei: {} → {}", offer.en, need.en),
        ),
        ("hebei", "hebei") if city(&need.code) == city(&offer.code) => (
            FitLevel::Good,
            1.0,
            format!("同城就近转化：{}", need.zh),
            format!("Same city: {}", need.en),
        ),
        ("hebei", "hebei") => (
            FitLevel::Good,
            0.8,
            format!("省内转化：{} → {}", offer.zh, need.zh),
            format!("Within Hebei: {} → {}", offer.en, need.en),
        ),
        (_, "beijing" | "tianjin" | "hebei") => (
            FitLevel::Partial,
            0.6,
            format!("需求地 {} 不在河北", need.zh),
            format!("The site, {}, is outside Hebei", need.en),
        ),
        _ => (
            FitLevel::Partial,
            0.5,
            format!("成果方位于京津冀以外：{}", offer.zh),
            format!("The holder is outside Beijing-Tianjin-Hebei: {}", offer.en),
        ),
    }
}

fn wan(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn fact(kind: FactKind, fit: FitLevel, zh: String, en: String) -> Fact {
    Fact { kind, fit, zh, en }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn robotics() -> Label {
        Label::new("robotics", "机器人", "robotics")
    }

    fn port_need() -> Need {
        Need {
            chain: Some(robotics()),
            field: Some("港口自动化 / Port automation".into()),
            region: Some(Label::new(
                "hebei.tangshan.caofeidian",
                "唐山市曹妃甸区",
                "Caofeidian, Tangshan",
            )),
            trl_required: Some(7),
            budget_wan: Some((200.0, 600.0)),
        }
    }

    fn tianjin_robot(trl: u8) -> Offer {
        Offer {
            chain: Some(robotics()),
            field: Some("巡检机器人 / Inspection robots".into()),
            region: Some(Label::new(
                "tianjin.binhai",
                "天津市滨海新区",
                "Binhai, Tianjin",
            )),
            trl: Some(trl),
            coop_modes: vec![Label::new("licence", "许可", "licence")],
        }
    }

    #[test]
    fn a_mature_tianjin_robot_fits_a_hebei_port_on_every_count() {
        let e = explain(&port_need(), &tianjin_robot(8));
        assert!((e.structured - 1.0).abs() < 1e-9, "{e:?}");
        let maturity = e.facts.iter().find(|f| f.kind == FactKind::Maturity);
        assert_eq!(maturity.map(|f| f.fit), Some(FitLevel::Good));
        assert!(e
            .facts
            .iter()
            .any(|f| f.kind == FactKind::Region && f.en.contains("Beijing-Tianjin R&D for Hebei")));
    }

    #[test]
    fn an_immature_offer_says_how_far_it_is_from_the_need() {
        let e = explain(&port_need(), &tianjin_robot(4));
        let m = e.facts.iter().find(|f| f.kind == FactKind::Maturity);
        assert_eq!(m.map(|f| f.fit), Some(FitLevel::Gap));
        assert!(
            m.is_some_and(|f| f.en.starts_with("TRL 4, the scenario needs 7")),
            "{m:?}"
        );
        assert!((e.structured - (1.0 - MATURITY_WEIGHT)).abs() < 1e-9);
        let one_short = explain(&port_need(), &tianjin_robot(6));
        assert!(one_short.structured > e.structured);
    }

    #[test]
    fn another_chain_is_a_gap_and_missing_facts_count_half() {
        let mut offer = tianjin_robot(8);
        offer.chain = Some(Label::new("biomedicine", "生物医药", "biomedicine"));
        let e = explain(&port_need(), &offer);
        assert!(e
            .facts
            .iter()
            .any(|f| f.kind == FactKind::Chain && f.fit == FitLevel::Gap));
        let blank = explain(&Need::default(), &Offer::default());
        assert!((blank.structured - 0.5).abs() < 1e-9, "{blank:?}");
    }
}
