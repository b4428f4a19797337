//! Min-cost flow on a directed graph with integer capacities and costs.
//!
//! The solver is the primal-dual method: Bellman-Ford once for initial potentials (costs may be
//! negative, negative cycles may not), then Dijkstra on reduced costs, and after every Dijkstra
//! a blocking flow (Dinic) on the edges whose reduced cost is zero. Each phase therefore pushes
//! every shortest augmenting path at once, which keeps bipartite problems with thousands of units
//! of flow fast.
//!
//! Because successive shortest paths augment along paths of non-decreasing cost, stopping
//! early gives a min-cost flow for the amount pushed so far; [`Stop::WhenUnprofitable`] uses this
//! to maximise a weight (costs are negated weights).

mod scaling;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Index of an edge returned by [`Network::add_edge`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeId(usize);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FlowError {
    #[error("the network has a negative-cost cycle")]
    NegativeCycle,
    #[error("node {0} is out of range")]
    NoSuchNode(usize),
    #[error("capacity of edge {from} -> {to} is negative")]
    NegativeCapacity { from: usize, to: usize },
    #[error("the supplies do not sum to zero")]
    Unbalanced,
    /// Not every supply can be routed. `short` lists (node, units that could not be sent);
    /// `reachable` marks the nodes on the source side of a minimum cut.
    #[error("the supplies cannot all be routed")]
    Infeasible {
        short: Vec<(usize, i64)>,
        reachable: Vec<bool>,
    },
}

/// When to stop augmenting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Push as much as possible up to the limit, whatever it costs (min-cost max-flow).
    AtLimit,
    /// Stop as soon as the next augmenting path would not lower the total cost
    /// (max-weight flow when costs are negated weights).
    WhenUnprofitable,
}

/// Result of [`Network::solve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flow {
    pub amount: i64,
    pub cost: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Arc {
    to: usize,
    cap: i64,
    cost: i64,
}

/// A flow network. Edges are stored in pairs: edge `2k` and its residual twin `2k + 1`.
#[derive(Clone, Debug, Default)]
pub struct Network {
    arcs: Vec<Arc>,
    out: Vec<Vec<usize>>,
    original: Vec<i64>,
}

const INF: i64 = i64::MAX / 4;

impl Network {
    pub fn new(nodes: usize) -> Self {
        Network {
            arcs: Vec::new(),
            out: vec![Vec::new(); nodes],
            original: Vec::new(),
        }
    }

    pub fn add_edge(
        &mut self,
        from: usize,
        to: usize,
        cap: i64,
        cost: i64,
    ) -> Result<EdgeId, FlowError> {
        let n = self.out.len();
        for v in [from, to] {
            if v >= n {
                return Err(FlowError::NoSuchNode(v));
            }
        }
        if cap < 0 {
            return Err(FlowError::NegativeCapacity { from, to });
        }
        let id = self.arcs.len();
        self.arcs.push(Arc { to, cap, cost });
        self.arcs.push(Arc {
            to: from,
            cap: 0,
            cost: -cost,
        });
        self.out[from].push(id);
        self.out[to].push(id + 1);
        self.original.push(cap);
        Ok(EdgeId(id))
    }

    /// Units of flow on an edge after [`Network::solve`].
    pub fn flow(&self, edge: EdgeId) -> i64 {
        self.original[edge.0 / 2] - self.arcs[edge.0].cap
    }

    /// Sends up to `limit` units from `source` to `sink` at minimum cost.
    pub fn solve(
        &mut self,
        source: usize,
        sink: usize,
        limit: i64,
        stop: Stop,
    ) -> Result<Flow, FlowError> {
        let n = self.out.len();
        for v in [source, sink] {
            if v >= n {
                return Err(FlowError::NoSuchNode(v));
            }
        }
        let mut potential = self.bellman_ford(source)?;
        let mut total = Flow { amount: 0, cost: 0 };
        let mut dist = vec![INF; n];
        let mut level = vec![u32::MAX; n];
        let mut next = vec![0usize; n];
        while total.amount < limit {
            if !self.dijkstra(source, sink, &potential, &mut dist) {
                break;
            }
            for v in 0..n {
                if dist[v] < INF {
                    potential[v] += dist[v];
                }
            }
            let path_cost = potential[sink] - potential[source];
            if stop == Stop::WhenUnprofitable && path_cost >= 0 {
                break;
            }
            // Blocking flows on the admissible (zero reduced cost) subgraph.
            while total.amount < limit && self.levels(source, sink, &potential, &mut level) {
                next.iter_mut().for_each(|i| *i = 0);
                loop {
                    let pushed = self.push(
                        source,
                        sink,
                        limit - total.amount,
                        &potential,
                        &level,
                        &mut next,
                    );
                    if pushed == 0 {
                        break;
                    }
                    total.amount += pushed;
                    total.cost += pushed * path_cost;
                    if total.amount >= limit {
                        break;
                    }
                }
            }
        }
        Ok(total)
    }

