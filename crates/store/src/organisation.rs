//! Organisations: rows, lists and writes.

use duijie_domain::OrgInput;
use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use crate::audit::diff;
use crate::notice::NoticeInput;
use crate::sql::{Arg, Sql};
use crate::{assign_key, conflict_on, now, Audit, Page, Result, Store, StoreError};

/// An organisation as stored.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct OrgRow {
    pub id: i64,
    pub key: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    #[sqlx(try_from = "String")]
    pub kind: duijie_domain::OrgKind,
    pub region: String,
    pub chain: Option<String>,
    pub intro_zh: String,
    pub intro_en: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub website: String,
    pub created_at: String,
    pub updated_at: String,
    /// 统一社会信用代码, once given.
    pub credit_code: Option<String>,
    #[sqlx(try_from = "String")]
    pub verification: duijie_domain::organisation::OrgVerification,
    pub verification_reason: String,
}

impl OrgRow {
    pub fn verified(&self) -> bool {
        self.verification == duijie_domain::organisation::OrgVerification::Verified
    }
}

pub(crate) const COLS: &str =
    "id, key, name_zh, name_en, kind, region, chain, intro_zh, intro_en, contact_name, \
                    contact_phone, contact_email, website, created_at, updated_at, credit_code, \
                    verification, verification_reason";

/// Filters for the organisation list; `q` is matched against names.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub chain: Option<String>,
}

/// The JSON form of an input, for the audit log.
pub(crate) fn org_json(i: &OrgInput) -> serde_json::Value {
    serde_json::json!({
        "key": i.key, "name_zh": i.name_zh, "name_en": i.name_en, "kind": i.kind.code(),
        "region": i.region.code, "chain": i.chain.map(|c| c.code()), "intro_zh": i.intro_zh,
        "intro_en": i.intro_en, "contact_name": i.contact_name, "contact_phone": i.contact_phone,
        "contact_email": i.contact_email, "website": i.website,
    })
}

pub(crate) fn row_json(r: &OrgRow) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        for k in ["id", "created_at", "updated_at"] {
            o.remove(k);
        }
    }
    v
}

