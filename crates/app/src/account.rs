//! Accounts: signing in and out, registration, one's own password and API tokens, who a session
//! or token belongs to, and the admin's user list and password resets. Passwords are hashed
//! only through [`Hasher`](crate::hasher::Hasher); sign-in checks the throttle before hashing.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Instant;

use duijie_domain::organisation::OrgRaw;
use duijie_domain::password::Password;
use duijie_domain::{Email, FieldError, Invalid, OrgInput, Role};
use duijie_store::audit::AuditRow;
use duijie_store::organisation::OrgRow;
use duijie_store::user::{TokenRow, UserRow};
use duijie_store::{Page, StoreError};

use crate::throttle::Key;
use crate::{App, AppError, Caller, FormData};

/// How a sign-in attempt ended.
#[derive(Debug)]
pub enum SignIn {
    /// The password was right: the new session's token (for the cookie).
    Signed { session: String },
    /// Too many wrong attempts lately: try again after this many seconds (no hash was spent).
    Throttled(u64),
    /// Unknown e-mail or wrong password (the answer does not say which).
    Wrong,
}

/// A hash to verify against when the e-mail is unknown, so that both cases take as long.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        Password::parse("p", "not-a-real-password")
            .map(|p| p.hash())
            .unwrap_or_default()
    })
}

fn client_text(client: Option<IpAddr>) -> String {
    client.map(|ip| ip.to_string()).unwrap_or_default()
}

/// Sign in. Attempts are throttled by account and by client address; every wrong password is
/// written to the audit log with the address it came from.
pub async fn sign_in(
    st: &App,
    client: Option<IpAddr>,
    email: &str,
    password: &str,
) -> Result<SignIn, AppError> {
    let email = email.trim().to_lowercase();
    let mut keys = vec![Key::Account(email.clone())];
    keys.extend(client.map(Key::Client));
    let wait = st.logins.wait(&keys, Instant::now());
    if !wait.is_zero() {
        tracing::debug!(email = %email, client = %client_text(client), "sign-in throttled");
        return Ok(SignIn::Throttled(wait.as_secs().max(1)));
    }
    let found = st.store.user_for_login(&email).await?;
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let ok = st.hasher.verify(password.to_string(), hash).await?;
    match found {
        Some((user, _)) if ok => {
            st.logins.succeeded(&keys[0]);
            let (session, _) = st.store.create_session(user.id).await?;
            Ok(SignIn::Signed { session })
        }
        found => {
            st.logins.failed(&keys, Instant::now());
            st.store
                .record_attempt(
                    "login_failed",
                    &email,
                    found.map(|(u, _)| u.id),
                    &client_text(client),
                )
                .await?;
            Ok(SignIn::Wrong)
        }
    }
}

/// End a session (nothing happens for an unknown token).
pub async fn sign_out(st: &App, session: &str) -> Result<(), AppError> {
    Ok(st.store.delete_session(session).await?)
}

/// The user a browser session belongs to, with the session's CSRF token.
pub async fn session_user(st: &App, session: &str) -> Result<Option<(UserRow, String)>, AppError> {
    Ok(st.store.session_user(session).await?)
}

/// As [`session_user`], with what the top bar counts read in the same query: unread inbox
/// notices (its organisation's and its own), and for a member the docking requests and
/// introductions waiting for an answer plus unread docking messages (for a broker, those of the
/// dockings it introduced). What a signed-in page view needs before its handler runs.
pub async fn session_for_page(st: &App, session: &str) -> Result<Option<PageSession>, AppError> {
    let Some(s) = st.store.session_user_and_attention(session).await? else {
        return Ok(None);
    };
    // As `top_bar`: of the users with an organisation, only its members are party to its
    // dockings (staff belong to one but act for all).
    let party = s.user.org_id.is_none() || s.user.role == duijie_domain::Role::Member;
    Ok(Some(PageSession {
        stamp: st.stamp_at(s.audit),
        dockings: if party { s.dockings } else { 0 },
        notices: s.notices,
        csrf: s.secret,
        user: s.user,
    }))
}

