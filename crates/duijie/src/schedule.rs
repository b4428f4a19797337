//! `duijie schedule` (JSON in, JSON out) and `duijie bench schedule`.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use duijie_schedule::generate::{generate, Spec};
use duijie_schedule::{check, schedule, Input, Options, Output};

/// Solve one instance, timing it.
pub fn solve(input: &Input, options: &Options) -> Result<Output> {
    let started = Instant::now();
    let mut output = schedule(input, options).map_err(|e| anyhow::anyhow!("bad input: {e}"))?;
    output.seconds = started.elapsed().as_secs_f64();
    Ok(output)
}

/// `duijie schedule --input FILE`: reads the instance (stdin for `-`), prints the schedule.
pub fn run(input: &Path, fairness: bool) -> Result<()> {
    let text = crate::read_input(input)?;
    let instance: Input = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid schedule instance", input.display()))?;
    let output = solve(
        &instance,
        &Options {
            fairness,
            ..Options::default()
        },
    )?;
    let wrong = check(&instance, &output);
    if !wrong.is_empty() {
        bail!(
            "internal error, the schedule breaks rules: {}",
            wrong.join("; ")
        );
    }
    println!("{}", serde_json::to_string_pretty(&output)?);
    Ok(())
}

/// The spreadsheet way, as a baseline: heaviest request first, earliest slot where both are
/// free and a table is left.
fn greedy(input: &Input) -> u64 {
    use std::collections::{HashMap, HashSet};
    let tables = input.tables.unwrap_or(0);
    let blocked: HashSet<(&str, &str)> = input
        .participants
        .iter()
        .flat_map(|p| {
            p.unavailable
                .iter()
                .map(move |s| (p.id.as_str(), s.as_str()))
        })
        .collect();
    let mut busy: HashSet<(&str, &str)> = HashSet::new();
    let mut used: HashMap<&str, u32> = HashMap::new();
    let mut requests: Vec<_> = input.requests.iter().collect();
    requests.sort_by_key(|r| std::cmp::Reverse(r.weight));
    let mut value = 0;
    for r in requests {
        let slot = input.slots.iter().map(|s| s.id.as_str()).find(|&s| {
            [r.from.as_str(), r.to.as_str()]
                .iter()
                .all(|&w| !blocked.contains(&(w, s)) && !busy.contains(&(w, s)))
                && used.get(s).copied().unwrap_or(0) < tables
        });
        if let Some(s) = slot {
            busy.insert((r.from.as_str(), s));
            busy.insert((r.to.as_str(), s));
            *used.entry(s).or_default() += 1;
            value += u64::from(r.weight);
        }
    }
    value
}

/// `duijie bench schedule`: generated instances at several sizes; value, bound, gap and time
/// beside the greedy baseline on the same instance.
pub fn bench(seeds: u64, take: Option<usize>) -> Result<()> {
    let sizes = [
        (60, 300, 8, 20),
        (150, 1_000, 12, 50),
        (300, 2_500, 16, 100),
        (600, 5_000, 20, 200),
    ];
    let take = take.unwrap_or(sizes.len());
    if !(1..=sizes.len()).contains(&take) {
        bail!("--sizes must be 1 to {}", sizes.len());
    }
    let mut rows = Vec::new();
    for (people, requests, slots, tables) in sizes.into_iter().take(take) {
        for seed in 1..=seeds {
            let input = generate(&Spec {
                people,
                requests,
                slots,
                tables,
                seed,
            });
            let started = Instant::now();
            let baseline = greedy(&input);
            let greedy_seconds = started.elapsed().as_secs_f64();
            let output = solve(&input, &Options::default())?;
            let wrong = check(&input, &output);
            if !wrong.is_empty() {
                bail!(
                    "infeasible schedule on {people}/{requests}: {}",
                    wrong.join("; ")
                );
            }
            let row = serde_json::json!({
                "participants": people,
                "requests": input.requests.len(),
                "slots": slots,
                "tables": tables,
                "seed": seed,
                "meetings": output.meetings.len(),
                "value": output.value,
                "upper_bound": output.upper_bound,
                "gap": output.gap,
                "seconds": output.seconds,
                "without_meeting": output.without_meeting.len(),
                "idle_gaps": output.idle_gaps,
                "greedy_value": baseline,
                "greedy_seconds": greedy_seconds,
                "value_vs_greedy": output.value as f64 / baseline.max(1) as f64,
            });
            eprintln!(
                "{people:>4} people {:>5} requests: value {} bound {:.1} gap {:.3}% in {:.2} s (greedy {} = {:.3}x)",
                input.requests.len(),
                output.value,
                output.upper_bound,
                output.gap * 100.0,
                output.seconds,
                baseline,
                output.value as f64 / baseline.max(1) as f64
            );
            rows.push(row);
        }
    }
    println!("{}", serde_json::to_string_pretty(&rows)?);
    Ok(())
}
