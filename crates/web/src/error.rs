//! One error type for handlers, answered as a JSON envelope on the API and as a page in the
//! browser. A 500 never shows internals; it is logged instead.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use duijie_domain::Invalid;
use duijie_store::StoreError;

/// Why a request failed.
#[derive(Debug)]
pub enum AppError {
    NotFound,
    /// Not signed in where a user is needed.
    Unauthorized,
    Forbidden,
    /// The form's CSRF token is missing or wrong.
    Csrf,
    Invalid(Invalid),
    Conflict(&'static str),
    /// A record that others use cannot be deleted: (referring table, how many).
    InUse(Vec<(&'static str, i64)>),
    BadRequest(String),
    /// Too many sign-in attempts: try again after this many seconds.
    Throttled(u64),
    /// The server is busy hashing passwords; try again shortly.
    Busy,
    /// The database cannot be reached just now.
    Unavailable,
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { field } => AppError::Conflict(field),
            StoreError::InUse { by } => AppError::InUse(by),
            StoreError::Full { day, free, wanted } => {
                AppError::Invalid(Invalid::one(duijie_domain::FieldError::new(
                    "start_day",
                    "full",
                    format!("the platform is full on {day}: {free} unit(s) free, {wanted} wanted"),
                    format!("平台 {day} 已满：空闲 {free} 个单位，需要 {wanted} 个"),
                )))
            }
            e if e.is_unavailable() => {
                tracing::error!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e)
    }
}

impl From<duijie_search::SearchError> for AppError {
    fn from(e: duijie_search::SearchError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) | AppError::InUse(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy | AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::InUse(_) => "in_use",
            AppError::BadRequest(_) => "bad_request",
            AppError::Throttled(_) => "too_many_attempts",
            AppError::Busy => "busy",
            AppError::Unavailable => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// A message for people, in `lang`.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            AppError::NotFound => if en { "Not found." } else { "页面或记录不存在。" }.into(),
            AppError::Unauthorized => if en { "Please sign in first." } else { "请先登录。" }.into(),
            AppError::Forbidden => if en { "You are not allowed to do this." } else { "您无权执行此操作。" }.into(),
            AppError::Csrf => if en {
                "The form has expired or did not come from this site. Reload the page and try again."
            } else {
                "表单已过期或来源无效，请刷新页面后重试。"
            }
            .into(),
            AppError::Invalid(i) => i.0.iter().map(|e| format!("{}: {}", e.field, e.message_in(lang))).collect::<Vec<_>>().join("; "),
            AppError::Conflict(f) => if en { format!("{f} is already taken.") } else { format!("{f} 已被占用。") },
            AppError::InUse(by) => {
                let uses = by
                    .iter()
                    .map(|(t, n)| {
                        let (zh, en) = user_label(t);
                        if lang == "en" {
                            format!("{n} {en}")
                        } else {
                            format!("{zh} {n} 项")
                        }
                    })
                    .collect::<Vec<_>>();
                if lang == "en" {
                    format!(
                        "It cannot be deleted: {} still refer to it. Set its status to closed instead.",
                        uses.join(", ")
                    )
                } else {
                    format!("仍被{}引用，不能删除；可将其状态改为“已关闭”。", uses.join("、"))
                }
            }
            AppError::BadRequest(m) => m.clone(),
            AppError::Throttled(s) => {
                let minutes = s.div_ceil(60);
                match (en, *s >= 60) {
                    (true, false) => format!("Too many sign-in attempts. Try again in {s} s."),
                    (true, true) => format!("Too many sign-in attempts. Try again in {minutes} min."),
                    (false, false) => format!("登录尝试过多，请 {s} 秒后再试。"),
                    (false, true) => format!("登录尝试过多，请 {minutes} 分钟后再试。"),
                }
            }
            AppError::Busy => if en { "The server is busy; try again in a moment." } else { "服务器繁忙，请稍后再试。" }.into(),
            AppError::Unavailable => if en {
                "The service is briefly unavailable (its database cannot be reached). Your work is safe; try again in a minute."
            } else {
                "服务暂时不可用（数据库暂时无法连接），您的数据不受影响，请稍后再试。"
            }
            .into(),
            AppError::Internal(_) => if en { "Something went wrong on our side." } else { "服务器内部错误。" }.into(),
        }
    }

    fn log(&self) {
        if let AppError::Internal(m) = self {
            tracing::error!(error = %m, "internal error");
        }
    }
}

/// What a referring table's records are called, in Chinese and English.
fn user_label(table: &str) -> (&'static str, &'static str) {
    match table {
        "service_request" => ("中试服务申请", "service request(s)"),
        "support_case" => ("一站式服务案例", "one-stop case(s)"),
        "finance_project" => ("融资项目", "finance project(s)"),
        "outcome" => ("成效记录", "recorded outcome(s)"),
        _ => ("其他记录", "other record(s)"),
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
        (self.err.status(), Html(page)).into_response()
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
