//! Brute-force optimality on tiny instances, feasibility on large random ones, and input errors.

use super::*;

use crate::generate::Rng;

pub(crate) fn random_input(
    rng: &mut Rng,
    people: usize,
    requests: usize,
    slots: usize,
    tables: u32,
) -> Input {
    let slot_list: Vec<Slot> = (0..slots)
        .map(|i| Slot {
            id: format!("s{i}"),
            start: format!("2026-05-20T{:02}:{:02}:00+08:00", 9 + i / 3, (i % 3) * 20),
            minutes: 20,
        })
        .collect();
    let participants: Vec<Participant> = (0..people)
        .map(|i| Participant {
            id: format!("p{i}"),
            side: Some(if i % 2 == 0 { "demand" } else { "supply" }.into()),
            unavailable: (0..slots)
                .filter(|_| rng.below(6) == 0)
                .map(|s| format!("s{s}"))
                .collect(),
        })
        .collect();
    let mut pairs = std::collections::HashSet::new();
    let mut list = Vec::new();
    let mut tries = 0;
    while list.len() < requests && tries < requests * 20 {
        tries += 1;
        let a = rng.below(people as u64) as usize;
        let b = rng.below(people as u64) as usize;
        if a == b || !pairs.insert((a.min(b), a.max(b))) {
            continue;
        }
        list.push(Request {
            id: format!("r{}", list.len()),
            from: format!("p{a}"),
            to: format!("p{b}"),
            weight: 1 + rng.below(5) as u32,
        });
    }
    Input {
        slots: slot_list,
        tables: Some(tables),
        participants,
        requests: list,
        ..Input::default()
    }
}

/// By trying every slot (or none) for every request: the best total weight, and the best
/// (people with a meeting, total weight) in that order.
fn brute_force(input: &Input) -> (u64, (usize, u64)) {
    let mut best = (0u64, (0usize, 0u64));
    every_schedule(input, &mut |weight, met| {
        best.0 = best.0.max(weight);
        best.1 = best.1.max((met.len(), weight));
    });
    best
}

/// Calls `visit` with the weight and the people met of every feasible schedule.
fn every_schedule(input: &Input, visit: &mut dyn FnMut(u64, &std::collections::HashSet<String>)) {
    let slots = input.slots.len();
    let tables = input.tables.unwrap_or(0);
    let blocked = |who: &str, k: usize| {
        let slot = &input.slots[k].id;
        input
            .participants
            .iter()
            .any(|p| p.id == who && p.unavailable.iter().any(|s| s == slot))
    };
    let mut chosen: Vec<Option<usize>> = vec![None; input.requests.len()];
    loop {
        // Evaluate this assignment.
        let mut ok = true;
        let mut seen = std::collections::HashSet::new();
        let mut used = vec![0u32; slots];
        let mut weight = 0u64;
        let mut met = std::collections::HashSet::new();
        for (r, c) in input.requests.iter().zip(&chosen) {
            let Some(k) = *c else { continue };
            used[k] += 1;
            weight += u64::from(r.weight);
            for who in [&r.from, &r.to] {
                met.insert(who.clone());
                if blocked(who, k) || !seen.insert((who.clone(), k)) {
                    ok = false;
                }
            }
        }
        if ok && used.iter().all(|&u| u <= tables) {
            visit(weight, &met);
        }
        // Next assignment (odometer over None, 0, .., slots - 1).
        let mut i = 0;
        loop {
            if i == chosen.len() {
                return;
            }
            chosen[i] = match chosen[i] {
                None => Some(0),
                Some(k) if k + 1 < slots => Some(k + 1),
                Some(_) => None,
            };
            if chosen[i].is_some() {
                break;
            }
            i += 1;
        }
    }
}

fn no_exact() -> Options {
    Options {
        exact_nodes: 0,
        ..Options::default()
    }
}

