//! What a file is, told by its first bytes rather than its name or the type its sender claimed
//! (issue 23: attachments). Only the kinds a browser shows safely are images; everything else is
//! served as a download.

/// A file's kind as its content says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    /// A phone camera's HEIC/HEIF: an image, but most browsers cannot show it.
    Heic,
    Pdf,
    /// ZIP and the office formats built on it (docx, xlsx, odt).
    Zip,
    /// UTF-8 text without NUL bytes (logs, CSV; an SVG too: it is never shown inline).
    Text,
    Other,
}

impl FileKind {
    /// The `Content-Type` it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Heic => "image/heic",
            FileKind::Pdf => "application/pdf",
            FileKind::Zip => "application/zip",
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Other => "application/octet-stream",
        }
    }

    /// Shown in the page (a thumbnail, `Content-Disposition: inline`); anything else downloads.
    pub fn inline(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp
        )
    }
}

/// The kind of a file whose first bytes are `head` (512 are enough).
pub fn sniff(head: &[u8]) -> FileKind {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        FileKind::Png
    } else if starts(b"\xff\xd8\xff") {
        FileKind::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileKind::Gif
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        FileKind::Webp
    } else if head.len() >= 12
        && &head[4..8] == b"ftyp"
        && matches!(
            &head[8..12],
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc"
        )
    {
        FileKind::Heic
    } else if starts(b"%PDF-") {
        FileKind::Pdf
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        FileKind::Zip
    } else if !head.contains(&0) && text_prefix(head) {
        FileKind::Text
    } else {
        FileKind::Other
    }
}

/// UTF-8 up to the end of `head`, allowing a character cut off at the end.
fn text_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FileKind::Png);
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), FileKind::Jpeg);
        assert_eq!(sniff(b"GIF89a\x01\0"), FileKind::Gif);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), FileKind::Webp);
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), FileKind::Heic);
        assert_eq!(sniff(b"%PDF-1.7\n"), FileKind::Pdf);
        assert_eq!(sniff(b"PK\x03\x04\x14\0\x06\0"), FileKind::Zip);
        assert_eq!(sniff("Ошибка 0x80070005\n".as_bytes()), FileKind::Text);
        // A Cyrillic letter cut in half by the 512-byte window is still text.
        assert_eq!(sniff(&"ж".as_bytes()[..1]), FileKind::Text);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), FileKind::Other);
        assert_eq!(sniff(b""), FileKind::Text);
    }

    #[test]
    fn only_plain_images_are_shown_inline() {
        assert!(FileKind::Png.inline() && FileKind::Jpeg.inline());
        // An SVG is text: it could carry script, so it downloads.
        let svg = sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
        assert_eq!(svg, FileKind::Text);
        assert!(!svg.inline());
        assert!(!FileKind::Heic.inline() && !FileKind::Pdf.inline());
        assert_eq!(FileKind::Other.mime(), "application/octet-stream");
    }
}
