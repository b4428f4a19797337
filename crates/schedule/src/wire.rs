//! The JSON shapes read and written by `duijie schedule`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub slots: Vec<Slot>,
    /// Tables in every slot (used for slots missing from `tables_per_slot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables_per_slot: BTreeMap<String, u32>,
    pub participants: Vec<Participant>,
    pub requests: Vec<Request>,
    /// Meetings that must stay exactly where they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locked: Vec<Placement>,
    /// The schedule published before a change (cancellation, late request): meetings are kept
    /// where they were unless moving them lets more (or weightier) requests be met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<Placement>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub id: String,
    /// RFC 3339 start time, e.g. `2026-05-20T09:00:00+08:00`.
    pub start: String,
    pub minutes: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub id: String,
    /// `demand` or `supply` (or any label); informational.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub id: String,
    pub from: String,
    pub to: String,
    /// Priority of the meeting, a whole number from 1 to 1,000,000 (the web UI uses 1–5).
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub request: String,
    pub slot: String,
    /// Table number, 1-based. Optional in `locked` and `previous`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Meeting {
    pub request: String,
    pub slot: String,
    pub table: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Unscheduled {
    pub request: String,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Output {
    /// Sorted by slot start, then table.
    pub meetings: Vec<Meeting>,
    pub unscheduled: Vec<Unscheduled>,
    /// Summed weight of the scheduled requests.
    pub value: u64,
    /// A proven upper bound on the value of any feasible schedule that gives a meeting to
    /// everyone this one does (with fairness off: of any feasible schedule).
    pub upper_bound: f64,
    /// `(upper_bound - value) / upper_bound`, 0 when the bound is 0.
    pub gap: f64,
    /// A proven upper bound on the value of any feasible schedule, fair or not; the difference
    /// to `upper_bound` is what fairness may cost.
    pub unconstrained_bound: f64,
    /// True when the value is proven optimal (exhaustive search or bound reached).
    pub optimal: bool,
    /// Free slots between a participant's first and last meeting, summed over participants.
    pub idle_gaps: usize,
    /// Participants with a request who got no meeting.
    pub without_meeting: Vec<String>,
    /// Meetings of `previous` (still requested) that changed slot or table or were dropped.
    pub moved: usize,
    /// Wall-clock time, filled in by the caller (the library has no clock).
    pub seconds: f64,
}
