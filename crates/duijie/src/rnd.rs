//! `duijie rnd compute` (the super-deduction) and `duijie rnd assess` (pre-identification).

use std::path::Path;

use anyhow::{Context, Result};

pub fn compute(input: &Path) -> Result<()> {
    let text = crate::read_input(input)?;
    let data: duijie_rnd::Input = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid R&D deduction input", input.display()))?;
    let out =
        duijie_rnd::compute(&data).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

pub fn assess(input: &Path) -> Result<()> {
    let text = crate::read_input(input)?;
    let project: duijie_rnd::assess::Project = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid project description", input.display()))?;
    let out = duijie_rnd::assess::assess(&project)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
