//! Users, browser sessions and API tokens. Session and API tokens are random; only their SHA-256
//! digests are stored, so a copy of the database does not let anyone sign in.

use duijie_domain::password::random_bytes;
use duijie_domain::{Email, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::{conflict_on, now, Audit, Result, Store, StoreError};

/// A user as stored (the password hash stays in the store).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: duijie_domain::Role,
    pub org_id: Option<i64>,
    pub created_at: String,
}

/// A user with one secret column beside it (a password hash or a session's CSRF token).
#[derive(FromRow)]
struct UserAnd {
    #[sqlx(flatten)]
    user: UserRow,
    secret: String,
}

/// An API token's public facts (never the token: only its digest is kept).
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub scope: duijie_domain::TokenScope,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    /// Whose it is (the admin's list shows every user's).
    pub user_id: i64,
    pub user_email: String,
}

/// The token a request came with: which one, and what it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenUse {
    pub id: i64,
    pub scope: duijie_domain::TokenScope,
}

const TOKEN_COLUMNS: &str = "t.id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at, \
     t.user_id, u.email AS user_email FROM api_token t JOIN app_user u ON u.id = t.user_id";

/// A signed-in page view's session: the user, the session's CSRF secret, the top bar's counts
/// and the last audit entry's id at the time of the read.
#[derive(Debug, Clone, FromRow)]
pub struct PageSession {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub secret: String,
    pub notices: i64,
    pub dockings: i64,
    pub audit: i64,
}

