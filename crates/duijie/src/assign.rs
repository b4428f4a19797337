//! `duijie assign` (JSON in, JSON out) and `duijie bench assign`.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use duijie_assign::generate::{generate, Spec};
use duijie_assign::{assign, check, Input, Objective, Output};

pub fn solve(input: &Input, objective: Objective) -> Result<Output> {
    let started = Instant::now();
    let mut out = assign(input, objective).map_err(|e| anyhow::anyhow!("{e}"))?;
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}

/// `duijie assign --input FILE --objective sum|fair`.
pub fn run(input: &Path, fair: bool) -> Result<()> {
    let text = crate::read_input(input)?;
    let instance: Input = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid assignment instance", input.display()))?;
    let objective = if fair {
        Objective::Fair
    } else {
        Objective::Sum
    };
    let output = solve(&instance, objective)?;
    let wrong = check(&instance, &output);
    if !wrong.is_empty() {
        bail!(
            "internal error, the assignment breaks rules: {}",
            wrong.join("; ")
        );
    }
    println!("{}", serde_json::to_string_pretty(&output)?);
    Ok(())
}

/// The obvious method, as a baseline: pairs by falling affinity, taken while the application
/// needs reviewers and the expert has room. It may leave applications short.
fn greedy(input: &Input) -> (f64, usize) {
    use std::collections::{HashMap, HashSet};
    let need: HashMap<&str, u32> = input
        .applications
        .iter()
        .map(|a| (a.id.as_str(), a.reviewers))
        .collect();
    let room: HashMap<&str, u32> = input
        .experts
        .iter()
        .map(|e| (e.id.as_str(), e.max_load))
        .collect();
    let conflicts: HashSet<(&str, &str)> = input
        .conflicts
        .iter()
        .map(|(a, e)| (a.as_str(), e.as_str()))
        .collect();
    let mut need = need;
    let mut room = room;
    let mut pairs: Vec<&(String, String, f64)> = input.scores.iter().collect();
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2));
    let mut total = 0.0;
    for (a, e, s) in pairs {
        if conflicts.contains(&(a.as_str(), e.as_str())) {
            continue;
        }
        let (Some(n), Some(r)) = (need.get(a.as_str()).copied(), room.get(e.as_str()).copied())
        else {
            continue;
        };
        if n > 0 && r > 0 {
            need.insert(a.as_str(), n - 1);
            room.insert(e.as_str(), r - 1);
            total += s;
        }
    }
    (total, need.values().filter(|&&n| n > 0).count())
}

/// `duijie bench assign`: generated instances up to 5,000 applications × 2,800 experts × 3
/// reviewers with 300 candidates each; both modes beside the greedy baseline.
pub fn bench(seeds: u64, take: Option<usize>) -> Result<()> {
    let sizes = [(500, 280, 100), (2_000, 1_120, 200), (5_000, 2_800, 300)];
    let take = take.unwrap_or(sizes.len());
    if !(1..=sizes.len()).contains(&take) {
        bail!("--sizes must be 1 to {}", sizes.len());
    }
    let mut rows = Vec::new();
    for (applications, experts, candidates) in sizes.into_iter().take(take) {
        for seed in 1..=seeds {
            let spec = Spec {
                applications,
                experts,
                reviewers: 3,
                candidates,
                max_load: 8,
                seed,
            };
            let input = generate(&spec);
            let started = Instant::now();
            let (greedy_total, greedy_short) = greedy(&input);
            let greedy_seconds = started.elapsed().as_secs_f64();
            let sum = solve(&input, Objective::Sum)?;
            let fair = solve(&input, Objective::Fair)?;
            for out in [&sum, &fair] {
                let wrong = check(&input, out);
                if !wrong.is_empty() {
                    bail!("invalid assignment at {applications}: {}", wrong.join("; "));
                }
            }
            eprintln!(
                "{applications:>5} × {experts:>5} × 3 ({candidates} candidates): sum {:.2} (bound {:.2}) in {:.2} s; fair min {:.3} (bound {:.3}), sum {:.2} in {:.2} s; greedy {:.2} ({} short) in {:.2} s",
                sum.objective, sum.sum_upper_bound, sum.seconds, fair.min_application_score, fair.upper_bound,
                fair.objective, fair.seconds, greedy_total, greedy_short, greedy_seconds
            );
            rows.push(serde_json::json!({
                "applications": applications, "experts": experts, "reviewers": 3, "candidates": candidates,
                "pairs": input.scores.len(), "seed": seed,
                "sum": {"objective": sum.objective, "upper_bound": sum.sum_upper_bound,
                        "min_application_score": sum.min_application_score, "seconds": sum.seconds},
                "fair": {"min_application_score": fair.min_application_score, "min_upper_bound": fair.upper_bound,
                         "objective": fair.objective, "seconds": fair.seconds},
                "greedy": {"objective": greedy_total, "applications_short": greedy_short, "seconds": greedy_seconds},
                "sum_vs_greedy": sum.objective / greedy_total.max(1e-9),
            }));
        }
    }
    println!("{}", serde_json::to_string_pretty(&rows)?);
    Ok(())
}