#[test]
fn tiny_instances_are_solved_optimally_and_the_bound_holds() {
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    for case in 0..300 {
        let people = 2 + rng.below(5) as usize;
        let (requests, slots, tables) = (
            1 + rng.below(8) as usize,
            1 + rng.below(3) as usize,
            1 + rng.below(3) as u32,
        );
        let input = random_input(&mut rng, people, requests, slots, tables);
        let (best, best_fair) = brute_force(&input);
        let weight_only = Options {
            fairness: false,
            ..Options::default()
        };
        let out = schedule(&input, &weight_only).unwrap();
        assert_eq!(check(&input, &out), Vec::<String>::new(), "case {case}");
        assert_eq!(out.value, best, "case {case}: {input:?}");
        assert!(out.optimal && out.gap == 0.0, "case {case}");
        // The relaxation alone must never cut off the optimum.
        let relaxed = schedule(
            &input,
            &Options {
                fairness: false,
                ..no_exact()
            },
        )
        .unwrap();
        assert!(
            relaxed.upper_bound + 1e-9 >= best as f64,
            "case {case}: bound {} < {best}",
            relaxed.upper_bound
        );
        assert_eq!(check(&input, &relaxed), Vec::<String>::new(), "case {case}");
        // With fairness: the most people met, then the most weight.
        let fair = schedule(&input, &Options::default()).unwrap();
        assert_eq!(check(&input, &fair), Vec::<String>::new(), "case {case}");
        let wanted: std::collections::HashSet<&str> = input
            .requests
            .iter()
            .flat_map(|r| [r.from.as_str(), r.to.as_str()])
            .collect();
        let met = wanted.len() - fair.without_meeting.len();
        assert_eq!((met, fair.value), best_fair, "case {case}");
        assert!(
            fair.optimal && fair.upper_bound == fair.value as f64,
            "case {case}"
        );
        assert!(fair.unconstrained_bound >= best as f64, "case {case}");
        // Without the exhaustive search the fair bound must hold for every schedule that meets
        // at least the people this one meets.
        let heuristic = schedule(&input, &no_exact()).unwrap();
        assert_eq!(
            check(&input, &heuristic),
            Vec::<String>::new(),
            "case {case}"
        );
        let covered: std::collections::HashSet<String> = wanted
            .iter()
            .filter(|w| !heuristic.without_meeting.iter().any(|x| x == *w))
            .map(|w| w.to_string())
            .collect();
        let mut best_covering = 0;
        every_schedule(&input, &mut |weight, met| {
            if covered.is_subset(met) {
                best_covering = best_covering.max(weight);
            }
        });
        assert!(
            heuristic.upper_bound + 1e-9 >= best_covering as f64,
            "case {case}: {} < {best_covering}",
            heuristic.upper_bound
        );
    }
}

#[test]
fn large_random_instances_are_feasible_and_close_to_the_bound() {
    let mut rng = Rng::new(42);
    for (people, requests, slots, tables) in [(120, 800, 12, 40), (300, 2_000, 16, 80)] {
        let input = random_input(&mut rng, people, requests, slots, tables);
        let out = schedule(&input, &Options::default()).unwrap();
        assert_eq!(check(&input, &out), Vec::<String>::new());
        assert!(out.gap < 0.02, "gap {} on {people} people", out.gap);
    }
    for seed in 1..=3 {
        let spec = crate::generate::Spec {
            people: 200,
            requests: 1_500,
            slots: 12,
            tables: 60,
            seed,
        };
        let input = crate::generate::generate(&spec);
        let out = schedule(&input, &Options::default()).unwrap();
        assert_eq!(check(&input, &out), Vec::<String>::new(), "seed {seed}");
    }
}

#[test]
fn locked_meetings_stay_and_a_cancellation_moves_few_others() {
    let mut rng = Rng::new(7);
    let mut input = random_input(&mut rng, 60, 300, 10, 20);
    input.locked.push(Placement {
        request: "r5".into(),
        slot: "s3".into(),
        table: Some(7),
    });
    let blocked = |input: &Input, who: &str, slot: &str| {
        input
            .participants
            .iter()
            .any(|p| p.id == who && p.unavailable.iter().any(|s| s == slot))
    };
    let r5 = input.requests[5].clone();
    for who in [&r5.from, &r5.to] {
        for p in input.participants.iter_mut().filter(|p| &p.id == who) {
            p.unavailable.retain(|s| s != "s3");
        }
    }
    assert!(!blocked(&input, &r5.from, "s3"));
    let first = schedule(&input, &Options::default()).unwrap();
    assert_eq!(check(&input, &first), Vec::<String>::new());
    assert!(first.meetings.contains(&Meeting {
        request: "r5".into(),
        slot: "s3".into(),
        table: 7
    }));

    // Cancel three scheduled meetings and add a late request; start from the published schedule.
    let cancelled: Vec<String> = first
        .meetings
        .iter()
        .filter(|m| m.request != "r5")
        .take(3)
        .map(|m| m.request.clone())
        .collect();
    let mut again = input.clone();
    again.requests.retain(|r| !cancelled.contains(&r.id));
    again.previous = first
        .meetings
        .iter()
        .map(|m| Placement {
            request: m.request.clone(),
            slot: m.slot.clone(),
            table: Some(m.table),
        })
        .collect();
    let second = schedule(&again, &Options::default()).unwrap();
    assert_eq!(check(&again, &second), Vec::<String>::new());
    assert!(
        second.value + 15 >= first.value,
        "{} vs {}",
        second.value,
        first.value
    );
    assert!(
        second.moved <= first.meetings.len() / 10,
        "moved {}",
        second.moved
    );
}

