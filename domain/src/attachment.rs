//! Files on tickets: what may be kept, under which name, and how it is served (issue 23). The
//! kind comes from the content ([`crate::sniff`]), never from the name.

/// One file: 25 MiB, the same as one inbound mail.
pub const FILE_MAX: u64 = 25 * 1024 * 1024;
/// All live files of one ticket together.
pub const TICKET_MAX_BYTES: u64 = 250 * 1024 * 1024;
/// Live files on one ticket.
pub const TICKET_MAX_FILES: u64 = 100;
/// Characters of a file name kept (the extension survives the cut).
pub const NAME_MAX: usize = 120;

/// Why a file is not kept; each is a stable field-error code on `file`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    TicketFull,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge => "too_large",
            Refusal::TicketFull => "ticket_full",
        }
    }
}

/// Whether a file of `size` bytes joins a ticket that keeps `files` live files of `bytes`.
pub fn admit(size: u64, files: u64, bytes: u64) -> Result<(), Refusal> {
    if size == 0 {
        Err(Refusal::Empty)
    } else if size > FILE_MAX {
        Err(Refusal::TooLarge)
    } else if files >= TICKET_MAX_FILES || bytes.saturating_add(size) > TICKET_MAX_BYTES {
        Err(Refusal::TicketFull)
    } else {
        Ok(())
    }
}

/// The name a file is shown and downloaded under: the last segment of whatever path a sender
/// gave, without control characters or quotes, at most [`NAME_MAX`] characters with its
/// extension kept; `None` when nothing is left.
pub fn clean_name(given: &str) -> Option<String> {
    let last = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || c == '"' { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = cleaned.trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.chars().count() <= NAME_MAX {
        return Some(cleaned);
    }
    let ext: String = match cleaned.rfind('.') {
        Some(dot) if cleaned[dot..].chars().count() <= 10 => cleaned[dot..].to_owned(),
        _ => String::new(),
    };
    let keep = NAME_MAX - ext.chars().count();
    let stem: String = cleaned.chars().take(keep).collect();
    Some(format!("{}{ext}", stem.trim_end()))
}

/// `Content-Disposition` (RFC 6266): images the page shows are `inline`, everything else an
/// `attachment`; the name travels as ASCII and as RFC 5987 UTF-8.
pub fn disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let how = if inline { "inline" } else { "attachment" };
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_admitted_within_the_file_and_ticket_limits() {
        assert_eq!(admit(0, 0, 0), Err(Refusal::Empty));
        assert_eq!(admit(FILE_MAX, 0, 0), Ok(()));
        assert_eq!(admit(FILE_MAX + 1, 0, 0), Err(Refusal::TooLarge));
        assert_eq!(admit(1, TICKET_MAX_FILES - 1, 0), Ok(()));
        assert_eq!(admit(1, TICKET_MAX_FILES, 0), Err(Refusal::TicketFull));
        assert_eq!(admit(10, 3, TICKET_MAX_BYTES - 10), Ok(()));
        assert_eq!(
            admit(11, 3, TICKET_MAX_BYTES - 10),
            Err(Refusal::TicketFull)
        );
        assert_eq!(Refusal::TooLarge.code(), "too_large");
    }

    #[test]
    fn names_lose_paths_control_characters_and_excess_but_keep_the_extension() {
        assert_eq!(
            clean_name("C:\\Users\\ivan\\Фото 1.jpg").as_deref(),
            Some("Фото 1.jpg")
        );
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_name("a\"b\r\nc.txt").as_deref(), Some("a b c.txt"));
        assert_eq!(clean_name(".htaccess").as_deref(), Some("htaccess"));
        assert_eq!(clean_name("  /  "), None);
        assert_eq!(clean_name(""), None);
        let long = format!("{}.pdf", "я".repeat(300));
        let cut = clean_name(&long).unwrap_or_default();
        assert_eq!(cut.chars().count(), NAME_MAX);
        assert!(cut.ends_with("я.pdf"));
    }

    #[test]
    fn images_show_inline_and_the_rest_downloads_under_an_escaped_name() {
        assert_eq!(
            disposition("photo.jpg", true),
            "inline; filename=\"photo.jpg\"; filename*=UTF-8''photo.jpg"
        );
        assert_eq!(
            disposition("Счёт 5.pdf", false),
            "attachment; filename=\"____ 5.pdf\"; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%205.pdf"
        );
        assert!(disposition("a;b=c.txt", false).contains("filename*=UTF-8''a%3Bb%3Dc.txt"));
    }
}
