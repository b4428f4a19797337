//! What waits for someone today, counted in one query per role: the workbench (我的工作台).

use serde::Serialize;
use sqlx::FromRow;

use duijie_domain::docking::DockingStage;

use crate::docking::{stages_sql, UNREAD_FOR_ORG, WAITING_FOR_ORG};
use crate::{Result, Store};

/// What waits for a member of an organisation.
#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct MemberCounts {
    /// Docking requests and introductions waiting for the organisation's answer.
    pub dockings_waiting: i64,
    /// Messages of its dockings it has not read.
    pub messages_unread: i64,
    /// Its open dockings nobody touched since the cut-off.
    pub dockings_stalled: i64,
    /// Its open dockings.
    pub dockings_open: i64,
    /// Unread notices: match notices of the organisation and step notices of it or the user.
    pub notices_unread: i64,
    /// Unread match notices (new achievements among its scenarios' best matches).
    pub matches_unread: i64,
    pub scenarios: i64,
    pub achievements: i64,
    /// Its scenarios and achievements still in draft.
    pub drafts: i64,
    pub contracts_pending: i64,
    pub contracts_refused: i64,
    /// Its service requests not yet done (waiting or scheduled).
    pub requests_open: i64,
    /// Service requests to platforms it operates, waiting to be scheduled.
    pub requests_to_schedule: i64,
    /// Its challenge applications still running (submitted, awarded, racing).
    pub applications_open: i64,
    /// Its R&D projects waiting for an expert's opinion.
    pub rnd_in_review: i64,
    pub rnd_years: i64,
}

/// What waits for programme officers, and this month's figures.
#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct StaffCounts {
    pub orgs_to_verify: i64,
    pub rnd_to_review: i64,
    pub dockings_stalled: i64,
    pub contracts_pending: i64,
    /// Challenges posed and waiting for an officer's approval to publish.
    pub challenges_to_approve: i64,
    /// Challenges whose applications closed, waiting for reviewers.
    pub challenges_to_assign: i64,
    /// Since the first of the month (Beijing time).
    pub dockings_this_month: i64,
    pub contracts_registered_this_month: i64,
    pub transaction_fen_this_month: i64,
}

/// One review an expert still has to write.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ReviewDue {
    pub challenge_id: i64,
    pub title_zh: String,
    pub title_en: String,
    pub deadline: String,
    pub reviews: i64,
}

impl Store {
    /// `$1` organisation, `$2` user, `$3` the stall cut-off (RFC 3339 UTC, as stored).
    pub async fn member_counts(
        &self,
        org: i64,
        user: i64,
        stalled_before: &str,
    ) -> Result<MemberCounts> {
        let open = stages_sql(DockingStage::is_open);
        let sql = format!(
            "SELECT \
             (SELECT COUNT(*) {WAITING_FOR_ORG}) AS dockings_waiting, \
             (SELECT COUNT(*) {UNREAD_FOR_ORG}) AS messages_unread, \
             (SELECT COUNT(*) FROM docking WHERE (from_org_id = $1 OR to_org_id = $1) \
               AND stage IN {open} AND updated_at < $3) AS dockings_stalled, \
             (SELECT COUNT(*) FROM docking WHERE (from_org_id = $1 OR to_org_id = $1) \
               AND stage IN {open}) AS dockings_open, \
             (SELECT COUNT(*) FROM notification WHERE org_id = $1 AND read_at IS NULL) \
               + (SELECT COUNT(*) FROM notice WHERE (org_id = $1 OR user_id = $2) AND read_at IS NULL) \
               AS notices_unread, \
             (SELECT COUNT(*) FROM notification WHERE org_id = $1 AND read_at IS NULL) AS matches_unread, \
             (SELECT COUNT(*) FROM scenario WHERE org_id = $1) AS scenarios, \
             (SELECT COUNT(*) FROM achievement WHERE org_id = $1) AS achievements, \
             (SELECT COUNT(*) FROM scenario WHERE org_id = $1 AND status = 'draft') \
               + (SELECT COUNT(*) FROM achievement WHERE org_id = $1 AND status = 'draft') AS drafts, \
             (SELECT COUNT(*) FROM tech_contract WHERE (seller_org_id = $1 OR buyer_org_id = $1) \
               AND status = 'pending') AS contracts_pending, \
             (SELECT COUNT(*) FROM tech_contract WHERE (seller_org_id = $1 OR buyer_org_id = $1) \
               AND status = 'refused') AS contracts_refused, \
             (SELECT COUNT(*) FROM service_request WHERE org_id = $1 \
               AND status IN ('requested', 'scheduled')) AS requests_open, \
             (SELECT COUNT(*) FROM service_request r JOIN platform p ON p.id = r.platform_id \
               WHERE p.org_id = $1 AND r.status = 'requested') AS requests_to_schedule, \
             (SELECT COUNT(*) FROM application WHERE org_id = $1 \
               AND status IN ('submitted', 'awarded', 'racing')) AS applications_open, \
             (SELECT COUNT(*) FROM rnd_project WHERE org_id = $1 AND review_status = 'requested') \
               AS rnd_in_review, \
             (SELECT COUNT(*) FROM rnd_year WHERE org_id = $1) AS rnd_years"
        );
        Ok(sqlx::query_as(&sql)
            .bind(org)
            .bind(user)
            .bind(stalled_before)
            .fetch_one(&self.pool)
            .await?)
    }

