//! An independent checker of assignments; it shares only the wire types with the solver.

use std::collections::{HashMap, HashSet};

use crate::wire::{Input, Output};

/// Every rule the output breaks, in words; empty when valid.
pub fn check(input: &Input, output: &Output) -> Vec<String> {
    let mut wrong = Vec::new();
    let need: HashMap<&str, u32> = input
        .applications
        .iter()
        .map(|a| (a.id.as_str(), a.reviewers))
        .collect();
    let loads: HashMap<&str, (u32, u32)> = input
        .experts
        .iter()
        .map(|e| (e.id.as_str(), (e.min_load, e.max_load)))
        .collect();
    let scores: HashMap<(&str, &str), f64> = input
        .scores
        .iter()
        .map(|(a, e, s)| ((a.as_str(), e.as_str()), *s))
        .collect();
    let conflicts: HashSet<(&str, &str)> = input
        .conflicts
        .iter()
        .map(|(a, e)| (a.as_str(), e.as_str()))
        .collect();
    let forced: HashSet<(&str, &str)> = input
        .forced
        .iter()
        .map(|(a, e)| (a.as_str(), e.as_str()))
        .collect();
    let mut got: HashMap<&str, u32> = HashMap::new();
    let mut load: HashMap<&str, u32> = HashMap::new();
    let mut seen = HashSet::new();
    let mut total = 0.0;
    let mut per_app: HashMap<&str, f64> = HashMap::new();
    for (a, e) in &output.assignments {
        let key = (a.as_str(), e.as_str());
        if !need.contains_key(a.as_str()) || !loads.contains_key(e.as_str()) {
            wrong.push(format!("({a}, {e}) names an unknown application or expert"));
            continue;
        }
        if !seen.insert(key) {
            wrong.push(format!("{e} reviews {a} twice"));
        }
        if conflicts.contains(&key) {
            wrong.push(format!("{e} is conflicted with {a} but assigned"));
        }
        let score = match scores.get(&key) {
            Some(s) => *s,
            None if forced.contains(&key) => 0.0,
            None => {
                wrong.push(format!("({a}, {e}) has no score and is not forced"));
                0.0
            }
        };
        total += score;
        *per_app.entry(a.as_str()).or_default() += score;
        *got.entry(a.as_str()).or_default() += 1;
        *load.entry(e.as_str()).or_default() += 1;
    }
    for (a, &n) in &need {
        let g = got.get(a).copied().unwrap_or(0);
        if g != n {
            wrong.push(format!("{a} has {g} reviewer(s), needs {n}"));
        }
    }
    for (e, &(min, max)) in &loads {
        let l = load.get(e).copied().unwrap_or(0);
        if l < min || l > max {
            wrong.push(format!("{e} reviews {l}, allowed {min}–{max}"));
        }
    }
    for (a, e) in &forced {
        if !seen.contains(&(*a, *e)) {
            wrong.push(format!("forced pair ({a}, {e}) is missing"));
        }
    }
    let tolerance = 1e-6 * (1.0 + output.assignments.len() as f64);
    if (total - output.objective).abs() > tolerance {
        wrong.push(format!(
            "objective {} but the pairs add up to {total}",
            output.objective
        ));
    }
    if total > output.sum_upper_bound + tolerance {
        wrong.push(format!(
            "total {total} exceeds the proven bound {}",
            output.sum_upper_bound
        ));
    }
    let min = need
        .keys()
        .map(|a| per_app.get(a).copied().unwrap_or(0.0))
        .fold(f64::INFINITY, f64::min);
    if !need.is_empty() && (min - output.min_application_score).abs() > tolerance {
        wrong.push(format!(
            "min_application_score {} but the worst application has {min}",
            output.min_application_score
        ));
    }
    wrong
}
