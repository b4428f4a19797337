//! Why a use case refused or failed, in words for people (Chinese and English) and a stable
//! code for machines. How an error is answered (HTTP status, JSON envelope, error page) is the
//! web crate's business.

use duijie_domain::Invalid;
use duijie_store::StoreError;

/// Why a request failed.
#[derive(Debug)]
pub enum AppError {
    NotFound,
    /// Not signed in where a user is needed.
    Unauthorized,
    Forbidden,
    /// A write with an API token whose scope is read.
    ReadOnlyToken,
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
            StoreError::Unknown { field } => {
                AppError::Invalid(Invalid::one(duijie_domain::FieldError::new(
                    field,
                    "unknown",
                    "names no such record".to_string(),
                    "所选记录不存在".to_string(),
                )))
            }
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

/// Names people know for the fields forms send, for error pages that list problems away
/// from the form.
const FIELD_LABELS: &[(&str, &str, &str)] = &[
    ("title", "名称", "Title"),
    ("title_zh", "中文名称", "Chinese title"),
    ("title_en", "英文名称", "English title"),
    ("scenario_id", "场景编号", "Scenario no."),
    ("achievement_id", "成果编号", "Achievement no."),
    ("challenge_id", "榜单编号", "Challenge no."),
    ("gathering_id", "场景汇编号", "Gathering no."),
    ("org_id", "单位", "Organisation"),
    ("message", "说明", "Message"),
    ("reason", "理由", "Reason"),
    ("body", "消息内容", "Message"),
    ("occurred_on", "发生日期", "Date"),
    ("amount_wan", "金额（万元）", "Amount (10k yuan)"),
    ("total_income", "营业收入", "Total income"),
    ("deadline", "截止日期", "Deadline"),
    ("want", "合作意向", "What is wanted"),
    ("terms", "保密条款", "Confidentiality terms"),
    (
        "credit_code",
        "统一社会信用代码",
        "Unified social credit code",
    ),
];

/// What a conflict on `field` means to the person who met it.
fn conflict_message(field: &str, en: bool) -> String {
    let (zh, e) = match field {
        "stage" | "status" => (
            "这一步已经有人处理过了（或当前状态不允许），请刷新页面查看最新状态。",
            "This step was already taken (or is not possible in the current state); reload the page to see where it stands.",
        ),
        "staff_invited_at" => ("已经邀请过项目主管。", "The programme officers were already invited."),
        "terms" => ("该记录没有需要接受的保密条款。", "This record has no confidentiality terms to accept."),
        // One per organisation (an application to a challenge, a registration …).
        "org_id" => ("该机构已经提交过一份，不能重复提交。", "This organisation has already submitted one; it cannot submit another."),
        _ => return if en { format!("{field} is already taken.") } else { format!("{field} 已被占用。") },
    };
    if en { e } else { zh }.to_string()
}

impl AppError {
    /// What went wrong, one line per problem, in `lang`, without internal field names (for
    /// error pages; forms show each problem beside its field instead).
    pub fn lines(&self, lang: &str) -> Vec<String> {
        match self {
            AppError::Invalid(i) => i
                .0
                .iter()
                .map(|e| {
                    let m = e.message_in(lang);
                    if let Some((_, zh, en)) = FIELD_LABELS.iter().find(|(f, ..)| *f == e.field) {
                        return if lang == "en" {
                            format!("{en}: {m}")
                        } else {
                            format!("{zh}：{m}")
                        };
                    }
                    // A message that only makes sense beside its field ("必填", "is required")
                    // keeps the field's name.
                    let fragment = if lang == "en" {
                        ["is ", "at most", "must ", "names "]
                            .iter()
                            .any(|p| m.starts_with(p))
                    } else {
                        m.chars().count() <= 4
                    };
                    if fragment {
                        format!("{}: {m}", e.field)
                    } else {
                        m.to_string()
                    }
                })
                .collect(),
            other => vec![other.message(lang)],
        }
    }

    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::ReadOnlyToken => "token_read_only",
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
            AppError::ReadOnlyToken => if en {
                "This API token may only read. Make a token with the write scope on your account page to write."
            } else {
                "此 API 令牌为只读，不能写入。请在账户页面创建读写令牌。"
            }
            .into(),
            AppError::Csrf => if en {
                "The form has expired or did not come from this site. Reload the page and try again."
            } else {
                "表单已过期或来源无效，请刷新页面后重试。"
            }
            .into(),
            AppError::Invalid(i) => i.0.iter().map(|e| format!("{}: {}", e.field, e.message_in(lang))).collect::<Vec<_>>().join("; "),
            AppError::Conflict(f) => conflict_message(f, en),
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

    /// Log what only operators should read (an internal error's cause).
    pub fn log(&self) {
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
        "tech_contract" => ("技术合同", "technology contract(s)"),
        _ => ("其他记录", "other record(s)"),
    }
}
