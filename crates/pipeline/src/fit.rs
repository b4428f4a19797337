//! How well a fund suits a finance-seeking project, and a pilot platform suits an
//! achievement's need — a score in [0, 1] and the reasons, each saying in Chinese and English
//! what fits and what does not yet.
//!
//! Fund weights: industrial chain 0.30, stage 0.20, ticket size 0.20, region 0.15, field words
//! 0.15. A fund that names no chains, stages or regions takes all (full marks, said so).
//! Platform weights: chain 0.25, field and equipment words found in the need 0.30, the service
//! kind 0.15, region (Hebei platforms first: the platform exists to transform in Hebei) 0.10,
//! free capacity in the next 30 days 0.20.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    /// `fits`, `partial` or `gap`.
    pub level: &'static str,
    pub zh: String,
    pub en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

fn reason(level: &'static str, zh: String, en: String) -> Reason {
    Reason { level, zh, en }
}

/// A region code matches a wanted one when it is the same or inside it (`hebei.tangshan` is in
/// `hebei`).
pub fn region_in(code: &str, wanted: &str) -> bool {
    code == wanted || code.starts_with(&format!("{wanted}."))
}

/// Words of `list` (split on commas, 、 and spaces) found in `text`, case-insensitively.
pub fn words_in(list: &str, text: &str) -> Vec<String> {
    let text = text.to_lowercase();
    split(list)
        .into_iter()
        .filter(|w| text.contains(&w.to_lowercase()))
        .collect()
}

