//! Random but realistic event instances for tests and benchmarks.
//!
//! Half the participants are on the demand side, half on the supply side; requests go from
//! demand to supply with a popularity skew (a few suppliers are wanted by many); priorities are
//! 1–5; a quarter of the people leave early and everyone blocks a few random slots.

use std::collections::HashSet;

use crate::wire::{Input, Participant, Request, Slot};

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub people: usize,
    pub requests: usize,
    pub slots: usize,
    pub tables: u32,
    pub seed: u64,
}

/// A small deterministic generator (xorshift64), so that instances are reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    pub fn unit(&mut self) -> f64 {
        self.below(1 << 30) as f64 / (1u64 << 30) as f64
    }
}

/// Slots of 20 minutes from 09:00, with a 10-minute break after every third.
pub fn slots(n: usize) -> Vec<Slot> {
    (0..n)
        .map(|i| {
            let minute = 9 * 60 + i * 20 + (i / 3) * 10;
            Slot {
                id: format!("s{}", i + 1),
                start: format!("2026-05-20T{:02}:{:02}:00+08:00", minute / 60, minute % 60),
                minutes: 20,
            }
        })
        .collect()
}

pub fn generate(spec: &Spec) -> Input {
    let mut rng = Rng::new(spec.seed);
    let slots = slots(spec.slots);
    let demand = spec.people.div_ceil(2);
    let supply = spec.people - demand;
    let participants = (0..spec.people)
        .map(|i| {
            let mut unavailable: Vec<String> = Vec::new();
            let leaves = if rng.below(4) == 0 {
                spec.slots - rng.below(spec.slots as u64 / 4 + 1) as usize
            } else {
                spec.slots
            };
            for (k, slot) in slots.iter().enumerate() {
                if k >= leaves || rng.below(20) == 0 {
                    unavailable.push(slot.id.clone());
                }
            }
            Participant {
                id: format!("p{}", i + 1),
                side: Some(if i < demand { "demand" } else { "supply" }.to_string()),
                unavailable,
            }
        })
        .collect();
    let mut pairs = HashSet::new();
    let mut requests = Vec::with_capacity(spec.requests);
    let mut tries = 0;
    while requests.len() < spec.requests && tries < spec.requests * 50 && supply > 0 {
        tries += 1;
        let a = rng.below(demand as u64) as usize;
        let b = demand + ((supply as f64) * rng.unit().powf(1.6)) as usize;
        if !pairs.insert((a, b)) {
            continue;
        }
        let (from, to) = if rng.below(3) == 0 { (b, a) } else { (a, b) };
        requests.push(Request {
            id: format!("r{}", requests.len() + 1),
            from: format!("p{}", from + 1),
            to: format!("p{}", to + 1),
            weight: 1 + rng.below(5) as u32,
        });
    }
    Input {
        slots,
        tables: Some(spec.tables),
        participants,
        requests,
        ..Input::default()
    }
}
