//! The mail Pointdesk sends, in each person's language. Mail is written to the outbox in the
//! same D1 batch as the event that causes it; a sender delivers it later (see README:
//! Cloudflare Email Service's `send_email` binding in production; locally the outbox is read
//! by the manager's screen and `cargo xtask dev` prints each new link).

mod accounts;
mod books;
mod desk;
mod letter;
pub mod mime;
mod tickets;
mod topups;

pub use accounts::{invitation, reset};
pub use books::{adjustment, expiring, org_notice};
pub use desk::{desk_notice, About, Channel, DeskNotice, NextStep};
pub use tickets::{ticket_notice, TicketNotice, WhatChanged};
pub use topups::{topup_notice, TopUpAbout, TopUpNotice, Why};

use crate::db::Db;
use crate::error::AppResult;

/// One mail from the outbox, as a sender needs it.
pub struct Queued<'a> {
    pub id: i64,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The ticket it is about: it threads onto the ticket's conversation.
    pub ticket: Option<i64>,
    /// Unix seconds.
    pub at: i64,
}

/// Delivers one mail. Production: Cloudflare Email Service ([`CloudflareEmail`]).
pub trait Sender {
    async fn send(&self, mail: &Queued<'_>) -> Result<(), String>;
}

/// The domain our `Message-ID`s carry: `MAIL_FROM`'s, or `pointdesk.local` where nothing is
/// sent. Replies are traced back to tickets by it.
pub fn domain(env: &worker::Env) -> String {
    env.var("MAIL_FROM")
        .ok()
        .map(|v| v.to_string())
        .and_then(|from| {
            let at = from.rfind('@')?;
            Some(from[at + 1..].trim_end_matches('>').trim().to_lowercase())
        })
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "pointdesk.local".to_owned())
}

/// The `send_email` binding named `MAIL`, sending from the `MAIL_FROM` variable.
pub struct CloudflareEmail {
    binding: worker::SendEmail,
    from: String,
    domain: String,
}

impl CloudflareEmail {
    /// The sender when the deployment binds one; `None` locally (mail waits in the outbox).
    pub fn from_env(env: &worker::Env) -> Option<CloudflareEmail> {
        let binding = env.send_email("MAIL").ok()?;
        let from = env.var("MAIL_FROM").ok()?.to_string();
        (!from.is_empty()).then(|| CloudflareEmail {
            binding,
            from,
            domain: domain(env),
        })
    }
}

/// The raw message of an outbox mail: ticket mail carries its thread and, above the text, the
/// line a reply is written above.
pub fn outgoing(from: &str, domain: &str, m: &Queued<'_>) -> String {
    let id = mime::message_id(m.id, m.ticket, domain);
    let thread = m.ticket.map(|t| mime::ticket_message_id(t, 0, domain));
    let body = match m.ticket {
        Some(_) => format!("{}\n\n{}", pointdesk_domain::inbound::REPLY_ABOVE, m.body),
        None => m.body.to_owned(),
    };
    mime::raw(&mime::Outgoing {
        from,
        to: m.to,
        subject: m.subject,
        body: &body,
        message_id: &id,
        thread: thread.as_deref(),
        date: m.at,
    })
}

impl Sender for CloudflareEmail {
    async fn send(&self, m: &Queued<'_>) -> Result<(), String> {
        let raw = outgoing(&self.from, &self.domain, m);
        let message =
            worker::EmailMessage::new(&self.from, m.to, &raw).map_err(|e| format!("{e:?}"))?;
        self.binding
            .send(&message)
            .await
            .map(|_| ())
            .map_err(|e| format!("{e:?}"))
    }
}

/// Sends what waits in the outbox (oldest first, at most `limit`, each tried up to five
/// times); returns how many went out.
pub async fn deliver(db: &Db, sender: &impl Sender, now: i64, limit: i64) -> AppResult<usize> {
    let mut sent = 0;
    for m in db.unsent_mail(limit).await? {
        let queued = Queued {
            id: m.id,
            to: &m.to_email,
            subject: &m.subject,
            body: &m.body,
            ticket: m.ticket_id,
            at: now,
        };
        let result = sender.send(&queued).await;
        db.batch(vec![db.mark_mail(
            m.id,
            result.as_ref().err().map(String::as_str),
            now,
        )?])
        .await?;
        if result.is_ok() {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Without a sender (local development), each new mail's link goes to the log, which
/// `cargo xtask dev` shows in its terminal.
pub fn announce(env: &worker::Env, to: &str, subject: &str, link: &str) {
    if CloudflareEmail::from_env(env).is_none() {
        worker::console_log!("mail to {to} ({subject}): {link}");
    }
}

/// A mail as staff may read it: the secret of every emailed link (`#token=…`) is masked, so no
/// screen or answer hands an invitation or a reset to anyone but its recipient.
pub fn mask_tokens(text: &str) -> String {
    const MARK: &str = "#token=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let (head, tail) = rest.split_at(at + MARK.len());
        out.push_str(head);
        let secret = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(tail.len());
        if secret > 0 {
            out.push_str("••••••");
        }
        rest = &tail[secret..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod mask_tests {
    use super::mask_tokens;

    #[test]
    fn emailed_secrets_are_masked_and_the_rest_kept() {
        assert_eq!(
            mask_tokens("Set it here: https://d.test/reset-password#token=AbC-12_x\nThanks"),
            "Set it here: https://d.test/reset-password#token=••••••\nThanks"
        );
        assert_eq!(
            mask_tokens("a #token=x1 b #token=y2"),
            "a #token=•••••• b #token=••••••"
        );
        assert_eq!(mask_tokens("no link"), "no link");
        assert_eq!(mask_tokens("#token="), "#token=");
    }
}

#[cfg(test)]
mod thread_tests {
    use super::{outgoing, Queued};

    fn queued(ticket: Option<i64>) -> Queued<'static> {
        Queued {
            id: 41,
            to: "user@acme.test",
            subject: "Pointdesk: [#7] — a new comment",
            body: "Ticket #7: a new comment.",
            ticket,
            at: 1_796_360_000,
        }
    }

    #[test]
    fn ticket_mail_carries_its_thread_and_the_reply_mark() {
        let raw = outgoing("Desk <desk@d.test>", "d.test", &queued(Some(7)));
        assert!(raw.contains("\r\nMessage-ID: <t7.e41@d.test>\r\n"), "{raw}");
        assert!(raw.contains("\r\nIn-Reply-To: <t7.e0@d.test>\r\n"), "{raw}");
        assert!(raw.contains("\r\nReferences: <t7.e0@d.test>\r\n"), "{raw}");
        let body: String = raw
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .split("\r\n")
            .collect();
        use base64::Engine;
        let text = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        assert!(
            text.starts_with(pointdesk_domain::inbound::REPLY_ABOVE),
            "{text}"
        );
        assert!(text.ends_with("Ticket #7: a new comment."), "{text}");
        // And a reply naming it is traced back to the ticket.
        assert_eq!(
            super::mime::ticket_of_message_ids("<t7.e41@d.test>", "d.test"),
            Some(7)
        );
    }

    #[test]
    fn other_mail_names_only_itself() {
        let raw = outgoing("desk@d.test", "d.test", &queued(None));
        assert!(raw.contains("\r\nMessage-ID: <m41@d.test>\r\n"), "{raw}");
        assert!(!raw.contains("In-Reply-To"), "{raw}");
        assert_eq!(
            super::mime::ticket_of_message_ids("<m41@d.test>", "d.test"),
            None
        );
    }
}
