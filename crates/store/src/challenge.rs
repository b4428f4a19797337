//! Challenge lists (揭榜挂帅) and horse racing (赛马): challenges, accepted terms, team
//! applications, the expert pool with declared conflicts, reviews by round and milestone
//! decisions. Statuses are the domain's types; which transitions are allowed is decided by the
//! application layer; every write here is one audited transaction.

use duijie_domain::challenge::{ApplicationStatus, ChallengeMode, ChallengeStatus};
use serde::Serialize;
use sqlx::FromRow;

use crate::{conflict_on, now, Audit, Result, Store, StoreError};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ChallengeRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub title_zh: String,
    pub title_en: String,
    pub problem: String,
    pub targets: String,
    pub deliverables: String,
    pub chain: Option<String>,
    pub funding_fen: i64,
    pub deadline: String,
    pub ip_terms: String,
    #[serde(skip)]
    pub confidential: String,
    /// `unveil` (one winner) or `race` (several teams, kept or dropped at milestones).
    #[sqlx(try_from = "String")]
    pub mode: ChallengeMode,
    /// One criterion per line, `name:weight`.
    pub criteria: String,
    pub reviewers: i64,
    #[sqlx(try_from = "String")]
    pub status: ChallengeStatus,
    /// 0 during selection, n during milestone n.
    pub round: i64,
    pub applications: i64,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct ChallengeInput {
    pub title_zh: String,
    pub title_en: String,
    pub problem: String,
    pub targets: String,
    pub deliverables: String,
    pub chain: Option<String>,
    pub funding_fen: i64,
    pub deadline: String,
    pub ip_terms: String,
    pub confidential: String,
    pub mode: ChallengeMode,
    pub criteria: String,
    pub reviewers: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub challenge_id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    /// The partner organisations' ids (table `application_partner`).
    #[sqlx(skip)]
    pub partners: Vec<i64>,
    pub title: String,
    pub plan: String,
    pub milestones: String,
    pub budget_fen: i64,
    /// One member per line, `name|affiliation`.
    pub members: String,
    #[sqlx(try_from = "String")]
    pub status: ApplicationStatus,
    pub reason: String,
    pub funded_fen: i64,
    pub created_at: String,
}

impl ApplicationRow {
    pub fn partner_ids(&self) -> Vec<i64> {
        self.partners.clone()
    }

    /// The lead organisation and the partners.
    pub fn org_ids(&self) -> Vec<i64> {
        let mut ids = vec![self.org_id];
        ids.extend(self.partner_ids());
        ids
    }
}

