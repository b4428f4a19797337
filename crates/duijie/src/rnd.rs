//! `duijie rnd compute` (the super-deduction) and `duijie rnd assess` (pre-identification).

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

fn read(input: &Path) -> Result<String> {
    Ok(if input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the input from stdin")?;
        text
    } else {
        std::fs::read_to_string(input).with_context(|| format!("reading {}", input.display()))?
    })
}

pub fn compute(input: &Path) -> Result<()> {
    let text = read(input)?;
    let data: duijie_rnd::Input = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid R&D deduction input", input.display()))?;
    let out =
        duijie_rnd::compute(&data).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

pub fn assess(input: &Path) -> Result<()> {
    let text = read(input)?;
    let project: duijie_rnd::assess::Project = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid project description", input.display()))?;
    let out = duijie_rnd::assess::assess(&project)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
