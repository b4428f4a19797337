//! Notices of each step to the people concerned: written in the step's own transaction (the
//! store does that), shown in the inbox, and — when the platform has an SMTP relay — mailed
//! to each member of the receiving organisation (or the one receiving user) after the step has
//! committed.

use duijie_domain::docking::NoticeKind;
use duijie_store::notice::{NoticeInput, NoticeRow, Recipient};
use duijie_store::notification::NotificationRow;
use serde::Serialize;

use crate::mail::Mail;
use crate::{App, AppError, Caller};

/// A notice about `subject` (`"docking"`, `"contract"`, `"organisation"`) number `id`.
pub(crate) fn notice(
    to: Recipient,
    kind: NoticeKind,
    subject: &'static str,
    id: i64,
    (title, title_en): (&str, &str),
    reason: &str,
    actor: Option<i64>,
) -> NoticeInput {
    NoticeInput {
        to,
        kind,
        subject,
        subject_id: id,
        title: title.to_string(),
        title_en: title_en.to_string(),
        reason: reason.to_string(),
        actor_id: actor,
    }
}

/// Where a notice takes its reader.
pub fn link(subject: &str, id: i64) -> String {
    match subject {
        "docking" => format!("/dockings/{id}"),
        "contract" if id > 0 => format!("/contracts/{id}"),
        "contract" => "/contracts?status=pending".to_string(),
        "organisation" => format!("/organisations/{id}"),
        "challenge" => format!("/challenges/{id}#tasks"),
        _ => "/inbox".to_string(),
    }
}

/// Mail `notices` (already committed) to everyone they reach, in the background. Without a
/// relay, nothing happens; a recipient without an account address is skipped.
pub(crate) async fn deliver(st: &App, notices: &[NoticeInput]) {
    let Some(mailer) = &st.mailer else { return };
    let mut mails = Vec::new();
    for n in notices {
        let people = match st.store.mail_to(n.to).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "notice recipients not read; no e-mail");
                continue;
            }
        };
        let label = n.kind.label();
        let url = mailer.link(&link(n.subject, n.subject_id));
        let reason = if n.reason.is_empty() {
            String::new()
        } else {
            format!("\n理由 / Reason: {}\n", n.reason)
        };
        for p in people {
            mails.push(Mail {
                to: p.email,
                to_name: p.display_name,
                subject: format!("【京津冀对接平台】{}：{}", label.zh, n.title),
                body: format!(
                    "{}：{}\n{reason}\n查看详情 / Open:\n{url}\n\n--\n{}: {}\n",
                    label.zh,
                    n.title,
                    label.en,
                    if n.title_en.is_empty() {
                        &n.title
                    } else {
                        &n.title_en
                    }
                ),
            });
        }
    }
    mailer.send_later(mails);
}

/// A notice as the inbox shows it.
#[derive(Debug, Serialize)]
pub struct NoticeView {
    #[serde(flatten)]
    pub n: NoticeRow,
    pub link: String,
    pub label_zh: &'static str,
    pub label_en: &'static str,
}

/// The caller's inbox: notices of each step (its organisation's and its own), and match
/// notices (its organisation's), each newest first.
#[derive(Debug, Serialize)]
pub struct Inbox {
    pub notices: Vec<NoticeView>,
    pub matches: Vec<NotificationRow>,
}

pub async fn inbox(st: &App, ctx: &Caller) -> Result<Inbox, AppError> {
    let (user, actor) = ctx.require_user()?;
    let notices = st
        .store
        .notices(actor.org_id, user.id, 200)
        .await?
        .into_iter()
        .map(|n| {
            let label = n.kind.label();
            NoticeView {
                link: link(&n.subject, n.subject_id),
                label_zh: label.zh,
                label_en: label.en,
                n,
            }
        })
        .collect();
    let matches = match actor.org_id {
        Some(org) => st.store.notifications(org, 200).await?,
        None => Vec::new(),
    };
    Ok(Inbox { notices, matches })
}

/// Every notice of the caller's inbox marked read.
pub async fn mark_read(st: &App, ctx: &Caller) -> Result<(), AppError> {
    let (user, actor) = ctx.require_user()?;
    if let Some(org) = actor.org_id {
        st.store.mark_notifications_read(org).await?;
    }
    st.store.mark_notices_read(actor.org_id, user.id).await?;
    Ok(())
}
