//! An independent checker: does an output obey every rule of its input?
//!
//! It shares no code with the solver (only the wire types), so the tests can trust it to catch
//! the solver's mistakes.

use std::collections::{HashMap, HashSet};

use crate::wire::{Input, Output};

/// Every rule the output breaks, in words; empty when the output is a valid schedule.
pub fn check(input: &Input, output: &Output) -> Vec<String> {
    let mut wrong = Vec::new();
    let tables: HashMap<&str, u32> = input
        .slots
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                input
                    .tables_per_slot
                    .get(&s.id)
                    .copied()
                    .or(input.tables)
                    .unwrap_or(0),
            )
        })
        .collect();
    let blocked: HashSet<(&str, &str)> = input
        .participants
        .iter()
        .flat_map(|p| {
            p.unavailable
                .iter()
                .map(move |s| (p.id.as_str(), s.as_str()))
        })
        .collect();
    let requests: HashMap<&str, (&str, &str, u32)> = input
        .requests
        .iter()
        .map(|r| (r.id.as_str(), (r.from.as_str(), r.to.as_str(), r.weight)))
        .collect();

    let mut seen_request = HashSet::new();
    let mut person_slot: HashMap<(&str, &str), &str> = HashMap::new();
    let mut slot_table: HashMap<(&str, u32), &str> = HashMap::new();
    let mut per_slot: HashMap<&str, u32> = HashMap::new();
    let mut value = 0u64;
    for m in &output.meetings {
        let Some(&(from, to, weight)) = requests.get(m.request.as_str()) else {
            wrong.push(format!("meeting for unknown request {}", m.request));
            continue;
        };
        let Some(&count) = tables.get(m.slot.as_str()) else {
            wrong.push(format!("{} is in unknown slot {}", m.request, m.slot));
            continue;
        };
        if !seen_request.insert(m.request.as_str()) {
            wrong.push(format!("{} is scheduled twice", m.request));
        }
        value += u64::from(weight);
        for who in [from, to] {
            if blocked.contains(&(who, m.slot.as_str())) {
                wrong.push(format!(
                    "{who} meets in {} ({}) but blocked that slot",
                    m.slot, m.request
                ));
            }
            if let Some(other) = person_slot.insert((who, m.slot.as_str()), m.request.as_str()) {
                wrong.push(format!(
                    "{who} is double-booked in {}: {other} and {}",
                    m.slot, m.request
                ));
            }
        }
        if m.table == 0 || m.table > count {
            wrong.push(format!(
                "{} sits at table {} but {} has tables 1–{count}",
                m.request, m.table, m.slot
            ));
        }
        if let Some(other) = slot_table.insert((m.slot.as_str(), m.table), m.request.as_str()) {
            wrong.push(format!(
                "table {} in {} holds both {other} and {}",
                m.table, m.slot, m.request
            ));
        }
        *per_slot.entry(m.slot.as_str()).or_default() += 1;
    }
    for (slot, n) in per_slot {
        if n > tables[slot] {
            wrong.push(format!(
                "{slot} has {n} meetings for {} tables",
                tables[slot]
            ));
        }
    }
    for l in &input.locked {
        let kept = output.meetings.iter().any(|m| {
            m.request == l.request && m.slot == l.slot && l.table.is_none_or(|t| t == m.table)
        });
        if !kept {
            wrong.push(format!(
                "locked meeting {} is not where it was locked",
                l.request
            ));
        }
    }
    let unscheduled: HashSet<&str> = output
        .unscheduled
        .iter()
        .map(|u| u.request.as_str())
        .collect();
    for r in &input.requests {
        let placed = seen_request.contains(r.id.as_str());
        if placed == unscheduled.contains(r.id.as_str()) {
            wrong.push(format!(
                "{} must be either scheduled or listed as unscheduled, exactly once",
                r.id
            ));
        }
    }
    if value != output.value {
        wrong.push(format!(
            "value is {} but the meetings weigh {value}",
            output.value
        ));
    }
    if (output.value as f64) > output.upper_bound + 1e-9 {
        wrong.push(format!(
            "value {} exceeds the upper bound {}",
            output.value, output.upper_bound
        ));
    }
    wrong
}
