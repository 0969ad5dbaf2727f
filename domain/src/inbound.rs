//! Mail that arrives at the desk (issue 23): which ticket a reply belongs to, whether a mail was
//! written by a person at all, and what of its body is new. Parsing MIME is the worker's; these
//! rules take the decoded parts.

/// The mark outgoing ticket mail puts above the quoted history: what a client writes above it is
/// the reply.
pub const REPLY_ABOVE: &str = "— reply above this line · отвечайте выше этой строки —";

/// The subject of mail about ticket `number`: `[#42] Printer on floor 3`. Replies keep it, and
/// mail programs group the thread by it.
pub fn ticket_subject(number: i64, title: &str) -> String {
    format!("[#{number}] {title}")
}

/// The ticket number a subject names with our tag (`Re: [#42] Printer`, `AW: RE: [#42]`); the
/// first tag wins. `[#]`, `[#0]`, `[#-1]` and `[#12a]` are no tag.
pub fn ticket_tag(subject: &str) -> Option<i64> {
    let mut rest = subject;
    while let Some(at) = rest.find("[#") {
        let after = &rest[at + 2..];
        if let Some(end) = after.find(']') {
            let digits = &after[..end];
            if !digits.is_empty()
                && digits.len() <= 15
                && digits.bytes().all(|b| b.is_ascii_digit())
            {
                if let Ok(n) = digits.parse::<i64>() {
                    if n > 0 {
                        return Some(n);
                    }
                }
            }
        }
        rest = after;
    }
    None
}

/// A new ticket's title from a mail's subject: reply and forward prefixes (`Re:`, `Fwd:`, `AW:`,
/// `Ответ:`, `Пересл.:`) and our tag dropped, spaces collapsed, at most `max` characters; an
/// empty subject gives the first line of the text instead.
pub fn title_of(subject: &str, text: &str, max: usize) -> String {
    const PREFIXES: [&str; 9] = [
        "re:",
        "fwd:",
        "fw:",
        "aw:",
        "wg:",
        "sv:",
        "ответ:",
        "отв:",
        "пересл.:",
    ];
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_lowercase();
        let Some(p) = PREFIXES.iter().find(|p| lower.starts_with(**p)) else {
            break;
        };
        rest = rest[rest
            .char_indices()
            .nth(p.chars().count())
            .map_or(rest.len(), |(i, _)| i)..]
            .trim_start();
    }
    let mut title = rest.to_owned();
    if let Some(n) = ticket_tag(&title) {
        title = title.replacen(&format!("[#{n}]"), "", 1);
    }
    let mut title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        title = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .to_owned();
    }
    let mut out: String = title.chars().take(max).collect();
    if out.trim().is_empty() {
        out = "(без темы)".to_owned();
    }
    out
}

/// The headers that tell a machine wrote a mail, lower-cased names with their values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// The SMTP sender (`MAIL FROM`); empty for a bounce (the null sender `<>`).
    pub sender: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
}

/// Why a mail creates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Automatic {
    /// A delivery report or other mail from the null sender.
    Bounce,
    /// `Auto-Submitted` other than `no` (RFC 3834): vacation replies, notifications.
    AutoSubmitted,
    /// `Precedence: bulk | junk | list`, or a mailing list's `List-Id`.
    Bulk,
    /// The auto-reply headers that Exchange and common responders set.
    AutoReply,
}

/// Whether a mail was sent by a machine; such mail never opens a ticket, never becomes a comment
/// and is never answered (answering a responder loops).
pub fn automatic(e: &Envelope<'_>) -> Option<Automatic> {
    let sender = e
        .sender
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    if sender.is_empty() || sender.eq_ignore_ascii_case("mailer-daemon") {
        return Some(Automatic::Bounce);
    }
    let header = |name: &str| {
        e.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    if header("auto-submitted").is_some_and(|v| !v.starts_with("no")) {
        return Some(Automatic::AutoSubmitted);
    }
    if header("precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list"))
        || header("list-id").is_some()
    {
        return Some(Automatic::Bulk);
    }
    let exchange_generated = header("x-ms-exchange-generated-message-source").is_some()
        && header("x-auto-response-suppress")
            .is_some_and(|v| v.contains("all") || v.contains("oof"));
    if header("x-autoreply").is_some() || header("x-autorespond").is_some() || exchange_generated {
        return Some(Automatic::AutoReply);
    }
    None
}

