//! From a finished state to the output: table numbers, reasons, counts.

use crate::problem::Problem;
use crate::state::{State, BLOCKED, FREE};
use crate::wire::{Meeting, Output, Unscheduled};

pub(crate) fn build(
    p: &Problem,
    s: &State,
    upper_bound: f64,
    unconstrained: f64,
    optimal: bool,
) -> Output {
    let table = number_tables(p, s);
    let mut meetings: Vec<(usize, u32, usize)> = (0..p.requests.len())
        .filter(|&r| s.is_placed(r))
        .map(|r| (s.slot_of[r] as usize, table[r], r))
        .collect();
    meetings.sort();
    let meetings = meetings
        .into_iter()
        .map(|(slot, table, r)| Meeting {
            request: p.requests[r].id.clone(),
            slot: p.slots[slot].id.clone(),
            table,
        })
        .collect();
    let unscheduled = (0..p.requests.len())
        .filter(|&r| !s.is_placed(r))
        .map(|r| Unscheduled {
            request: p.requests[r].id.clone(),
            reason: reason(p, s, r),
        })
        .collect();
    let mut wanted = vec![false; p.people.len()];
    for req in &p.requests {
        wanted[req.a] = true;
        wanted[req.b] = true;
    }
    let without_meeting = (0..p.people.len())
        .filter(|&i| wanted[i] && s.meetings_of[i] == 0)
        .map(|i| p.people[i].id.clone())
        .collect();
    let moved = p
        .previous
        .iter()
        .filter(|f| !s.locked[f.request])
        .filter(|f| {
            s.slot_of[f.request] != f.slot as u32 || f.table.is_some_and(|t| t != table[f.request])
        })
        .count();
    let value = s.value;
    let gap = if upper_bound > 0.0 {
        (upper_bound - value as f64) / upper_bound
    } else {
        0.0
    };
    Output {
        meetings,
        unscheduled,
        value,
        upper_bound,
        gap,
        unconstrained_bound: unconstrained,
        optimal,
        idle_gaps: s.total_gaps(),
        without_meeting,
        moved,
        seconds: 0.0,
    }
}

/// Locked tables stay; a previous table is kept if free; otherwise a person keeps the table of
/// their meeting in the slot before; otherwise the lowest free table.
fn number_tables(p: &Problem, s: &State) -> Vec<u32> {
    let mut table = vec![0u32; p.requests.len()];
    let mut previous_table = vec![None; p.requests.len()];
    for f in &p.previous {
        if s.slot_of[f.request] == f.slot as u32 {
            previous_table[f.request] = f.table;
        }
    }
    for f in &p.locked {
        previous_table[f.request] = f.table;
    }
    for slot in 0..s.m {
        let tables = p.slots[slot].tables as usize;
        let mut taken = vec![false; tables + 1];
        let mut here: Vec<usize> = (0..p.requests.len())
            .filter(|&r| s.slot_of[r] == slot as u32)
            .collect();
        // Locked first, then previous, so that their tables are honoured.
        here.sort_by_key(|&r| (!s.locked[r], previous_table[r].is_none(), r));
        for r in here {
            let want = previous_table[r]
                .into_iter()
                .chain(stay_at(p, s, &table, r, slot));
            let t = want
                .into_iter()
                .find(|&t| (t as usize) <= tables && !taken[t as usize])
                .or_else(|| (1..=tables).find(|&t| !taken[t]).map(|t| t as u32))
                .expect("no more meetings than tables in a slot");
            taken[t as usize] = true;
            table[r] = t;
        }
    }
    table
}

/// Tables either person sat at in the slot before.
fn stay_at(p: &Problem, s: &State, table: &[u32], r: usize, slot: usize) -> Vec<u32> {
    if slot == 0 {
        return Vec::new();
    }
    let req = &p.requests[r];
    [req.a, req.b]
        .iter()
        .filter_map(|&who| {
            let e = s.at(who, slot - 1);
            (e < BLOCKED).then(|| table[e as usize])
        })
        .collect()
}

fn reason(p: &Problem, s: &State, r: usize) -> String {
    let req = &p.requests[r];
    let (a, b) = (&p.people[req.a], &p.people[req.b]);
    if a.available.iter().all(|&x| !x) {
        return format!("{} is unavailable in every slot", a.id);
    }
    if b.available.iter().all(|&x| !x) {
        return format!("{} is unavailable in every slot", b.id);
    }
    let common: Vec<usize> = (0..s.m)
        .filter(|&k| a.available[k] && b.available[k])
        .collect();
    if common.is_empty() {
        return format!("{} and {} are never available in the same slot", a.id, b.id);
    }
    let (mut a_busy, mut b_busy, mut full) = (0, 0, 0);
    for &k in &common {
        let ea = s.at(req.a, k);
        let eb = s.at(req.b, k);
        if ea != FREE {
            a_busy += 1;
        }
        if eb != FREE {
            b_busy += 1;
        }
        if ea == FREE && eb == FREE && !s.has_room(k) {
            full += 1;
        }
    }
    format!(
        "all {} slot(s) both can attend are taken by meetings of higher total priority: {} is busy in {}, {} in {}, every table is used in {}",
        common.len(),
        a.id,
        a_busy,
        b.id,
        b_busy,
        full
    )
}
