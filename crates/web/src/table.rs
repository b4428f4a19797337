//! A router that remembers what it serves: every route is registered with the methods it
//! answers, so that the permission-matrix test can insist on an entry for each of them.

use axum::routing::MethodRouter;
use axum::Router;

use crate::AppState;

/// A router and the `(METHOD, path)` pairs it serves.
pub struct Routes {
    pub router: Router<AppState>,
    pub table: Vec<(String, String)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// Serve `path` with `handlers`, which answer the comma-separated `methods`.
    pub fn at(mut self, path: &str, methods: &str, handlers: MethodRouter<AppState>) -> Routes {
        for m in methods.split(',') {
            self.table.push((m.trim().to_string(), path.to_string()));
        }
        self.router = self.router.route(path, handlers);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// Put these routes under `prefix`.
    pub fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.router = self.router.nest(prefix, other.router);
        self.table.extend(
            other
                .table
                .into_iter()
                .map(|(m, p)| (m, format!("{prefix}{p}"))),
        );
        self
    }
}