/// The lines that start what a mail program quotes below a reply: Gmail's and Apple Mail's
/// `On … wrote:`, Outlook's `-----Original Message-----` and header block, and their Russian
/// forms (`… пишет:`, `… написал(а):`, `От: …`).
fn starts_history(line: &str, next: Option<&str>) -> bool {
    let l = line.trim();
    let lower = l.to_lowercase();
    if l.contains(REPLY_ABOVE) || lower.contains("reply above this line") {
        return true;
    }
    if lower.starts_with("-----original message-----")
        || lower.starts_with("----- original message -----")
        || lower.starts_with("-----исходное сообщение-----")
        || lower.starts_with("-------- пересылаемое сообщение")
        || lower.starts_with("-------- forwarded message")
    {
        return true;
    }
    // "On Tue, 3 Dec 2026 at 10:42, Anna <anna@acme.test> wrote:" (possibly wrapped onto the
    // next line by the sender's program).
    let joined = match next {
        Some(n) => format!("{lower} {}", n.trim().to_lowercase()),
        None => lower.clone(),
    };
    let wrote = |s: &str| {
        s.ends_with("wrote:")
            || s.ends_with("пишет:")
            || s.ends_with("написал(а):")
            || s.ends_with("написал:")
            || s.ends_with("написала:")
    };
    if (lower.starts_with("on ") && (wrote(&lower) || wrote(&joined)))
        || (wrote(&lower) && (lower.contains('@') || lower.chars().any(|c| c.is_ascii_digit())))
    {
        return true;
    }
    // Yandex and Mail.ru: `03.12.2026, 10:42, "Pointdesk" <support@desk.test>:`.
    if lower.ends_with(">:") && lower.contains('@') && lower.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    // Outlook's block: "From: …" then "Sent: …" (or "От: …" then "Отправлено: …").
    let next_lower = next.map(|n| n.trim().to_lowercase()).unwrap_or_default();
    (lower.starts_with("from:") && next_lower.starts_with("sent:"))
        || (lower.starts_with("от:") && next_lower.starts_with("отправлено:"))
}

/// What is new in a reply's plain text: everything above the quoted history and the signature
/// (`-- `), with `>`-quoted lines and trailing blank lines dropped. A mail that is all quote
/// keeps its text, so nothing a client wrote is ever lost.
pub fn new_text(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if starts_history(line, lines.get(i + 1).copied())
            || *line == "-- "
            || *line == "--"
            || sent_from_phone(line)
        {
            break;
        }
        if line.trim_start().starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.trim().is_empty()) {
        kept.remove(0);
    }
    if kept.is_empty() {
        return body.trim().to_owned();
    }
    kept.join("\n")
}

/// The line a phone's mail program signs with ("Sent from my iPhone", "Отправлено с iPhone",
/// "Get Outlook for Android", Yandex's and Mail.ru's): the signature starts there.
fn sent_from_phone(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    const MARKS: [&str; 6] = [
        "sent from my ",
        "sent from outlook for ",
        "get outlook for ",
        "отправлено с iphone",
        "отправлено с ipad",
        "отправлено из мобильно",
    ];
    l.chars().count() <= 80 && MARKS.iter().any(|m| l.starts_with(m))
}

