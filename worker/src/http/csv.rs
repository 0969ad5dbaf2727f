//! CSV downloads in the reader's convention. Excel in a Russian locale splits fields on `;`
//! and reads `3,50` as a number, so a Russian reader gets `;`, decimal commas and Russian
//! headers; everyone else `,`, decimal points and English. Both start with a byte-order mark
//! (Excel reads UTF-8 Cyrillic only with it). Files are named
//! `pointdesk-<subject>-<period>.csv` with the subject transliterated to ASCII.

use worker::Response;

use crate::error::AppResult;

/// One CSV document on its way.
pub struct Csv {
    out: String,
    ru: bool,
}

impl Csv {
    /// A document for a reader of `locale`, headed by each column's (English, Russian) name.
    pub fn new(locale: &str, head: &[(&str, &str)]) -> Csv {
        let mut csv = Csv {
            out: String::new(),
            ru: locale == "ru",
        };
        let names: Vec<(&str, bool)> = head
            .iter()
            .map(|(en, ru)| (if csv.ru { *ru } else { *en }, false))
            .collect();
        csv.row(&names);
        csv
    }

    /// A number in the reader's notation (`3.50` → `3,50` for a Russian reader).
    pub fn num(&self, n: impl ToString) -> String {
        let s = n.to_string();
        if self.ru {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// One row; `true` marks free text (guarded against spreadsheet formulas).
    pub fn row(&mut self, fields: &[(&str, bool)]) {
        let sep = if self.ru { ';' } else { ',' };
        for (i, (v, text)) in fields.iter().enumerate() {
            if i > 0 {
                self.out.push(sep);
            }
            field(&mut self.out, v, *text, sep);
        }
        self.out.push_str("\r\n");
    }

    /// The download: `pointdesk-<subject>-<period>.csv`.
    pub fn into_response(self, subject: &str, period: &str) -> AppResult<Response> {
        let name = format!("pointdesk-{}-{period}.csv", slug(subject));
        let mut resp = Response::ok(format!("\u{feff}{}", self.out))?;
        let h = resp.headers_mut();
        h.set("content-type", "text/csv; charset=utf-8")?;
        h.set(
            "content-disposition",
            &format!("attachment; filename=\"{name}\""),
        )?;
        h.set("cache-control", "no-store")?;
        Ok(resp)
    }

    #[cfg(test)]
    fn text(&self) -> &str {
        &self.out
    }
}

/// One field: quoted when it must be; text a spreadsheet would run as a formula starts with an
/// apostrophe.
fn field(out: &mut String, v: &str, text: bool, sep: char) {
    let guarded;
    let v = if text && v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{v}");
        guarded.as_str()
    } else {
        v
    };
    if v.contains([sep, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// `Клиника «Здоровье»` → `klinika-zdorove`: lower-case ASCII letters and digits joined by
/// single hyphens, Russian transliterated.
pub fn slug(name: &str) -> String {
    const RU: [(char, &str); 33] = [
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "shch"),
        ('ъ', ""),
        ('ы', "y"),
        ('ь', ""),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
    ];
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some((_, latin)) = RU.iter().find(|(r, _)| *r == c) {
            out.push_str(latin);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "export".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_russian_reader_gets_semicolons_decimal_commas_and_russian_headers() {
        let mut csv = Csv::new("ru", &[("amount", "Сумма"), ("reason", "Основание")]);
        let n = csv.num("-1.50");
        csv.row(&[(&n, false), ("Замена; картриджа", true)]);
        assert_eq!(
            csv.text(),
            "Сумма;Основание\r\n-1,50;\"Замена; картриджа\"\r\n"
        );
    }

    #[test]
    fn others_get_commas_points_english_and_formulas_are_guarded() {
        let mut csv = Csv::new("en", &[("amount", "Сумма"), ("reason", "Основание")]);
        let n = csv.num("-1.50");
        csv.row(&[(&n, false), ("=HYPERLINK(\"x\"), b", true)]);
        assert_eq!(
            csv.text(),
            "amount,reason\r\n-1.50,\"'=HYPERLINK(\"\"x\"\"), b\"\r\n"
        );
    }

    #[test]
    fn names_are_transliterated_ascii() {
        assert_eq!(slug("Клиника «Здоровье»"), "klinika-zdorove");
        assert_eq!(slug("Acme Corp."), "acme-corp");
        assert_eq!(slug("«»"), "export");
    }
}
