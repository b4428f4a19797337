//! Validation of the input into an indexed problem.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use crate::wire::{Input, Placement};
use crate::InputError;

pub(crate) struct SlotInfo {
    pub id: String,
    pub start: DateTime<FixedOffset>,
    pub tables: u32,
}

pub(crate) struct Person {
    pub id: String,
    /// Indexed by slot.
    pub available: Vec<bool>,
}

pub(crate) struct Req {
    pub id: String,
    pub a: usize,
    pub b: usize,
    pub weight: u64,
}

/// A placement that refers to known items; `table` is 1-based.
#[derive(Clone, Copy)]
pub(crate) struct Fixed {
    pub request: usize,
    pub slot: usize,
    pub table: Option<u32>,
}

pub(crate) struct Problem {
    /// In order of start time.
    pub slots: Vec<SlotInfo>,
    pub people: Vec<Person>,
    pub requests: Vec<Req>,
    pub locked: Vec<Fixed>,
    /// Previous placements of requests that still exist; stale entries are dropped.
    pub previous: Vec<Fixed>,
}

fn err(path: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError {
        path: path.into(),
        message: message.into(),
    }
}

impl Problem {
    pub fn from_input(input: &Input) -> Result<Problem, InputError> {
        let mut slots = Vec::with_capacity(input.slots.len());
        let mut seen = HashSet::new();
        for (i, slot) in input.slots.iter().enumerate() {
            let path = format!("slots[{i}] ({})", slot.id);
            if slot.id.is_empty() {
                return Err(err(format!("slots[{i}].id"), "the id is empty"));
            }
            if !seen.insert(slot.id.as_str()) {
                return Err(err(path, "this slot id appears twice"));
            }
            let start = DateTime::parse_from_rfc3339(&slot.start).map_err(|e| {
                err(
                    format!("{path}.start"),
                    format!("\"{}\" is not an RFC 3339 time: {e}", slot.start),
                )
            })?;
            if slot.minutes == 0 {
                return Err(err(
                    format!("{path}.minutes"),
                    "a slot must last at least one minute",
                ));
            }
            let tables = match input
                .tables_per_slot
                .get(&slot.id)
                .copied()
                .or(input.tables)
            {
                Some(t) => t,
                None => {
                    return Err(err(
                        path,
                        "no table count: give \"tables\" or an entry in \"tables_per_slot\"",
                    ))
                }
            };
            slots.push((
                SlotInfo {
                    id: slot.id.clone(),
                    start,
                    tables,
                },
                slot.minutes,
            ));
        }
        for id in input.tables_per_slot.keys() {
            if !seen.contains(id.as_str()) {
                return Err(err(format!("tables_per_slot.{id}"), "no slot has this id"));
            }
        }
        slots.sort_by_key(|(s, _)| s.start);
        for pair in slots.windows(2) {
            let (a, minutes) = &pair[0];
            let b = &pair[1].0;
            if a.start + chrono::Duration::minutes(i64::from(*minutes)) > b.start {
                return Err(err(
                    format!("slots ({} and {})", a.id, b.id),
                    "the two slots overlap in time; a participant could not attend both",
                ));
            }
        }
        let slots: Vec<SlotInfo> = slots.into_iter().map(|(s, _)| s).collect();
        let slot_index: HashMap<&str, usize> = slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();

        let mut people = Vec::with_capacity(input.participants.len());
        let mut person_index = HashMap::new();
        for (i, p) in input.participants.iter().enumerate() {
            let path = format!("participants[{i}] ({})", p.id);
            if p.id.is_empty() {
                return Err(err(format!("participants[{i}].id"), "the id is empty"));
            }
            if person_index.insert(p.id.as_str(), i).is_some() {
                return Err(err(path, "this participant id appears twice"));
            }
            let mut available = vec![true; slots.len()];
            for s in &p.unavailable {
                match slot_index.get(s.as_str()) {
                    Some(&k) => available[k] = false,
                    None => {
                        return Err(err(
                            format!("{path}.unavailable"),
                            format!("no slot has the id \"{s}\""),
                        ))
                    }
                }
            }
            people.push(Person {
                id: p.id.clone(),
                available,
            });
        }

        let mut requests = Vec::with_capacity(input.requests.len());
        let mut request_index = HashMap::new();
        let mut pairs: HashMap<(usize, usize), &str> = HashMap::new();
        for (i, r) in input.requests.iter().enumerate() {
            let path = format!("requests[{i}] ({})", r.id);
            if r.id.is_empty() {
                return Err(err(format!("requests[{i}].id"), "the id is empty"));
            }
            if request_index.insert(r.id.as_str(), i).is_some() {
                return Err(err(path, "this request id appears twice"));
            }
            let find = |field: &str, who: &str| {
                person_index.get(who).copied().ok_or_else(|| {
                    err(
                        format!("{path}.{field}"),
                        format!("no participant has the id \"{who}\""),
                    )
                })
            };
            let a = find("from", &r.from)?;
            let b = find("to", &r.to)?;
            if a == b {
                return Err(err(path, format!("{} asks to meet themselves", r.from)));
            }
            if !(1..=1_000_000).contains(&r.weight) {
                return Err(err(
                    format!("{path}.weight"),
                    "the weight must be a whole number from 1 to 1000000",
                ));
            }
            if let Some(first) = pairs.insert((a.min(b), a.max(b)), &r.id) {
                return Err(err(
                    path,
                    format!(
                        "{} and {} already have request {first}; merge the two requests",
                        r.from, r.to
                    ),
                ));
            }
            requests.push(Req {
                id: r.id.clone(),
                a,
                b,
                weight: u64::from(r.weight),
            });
        }

        let placement =
            |what: &str, i: usize, p: &Placement| -> Result<Option<Fixed>, InputError> {
                let path = format!("{what}[{i}] ({})", p.request);
                let request = request_index.get(p.request.as_str()).copied();
                let slot = slot_index.get(p.slot.as_str()).copied();
                match (request, slot) {
                    (Some(request), Some(slot)) => Ok(Some(Fixed {
                        request,
                        slot,
                        table: p.table,
                    })),
                    // A previous meeting whose request was cancelled (or whose slot was removed) is
                    // simply no longer there; a locked one must be valid.
                    _ if what == "previous" => Ok(None),
                    (None, _) => Err(err(format!("{path}.request"), "no request has this id")),
                    (_, None) => Err(err(
                        format!("{path}.slot"),
                        format!("no slot has the id \"{}\"", p.slot),
                    )),
                }
            };
        let mut locked = Vec::new();
        for (i, p) in input.locked.iter().enumerate() {
            locked.extend(placement("locked", i, p)?);
        }
        let mut previous = Vec::new();
        for (i, p) in input.previous.iter().enumerate() {
            previous.extend(placement("previous", i, p)?);
        }
        let problem = Problem {
            slots,
            people,
            requests,
            locked,
            previous,
        };
        problem.check_locked(&input.locked)?;
        Ok(problem)
    }

