//! One look for every progress bar of the command line (on standard error; hidden when it is
//! not a terminal).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps labelled `what` ("indexing", "embedding", a file name …).
pub fn bar(len: u64, what: &str) -> ProgressBar {
    ProgressBar::new(len)
        .with_style(
            ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} {per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
        .with_message(what.to_string())
}
