use super::*;

/// Max-weight bipartite matching by brute force over all subsets of edges.
fn brute_matching(left: usize, right: usize, edges: &[(usize, usize, i64)]) -> i64 {
    let mut best = 0;
    for mask in 0u32..(1 << edges.len()) {
        let mut used_l = vec![false; left];
        let mut used_r = vec![false; right];
        let mut weight = 0;
        let mut ok = true;
        for (i, &(l, r, w)) in edges.iter().enumerate() {
            if mask & (1 << i) != 0 {
                if used_l[l] || used_r[r] {
                    ok = false;
                    break;
                }
                used_l[l] = true;
                used_r[r] = true;
                weight += w;
            }
        }
        if ok {
            best = best.max(weight);
        }
    }
    best
}

fn flow_matching(left: usize, right: usize, edges: &[(usize, usize, i64)]) -> i64 {
    let (s, t) = (0, 1);
    let mut net = Network::new(2 + left + right);
    for l in 0..left {
        net.add_edge(s, 2 + l, 1, 0).unwrap();
    }
    for r in 0..right {
        net.add_edge(2 + left + r, t, 1, 0).unwrap();
    }
    for &(l, r, w) in edges {
        net.add_edge(2 + l, 2 + left + r, 1, -w).unwrap();
    }
    -net.solve(s, t, i64::MAX, Stop::WhenUnprofitable)
        .unwrap()
        .cost
}

#[test]
fn max_weight_matching_agrees_with_brute_force() {
    let mut seed = 7u64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    for _ in 0..300 {
        let left = 1 + next(4) as usize;
        let right = 1 + next(4) as usize;
        let n_edges = next(10) as usize;
        let edges: Vec<_> = (0..n_edges)
            .map(|_| {
                (
                    next(left as u64) as usize,
                    next(right as u64) as usize,
                    next(9) as i64 + 1,
                )
            })
            .collect();
        assert_eq!(
            flow_matching(left, right, &edges),
            brute_matching(left, right, &edges),
            "{edges:?}"
        );
    }
}

#[test]
fn min_cost_max_flow_on_a_known_network() {
    // Two routes from 0 to 3: via 1 (cap 2, cost 1+1) and via 2 (cap 3, cost 2+2); direct 1->2.
    let mut net = Network::new(4);
    let a = net.add_edge(0, 1, 2, 1).unwrap();
    net.add_edge(1, 3, 2, 1).unwrap();
    let b = net.add_edge(0, 2, 3, 2).unwrap();
    net.add_edge(2, 3, 3, 2).unwrap();
    net.add_edge(1, 2, 5, 0).unwrap();
    let flow = net.solve(0, 3, i64::MAX, Stop::AtLimit).unwrap();
    assert_eq!(
        flow,
        Flow {
            amount: 5,
            cost: 2 * 2 + 3 * 4
        }
    );
    assert_eq!((net.flow(a), net.flow(b)), (2, 3));
}

#[test]
fn the_limit_caps_the_amount_and_takes_the_cheapest_units() {
    let mut net = Network::new(2);
    net.add_edge(0, 1, 3, 5).unwrap();
    net.add_edge(0, 1, 3, 1).unwrap();
    let flow = net.solve(0, 1, 4, Stop::AtLimit).unwrap();
    assert_eq!(
        flow,
        Flow {
            amount: 4,
            cost: 3 + 5
        }
    );
}

#[test]
fn unprofitable_paths_are_not_taken() {
    let mut net = Network::new(2);
    net.add_edge(0, 1, 1, -4).unwrap();
    net.add_edge(0, 1, 1, 0).unwrap();
    net.add_edge(0, 1, 1, 3).unwrap();
    let flow = net.solve(0, 1, 10, Stop::WhenUnprofitable).unwrap();
    assert_eq!(
        flow,
        Flow {
            amount: 1,
            cost: -4
        }
    );
}

