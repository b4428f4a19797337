//! Validation errors that name the field and say what is wrong, in both languages.

use serde::Serialize;

/// One problem with one field of an input record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (column) name as the user wrote it, e.g. `trl_required`.
    pub field: String,
    /// A stable machine-readable code, e.g. `out_of_range`.
    pub code: &'static str,
    /// English message.
    pub message: String,
    /// Chinese message.
    pub message_zh: String,
}

impl FieldError {
    pub fn new(
        field: &str,
        code: &'static str,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.to_string(),
            code,
            message: en.into(),
            message_zh: zh.into(),
        }
    }

    pub fn required(field: &str) -> Self {
        FieldError::new(field, "required", "is required", "不能为空")
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.message
        } else {
            &self.message_zh
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field \"{}\": {}", self.field, self.message)
    }
}

/// A record failed validation; every problem found is listed, not just the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(e: FieldError) -> Self {
        Invalid(vec![e])
    }

    /// The error for `field`, if any (used by forms to show messages beside inputs).
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}

/// Collects field errors while a record is parsed.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub(crate) fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub(crate) fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}
