//! One-to-one meeting schedules for matchmaking events (Scenario Gatherings).
//!
//! Given time slots with a number of tables, participants with the slots they cannot attend, and
//! weighted meeting requests, [`schedule`] gives every request a slot and a table or says why it
//! could not. The schedule never double-books a person, never uses a slot a person blocked, never
//! seats more meetings than tables, and keeps locked meetings where they are.
//!
//! Quality is certified, not claimed: the output carries a proven upper bound (a flow
//! relaxation, see [`bound`](crate::bound), or an exhaustive search on small instances) and the
//! relative gap to it. [`check`] verifies any output against its input independently of the
//! solver.
//!
//! The method: bound and hint from the relaxation; seed locked and previous meetings; insert
//! requests in order of the hint and weight (free slot, else a Kempe-chain swap of two slots,
//! else moving a meeting out of a full slot); repair with ejections that strictly raise the
//! weight; give everyone with a request a first meeting where possible; branch and bound when the
//! instance is small; close idle gaps; number the tables so people keep their table between
//! consecutive meetings.

mod bound;
pub mod check;
mod exact;
pub mod generate;
mod output;
mod problem;
mod search;
mod state;
pub mod wire;

pub use check::check;
pub use wire::{Input, Meeting, Output, Participant, Placement, Request, Slot, Unscheduled};

use problem::Problem;
use search::Search;
use state::State;

/// Bad input: `path` names the item (`requests[3] (r4).to`), `message` says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct InputError {
    pub path: String,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Give everyone with a schedulable request at least one meeting where the instance allows
    /// it, even at some cost in total weight.
    pub fairness: bool,
    /// Node budget of the exhaustive search tried on small instances (0 turns it off).
    pub exact_nodes: u64,
    /// Repair passes over the unscheduled requests.
    pub passes: usize,
    /// Local-search moves tried after the repair while the bound is not reached.
    pub iterations: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fairness: true,
            exact_nodes: 2_000_000,
            passes: 8,
            iterations: 20_000,
        }
    }
}

/// Requests at most this many are searched exhaustively (within the node budget).
const EXACT_MAX_REQUESTS: usize = 40;

pub fn schedule(input: &Input, options: &Options) -> Result<Output, InputError> {
    let problem = Problem::from_input(input)?;
    let mut state = State::new(&problem);
    let bound = bound::upper_bound(&state, None);
    let base = state.clone();
    let candidates: Vec<usize> = (0..problem.requests.len())
        .filter(|&r| !state.locked[r] && (0..state.m).any(|s| state.fits(r, s)))
        .collect();

    let mut keep = vec![false; problem.requests.len()];
    for f in &problem.previous {
        if !state.is_placed(f.request) && state.fits(f.request, f.slot) {
            state.place(f.request, f.slot);
            keep[f.request] = true;
        }
    }
    let mut order: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&r| !state.is_placed(r))
        .collect();
    let options_of = |r: usize| (0..state.m).filter(|&s| base.fits(r, s)).count();
    order.sort_by_cached_key(|&r| {
        (
            std::cmp::Reverse((bound.hint[r], problem.requests[r].weight)),
            options_of(r),
            r,
        )
    });

    let mut search = Search {
        s: &mut state,
        keep,
        protect_cover: false,
    };
    let mut pending: Vec<usize> = order.into_iter().filter(|&r| !search.insert(r)).collect();
    if !problem.previous.is_empty() {
        // Late requests could not fit around the published meetings: now they may move.
        search.keep.iter_mut().for_each(|k| *k = false);
    }
    repair(&mut search, &mut pending, options.passes);
    if options.fairness {
        search.protect_cover = true;
        cover_everyone(&mut search, &candidates, &mut pending);
        repair(&mut search, &mut pending, options.passes);
    }
    let cover_bound = |state: &State| {
        let cover: Vec<bool> = (0..problem.people.len())
            .map(|i| state.meetings_of[i] > 0 && base.meetings_of[i] == 0)
            .collect();
        bound::upper_bound(&base, Some(&cover))
            .value
            .min(bound.value)
    };
    let target = if options.fairness {
        cover_bound(search.s)
    } else {
        bound.value
    };
    search::perturb(
        &mut search,
        &candidates,
        options.iterations,
        target.floor() as u64,
        0x5eed,
    );

    let mut upper_bound = if options.fairness {
        cover_bound(&state)
    } else {
        bound.value
    };
    let mut optimal = false;
    if options.exact_nodes > 0 && candidates.len() <= EXACT_MAX_REQUESTS {
        let mut scratch = base.clone();
        // The weight optimum first: it bounds every schedule, fair or not.
        if let Some(best) = exhaustive(&mut scratch, &candidates, state.value, options.exact_nodes)
        {
            upper_bound = upper_bound.min(best.1 as f64);
            if !options.fairness {
                if let Some(plan) = best.0 {
                    install(&mut state, &base, &plan);
                }
                optimal = true;
            } else {
                // Most people covered, then the most weight: optimal among the schedules that
                // cover at least as many people.
                let worth = exact::cover_worth(&base, &candidates);
                let incumbent = exact::score(&state, true, worth);
                match exact::solve(
                    &mut scratch,
                    &candidates,
                    true,
                    incumbent,
                    options.exact_nodes,
                ) {
                    exact::Outcome::Better(plan) => {
                        install(&mut state, &base, &plan);
                        optimal = true;
                    }
                    exact::Outcome::IncumbentOptimal => optimal = true,
                    exact::Outcome::GaveUp => {}
                }
                if optimal {
                    upper_bound = state.value as f64;
                }
            }
        }
    }
    if state.value as f64 >= upper_bound {
        optimal = true;
    }
    let mut search = Search {
        s: &mut state,
        keep: vec![false; problem.requests.len()],
        protect_cover: false,
    };
    for f in &problem.previous {
        search.keep[f.request] = true;
    }
    close_gaps(&mut search);
    Ok(output::build(
        &problem,
        &state,
        upper_bound,
        bound.value,
        optimal,
    ))
}

