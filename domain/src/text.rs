//! What counts as visible text: a title, a name or a comment made only of invisible or
//! formatting characters reads as empty to a person and is refused like an empty one.

/// Unicode's format characters (general category Cf, Unicode 15.1) and the fillers that render
/// as nothing (Hangul fillers, the braille blank, the combining grapheme joiner).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Has at least one character a reader sees (not white space, not invisible).
pub fn has_visible(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_formatting_characters_is_nothing_to_read() {
        for blank in [
            "\u{200B}",
            "\u{2060}\u{2060}",
            "\u{FEFF}",
            "\u{202E}",
            " \u{200D} \u{00AD} ",
            "\u{E0041}\u{E0042}",
            "\u{3164}",
        ] {
            assert!(!has_visible(blank), "{blank:?}");
        }
        for seen in ["a", "\u{202E}abc", "Принтер", "\u{200B}1", "🙂", "٠"] {
            assert!(has_visible(seen), "{seen:?}");
        }
    }
}
