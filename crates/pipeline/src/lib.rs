//! From prototype to product, the pure parts (no I/O): [`calendar`] — a pilot platform's
//! capacity by day and whether a booking fits (the store checks it inside the booking's
//! transaction, so capacity is never overbooked); [`fit`] — how well a fund suits a project and
//! a platform suits a need, with the reasons; [`chain`] — where an industrial chain's links have
//! gaps in Hebei; [`funnel`] — the outcome funnel with its conversion rates.

pub mod calendar;
pub mod chain;
pub mod fit;
pub mod funnel;
