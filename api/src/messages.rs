//! Messages stated once: a row per message with its key and its text in every language the
//! product speaks, in the order of [`Lang`]. The app's screens and the worker's mail are worded
//! with [`messages!`](crate::messages), so a third language is one more column in every row (a
//! row with a column missing does not compile).

/// The languages, in the order of every row's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The column of this language in a row.
    pub const fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Ru => 1,
        }
    }

    /// The BCP 47 tag.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// A stored or asked-for language (`ru`, `ru-RU`, `en_GB`); `None` for one not spoken.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }
}

/// One row of every language's words, in the order of [`Lang::ALL`].
pub type Row = [&'static str; Lang::ALL.len()];

/// Declares an enum of messages and its `text(lang)`:
///
/// ```
/// pointdesk_api::messages! {
///     /// Words of the example.
///     pub enum Example {
///         Hello => ["Hello", "Здравствуйте"],
///     }
/// }
/// assert_eq!(Example::Hello.text(pointdesk_api::messages::Lang::Ru), "Здравствуйте");
/// ```
#[macro_export]
macro_rules! messages {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($key:ident => [$($text:literal),+ $(,)?]),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($key,)*
        }

        impl $name {
            /// The message's words in `lang`.
            pub const fn text(self, lang: $crate::messages::Lang) -> &'static str {
                // One table of rows, indexed by the message: data in the binary, not a `match`
                // compiled to code (the app's wasm is smaller for it).
                const ROWS: &[$crate::messages::Row] = &[$([$($text),+],)*];
                ROWS[self as usize][lang.index()]
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Lang;

    crate::messages! {
        enum Words {
            One => ["one", "один"],
            Two => ["two", "два"],
        }
    }

    #[test]
    fn a_row_answers_in_each_language() {
        assert_eq!(Words::One.text(Lang::En), "one");
        assert_eq!(Words::Two.text(Lang::Ru), "два");
        assert_eq!(Lang::from_tag("ru-RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_tag("de"), None);
    }
}
