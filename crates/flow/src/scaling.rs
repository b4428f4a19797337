//! Min-cost flow with node supplies by cost scaling (Goldberg–Tarjan push-relabel).
//!
//! A feasible flow comes first, from a maximum flow (Dinic) between a super source feeding the
//! nodes with supply and a super sink draining those with demand; infeasible supplies are
//! reported with the set of nodes the super source still reaches (a minimum cut), so callers can
//! say *who* cannot be served. Then the flow is improved to optimality: costs are multiplied by
//! `n + 1` and ε shrinks by a factor of 8 from the largest cost down to 1; each refinement
//! saturates every arc of negative reduced cost and pushes the excess back along admissible arcs,
//! relabelling nodes when stuck. A flow that is 1-optimal for costs scaled by `n + 1` is optimal.
//! Unlike successive shortest paths, the work does not grow with the number of distinct costs,
//! which makes it the right tool for large assignment problems with real-valued scores.

use std::collections::VecDeque;

use crate::{FlowError, Network};

const ALPHA: i64 = 8;

impl Network {
    /// Route every node's supply (positive: sends, negative: receives; they must sum to zero) at
    /// minimum cost. Returns the cost. Costs may be negative; the network must not have a
    /// negative-cost cycle of unbounded capacity (every capacity is finite, so any cycle is fine).
    pub fn solve_supplies(&mut self, supply: &[i64]) -> Result<i64, FlowError> {
        let n = self.out.len();
        if supply.len() != n {
            return Err(FlowError::NoSuchNode(supply.len()));
        }
        if supply.iter().sum::<i64>() != 0 {
            return Err(FlowError::Unbalanced);
        }
        self.feasible(supply)?;
        self.cost_scaling();
        Ok(self.total_cost())
    }

    /// Σ flow × cost over the edges added by `add_edge`.
    pub fn total_cost(&self) -> i64 {
        (0..self.original.len())
            .map(|k| (self.original[k] - self.arcs[2 * k].cap) * self.arcs[2 * k].cost)
            .sum()
    }

    /// A flow meeting the supplies, from a maximum flow between a super source and sink that
    /// are added and removed again.
    fn feasible(&mut self, supply: &[i64]) -> Result<(), FlowError> {
        let n = self.out.len();
        let (s, t) = (n, n + 1);
        self.out.push(Vec::new());
        self.out.push(Vec::new());
        let first = self.arcs.len();
        let mut need = 0;
        for (v, &b) in supply.iter().enumerate() {
            if b > 0 {
                self.raw_edge(s, v, b);
                need += b;
            } else if b < 0 {
                self.raw_edge(v, t, -b);
            }
        }
        let got = self.max_flow(s, t);
        let result = if got < need {
            let reach = self.reachable(s);
            let short = (first..self.arcs.len())
                .step_by(2)
                .filter(|&e| self.arcs[e ^ 1].to == s && self.arcs[e].cap > 0)
                .map(|e| (self.arcs[e].to, self.arcs[e].cap))
                .collect();
            Err(FlowError::Infeasible {
                short,
                reachable: reach[..n].to_vec(),
            })
        } else {
            Ok(())
        };
        // Remove the super arcs (all at the end of the arc list) and nodes.
        for e in (first..self.arcs.len()).rev() {
            let from = self.arcs[e ^ 1].to;
            if let Some(pos) = self.out[from].iter().rposition(|&x| x == e) {
                self.out[from].swap_remove(pos);
            }
        }
        self.arcs.truncate(first);
        self.out.truncate(n);
        result
    }

    /// An arc that is not one of the caller's edges (no entry in `original`).
    fn raw_edge(&mut self, from: usize, to: usize, cap: i64) {
        let id = self.arcs.len();
        self.arcs.push(crate::Arc { to, cap, cost: 0 });
        self.arcs.push(crate::Arc {
            to: from,
            cap: 0,
            cost: 0,
        });
        self.out[from].push(id);
        self.out[to].push(id + 1);
    }

