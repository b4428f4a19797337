//! Which policies an enterprise can claim, and why not yet (政策匹配): each policy's
//! conditions as the published rules state them, evaluated on the enterprise's profile, each
//! condition met, unmet (by how much) or unknown (which figure is missing), citing its clause.
//! Pure and exact: figures are integers (fen, people), shares exact decimals, rounded only in
//! the text; no I/O, no clock (the day is given).
//!
//! - [`sme`]: the technology-based SME evaluation (国科发政〔2022〕67号): conditions, the
//!   100-point score and the direct confirmations, and the R&D spending that would pass it.
//! - [`hightech`]: high and new technology enterprise recognition (国科发火〔2016〕32号 第十一条),
//!   and the R&D spending its ratio needs.
//! - [`deduction`]: the R&D super-deduction as a policy to claim, at the R&D engine's rates.

pub mod deduction;
pub mod hightech;
pub mod profile;
pub mod sme;
pub mod verdict;
pub mod voucher;

pub use profile::{Industry, Profile, Year};
pub use verdict::{Assessment, Condition, State, Text, Verdict};

/// The policies assessed, in the order [`assess`] gives them: (anchor, Chinese name, English
/// name).
pub const POLICIES: [(&str, &str, &str); 3] = [
    (
        "rnd_deduction",
        "研发费用加计扣除",
        "R&D expense super-deduction",
    ),
    (
        "sci_tech_sme",
        "科技型中小企业评价",
        "Technology-based SME evaluation",
    ),
    (
        "hightech",
        "高新技术企业认定",
        "High and new technology enterprise recognition",
    ),
];

/// Every policy assessed for the enterprise on `today`, in the order an enterprise meets them.
pub fn assess(p: &Profile, today: chrono::NaiveDate) -> Vec<Assessment> {
    let sme = sme::assess(p, today);
    let likely_sme = sme.verdict == Verdict::Likely;
    vec![
        deduction::assess(p, likely_sme),
        sme,
        hightech::assess(p, today),
    ]
}

#[cfg(test)]
mod tests;
