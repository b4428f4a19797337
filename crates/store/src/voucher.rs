//! Innovation vouchers (创新券): schemes, vouchers and their uses on pilot services. The sums
//! are kept by the database in the write itself: an approval adds to the scheme's committed
//! sum only while it stays within the budget, a use takes from a voucher's balance only while
//! it stays at or above zero (`UPDATE … WHERE … <= …`, so concurrent writers cannot both pass),
//! and a service request is paid by a voucher at most once (a unique column).

use duijie_domain::voucher::{VoucherStatus, VoucherUseStatus};
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::Audit;
use crate::pilot::RequestRow;
use crate::{conflict_on, now, Result, Store, StoreError};

/// A scheme as a programme office opens it. Lists are comma-separated codes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SchemeInput {
    pub name_zh: String,
    pub name_en: String,
    /// The notice that sets it up.
    pub source: String,
    pub budget_fen: i64,
    pub per_enterprise_fen: i64,
    pub share_pct: i64,
    pub service_kinds: String,
    pub provider_regions: String,
    pub enterprise_regions: String,
    pub valid_from: String,
    pub valid_until: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct SchemeRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub name_zh: String,
    pub name_en: String,
    pub source: String,
    pub budget_fen: i64,
    pub committed_fen: i64,
    pub per_enterprise_fen: i64,
    pub share_pct: i64,
    pub service_kinds: String,
    pub provider_regions: String,
    pub enterprise_regions: String,
    pub valid_from: String,
    pub valid_until: String,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct VoucherRow {
    pub id: i64,
    pub scheme_id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub org_region: String,
    #[sqlx(try_from = "String")]
    pub status: VoucherStatus,
    pub amount_fen: i64,
    pub balance_fen: i64,
    pub reason: String,
    pub created_at: String,
    pub decided_at: Option<String>,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct UseRow {
    pub id: i64,
    pub voucher_id: i64,
    pub scheme_id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub service_request_id: i64,
    pub service_zh: String,
    pub service_en: String,
    pub provider_org_id: i64,
    pub provider_zh: String,
    pub provider_en: String,
    pub price_fen: i64,
    pub amount_fen: i64,
    #[sqlx(try_from = "String")]
    pub status: VoucherUseStatus,
    pub created_at: String,
    pub redeemed_at: Option<String>,
    pub reconciled_at: Option<String>,
}

/// Sums of a scheme's vouchers by the enterprise's and the provider's province.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct VoucherStat {
    pub enterprise_region: String,
    pub provider_region: String,
    pub uses: i64,
    pub used_fen: i64,
    pub redeemed_fen: i64,
    pub reconciled_fen: i64,
}

const SCHEME_SELECT: &str = "SELECT s.id, s.org_id, o.name_zh AS org_name_zh, \
    o.name_en AS org_name_en, s.name_zh, s.name_en, s.source, s.budget_fen, s.committed_fen, \
    s.per_enterprise_fen, s.share_pct, s.service_kinds, s.provider_regions, \
    s.enterprise_regions, s.valid_from, s.valid_until, s.created_at \
    FROM voucher_scheme s JOIN organisation o ON o.id = s.org_id";
const VOUCHER_SELECT: &str = "SELECT v.id, v.scheme_id, v.org_id, o.name_zh AS org_name_zh, \
    o.name_en AS org_name_en, o.region AS org_region, v.status, v.amount_fen, v.balance_fen, \
    v.reason, v.created_at, v.decided_at FROM voucher v JOIN organisation o ON o.id = v.org_id";
const USE_SELECT: &str = "SELECT u.id, u.voucher_id, v.scheme_id, v.org_id, \
    o.name_zh AS org_name_zh, o.name_en AS org_name_en, u.service_request_id, \
    ps.name_zh AS service_zh, ps.name_en AS service_en, u.provider_org_id, \
    p.name_zh AS provider_zh, p.name_en AS provider_en, u.price_fen, u.amount_fen, u.status, \
    u.created_at, u.redeemed_at, u.reconciled_at \
    FROM voucher_use u JOIN voucher v ON v.id = u.voucher_id \
    JOIN organisation o ON o.id = v.org_id JOIN organisation p ON p.id = u.provider_org_id \
    JOIN service_request r ON r.id = u.service_request_id \
    JOIN platform_service ps ON ps.id = r.service_id";