#[test]
fn everyone_with_a_request_gets_a_meeting_when_possible() {
    // p0 is wanted by everyone with high priority; p9 only has a weak request to p0.
    let mut input = random_input(&mut Rng::new(3), 10, 0, 3, 5);
    input
        .participants
        .iter_mut()
        .for_each(|p| p.unavailable.clear());
    for (i, w) in [(1, 5), (2, 5), (3, 5), (9, 1)] {
        input.requests.push(Request {
            id: format!("r{i}"),
            from: format!("p{i}"),
            to: "p0".into(),
            weight: w,
        });
    }
    input.requests.push(Request {
        id: "r9b".into(),
        from: "p9".into(),
        to: "p4".into(),
        weight: 1,
    });
    let out = schedule(&input, &Options::default()).unwrap();
    assert_eq!(out.without_meeting, Vec::<String>::new());
    let unfair = schedule(
        &input,
        &Options {
            fairness: false,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(check(&input, &unfair), Vec::<String>::new());
}

#[test]
fn unschedulable_requests_say_why() {
    let mut input = random_input(&mut Rng::new(5), 3, 0, 2, 1);
    input.participants[0].unavailable = vec!["s0".into()];
    input.participants[1].unavailable = vec!["s1".into()];
    input.participants[2].unavailable.clear();
    input.requests = vec![
        Request {
            id: "r0".into(),
            from: "p0".into(),
            to: "p1".into(),
            weight: 3,
        },
        Request {
            id: "r1".into(),
            from: "p0".into(),
            to: "p2".into(),
            weight: 3,
        },
    ];
    let out = schedule(&input, &Options::default()).unwrap();
    assert_eq!(out.unscheduled.len(), 1);
    assert_eq!(
        out.unscheduled[0].reason,
        "p0 and p1 are never available in the same slot"
    );
}

#[test]
fn bad_input_names_the_item() {
    let base = random_input(&mut Rng::new(11), 4, 3, 2, 2);
    type Edit = Box<dyn Fn(&mut Input)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|i| i.requests[0].to = "nobody".into()),
            "requests[0] (r0).to: no participant has the id \"nobody\"",
        ),
        (
            Box::new(|i| i.requests[1].to = i.requests[1].from.clone()),
            "requests[1] (r1): ",
        ),
        (
            Box::new(|i| i.participants[2].unavailable = vec!["s9".into()]),
            "participants[2] (p2).unavailable: no slot",
        ),
        (
            Box::new(|i| i.slots[1].start = "tomorrow".into()),
            "slots[1] (s1).start: \"tomorrow\" is not an RFC 3339 time",
        ),
        (
            Box::new(|i| i.slots[1].start = i.slots[0].start.clone()),
            "slots (s0 and s1): the two slots overlap",
        ),
        (
            Box::new(|i| i.tables = None),
            "slots[0] (s0): no table count",
        ),
        (
            Box::new(|i| i.requests[2].weight = 0),
            "requests[2] (r2).weight",
        ),
        (
            Box::new(|i| {
                i.locked.push(Placement {
                    request: "r0".into(),
                    slot: "s0".into(),
                    table: Some(9),
                })
            }),
            "locked[0] (r0).table: table 9 does not exist in slot s0",
        ),
        (
            Box::new(|i| {
                i.locked.push(Placement {
                    request: "r7".into(),
                    slot: "s0".into(),
                    table: None,
                })
            }),
            "locked[0] (r7).request: no request has this id",
        ),
    ];
    for (edit, expected) in cases {
        let mut input = base.clone();
        for p in &mut input.participants {
            p.unavailable.clear();
        }
        edit(&mut input);
        let error = schedule(&input, &Options::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(expected),
            "{error:?} does not start with {expected:?}"
        );
    }
}

#[test]
fn the_checker_catches_broken_schedules() {
    let input = random_input(&mut Rng::new(13), 20, 60, 4, 3);
    let out = schedule(&input, &Options::default()).unwrap();
    assert!(check(&input, &out).is_empty());
    let mut twice = out.clone();
    twice.meetings.push(twice.meetings[0].clone());
    assert!(!check(&input, &twice).is_empty());
    let mut table = out.clone();
    table.meetings[0].table = 99;
    assert!(!check(&input, &table).is_empty());
    let mut dropped = out.clone();
    dropped.meetings.pop();
    assert!(!check(&input, &dropped).is_empty());
}
