//! Mail that arrives at the desk through Cloudflare Email Routing (issue 23). A known client
//! person's mail opens a ticket; a reply threads onto its ticket (our `[#N]` tag in the subject,
//! or a `Message-ID` of ours in `In-Reply-To`/`References`) and becomes a public comment with
//! the quoted history trimmed; the files come along. Mail written by machines creates nothing;
//! a stranger gets one polite answer a day. Each mail is handled once (by its `Message-ID`).

use mail_parser::{Message, MessageParser, MimeHeaders};
use pointdesk_api::tickets::NewTicket;
use pointdesk_domain::attachment::{admit, clean_name, FILE_MAX};
use pointdesk_domain::inbound::{automatic, new_text, ticket_tag, tidy, title_of, Envelope};
use pointdesk_domain::sniff::sniff;
use pointdesk_domain::ticket::{Kind, Priority, COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX};
use pointdesk_domain::time::Timestamp;
use worker::{Env, ForwardableEmailMessage};

use super::files::{bucket, new_key};
use super::load::load;
use super::open::open;
use super::work::{add_comment, NewComment};
use crate::db::{Db, InboundMail, NewAttachment};
use crate::error::{AppError, AppResult};
use crate::http::Session;
use crate::mail::mime;

/// What became of one mail (the `inbound_mail.outcome` it is recorded with).
pub async fn receive(
    message: &ForwardableEmailMessage,
    env: &Env,
    at: Timestamp,
) -> AppResult<&'static str> {
    #[allow(clippy::cast_precision_loss)]
    let too_large = message.raw_size() > FILE_MAX as f64; // tidy: js-number (rawSize)
    if too_large {
        message.set_reject("The message is larger than 25 MB.");
        return Ok("too_large");
    }
    let raw = message.raw_bytes().await?;
    let Some(parsed) = MessageParser::default().parse(&raw[..]) else {
        message.set_reject("The message could not be read.");
        return Ok("unreadable");
    };
    let db = Db::new(env)?;
    let message_id = match parsed.message_id() {
        Some(id) => format!("<{id}>"),
        None => format!(
            "<sha256.{}@pointdesk.local>",
            crate::auth::token_hash_bytes(&raw)
        ),
    };
    if db.mail_seen(&message_id).await? {
        return Ok("duplicate");
    }
    let sender = message.from();
    let from = parsed
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or(&sender)
        .trim()
        .to_lowercase();
    let subject = parsed.subject().unwrap_or_default().to_owned();
    let record = |outcome: &'static str, ticket: Option<i64>, user: Option<i64>| InboundMail {
        message_id: &message_id,
        from: &from,
        subject: &subject,
        outcome,
        ticket,
        user,
    };
    let now = at.unix();
    if machine_written(&parsed, &sender) {
        db.batch(vec![db.record_mail(&record("automatic", None, None), now)?])
            .await?;
        return Ok("automatic");
    }
    let person = db.credentials(&from).await?.filter(|c| c.org_active == 1);
    let Some(person) = person else {
        let answered = db.stranger_answered(&from, now - 86_400).await?;
        db.batch(vec![
            db.record_mail(&record("unknown_sender", None, None), now)?
        ])
        .await?;
        if !answered {
            answer_stranger(message, env, &message_id, &subject, now).await;
        }
        return Ok("unknown_sender");
    };
    let who = Session::of(person.user)?;
    let (outcome, ticket) = act(&db, env, &who, &parsed, &subject, at).await?;
    db.batch(vec![
        db.record_mail(&record(outcome, ticket, Some(who.user.id)), now)?
    ])
    .await?;
    Ok(outcome)
}

/// Whether a machine wrote the mail (a bounce, an auto-reply, a list): it creates nothing.
fn machine_written(parsed: &Message<'_>, sender: &str) -> bool {
    let headers: Vec<(String, String)> = parsed
        .headers_raw()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    automatic(&Envelope {
        sender,
        headers: &pairs,
    })
    .is_some()
}

/// What a known person's mail does: a comment on the ticket it continues, or a new ticket
/// (client people only), with its files; the outcome and the ticket.
async fn act(
    db: &Db,
    env: &Env,
    who: &Session,
    parsed: &Message<'_>,
    subject: &str,
    at: Timestamp,
) -> AppResult<(&'static str, Option<i64>)> {
    let text = tidy(&parsed.body_text(0).unwrap_or_default());
    let origin = crate::http::public_origin(env);
    let ticket = thread_of(db, who, parsed, subject, env).await?;
    let files = store_files(env, parsed, who.user.id).await?;
    let attached: Vec<NewAttachment<'_>> = files.iter().map(StoredFile::as_new).collect();
    let result = match ticket {
        Some(id) => {
            let said = new_text(&text);
            let body = comment_body(&said, &files);
            if body.is_empty() {
                Ok(("empty", None))
            } else {
                let c = NewComment {
                    ticket: id,
                    body: &body,
                    internal: false,
                    via: "mail",
                };
                add_comment(db, who, &c, at, &origin, &attached, None)
                    .await
                    .map(|()| ("commented", Some(id)))
            }
        }
        None if who.actor.role.is_client() => {
            let t = NewTicket {
                kind: Kind::Incident,
                title: title_of(subject, &text, TITLE_MAX),
                description: cut(text.trim(), DESCRIPTION_MAX),
                priority: Priority::Normal,
                catalogue_id: None,
                org_id: None,
                requester_id: None,
            };
            open(db, who, &t, at, &origin, &attached)
                .await
                .map(|id| ("opened", Some(id)))
        }
        None => Ok(("not_allowed", None)),
    };
    let (outcome, ticket) = match result {
        Ok(done) => done,
        Err(e) => {
            forget(env, &files).await;
            return Err(e);
        }
    };
    if ticket.is_none() {
        forget(env, &files).await;
    }
    Ok((outcome, ticket))
}

