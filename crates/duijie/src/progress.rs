//! One look for every progress bar of the command line, on standard error. On a terminal it is
//! a bar redrawn in place; otherwise (a log file, a pipe, a service manager's journal) it is a
//! plain line when the work starts and then at most one every ten seconds, so a long embedding
//! run in a script still says that it is alive and how far it is.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

/// How often a progress line is written when standard error is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(10);

/// A bar of `len` steps labelled `what` ("indexing", "embedding", a file name …).
pub fn bar(len: u64, what: &str) -> ProgressBar {
    if std::io::stderr().is_terminal() {
        ProgressBar::new(len)
            .with_style(style("{msg} {bar:40} {pos}/{len} {per_sec} {eta}"))
            .with_message(what.to_string())
    } else {
        ProgressBar::with_draw_target(
            Some(len),
            ProgressDrawTarget::term_like_with_hz(Box::new(Lines::default()), 1),
        )
        .with_style(style(
            "{msg} {pos}/{len} ({percent}%), {per_sec}, {eta} left",
        ))
        .with_message(what.trim().to_string())
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A "terminal" that turns each redraw into a line on standard error, dropping redraws that
/// come sooner than [`LINE_EVERY`] after the last line written.
#[derive(Debug, Default)]
struct Lines {
    last: Mutex<Option<Instant>>,
}

impl Lines {
    fn line(&self, s: &str) -> std::io::Result<()> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(());
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|t| t.elapsed() < LINE_EVERY) {
            return Ok(());
        }
        *last = Some(Instant::now());
        writeln!(std::io::stderr().lock(), "{s}")
    }
}

impl TermLike for Lines {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.line(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.line(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}
