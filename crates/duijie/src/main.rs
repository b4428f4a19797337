//! `duijie`: the platform's one binary. Each subcommand is a run mode; the work is done by the
//! library crates (`store`, `search`, `web`, `tabular`).

mod assign;
mod bench;
mod bench_follow;
mod bench_match;
mod bench_publish;
mod cli;
mod demo;
mod eval;
mod progress;
mod rnd;
mod schedule;
mod serve;
mod transfer;

use std::path::Path;

use anyhow::{Context, Result};

use clap::Parser;

fn main() -> std::process::ExitCode {
    use std::io::IsTerminal;
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DUIJIE_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tantivy=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never in a log file.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let run = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| {
            let done = rt.block_on(cli::run(cli));
            // Background work (embedding vectors in the background of `serve`) does not hold
            // the process up once the command is done: it resumes at the next start.
            rt.shutdown_timeout(std::time::Duration::from_secs(2));
            done
        });
    match run {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", error_text(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// An error for people: what went wrong and why, each cause once, no backtrace (whatever
/// `RUST_BACKTRACE` says: a user-facing error is not a crash).
fn error_text(e: &anyhow::Error) -> String {
    let mut lines: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !lines.iter().any(|l| l.contains(&text)) {
            lines.push(text);
        }
    }
    let mut out = format!("error: {}", lines.first().map_or("", String::as_str));
    for l in lines.iter().skip(1) {
        out.push_str("\n  because: ");
        out.push_str(l);
    }
    out
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
    // A byte-order mark (Windows editors write one) is not part of the JSON.
    .map(|t| t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t))
}
