//! The JSON shapes read and written by `duijie assign`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub applications: Vec<Application>,
    pub experts: Vec<Expert>,
    /// `[application, expert, affinity]`: only scored pairs may be assigned (unless forced).
    #[serde(default)]
    pub scores: Vec<(String, String, f64)>,
    /// `[application, expert]` pairs that must never be assigned.
    #[serde(default)]
    pub conflicts: Vec<(String, String)>,
    /// `[application, expert]` pairs that must be assigned.
    #[serde(default)]
    pub forced: Vec<(String, String)>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub id: String,
    /// How many reviewers the application needs.
    pub reviewers: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expert {
    pub id: String,
    pub max_load: u32,
    #[serde(default)]
    pub min_load: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Output {
    /// `[application, expert]`, sorted.
    pub assignments: Vec<(String, String)>,
    /// `sum` or `fair`.
    pub mode: String,
    /// Total affinity of the assignment.
    pub objective: f64,
    /// A proven upper bound on the mode's first goal: the total affinity (`sum`) or the worst
    /// application's affinity (`fair`).
    pub upper_bound: f64,
    /// The worst-off application's total affinity.
    pub min_application_score: f64,
    /// A proven upper bound on the total affinity of any valid assignment.
    pub sum_upper_bound: f64,
    /// Wall-clock time, filled in by the caller (the library has no clock).
    pub seconds: f64,
}