/// The ticket a mail continues: our tag in its subject, or one of our ids among those it
/// answers; only a ticket the sender may comment on.
async fn thread_of(
    db: &Db,
    who: &Session,
    parsed: &Message<'_>,
    subject: &str,
    env: &Env,
) -> AppResult<Option<i64>> {
    let by_tag = match ticket_tag(subject) {
        Some(n) => db.ticket_id_by_number(who.provider(), n).await?,
        None => None,
    };
    let by_id = || {
        let domain = crate::mail::domain(env);
        [parsed.in_reply_to(), parsed.references()]
            .iter()
            .filter_map(|h| ids_of(h))
            .find_map(|ids| mime::ticket_of_message_ids(&ids, &domain))
    };
    let Some(id) = by_tag.or_else(by_id) else {
        return Ok(None);
    };
    match load(db, who, id, pointdesk_domain::policy::Action::Comment).await {
        Ok(_) => Ok(Some(id)),
        Err(AppError::NotFound | AppError::Forbidden) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A header's message ids as one space-separated list (`<a@b> <c@d>`).
fn ids_of(h: &mail_parser::HeaderValue<'_>) -> Option<String> {
    let list: Vec<String> = match h {
        mail_parser::HeaderValue::Text(t) => vec![t.to_string()],
        mail_parser::HeaderValue::TextList(l) => l.iter().map(ToString::to_string).collect(),
        _ => return None,
    };
    Some(
        list.iter()
            .map(|id| format!("<{}>", id.trim_matches(['<', '>'])))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A file of the mail, already in R2.
struct StoredFile {
    key: String,
    name: String,
    content_type: &'static str,
    size: i64,
    by: i64,
}

impl StoredFile {
    fn as_new(&self) -> NewAttachment<'_> {
        NewAttachment {
            ticket_id: 0,
            uploaded_by: self.by,
            via: "mail",
            key: &self.key,
            name: &self.name,
            content_type: self.content_type,
            size: self.size,
            internal: false,
        }
    }
}

/// Puts the mail's files (attachments and inline images) in R2, within the per-file limit.
async fn store_files(env: &Env, parsed: &Message<'_>, by: i64) -> AppResult<Vec<StoredFile>> {
    let mut out = Vec::new();
    let (mut count, mut bytes) = (0u64, 0u64);
    for (i, part) in parsed.attachments().enumerate() {
        let contents = part.contents();
        let size = contents.len() as u64;
        if admit(size, count, bytes).is_err() {
            continue;
        }
        let kind = sniff(contents);
        let name = part
            .attachment_name()
            .and_then(clean_name)
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        let key = new_key(0)?;
        bucket(env)?
            .put(&key, contents.to_vec())
            .http_metadata(worker::HttpMetadata {
                content_type: Some(kind.mime().to_owned()),
                ..worker::HttpMetadata::default()
            })
            .execute()
            .await?;
        count += 1;
        bytes += size;
        out.push(StoredFile {
            key,
            name,
            content_type: kind.mime(),
            size: i64::try_from(size).unwrap_or(i64::MAX),
            by,
        });
    }
    Ok(out)
}

/// Removes files stored for a mail that created nothing.
async fn forget(env: &Env, files: &[StoredFile]) {
    if let Ok(b) = bucket(env) {
        for f in files {
            if let Err(e) = b.delete(&f.key).await {
                worker::console_error!("mail: file {} left in R2: {e:?}", f.key);
            }
        }
    }
}

/// A comment's text: what the reply says, or the names of the files it brought.
fn comment_body(said: &str, files: &[StoredFile]) -> String {
    let said = said.trim();
    if !said.is_empty() {
        return cut(said, COMMENT_MAX);
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    if names.is_empty() {
        String::new()
    } else {
        cut(&format!("📎 {}", names.join(", ")), COMMENT_MAX)
    }
}

fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The one answer a stranger gets (a day): we do not know the address, and how to reach us.
async fn answer_stranger(
    message: &ForwardableEmailMessage,
    env: &Env,
    their_id: &str,
    subject: &str,
    now: i64,
) {
    let ours = message.to();
    let domain = crate::mail::domain(env);
    let id = format!(
        "<r{now}.{}@{domain}>",
        crate::auth::token_hash_bytes(their_id.as_bytes())
            .get(..12)
            .unwrap_or_default()
    );
    let body = "Здравствуйте! Мы не нашли ваш адрес среди контактов наших клиентов, поэтому \
                письмо не стало заявкой. Если вы наш клиент, попросите администратора вашей \
                организации пригласить вас в Pointdesk или напишите с адреса, который у нас \
                записан.\n\nHello! We could not find your address among our clients' people, so \
                your mail did not open a ticket. If you are a client, ask your organisation's \
                administrator to invite you to Pointdesk, or write from the address we know.";
    let subject = format!("Re: {}", subject.trim());
    let raw = mime::raw(&mime::Outgoing {
        from: &ours,
        to: &message.from(),
        subject: &subject,
        body,
        message_id: &id,
        thread: Some(their_id),
        date: now,
    });
    let sent = match worker::EmailMessage::new(&ours, &message.from(), &raw) {
        Ok(reply) => message.reply(&reply).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("mail: the answer to a stranger was not sent: {e:?}");
    }
}
