//! Technology contracts: recorded by a party, registered or refused by a registrar, and the
//! statistics of registered contracts by the regions of seller and buyer.

use duijie_domain::contract::{ContractKind, ContractStatus, Payment};
use serde::Serialize;
use sqlx::FromRow;

use crate::notice::NoticeInput;
use crate::{now, Audit, Result, Store, StoreError};

/// A contract with both parties' names.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ContractRow {
    pub id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: ContractKind,
    pub seller_org_id: i64,
    pub seller_zh: String,
    pub seller_en: String,
    pub buyer_org_id: i64,
    pub buyer_zh: String,
    pub buyer_en: String,
    pub seller_region: String,
    pub buyer_region: String,
    pub total_fen: i64,
    pub transaction_fen: i64,
    pub signed_on: String,
    pub term_from: String,
    pub term_to: String,
    pub chain: Option<String>,
    pub docking_id: Option<i64>,
    pub scenario_id: Option<i64>,
    pub achievement_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub gathering_id: Option<i64>,
    pub broker_user_id: Option<i64>,
    pub broker_name: Option<String>,
    pub note: String,
    #[sqlx(try_from = "String")]
    pub status: ContractStatus,
    pub registration_no: Option<String>,
    pub registered_on: Option<String>,
    pub reason: String,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl ContractRow {
    /// Whether `org` is the seller or the buyer.
    pub fn party(&self, org: i64) -> bool {
        self.seller_org_id == org || self.buyer_org_id == org
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct PaymentRow {
    pub due_on: String,
    pub amount_fen: i64,
}

/// A contract ready to store: terms checked, parties resolved, regions taken from them.
#[derive(Debug, Clone)]
pub struct ContractInput {
    pub title: String,
    pub kind: ContractKind,
    pub seller_org_id: i64,
    pub buyer_org_id: i64,
    pub seller_region: String,
    pub buyer_region: String,
    pub total_fen: i64,
    pub transaction_fen: i64,
    pub signed_on: String,
    pub term_from: String,
    pub term_to: String,
    pub payments: Vec<Payment>,
    pub chain: Option<String>,
    pub docking_id: Option<i64>,
    pub scenario_id: Option<i64>,
    pub achievement_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub gathering_id: Option<i64>,
    pub broker_user_id: Option<i64>,
    pub note: String,
}

/// Which contracts a list shows.
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    /// Only those `org` is a party to.
    pub org: Option<i64>,
    pub status: Option<ContractStatus>,
    /// Only those a broker is credited on.
    pub broker: Option<i64>,
}

/// Registered contracts from one region to another: how many, their total and their
/// technology transaction amount (fen).
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct FlowCell {
    pub seller_region: String,
    pub buyer_region: String,
    pub count: i64,
    pub total_fen: i64,
    pub transaction_fen: i64,
}

/// Registered contracts grouped by one key (contract type, chain, year or quarter).
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct ContractGroup {
    pub key: String,
    pub count: i64,
    pub total_fen: i64,
    pub transaction_fen: i64,
}

const SELECT: &str = "SELECT c.id, c.title, c.kind, c.seller_org_id, s.name_zh AS seller_zh, \
     s.name_en AS seller_en, c.buyer_org_id, b.name_zh AS buyer_zh, b.name_en AS buyer_en, \
     c.seller_region, c.buyer_region, c.total_fen, c.transaction_fen, c.signed_on, c.term_from, \
     c.term_to, c.chain, c.docking_id, c.scenario_id, c.achievement_id, c.challenge_id, \
     c.gathering_id, c.broker_user_id, u.display_name AS broker_name, c.note, c.status, \
     c.registration_no, c.registered_on, c.reason, c.created_by, c.created_at, c.updated_at \
     FROM tech_contract c JOIN organisation s ON s.id = c.seller_org_id \
     JOIN organisation b ON b.id = c.buyer_org_id LEFT JOIN app_user u ON u.id = c.broker_user_id";

/// Registered contracts of `$1` (a year, or '' for all) and `$2` (a quarter 1–4, or 0 for all).
const REGISTERED_IN: &str = "c.status = 'registered' \
     AND ($1 = '' OR substr(c.registered_on, 1, 4) = $1) \
     AND ($2 = 0 OR (CAST(substr(c.registered_on, 6, 2) AS INTEGER) + 2) / 3 = $2)";

impl Store {
    async fn insert_contract(
        &self,
        conn: &mut sqlx::AnyConnection,
        audit: &Audit,
        user_id: i64,
        c: &ContractInput,
    ) -> Result<i64> {
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO tech_contract (title, kind, seller_org_id, buyer_org_id, seller_region, \
             buyer_region, total_fen, transaction_fen, signed_on, term_from, term_to, chain, \
             docking_id, scenario_id, achievement_id, challenge_id, gathering_id, broker_user_id, \
             note, status, reason, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, \
             $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 'pending', '', $20, \
             $21, $21) RETURNING id",
        )
        .bind(c.title.as_str())
        .bind(c.kind.code())
        .bind(c.seller_org_id)
        .bind(c.buyer_org_id)
        .bind(c.seller_region.as_str())
        .bind(c.buyer_region.as_str())
        .bind(c.total_fen)
        .bind(c.transaction_fen)
        .bind(c.signed_on.as_str())
        .bind(c.term_from.as_str())
        .bind(c.term_to.as_str())
        .bind(c.chain.as_deref())
        .bind(c.docking_id)
        .bind(c.scenario_id)
        .bind(c.achievement_id)
        .bind(c.challenge_id)
        .bind(c.gathering_id)
        .bind(c.broker_user_id)
        .bind(c.note.as_str())
        .bind(user_id)
        .bind(t.as_str())
        .fetch_one(&mut *conn)
        .await?;
        for p in &c.payments {
            sqlx::query(
                "INSERT INTO contract_payment (contract_id, due_on, amount_fen) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(p.due_on.to_string())
            .bind(p.amount.fen())
            .execute(&mut *conn)
            .await?;
        }
        let detail = serde_json::json!({
            "title": c.title, "kind": c.kind.code(), "seller_org_id": c.seller_org_id,
            "buyer_org_id": c.buyer_org_id, "total_fen": c.total_fen,
            "transaction_fen": c.transaction_fen, "signed_on": c.signed_on,
            "docking_id": c.docking_id, "broker_user_id": c.broker_user_id,
        });
        audit
            .record(conn, "create", "tech_contract", Some(id), detail)
            .await?;
        Ok(id)
    }

    /// Record a contract (待登记) with its payment schedule, in one transaction.
    pub async fn create_contract(
        &self,
        audit: &Audit,
        user_id: i64,
        c: &ContractInput,
        notices: impl Fn(i64) -> Vec<NoticeInput>,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id = self.insert_contract(&mut tx, audit, user_id, c).await?;
        Store::add_notices(&mut tx, &notices(id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Record many contracts (an import): all of them, or — on any failure — none.
    pub async fn create_contracts(
        &self,
        audit: &Audit,
        user_id: i64,
        cs: &[ContractInput],
        notices: impl Fn(&[i64]) -> Vec<NoticeInput>,
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(cs.len());
        for c in cs {
            ids.push(self.insert_contract(&mut tx, audit, user_id, c).await?);
        }
        Store::add_notices(&mut tx, &notices(&ids)).await?;
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn contract(&self, id: i64) -> Result<ContractRow> {
        sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Contracts, newest signed first.
    pub async fn contracts(&self, f: &ContractFilter) -> Result<Vec<ContractRow>> {
        let sql = format!(
            "{SELECT} WHERE ($1 = 0 OR c.seller_org_id = $1 OR c.buyer_org_id = $1) \
             AND ($2 = '' OR c.status = $2) AND ($3 = 0 OR c.broker_user_id = $3) \
             ORDER BY c.signed_on DESC, c.id DESC"
        );
        Ok(sqlx::query_as(&sql)
            .bind(f.org.unwrap_or(0))
            .bind(f.status.map(|s| s.code()).unwrap_or(""))
            .bind(f.broker.unwrap_or(0))
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn contract_payments(&self, id: i64) -> Result<Vec<PaymentRow>> {
        Ok(sqlx::query_as(
            "SELECT due_on, amount_fen FROM contract_payment WHERE contract_id = $1 ORDER BY due_on, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Register a pending contract on `day` (YYYY-MM-DD) under the next number of `prefix`
    /// (year and province); `number` makes the number from the sequence. A contract no
    /// longer pending (another registrar got there first) is a `Conflict` on `status`, and
    /// nothing changes. Returns the number given.
    #[allow(clippy::too_many_arguments)]
    pub async fn register_contract(
        &self,
        audit: &Audit,
        user_id: i64,
        id: i64,
        day: &str,
        prefix: &str,
        number: impl Fn(i64) -> String,
        notices: &[NoticeInput],
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let (seq,): (i64,) = sqlx::query_as(
            "INSERT INTO contract_sequence (prefix, last) VALUES ($1, 1) \
             ON CONFLICT (prefix) DO UPDATE SET last = contract_sequence.last + 1 RETURNING last",
        )
        .bind(prefix)
        .fetch_one(&mut *tx)
        .await?;
        let no = number(seq);
        let moved = sqlx::query(
            "UPDATE tech_contract SET status = 'registered', registration_no = $1, registered_on = $2, \
             reviewed_by = $3, updated_at = $4 WHERE id = $5 AND status = 'pending'",
        )
        .bind(no.as_str())
        .bind(day)
        .bind(user_id)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        let detail = serde_json::json!({ "status": "registered", "registration_no": no, "registered_on": day });
        audit
            .record(&mut tx, "register", "tech_contract", Some(id), detail)
            .await?;
        Store::add_notices(&mut tx, notices).await?;
        tx.commit().await?;
        Ok(no)
    }

    /// Refuse a pending contract, saying why; `Conflict` on `status` when it is no longer pending.
    pub async fn refuse_contract(
        &self,
        audit: &Audit,
        user_id: i64,
        id: i64,
        reason: &str,
        notices: &[NoticeInput],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(
            "UPDATE tech_contract SET status = 'refused', reason = $1, reviewed_by = $2, updated_at = $3 \
             WHERE id = $4 AND status = 'pending'",
        )
        .bind(reason)
        .bind(user_id)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        let detail = serde_json::json!({ "status": "refused", "reason": reason });
        audit
            .record(&mut tx, "refuse", "tech_contract", Some(id), detail)
            .await?;
        Store::add_notices(&mut tx, notices).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The flow matrix of registered contracts in `year` ('' for all) and `quarter` (0 for
    /// all): one cell per seller region and buyer region that has any.
    pub async fn contract_flows(&self, year: &str, quarter: i64) -> Result<Vec<FlowCell>> {
        let sql = format!(
            "SELECT c.seller_region, c.buyer_region, COUNT(*) AS count, \
             CAST(SUM(c.total_fen) AS BIGINT) AS total_fen, \
             CAST(SUM(c.transaction_fen) AS BIGINT) AS transaction_fen \
             FROM tech_contract c WHERE {REGISTERED_IN} \
             GROUP BY c.seller_region, c.buyer_region ORDER BY 1, 2"
        );
        Ok(sqlx::query_as(&sql)
            .bind(year)
            .bind(quarter)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Registered contracts in `year` and `quarter` grouped by `by`: `kind`, `chain`, `year`
    /// or `quarter` (of registration). Anything else is an empty list.
    pub async fn contract_groups(
        &self,
        by: &str,
        year: &str,
        quarter: i64,
    ) -> Result<Vec<ContractGroup>> {
        let key = match by {
            "kind" => "c.kind",
            "chain" => "COALESCE(c.chain, '')",
            "year" => "substr(c.registered_on, 1, 4)",
            "quarter" => {
                "substr(c.registered_on, 1, 4) || '-Q' || \
                 CAST((CAST(substr(c.registered_on, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"
            }
            _ => return Ok(Vec::new()),
        };
        let sql = format!(
            "SELECT {key} AS key, COUNT(*) AS count, CAST(SUM(c.total_fen) AS BIGINT) AS total_fen, \
             CAST(SUM(c.transaction_fen) AS BIGINT) AS transaction_fen \
             FROM tech_contract c WHERE {REGISTERED_IN} GROUP BY {key} ORDER BY 1"
        );
        Ok(sqlx::query_as(&sql)
            .bind(year)
            .bind(quarter)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The docking funnel for `year` ('' for all), over the dockings requested that year, each
    /// step a subset of the one before: requested; accepted at some point (洽谈, even if later
    /// ended); of those, with a contract recorded from it (not refused); of those, with a
    /// registered contract.
    pub async fn docking_funnel(&self, year: &str) -> Result<(i64, i64, i64, i64)> {
        Ok(sqlx::query_as(
            "WITH d AS (SELECT id FROM docking WHERE $1 = '' OR substr(created_at, 1, 4) = $1), \
             a AS (SELECT d.id FROM d WHERE EXISTS (SELECT 1 FROM docking_event e \
               WHERE e.docking_id = d.id AND e.stage = 'negotiating')), \
             c AS (SELECT a.id FROM a WHERE EXISTS (SELECT 1 FROM tech_contract t \
               WHERE t.docking_id = a.id AND t.status <> 'refused')), \
             r AS (SELECT c.id FROM c WHERE EXISTS (SELECT 1 FROM tech_contract t \
               WHERE t.docking_id = c.id AND t.status = 'registered')) \
             SELECT (SELECT COUNT(*) FROM d), (SELECT COUNT(*) FROM a), (SELECT COUNT(*) FROM c), \
             (SELECT COUNT(*) FROM r)",
        )
        .bind(year)
        .fetch_one(&self.pool)
        .await?)
    }
}