/// A signed-in page view's session (see [`session_for_page`]).
#[derive(Debug, Clone)]
pub struct PageSession {
    pub user: UserRow,
    pub csrf: String,
    /// Unread notices.
    pub notices: i64,
    /// Docking requests waiting and unread docking messages.
    pub dockings: i64,
    /// The application's stamp, read with the session (before the page renders).
    pub stamp: crate::Stamp,
}

/// The user an API token belongs to, with the token's id and scope; nothing for an unknown or
/// expired token.
pub async fn token_user(
    st: &App,
    token: &str,
) -> Result<Option<(UserRow, duijie_store::user::TokenUse)>, AppError> {
    Ok(st.store.user_for_api_token(token).await?)
}

/// Register. The outcome never says whether the e-mail already has an account (that would let
/// anyone test addresses): a new address gets its account, a known one nothing (the attempt is
/// audited), and both take as long (the password is hashed either way). Field problems come
/// back all at once as `Invalid`.
pub async fn register(st: &App, client: Option<IpAddr>, form: &FormData) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let raw_email = form.get("email").unwrap_or("");
    let email = Email::parse("email", raw_email)
        .map_err(|e| errors.push(e))
        .ok();
    let name = form.get("display_name").unwrap_or("").trim().to_string();
    let password = Password::parse_for(
        "password",
        form.get("password").unwrap_or(""),
        &[raw_email, name.as_str()],
    )
    .map_err(|e| errors.push(e))
    .ok();
    if name.is_empty() || name.chars().count() > 60 {
        errors.push(FieldError::new(
            "display_name",
            "required",
            "give a name of up to 60 characters",
            "请填写不超过 60 个字符的姓名",
        ));
    }
    let org = if form.get("name_zh").is_some_and(|s| !s.trim().is_empty())
        || form.get("name_en").is_some_and(|s| !s.trim().is_empty())
    {
        let raw: OrgRaw = form.to()?;
        OrgInput::parse(&raw).map_err(|e| errors.extend(e.0)).ok()
    } else {
        None
    };
    let (Some(email), Some(password), true) = (email, password, errors.is_empty()) else {
        return Err(AppError::Invalid(Invalid(errors)));
    };
    let hash = st.hasher.hash(password).await?;
    match st.store.register(&email, &hash, &name, org.as_ref()).await {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict { field: "email" }) => Ok(st
            .store
            .record_attempt(
                "register_existing",
                email.as_str(),
                None,
                &client_text(client),
            )
            .await?),
        Err(e) => Err(e.into()),
    }
}

/// Change one's own password: the current one is checked, the new one must pass the rules and
/// be repeated, and every other session of the user ends (`keep` is the one in use). A refusal
/// is `Invalid` naming `current`, `confirm` or `new`.
pub async fn change_password(
    st: &App,
    caller: &Caller,
    form: &FormData,
    keep: Option<&str>,
) -> Result<(), AppError> {
    let (user, _) = caller.require_user()?;
    let refuse = |e: FieldError| Err(AppError::Invalid(Invalid::one(e)));
    let stored = st.store.password_hash(user.id).await?;
    let current = form.get("current").unwrap_or("").to_string();
    if !st.hasher.verify(current, stored).await? {
        return refuse(FieldError::new(
            "current",
            "wrong_password",
            "is not your current password",
            "当前密码不正确",
        ));
    }
    let new = form.get("new").unwrap_or("");
    if form.get("confirm").unwrap_or("") != new {
        return refuse(FieldError::new(
            "confirm",
            "mismatch",
            "does not repeat the new password",
            "与新密码不一致",
        ));
    }
    let password = match Password::parse_for("new", new, &[&user.email, &user.display_name]) {
        Ok(p) => p,
        Err(e) => return refuse(e),
    };
    let hash = st.hasher.hash(password).await?;
    st.store
        .set_password(&caller.audit()?, user.id, &hash, keep, "password_change")
        .await?;
    Ok(())
}

/// What the account page shows: the caller's API tokens and organisation.
pub struct AccountView {
    pub tokens: Vec<TokenRow>,
    pub org: Option<OrgRow>,
}

