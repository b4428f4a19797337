//! Notices of each step — a docking requested, introduced, answered or moved on; a contract
//! recorded, registered or refused; an organisation's verification — to the members of an
//! organisation or to one user. They are written in the transaction of the step they tell of,
//! so a notice never tells of a step that did not happen.

use duijie_domain::docking::NoticeKind;
use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Result, Store};

/// Whom a notice is for: every member of an organisation, or one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Org(i64),
    User(i64),
}

/// A notice to write with a step.
#[derive(Debug, Clone)]
pub struct NoticeInput {
    pub to: Recipient,
    pub kind: NoticeKind,
    /// "docking", "contract" or "organisation".
    pub subject: &'static str,
    pub subject_id: i64,
    /// What it is about, as the reader knows it (a record's or contract's title, a name), in
    /// Chinese and English (empty when it has no English).
    pub title: String,
    pub title_en: String,
    /// The reason given (a decline, a refusal, an end), or empty.
    pub reason: String,
    pub actor_id: Option<i64>,
}

/// One notice in an inbox, with who acted.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct NoticeRow {
    pub id: i64,
    pub org_id: Option<i64>,
    pub user_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub kind: NoticeKind,
    pub subject: String,
    pub subject_id: i64,
    pub title: String,
    pub title_en: String,
    pub reason: String,
    pub actor_name: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// Where an e-mail of a notice goes: the address and name of one user.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MailTo {
    pub email: String,
    pub display_name: String,
}

/// `$1` is the caller's organisation (or NULL), `$2` the caller.
const MINE: &str = "((n.org_id IS NOT NULL AND n.org_id = $1) OR n.user_id = $2)";

impl Store {
    /// Write `notices` in the step's own transaction.
    pub(crate) async fn add_notices(
        conn: &mut sqlx::AnyConnection,
        notices: &[NoticeInput],
    ) -> Result<()> {
        let t = now();
        for n in notices {
            let (org, user) = match n.to {
                Recipient::Org(o) => (Some(o), None),
                Recipient::User(u) => (None, Some(u)),
            };
            sqlx::query(
                "INSERT INTO notice (org_id, user_id, kind, subject, subject_id, title, title_en, \
                 reason, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(org)
            .bind(user)
            .bind(n.kind.code())
            .bind(n.subject)
            .bind(n.subject_id)
            .bind(n.title.as_str())
            .bind(n.title_en.as_str())
            .bind(n.reason.as_str())
            .bind(n.actor_id)
            .bind(t.as_str())
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    /// The notices for a user (and its organisation's), newest first.
    pub async fn notices(&self, org: Option<i64>, user: i64, limit: i64) -> Result<Vec<NoticeRow>> {
        let sql = format!(
            "SELECT n.id, n.org_id, n.user_id, n.kind, n.subject, n.subject_id, n.title, n.title_en, n.reason, \
             u.display_name AS actor_name, n.created_at, n.read_at FROM notice n \
             LEFT JOIN app_user u ON u.id = n.actor_id WHERE {MINE} ORDER BY n.id DESC LIMIT $3"
        );
        Ok(sqlx::query_as(&sql)
            .bind(org)
            .bind(user)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// How many of them are unread.
    pub async fn unread_notices(&self, org: Option<i64>, user: i64) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM notice n WHERE {MINE} AND n.read_at IS NULL");
        let (n,): (i64,) = sqlx::query_as(&sql)
            .bind(org)
            .bind(user)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Mark them all read.
    pub async fn mark_notices_read(&self, org: Option<i64>, user: i64) -> Result<u64> {
        let sql = format!(
            "UPDATE notice SET read_at = $3 WHERE id IN (SELECT n.id FROM notice n WHERE {MINE}) \
             AND read_at IS NULL"
        );
        Ok(sqlx::query(&sql)
            .bind(org)
            .bind(user)
            .bind(now())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// The users a notice reaches: the members of its organisation, or its one user.
    pub async fn mail_to(&self, to: Recipient) -> Result<Vec<MailTo>> {
        let (sql, id) = match to {
            Recipient::Org(o) => (
                "SELECT email, display_name FROM app_user WHERE org_id = $1 ORDER BY id",
                o,
            ),
            Recipient::User(u) => ("SELECT email, display_name FROM app_user WHERE id = $1", u),
        };
        Ok(sqlx::query_as(sql).bind(id).fetch_all(&self.pool).await?)
    }

    /// The ids of users with one of `roles` (codes), with their organisations.
    pub async fn users_with_roles(&self, roles: &[&str]) -> Result<Vec<(i64, Option<i64>)>> {
        let mut q = crate::sql::Sql::new("SELECT id, org_id FROM app_user WHERE role IN (");
        for (i, r) in roles.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(crate::sql::Arg::Text(r.to_string()));
        }
        q.push(") ORDER BY id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }
}
