//! `duijie`: the platform's one binary. Each subcommand is a run mode; the work is done by the
//! library crates (`store`, `search`, `web`, `tabular`).

mod assign;
mod bench;
mod bench_match;
mod cli;
mod demo;
mod eval;
mod progress;
mod rnd;
mod schedule;
mod transfer;

use std::path::Path;

use anyhow::{Context, Result};
use clap::Parser;

fn main() -> Result<()> {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DUIJIE_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tantivy=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(cli::run(cli))
}

/// The text of an input file, or of stdin for `-`.
pub(crate) fn read_input(input: &Path) -> Result<String> {
    use std::io::Read;
    if input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading stdin")?;
        Ok(text)
    } else {
        std::fs::read_to_string(input).with_context(|| format!("reading {}", input.display()))
    }
}