pub async fn view(st: &App, caller: &Caller) -> Result<AccountView, AppError> {
    let (user, _) = caller.require_user()?;
    let tokens = st.store.api_tokens(Some(user.id)).await?;
    let org = match user.org_id {
        Some(o) => Some(st.store.organisation(o).await?),
        None => None,
    };
    Ok(AccountView { tokens, org })
}

/// Every user's API tokens, for the admin (who may revoke any).
pub async fn all_tokens(st: &App, caller: &Caller) -> Result<Vec<TokenRow>, AppError> {
    require(caller, |r| r == Role::Admin)?;
    Ok(st.store.api_tokens(None).await?)
}

/// A new API token for the caller: named by them (60 characters at most; "api" if blank),
/// reading only or also writing (`scope`, default write), valid for `days` (1 to 365, default
/// 90). The token is returned once and stored only as a digest. A token cannot make tokens: a
/// read-only one could otherwise make itself a writer.
pub async fn create_token(st: &App, caller: &Caller, form: &FormData) -> Result<String, AppError> {
    let (user, _) = caller.require_user()?;
    if caller.via_token() {
        return Err(AppError::Forbidden);
    }
    let name = form
        .get("name")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("api")
        .chars()
        .take(60)
        .collect::<String>();
    let scope = match form.get("scope").map(str::trim) {
        None | Some("") => duijie_domain::TokenScope::Write,
        Some(_) => form.one_of::<duijie_domain::TokenScope>("scope")?,
    };
    let days = form.number(
        "days",
        1..=duijie_domain::user::TOKEN_DAYS_MAX,
        Some(duijie_domain::user::TOKEN_DAYS_DEFAULT),
    )?;
    let expires = duijie_domain::user::token_expires(st.clock.now(), days);
    Ok(st
        .store
        .create_api_token(&caller.audit()?, user.id, &name, scope, &expires)
        .await?)
}

/// Revoke a token: one of the caller's own, or for the admin anyone's.
pub async fn revoke_token(st: &App, caller: &Caller, id: i64) -> Result<(), AppError> {
    let (user, actor) = caller.require_user()?;
    let whose = (actor.role != Role::Admin).then_some(user.id);
    Ok(st
        .store
        .revoke_api_token(&caller.audit()?, whose, id)
        .await?)
}

fn require(caller: &Caller, ok: impl Fn(Role) -> bool) -> Result<(), AppError> {
    let (_, a) = caller.require_user()?;
    if ok(a.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The audit log (staff), newest first, optionally of one record `(entity, id)`.
pub async fn audit_log(
    st: &App,
    caller: &Caller,
    which: Option<(&str, i64)>,
    page: Page,
) -> Result<(Vec<AuditRow>, i64), AppError> {
    require(caller, Role::is_staff)?;
    Ok(st.store.audit_log(which, page).await?)
}

/// Every user with the organisations they may be moved to (admins).
pub async fn users(
    st: &App,
    caller: &Caller,
) -> Result<(Vec<UserRow>, Vec<(i64, String, String)>), AppError> {
    require(caller, |r| r == Role::Admin)?;
    Ok((
        st.store.users().await?,
        st.store.organisation_names().await?,
    ))
}

/// A temporary password an admin hands over: 20 random letters and digits in groups of four
/// (about 100 bits), without look-alikes (0/o, 1/l/i).
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    duijie_domain::password::random_bytes::<20>()
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Reset a user's password (admins): returns the user's e-mail and a temporary password, to be
/// shown once; every session of the user ends.
pub async fn reset_password(
    st: &App,
    caller: &Caller,
    id: i64,
) -> Result<(String, String), AppError> {
    require(caller, |r| r == Role::Admin)?;
    let user = st.store.user(id).await?;
    let temporary = temporary_password();
    let password = Password::parse("password", &temporary).map_err(Invalid::one)?;
    let hash = st.hasher.hash(password).await?;
    st.store
        .set_password(&caller.audit()?, id, &hash, None, "password_reset")
        .await?;
    Ok((user.email, temporary))
}