    fn check_locked(&self, raw: &[Placement]) -> Result<(), InputError> {
        let mut busy: HashMap<(usize, usize), usize> = HashMap::new();
        let mut tables: HashMap<(usize, u32), usize> = HashMap::new();
        let mut count = vec![0u32; self.slots.len()];
        let mut locked_requests: HashMap<usize, usize> = HashMap::new();
        for (i, f) in self.locked.iter().enumerate() {
            let path = format!("locked[{i}] ({})", raw[i].request);
            let req = &self.requests[f.request];
            let slot = &self.slots[f.slot];
            if let Some(j) = locked_requests.insert(f.request, i) {
                return Err(err(
                    path,
                    format!("the request is already locked by locked[{j}]"),
                ));
            }
            for who in [req.a, req.b] {
                let person = &self.people[who];
                if !person.available[f.slot] {
                    return Err(err(
                        path,
                        format!("{} is unavailable in slot {}", person.id, slot.id),
                    ));
                }
                if let Some(j) = busy.insert((who, f.slot), i) {
                    return Err(err(
                        path,
                        format!(
                            "{} already has locked meeting {} in slot {}",
                            person.id, raw[j].request, slot.id
                        ),
                    ));
                }
            }
            count[f.slot] += 1;
            if count[f.slot] > slot.tables {
                return Err(err(
                    path,
                    format!("slot {} has only {} tables", slot.id, slot.tables),
                ));
            }
            if let Some(t) = f.table {
                if t == 0 || t > slot.tables {
                    return Err(err(
                        format!("{path}.table"),
                        format!(
                            "table {t} does not exist in slot {} (tables 1–{})",
                            slot.id, slot.tables
                        ),
                    ));
                }
                if let Some(j) = tables.insert((f.slot, t), i) {
                    return Err(err(
                        format!("{path}.table"),
                        format!(
                            "table {t} in slot {} is already taken by locked meeting {}",
                            slot.id, raw[j].request
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
