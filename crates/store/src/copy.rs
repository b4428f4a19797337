//! Copy a whole database into another, empty one, whatever the two backends: a laptop trial on
//! SQLite moves to PostgreSQL, and a backup is a copy into a fresh SQLite file (restore is the
//! copy back). Ids are kept, so links and the audit log stay true.

use crate::sql::{Arg, Sql};
use crate::{Backend, Result, Store, StoreError};

/// Every table in foreign-key order with its columns; `#` marks an integer column.
/// `tests::the_copy_covers_every_column` checks this against the migrations.
pub(crate) const TABLES: &[(&str, &[&str])] = &[
    (
        "organisation",
        &[
            "#id",
            "key",
            "name_zh",
            "name_en",
            "kind",
            "region",
            "chain",
            "intro_zh",
            "intro_en",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "app_user",
        &[
            "#id",
            "email",
            "password_hash",
            "display_name",
            "role",
            "#org_id",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "session",
        &["id", "#user_id", "csrf_token", "created_at", "expires_at"],
    ),
    (
        "api_token",
        &[
            "#id",
            "#user_id",
            "name",
            "token_hash",
            "created_at",
            "last_used_at",
        ],
    ),
    (
        "scenario",
        &[
            "#id",
            "key",
            "#org_id",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "chain",
            "field",
            "#trl_required",
            "#budget_min_fen",
            "#budget_max_fen",
            "region",
            "deadline",
            "status",
            "confidential",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "achievement",
        &[
            "#id",
            "key",
            "#org_id",
            "title_zh",
            "title_en",
            "summary_zh",
            "summary_en",
            "chain",
            "field",
            "#trl",
            "ip",
            "team",
            "coop_modes",
            "status",
            "confidential",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "access_grant",
        &[
            "#id",
            "entity",
            "#entity_id",
            "#org_id",
            "#granted_by",
            "created_at",
        ],
    ),
    (
        "audit_log",
        &[
            "#id",
            "at",
            "#user_id",
            "actor",
            "action",
            "entity",
            "#entity_id",
            "detail",
        ],
    ),
    (
        "notification",
        &[
            "#id",
            "#org_id",
            "#scenario_id",
            "#achievement_id",
            "#rank",
            "#score",
            "created_at",
            "read_at",
        ],
    ),
    (
        "gathering",
        &[
            "#id",
            "title_zh",
            "title_en",
            "venue",
            "rooms",
            "intro_zh",
            "intro_en",
            "registration_closes",
            "status",
            "schedule_report",
            "scheduled_at",
            "#created_by",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "gathering_slot",
        &["#id", "#gathering_id", "starts_at", "#minutes", "#tables"],
    ),
    (
        "gathering_scenario",
        &["#id", "#gathering_id", "#scenario_id"],
    ),
    (
        "participant",
        &[
            "#id",
            "#gathering_id",
            "#org_id",
            "name",
            "title",
            "email",
            "side",
            "created_at",
        ],
    ),
    (
        "meeting_request",
        &[
            "#id",
            "#gathering_id",
            "#from_id",
            "#to_id",
            "pair_key",
            "#priority",
            "message",
            "status",
            "reason",
            "created_at",
            "decided_at",
        ],
    ),
    (
        "meeting",
        &[
            "#id",
            "#gathering_id",
            "#request_id",
            "#slot_id",
            "#table_no",
            "#locked",
            "outcome_from",
            "outcome_to",
            "updated_at",
        ],
    ),
    (
        "challenge",
        &[
            "#id",
            "#org_id",
            "title_zh",
            "title_en",
            "problem",
            "targets",
            "deliverables",
            "chain",
            "#funding_fen",
            "deadline",
            "ip_terms",
            "confidential",
            "mode",
            "criteria",
            "#reviewers",
            "status",
            "#round",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "challenge_terms",
        &["#id", "#challenge_id", "#org_id", "#user_id", "accepted_at"],
    ),
    (
        "application",
        &[
            "#id",
            "#challenge_id",
            "#org_id",
            "title",
            "plan",
            "milestones",
            "#budget_fen",
            "members",
            "status",
            "reason",
            "#funded_fen",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "expert_profile",
        &[
            "#id",
            "#user_id",
            "fields",
            "collaborators",
            "#max_load",
            "updated_at",
        ],
    ),
    (
        "review_conflict",
        &["#id", "#user_id", "#application_id", "reason", "created_at"],
    ),
    (
        "review",
        &[
            "#id",
            "#application_id",
            "#user_id",
            "#round",
            "#affinity_milli",
            "scores",
            "comment",
            "submitted_at",
            "created_at",
        ],
    ),
    (
        "milestone_decision",
        &[
            "#id",
            "#application_id",
            "#round",
            "#passed",
            "reason",
            "#tranche_fen",
            "decided_at",
        ],
    ),
    (
        "rnd_year",
        &[
            "#id",
            "#org_id",
            "#year",
            "kind",
            "#total_income_fen",
            "#negative_list_income_fen",
            "#non_taxable_income_fen",
            "#investment_income_fen",
            "#q4_2022_fen",
            "updated_at",
        ],
    ),
    (
        "rnd_project",
        &[
            "#id",
            "#org_id",
            "#year",
            "code",
            "name",
            "goal",
            "targets",
            "innovation",
            "uncertainty",
            "#approved",
            "approval_date",
            "start_date",
            "end_date",
            "team",
            "#has_plan",
            "#has_milestones",
            "#test_records",
            "evidence",
            "activities",
            "#capitalised",
            "#amort_years",
            "#amort_months",
            "#personnel_fen",
            "#direct_inputs_fen",
            "#depreciation_fen",
            "#intangible_fen",
            "#design_fen",
            "#other_fen",
            "#sold_material_fen",
            "#subsidy_fen",
            "#special_income_fen",
            "#domestic_fen",
            "#overseas_fen",
            "review_status",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "rnd_opinion",
        &[
            "#id",
            "#project_id",
            "#user_id",
            "verdict",
            "opinion",
            "created_at",
        ],
    ),
    (
        "rnd_resource",
        &[
            "#id",
            "#org_id",
            "#year",
            "name",
            "kind",
            "category",
            "#amount_fen",
        ],
    ),
    (
        "rnd_import",
        &[
            "#id",
            "#org_id",
            "#year",
            "file_name",
            "#row_count",
            "#user_id",
            "created_at",
        ],
    ),
    (
        "rnd_hours",
        &[
            "#id",
            "#import_id",
            "#row_no",
            "resource",
            "project_code",
            "work_date",
            "hours",
        ],
    ),
    (
        "platform",
        &[
            "#id",
            "#org_id",
            "kind",
            "name_zh",
            "name_en",
            "region",
            "chain",
            "fields",
            "equipment",
            "certifications",
            "intro",
            "#capacity",
            "created_at",
            "updated_at",
        ],
    ),
    ("platform_day", &["#id", "#platform_id", "day", "#capacity"]),
    (
        "platform_service",
        &[
            "#id",
            "#platform_id",
            "kind",
            "name_zh",
            "name_en",
            "#price_min_fen",
            "#price_max_fen",
            "#lead_days",
        ],
    ),
    (
        "service_request",
        &[
            "#id",
            "#service_id",
            "#platform_id",
            "#org_id",
            "#achievement_id",
            "#days",
            "#units",
            "wanted_from",
            "note",
            "status",
            "start_day",
            "end_day",
            "result",
            "report",
            "next_step",
            "reason",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "support_case",
        &[
            "#id",
            "#org_id",
            "#achievement_id",
            "title",
            "stage",
            "manager",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "case_step",
        &[
            "#id",
            "#case_id",
            "kind",
            "title",
            "owner",
            "due_day",
            "status",
            "note",
            "updated_at",
        ],
    ),
    (
        "fund",
        &[
            "#id",
            "#org_id",
            "name_zh",
            "name_en",
            "kind",
            "chains",
            "fields",
            "stages",
            "regions",
            "#ticket_min_fen",
            "#ticket_max_fen",
            "#size_fen",
            "intro",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "finance_project",
        &[
            "#id",
            "#org_id",
            "#achievement_id",
            "title",
            "chain",
            "field",
            "stage",
            "region",
            "#amount_fen",
            "summary",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "fund_deal",
        &[
            "#id",
            "#fund_id",
            "#project_id",
            "status",
            "#amount_fen",
            "invested_on",
            "reason",
            "updated_at",
        ],
    ),
    (
        "chain_link",
        &[
            "#id",
            "chain",
            "#parent_id",
            "position",
            "name_zh",
            "name_en",
            "keywords",
        ],
    ),
    ("chain_place", &["#id", "#link_id", "entity", "#entity_id"]),
    (
        "outcome",
        &[
            "#id",
            "kind",
            "title",
            "#org_id",
            "city",
            "chain",
            "source_region",
            "#amount_fen",
            "occurred_on",
            "#scenario_id",
            "#achievement_id",
            "#gathering_id",
            "#challenge_id",
            "note",
            "created_at",
        ],
    ),
    ("application_partner", &["#application_id", "#org_id"]),
    ("participant_unavailable", &["#participant_id", "#slot_id"]),
    (
        "docking",
        &[
            "#id",
            "#from_org_id",
            "#to_org_id",
            "about_kind",
            "#about_id",
            "own_kind",
            "#own_id",
            "want",
            "message",
            "stage",
            "reason",
            "#created_by",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "docking_event",
        &["#id", "#docking_id", "stage", "reason", "#user_id", "at"],
    ),
    (
        "docking_message",
        &[
            "#id",
            "#docking_id",
            "#org_id",
            "#user_id",
            "body",
            "created_at",
        ],
    ),
    (
        "docking_read",
        &["#docking_id", "#org_id", "#last_message_id"],
    ),
];

impl Store {
    /// How many rows each table holds, in copy order (to check a backup against its source).
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::with_capacity(TABLES.len());
        for (table, _) in TABLES {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await?;
            out.push((*table, n));
        }
        Ok(out)
    }

    /// Copy every row into `to`, which must be migrated and empty; one transaction on `to`.
    /// `progress` hears each table's name and row count. Returns the number of rows copied.
    pub async fn copy_into(
        &self,
        to: &Store,
        progress: &(dyn Fn(&str, usize) + Sync),
    ) -> Result<usize> {
        for (table, _) in TABLES {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&to.pool)
                .await?;
            if n > 0 {
                return Err(StoreError::NotEmpty { table });
            }
        }
        let mut tx = to.pool.begin().await?;
        let mut total = 0;
        for (table, cols) in TABLES {
            let names: Vec<&str> = cols.iter().map(|c| c.trim_start_matches('#')).collect();
            let select = format!(
                "SELECT {} FROM {table} ORDER BY {}",
                names.join(", "),
                names[0]
            );
            let rows = sqlx::query(&select).fetch_all(&self.pool).await?;
            for row in &rows {
                let mut insert = Sql::new(&format!(
                    "INSERT INTO {table} ({}) VALUES (",
                    names.join(", ")
                ));
                for (i, c) in cols.iter().enumerate() {
                    if i > 0 {
                        insert.push(", ");
                    }
                    let arg = if c.starts_with('#') {
                        sqlx::Row::try_get::<Option<i64>, _>(row, i)?.map(Arg::Int)
                    } else {
                        sqlx::Row::try_get::<Option<String>, _>(row, i)?.map(Arg::Text)
                    };
                    match arg {
                        Some(a) => insert.bind(a),
                        None => insert.push("NULL"),
                    };
                }
                insert.push(")");
                insert.execute(&mut tx).await?;
            }
            if to.backend == Backend::Postgres && cols[0] == "#id" {
                // Identity columns continue after the copied ids.
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                ))
                .execute(&mut *tx)
                .await?;
            }
            progress(table, rows.len());
            total += rows.len();
        }
        tx.commit().await?;
        Ok(total)
    }
}
