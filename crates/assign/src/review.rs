//! What reviews add up to, and the lexical affinity used when no embedding model is loaded.
//!
//! Aggregation, per round, on scores from 0 to 100 (each review's criteria, weighted):
//! 1. **Expert bias.** An expert with several reviews in the round is corrected by how far their
//!    mean lies from the mean of all reviews, shrunk by (n − 1)/n so that one review is never
//!    corrected: a habitually harsh (or generous) reviewer does not sink (or lift) a team.
//! 2. **Outliers.** With three or more reviews, the one farthest from the median of the others is
//!    set aside when it differs from it by more than 25 points (at most one per application).
//! 3. The application's score is the mean of the remaining corrected scores; applications are
//!    ranked by it (ties by more reviews, then id).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// One submitted review: application, expert, score 0–100.
#[derive(Clone, Debug)]
pub struct Scored {
    pub application: i64,
    pub expert: i64,
    pub score: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub application: i64,
    pub reviews: usize,
    /// Plain mean of the submitted scores.
    pub raw: f64,
    /// Mean after bias correction and outlier removal.
    pub score: f64,
    /// The expert whose review was set aside as an outlier, if any.
    pub outlier: Option<i64>,
    pub rank: usize,
}

pub fn aggregate(reviews: &[Scored]) -> Vec<Summary> {
    if reviews.is_empty() {
        return Vec::new();
    }
    let overall = reviews.iter().map(|r| r.score).sum::<f64>() / reviews.len() as f64;
    let mut by_expert: HashMap<i64, Vec<f64>> = HashMap::new();
    for r in reviews {
        by_expert.entry(r.expert).or_default().push(r.score);
    }
    let bias: HashMap<i64, f64> = by_expert
        .iter()
        .map(|(&e, s)| {
            let n = s.len() as f64;
            let mean = s.iter().sum::<f64>() / n;
            (e, (mean - overall) * (n - 1.0) / n)
        })
        .collect();
    let mut by_app: HashMap<i64, Vec<(i64, f64, f64)>> = HashMap::new();
    for r in reviews {
        by_app.entry(r.application).or_default().push((
            r.expert,
            r.score,
            r.score - bias[&r.expert],
        ));
    }
    let mut out: Vec<Summary> = by_app
        .into_iter()
        .map(|(application, list)| {
            let raw = list.iter().map(|x| x.1).sum::<f64>() / list.len() as f64;
            let mut outlier = None;
            if list.len() >= 3 {
                let far = list
                    .iter()
                    .map(|&(e, _, v)| {
                        let mut others: Vec<f64> =
                            list.iter().filter(|x| x.0 != e).map(|x| x.2).collect();
                        others.sort_by(f64::total_cmp);
                        let mid = others.len() / 2;
                        let median = if others.len().is_multiple_of(2) {
                            (others[mid - 1] + others[mid]) / 2.0
                        } else {
                            others[mid]
                        };
                        (e, (v - median).abs())
                    })
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((e, d)) = far {
                    if d > 25.0 {
                        outlier = Some(e);
                    }
                }
            }
            let kept: Vec<f64> = list
                .iter()
                .filter(|x| Some(x.0) != outlier)
                .map(|x| x.2)
                .collect();
            let score = kept.iter().sum::<f64>() / kept.len() as f64;
            Summary {
                application,
                reviews: list.len(),
                raw,
                score: score.clamp(0.0, 100.0),
                outlier,
                rank: 0,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.reviews.cmp(&a.reviews))
            .then(a.application.cmp(&b.application))
    });
    for (i, s) in out.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    out
}

/// Words of a text: CJK characters as overlapping pairs, other letters and digits as lower-case
/// words of two or more characters.
fn grams(text: &str) -> HashMap<String, f64> {
    let mut out: HashMap<String, f64> = HashMap::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_cjk(c) {
            if let Some(p) = prev {
                *out.entry(format!("{p}{c}")).or_default() += 1.0;
            }
            prev = Some(c);
        } else {
            prev = None;
        }
        if c.is_alphanumeric() && !is_cjk(c) {
            word.extend(c.to_lowercase());
        } else {
            if word.chars().count() >= 2 {
                *out.entry(std::mem::take(&mut word)).or_default() += 1.0;
            }
            word.clear();
        }
    }
    out
}

/// Cosine similarity (0–1) of the two texts' character pairs and words, each weighted by
/// `1 + ln(count)`. Used as the expert–application affinity without an embedding model.
pub fn affinity(a: &str, b: &str) -> f64 {
    let (ga, gb) = (grams(a), grams(b));
    let weight = |n: f64| 1.0 + n.ln();
    let dot: f64 = ga
        .iter()
        .filter_map(|(k, &n)| gb.get(k).map(|&m| weight(n) * weight(m)))
        .sum();
    let norm =
        |g: &HashMap<String, f64>| g.values().map(|&n| weight(n).powi(2)).sum::<f64>().sqrt();
    let d = norm(&ga) * norm(&gb);
    if d == 0.0 {
        0.0
    } else {
        (dot / d).clamp(0.0, 1.0)
    }
}

/// Does a collaborator list (one name per line or comma) name anyone in `text`?
pub fn names_anyone(collaborators: &str, text: &str) -> Option<String> {
    let seen: HashSet<String> = collaborators
        .split(['\n', ',', '，', '、', ';', '；'])
        .map(|s| s.trim().to_lowercase())
        .filter(|s| s.chars().count() >= 2)
        .collect();
    let text = text.to_lowercase();
    seen.into_iter().find(|name| text.contains(name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(application: i64, expert: i64, score: f64) -> Scored {
        Scored {
            application,
            expert,
            score,
        }
    }

    #[test]
    fn a_harsh_expert_is_corrected() {
        // Expert 9 reviews applications 1 and 2 and scores 30 points below the others.
        let reviews = vec![
            r(1, 7, 80.0),
            r(1, 9, 50.0),
            r(2, 8, 78.0),
            r(2, 9, 48.0),
            r(3, 7, 76.0),
            r(3, 8, 74.0),
        ];
        let s = aggregate(&reviews);
        let get = |a: i64| {
            s.iter()
                .find(|x| x.application == a)
                .expect("summary")
                .clone()
        };
        let (one, three) = (get(1), get(3));
        assert!(
            three.score - one.score < (three.raw - one.raw) / 2.0,
            "{s:?}"
        );
        assert_eq!(three.rank, 1);
        assert!(aggregate(&[]).is_empty());
    }

    #[test]
    fn an_outlier_is_set_aside() {
        let reviews = vec![r(2, 7, 70.0), r(2, 8, 72.0), r(2, 9, 68.0), r(2, 6, 5.0)];
        let s = aggregate(&reviews);
        assert_eq!(s[0].outlier, Some(6));
        assert!((s[0].score - 70.0).abs() < 1e-9, "{s:?}");
        assert!(s[0].raw < 60.0);
    }

    #[test]
    fn affinity_prefers_shared_chinese_and_english_words() {
        let expert = "机器人 巡检 视觉定位 robot inspection";
        let close = affinity(expert, "港口皮带机巡检机器人视觉定位方案");
        let far = affinity(expert, "膜分离 化工 废水处理");
        assert!(close > 0.2 && far < 0.05, "{close} {far}");
        assert_eq!(affinity("", "x"), 0.0);
        assert_eq!(
            names_anyone("张三\n北航机器人所", "团队：张三|北航"),
            Some("张三".into())
        );
        assert_eq!(names_anyone("王五", "团队：张三"), None);
    }
}