#[derive(Debug, Clone)]
pub struct ApplicationInput {
    pub partners: Vec<i64>,
    pub title: String,
    pub plan: String,
    pub milestones: String,
    pub budget_fen: i64,
    pub members: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ExpertRow {
    pub user_id: i64,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name_zh: Option<String>,
    pub fields: String,
    /// Past co-authors and collaborators: names of people or organisations, one per line.
    pub collaborators: String,
    pub max_load: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub application_id: i64,
    pub user_id: i64,
    pub reviewer: String,
    pub round: i64,
    pub affinity_milli: i64,
    /// JSON object criterion → score (0–10), once submitted.
    pub scores: Option<String>,
    pub comment: String,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ConflictRow {
    pub user_id: i64,
    pub application_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct MilestoneRow {
    pub application_id: i64,
    pub round: i64,
    pub passed: i64,
    pub reason: String,
    pub tranche_fen: i64,
    pub decided_at: String,
}

const CHALLENGE_SELECT: &str = "SELECT c.id, c.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    c.title_zh, c.title_en, c.problem, c.targets, c.deliverables, c.chain, c.funding_fen, c.deadline, \
    c.ip_terms, c.confidential, c.mode, c.criteria, c.reviewers, c.status, c.round, \
    (SELECT COUNT(*) FROM application a WHERE a.challenge_id = c.id) AS applications, c.created_at \
    FROM challenge c JOIN organisation o ON o.id = c.org_id";

const REVIEW_SELECT: &str =
    "SELECT r.id, r.application_id, r.user_id, u.display_name AS reviewer, r.round, \
    r.affinity_milli, r.scores, r.comment, r.submitted_at FROM review r \
    JOIN application a ON a.id = r.application_id JOIN app_user u ON u.id = r.user_id";

const APPLICATION_SELECT: &str = "SELECT a.id, a.challenge_id, a.org_id, o.name_zh AS org_name_zh, \
    o.name_en AS org_name_en, a.title, a.plan, a.milestones, a.budget_fen, a.members, \
    a.status, a.reason, a.funded_fen, a.created_at FROM application a JOIN organisation o ON o.id = a.org_id";

impl Store {
    pub async fn create_challenge(
        &self,
        audit: &Audit,
        org_id: i64,
        i: &ChallengeInput,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO challenge (org_id, title_zh, title_en, problem, targets, deliverables, chain, \
             funding_fen, deadline, ip_terms, confidential, mode, criteria, reviewers, status, round, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             'draft', 0, $15, $15) RETURNING id",
        )
        .bind(org_id)
        .bind(i.title_zh.as_str())
        .bind(i.title_en.as_str())
        .bind(i.problem.as_str())
        .bind(i.targets.as_str())
        .bind(i.deliverables.as_str())
        .bind(i.chain.as_deref())
        .bind(i.funding_fen)
        .bind(i.deadline.as_str())
        .bind(i.ip_terms.as_str())
        .bind(i.confidential.as_str())
        .bind(i.mode.code())
        .bind(i.criteria.as_str())
        .bind(i.reviewers)
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::unknown_on("org_id"))?;
        let detail = serde_json::json!({
            "org_id": org_id, "title_zh": i.title_zh, "mode": i.mode, "funding_fen": i.funding_fen,
            "deadline": i.deadline, "confidential": if i.confidential.is_empty() { "" } else { "(set)" },
        });
        audit
            .record(&mut tx, "create", "challenge", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Newest first; `q` matches titles and problem text.
    pub async fn challenges(&self) -> Result<Vec<ChallengeRow>> {
        let sql = format!("{CHALLENGE_SELECT} ORDER BY c.id DESC");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn challenge(&self, id: i64) -> Result<ChallengeRow> {
        let sql = format!("{CHALLENGE_SELECT} WHERE c.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Move a challenge to `status` (and round); `from` must be its current status.
    pub async fn set_challenge_status(
        &self,
        audit: &Audit,
        id: i64,
        from: ChallengeStatus,
        status: ChallengeStatus,
        round: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE challenge SET status = $1, round = $2, updated_at = $3 WHERE id = $4 AND status = $5")
            .bind(status.code())
            .bind(round)
            .bind(now())
            .bind(id)
            .bind(from.code())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        let detail = serde_json::json!({ "status": [from, status], "round": round });
        audit
            .record(&mut tx, "update", "challenge", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn accept_terms(
        &self,
        audit: &Audit,
        challenge_id: i64,
        org_id: i64,
        user_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO challenge_terms (challenge_id, org_id, user_id, accepted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (challenge_id, org_id) DO NOTHING",
        )
        .bind(challenge_id)
        .bind(org_id)
        .bind(user_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "challenge_id": challenge_id, "org_id": org_id });
        audit
            .record(
                &mut tx,
                "accept_terms",
                "challenge",
                Some(challenge_id),
                detail,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn terms_accepted(&self, challenge_id: i64, org_id: i64) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM challenge_terms WHERE challenge_id = $1 AND org_id = $2",
        )
        .bind(challenge_id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    pub async fn apply(
        &self,
        audit: &Audit,
        challenge_id: i64,
        org_id: i64,
        i: &ApplicationInput,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO application (challenge_id, org_id, title, plan, milestones, budget_fen, \
             members, status, reason, funded_fen, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', '', 0, $8, $8) RETURNING id",
        )
        .bind(challenge_id)
        .bind(org_id)
        .bind(i.title.as_str())
        .bind(i.plan.as_str())
        .bind(i.milestones.as_str())
        .bind(i.budget_fen)
        .bind(i.members.as_str())
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("org_id"))?;
        let mut partners = i.partners.clone();
        partners.sort_unstable();
        partners.dedup();
        for p in &partners {
            let known: Option<(i64,)> = sqlx::query_as("SELECT id FROM organisation WHERE id = $1")
                .bind(*p)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::Unknown { field: "partner" });
            }
            sqlx::query("INSERT INTO application_partner (application_id, org_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*p)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({ "challenge_id": challenge_id, "org_id": org_id, "partners": i.partners, "title": i.title });
        audit
            .record(&mut tx, "create", "application", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn applications(&self, challenge_id: i64) -> Result<Vec<ApplicationRow>> {
        let sql = format!("{APPLICATION_SELECT} WHERE a.challenge_id = $1 ORDER BY a.id");
        let mut rows: Vec<ApplicationRow> = sqlx::query_as(&sql)
            .bind(challenge_id)
            .fetch_all(&self.pool)
            .await?;
        let mut partners = self
            .linked_ids(
                "SELECT p.application_id, p.org_id FROM application_partner p \
                 JOIN application a ON a.id = p.application_id WHERE a.challenge_id = $1 \
                 ORDER BY p.application_id, p.org_id",
                challenge_id,
            )
            .await?;
        for r in &mut rows {
            r.partners = partners.remove(&r.id).unwrap_or_default();
        }
        Ok(rows)
    }

    /// Every user with the expert role, with their profile (defaults when none was saved).
    pub async fn experts(&self) -> Result<Vec<ExpertRow>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.display_name AS name, u.org_id, o.name_zh AS org_name_zh, \
             COALESCE(p.fields, '') AS fields, COALESCE(p.collaborators, '') AS collaborators, \
             COALESCE(p.max_load, 5) AS max_load FROM app_user u \
             LEFT JOIN expert_profile p ON p.user_id = u.id LEFT JOIN organisation o ON o.id = u.org_id \
             WHERE u.role = 'expert' ORDER BY u.id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn set_expert_profile(
        &self,
        audit: &Audit,
        user_id: i64,
        fields: &str,
        collaborators: &str,
        max_load: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let t = now();
        sqlx::query(
            "INSERT INTO expert_profile (user_id, fields, collaborators, max_load, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id) DO UPDATE SET fields = $2, collaborators = $3, max_load = $4, updated_at = $5",
        )
        .bind(user_id)
        .bind(fields)
        .bind(collaborators)
        .bind(max_load)
        .bind(t.as_str())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "fields": fields, "collaborators": collaborators, "max_load": max_load });
        audit
            .record(&mut tx, "update", "expert_profile", Some(user_id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn declare_conflict(
        &self,
        audit: &Audit,
        user_id: i64,
        application_id: i64,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO review_conflict (user_id, application_id, reason, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, application_id) DO UPDATE SET reason = $3",
        )
        .bind(user_id)
        .bind(application_id)
        .bind(reason)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        // A declared conflict removes an unsubmitted review assignment at once.
        sqlx::query("DELETE FROM review WHERE user_id = $1 AND application_id = $2 AND submitted_at IS NULL")
            .bind(user_id)
            .bind(application_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "user_id": user_id, "reason": reason });
        audit
            .record(
                &mut tx,
                "declare_conflict",
                "application",
                Some(application_id),
                detail,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn declared_conflicts(&self, challenge_id: i64) -> Result<Vec<ConflictRow>> {
        Ok(sqlx::query_as(
            "SELECT r.user_id, r.application_id, r.reason FROM review_conflict r \
             JOIN application a ON a.id = r.application_id WHERE a.challenge_id = $1",
        )
        .bind(challenge_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Store a round's reviewer assignment: (application, expert user, affinity × 1000).
    /// Store a review round's assignment and move the challenge from `from` to `to` in the same
    /// transaction (one user action): both happen, or neither (a challenge that has moved on
    /// meanwhile is a `Conflict` on its status).
    pub async fn save_assignment(
        &self,
        audit: &Audit,
        challenge_id: i64,
        round: i64,
        pairs: &[(i64, i64, i64)],
        (from, to): (ChallengeStatus, ChallengeStatus),
        notices: &[crate::notice::NoticeInput],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let moved = sqlx::query(
            "UPDATE challenge SET status = $1, round = $2, updated_at = $3 WHERE id = $4 AND status = $5",
        )
        .bind(to.code())
        .bind(round)
        .bind(t.as_str())
        .bind(challenge_id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        for &(application, user, affinity) in pairs {
            sqlx::query(
                "INSERT INTO review (application_id, user_id, round, affinity_milli, comment, created_at) \
                 VALUES ($1, $2, $3, $4, '', $5)",
            )
            .bind(application)
            .bind(user)
            .bind(round)
            .bind(affinity)
            .bind(t.as_str())
            .execute(&mut *tx)
            .await
            .map_err(conflict_on("round"))?;
        }
        Store::add_notices(&mut tx, notices).await?;
        let detail =
            serde_json::json!({ "round": round, "reviews": pairs.len(), "status": [from, to] });
        audit
            .record(
                &mut tx,
                "assign_reviewers",
                "challenge",
                Some(challenge_id),
                detail,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn reviews(&self, challenge_id: i64) -> Result<Vec<ReviewRow>> {
        let sql = format!(
            "{REVIEW_SELECT} WHERE a.challenge_id = $1 ORDER BY r.round, r.application_id, r.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(challenge_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// One review of a challenge (not found when it belongs to another challenge).
    pub async fn review(&self, challenge_id: i64, review_id: i64) -> Result<ReviewRow> {
        let sql = format!("{REVIEW_SELECT} WHERE a.challenge_id = $1 AND r.id = $2");
        sqlx::query_as(&sql)
            .bind(challenge_id)
            .bind(review_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn submit_review(
        &self,
        audit: &Audit,
        review_id: i64,
        scores: &str,
        comment: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE review SET scores = $1, comment = $2, submitted_at = $3 WHERE id = $4",
        )
        .bind(scores)
        .bind(comment)
        .bind(now())
        .bind(review_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "submit",
                "review",
                Some(review_id),
                serde_json::json!({ "scores": scores }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Record the decision on each application (status and reason) and move the challenge on.
    pub async fn decide(
        &self,
        audit: &Audit,
        challenge_id: i64,
        decisions: &[(i64, ApplicationStatus, String)],
        from: ChallengeStatus,
        status: ChallengeStatus,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let done = sqlx::query(
            "UPDATE challenge SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(status.code())
        .bind(t.as_str())
        .bind(challenge_id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        for (application, state, reason) in decisions {
            sqlx::query("UPDATE application SET status = $1, reason = $2, updated_at = $3 WHERE id = $4 AND challenge_id = $5")
                .bind(state.code())
                .bind(reason.as_str())
                .bind(t.as_str())
                .bind(*application)
                .bind(challenge_id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({ "status": [from, status], "decisions": decisions });
        audit
            .record(&mut tx, "decide", "challenge", Some(challenge_id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A milestone decision: the team passes (and receives a tranche) or is dropped.
    /// A milestone round's decisions, one per team as `(application, passed, reason, tranche)`:
    /// all stored in one transaction, or none (a team decided twice in a round is a conflict).
    pub async fn milestone(
        &self,
        audit: &Audit,
        round: i64,
        decisions: &[(i64, bool, String, i64)],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let t = now();
        for (application_id, passed, reason, tranche_fen) in decisions {
            sqlx::query(
                "INSERT INTO milestone_decision (application_id, round, passed, reason, tranche_fen, decided_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(*application_id)
            .bind(round)
            .bind(i64::from(*passed))
            .bind(reason.as_str())
            .bind(*tranche_fen)
            .bind(t.as_str())
            .execute(&mut *tx)
            .await
            .map_err(conflict_on("round"))?;
            let status = if *passed {
                ApplicationStatus::Racing
            } else {
                ApplicationStatus::Dropped
            }
            .code();
            sqlx::query(
                "UPDATE application SET status = $1, reason = $2, funded_fen = funded_fen + $3, updated_at = $4 WHERE id = $5",
            )
            .bind(status)
            .bind(reason.as_str())
            .bind(*tranche_fen)
            .bind(t.as_str())
            .bind(*application_id)
            .execute(&mut *tx)
            .await?;
            let detail = serde_json::json!({ "round": round, "passed": passed, "reason": reason, "tranche_fen": tranche_fen });
            audit
                .record(
                    &mut tx,
                    "milestone",
                    "application",
                    Some(*application_id),
                    detail,
                )
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn milestones(&self, challenge_id: i64) -> Result<Vec<MilestoneRow>> {
        Ok(sqlx::query_as(
            "SELECT m.application_id, m.round, m.passed, m.reason, m.tranche_fen, m.decided_at FROM milestone_decision m \
             JOIN application a ON a.id = m.application_id WHERE a.challenge_id = $1 ORDER BY m.round, m.application_id",
        )
        .bind(challenge_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
