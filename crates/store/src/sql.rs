//! A tiny builder for dynamic SQL with numbered `$n` placeholders, which both SQLite and
//! PostgreSQL accept (sqlx's own `QueryBuilder` writes `?` for the `Any` driver).

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow};

/// A value to bind.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text with its bound values in order.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    /// Append raw SQL (never user input).
    pub(crate) fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    /// Append a placeholder for `v`.
    pub(crate) fn bind(&mut self, v: Arg) -> &mut Sql {
        self.args.push(v);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    /// `prefix` followed by a fragment and its arguments (e.g. one WHERE clause shared by a
    /// COUNT and a SELECT). Placeholders keep their numbers since nothing is bound before them.
    pub(crate) fn prefixed(prefix: &str, tail: &Sql) -> Sql {
        Sql {
            text: format!("{prefix}{}", tail.text),
            args: tail.args.clone(),
        }
    }

    /// Append `(…, …)` placeholders for a list of ids.
    pub(crate) fn bind_ids(&mut self, ids: &[i64]) -> &mut Sql {
        self.text.push('(');
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(Arg::Int(*id));
        }
        self.text.push(')');
        self
    }

    /// Run a statement that returns no rows.
    pub(crate) async fn execute(&self, conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.as_str()),
            };
        }
        q.execute(conn).await.map(|_| ())
    }

    pub(crate) fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}
