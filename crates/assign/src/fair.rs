//! The fair mode: raise the worst-off application's total affinity, then the sum.

use std::collections::HashMap;

use crate::problem::Problem;
use crate::AssignError;

/// Rounds of re-weighted exact solves.
const ROUNDS: usize = 6;
/// Passes of exchanges.
const PASSES: usize = 4;

fn min_of(totals: &[f64]) -> f64 {
    totals.iter().copied().fold(f64::INFINITY, f64::min)
}

/// From the exact sum optimum `start`: re-solve with more weight on weak applications, keep the
/// assignment with the best minimum (then sum), and improve it by exchanges.
/// Stops re-solving once the minimum reaches `bound` (proven best).
pub(crate) fn improve(
    p: &Problem,
    start: Vec<usize>,
    bound: f64,
) -> Result<Vec<usize>, AssignError> {
    if p.apps.is_empty() {
        return Ok(start);
    }
    let better = |a: &[f64], b: &[f64]| {
        let (ma, mb) = (min_of(a), min_of(b));
        ma > mb + 1e-12
            || ((ma - mb).abs() <= 1e-12 && a.iter().sum::<f64>() > b.iter().sum::<f64>())
    };
    let mut best_totals = p.totals(&start);
    let mut best = start;
    let mut weight = vec![1.0; p.apps.len()];
    let mut totals = best_totals.clone();
    for _ in 0..ROUNDS {
        if min_of(&best_totals) >= bound - 1e-9 {
            break;
        }
        let mean = totals.iter().sum::<f64>() / totals.len() as f64;
        if mean <= 0.0 {
            break;
        }
        for (w, t) in weight.iter_mut().zip(&totals) {
            *w *= 1.0 + 3.0 * ((mean - t) / mean).clamp(0.0, 1.0);
        }
        let top = weight.iter().copied().fold(0.0, f64::max);
        weight.iter_mut().for_each(|w| *w /= top);
        let next = p.solve(&weight)?;
        totals = p.totals(&next);
        if better(&totals, &best_totals) {
            best_totals = totals.clone();
            best = next;
        }
    }
    let mut state = State::new(p, &best);
    state.raise_minimum();
    let floor = min_of(&state.totals);
    state.raise_sum(floor);
    Ok(state.chosen())
}

/// Application `a` moves from pair `k` to pair `k2`; optionally application `b` moves from `kb`
/// to `kb2` in exchange: `(k, k2, Some((b, kb, kb2)))`.
type Move = (usize, usize, Option<(usize, usize, usize)>);

struct State<'p> {
    p: &'p Problem,
    /// Per application: (expert, pair index) assigned, forced pairs aside.
    has: Vec<Vec<(usize, usize)>>,
    /// Per expert: applications holding them (forced aside).
    holders: Vec<Vec<usize>>,
    load: Vec<u32>,
    totals: Vec<f64>,
    pair: HashMap<(usize, usize), usize>,
    /// Per application: candidate pairs, best first.
    candidates: Vec<Vec<usize>>,
}

impl<'p> State<'p> {
    fn new(p: &'p Problem, chosen: &[usize]) -> Self {
        let mut s = State {
            p,
            has: vec![Vec::new(); p.apps.len()],
            holders: vec![Vec::new(); p.experts.len()],
            load: vec![0; p.experts.len()],
            totals: p.totals(chosen),
            pair: p
                .pairs
                .iter()
                .enumerate()
                .map(|(k, q)| ((q.a, q.e), k))
                .collect(),
            candidates: vec![Vec::new(); p.apps.len()],
        };
        for &k in chosen {
            let q = &p.pairs[k];
            s.has[q.a].push((q.e, k));
            s.holders[q.e].push(q.a);
            s.load[q.e] += 1;
        }
        for (k, q) in p.pairs.iter().enumerate() {
            s.candidates[q.a].push(k);
        }
        for c in &mut s.candidates {
            c.sort_by(|&x, &y| p.pairs[y].score.total_cmp(&p.pairs[x].score));
        }
        s
    }

    fn chosen(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.has.iter().flatten().map(|&(_, k)| k).collect();
        out.sort_unstable();
        out
    }

