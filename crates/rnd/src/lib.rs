//! R&D expense super-deduction (研发费用加计扣除), computed exactly.
//!
//! Money is `rust_decimal::Decimal` throughout and rounded to the fen only in the output. Every
//! figure comes with a trace line naming the rule it applies ([`rules`]). The order:
//! eligibility (negative list) → rate (year, kind) → shared costs allocated by hours → per
//! project the five categories (direct inputs less materials of sold output) → the cap on
//! "other related expenses" across all projects → domestic commissioned R&D at 80% → special
//! income and non-taxable subsidies deducted (not below zero per project) → overseas
//! commissioned R&D at 80% capped at two-thirds of the domestic eligible expenses → expensed and
//! capitalised bases → this year's deduction (capitalised projects through their amortisation).

pub mod assess;
mod compute;
pub mod form;
pub mod policy;
pub mod rules;
pub mod wire;

pub use compute::compute;
pub use wire::{Input, Line, Output};

/// Bad input: `path` names the field (`projects[1] (B).shared[0].rd_hours`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct RndError {
    pub path: String,
    pub message: String,
}

#[cfg(test)]
mod tests;