    fn bellman_ford(&self, source: usize) -> Result<Vec<i64>, FlowError> {
        let n = self.out.len();
        let mut dist = vec![INF; n];
        dist[source] = 0;
        let mut queue = std::collections::VecDeque::from([source]);
        let mut queued = vec![false; n];
        let mut relaxed = vec![0usize; n];
        queued[source] = true;
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            for &e in &self.out[u] {
                let arc = &self.arcs[e];
                if arc.cap > 0 && dist[u] + arc.cost < dist[arc.to] {
                    dist[arc.to] = dist[u] + arc.cost;
                    if !queued[arc.to] {
                        relaxed[arc.to] += 1;
                        if relaxed[arc.to] > n {
                            return Err(FlowError::NegativeCycle);
                        }
                        queued[arc.to] = true;
                        queue.push_back(arc.to);
                    }
                }
            }
        }
        // Unreachable nodes stay unreachable: no residual edge into them can appear.
        Ok(dist
            .into_iter()
            .map(|d| if d == INF { 0 } else { d })
            .collect())
    }

    fn reduced(&self, u: usize, e: usize, potential: &[i64]) -> i64 {
        let arc = &self.arcs[e];
        arc.cost + potential[u] - potential[arc.to]
    }

    fn dijkstra(&self, source: usize, sink: usize, potential: &[i64], dist: &mut [i64]) -> bool {
        dist.iter_mut().for_each(|d| *d = INF);
        dist[source] = 0;
        let mut heap = BinaryHeap::from([Reverse((0i64, source))]);
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &e in &self.out[u] {
                let arc = &self.arcs[e];
                if arc.cap <= 0 {
                    continue;
                }
                let nd = d + self.reduced(u, e, potential);
                if nd < dist[arc.to] {
                    dist[arc.to] = nd;
                    heap.push(Reverse((nd, arc.to)));
                }
            }
        }
        dist[sink] < INF
    }

    fn admissible(&self, u: usize, e: usize, potential: &[i64]) -> bool {
        self.arcs[e].cap > 0 && self.reduced(u, e, potential) == 0
    }

    fn levels(&self, source: usize, sink: usize, potential: &[i64], level: &mut [u32]) -> bool {
        level.iter_mut().for_each(|l| *l = u32::MAX);
        level[source] = 0;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(u) = queue.pop_front() {
            for &e in &self.out[u] {
                let to = self.arcs[e].to;
                if level[to] == u32::MAX && self.admissible(u, e, potential) {
                    level[to] = level[u] + 1;
                    queue.push_back(to);
                }
            }
        }
        level[sink] != u32::MAX
    }

    fn push(
        &mut self,
        u: usize,
        sink: usize,
        limit: i64,
        potential: &[i64],
        level: &[u32],
        next: &mut [usize],
    ) -> i64 {
        if u == sink {
            return limit;
        }
        while next[u] < self.out[u].len() {
            let e = self.out[u][next[u]];
            let to = self.arcs[e].to;
            if level[to] == level[u] + 1 && self.admissible(u, e, potential) {
                let pushed = self.push(
                    to,
                    sink,
                    limit.min(self.arcs[e].cap),
                    potential,
                    level,
                    next,
                );
                if pushed > 0 {
                    self.arcs[e].cap -= pushed;
                    self.arcs[e ^ 1].cap += pushed;
                    return pushed;
                }
            }
            next[u] += 1;
        }
        0
    }
}

#[cfg(test)]
mod tests;
