//! One error type for handlers, answered as a JSON envelope on the API and as a page in the
//! browser. A 500 never shows internals; it is logged instead.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

pub use duijie_app::AppError;

/// The HTTP status that answers an error.
pub trait HttpStatus {
    fn status(&self) -> StatusCode;
}

impl HttpStatus for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ReadOnlyToken | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) | AppError::InUse(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy | AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The API's answer: `{"error": {"code", "message", "field", "fields"}}`.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let mut body = serde_json::json!({"code": e.code(), "message": e.message("en")});
        match &e {
            AppError::Invalid(i) => {
                body["field"] = serde_json::json!(i.0.first().map(|f| f.field.clone()));
                body["fields"] = serde_json::to_value(&i.0).unwrap_or_default();
            }
            AppError::Conflict(f) => body["field"] = serde_json::json!(f),
            AppError::InUse(by) => {
                body["used_by"] = by
                    .iter()
                    .map(|(t, n)| serde_json::json!({"kind": t, "count": n}))
                    .collect()
            }
            _ => {}
        }
        (e.status(), Json(serde_json::json!({ "error": body }))).into_response()
    }
}

/// What an error page says, kept on the response so that the context middleware can show it
/// inside the site's layout (menu, language switch, the signed-in user).
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub status: u16,
    pub code: &'static str,
    pub lines: Vec<String>,
}

/// A page's answer: a small error page in the visitor's language.
pub struct PageError {
    pub err: AppError,
    pub lang: &'static str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.err.log();
        if matches!(self.err, AppError::Unauthorized) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let title = if self.lang == "en" {
            "Error"
        } else {
            "出错了"
        };
        let msg = html_escape(&self.err.message(self.lang));
        let back = if self.lang == "en" {
            "Home"
        } else {
            "返回首页"
        };
        let page = format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
             href=\"/static/app.css\"></head><body><main class=\"narrow\"><h1>{} {title}</h1><p class=\"error\" \
             data-code=\"{}\">{msg}</p><p><a href=\"/\">{back}</a></p></main></body></html>",
            if self.lang == "en" { "en" } else { "zh-CN" },
            self.err.status().as_u16(),
            self.err.code(),
        );
        let mut res = (self.err.status(), Html(page)).into_response();
        res.extensions_mut().insert(ErrorPage {
            status: self.err.status().as_u16(),
            code: self.err.code(),
            lines: self.err.lines(self.lang),
        });
        res
    }
}

/// Escape text for HTML (used only by the template-free error page).
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// Middleware: an error that no handler wrote — axum's own answers to a path, query or body
/// that does not parse ("Cannot parse `abc` to a `i64`"), a method not allowed, a body too
/// large — is plain text. On the API it becomes the one JSON envelope with a stable code (the
/// text kept as its message); on pages, the error page in the visitor's language.
pub async fn uniform(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = if axum_extra::extract::cookie::CookieJar::from_headers(req.headers())
        .get(crate::ctx::LANG_COOKIE)
        .is_some_and(|c| c.value() == "en")
    {
        "en"
    } else {
        "zh"
    };
    let res = next.run(req).await;
    let status = res.status();
    let plain = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let err = match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::UNAUTHORIZED => AppError::Unauthorized,
        StatusCode::FORBIDDEN => AppError::Forbidden,
        s if s.is_server_error() => AppError::Internal(text.clone()),
        _ if text.is_empty() => AppError::BadRequest(
            status
                .canonical_reason()
                .unwrap_or("Bad request")
                .to_string(),
        ),
        _ => AppError::BadRequest(text),
    };
    let mut out = if api {
        let code = match status {
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => err.code(),
        };
        err.log();
        let body = serde_json::json!({"error": {"code": code, "message": err.message("en")}});
        (status, Json(body)).into_response()
    } else {
        // axum's own words are English and technical: a Chinese page says it in Chinese.
        let err = match err {
            AppError::BadRequest(_) if lang != "en" => AppError::BadRequest(
                "请求的地址、参数或表单格式不对，请检查链接或重新提交。".into(),
            ),
            other => other,
        };
        let mut page = PageError { err, lang }.into_response();
        if page.status() != StatusCode::SEE_OTHER {
            *page.status_mut() = status;
        }
        page
    };
    // Keep what the answer said besides its body (`Allow` on a 405, cookies).
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    for (k, v) in parts.headers.iter() {
        out.headers_mut().entry(k).or_insert(v.clone());
    }
    out
}