impl Store {
    /// The ids of every verified organisation.
    pub async fn verified_organisation_ids(&self) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM organisation WHERE verification = 'verified' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(o,)| o).collect())
    }

    /// Give an organisation its credit code; it then waits for a programme officer to verify
    /// it. A code another organisation holds is a `Conflict` on `credit_code`.
    pub async fn set_credit_code(
        &self,
        audit: &Audit,
        id: i64,
        code: &str,
        notices: &[NoticeInput],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE organisation SET credit_code = $1, verification = 'pending', \
             verification_reason = '', updated_at = $2 WHERE id = $3",
        )
        .bind(code)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(conflict_on("credit_code"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "credit_code",
                "organisation",
                Some(id),
                serde_json::json!({ "credit_code": code, "verification": "pending" }),
            )
            .await?;
        Store::add_notices(&mut tx, notices).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A programme officer's decision on an organisation waiting for verification (`verified`
    /// or `refused` with a reason). One no longer waiting is a `Conflict` on `verification`.
    pub async fn decide_verification(
        &self,
        audit: &Audit,
        id: i64,
        to: duijie_domain::organisation::OrgVerification,
        reason: &str,
        notices: &[NoticeInput],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE organisation SET verification = $1, verification_reason = $2, updated_at = $3 \
             WHERE id = $4 AND verification = 'pending'",
        )
        .bind(to.code())
        .bind(reason)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                field: "verification",
            });
        }
        audit
            .record(
                &mut tx,
                "verify",
                "organisation",
                Some(id),
                serde_json::json!({ "verification": to.code(), "reason": reason }),
            )
            .await?;
        Store::add_notices(&mut tx, notices).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Organisations waiting for verification, oldest request first.
    pub async fn organisations_to_verify(&self) -> Result<Vec<OrgRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM organisation WHERE verification = 'pending' ORDER BY updated_at, id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The organisation with external key `key`.
    pub async fn organisation_by_key(&self, key: &str) -> Result<OrgRow> {
        sqlx::query_as(&format!("SELECT {COLS} FROM organisation WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn organisation(&self, id: i64) -> Result<OrgRow> {
        sqlx::query_as(&format!("SELECT {COLS} FROM organisation WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn organisations(&self, f: &OrgFilter, page: Page) -> Result<(Vec<OrgRow>, i64)> {
        let mut w = Sql::new(" WHERE 1 = 1");
        if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
            let like = format!("%{}%", q.trim().to_lowercase());
            w.push(" AND (LOWER(name_zh) LIKE ")
                .bind(Arg::Text(like.clone()));
            w.push(" OR LOWER(name_en) LIKE ")
                .bind(Arg::Text(like))
                .push(")");
        }
        for (col, v) in [
            ("kind", &f.kind),
            ("region", &f.region),
            ("chain", &f.chain),
        ] {
            if let Some(v) = v {
                w.push(&format!(" AND {col} = ")).bind(Arg::Text(v.clone()));
            }
        }
        let count = Sql::prefixed("SELECT COUNT(*) FROM organisation", &w);
        let mut list = Sql::prefixed(&format!("SELECT {COLS} FROM organisation"), &w);
        list.push(" ORDER BY id LIMIT ")
            .bind(Arg::Int(page.per_page));
        list.push(" OFFSET ").bind(Arg::Int(page.offset()));
        let total: (i64,) = count.query_as().fetch_one(&self.pool).await?;
        let rows = list.query_as().fetch_all(&self.pool).await?;
        Ok((rows, total.0))
    }

    /// Every organisation, in id order (for export).
    pub async fn all_organisations(&self) -> Result<Vec<OrgRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLS} FROM organisation ORDER BY id"))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Every organisation's id and names, for choosers.
    pub async fn organisation_names(&self) -> Result<Vec<(i64, String, String)>> {
        Ok(
            sqlx::query_as("SELECT id, name_zh, name_en FROM organisation ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn create_organisation(&self, audit: &Audit, i: &OrgInput) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_org(&mut tx, i).await?;
        audit
            .record(&mut tx, "create", "organisation", Some(id), org_json(i))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_organisation(&self, audit: &Audit, id: i64, i: &OrgInput) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: OrgRow = sqlx::query_as(&format!("SELECT {COLS} FROM organisation WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        update_org(&mut tx, id, i).await?;
        audit
            .record(
                &mut tx,
                "update",
                "organisation",
                Some(id),
                diff(&row_json(&old), &org_json(i)),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn insert_org(conn: &mut AnyConnection, i: &OrgInput) -> Result<i64> {
    let t = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO organisation (key, name_zh, name_en, kind, region, chain, intro_zh, intro_en, \
         contact_name, contact_phone, contact_email, website, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(i.key.as_deref())
    .bind(i.name_zh.as_str())
    .bind(i.name_en.as_str())
    .bind(i.kind.code())
    .bind(i.region.code)
    .bind(i.chain.map(|c| c.code()))
    .bind(i.intro_zh.as_str())
    .bind(i.intro_en.as_str())
    .bind(i.contact_name.as_str())
    .bind(i.contact_phone.as_str())
    .bind(i.contact_email.as_str())
    .bind(i.website.as_str())
    .bind(t)
    .fetch_one(&mut *conn)
    .await
    .map_err(conflict_on("key"))?;
    assign_key(conn, "organisation", "org", id).await?;
    Ok(id)
}

pub(crate) async fn update_org(conn: &mut AnyConnection, id: i64, i: &OrgInput) -> Result<()> {
    sqlx::query(
        "UPDATE organisation SET key = COALESCE($1, key), name_zh = $2, name_en = $3, kind = $4, region = $5, \
         chain = $6, intro_zh = $7, intro_en = $8, contact_name = $9, contact_phone = $10, contact_email = $11, \
         website = $12, updated_at = $13 WHERE id = $14",
    )
    .bind(i.key.as_deref())
    .bind(i.name_zh.as_str())
    .bind(i.name_en.as_str())
    .bind(i.kind.code())
    .bind(i.region.code)
    .bind(i.chain.map(|c| c.code()))
    .bind(i.intro_zh.as_str())
    .bind(i.intro_en.as_str())
    .bind(i.contact_name.as_str())
    .bind(i.contact_phone.as_str())
    .bind(i.contact_email.as_str())
    .bind(i.website.as_str())
    .bind(now())
    .bind(id)
    .execute(conn)
    .await
    .map_err(conflict_on("key"))?;
    Ok(())
}
