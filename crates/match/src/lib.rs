//! The matching core, free of I/O: how scenarios and achievements are scored against each
//! other and why. Text relevance comes in from the search index (lexical) and the embedding
//! model (semantic) and is fused here; structured fit (chain, maturity, region, budget,
//! cooperation) is scored and explained here; retrieval metrics measure the result.

pub mod fit;
pub mod fuse;
pub mod metrics;

pub use fit::{explain, Explanation, Fact, FactKind, FitLevel, Label, Need, Offer};
pub use fuse::{fuse, Signals, LEXICAL_WEIGHT, PHRASE_LEXICAL_WEIGHT};
