//! Expert review assignment for challenge lists (揭榜挂帅): every application gets its number of
//! reviewers, no expert reviews more than their maximum (or less than their minimum), no
//! conflicted pair is ever assigned, forced pairs always are, and only scored pairs are used.
//!
//! Two modes. `Sum` maximises the total affinity **exactly**: it is a transportation problem,
//! solved as a min-cost flow (application → expert arcs of capacity 1 and cost −affinity,
//! expert → sink arcs bounded by the loads) with cost scaling. Affinities are rounded to 10⁻⁶;
//! the reported `sum_upper_bound` adds the rounding allowance, so it is proven for the real
//! values. `Fair` first raises the worst-off application's total affinity, then the sum: it
//! re-solves the exact flow with more weight on the weakest applications, keeps the best
//! minimum, and improves it and then the sum by reviewer exchanges that keep every rule; its
//! first-stage bound is `min(best possible alone for each application, exact sum optimum /
//! number of applications)`. [`check`] verifies any output independently.

mod check;
mod fair;
pub mod generate;
mod problem;
pub mod review;
pub mod wire;

pub use check::check;
pub use wire::{Application, Expert, Input, Output};

use duijie_flow::{FlowError, Network};
use problem::Problem;

/// Affinities are whole multiples of this in the flow.
pub const RESOLUTION: f64 = 1e-6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    Sum,
    Fair,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// Bad input: `path` names the item.
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    /// No valid assignment exists; `applications` cannot all be covered, `reason` says why.
    #[error("no valid assignment: {reason}")]
    Infeasible {
        applications: Vec<String>,
        reason: String,
    },
}

pub fn assign(input: &Input, objective: Objective) -> Result<Output, AssignError> {
    let p = Problem::from_input(input)?;
    p.check_counts()?;
    let ones = vec![1.0; p.apps.len()];
    let best_sum = p.solve(&ones)?;
    let sum_bound = p.sum_bound(&best_sum);
    let chosen = match objective {
        Objective::Sum => best_sum,
        Objective::Fair => fair::improve(&p, best_sum, p.min_bound(sum_bound))?,
    };
    let totals = p.totals(&chosen);
    let min = totals.iter().copied().fold(f64::INFINITY, f64::min);
    let min = if min.is_finite() { min } else { 0.0 };
    let objective_value: f64 = totals.iter().sum();
    let upper_bound = match objective {
        Objective::Sum => sum_bound,
        Objective::Fair => p.min_bound(sum_bound).max(min),
    };
    let mut assignments: Vec<(String, String)> = p
        .forced
        .iter()
        .map(|f| (f.a, f.e))
        .chain(chosen.iter().map(|&k| (p.pairs[k].a, p.pairs[k].e)))
        .map(|(a, e)| (p.apps[a].id.clone(), p.experts[e].id.clone()))
        .collect();
    assignments.sort();
    Ok(Output {
        assignments,
        mode: if objective == Objective::Sum {
            "sum"
        } else {
            "fair"
        }
        .into(),
        objective: objective_value,
        upper_bound,
        min_application_score: min,
        sum_upper_bound: sum_bound,
        seconds: 0.0,
    })
}

impl Problem {
    /// The assignment (indices into `pairs`, forced pairs aside) maximising Σ weight × affinity.
    pub(crate) fn solve(&self, weight: &[f64]) -> Result<Vec<usize>, AssignError> {
        let (na, ne) = (self.apps.len(), self.experts.len());
        let sink = na + ne;
        let mut net = Network::new(na + ne + 1);
        let mut supply = vec![0i64; na + ne + 1];
        let expect = "indices in range, capacities non-negative";
        for (a, app) in self.apps.iter().enumerate() {
            supply[a] = i64::from(app.open);
        }
        for (e, ex) in self.experts.iter().enumerate() {
            supply[na + e] = -i64::from(ex.must);
            net.add_edge(na + e, sink, i64::from(ex.room - ex.must), 0)
                .expect(expect);
        }
        let arcs: Vec<_> = self
            .pairs
            .iter()
            .map(|pair| {
                let cost = -(weight[pair.a] * pair.score / RESOLUTION).round() as i64;
                net.add_edge(pair.a, na + pair.e, 1, cost).expect(expect)
            })
            .collect();
        supply[sink] = -supply.iter().sum::<i64>();
        match net.solve_supplies(&supply) {
            Ok(_) => Ok((0..arcs.len()).filter(|&k| net.flow(arcs[k]) > 0).collect()),
            Err(FlowError::Infeasible { short, reachable }) => {
                Err(self.explain(&short, &reachable))
            }
            Err(e) => Err(AssignError::Infeasible {
                applications: Vec::new(),
                reason: e.to_string(),
            }),
        }
    }

    /// Exact optimum of the rounded problem, plus the largest rounding error for every pair.
    fn sum_bound(&self, chosen: &[usize]) -> f64 {
        let rounded: i64 = chosen
            .iter()
            .map(|&k| (self.pairs[k].score / RESOLUTION).round() as i64)
            .sum();
        let forced: f64 = self.forced.iter().map(|f| f.score).sum();
        // Any assignment uses as many pairs as this one; each is off by at most `rounding`
        // (below 10⁻¹² it is floating-point noise: the scores are on the grid).
        let rounding = if self.rounding < 1e-12 {
            0.0
        } else {
            self.rounding
        };
        forced + rounded as f64 * RESOLUTION + chosen.len() as f64 * rounding
    }

    /// No application can do better than its best reviewers alone, and the minimum is at most
    /// the average.
    fn min_bound(&self, sum_bound: f64) -> f64 {
        if self.apps.is_empty() {
            return 0.0;
        }
        let mut best = vec![Vec::new(); self.apps.len()];
        for pair in &self.pairs {
            best[pair.a].push(pair.score);
        }
        let alone = self
            .apps
            .iter()
            .enumerate()
            .map(|(a, app)| {
                let mut scores = std::mem::take(&mut best[a]);
                scores.sort_by(|x, y| y.total_cmp(x));
                let forced: f64 = self
                    .forced
                    .iter()
                    .filter(|f| f.a == a)
                    .map(|f| f.score)
                    .sum();
                forced + scores.iter().take(app.open as usize).sum::<f64>()
            })
            .fold(f64::INFINITY, f64::min);
        alone.min(sum_bound / self.apps.len() as f64)
    }

    /// Total affinity per application (forced pairs included).
    pub(crate) fn totals(&self, chosen: &[usize]) -> Vec<f64> {
        let mut total = vec![0.0; self.apps.len()];
        for f in &self.forced {
            total[f.a] += f.score;
        }
        for &k in chosen {
            total[self.pairs[k].a] += self.pairs[k].score;
        }
        total
    }
}

#[cfg(test)]
mod tests;
