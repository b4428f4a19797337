//! The filter shared by the scenario and achievement lists, turned into one WHERE clause.

use crate::sql::{Arg, Sql};
use crate::Viewer;

/// Filters for scenario and achievement lists. Every field is optional.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub viewer: Viewer,
    pub chain: Option<String>,
    /// Region code; a prefix match, so `hebei` finds every Hebei place.
    pub region: Option<String>,
    /// Minimum TRL (required TRL for scenarios, TRL for achievements).
    pub trl_min: Option<i64>,
    /// Maximum TRL.
    pub trl_max: Option<i64>,
    pub status: Option<String>,
    pub org_id: Option<i64>,
    /// Restrict to these ids (the hits of a full-text search).
    pub ids: Option<Vec<i64>>,
}

impl ListFilter {
    pub fn new(viewer: Viewer) -> ListFilter {
        ListFilter {
            viewer,
            chain: None,
            region: None,
            trl_min: None,
            trl_max: None,
            status: None,
            org_id: None,
            ids: None,
        }
    }

    /// ` WHERE …` over the record alias `r` joined with organisation `o`.
    pub(crate) fn where_clause(&self, region_col: &str, trl_col: &str) -> Sql {
        let mut w = Sql::new(" WHERE 1 = 1");
        match self.viewer {
            Viewer::Public => {
                w.push(" AND r.status <> 'draft'");
            }
            Viewer::Org(org) => {
                w.push(" AND (r.status <> 'draft' OR r.org_id = ")
                    .bind(Arg::Int(org))
                    .push(")");
            }
            Viewer::All => {}
        }
        if let Some(c) = &self.chain {
            w.push(" AND r.chain = ").bind(Arg::Text(c.clone()));
        }
        if let Some(r) = &self.region {
            w.push(&format!(" AND ({region_col} = "))
                .bind(Arg::Text(r.clone()));
            w.push(&format!(" OR {region_col} LIKE "))
                .bind(Arg::Text(format!("{r}.%")))
                .push(")");
        }
        if let Some(t) = self.trl_min {
            w.push(&format!(" AND {trl_col} >= ")).bind(Arg::Int(t));
        }
        if let Some(t) = self.trl_max {
            w.push(&format!(" AND {trl_col} <= ")).bind(Arg::Int(t));
        }
        if let Some(s) = &self.status {
            w.push(" AND r.status = ").bind(Arg::Text(s.clone()));
        }
        if let Some(o) = self.org_id {
            w.push(" AND r.org_id = ").bind(Arg::Int(o));
        }
        if let Some(ids) = &self.ids {
            if ids.is_empty() {
                w.push(" AND 1 = 0");
            } else {
                w.push(" AND r.id IN ").bind_ids(ids);
            }
        }
        w
    }
}
