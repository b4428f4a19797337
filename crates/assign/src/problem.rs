//! Validation of the input into indices, and the reasons an instance has no solution.

use std::collections::{HashMap, HashSet};

use crate::wire::Input;
use crate::AssignError;

pub(crate) struct App {
    pub id: String,
    pub reviewers: u32,
    /// Reviewers still to choose after the forced ones.
    pub open: u32,
}

pub(crate) struct Exp {
    pub id: String,
    /// Places left after the forced pairs, and how many of them must be filled.
    pub room: u32,
    pub must: u32,
}

/// An assignable (scored, not conflicted, not forced) pair.
pub(crate) struct Pair {
    pub a: usize,
    pub e: usize,
    pub score: f64,
}

pub(crate) struct Forced {
    pub a: usize,
    pub e: usize,
    pub score: f64,
}

pub(crate) struct Problem {
    pub apps: Vec<App>,
    pub experts: Vec<Exp>,
    pub pairs: Vec<Pair>,
    pub forced: Vec<Forced>,
    /// The largest rounding error of an affinity on the flow's 10⁻⁶ grid.
    pub rounding: f64,
    /// Per application: conflicted and unscored expert counts, for explanations.
    conflicted: Vec<usize>,
}

fn err(path: impl Into<String>, message: impl Into<String>) -> AssignError {
    AssignError::Input {
        path: path.into(),
        message: message.into(),
    }
}

impl Problem {
    pub fn from_input(input: &Input) -> Result<Problem, AssignError> {
        let mut app_index = HashMap::new();
        let mut apps = Vec::new();
        for (i, a) in input.applications.iter().enumerate() {
            if a.id.is_empty() {
                return Err(err(format!("applications[{i}].id"), "the id is empty"));
            }
            if app_index.insert(a.id.as_str(), i).is_some() {
                return Err(err(
                    format!("applications[{i}] ({})", a.id),
                    "this application id appears twice",
                ));
            }
            apps.push(App {
                id: a.id.clone(),
                reviewers: a.reviewers,
                open: a.reviewers,
            });
        }
        let mut expert_index = HashMap::new();
        let mut experts = Vec::new();
        for (i, e) in input.experts.iter().enumerate() {
            let path = format!("experts[{i}] ({})", e.id);
            if e.id.is_empty() {
                return Err(err(format!("experts[{i}].id"), "the id is empty"));
            }
            if expert_index.insert(e.id.as_str(), i).is_some() {
                return Err(err(path, "this expert id appears twice"));
            }
            if e.min_load > e.max_load {
                return Err(err(
                    path,
                    format!("min_load {} is above max_load {}", e.min_load, e.max_load),
                ));
            }
            experts.push(Exp {
                id: e.id.clone(),
                room: e.max_load,
                must: e.min_load,
            });
        }
        let pair_of =
            |what: &str, i: usize, a: &str, e: &str| -> Result<(usize, usize), AssignError> {
                let path = format!("{what}[{i}]");
                let ai = *app_index
                    .get(a)
                    .ok_or_else(|| err(&path, format!("no application has the id \"{a}\"")))?;
                let ei = *expert_index
                    .get(e)
                    .ok_or_else(|| err(&path, format!("no expert has the id \"{e}\"")))?;
                Ok((ai, ei))
            };
        let mut conflicts = HashSet::new();
        for (i, (a, e)) in input.conflicts.iter().enumerate() {
            conflicts.insert(pair_of("conflicts", i, a, e)?);
        }
        let mut scores: HashMap<(usize, usize), f64> = HashMap::new();
        for (i, (a, e, s)) in input.scores.iter().enumerate() {
            let key = pair_of("scores", i, a, e)?;
            if !s.is_finite() || *s < 0.0 || *s > 1e6 {
                return Err(err(
                    format!("scores[{i}]"),
                    format!("affinity {s} must be a number from 0 to 1000000"),
                ));
            }
            if scores.insert(key, *s).is_some() {
                return Err(err(
                    format!("scores[{i}]"),
                    format!("{a} and {e} are scored twice"),
                ));
            }
        }
        let mut forced = Vec::new();
        let mut seen = HashSet::new();
        for (i, (a, e)) in input.forced.iter().enumerate() {
            let key = pair_of("forced", i, a, e)?;
            let path = format!("forced[{i}] ({a}, {e})");
            if conflicts.contains(&key) {
                return Err(err(path, "the pair is also declared a conflict"));
            }
            if !seen.insert(key) {
                return Err(err(path, "the pair is forced twice"));
            }
            let (ai, ei) = key;
            if apps[ai].open == 0 {
                return Err(err(
                    path,
                    format!(
                        "{a} needs only {} reviewer(s) and more are forced",
                        apps[ai].reviewers
                    ),
                ));
            }
            if experts[ei].room == 0 {
                return Err(err(path, format!("{e} would exceed max_load")));
            }
            apps[ai].open -= 1;
            experts[ei].room -= 1;
            experts[ei].must = experts[ei].must.saturating_sub(1);
            forced.push(Forced {
                a: ai,
                e: ei,
                score: scores.get(&key).copied().unwrap_or(0.0),
            });
        }
        let mut conflicted = vec![0usize; apps.len()];
        for &(a, _) in &conflicts {
            conflicted[a] += 1;
        }
        let mut pairs: Vec<Pair> = scores
            .into_iter()
            .filter(|(key, _)| !conflicts.contains(key) && !seen.contains(key))
            .map(|((a, e), score)| Pair { a, e, score })
            .collect();
        pairs.sort_by_key(|p| (p.a, p.e));
        let rounding = pairs
            .iter()
            .map(|p| (p.score - (p.score / crate::RESOLUTION).round() * crate::RESOLUTION).abs())
            .fold(0.0, f64::max);
        Ok(Problem {
            apps,
            experts,
            pairs,
            forced,
            rounding,
            conflicted,
        })
    }

