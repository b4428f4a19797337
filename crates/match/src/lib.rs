//! The matching core, free of I/O: how scenarios and achievements are scored against each
//! other and why. Text relevance comes in from the search index (lexical) and the embedding
//! model (semantic) and is fused here; structured fit (chain, maturity, region, budget,
//! cooperation) is scored and explained here; retrieval metrics measure the result.

pub mod calibrate;
pub mod fit;
pub mod fuse;
pub mod metrics;

pub use fit::{explain, Explanation, Fact, FactKind, FitLevel, Label, Need, Offer};
pub use fuse::{fuse, Scripts, Signals, LEXICAL_WEIGHT, PHRASE_LEXICAL_WEIGHT};

/// Terms taken from a record to find records like it (its most telling words by tf × idf).
/// Measured with `duijie eval --records` on csl-kw-dev (record-to-record nDCG@10 for 8 / 12
/// / 16 / 24 / 32 terms: 0.288 / 0.309 / 0.311 / 0.318 / 0.324) against the latency of
/// `duijie bench match` at 1M records (p50 of the text query 6.3 ms with 12 terms, 9.8 with
/// 16, 18.3 with 24): 12 keeps the p50 under 10 ms for 2.6% less record-to-record quality
/// than 24 (docs/MATCHING.md).
pub const KEY_TERMS: usize = 12;