#[test]
fn negative_cycles_and_bad_nodes_are_errors() {
    let mut net = Network::new(3);
    net.add_edge(0, 1, 1, 0).unwrap();
    net.add_edge(1, 2, 1, -2).unwrap();
    net.add_edge(2, 1, 1, 1).unwrap();
    assert_eq!(
        net.solve(0, 2, 1, Stop::AtLimit),
        Err(FlowError::NegativeCycle)
    );
    assert_eq!(net.add_edge(0, 9, 1, 0), Err(FlowError::NoSuchNode(9)));
    assert!(matches!(
        net.add_edge(0, 1, -1, 0),
        Err(FlowError::NegativeCapacity { .. })
    ));
}

/// A random transportation problem solved both ways: successive shortest paths from a super
/// source (with the amount fixed) and cost scaling with supplies.
#[test]
fn cost_scaling_agrees_with_successive_shortest_paths() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    for case in 0..200 {
        let left = 1 + next(6) as usize;
        let right = 1 + next(6) as usize;
        let mut edges = Vec::new();
        for l in 0..left {
            for r in 0..right {
                if next(3) > 0 {
                    edges.push((l, r, 1 + next(3) as i64, next(2001) as i64 - 1000));
                }
            }
        }
        let give: Vec<i64> = (0..left).map(|_| next(4) as i64).collect();
        let room: Vec<i64> = (0..right).map(|_| next(5) as i64).collect();
        // Reference: how much can be routed at all, and at what least cost.
        let (s, t) = (left + right, left + right + 1);
        let mut reference = Network::new(left + right + 2);
        for (l, &g) in give.iter().enumerate() {
            reference.add_edge(s, l, g, 0).unwrap();
        }
        for (r, &c) in room.iter().enumerate() {
            reference.add_edge(left + r, t, c, 0).unwrap();
        }
        for &(l, r, cap, cost) in &edges {
            reference.add_edge(l, left + r, cap, cost).unwrap();
        }
        let best = reference.solve(s, t, i64::MAX, Stop::AtLimit).unwrap();
        // Cost scaling with the routable amount as supplies: the sink takes what arrives.
        let mut net = Network::new(left + right + 1);
        let sink = left + right;
        for (r, &c) in room.iter().enumerate() {
            net.add_edge(left + r, sink, c, 0).unwrap();
        }
        for &(l, r, cap, cost) in &edges {
            net.add_edge(l, left + r, cap, cost).unwrap();
        }
        // Supplies from the reference's flow out of each left node.
        let mut supply = vec![0i64; left + right + 1];
        for (k, &g) in give.iter().enumerate() {
            supply[k] = g - reference.arcs[2 * k].cap;
        }
        supply[sink] = -supply.iter().sum::<i64>();
        // The reference's split of supplies is optimal, so with that split fixed the least cost
        // is the same.
        let cost = net.solve_supplies(&supply).unwrap();
        assert_eq!(cost, best.cost, "case {case}");
    }
}

#[test]
fn infeasible_supplies_name_the_nodes_that_cannot_send() {
    // Two senders of 2 units, one receiver of 4: feasible, 4 units at cost 1.
    let mut net = Network::new(3);
    net.add_edge(0, 2, 5, 1).unwrap();
    net.add_edge(1, 2, 5, 1).unwrap();
    assert_eq!(net.solve_supplies(&[2, 2, -4]), Ok(4));
    // Node 0 must send 2 but has one unit arc out.
    let mut net = Network::new(4);
    net.add_edge(0, 2, 1, 1).unwrap();
    net.add_edge(1, 2, 1, 1).unwrap();
    net.add_edge(1, 3, 1, 1).unwrap();
    match net.solve_supplies(&[2, 1, -2, -1]) {
        Err(FlowError::Infeasible { short, reachable }) => {
            assert_eq!(short, vec![(0, 1)]);
            assert!(reachable[0] && !reachable[3]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Network::new(2).solve_supplies(&[1, 0]),
        Err(FlowError::Unbalanced)
    );
}
