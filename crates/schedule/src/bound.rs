//! A proven upper bound from a flow relaxation.
//!
//! Drop the rule that a person meets at most once per slot and keep only: a person meets at most
//! as many times as there are slots they can use, a request is met at most once, and the event
//! holds at most as many meetings as it has usable tables. What remains is a fractional
//! b-matching problem. Its LP optimum is the max-weight flow on the bipartite double cover (each
//! person has an "out" and an "in" copy; a request is two unit arcs of its full weight, one each
//! way; all quantities doubled), which is an upper bound on every feasible schedule. When every
//! request joins two sides (demand ↔ supply) the double cover gives the same value as the direct
//! bipartite flow.

use duijie_flow::{Network, Stop};

use crate::state::{State, FREE};

pub(crate) struct Bound {
    /// Upper bound on the total weight, locked meetings included.
    pub value: f64,
    /// Per request, units of relaxed flow (0, 1 or 2): a hint of which requests an optimal
    /// schedule is likely to contain.
    pub hint: Vec<u8>,
}

/// `state` holds only the locked meetings. With `cover`, the bound is over the schedules that
/// give a meeting to every person marked: each of their two copies gets a first unit worth a
/// bonus larger than all weights together, so the flow covers them first (a feasible schedule
/// with that cover maps to such a flow) and the bonus is taken off again.
pub(crate) fn upper_bound(state: &State, cover: Option<&[bool]>) -> Bound {
    let p = state.p;
    let n = p.people.len();
    let m = state.m;
    let free = |who: usize, s: usize| state.at(who, s) == FREE;
    let open: Vec<bool> = (0..m).map(|s| state.has_room(s)).collect();
    // Requests that could still be met, and the slots each person could use for one of them.
    let mut usable = vec![vec![false; m]; n];
    let mut candidates = Vec::new();
    for (r, req) in p.requests.iter().enumerate() {
        if state.locked[r] {
            continue;
        }
        let mut any = false;
        for s in 0..m {
            if open[s] && free(req.a, s) && free(req.b, s) {
                usable[req.a][s] = true;
                usable[req.b][s] = true;
                any = true;
            }
        }
        if any {
            candidates.push(r);
        }
    }
    let degree: Vec<i64> = usable
        .iter()
        .map(|u| u.iter().filter(|&&x| x).count() as i64)
        .collect();
    // A slot holds at most its free tables and at most half of the people free in it.
    let capacity: i64 = (0..m)
        .map(|s| {
            let tables = i64::from(p.slots[s].tables - state.count[s]);
            let people = (0..n).filter(|&who| usable[who][s]).count() as i64;
            tables.min(people / 2)
        })
        .sum();

    let (source, sink) = (0, 1);
    let out = |who: usize| 2 + who;
    let inn = |who: usize| 2 + n + who;
    let mut net = Network::new(2 + 2 * n);
    let mut arcs = Vec::with_capacity(candidates.len());
    let expect = "node indices are in range and capacities non-negative";
    // Each copy of a request carries its weight, so all weights together are 2 × their sum.
    let bonus: i64 = 1 + 2 * candidates
        .iter()
        .map(|&r| p.requests[r].weight as i64)
        .sum::<i64>();
    let mut bonus_units = 0i64;
    for who in 0..n {
        if degree[who] == 0 {
            continue;
        }
        let first = if cover.is_some_and(|c| c[who]) {
            bonus_units += 2;
            net.add_edge(source, out(who), 1, -bonus).expect(expect);
            net.add_edge(inn(who), sink, 1, -bonus).expect(expect);
            1
        } else {
            0
        };
        net.add_edge(source, out(who), degree[who] - first, 0)
            .expect(expect);
        net.add_edge(inn(who), sink, degree[who] - first, 0)
            .expect(expect);
    }
    for &r in &candidates {
        let req = &p.requests[r];
        let w = req.weight as i64;
        let one = net.add_edge(out(req.a), inn(req.b), 1, -w).expect(expect);
        let two = net.add_edge(out(req.b), inn(req.a), 1, -w).expect(expect);
        arcs.push((r, one, two));
    }
    // The network is acyclic, so there is no negative cycle.
    let flow = net
        .solve(source, sink, 2 * capacity, Stop::WhenUnprofitable)
        .expect("acyclic network");
    let mut hint = vec![0u8; p.requests.len()];
    for (r, one, two) in arcs {
        hint[r] = (net.flow(one) + net.flow(two)) as u8;
    }
    let locked_value: u64 = p.locked.iter().map(|f| p.requests[f.request].weight).sum();
    Bound {
        value: locked_value as f64 + (-(flow.cost + bonus_units * bonus)) as f64 / 2.0,
        hint,
    }
}