    fn holds(&self, a: usize, e: usize) -> bool {
        self.has[a].iter().any(|&(x, _)| x == e)
    }

    fn score(&self, k: usize) -> f64 {
        self.p.pairs[k].score
    }

    /// Move application `a` from pair `k` (expert e) to pair `k2` (expert e2).
    fn reassign(&mut self, a: usize, k: usize, k2: usize) {
        let (e, e2) = (self.p.pairs[k].e, self.p.pairs[k2].e);
        if let Some(slot) = self.has[a].iter_mut().find(|(x, _)| *x == e) {
            *slot = (e2, k2);
        }
        if let Some(pos) = self.holders[e].iter().position(|&x| x == a) {
            self.holders[e].swap_remove(pos);
        }
        self.holders[e2].push(a);
        self.load[e] -= 1;
        self.load[e2] += 1;
        self.totals[a] += self.score(k2) - self.score(k);
    }

    /// The first exchange (best candidates first) that raises `a`'s total and keeps the other
    /// application involved above `floor` (or at it, unless `strict_floor`).
    fn best_move(&self, a: usize, floor: f64, strict_floor: bool) -> Option<Move> {
        let ok = |t: f64| {
            if strict_floor {
                t > floor + 1e-12
            } else {
                t >= floor - 1e-12
            }
        };
        for &(e, k) in &self.has[a] {
            for &k2 in &self.candidates[a] {
                let e2 = self.p.pairs[k2].e;
                if self.score(k2) <= self.score(k) + 1e-12 {
                    break;
                }
                if self.holds(a, e2) {
                    continue;
                }
                if self.load[e2] < self.p.experts[e2].room && self.load[e] > self.p.experts[e].must
                {
                    return Some((k, k2, None));
                }
                // Swap with an application b that holds e2 and may take e instead.
                for &b in &self.holders[e2] {
                    if b == a || self.holds(b, e) {
                        continue;
                    }
                    let (Some(&kb), Some(&kb2)) = (self.pair.get(&(b, e2)), self.pair.get(&(b, e)))
                    else {
                        continue;
                    };
                    let new_b = self.totals[b] - self.score(kb) + self.score(kb2);
                    if ok(new_b) {
                        return Some((k, k2, Some((b, kb, kb2))));
                    }
                }
            }
        }
        None
    }

    fn apply(&mut self, a: usize, k: usize, k2: usize, swap: Option<(usize, usize, usize)>) {
        match swap {
            None => self.reassign(a, k, k2),
            Some((b, kb, kb2)) => {
                // a: e → e2, b: e2 → e; loads stay.
                self.reassign(a, k, k2);
                self.reassign(b, kb, kb2);
            }
        }
    }

    /// Repeatedly improve the worst application while no one else falls to its level.
    fn raise_minimum(&mut self) {
        let limit = 20 * self.p.apps.len() + 100;
        for _ in 0..limit {
            let a = (0..self.totals.len())
                .min_by(|&x, &y| self.totals[x].total_cmp(&self.totals[y]))
                .unwrap_or(0);
            let floor = self.totals[a];
            match self.best_move(a, floor, true) {
                Some((k, k2, swap)) => self.apply(a, k, k2, swap),
                None => break,
            }
        }
    }

    /// Improve each application's total while nobody falls below `floor`.
    fn raise_sum(&mut self, floor: f64) {
        for _ in 0..PASSES {
            let mut changed = false;
            for a in 0..self.p.apps.len() {
                while let Some((k, k2, swap)) = self.best_move_sum(a, floor) {
                    self.apply(a, k, k2, swap);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Like `best_move`, but a swap must raise the sum.
    fn best_move_sum(&self, a: usize, floor: f64) -> Option<Move> {
        let (k, k2, swap) = self.best_move(a, floor, false)?;
        match swap {
            None => Some((k, k2, None)),
            Some((b, kb, kb2)) => {
                let gain = self.score(k2) - self.score(k) + self.score(kb2) - self.score(kb);
                (gain > 1e-12).then_some((k, k2, Some((b, kb, kb2))))
            }
        }
    }
}