/// A fresh random token: 32 bytes, hex.
fn new_token() -> String {
    hex::encode(random_bytes::<32>())
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long a browser session lasts.
const SESSION_DAYS: i64 = 14;

impl Store {
    /// Create a user with an already hashed password.
    pub async fn create_user(
        &self,
        audit: &Audit,
        email: &Email,
        password_hash: &str,
        name: &str,
        role: Role,
        org_id: Option<i64>,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO app_user (email, password_hash, display_name, role, org_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(email.as_str())
        .bind(password_hash)
        .bind(name)
        .bind(role.code())
        .bind(org_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("email"))?;
        let detail =
            serde_json::json!({"email": email.as_str(), "role": role.code(), "org_id": org_id});
        audit
            .record(&mut tx, "create", "user", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sign-up: a new member, with a new organisation of theirs if `org` is given, in one
    /// transaction (a taken e-mail leaves no organisation behind).
    pub async fn register(
        &self,
        email: &Email,
        password_hash: &str,
        name: &str,
        org: Option<&duijie_domain::OrgInput>,
    ) -> Result<i64> {
        let audit = Audit::system(email.as_str());
        let mut tx = self.begin_write().await?;
        let org_id = match org {
            Some(o) => {
                let id = crate::organisation::insert_org(&mut tx, o).await?;
                audit
                    .record(
                        &mut tx,
                        "create",
                        "organisation",
                        Some(id),
                        crate::organisation::org_json(o),
                    )
                    .await?;
                Some(id)
            }
            None => None,
        };
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO app_user (email, password_hash, display_name, role, org_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(email.as_str())
        .bind(password_hash)
        .bind(name)
        .bind(Role::Member.code())
        .bind(org_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("email"))?;
        let detail =
            serde_json::json!({"email": email.as_str(), "role": "member", "org_id": org_id});
        audit
            .record(&mut tx, "register", "user", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The user and their password hash, by e-mail.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(UserRow, String)>> {
        let row: Option<UserAnd> = sqlx::query_as(
            "SELECT id, email, display_name, role, org_id, created_at, password_hash AS secret \
             FROM app_user WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.user, r.secret)))
    }

    pub async fn user(&self, id: i64) -> Result<UserRow> {
        sqlx::query_as(
            "SELECT id, email, display_name, role, org_id, created_at FROM app_user WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        Ok(sqlx::query_as(
            "SELECT id, email, display_name, role, org_id, created_at FROM app_user ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Change a user's role and organisation.
    pub async fn set_user_role(
        &self,
        audit: &Audit,
        id: i64,
        role: Role,
        org_id: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE app_user SET role = $1, org_id = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(role.code())
        .bind(org_id)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "update",
                "user",
                Some(id),
                serde_json::json!({"role": role.code(), "org_id": org_id}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The stored password hash of a user.
    pub async fn password_hash(&self, id: i64) -> Result<String> {
        let (h,): (String,) = sqlx::query_as("SELECT password_hash FROM app_user WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(h)
    }

    /// Set a user's password and end their sessions, all but `keep` (the session of a user
    /// changing their own password; none when an admin resets it). `action` is what the audit
    /// log calls it (`password_change`, `password_reset`); the hash is never logged.
    pub async fn set_password(
        &self,
        audit: &Audit,
        id: i64,
        hash: &str,
        keep: Option<&str>,
        action: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n =
            sqlx::query("UPDATE app_user SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(hash)
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let ended = sqlx::query("DELETE FROM session WHERE user_id = $1 AND id <> $2")
            .bind(id)
            .bind(keep.map(digest).unwrap_or_default())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit
            .record(
                &mut tx,
                action,
                "user",
                Some(id),
                serde_json::json!({"sessions_ended": ended}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Log a refused sign-in (`login_failed`: the e-mail tried, the user it belongs to if
    /// any) or a registration refused because the e-mail is taken (`register_existing`; the
    /// visitor is not told), with the client's address.
    pub async fn record_attempt(
        &self,
        action: &str,
        email: &str,
        user_id: Option<i64>,
        client: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Audit::system(action)
            .record(
                &mut tx,
                action,
                "user",
                user_id,
                serde_json::json!({"email": email, "client": client}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Start a session: returns the cookie value and the session's CSRF token.
    pub async fn create_session(&self, user_id: i64) -> Result<(String, String)> {
        let token = new_token();
        let csrf = new_token();
        let created = chrono::Utc::now();
        let expires = created + chrono::Duration::days(SESSION_DAYS);
        sqlx::query("INSERT INTO session (id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(digest(&token))
            .bind(user_id)
            .bind(csrf.as_str())
            .bind(created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .bind(expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .execute(&self.pool)
            .await?;
        Ok((token, csrf))
    }

    /// The user of a live session, and the session's CSRF token.
    pub async fn session_user(&self, token: &str) -> Result<Option<(UserRow, String)>> {
        let row: Option<UserAnd> = sqlx::query_as(
            "SELECT u.id, u.email, u.display_name, u.role, u.org_id, u.created_at, s.csrf_token AS secret \
             FROM session s JOIN app_user u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2",
        )
        .bind(digest(token))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.user, r.secret)))
    }

    /// As [`Store::session_user`], with what the top bar counts for that user, in one query (a
    /// signed-in page view reads both): unread notices (of its organisation and its own) and,
    /// for a user of an organisation, the dockings waiting for it and their unread messages;
    /// for one without (a broker), the unread messages of the dockings it introduced.
    /// Also the last audit entry's id, read in the same query (a page's stamp needs it).
    pub async fn session_user_and_attention(&self, token: &str) -> Result<Option<PageSession>> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            let org = |q: &str| q.replace("$1", "u.org_id");
            format!(
                "SELECT u.id, u.email, u.display_name, u.role, u.org_id, u.created_at, \
                 s.csrf_token AS secret, \
                 CASE WHEN u.org_id IS NULL THEN \
                   (SELECT COUNT(*) FROM notice WHERE user_id = u.id AND read_at IS NULL) \
                 ELSE (SELECT COUNT(*) FROM notification WHERE org_id = u.org_id AND read_at IS NULL) \
                   + (SELECT COUNT(*) FROM notice WHERE (org_id = u.org_id OR user_id = u.id) AND read_at IS NULL) \
                 END AS notices, \
                 CASE WHEN u.org_id IS NULL THEN (SELECT COUNT(*) {broker}) \
                 ELSE (SELECT COUNT(*) {waiting}) + (SELECT COUNT(*) {unread}) END AS dockings, \
                 (SELECT COALESCE(MAX(id), 0) FROM audit_log) AS audit \
                 FROM session s JOIN app_user u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2",
                broker = crate::docking::UNREAD_FOR_BROKER.replace("$1", "u.id"),
                waiting = org(crate::docking::WAITING_FOR_ORG),
                unread = org(crate::docking::UNREAD_FOR_ORG),
            )
        });
        Ok(sqlx::query_as(sql)
            .bind(digest(token))
            .bind(now())
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM session WHERE id = $1")
            .bind(digest(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Issue an API token for a user, with what it may do and until when (an RFC 3339 instant);
    /// the token itself is returned once and never stored.
    pub async fn create_api_token(
        &self,
        audit: &Audit,
        user_id: i64,
        name: &str,
        scope: duijie_domain::TokenScope,
        expires_at: &str,
    ) -> Result<String> {
        let token = format!("dj_{}", new_token());
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO api_token (user_id, name, token_hash, created_at, scope, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(digest(&token))
        .bind(now())
        .bind(scope.code())
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        audit
            .record(
                &mut tx,
                "create",
                "api_token",
                Some(id),
                serde_json::json!({"name": name, "user_id": user_id, "scope": scope.code(), "expires_at": expires_at}),
            )
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// A user's tokens, or with `None` every user's (for the admin), oldest first.
    pub async fn api_tokens(&self, user_id: Option<i64>) -> Result<Vec<TokenRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS} WHERE ($1 IS NULL OR t.user_id = $1) ORDER BY t.id"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revoke a token: one of `user_id`'s, or with `None` anyone's (the admin).
    pub async fn revoke_api_token(
        &self,
        audit: &Audit,
        user_id: Option<i64>,
        token_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM api_token WHERE id = $1 AND ($2 IS NULL OR user_id = $2)")
            .bind(token_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "delete",
                "api_token",
                Some(token_id),
                serde_json::json!({}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user an API token belongs to, with the token's id and scope; nothing for an unknown
    /// or expired token.
    pub async fn user_for_api_token(&self, token: &str) -> Result<Option<(UserRow, TokenUse)>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            token_id: i64,
            #[sqlx(try_from = "String")]
            scope: duijie_domain::TokenScope,
        }
        let h = digest(token);
        let at = now();
        let row: Option<Row> = sqlx::query_as(
            "SELECT u.id, u.email, u.display_name, u.role, u.org_id, u.created_at, \
             t.id AS token_id, t.scope FROM api_token t JOIN app_user u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.expires_at > $2",
        )
        .bind(h.as_str())
        .bind(at.as_str())
        .fetch_optional(&self.pool)
        .await?;
        if let Some(r) = &row {
            sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
                .bind(at.as_str())
                .bind(r.token_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(row.map(|r| {
            (
                r.user,
                TokenUse {
                    id: r.token_id,
                    scope: r.scope,
                },
            )
        }))
    }
}
