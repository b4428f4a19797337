//! The heuristic: seed, insert in order of promise, repair with Kempe chains, relocations and
//! ejections, then cover everyone and close idle gaps.
//!
//! Every move keeps the schedule feasible; ejections are only taken when they strictly raise the
//! total weight (or, in the fairness pass, give someone their first meeting), so the search ends.

use crate::state::{State, BLOCKED, FREE, NONE};

pub(crate) struct Search<'a, 'p> {
    pub s: &'a mut State<'p>,
    /// Meetings nobody should lose for a gap or a chain (their `previous` place), if set.
    pub keep: Vec<bool>,
    /// When set, no move may leave a covered person without a meeting.
    pub protect_cover: bool,
}

impl Search<'_, '_> {
    /// Place `r` without displacing anyone: a free slot, a Kempe chain, or a relocation.
    pub fn insert(&mut self, r: usize) -> bool {
        self.direct(r) || self.kempe(r) || self.relocate(r)
    }

    /// The free slot that adds the fewest idle gaps (then the emptiest, then the earliest).
    pub fn direct(&mut self, r: usize) -> bool {
        let (a, b) = self.s.ends(r);
        let best = (0..self.s.m)
            .filter(|&slot| self.s.fits(r, slot))
            .min_by_key(|&slot| {
                let extra = self.s.gaps_with(a, slot) + self.s.gaps_with(b, slot);
                (extra, self.s.count[slot], slot)
            });
        match best {
            Some(slot) => {
                self.s.place(r, slot);
                true
            }
            None => false,
        }
    }

    /// One endpoint free in slot `x`, the other free in slot `y`: swap `x`/`y` along the
    /// alternating chain that starts at the second endpoint, then meet in `x`.
    fn kempe(&mut self, r: usize) -> bool {
        let (a, b) = self.s.ends(r);
        let mut best: Option<(usize, usize, usize, Vec<usize>)> = None;
        for (u, v) in [(a, b), (b, a)] {
            for x in 0..self.s.m {
                if self.s.at(u, x) != FREE || self.s.at(v, x) >= BLOCKED {
                    continue;
                }
                for y in 0..self.s.m {
                    if y == x || self.s.at(v, y) != FREE {
                        continue;
                    }
                    let limit = best.as_ref().map_or(usize::MAX, |b| b.3.len());
                    if let Some(chain) = self.chain(u, v, x, y, limit) {
                        best = Some((x, y, v, chain));
                    }
                }
            }
        }
        let Some((x, y, _, chain)) = best else {
            return false;
        };
        let moves: Vec<(usize, usize)> = chain
            .iter()
            .map(|&e| (e, self.s.slot_of[e] as usize))
            .collect();
        for &(e, _) in &moves {
            self.s.remove(e);
        }
        for &(e, from) in &moves {
            self.s.place(e, if from == x { y } else { x });
        }
        self.s.place(r, x);
        true
    }

    /// The alternating x/y chain from `v` (busy in x, free in y), if swapping it is allowed and
    /// shorter than `limit`.
    fn chain(&self, u: usize, v: usize, x: usize, y: usize, limit: usize) -> Option<Vec<usize>> {
        let s = &self.s;
        let mut chain = Vec::new();
        let (mut cur, mut color, mut other) = (v, x, y);
        let (mut in_x, mut in_y) = (0i64, 0i64);
        loop {
            let e = s.at(cur, color);
            if e == FREE {
                break;
            }
            if e == BLOCKED {
                // The edge that reached `cur` would move into `color`, where `cur` cannot be.
                return None;
            }
            let e = e as usize;
            if s.locked[e] || self.keep[e] || chain.len() + 1 >= limit {
                return None;
            }
            chain.push(e);
            if color == x {
                in_x += 1;
            } else {
                in_y += 1;
            }
            let (p, q) = s.ends(e);
            cur = if p == cur { q } else { p };
            std::mem::swap(&mut color, &mut other);
        }
        // The chain ends at `cur`, whose last edge moves into `color`; that must not take the
        // slot `u` needs.
        if cur == u && color == x {
            return None;
        }
        let after_x = i64::from(s.count[x]) - in_x + in_y + 1;
        let after_y = i64::from(s.count[y]) - in_y + in_x;
        if after_x > i64::from(s.p.slots[x].tables) || after_y > i64::from(s.p.slots[y].tables) {
            return None;
        }
        Some(chain)
    }

    /// Both free in a full slot: move another meeting of that slot to a slot with room.
    fn relocate(&mut self, r: usize) -> bool {
        let (a, b) = self.s.ends(r);
        for slot in 0..self.s.m {
            if self.s.has_room(slot) || self.s.at(a, slot) != FREE || self.s.at(b, slot) != FREE {
                continue;
            }
            if let Some((e, to)) = self.movable_out_of(slot) {
                self.s.remove(e);
                self.s.place(e, to);
                self.s.place(r, slot);
                return true;
            }
        }
        false
    }

    fn movable_out_of(&self, slot: usize) -> Option<(usize, usize)> {
        let s = &self.s;
        for (e, &at) in s.slot_of.iter().enumerate() {
            if at as usize != slot || at == NONE || s.locked[e] || self.keep[e] {
                continue;
            }
            let (p, q) = s.ends(e);
            if let Some(to) = (0..s.m)
                .find(|&t| t != slot && s.has_room(t) && s.at(p, t) == FREE && s.at(q, t) == FREE)
            {
                return Some((e, to));
            }
        }
        None
    }

