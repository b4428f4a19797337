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
