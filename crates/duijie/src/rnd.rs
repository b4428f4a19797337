//! `duijie rnd compute --input FILE`: the R&D super-deduction from JSON.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

pub fn compute(input: &Path) -> Result<()> {
    let text = if input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the input from stdin")?;
        text
    } else {
        std::fs::read_to_string(input).with_context(|| format!("reading {}", input.display()))?
    };
    let data: duijie_rnd::Input = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid R&D deduction input", input.display()))?;
    let out =
        duijie_rnd::compute(&data).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
