//! The inbox: notices that a new achievement ranks among the best matches of a scenario.

use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Result, Store};

/// One notice, with the titles a reader needs.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct NotificationRow {
    pub id: i64,
    pub org_id: i64,
    pub scenario_id: i64,
    pub scenario_title_zh: String,
    pub scenario_title_en: String,
    pub achievement_id: i64,
    pub achievement_title_zh: String,
    pub achievement_title_en: String,
    pub holder_zh: String,
    pub holder_en: String,
    pub rank: i64,
    pub score: i64,
    pub created_at: String,
    pub read_at: Option<String>,
}

impl Store {
    /// Record that `achievement_id` ranks `rank` among the matches of `scenario_id`, for the
    /// scenario's organisation. Returns whether this is news (the pair was not noticed before).
    pub async fn notify_match(
        &self,
        org_id: i64,
        scenario_id: i64,
        achievement_id: i64,
        rank: i64,
        score: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO notification (org_id, scenario_id, achievement_id, rank, score, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scenario_id, achievement_id) DO NOTHING",
        )
        .bind(org_id)
        .bind(scenario_id)
        .bind(achievement_id)
        .bind(rank)
        .bind(score)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// An organisation's notices, newest first.
    pub async fn notifications(&self, org_id: i64, limit: i64) -> Result<Vec<NotificationRow>> {
        Ok(sqlx::query_as(
            "SELECT n.id, n.org_id, n.scenario_id, s.title_zh AS scenario_title_zh, \
             s.title_en AS scenario_title_en, n.achievement_id, a.title_zh AS achievement_title_zh, \
             a.title_en AS achievement_title_en, o.name_zh AS holder_zh, o.name_en AS holder_en, \
             n.rank, n.score, n.created_at, n.read_at \
             FROM notification n JOIN scenario s ON s.id = n.scenario_id \
             JOIN achievement a ON a.id = n.achievement_id JOIN organisation o ON o.id = a.org_id \
             WHERE n.org_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(org_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Mark all of an organisation's notices read.
    pub async fn mark_notifications_read(&self, org_id: i64) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE notification SET read_at = $1 WHERE org_id = $2 AND read_at IS NULL",
        )
        .bind(now())
        .bind(org_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
