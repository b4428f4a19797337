//! Exhaustive branch and bound for small instances: proves optimality (or finds the optimum).

use crate::state::State;

pub(crate) enum Outcome {
    /// The search finished; nothing beats the incumbent.
    IncumbentOptimal,
    /// The search finished with a better schedule: (request, slot) for the candidates placed.
    Better(Vec<(usize, usize)>),
    /// The node budget ran out.
    GaveUp,
}

struct Dfs<'s, 'p> {
    s: &'s mut State<'p>,
    order: Vec<usize>,
    suffix_weight: Vec<u64>,
    /// Weight of one more covered person when covering counts (lexicographic objective).
    cover_worth: u64,
    best: u64,
    best_plan: Option<Vec<(usize, usize)>>,
    nodes: u64,
    budget: u64,
    stamp: Vec<u32>,
    epoch: u32,
}

/// `state` holds the locked meetings only. The objective is the total weight, plus
/// `cover_worth` per person with at least one meeting when `fairness` is set.
pub(crate) fn solve(
    state: &mut State,
    candidates: &[usize],
    fairness: bool,
    incumbent: u64,
    budget: u64,
) -> Outcome {
    let mut order = candidates.to_vec();
    order.sort_by_key(|&r| std::cmp::Reverse(state.p.requests[r].weight));
    let mut suffix_weight = vec![0u64; order.len() + 1];
    for i in (0..order.len()).rev() {
        suffix_weight[i] = suffix_weight[i + 1] + state.p.requests[order[i]].weight;
    }
    let cover_worth = if fairness { suffix_weight[0] + 1 } else { 0 };
    let people = state.p.people.len();
    let mut dfs = Dfs {
        s: state,
        order,
        suffix_weight,
        cover_worth,
        best: incumbent,
        best_plan: None,
        nodes: 0,
        budget,
        stamp: vec![0; people],
        epoch: 0,
    };
    if !dfs.go(0) {
        return Outcome::GaveUp;
    }
    match dfs.best_plan {
        Some(plan) => Outcome::Better(plan),
        None => Outcome::IncumbentOptimal,
    }
}

/// The objective of a schedule, as used by [`solve`].
pub(crate) fn score(state: &State, fairness: bool, cover_worth: u64) -> u64 {
    let covered = if fairness {
        state.meetings_of.iter().filter(|&&n| n > 0).count() as u64
    } else {
        0
    };
    state.value + covered * cover_worth
}

pub(crate) fn cover_worth(state: &State, candidates: &[usize]) -> u64 {
    candidates
        .iter()
        .map(|&r| state.p.requests[r].weight)
        .sum::<u64>()
        + 1
}

impl Dfs<'_, '_> {
    /// False when the budget ran out.
    fn go(&mut self, i: usize) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget {
            return false;
        }
        let here = score(self.s, self.cover_worth > 0, self.cover_worth);
        if i == self.order.len() {
            if here > self.best {
                self.best = here;
                let plan = self
                    .order
                    .iter()
                    .filter(|&&r| self.s.is_placed(r))
                    .map(|&r| (r, self.s.slot_of[r] as usize));
                self.best_plan = Some(plan.collect());
            }
            return true;
        }
        let mut optimistic = here + self.suffix_weight[i];
        if self.cover_worth > 0 {
            self.epoch += 1;
            let mut more = 0;
            for &r in &self.order[i..] {
                let (a, b) = self.s.ends(r);
                for who in [a, b] {
                    if self.s.meetings_of[who] == 0 && self.stamp[who] != self.epoch {
                        self.stamp[who] = self.epoch;
                        more += 1;
                    }
                }
            }
            optimistic += more * self.cover_worth;
        }
        if optimistic <= self.best {
            return true;
        }
        let r = self.order[i];
        for slot in 0..self.s.m {
            if self.s.fits(r, slot) {
                self.s.place(r, slot);
                let finished = self.go(i + 1);
                self.s.remove(r);
                if !finished {
                    return false;
                }
            }
        }
        self.go(i + 1)
    }
}
