//! Retrieval metrics as BEIR reports them (the definitions of `trec_eval`): nDCG@k with linear
//! gain and log2 discount, and recall@k counting documents with a positive grade.

use std::collections::HashMap;

/// Graded relevance of documents for one query.
pub type Judgements = HashMap<String, f64>;

/// nDCG@k of a ranked list of document ids.
pub fn ndcg_at(ranked: &[&str], judged: &Judgements, k: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| judged.get(*d).copied().unwrap_or(0.0).max(0.0) / ((i + 2) as f64).log2())
        .sum();
    let mut ideal: Vec<f64> = judged.values().copied().filter(|g| *g > 0.0).collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| g / ((i + 2) as f64).log2())
        .sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Share of the relevant documents found in the first k.
pub fn recall_at(ranked: &[&str], judged: &Judgements, k: usize) -> f64 {
    let relevant = judged.values().filter(|g| **g > 0.0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|d| judged.get(**d).is_some_and(|g| *g > 0.0))
        .count();
    found as f64 / relevant as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, f64)]) -> Judgements {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    #[test]
    fn a_perfect_ranking_scores_one_and_a_reversed_one_less() {
        let j = judged(&[("a", 3.0), ("b", 1.0)]);
        assert!((ndcg_at(&["a", "b", "c"], &j, 10) - 1.0).abs() < 1e-12);
        // Reversed: dcg = 1/1 + 3/log2(3); idcg = 3 + 1/log2(3).
        let expect = (1.0 + 3.0 / 3f64.log2()) / (3.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(&["b", "a"], &j, 10) - expect).abs() < 1e-12);
    }

    #[test]
    fn only_the_first_k_count() {
        let j = judged(&[("a", 1.0), ("b", 1.0)]);
        assert_eq!(recall_at(&["x", "a", "b"], &j, 2), 0.5);
        assert_eq!(ndcg_at(&["x", "y", "a"], &j, 2), 0.0);
        assert_eq!(recall_at(&[], &judged(&[]), 100), 0.0);
    }
}
