//! A schedule under construction: who is where in which slot.

use crate::problem::Problem;

pub(crate) const FREE: u32 = u32::MAX;
pub(crate) const BLOCKED: u32 = u32::MAX - 1;
pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone)]
pub(crate) struct State<'a> {
    pub p: &'a Problem,
    pub m: usize,
    /// `at[person * m + slot]`: FREE, BLOCKED or the request met there.
    at: Vec<u32>,
    /// Slot of each request, or NONE.
    pub slot_of: Vec<u32>,
    pub count: Vec<u32>,
    pub meetings_of: Vec<u32>,
    pub locked: Vec<bool>,
    pub value: u64,
}

impl<'a> State<'a> {
    pub fn new(p: &'a Problem) -> Self {
        let m = p.slots.len();
        let mut at = vec![FREE; p.people.len() * m];
        for (i, person) in p.people.iter().enumerate() {
            for (s, &ok) in person.available.iter().enumerate() {
                if !ok {
                    at[i * m + s] = BLOCKED;
                }
            }
        }
        let mut state = State {
            p,
            m,
            at,
            slot_of: vec![NONE; p.requests.len()],
            count: vec![0; m],
            meetings_of: vec![0; p.people.len()],
            locked: vec![false; p.requests.len()],
            value: 0,
        };
        for f in &p.locked {
            state.place(f.request, f.slot);
            state.locked[f.request] = true;
        }
        state
    }

    #[inline]
    pub fn at(&self, person: usize, slot: usize) -> u32 {
        self.at[person * self.m + slot]
    }

    #[inline]
    pub fn ends(&self, r: usize) -> (usize, usize) {
        let q = &self.p.requests[r];
        (q.a, q.b)
    }

    #[inline]
    pub fn has_room(&self, slot: usize) -> bool {
        self.count[slot] < self.p.slots[slot].tables
    }

    /// Both free and a table left.
    pub fn fits(&self, r: usize, slot: usize) -> bool {
        let (a, b) = self.ends(r);
        self.at(a, slot) == FREE && self.at(b, slot) == FREE && self.has_room(slot)
    }

    /// Both can attend the slot (ignoring other meetings and tables).
    pub fn both_available(&self, r: usize, slot: usize) -> bool {
        let (a, b) = self.ends(r);
        self.p.people[a].available[slot] && self.p.people[b].available[slot]
    }

    pub fn place(&mut self, r: usize, slot: usize) {
        debug_assert_eq!(self.slot_of[r], NONE);
        let (a, b) = self.ends(r);
        let m = self.m;
        debug_assert!(self.at[a * m + slot] == FREE && self.at[b * m + slot] == FREE);
        self.at[a * m + slot] = r as u32;
        self.at[b * m + slot] = r as u32;
        self.slot_of[r] = slot as u32;
        self.count[slot] += 1;
        self.meetings_of[a] += 1;
        self.meetings_of[b] += 1;
        self.value += self.p.requests[r].weight;
    }

    pub fn remove(&mut self, r: usize) {
        let slot = self.slot_of[r];
        debug_assert_ne!(slot, NONE);
        let slot = slot as usize;
        let (a, b) = self.ends(r);
        let m = self.m;
        self.at[a * m + slot] = FREE;
        self.at[b * m + slot] = FREE;
        self.slot_of[r] = NONE;
        self.count[slot] -= 1;
        self.meetings_of[a] -= 1;
        self.meetings_of[b] -= 1;
        self.value -= self.p.requests[r].weight;
    }

    pub fn is_placed(&self, r: usize) -> bool {
        self.slot_of[r] != NONE
    }

    /// Idle slots between a person's first and last meeting.
    pub fn gaps_of(&self, person: usize) -> usize {
        let row = &self.at[person * self.m..(person + 1) * self.m];
        let first = row.iter().position(|&x| x < BLOCKED);
        let last = row.iter().rposition(|&x| x < BLOCKED);
        match (first, last) {
            (Some(f), Some(l)) => row[f..=l].iter().filter(|&&x| x == FREE).count(),
            _ => 0,
        }
    }

    /// Gaps of a person if they also met in `slot` (which must be free for them).
    pub fn gaps_with(&self, person: usize, slot: usize) -> usize {
        let row = &self.at[person * self.m..(person + 1) * self.m];
        let busy = |i: usize| i == slot || row[i] < BLOCKED;
        let first = (0..self.m).find(|&i| busy(i));
        let last = (0..self.m).rev().find(|&i| busy(i));
        match (first, last) {
            (Some(f), Some(l)) => (f..=l).filter(|&i| !busy(i) && row[i] == FREE).count(),
            _ => 0,
        }
    }

    pub fn total_gaps(&self) -> usize {
        (0..self.p.people.len()).map(|i| self.gaps_of(i)).sum()
    }
}
