//! The request context: who is asking (session cookie or API token), their CSRF token and their
//! language. One middleware resolves it once per request and hands it to handlers.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use duijie_domain::password::random_bytes;
use duijie_domain::{Actor, Role};
use duijie_store::user::UserRow;
use duijie_store::Audit;

use crate::error::{ApiError, AppError};
use crate::AppState;

pub const SESSION_COOKIE: &str = "duijie_session";
pub const CSRF_COOKIE: &str = "duijie_csrf";
pub const LANG_COOKIE: &str = "lang";

/// Who is asking, in which language, and the CSRF token their forms must carry.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub user: Option<UserRow>,
    pub csrf: String,
    pub lang: &'static str,
    /// Signed in with an API token rather than a browser session.
    pub via_token: bool,
    /// Unread inbox notices of the user's organisation (pages only; 0 elsewhere).
    pub unread: i64,
    /// The client's address (the peer, or behind a trusted proxy its `X-Forwarded-For`).
    pub client: Option<std::net::IpAddr>,
}

impl Ctx {
    /// The signed-in user as an `Actor` for permission checks.
    pub fn actor(&self) -> Option<Actor> {
        let u = self.user.as_ref()?;
        Some(Actor {
            user_id: u.id,
            role: Role::from_code(&u.role)?,
            org_id: u.org_id,
        })
    }

    pub fn role(&self) -> Option<Role> {
        self.actor().map(|a| a.role)
    }

    /// The signed-in user, or `Unauthorized`.
    pub fn require_user(&self) -> Result<(&UserRow, Actor), AppError> {
        match (&self.user, self.actor()) {
            (Some(u), Some(a)) => Ok((u, a)),
            _ => Err(AppError::Unauthorized),
        }
    }

    /// Audit identity of the signed-in user.
    pub fn audit(&self) -> Result<Audit, AppError> {
        let (u, _) = self.require_user()?;
        Ok(Audit::user(u.id, &u.email))
    }

    /// Check a submitted form's CSRF token against this request's.
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        match submitted {
            Some(s) if constant_time_eq(s.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role().is_some_and(Role::is_staff)
    }

    /// The organisation a signed-in member acts for (staff have none: they act for all).
    pub fn member_org(&self) -> Option<i64> {
        self.actor()
            .filter(|a| a.role == Role::Member)
            .and_then(|a| a.org_id)
    }

    /// Staff, or a member of `org_id`: may act for that organisation.
    pub fn acts_for(&self, org_id: i64) -> bool {
        Actor::may_edit(self.actor().as_ref(), org_id)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Build a cookie with the platform's attributes.
pub fn cookie(name: &'static str, value: String, secure: bool, http_only: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(http_only)
        .secure(secure)
        .same_site(SameSite::Lax)
        .build()
}

/// The address of the client: the last `X-Forwarded-For` entry when a proxy is trusted to set
/// it (the one the proxy added; earlier ones are the client's word), else the peer's.
fn client_address(req: &Request, trust_forwarded_for: bool) -> Option<std::net::IpAddr> {
    let forwarded = trust_forwarded_for
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|ip| ip.trim().parse().ok());
    forwarded.or_else(|| {
        req.extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
    })
}

/// Middleware: resolve the context and give the browser a CSRF cookie if it has none.
pub async fn context(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let lang = if jar.get(LANG_COOKIE).is_some_and(|c| c.value() == "en") {
        "en"
    } else {
        "zh"
    };
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string);
    let client = client_address(&req, st.trust_forwarded_for);
    let mut new_csrf = None;
    let ctx = if let Some(token) = bearer {
        match st.store.user_for_api_token(&token).await {
            Ok(Some(u)) => Ctx {
                user: Some(u),
                csrf: String::new(),
                lang,
                via_token: true,
                unread: 0,
                client,
            },
            Ok(None) => return ApiError(AppError::Unauthorized).into_response(),
            Err(e) => return ApiError(AppError::from(e)).into_response(),
        }
    } else {
        // A session that cannot be looked up is not "no session": the user is told the service
        // is briefly unavailable and keeps their cookie, instead of being sent to sign in.
        let session = match jar.get(SESSION_COOKIE) {
            Some(c) => match st.store.session_user(c.value()).await {
                Ok(found) => found,
                Err(e) => {
                    let err = AppError::from(e);
                    let api = req.uri().path().starts_with("/api/");
                    return if api {
                        ApiError(err).into_response()
                    } else {
                        crate::error::PageError { err, lang }.into_response()
                    };
                }
            },
            None => None,
        };
        match session {
            Some((u, csrf)) => {
                let page = req.method() == axum::http::Method::GET
                    && !req.uri().path().starts_with("/static/")
                    && !req.uri().path().starts_with("/api/");
                let unread = match u.org_id {
                    Some(org) if page => st.store.unread_notifications(org).await.unwrap_or(0),
                    _ => 0,
                };
                Ctx {
                    user: Some(u),
                    csrf,
                    lang,
                    via_token: false,
                    unread,
                    client,
                }
            }
            None => {
                let csrf = match jar.get(CSRF_COOKIE) {
                    Some(c) if c.value().len() == 64 => c.value().to_string(),
                    _ => {
                        let t = hex::encode(random_bytes::<32>());
                        new_csrf = Some(t.clone());
                        t
                    }
                };
                Ctx {
                    user: None,
                    csrf,
                    lang,
                    via_token: false,
                    unread: 0,
                    client,
                }
            }
        }
    };
    let signed_in = ctx.user.is_some();
    req.extensions_mut().insert(ctx);
    let mut res = next.run(req).await;
    crate::headers::secure(res.headers_mut(), signed_in, st.secure_cookies);
    if let Some(t) = new_csrf {
        let c = cookie(CSRF_COOKIE, t, st.secure_cookies, true);
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}
