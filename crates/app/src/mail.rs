//! E-mail of notices, when the platform is given an SMTP relay (`--smtp-url
//! smtp://[user:password@]host[:port]`; off by default). Mail is handed to the relay after the
//! step's transaction has committed, in the background: a relay that is down costs a warning in
//! the log, never a user's action. The platform speaks plain SMTP to the relay (a local MTA or
//! the office's own relay, which does TLS onwards).

use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// The relay and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The platform's address as readers reach it (links in mails), without a trailing `/`.
    base_url: String,
}

/// One mail to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    /// A mailer for `url` (`smtp://[user:password@]host[:port]`, port 25 by default), sending
    /// as `from`. A malformed URL or address is an error naming it.
    pub fn new(url: &str, from: &str, base_url: &str) -> Result<Mailer, String> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| format!("--smtp-url {url:?}: must start with smtp://"))?;
        let rest = rest.trim_end_matches('/');
        let (auth, host) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (host, port) = match host.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("--smtp-url {url:?}: the port {p:?} is not a number"))?,
            ),
            None => (host, 25),
        };
        if host.is_empty() {
            return Err(format!("--smtp-url {url:?}: names no host"));
        }
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(20)));
        if let Some(a) = auth {
            let (user, password) = a.split_once(':').unwrap_or((a, ""));
            b = b.credentials(Credentials::new(user.to_string(), password.to_string()));
        }
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("--mail-from {from:?}: {e}"))?;
        Ok(Mailer {
            transport: b.build(),
            from,
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }

    /// A link to `path` on the platform.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Send `mails` one by one in the background; failures are logged.
    pub fn send_later(&self, mails: Vec<Mail>) {
        if mails.is_empty() {
            return;
        }
        let m = self.clone();
        tokio::spawn(async move {
            for mail in mails {
                if let Err(e) = m.send(&mail).await {
                    tracing::warn!(to = %mail.to, error = %e, "notice e-mail not sent");
                }
            }
        });
    }

    async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to: Mailbox = format!(
            "{} <{}>",
            mail.to_name.replace(['<', '>', '"'], ""),
            mail.to
        )
        .parse()
        .or_else(|_| mail.to.parse())
        .map_err(|e| format!("{e}"))?;
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            // Quoted-printable keeps the links readable in the raw mail.
            .header(ContentTransferEncoding::QuotedPrintable)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Mailer;

    #[test]
    fn relay_urls_are_read_or_refused_saying_why() {
        assert!(Mailer::new(
            "smtp://127.0.0.1:2525",
            "duijie <noreply@duijie.test>",
            "http://x/"
        )
        .is_ok());
        assert!(Mailer::new("smtp://u:p@relay.example.cn", "noreply@duijie.test", "").is_ok());
        let e = Mailer::new("smtps://relay", "a@b.cn", "")
            .err()
            .unwrap_or_default();
        assert!(e.contains("smtp://"), "{e}");
        let e = Mailer::new("smtp://relay:x", "a@b.cn", "")
            .err()
            .unwrap_or_default();
        assert!(e.contains("port"), "{e}");
        let e = Mailer::new("smtp://relay", "not an address", "")
            .err()
            .unwrap_or_default();
        assert!(e.contains("--mail-from"), "{e}");
        let m = Mailer::new("smtp://relay", "a@b.cn", "https://duijie.example.cn/").expect("ok");
        assert_eq!(m.link("/inbox"), "https://duijie.example.cn/inbox");
    }
}