    /// The cheapest set of meetings whose removal lets `r` meet in some slot, if it weighs less
    /// than `worth` (and, when protecting cover, leaves nobody without a meeting).
    pub fn eject_for(&mut self, r: usize, worth: u64) -> Option<Vec<usize>> {
        let (a, b) = self.s.ends(r);
        let mut best: Option<(u64, usize, Vec<usize>)> = None;
        for slot in 0..self.s.m {
            if !self.s.both_available(r, slot) {
                continue;
            }
            let mut victims: Vec<usize> = Vec::new();
            for who in [a, b] {
                let e = self.s.at(who, slot);
                if e < BLOCKED && !victims.contains(&(e as usize)) {
                    victims.push(e as usize);
                }
            }
            if victims.iter().any(|&e| self.s.locked[e] || self.keep[e]) {
                continue;
            }
            let frees = victims.len() as u32;
            if self.s.count[slot] - frees >= self.s.p.slots[slot].tables {
                // Also need a table: the lightest other meeting of the slot goes.
                let lightest = (0..self.s.slot_of.len())
                    .filter(|&e| {
                        self.s.slot_of[e] as usize == slot
                            && self.s.slot_of[e] != NONE
                            && !victims.contains(&e)
                            && !self.s.locked[e]
                            && !self.keep[e]
                            && self.may_drop(&[e], r)
                    })
                    .min_by_key(|&e| self.s.p.requests[e].weight);
                match lightest {
                    Some(e) => victims.push(e),
                    None => continue,
                }
            }
            if !self.may_drop(&victims, r) {
                continue;
            }
            let loss: u64 = victims.iter().map(|&e| self.s.p.requests[e].weight).sum();
            if loss < worth && best.as_ref().is_none_or(|(l, _, _)| loss < *l) {
                best = Some((loss, slot, victims));
            }
        }
        let (_, slot, victims) = best?;
        for &e in &victims {
            self.s.remove(e);
        }
        self.s.place(r, slot);
        Some(victims)
    }

    /// Dropping `victims` (to place `r`) leaves every covered person covered.
    fn may_drop(&self, victims: &[usize], r: usize) -> bool {
        if !self.protect_cover {
            return true;
        }
        let (ra, rb) = self.s.ends(r);
        let mut lost: Vec<(usize, u32)> = Vec::new();
        for &e in victims {
            let (p, q) = self.s.ends(e);
            for who in [p, q] {
                if who == ra || who == rb {
                    continue;
                }
                match lost.iter_mut().find(|(w, _)| *w == who) {
                    Some((_, n)) => *n += 1,
                    None => lost.push((who, 1)),
                }
            }
        }
        lost.iter().all(|&(who, n)| self.s.meetings_of[who] > n)
    }
}

/// Iterated local search: force an unscheduled request in by ejecting what blocks it in a
/// random slot, let the ejected and their neighbours find new places, and keep the result when
/// the weight did not drop. Stops after `iterations` or when `target` is reached.
pub(crate) fn perturb(
    search: &mut Search,
    candidates: &[usize],
    iterations: usize,
    target: u64,
    seed: u64,
) {
    let mut rng = crate::generate::Rng::new(seed);
    let p = search.s.p;
    let mut requests_of: Vec<Vec<usize>> = vec![Vec::new(); p.people.len()];
    for &r in candidates {
        let (a, b) = search.s.ends(r);
        requests_of[a].push(r);
        requests_of[b].push(r);
    }
    let mut best = search.s.clone();
    let mut covered = best.meetings_of.iter().filter(|&&n| n > 0).count();
    for _ in 0..iterations {
        if search.s.value >= target {
            break;
        }
        let out: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&r| !search.s.is_placed(r))
            .collect();
        if out.is_empty() {
            break;
        }
        // Heavier requests are tried more often.
        let total: u64 = out.iter().map(|&r| p.requests[r].weight).sum();
        let mut pick = rng.below(total);
        let r = *out
            .iter()
            .find(|&&r| {
                let w = p.requests[r].weight;
                if pick < w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .unwrap_or(&out[0]);
        let (a, b) = search.s.ends(r);
        let slots: Vec<usize> = (0..search.s.m)
            .filter(|&s| search.s.both_available(r, s))
            .collect();
        if slots.is_empty() {
            continue;
        }
        let slot = slots[rng.below(slots.len() as u64) as usize];
        let mut victims: Vec<usize> = Vec::new();
        for who in [a, b] {
            let e = search.s.at(who, slot);
            if e < BLOCKED && !victims.contains(&(e as usize)) {
                victims.push(e as usize);
            }
        }
        if search.s.count[slot] - victims.len() as u32 >= p.slots[slot].tables {
            let here: Vec<usize> = (0..p.requests.len())
                .filter(|&e| search.s.slot_of[e] == slot as u32 && !victims.contains(&e))
                .collect();
            if here.is_empty() {
                continue;
            }
            victims.push(here[rng.below(here.len() as u64) as usize]);
        }
        if victims
            .iter()
            .any(|&e| search.s.locked[e] || search.keep[e])
        {
            continue;
        }
        for &e in &victims {
            search.s.remove(e);
        }
        search.s.place(r, slot);
        let mut retry: Vec<usize> = victims.clone();
        for &e in &victims {
            let (x, y) = search.s.ends(e);
            retry.extend(requests_of[x].iter().chain(&requests_of[y]).copied());
        }
        retry.sort_by_key(|&e| (std::cmp::Reverse(p.requests[e].weight), e));
        retry.dedup();
        for e in retry {
            if !search.s.is_placed(e) {
                search.insert(e);
            }
        }
        let now_covered = search.s.meetings_of.iter().filter(|&&n| n > 0).count();
        let keeps_cover = !search.protect_cover || now_covered >= covered;
        if search.s.value >= best.value && keeps_cover {
            best.clone_from(search.s);
            covered = now_covered;
        } else {
            search.s.clone_from(&best);
        }
    }
}