    /// Counting arguments first: they give the clearest reasons.
    pub fn check_counts(&self) -> Result<(), AssignError> {
        let mut eligible = vec![0usize; self.apps.len()];
        for p in &self.pairs {
            eligible[p.a] += 1;
        }
        let short: Vec<usize> = (0..self.apps.len())
            .filter(|&a| eligible[a] < self.apps[a].open as usize)
            .collect();
        if !short.is_empty() {
            let reasons: Vec<String> = short
                .iter()
                .take(20)
                .map(|&a| {
                    let app = &self.apps[a];
                    format!(
                        "{} needs {} more reviewer(s) but only {} expert(s) are scored and free of conflicts ({} conflicted)",
                        app.id, app.open, eligible[a], self.conflicted[a]
                    )
                })
                .collect();
            return Err(AssignError::Infeasible {
                applications: short.iter().map(|&a| self.apps[a].id.clone()).collect(),
                reason: reasons.join("; "),
            });
        }
        let need: u64 = self.apps.iter().map(|a| u64::from(a.open)).sum();
        let room: u64 = self.experts.iter().map(|e| u64::from(e.room)).sum();
        let must: u64 = self.experts.iter().map(|e| u64::from(e.must)).sum();
        if need > room {
            return Err(AssignError::Infeasible {
                applications: self.apps.iter().map(|a| a.id.clone()).collect(),
                reason: format!(
                    "{need} reviews are needed but the experts' max_load adds up to {room}"
                ),
            });
        }
        if must > need {
            return Err(AssignError::Infeasible {
                applications: Vec::new(),
                reason: format!(
                    "the experts' min_load adds up to {must} but only {need} reviews are needed"
                ),
            });
        }
        Ok(())
    }

    /// Why the flow could not cover everyone: the applications that stay short and the experts
    /// they compete for (the source side of a minimum cut).
    pub fn explain(&self, short: &[(usize, i64)], reachable: &[bool]) -> AssignError {
        let na = self.apps.len();
        let apps: Vec<usize> = short
            .iter()
            .filter(|(v, _)| *v < na)
            .map(|(v, _)| *v)
            .collect();
        let experts: Vec<usize> = (0..self.experts.len())
            .filter(|&e| reachable[na + e])
            .collect();
        let competing: Vec<usize> = (0..na).filter(|&a| reachable[a]).collect();
        let need: u64 = competing
            .iter()
            .map(|&a| u64::from(self.apps[a].open))
            .sum();
        let room: u64 = experts
            .iter()
            .map(|&e| u64::from(self.experts[e].room))
            .sum();
        let names = |ids: &[usize], f: &dyn Fn(usize) -> String| {
            let mut s: Vec<String> = ids.iter().take(12).map(|&i| f(i)).collect();
            if ids.len() > 12 {
                s.push(format!("… ({} in all)", ids.len()));
            }
            s.join(", ")
        };
        let reason = if apps.is_empty() {
            let unmet: Vec<usize> = short
                .iter()
                .filter(|(v, _)| *v >= na)
                .map(|(v, _)| *v - na)
                .collect();
            format!(
                "the minimum loads of {} cannot be met by the applications they may review",
                names(&unmet, &|e| self.experts[e].id.clone())
            )
        } else {
            format!(
                "{} cannot all be covered: the applications {} need {need} reviews from the only experts they may have ({}), who have {room} places left",
                names(&apps, &|a| self.apps[a].id.clone()),
                names(&competing, &|a| self.apps[a].id.clone()),
                names(&experts, &|e| self.experts[e].id.clone()),
            )
        };
        AssignError::Infeasible {
            applications: apps.iter().map(|&a| self.apps[a].id.clone()).collect(),
            reason,
        }
    }
}
