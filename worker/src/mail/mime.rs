//! A mail as the bytes that travel (RFC 5322 with MIME), written by us so that ticket mail can
//! carry its thread: a `Message-ID` per ticket event and `In-Reply-To`/`References` naming the
//! ticket's first message, which every mail program uses to group a conversation (issue 23).
//! Cloudflare's `send_email` takes such a message whole (`EmailMessage::new(from, to, raw)`).

use base64::Engine;
use pointdesk_domain::time::Date;

/// One outgoing mail.
pub struct Outgoing<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// `<…@…>`: this mail's own id.
    pub message_id: &'a str,
    /// The id of the thread's first mail (a ticket's), when this one continues it.
    pub thread: Option<&'a str>,
    /// When it is sent, in Unix seconds.
    pub date: i64,
}

/// The id of ticket mail: stable per ticket and event, so a resend is the same message and a
/// reply's `In-Reply-To` names the ticket (`<t42.e7@desk.example.com>`; event 0 is the first).
pub fn ticket_message_id(ticket: i64, event: i64, domain: &str) -> String {
    format!("<t{ticket}.e{event}@{domain}>")
}

/// The id an outbox mail is sent with: a ticket's mail names its ticket (the event is the mail's
/// row, one per recipient), other mail only itself.
pub fn message_id(mail: i64, ticket: Option<i64>, domain: &str) -> String {
    match ticket {
        Some(t) => ticket_message_id(t, mail, domain),
        None => format!("<m{mail}@{domain}>"),
    }
}

/// The ticket a `Message-ID` of ours names, read back from a reply's `In-Reply-To` or
/// `References` (any of the ids in it).
pub fn ticket_of_message_ids(ids: &str, domain: &str) -> Option<i64> {
    ids.split_whitespace().find_map(|id| {
        let inner = id.strip_prefix('<')?.strip_suffix('>')?;
        let (local, host) = inner.split_once('@')?;
        if !host.eq_ignore_ascii_case(domain) {
            return None;
        }
        let (t, _) = local.strip_prefix('t')?.split_once(".e")?;
        t.parse().ok().filter(|n: &i64| *n > 0)
    })
}

/// `Fri, 04 Dec 2026 03:42:00 +0000`.
pub fn rfc5322_date(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let d = Date::from_days(days);
    let weekday = DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(d.month().saturating_sub(1)).unwrap_or(0)];
    format!(
        "{weekday}, {:02} {month} {} {:02}:{:02}:{:02} +0000",
        d.day(),
        d.year(),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A header value as RFC 2047 encoded words when it is not plain printable ASCII (a Russian
/// subject), each word within 75 characters and whole characters only.
pub fn header_words(value: &str) -> String {
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return value.to_owned();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars() {
        // 45 bytes of UTF-8 are 60 characters of base64: with `=?UTF-8?B?` and `?=`, 72.
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// The message: headers, then the text as UTF-8 in base64 lines of 76.
pub fn raw(m: &Outgoing<'_>) -> String {
    let mut out = String::new();
    let mut header = |name: &str, value: &str| {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    };
    header("From", m.from);
    header("To", m.to);
    header("Subject", &header_words(m.subject));
    header("Date", &rfc5322_date(m.date));
    header("Message-ID", m.message_id);
    if let Some(first) = m.thread.filter(|t| *t != m.message_id) {
        header("In-Reply-To", first);
        header("References", first);
    }
    header("MIME-Version", "1.0");
    header("Content-Type", "text/plain; charset=utf-8");
    header("Content-Transfer-Encoding", "base64");
    out.push_str("\r\n");
    let body = base64::engine::general_purpose::STANDARD.encode(m.body.as_bytes());
    for line in body.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_mail_continues_the_tickets_thread() {
        let first = ticket_message_id(42, 0, "desk.test");
        let second = ticket_message_id(42, 7, "desk.test");
        assert_eq!(second, "<t42.e7@desk.test>");
        let text = raw(&Outgoing {
            from: "support@desk.test",
            to: "user@acme.test",
            subject: "[#42] Принтер на 3 этаже",
            body: "Заявка решена.\nЕсли проблема вернётся, ответьте на это письмо.",
            message_id: &second,
            thread: Some(&first),
            date: 1_796_355_720,
        });
        assert!(text.contains("Message-ID: <t42.e7@desk.test>\r\n"));
        assert!(
            text.contains("In-Reply-To: <t42.e0@desk.test>\r\nReferences: <t42.e0@desk.test>\r\n")
        );
        assert!(
            text.contains("Date: Fri, 04 Dec 2026 03:42:00 +0000\r\n"),
            "{text}"
        );
        assert!(text.contains("Subject: =?UTF-8?B?"));
        // The body decodes back to what was written.
        let body = text.split("\r\n\r\n").nth(1).unwrap().replace("\r\n", "");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        assert_eq!(
            String::from_utf8(decoded).unwrap(),
            "Заявка решена.\nЕсли проблема вернётся, ответьте на это письмо."
        );
        // The first mail of a thread names no parent.
        let opening = raw(&Outgoing {
            message_id: &first,
            thread: Some(&first),
            from: "a@b.test",
            to: "c@d.test",
            subject: "[#42] Printer",
            body: "x",
            date: 0,
        });
        assert!(!opening.contains("In-Reply-To"));
        assert!(opening.contains("Subject: [#42] Printer\r\n"));
        assert!(opening.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"));
    }

    #[test]
    fn a_reply_is_traced_to_its_ticket_by_our_ids_only() {
        assert_eq!(
            ticket_of_message_ids("<CAB123@mail.gmail.com> <t42.e3@desk.test>", "desk.test"),
            Some(42)
        );
        assert_eq!(
            ticket_of_message_ids("<t42.e3@other.test>", "desk.test"),
            None
        );
        assert_eq!(
            ticket_of_message_ids("<t0.e3@desk.test> <tx.e1@desk.test>", "desk.test"),
            None
        );
        assert_eq!(ticket_of_message_ids("", "desk.test"), None);
    }

    #[test]
    fn long_russian_subjects_are_split_into_whole_characters() {
        let subject = "Не печатает принтер в бухгалтерии на третьем этаже, срочно нужен отчёт";
        let encoded = header_words(subject);
        let mut back = String::new();
        for word in encoded.split("\r\n ") {
            assert!(word.len() <= 75, "{word}");
            let inner = word
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
                .unwrap();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(inner)
                .unwrap();
            back.push_str(&String::from_utf8(bytes).unwrap());
        }
        assert_eq!(back, subject);
    }
}
