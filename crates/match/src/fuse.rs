//! Hybrid ranking: one score per candidate from a lexical score (BM25, unbounded) and a
//! semantic score (cosine similarity of sentence embeddings).
//!
//! Both signals are put on a common scale per query by min-max normalisation over the
//! candidates, then mixed linearly: `lexical_weight · lex + (1 − lexical_weight) · sem`.
//! A candidate the lexical index did not return has lexical score 0. The weight is chosen by
//! measurement on retrieval sets (see docs/MATCHING.md); `LEXICAL_WEIGHT` is the result.
//!
//! A candidate written in none of the query's languages (an achievement described only in
//! English, for a need pasted in Chinese) cannot share a word with it, so its missing lexical
//! score is no evidence against it: its text score is the semantic score alone. Likewise a
//! candidate with no vector (not embedded yet: the server embeds in the background after a
//! start, and a failed embedding leaves none) is ranked by its lexical score alone, not as the
//! least similar of all.

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
    /// Whether the candidate has text in a language of the query (`Scripts::shares`).
    pub same_language: bool,
}

/// The writing systems a text uses: Han characters (Chinese) and Latin letters (English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scripts {
    pub han: bool,
    pub latin: bool,
}

impl Scripts {
    pub fn of(text: &str) -> Scripts {
        let mut s = Scripts::default();
        for c in text.chars() {
            s.han |= matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}');
            s.latin |= c.is_ascii_alphabetic();
            if s.han && s.latin {
                break;
            }
        }
        s
    }

    /// Whether the two texts can share a word: they use a script in common (a text with
    /// neither is given the benefit of the doubt).
    pub fn shares(self, other: Scripts) -> bool {
        let none = |s: Scripts| !s.han && !s.latin;
        none(self) || none(other) || (self.han && other.han) || (self.latin && other.latin)
    }
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
        .zip(candidates)
        .map(|((l, s), c)| {
            if c.semantic.is_none() {
                *l
            } else if c.same_language {
                w * l + (1.0 - w) * s
            } else {
                s
            }
        })
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
                same_language: true,
            },
            Signals {
                lexical: None,
                semantic: Some(0.90),
                same_language: true,
            },
            Signals {
                lexical: Some(2.0),
                semantic: Some(0.70),
                same_language: true,
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
    fn a_candidate_in_another_language_is_ranked_by_meaning_alone() {
        // A Chinese need: an English-only candidate of the closest meaning cannot share a word
        // with it and is not pushed below Chinese candidates that share a common one.
        let c = [
            Signals {
                lexical: Some(8.0),
                semantic: Some(0.70),
                same_language: true,
            },
            Signals {
                lexical: None,
                semantic: Some(0.90),
                same_language: false,
            },
            Signals {
                lexical: Some(4.0),
                semantic: Some(0.60),
                same_language: true,
            },
        ];
        let s = fuse(&c, 0.9);
        assert!(s[1] > s[0] && s[0] > s[2], "{s:?}");
        // The same candidate counted as sharing the language would come last.
        let mut same = c;
        same[1].same_language = true;
        let s = fuse(&same, 0.9);
        assert!(s[1] < s[2], "{s:?}");
    }

    #[test]
    fn scripts_tell_whether_two_texts_can_share_a_word() {
        let zh = Scripts::of("钢结构焊缝超声波探伤机器人");
        let en = Scripts::of("Kiwifruit ripeness sensing");
        let both = Scripts::of("FPGA 加速的图像处理");
        assert!(zh.han && !zh.latin && en.latin && !en.han);
        assert!(!zh.shares(en) && !en.shares(zh));
        assert!(both.shares(zh) && both.shares(en) && zh.shares(zh));
        assert!(Scripts::of("2024").shares(zh));
    }

    #[test]
    fn a_candidate_not_yet_embedded_is_ranked_by_its_words_alone() {
        // The best lexical match has no vector yet; the others do. Counting its missing
        // similarity as the lowest would put it below a weaker lexical match.
        let c = [
            Signals {
                lexical: Some(10.0),
                semantic: None,
                same_language: true,
            },
            Signals {
                lexical: Some(8.0),
                semantic: Some(0.90),
                same_language: true,
            },
            Signals {
                lexical: Some(2.0),
                semantic: Some(0.80),
                same_language: true,
            },
        ];
        let s = fuse(&c, 0.5);
        assert_eq!(s[0], 1.0);
        assert!(s[0] > s[1] && s[1] > s[2], "{s:?}");
    }

    #[test]
    fn without_semantic_scores_the_lexical_order_stands() {
        let c = [
            Signals {
                lexical: Some(3.0),
                semantic: None,
                same_language: true,
            },
            Signals {
                lexical: Some(6.0),
                semantic: None,
                same_language: true,
            },
        ];
        assert_eq!(fuse(&c, 0.3), vec![0.0, 1.0]);
    }
}
