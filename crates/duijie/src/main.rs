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

use anyhow::Result;
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
