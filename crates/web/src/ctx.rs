//! The request context: who is asking (session cookie or API token), their CSRF token and their
//! language. One middleware resolves it once per request and hands it to handlers.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use duijie_app::Caller;
use duijie_domain::password::random_bytes;

use crate::error::{ApiError, AppError};
use crate::AppState;

pub const SESSION_COOKIE: &str = "duijie_session";
pub const CSRF_COOKIE: &str = "duijie_csrf";
pub const LANG_COOKIE: &str = "lang";

/// Who is asking (the use cases' [`Caller`]: user, language, token or not), and what only
/// HTTP needs: the CSRF token their forms must carry, their address, the top bar's count.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub caller: Caller,
    pub csrf: String,
    /// Unread inbox notices of the user's organisation (pages only; 0 elsewhere).
    pub unread: i64,
    /// Docking requests waiting for the caller's organisation plus unread docking messages.
    pub dockings: i64,
    /// The client's address (the peer, or behind a trusted proxy its `X-Forwarded-For`).
    pub client: Option<std::net::IpAddr>,
    /// What the action before this page did (`?ok=<code>`, see `flash`).
    pub flash: Option<(&'static str, &'static str)>,
}

impl std::ops::Deref for Ctx {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl Ctx {
    /// Check a submitted form's CSRF token against this request's.
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        match submitted {
            Some(s) if constant_time_eq(s.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(AppError::Csrf),
        }
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
    let flash = req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("ok="))
            .and_then(crate::flash::message)
    });
    let mut new_csrf = None;
    // A signed-in page view reads the stamp with its session.
    let mut stamp = None;
    let ctx = if let Some(token) = bearer {
        match duijie_app::account::token_user(&st, &token).await {
            // A read-only token reads: any other method is refused before a handler runs.
            Ok(Some((_, t)))
                if t.scope == duijie_domain::TokenScope::Read
                    && !matches!(
                        *req.method(),
                        axum::http::Method::GET | axum::http::Method::HEAD
                    ) =>
            {
                return ApiError(AppError::ReadOnlyToken).into_response();
            }
            Ok(Some((u, t))) => Ctx {
                caller: Caller {
                    user: Some(u),
                    lang,
                    token: Some(t),
                },
                csrf: String::new(),
                unread: 0,
                dockings: 0,
                client,
                flash: None,
            },
            Ok(None) => return ApiError(AppError::Unauthorized).into_response(),
            Err(e) => return ApiError(e).into_response(),
        }
    } else {
        // A page view reads the top bar's counts with the session, in one query.
        let page = is_page(&req);
        let found = match jar.get(SESSION_COOKIE) {
            Some(c) if page => duijie_app::account::session_for_page(&st, c.value())
                .await
                .map(|f| f.map(|s| (s.user, s.csrf, s.notices, s.dockings, Some(s.stamp)))),
            Some(c) => duijie_app::account::session_user(&st, c.value())
                .await
                .map(|f| f.map(|(u, csrf)| (u, csrf, 0, 0, None))),
            None => Ok(None),
        };
        // A session that cannot be looked up is not "no session": the user is told the service
        // is briefly unavailable and keeps their cookie, instead of being sent to sign in.
        let session = match found {
            Ok(found) => found,
            Err(err) => {
                return if req.uri().path().starts_with("/api/") {
                    ApiError(err).into_response()
                } else {
                    crate::error::PageError { err, lang }.into_response()
                };
            }
        };
        match session {
            Some((u, csrf, unread, dockings, read_stamp)) => {
                stamp = read_stamp;
                let caller = Caller {
                    user: Some(u),
                    lang,
                    token: None,
                };
                Ctx {
                    caller,
                    csrf,
                    unread,
                    dockings,
                    client,
                    flash,
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
                    caller: Caller::visitor(lang),
                    csrf,
                    unread: 0,
                    dockings: 0,
                    client,
                    flash,
                }
            }
        }
    };
    let signed_in = ctx.user.is_some();
    let page_ctx = ctx.clone();
    let path = req.uri().path().to_string();
    // A page: kept until the next change (see `pages`), for a visitor or for the one user it
    // was rendered for. A stamp that cannot be read only means the page is rendered afresh.
    // Token callers read the API, never pages.
    let kept = if ctx.token.is_none() && is_page(&req) {
        let stamp = match stamp {
            Some(s) => Ok(s),
            None => st.app.stamp().await,
        };
        match stamp {
            Ok(stamp) => {
                let key = crate::pages::Key {
                    address: req.uri().to_string(),
                    lang,
                    viewer: ctx.user.as_ref().map(|u| (u.id, ctx.unread, ctx.dockings)),
                };
                if let Some(body) = st.pages.get(&key, stamp, &ctx.csrf) {
                    let mut res = Html(body).into_response();
                    finish(&st, &mut res, signed_in, new_csrf);
                    return res;
                }
                Some((key, stamp))
            }
            Err(_) => None,
        }
    } else {
        None
    };
    req.extensions_mut().insert(ctx);
    let mut res = next.run(req).await;
    if let Some((key, stamp)) = kept {
        res = keep(&st, res, key, stamp, &page_ctx.csrf).await;
    }
    // An error page: shown again inside the layout, with the menu and the way on.
    if let Some(e) = res.extensions().get::<crate::error::ErrorPage>().cloned() {
        if !path.starts_with("/api/") {
            if let Ok(page) = crate::templates::render(
                &st,
                &page_ctx,
                &path,
                "error.html",
                minijinja::context! { status => e.status, code => e.code, lines => e.lines },
            ) {
                let (mut parts, _) = res.into_parts();
                parts.headers.remove(axum::http::header::CONTENT_LENGTH);
                res = Response::from_parts(parts, axum::body::Body::from(page.0));
            }
        }
    }
    finish(&st, &mut res, signed_in, new_csrf);
    res
}

/// The security headers, and the CSRF cookie of a browser that had none.
fn finish(st: &AppState, res: &mut Response, signed_in: bool, new_csrf: Option<String>) {
    crate::headers::secure(res.headers_mut(), signed_in, st.secure_cookies);
    if let Some(t) = new_csrf {
        let c = cookie(CSRF_COOKIE, t, st.secure_cookies, true);
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
}

/// A page view: a GET of neither a static asset nor the API.
fn is_page(req: &Request) -> bool {
    req.method() == axum::http::Method::GET
        && !req.uri().path().starts_with("/static/")
        && !req.uri().path().starts_with("/api/")
}

/// Keep a page if it is one to keep: a 200 HTML answer that sets no cookie and no caching rule
/// of its own.
async fn keep(
    st: &AppState,
    res: Response,
    key: crate::pages::Key,
    stamp: duijie_app::Stamp,
    csrf: &str,
) -> Response {
    let html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if res.status() != axum::http::StatusCode::OK
        || !html
        || res.headers().contains_key(SET_COOKIE)
        || res
            .headers()
            .contains_key(axum::http::header::CACHE_CONTROL)
        || res.extensions().get::<crate::error::ErrorPage>().is_some()
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    // Pages are built in memory as one string; this only takes it back.
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                st.pages.put(key, stamp, csrf, text);
            }
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(_) => Response::from_parts(parts, axum::body::Body::empty()),
    }
}
