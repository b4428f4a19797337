//! Raw input fields arrive from HTML forms, CSV/Excel cells and JSON bodies. They are all read
//! as optional strings so that one parser validates them all; JSON numbers and booleans are
//! accepted and turned into their text.

use serde::{Deserialize, Deserializer};

/// Deserialize a string, number, boolean or null into `Option<String>`; empty text is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Any {
        S(String),
        I(i64),
        F(f64),
        B(bool),
        L(Vec<String>),
    }
    let v: Option<Any> = Option::deserialize(d)?;
    Ok(match v {
        None => None,
        Some(Any::S(s)) => Some(s),
        Some(Any::I(i)) => Some(i.to_string()),
        Some(Any::F(f)) => Some(f.to_string()),
        Some(Any::B(b)) => Some(b.to_string()),
        Some(Any::L(l)) => Some(l.join(",")),
    }
    .filter(|s| !s.trim().is_empty()))
}

/// Trimmed text of an optional raw field, `None` when absent or blank.
pub fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