/// Weight-only exhaustive search: the optimal plan if better than `incumbent`, and the optimum.
fn exhaustive(
    scratch: &mut State,
    candidates: &[usize],
    incumbent: u64,
    budget: u64,
) -> Option<(Option<Plan>, u64)> {
    match exact::solve(scratch, candidates, false, incumbent, budget) {
        exact::Outcome::GaveUp => None,
        exact::Outcome::IncumbentOptimal => Some((None, incumbent)),
        exact::Outcome::Better(plan) => {
            let value = plan
                .iter()
                .map(|&(r, _)| scratch.p.requests[r].weight)
                .sum::<u64>()
                + scratch
                    .p
                    .locked
                    .iter()
                    .map(|f| scratch.p.requests[f.request].weight)
                    .sum::<u64>();
            Some((Some(plan), value))
        }
    }
}

/// (request, slot) for every request placed, locked ones excepted.
type Plan = Vec<(usize, usize)>;

fn install<'p>(state: &mut State<'p>, base: &State<'p>, plan: &[(usize, usize)]) {
    *state = base.clone();
    for &(r, slot) in plan {
        state.place(r, slot);
    }
}

/// Retry the unscheduled, heaviest first; eject lighter meetings when that raises the weight.
fn repair(search: &mut Search, pending: &mut Vec<usize>, passes: usize) {
    for _ in 0..passes {
        pending.retain(|&r| !search.s.is_placed(r));
        pending.sort_by_key(|&r| (std::cmp::Reverse(search.s.p.requests[r].weight), r));
        let mut changed = false;
        let mut next = Vec::new();
        for &r in pending.iter() {
            if search.s.is_placed(r) {
                continue;
            }
            if search.insert(r) {
                changed = true;
                continue;
            }
            let worth = search.s.p.requests[r].weight;
            match search.eject_for(r, worth) {
                Some(victims) => {
                    changed = true;
                    next.extend(victims.into_iter().filter(|&v| !search.insert(v)));
                }
                None => next.push(r),
            }
        }
        *pending = next;
        if !changed {
            break;
        }
    }
}

/// Give a first meeting to everyone who has a schedulable request but no meeting.
fn cover_everyone(search: &mut Search, candidates: &[usize], pending: &mut Vec<usize>) {
    let people = search.s.p.people.len();
    let mut requests_of: Vec<Vec<usize>> = vec![Vec::new(); people];
    for &r in candidates {
        let (a, b) = search.s.ends(r);
        requests_of[a].push(r);
        requests_of[b].push(r);
    }
    for (who, mine) in requests_of.into_iter().enumerate() {
        if search.s.meetings_of[who] > 0 || mine.is_empty() {
            continue;
        }
        let mut mine = mine;
        // Heavier requests first.
        mine.sort_by_key(|&r| std::cmp::Reverse(search.s.p.requests[r].weight));
        for r in mine {
            if search.insert(r) {
                break;
            }
            if let Some(victims) = search.eject_for(r, u64::MAX) {
                pending.extend(victims.into_iter().filter(|&v| !search.insert(v)));
                break;
            }
        }
    }
}

/// Move single meetings to free slots while that lowers the idle gaps of the two people.
fn close_gaps(search: &mut Search) {
    for _ in 0..20 {
        let mut improved = false;
        for r in 0..search.s.slot_of.len() {
            if !search.s.is_placed(r) || search.s.locked[r] || search.keep[r] {
                continue;
            }
            let (a, b) = search.s.ends(r);
            let from = search.s.slot_of[r] as usize;
            let before = search.s.gaps_of(a) + search.s.gaps_of(b);
            search.s.remove(r);
            let best = (0..search.s.m)
                .filter(|&slot| search.s.fits(r, slot))
                .map(|slot| {
                    (
                        search.s.gaps_with(a, slot) + search.s.gaps_with(b, slot),
                        slot,
                    )
                })
                .min();
            match best {
                Some((after, slot)) if after < before => {
                    search.s.place(r, slot);
                    improved = true;
                }
                _ => search.s.place(r, from),
            }
        }
        if !improved {
            break;
        }
    }
}

#[cfg(test)]
mod tests;
