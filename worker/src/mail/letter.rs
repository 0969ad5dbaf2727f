//! What a mail says, in one language or in each, and how a row's words take their values.

use pointdesk_api::messages::Lang;

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

impl Wording {
    /// The notice of `kind` whose subject and body `words` give in each language.
    pub fn new(kind: &'static str, words: impl Fn(Lang) -> Letter) -> Wording {
        Wording {
            kind,
            ru: words(Lang::Ru),
            en: words(Lang::En),
        }
    }
}

/// `12.50` for English readers, `12,50` for Russian ones.
pub fn local_points(p: pointdesk_domain::points::Points, lang: Lang) -> String {
    let s = p.to_string();
    match lang {
        Lang::Ru => s.replace('.', ","),
        Lang::En => s,
    }
}

/// The words of a row with its `{name}`s replaced by their values, in one pass: a value is
/// never read again (a title that says `{no}` stays as it is); an unknown name stays too.
pub fn fill(words: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(words.len() + 32);
    let mut rest = words;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let found = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (close, *v))
        });
        match found {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn values_fill_their_names_once() {
        assert_eq!(
            fill(
                "#{no} «{title}» {x}",
                &[("no", "7"), ("title", "{no} left")]
            ),
            "#7 «{no} left» {x}"
        );
        assert_eq!(fill("{", &[]), "{");
    }
}