pub fn split(list: &str) -> Vec<String> {
    list.split([',', '，', '、', ';', '；', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn yuan_wan(fen: i64) -> String {
    let wan = fen as f64 / 1_000_000.0;
    if wan.fract() == 0.0 {
        format!("{wan:.0}")
    } else {
        format!("{wan:.2}")
    }
}

#[derive(Clone, Debug, Default)]
pub struct FundProfile {
    /// Chain codes, comma-separated; empty for any.
    pub chains: String,
    /// Field words, comma-separated.
    pub fields: String,
    /// seed, early, growth, mature — comma-separated; empty for any.
    pub stages: String,
    /// Region codes, comma-separated; empty for any.
    pub regions: String,
    pub ticket_min_fen: i64,
    pub ticket_max_fen: i64,
}

#[derive(Clone, Debug, Default)]
pub struct ProjectProfile {
    pub chain: String,
    /// Title, field and summary: where field words are looked for.
    pub text: String,
    pub stage: String,
    pub region: String,
    pub amount_fen: i64,
}

pub fn fund_fit(f: &FundProfile, p: &ProjectProfile) -> Fit {
    let mut score = 0.0;
    let mut rs = Vec::new();
    let chains = split(&f.chains);
    if chains.is_empty() || chains.contains(&p.chain) {
        score += 0.30;
        rs.push(reason(
            "fits",
            "产业链在基金投资方向内".into(),
            "The chain is one the fund invests in".into(),
        ));
    } else {
        rs.push(reason(
            "gap",
            "产业链不在基金投资方向内".into(),
            "The chain is outside the fund's focus".into(),
        ));
    }
    let stages = split(&f.stages);
    // Stages are named in words, never by their codes.
    let label = |code: &str| -> (String, String) {
        duijie_domain::pipeline::FundStage::from_code(code).map_or_else(
            || (code.to_string(), code.to_string()),
            |s| (s.label().zh.to_string(), s.label().en.to_lowercase()),
        )
    };
    let (zh, en) = label(&p.stage);
    if stages.is_empty() || stages.contains(&p.stage) {
        score += 0.20;
        rs.push(reason(
            "fits",
            format!("阶段（{zh}）符合"),
            format!("Stage ({en}) fits"),
        ));
    } else {
        let (fund_zh, fund_en): (Vec<String>, Vec<String>) =
            stages.iter().map(|s| label(s)).unzip();
        rs.push(reason(
            "gap",
            format!("基金不投{zh}（投{}）", fund_zh.join("、")),
            format!(
                "The fund does not invest at the {en} stage ({})",
                fund_en.join(", ")
            ),
        ));
    }
    let (lo, hi) = (f.ticket_min_fen, f.ticket_max_fen.max(f.ticket_min_fen));
    if p.amount_fen <= 0 || (lo..=hi).contains(&p.amount_fen) || hi == 0 {
        score += 0.20;
        rs.push(reason(
            "fits",
            "融资额在单笔投资范围内".into(),
            "The amount sought is within the fund's ticket".into(),
        ));
    } else {
        // Partly: within a factor of two of the range.
        let near = p.amount_fen * 2 >= lo && p.amount_fen <= hi * 2;
        if near {
            score += 0.10;
        }
        rs.push(reason(
            if near { "partial" } else { "gap" },
            format!(
                "融资 {} 万元，基金单笔 {}–{} 万元",
                yuan_wan(p.amount_fen),
                yuan_wan(lo),
                yuan_wan(hi)
            ),
            format!(
                "Seeks {} × 10k yuan; the fund's ticket is {}–{} × 10k",
                yuan_wan(p.amount_fen),
                yuan_wan(lo),
                yuan_wan(hi)
            ),
        ));
    }
    let regions = split(&f.regions);
    if regions.is_empty() || regions.iter().any(|r| region_in(&p.region, r)) {
        score += 0.15;
        rs.push(reason(
            "fits",
            "项目所在地区在基金投资区域内".into(),
            "The project's region is in the fund's area".into(),
        ));
    } else {
        rs.push(reason(
            "gap",
            "项目不在基金投资区域内".into(),
            "The project is outside the fund's area".into(),
        ));
    }
    let hits = words_in(&f.fields, &p.text);
    let fields = split(&f.fields);
    if fields.is_empty() {
        score += 0.15;
    } else if !hits.is_empty() {
        score += 0.15 * (hits.len() as f64 / fields.len().min(3) as f64).min(1.0);
        rs.push(reason(
            "fits",
            format!("领域相符：{}", hits.join("、")),
            format!("Field words found: {}", hits.join(", ")),
        ));
    } else {
        rs.push(reason(
            "partial",
            "未见基金关注的领域关键词".into(),
            "None of the fund's field words appear".into(),
        ));
    }
    Fit { score, reasons: rs }
}

#[derive(Clone, Debug, Default)]
pub struct PlatformProfile {
    pub chain: String,
    /// Field words, comma-separated.
    pub fields: String,
    /// Equipment, comma-separated.
    pub equipment: String,
    pub region: String,
    /// Service kinds offered (scale_up, inspection, concept, …), comma-separated.
    pub kinds: String,
    /// Free units in the next 30 days, and the most there could be.
    pub free_units: u64,
    pub full_units: u64,
}

#[derive(Clone, Debug, Default)]
pub struct NeedProfile {
    pub chain: String,
    /// The achievement's title and summary and the request's note.
    pub text: String,
    /// The kind of service wanted; empty for any.
    pub kind: String,
}

pub fn platform_fit(pl: &PlatformProfile, n: &NeedProfile) -> Fit {
    let mut score = 0.0;
    let mut rs = Vec::new();
    if pl.chain == n.chain {
        score += 0.25;
        rs.push(reason(
            "fits",
            "同一产业链".into(),
            "Same industrial chain".into(),
        ));
    } else {
        rs.push(reason(
            "gap",
            "产业链不同".into(),
            "A different chain".into(),
        ));
    }
    let mut hits = words_in(&pl.fields, &n.text);
    hits.extend(words_in(&pl.equipment, &n.text));
    if hits.is_empty() {
        rs.push(reason(
            "partial",
            "成果描述中未见该平台的领域或设备".into(),
            "The platform's fields and equipment are not mentioned".into(),
        ));
    } else {
        score += 0.30 * (hits.len() as f64 / 2.0).min(1.0);
        rs.push(reason(
            "fits",
            format!("领域/设备相符：{}", hits.join("、")),
            format!("Fields or equipment match: {}", hits.join(", ")),
        ));
    }
    let kinds = split(&pl.kinds);
    if n.kind.is_empty() || kinds.contains(&n.kind) {
        score += 0.15;
        if !n.kind.is_empty() {
            rs.push(reason(
                "fits",
                "提供所需服务".into(),
                "Offers the service wanted".into(),
            ));
        }
    } else {
        rs.push(reason(
            "gap",
            "不提供所需服务类型".into(),
            "Does not offer that kind of service".into(),
        ));
    }
    if region_in(&pl.region, "hebei") {
        score += 0.10;
        rs.push(reason(
            "fits",
            "位于河北，便于就地转化".into(),
            "In Hebei, where the transformation happens".into(),
        ));
    } else {
        rs.push(reason("partial", "不在河北".into(), "Not in Hebei".into()));
    }
    if pl.full_units > 0 {
        let share = pl.free_units as f64 / pl.full_units as f64;
        score += 0.20 * share;
        let pct = (share * 100.0).round();
        rs.push(reason(
            if share >= 0.3 {
                "fits"
            } else if share > 0.0 {
                "partial"
            } else {
                "gap"
            },
            format!("未来 30 天空闲产能 {pct}%"),
            format!("{pct}% of the next 30 days' capacity is free"),
        ));
    }
    Fit { score, reasons: rs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fund() -> FundProfile {
        FundProfile {
            chains: "membrane_materials,green_chemicals".into(),
            fields: "膜,水处理".into(),
            stages: "early,growth".into(),
            regions: "hebei".into(),
            ticket_min_fen: 500_000_000,
            ticket_max_fen: 3_000_000_000,
        }
    }

    fn project() -> ProjectProfile {
        ProjectProfile {
            chain: "membrane_materials".into(),
            text: "高通量反渗透膜中试 水处理".into(),
            stage: "early".into(),
            region: "hebei.cangzhou".into(),
            amount_fen: 1_000_000_000,
        }
    }

    #[test]
    fn a_project_inside_every_criterion_scores_full_and_says_why() {
        let f = fund_fit(&fund(), &project());
        assert!((f.score - 1.0).abs() < 1e-9, "{}", f.score);
        assert!(f.reasons.iter().all(|r| r.level == "fits"));
        assert!(f.reasons.iter().any(|r| r.zh.contains("膜")));
    }

    #[test]
    fn each_mismatch_costs_its_weight_and_is_named() {
        let mut p = project();
        p.stage = "seed".into();
        let f = fund_fit(&fund(), &p);
        assert!((f.score - 0.80).abs() < 1e-9);
        assert!(f
            .reasons
            .iter()
            .any(|r| r.level == "gap" && r.en.contains("seed")));
        // Stages in words, never codes: 种子期 in Chinese.
        let gap = f.reasons.iter().find(|r| r.level == "gap").expect("gap");
        assert!(
            gap.zh.contains("种子期") && !gap.zh.contains("seed"),
            "{}",
            gap.zh
        );
        let mut p = project();
        p.region = "beijing.haidian".into();
        p.amount_fen = 5_000_000_000;
        let f = fund_fit(&fund(), &p);
        // Region lost (0.15); ticket 5000 wan against 500–3000: within twice, half marks.
        assert!((f.score - 0.75).abs() < 1e-9, "{}", f.score);
        assert!(f
            .reasons
            .iter()
            .any(|r| r.level == "partial" && r.zh.contains("5000")));
    }

    #[test]
    fn regions_nest_and_platforms_rank_by_fit_and_free_capacity() {
        assert!(region_in("hebei.tangshan.caofeidian", "hebei"));
        assert!(!region_in("hebeix", "hebei"));
        let need = NeedProfile {
            chain: "robotics".into(),
            text: "巡检机器人需要防爆试验舱检测认证".into(),
            kind: "inspection".into(),
        };
        let pl = |free| PlatformProfile {
            chain: "robotics".into(),
            fields: "机器人".into(),
            equipment: "防爆试验舱".into(),
            region: "hebei.tangshan".into(),
            kinds: "inspection,scale_up".into(),
            free_units: free,
            full_units: 60,
        };
        let (a, b) = (platform_fit(&pl(60), &need), platform_fit(&pl(0), &need));
        assert!(a.score > b.score);
        assert!((a.score - 1.0).abs() < 1e-9, "{}", a.score);
        assert!(b
            .reasons
            .iter()
            .any(|r| r.level == "gap" && r.en.contains("0%")));
    }
}
