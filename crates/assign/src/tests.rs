//! Brute force on small instances; conflicts never assigned on large ones; errors named.

use super::*;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn random(rng: &mut Rng, apps: usize, experts: usize, k: u32, density: u64) -> Input {
    let mut input = Input {
        applications: (0..apps)
            .map(|i| Application {
                id: format!("a{i}"),
                reviewers: k,
            })
            .collect(),
        experts: (0..experts)
            .map(|i| Expert {
                id: format!("e{i}"),
                max_load: 1 + rng.below(3) as u32,
                min_load: 0,
            })
            .collect(),
        ..Input::default()
    };
    for a in 0..apps {
        for e in 0..experts {
            match rng.below(10) {
                0 => input.conflicts.push((format!("a{a}"), format!("e{e}"))),
                x if x < density => input.scores.push((
                    format!("a{a}"),
                    format!("e{e}"),
                    rng.below(1000) as f64 / 997.0,
                )),
                _ => {}
            }
        }
    }
    input
}

/// Best (sum) and best (minimum, then sum) over every valid assignment.
fn brute(input: &Input) -> Option<(f64, f64)> {
    let scores: std::collections::HashMap<(usize, usize), f64> = input
        .scores
        .iter()
        .filter(|(a, e, _)| !input.conflicts.iter().any(|(x, y)| x == a && y == e))
        .map(|(a, e, s)| ((a[1..].parse().unwrap(), e[1..].parse().unwrap()), *s))
        .collect();
    let apps = input.applications.len();
    let experts = input.experts.len();
    let mut options: Vec<Vec<Vec<usize>>> = Vec::new();
    for a in 0..apps {
        let eligible: Vec<usize> = (0..experts)
            .filter(|e| scores.contains_key(&(a, *e)))
            .collect();
        let k = input.applications[a].reviewers as usize;
        let mut sets = Vec::new();
        for mask in 0u32..(1 << eligible.len()) {
            if mask.count_ones() as usize == k {
                sets.push(
                    (0..eligible.len())
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| eligible[i])
                        .collect(),
                );
            }
        }
        options.push(sets);
    }
    let mut best: Option<(f64, f64)> = None;
    let mut pick = vec![0usize; apps];
    loop {
        if options.iter().all(|o| !o.is_empty()) {
            let mut load = vec![0u32; experts];
            let mut totals = vec![0.0; apps];
            for a in 0..apps {
                for &e in &options[a][pick[a]] {
                    load[e] += 1;
                    totals[a] += scores[&(a, e)];
                }
            }
            if (0..experts).all(|e| load[e] <= input.experts[e].max_load) {
                let sum: f64 = totals.iter().sum();
                let min = totals.iter().copied().fold(f64::INFINITY, f64::min);
                best = Some(match best {
                    None => (sum, min),
                    Some((s, m)) => (s.max(sum), m.max(min)),
                });
            }
        } else {
            return None;
        }
        let mut i = 0;
        loop {
            if i == apps {
                return best;
            }
            pick[i] += 1;
            if pick[i] < options[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

#[test]
fn sum_mode_is_exact_and_fair_mode_is_bounded_on_small_instances() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut solved = 0;
    for case in 0..300 {
        let apps = 1 + rng.below(3) as usize;
        let experts = 2 + rng.below(3) as usize;
        let k = 1 + rng.below(2) as u32;
        let input = random(&mut rng, apps, experts, k, 8);
        let truth = brute(&input);
        let sum = assign(&input, Objective::Sum);
        match (truth, sum) {
            (None, Err(AssignError::Infeasible { .. })) => {}
            (Some((best_sum, best_min)), Ok(out)) => {
                solved += 1;
                assert_eq!(check(&input, &out), Vec::<String>::new(), "case {case}");
                assert!(
                    (out.objective - best_sum).abs() < 1e-5,
                    "case {case}: {} vs {best_sum}",
                    out.objective
                );
                let fair = assign(&input, Objective::Fair).expect("feasible");
                assert_eq!(check(&input, &fair), Vec::<String>::new(), "case {case}");
                assert!(fair.min_application_score <= best_min + 1e-9, "case {case}");
                assert!(
                    fair.upper_bound + 1e-9 >= best_min,
                    "case {case}: bound {} < {best_min}",
                    fair.upper_bound
                );
                assert!(
                    fair.min_application_score >= out.min_application_score - 1e-9,
                    "case {case}"
                );
            }
            (truth, got) => panic!("case {case}: brute force {truth:?}, solver {got:?}"),
        }
    }
    assert!(solved > 100, "only {solved} feasible cases");
}

#[test]
fn conflicted_experts_are_never_assigned_on_large_instances() {
    let mut rng = Rng(99);
    for objective in [Objective::Sum, Objective::Fair] {
        let mut input = random(&mut rng, 120, 60, 3, 6);
        for e in &mut input.experts {
            e.max_load = 8;
            e.min_load = 1;
        }
        input.forced.push(("a3".into(), "e7".into()));
        input.conflicts.retain(|(a, e)| !(a == "a3" && e == "e7"));
        let out = assign(&input, objective).expect("feasible");
        assert_eq!(check(&input, &out), Vec::<String>::new());
        assert!(out.assignments.contains(&("a3".into(), "e7".into())));
        assert!(out.objective <= out.sum_upper_bound);
    }
}

#[test]
fn infeasible_input_names_the_applications_and_why() {
    let base = Input {
        applications: vec![
            Application {
                id: "a1".into(),
                reviewers: 2,
            },
            Application {
                id: "a2".into(),
                reviewers: 2,
            },
        ],
        experts: vec![
            Expert {
                id: "e1".into(),
                max_load: 2,
                min_load: 0,
            },
            Expert {
                id: "e2".into(),
                max_load: 1,
                min_load: 0,
            },
            Expert {
                id: "e3".into(),
                max_load: 5,
                min_load: 0,
            },
        ],
        scores: vec![
            ("a1".into(), "e1".into(), 0.9),
            ("a1".into(), "e2".into(), 0.8),
            ("a2".into(), "e1".into(), 0.7),
            ("a2".into(), "e2".into(), 0.6),
            ("a2".into(), "e3".into(), 0.5),
        ],
        ..Input::default()
    };
    // a1 may only have e1 and e2, but a1's conflict with e2 leaves one.
    let mut one = base.clone();
    one.conflicts.push(("a1".into(), "e2".into()));
    match assign(&one, Objective::Sum) {
        Err(AssignError::Infeasible {
            applications,
            reason,
        }) => {
            assert_eq!(applications, ["a1"]);
            assert!(
                reason.contains("a1 needs 2 more reviewer(s) but only 1 expert(s)")
                    && reason.contains("1 conflicted"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Enough experts each, but a1 and a2 compete for e1 and e2 (3 places) and a1 needs both.
    let mut tight = base.clone();
    tight.experts[0].max_load = 1;
    match assign(&tight, Objective::Sum) {
        Err(AssignError::Infeasible {
            applications,
            reason,
        }) => {
            assert!(!applications.is_empty(), "{reason}");
            assert!(reason.contains("e1") && reason.contains("e2"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(assign(&base, Objective::Sum).is_ok());
    let mut unknown = base.clone();
    unknown.scores.push(("a9".into(), "e1".into(), 0.1));
    assert_eq!(
        assign(&unknown, Objective::Sum).unwrap_err().to_string(),
        "scores[5]: no application has the id \"a9\""
    );
    let mut both = base;
    both.forced.push(("a1".into(), "e1".into()));
    both.conflicts.push(("a1".into(), "e1".into()));
    assert_eq!(
        assign(&both, Objective::Sum).unwrap_err().to_string(),
        "forced[0] (a1, e1): the pair is also declared a conflict"
    );
}
