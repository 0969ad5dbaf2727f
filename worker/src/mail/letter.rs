//! What a mail says, in one language or in each.

/// One mail in one language.
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// A notice worded in each language Pointdesk speaks, to be stored for people who read either.
pub struct Wording {
    /// The notice's kind, as the notification centre and preferences name it.
    pub kind: &'static str,
    pub ru: Letter,
    pub en: Letter,
}

/// `12.50` for English readers, `12,50` for Russian ones.
pub fn local_points(p: pointdesk_domain::points::Points, locale: &str) -> String {
    let s = p.to_string();
    if locale == "ru" {
        s.replace('.', ",")
    } else {
        s
    }
}