/// A mail's text made tidy to keep: Windows line ends, the HTML entities an HTML-only mail
/// leaves behind (`&nbsp;`), spaces at line ends and runs of blank lines.
pub fn tidy(text: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace("&nbsp;", " ")
        .replace('\u{a0}', " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_in_a_subject_names_the_ticket() {
        assert_eq!(ticket_subject(42, "Printer"), "[#42] Printer");
        assert_eq!(ticket_tag("Re: [#42] Printer"), Some(42));
        assert_eq!(ticket_tag("AW: RE: Fwd: [#7] [#8] x"), Some(7));
        assert_eq!(ticket_tag("Ответ: [#123] Принтер"), Some(123));
        for none in [
            "Printer", "[#] x", "[#0] x", "[#-1]", "[#12a] x", "[#42 x", "#42",
        ] {
            assert_eq!(ticket_tag(none), None, "{none}");
        }
        assert_eq!(ticket_tag("[#x] then [#9]"), Some(9));
    }

    #[test]
    fn machines_are_told_apart_from_people() {
        let person = Envelope {
            sender: "user@acme.test",
            headers: &[("Subject", "Printer"), ("Auto-Submitted", "no")],
        };
        assert_eq!(automatic(&person), None);
        let bounce = Envelope {
            sender: "<>",
            headers: &[],
        };
        assert_eq!(automatic(&bounce), Some(Automatic::Bounce));
        let vacation = Envelope {
            sender: "user@acme.test",
            headers: &[("auto-submitted", "auto-replied")],
        };
        assert_eq!(automatic(&vacation), Some(Automatic::AutoSubmitted));
        let bulk = Envelope {
            sender: "news@shop.test",
            headers: &[("Precedence", "Bulk")],
        };
        assert_eq!(automatic(&bulk), Some(Automatic::Bulk));
        let list = Envelope {
            sender: "list@lists.test",
            headers: &[("List-Id", "<it.lists.test>")],
        };
        assert_eq!(automatic(&list), Some(Automatic::Bulk));
        let responder = Envelope {
            sender: "user@acme.test",
            headers: &[("X-Autoreply", "yes")],
        };
        assert_eq!(automatic(&responder), Some(Automatic::AutoReply));
    }

    #[test]
    fn a_gmail_reply_keeps_what_is_above_the_quote() {
        let body = "Thanks, it prints now.\n\nAnna\n\nOn Tue, 3 Dec 2026 at 10:42, Pointdesk <support@desk.test>\nwrote:\n> Your ticket #42 was resolved.\n> Reply above this line";
        assert_eq!(new_text(body), "Thanks, it prints now.\n\nAnna");
    }

    #[test]
    fn outlook_and_russian_clients_are_trimmed_too() {
        let outlook = "Принтер снова не печатает.\r\n\r\nОт: Pointdesk <support@desk.test>\r\nОтправлено: 3 декабря 2026 г. 10:42\r\nТема: [#42] Принтер\r\n";
        assert_eq!(new_text(outlook), "Принтер снова не печатает.");
        let english = "Still broken.\nFrom: Pointdesk\nSent: Tuesday\nSubject: [#42]";
        assert_eq!(new_text(english), "Still broken.");
        let yandex = "Спасибо!\n\n03.12.2026, 10:42, \"Pointdesk\" <support@desk.test>:\n\n03.12.2026 10:42, Pointdesk пишет:\n> Заявка решена";
        assert_eq!(new_text(yandex), "Спасибо!");
        let ours = format!("Да, можно закрывать.\n\n{REPLY_ABOVE}\nЗаявка #42 решена.");
        assert_eq!(new_text(&ours), "Да, можно закрывать.");
        let signed = "See the photo.\n-- \nAnna Petrova\nAcme";
        assert_eq!(new_text(signed), "See the photo.");
    }

    #[test]
    fn a_mail_that_is_all_quote_loses_nothing() {
        let body = "> only a quote\n> of the old mail";
        assert_eq!(new_text(body), body);
    }
    #[test]
    fn a_title_is_the_subject_without_reply_prefixes_and_tags() {
        assert_eq!(
            title_of("Re: FW: Принтер не печатает", "", 200),
            "Принтер не печатает"
        );
        assert_eq!(title_of("Ответ: [#12] VPN", "", 200), "VPN");
        assert_eq!(
            title_of("  ", "\n  Не работает почта\nПодробности", 200),
            "Не работает почта"
        );
        assert_eq!(title_of("", "", 200), "(без темы)");
        assert_eq!(title_of("abcdef", "", 3), "abc");
    }
    #[test]
    fn phone_signatures_end_the_reply_and_html_leftovers_are_tidied() {
        assert_eq!(new_text("Вот фото:\n\nОтправлено с iPhone"), "Вот фото:");
        assert_eq!(new_text("Done.\nSent from my iPad\n> old"), "Done.");
        assert_eq!(new_text("Ok\n\nGet Outlook for Android"), "Ok");
        assert_eq!(
            tidy("Не печатает.\r\n&nbsp;\r\n\r\n\r\nA &amp; B  \r\n"),
            "Не печатает.\n\nA & B"
        );
    }
}
