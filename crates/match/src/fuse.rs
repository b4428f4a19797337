//! Hybrid ranking: one score per candidate from a lexical score (BM25, unbounded) and a
//! semantic score (cosine similarity of sentence embeddings).
//!
//! Both signals are put on a common scale per query by min-max normalisation over the
//! candidates, then mixed linearly: `lexical_weight · lex + (1 − lexical_weight) · sem`.
//! A candidate the lexical index did not return has lexical score 0. The weight is chosen by
//! measurement on retrieval sets (see docs/MATCHING.md); `LEXICAL_WEIGHT` is the result.

/// The lexical share of the text score for documents (records, abstracts), measured with
/// `duijie eval --sweep` (docs/MATCHING.md): on Chinese keyword → abstract retrieval nDCG@10
/// rises from 0.464 (semantic only) to 0.682 at 0.9 and is 0.678 at 1.0 (lexical only).
pub const LEXICAL_WEIGHT: f64 = 0.9;

/// The lexical share for short phrases matched to short phrases (symmetric similarity), where
/// meaning matters more than shared words: on patent phrases nDCG@10 is 0.456 at 0.1, 0.455 at
/// 0 and 0.412 at 1.0.
pub const PHRASE_LEXICAL_WEIGHT: f64 = 0.1;

/// A candidate with whichever raw signals it has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signals {
    pub lexical: Option<f64>,
    pub semantic: Option<f64>,
}

/// The fused score of every candidate, in [0, 1], in input order.
pub fn fuse(candidates: &[Signals], lexical_weight: f64) -> Vec<f64> {
    let lex = normalise(candidates.iter().map(|c| c.lexical.unwrap_or(0.0)));
    let has_sem = candidates.iter().any(|c| c.semantic.is_some());
    if !has_sem {
        return lex;
    }
    let sem = normalise(candidates.iter().map(|c| c.semantic.unwrap_or(f64::NAN)));
    let w = lexical_weight.clamp(0.0, 1.0);
    lex.iter()
        .zip(sem)
        .map(|(l, s)| w * l + (1.0 - w) * s)
        .collect()
}

/// Min-max normalisation to [0, 1]; NaN (a missing value) becomes 0. A constant list maps to 1
/// where positive (every candidate is as good as the best) and 0 otherwise.
pub fn normalise(xs: impl Iterator<Item = f64>) -> Vec<f64> {
    let xs: Vec<f64> = xs.collect();
    let present = xs.iter().copied().filter(|x| x.is_finite());
    let (lo, hi) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    xs.iter()
        .map(|&x| {
            if !x.is_finite() {
                0.0
            } else if hi > lo {
                (x - lo) / (hi - lo)
            } else if x > 0.0 {
                1.0
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weight_moves_the_order_between_the_signals() {
        let c = [
            Signals {
                lexical: Some(10.0),
                semantic: Some(0.80),
            },
            Signals {
                lexical: None,
                semantic: Some(0.90),
            },
            Signals {
                lexical: Some(2.0),
                semantic: Some(0.70),
            },
        ];
        let lexical_only = fuse(&c, 1.0);
        assert_eq!(lexical_only, vec![1.0, 0.0, 0.2]);
        let semantic_only = fuse(&c, 0.0);
        assert!(semantic_only[1] > semantic_only[0] && semantic_only[0] > semantic_only[2]);
        let mixed = fuse(&c, 0.5);
        assert!(mixed[0] > mixed[1] && mixed[1] > mixed[2], "{mixed:?}");
    }

    #[test]
    fn without_semantic_scores_the_lexical_order_stands() {
        let c = [
            Signals {
                lexical: Some(3.0),
                semantic: None,
            },
            Signals {
                lexical: Some(6.0),
                semantic: None,
            },
        ];
        assert_eq!(fuse(&c, 0.3), vec![0.0, 1.0]);
    }
}