    /// `$1` the stall cut-off, `$2` the month's start (RFC 3339 UTC), `$3` its first day
    /// (`YYYY-MM-DD`, Beijing).
    pub async fn staff_counts(
        &self,
        stalled_before: &str,
        month_from: &str,
        month_first_day: &str,
    ) -> Result<StaffCounts> {
        let open = stages_sql(DockingStage::is_open);
        let sql = format!(
            "SELECT \
             (SELECT COUNT(*) FROM organisation WHERE verification = 'pending') AS orgs_to_verify, \
             (SELECT COUNT(*) FROM rnd_project WHERE review_status = 'requested') AS rnd_to_review, \
             (SELECT COUNT(*) FROM docking WHERE stage IN {open} AND updated_at < $1) AS dockings_stalled, \
             (SELECT COUNT(*) FROM tech_contract WHERE status = 'pending') AS contracts_pending, \
             (SELECT COUNT(*) FROM challenge WHERE status = 'review') AS challenges_to_approve, \
             (SELECT COUNT(*) FROM challenge WHERE status = 'closed') AS challenges_to_assign, \
             (SELECT COUNT(*) FROM docking WHERE created_at >= $2) AS dockings_this_month, \
             (SELECT COUNT(*) FROM tech_contract WHERE status = 'registered' AND registered_on >= $3) \
               AS contracts_registered_this_month, \
             (SELECT CAST(COALESCE(SUM(transaction_fen), 0) AS BIGINT) FROM tech_contract WHERE status = 'registered' \
               AND registered_on >= $3) AS transaction_fen_this_month"
        );
        Ok(sqlx::query_as(&sql)
            .bind(stalled_before)
            .bind(month_from)
            .bind(month_first_day)
            .fetch_one(&self.pool)
            .await?)
    }

    /// The challenges where `user` has reviews to write, soonest deadline first.
    pub async fn reviews_due(&self, user: i64) -> Result<Vec<ReviewDue>> {
        Ok(sqlx::query_as(
            "SELECT c.id AS challenge_id, c.title_zh, c.title_en, c.deadline, COUNT(*) AS reviews \
             FROM review r JOIN application a ON a.id = r.application_id \
             JOIN challenge c ON c.id = a.challenge_id \
             WHERE r.user_id = $1 AND r.submitted_at IS NULL \
             GROUP BY c.id, c.title_zh, c.title_en, c.deadline ORDER BY c.deadline, c.id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Contracts waiting for a registrar who is not of `org` (one of the parties).
    pub async fn contracts_to_register(&self, org: Option<i64>) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM tech_contract WHERE status = 'pending' \
             AND ($1 IS NULL OR (seller_org_id <> $1 AND buyer_org_id <> $1))",
        )
        .bind(org)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}