impl Store {
    /// Open a scheme for the office `org_id`.
    pub async fn create_scheme(&self, audit: &Audit, org_id: i64, s: &SchemeInput) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO voucher_scheme (org_id, name_zh, name_en, source, budget_fen, \
             per_enterprise_fen, share_pct, service_kinds, provider_regions, enterprise_regions, \
             valid_from, valid_until, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(org_id)
        .bind(&s.name_zh)
        .bind(&s.name_en)
        .bind(&s.source)
        .bind(s.budget_fen)
        .bind(s.per_enterprise_fen)
        .bind(s.share_pct)
        .bind(&s.service_kinds)
        .bind(&s.provider_regions)
        .bind(&s.enterprise_regions)
        .bind(&s.valid_from)
        .bind(&s.valid_until)
        .bind(audit.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit
            .record(
                &mut tx,
                "create",
                "voucher_scheme",
                Some(id),
                serde_json::json!(s),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn schemes(&self) -> Result<Vec<SchemeRow>> {
        Ok(
            sqlx::query_as(&format!("{SCHEME_SELECT} ORDER BY s.id DESC"))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn scheme(&self, id: i64) -> Result<SchemeRow> {
        sqlx::query_as(&format!("{SCHEME_SELECT} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// An enterprise applies; one application per scheme and enterprise.
    pub async fn apply_voucher(&self, audit: &Audit, scheme_id: i64, org_id: i64) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO voucher (scheme_id, org_id, status, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(scheme_id)
        .bind(org_id)
        .bind(VoucherStatus::Applied.code())
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("org_id"))?;
        audit
            .record(
                &mut tx,
                "apply",
                "voucher",
                Some(id),
                serde_json::json!({ "scheme_id": scheme_id, "org_id": org_id }),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn vouchers(&self, scheme_id: i64) -> Result<Vec<VoucherRow>> {
        Ok(sqlx::query_as(&format!(
            "{VOUCHER_SELECT} WHERE v.scheme_id = $1 ORDER BY v.id"
        ))
        .bind(scheme_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn voucher(&self, id: i64) -> Result<VoucherRow> {
        sqlx::query_as(&format!("{VOUCHER_SELECT} WHERE v.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// An organisation's vouchers, in every scheme.
    pub async fn vouchers_of(&self, org_id: i64) -> Result<Vec<VoucherRow>> {
        Ok(sqlx::query_as(&format!(
            "{VOUCHER_SELECT} WHERE v.org_id = $1 ORDER BY v.id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Approve an application for `amount` (taken from the scheme's budget, which it may not
    /// exceed: `Conflict { field: "budget" }`), or refuse it with `reason`. Only an
    /// application still waiting is decided (`Conflict { field: "status" }` otherwise).
    pub async fn decide_voucher(
        &self,
        audit: &Audit,
        id: i64,
        approve: Option<i64>,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (scheme_id,): (i64,) = sqlx::query_as("SELECT scheme_id FROM voucher WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (status, amount) = match approve {
            Some(amount) => {
                let took = sqlx::query(
                    "UPDATE voucher_scheme SET committed_fen = committed_fen + $2 \
                     WHERE id = $1 AND committed_fen + $2 <= budget_fen",
                )
                .bind(scheme_id)
                .bind(amount)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if took == 0 {
                    return Err(StoreError::Conflict { field: "budget" });
                }
                (VoucherStatus::Approved, amount)
            }
            None => (VoucherStatus::Refused, 0),
        };
        let moved = sqlx::query(
            "UPDATE voucher SET status = $2, amount_fen = $3, balance_fen = $3, reason = $4, \
             decided_at = $5 WHERE id = $1 AND status = $6",
        )
        .bind(id)
        .bind(status.code())
        .bind(amount)
        .bind(reason)
        .bind(now())
        .bind(VoucherStatus::Applied.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        audit
            .record(
                &mut tx,
                status.code(),
                "voucher",
                Some(id),
                serde_json::json!({ "amount_fen": amount, "reason": reason }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Use a voucher on a service request: `amount` from its balance (never below zero:
    /// `Conflict { field: "balance" }`), once per service (`Conflict { field:
    /// "service_request_id" }`).
    pub async fn use_voucher(
        &self,
        audit: &Audit,
        voucher_id: i64,
        service_request_id: i64,
        provider_org_id: i64,
        price: i64,
        amount: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let took = sqlx::query(
            "UPDATE voucher SET balance_fen = balance_fen - $2 \
             WHERE id = $1 AND status = $3 AND balance_fen >= $2",
        )
        .bind(voucher_id)
        .bind(amount)
        .bind(VoucherStatus::Approved.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if took == 0 {
            return Err(StoreError::Conflict { field: "balance" });
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO voucher_use (voucher_id, service_request_id, provider_org_id, price_fen, \
             amount_fen, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(voucher_id)
        .bind(service_request_id)
        .bind(provider_org_id)
        .bind(price)
        .bind(amount)
        .bind(VoucherUseStatus::Claimed.code())
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("service_request_id"))?;
        audit
            .record(
                &mut tx,
                "use",
                "voucher",
                Some(voucher_id),
                serde_json::json!({ "use_id": id, "service_request_id": service_request_id,
                    "price_fen": price, "amount_fen": amount }),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Move a use on (`claimed → redeemed`, `redeemed → reconciled`); only from `from`.
    pub async fn move_voucher_use(
        &self,
        audit: &Audit,
        id: i64,
        from: VoucherUseStatus,
        to: VoucherUseStatus,
    ) -> Result<()> {
        let column = match to {
            VoucherUseStatus::Redeemed => "redeemed_at",
            VoucherUseStatus::Reconciled => "reconciled_at",
            VoucherUseStatus::Claimed => return Err(StoreError::Conflict { field: "status" }),
        };
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(&format!(
            "UPDATE voucher_use SET status = $2, {column} = $3 WHERE id = $1 AND status = $4"
        ))
        .bind(id)
        .bind(to.code())
        .bind(now())
        .bind(from.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        audit
            .record(
                &mut tx,
                to.code(),
                "voucher_use",
                Some(id),
                serde_json::json!({}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An organisation's service requests no voucher has paid for yet, newest first.
    pub async fn requests_without_voucher(&self, org_id: i64) -> Result<Vec<RequestRow>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE r.org_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM voucher_use u WHERE u.service_request_id = r.id) ORDER BY r.id DESC",
            crate::pilot::REQUEST_SELECT
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn voucher_use(&self, id: i64) -> Result<UseRow> {
        sqlx::query_as(&format!("{USE_SELECT} WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A scheme's uses, newest first.
    pub async fn voucher_uses(&self, scheme_id: i64) -> Result<Vec<UseRow>> {
        Ok(sqlx::query_as(&format!(
            "{USE_SELECT} WHERE v.scheme_id = $1 ORDER BY u.id DESC"
        ))
        .bind(scheme_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A scheme's uses by the enterprise's and the provider's province (the part of the region
    /// code before its first dot).
    pub async fn voucher_stats(&self, scheme_id: i64) -> Result<Vec<VoucherStat>> {
        let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT o.region, p.region, u.amount_fen, u.status FROM voucher_use u \
             JOIN voucher v ON v.id = u.voucher_id JOIN organisation o ON o.id = v.org_id \
             JOIN organisation p ON p.id = u.provider_org_id WHERE v.scheme_id = $1",
        )
        .bind(scheme_id)
        .fetch_all(&self.pool)
        .await?;
        let mut by: std::collections::BTreeMap<(String, String), VoucherStat> = Default::default();
        for (er, pr, amount, status) in rows {
            let (e, p) = (province_of(&er).to_string(), province_of(&pr).to_string());
            let s = by.entry((e.clone(), p.clone())).or_insert(VoucherStat {
                enterprise_region: e,
                provider_region: p,
                uses: 0,
                used_fen: 0,
                redeemed_fen: 0,
                reconciled_fen: 0,
            });
            s.uses += 1;
            s.used_fen += amount;
            if status != VoucherUseStatus::Claimed.code() {
                s.redeemed_fen += amount;
            }
            if status == VoucherUseStatus::Reconciled.code() {
                s.reconciled_fen += amount;
            }
        }
        Ok(by.into_values().collect())
    }
}

/// The province of a region code: `hebei.tangshan` → `hebei`.
fn province_of(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}