    fn reachable(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.out.len()];
        seen[s] = true;
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for &e in &self.out[u] {
                let v = self.arcs[e].to;
                if self.arcs[e].cap > 0 && !seen[v] {
                    seen[v] = true;
                    queue.push_back(v);
                }
            }
        }
        seen
    }

    /// Dinic's maximum flow; returns the amount.
    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let n = self.out.len();
        let mut total = 0;
        let mut level = vec![u32::MAX; n];
        let mut next = vec![0usize; n];
        loop {
            level.iter_mut().for_each(|l| *l = u32::MAX);
            level[s] = 0;
            let mut queue = VecDeque::from([s]);
            while let Some(u) = queue.pop_front() {
                for &e in &self.out[u] {
                    let v = self.arcs[e].to;
                    if self.arcs[e].cap > 0 && level[v] == u32::MAX {
                        level[v] = level[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            if level[t] == u32::MAX {
                return total;
            }
            next.iter_mut().for_each(|i| *i = 0);
            loop {
                let pushed = self.augment(s, t, i64::MAX, &level, &mut next);
                if pushed == 0 {
                    break;
                }
                total += pushed;
            }
        }
    }

    /// One augmenting path in the level graph, iteratively (paths can be long).
    fn augment(
        &mut self,
        s: usize,
        t: usize,
        limit: i64,
        level: &[u32],
        next: &mut [usize],
    ) -> i64 {
        let mut path: Vec<usize> = Vec::new();
        let mut u = s;
        loop {
            if u == t {
                let pushed = path
                    .iter()
                    .map(|&e| self.arcs[e].cap)
                    .min()
                    .unwrap_or(0)
                    .min(limit);
                for &e in &path {
                    self.arcs[e].cap -= pushed;
                    self.arcs[e ^ 1].cap += pushed;
                }
                return pushed;
            }
            let mut advanced = false;
            while next[u] < self.out[u].len() {
                let e = self.out[u][next[u]];
                let v = self.arcs[e].to;
                if self.arcs[e].cap > 0 && level[v] == level[u].wrapping_add(1) {
                    path.push(e);
                    u = v;
                    advanced = true;
                    break;
                }
                next[u] += 1;
            }
            if !advanced {
                // Dead end: retreat.
                match path.pop() {
                    Some(e) => {
                        u = self.arcs[e ^ 1].to;
                        next[u] += 1;
                    }
                    None => return 0,
                }
            }
        }
    }

    fn cost_scaling(&mut self) {
        let n = self.out.len();
        let mult = n as i64 + 1;
        let max = self.arcs.iter().map(|a| a.cost.abs()).max().unwrap_or(0) * mult;
        if max == 0 {
            return;
        }
        let mut price = vec![0i64; n];
        let mut excess = vec![0i64; n];
        let mut eps = max;
        while eps > 1 {
            eps = (eps / ALPHA).max(1);
            self.refine(eps, mult, &mut price, &mut excess);
        }
    }

    fn refine(&mut self, eps: i64, mult: i64, price: &mut [i64], excess: &mut [i64]) {
        let n = self.out.len();
        let reduced = |arcs: &[crate::Arc], price: &[i64], u: usize, e: usize| {
            arcs[e].cost * mult + price[u] - price[arcs[e].to]
        };
        // Saturate every residual arc of negative reduced cost.
        for u in 0..n {
            for i in 0..self.out[u].len() {
                let e = self.out[u][i];
                let cap = self.arcs[e].cap;
                if cap > 0 && reduced(&self.arcs, price, u, e) < 0 {
                    let v = self.arcs[e].to;
                    self.arcs[e].cap = 0;
                    self.arcs[e ^ 1].cap += cap;
                    excess[u] -= cap;
                    excess[v] += cap;
                }
            }
        }
        let mut queue: VecDeque<usize> = (0..n).filter(|&v| excess[v] > 0).collect();
        let mut queued: Vec<bool> = (0..n).map(|v| excess[v] > 0).collect();
        let mut current = vec![0usize; n];
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            while excess[u] > 0 {
                if current[u] == self.out[u].len() {
                    // Relabel: make the best residual arc admissible.
                    let best = self.out[u]
                        .iter()
                        .filter(|&&e| self.arcs[e].cap > 0)
                        .map(|&e| price[self.arcs[e].to] - self.arcs[e].cost * mult)
                        .max()
                        .expect("a node with excess has a residual arc in a feasible network");
                    price[u] = best - eps;
                    current[u] = 0;
                    continue;
                }
                let e = self.out[u][current[u]];
                if self.arcs[e].cap > 0 && reduced(&self.arcs, price, u, e) < 0 {
                    let v = self.arcs[e].to;
                    let delta = excess[u].min(self.arcs[e].cap);
                    self.arcs[e].cap -= delta;
                    self.arcs[e ^ 1].cap += delta;
                    excess[u] -= delta;
                    excess[v] += delta;
                    if excess[v] > 0 && !queued[v] {
                        queued[v] = true;
                        queue.push_back(v);
                    }
                } else {
                    current[u] += 1;
                }
            }
        }
    }
}
