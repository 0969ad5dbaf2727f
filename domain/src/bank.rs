//! Bank statements in 1C's exchange format (`1CClientBankExchange`, version 1.03) and how an
//! incoming payment is matched to an invoice: by the invoice's number in the payment's purpose,
//! the payer's ИНН and the amount.

use chrono::NaiveDate;

/// Why a statement file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementError {
    /// The first line is not `1CClientBankExchange`.
    NotExchange,
    /// `Кодировка=DOS` (CP866) files are not read; banks export Windows or UTF-8.
    Encoding,
    /// A document without its end, or a line that is not `key=value`.
    Malformed { line: usize },
    /// A document's field could not be read (`Сумма`, `Дата`, …).
    Field { line: usize, field: &'static str },
}

impl StatementError {
    pub fn code(&self) -> &'static str {
        match self {
            StatementError::NotExchange => "not_1c_exchange",
            StatementError::Encoding => "encoding",
            StatementError::Malformed { .. } => "malformed",
            StatementError::Field { .. } => "field",
        }
    }

    /// The line (1-based) the refusal is about, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            StatementError::Malformed { line } | StatementError::Field { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Windows-1251's upper half from 0x80 to 0xBF (0xC0..=0xFF are А..я in order).
const CP1251_HIGH: [u16; 64] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039,
    0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408,
    0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB,
    0x0458, 0x0405, 0x0455, 0x0457,
];

fn cp1251(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0..=0x7F => char::from(b),
            0x80..=0xBF => {
                char::from_u32(u32::from(CP1251_HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}')
            }
            _ => char::from_u32(0x0410 + u32::from(b - 0xC0)).unwrap_or('\u{FFFD}'),
        })
        .collect()
}

/// The file's text: UTF-8 (with or without a BOM) when it is valid UTF-8, Windows-1251
/// otherwise; a file that says `Кодировка=DOS` is refused.
pub fn decode(bytes: &[u8]) -> Result<String, StatementError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{FEFF}').to_owned(),
        Err(_) => cp1251(bytes),
    };
    if text
        .lines()
        .take(10)
        .any(|l| l.trim().eq_ignore_ascii_case("Кодировка=DOS"))
    {
        return Err(StatementError::Encoding);
    }
    Ok(text)
}

/// One payment document of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub kind: String,
    pub number: String,
    pub date: NaiveDate,
    /// In kopecks.
    pub amount_minor: i64,
    pub payer_account: String,
    pub payer_inn: String,
    pub payer_name: String,
    pub payee_account: String,
    pub payee_inn: String,
    pub purpose: String,
    /// When the money arrived (`ДатаПоступило`), if the bank says.
    pub received: Option<NaiveDate>,
}

impl Document {
    /// The key that makes a payment the same one in two files: number, date and payer account.
    pub fn key(&self) -> String {
        format!("{}|{}|{}", self.number, self.date, self.payer_account)
    }
}

/// A statement: the accounts it covers and its documents, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statement {
    pub version: String,
    pub accounts: Vec<String>,
    pub documents: Vec<Document>,
}

fn date(v: &str, line: usize, field: &'static str) -> Result<NaiveDate, StatementError> {
    NaiveDate::parse_from_str(v.trim(), "%d.%m.%Y")
        .map_err(|_| StatementError::Field { line, field })
}

/// `1200.5`, `1200.50`, `1200,50` or `1200` rubles → kopecks.
fn amount(v: &str, line: usize) -> Result<i64, StatementError> {
    let bad = StatementError::Field {
        line,
        field: "Сумма",
    };
    let v = v.trim().replace(',', ".");
    let (rub, kop) = v.split_once('.').unwrap_or((&v, ""));
    if rub.is_empty() || rub.len() > 13 || kop.len() > 2 {
        return Err(bad);
    }
    if !rub.bytes().chain(kop.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad);
    }
    let rub: i64 = rub.parse().map_err(|_| bad.clone())?;
    let kop: i64 = format!("{kop:0<2}").parse().map_err(|_| bad)?;
    Ok(rub * 100 + kop)
}

#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, k: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == k)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The purpose: `НазначениеПлатежа`, or its parts `НазначениеПлатежа1..6` joined.
    fn purpose(&self) -> String {
        let whole = self.get("НазначениеПлатежа");
        if !whole.is_empty() {
            return whole.to_owned();
        }
        (1..=6)
            .map(|i| self.get(&format!("НазначениеПлатежа{i}")))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn either(&self, a: &str, b: &str) -> String {
        let v = self.get(a);
        if v.is_empty() { self.get(b) } else { v }.trim().to_owned()
    }

    fn document(self, kind: String, line: usize) -> Result<Document, StatementError> {
        let received = match self.get("ДатаПоступило").trim() {
            "" => None,
            v => Some(date(v, line, "ДатаПоступило")?),
        };
        let payer_name = match self.get("Плательщик1") {
            "" => self.get("Плательщик"),
            v => v,
        };
        Ok(Document {
            kind,
            number: self.get("Номер").trim().to_owned(),
            date: date(self.get("Дата"), line, "Дата")?,
            amount_minor: amount(self.get("Сумма"), line)?,
            payer_account: self.either("ПлательщикСчет", "ПлательщикРасчСчет"),
            payer_inn: self.get("ПлательщикИНН").trim().to_owned(),
            payer_name: payer_name.trim().to_owned(),
            payee_account: self.either("ПолучательСчет", "ПолучательРасчСчет"),
            payee_inn: self.get("ПолучательИНН").trim().to_owned(),
            purpose: self.purpose().trim().to_owned(),
            received,
        })
    }
}

/// Reads a statement's text (see [`decode`]).
pub fn parse(text: &str) -> Result<Statement, StatementError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    match lines.next() {
        Some((_, "1CClientBankExchange")) => {}
        _ => return Err(StatementError::NotExchange),
    }
    let mut st = Statement::default();
    // The open document: its kind, first line and fields.
    let mut open: Option<(String, usize, Fields)> = None;
    let mut in_account = false;
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        match line {
            "КонецФайла" => break,
            "СекцияРасчСчет" => in_account = true,
            "КонецРасчСчет" => in_account = false,
            "КонецДокумента" => {
                let (kind, at, fields) =
                    open.take().ok_or(StatementError::Malformed { line: n })?;
                st.documents.push(fields.document(kind, at)?);
            }
            _ => {
                let (k, v) = line
                    .split_once('=')
                    .ok_or(StatementError::Malformed { line: n })?;
                if k == "СекцияДокумент" {
                    if open.is_some() {
                        return Err(StatementError::Malformed { line: n });
                    }
                    open = Some((v.to_owned(), n, Fields::default()));
                } else if let Some((_, _, f)) = open.as_mut() {
                    f.0.push((k.to_owned(), v.to_owned()));
                } else if k == "ВерсияФормата" {
                    st.version = v.to_owned();
                } else if k == "РасчСчет" && !in_account {
                    st.accounts.push(v.trim().to_owned());
                }
            }
        }
    }
    match open {
        Some((_, at, _)) => Err(StatementError::Malformed { line: at }),
        None => Ok(st),
    }
}

/// The invoice numbers a purpose names: a number right after `№`, `N`, `No`, `#` or
/// `счет`/`счёт`/`сч.` (`Оплата по счету № 15 от 03.12.2026`, `сч.15`, `Счёт N15`).
pub fn invoice_numbers(purpose: &str) -> Vec<u32> {
    let lower = purpose.to_lowercase().replace('ё', "е");
    let mut found = Vec::new();
    for marker in ["№", "n", "no", "#", "счет", "сч.", "сч"] {
        let mut rest = lower.as_str();
        while let Some(i) = rest.find(marker) {
            let before_ok = lower.len() - rest.len() + i == 0
                || !rest[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            rest = &rest[i + marker.len()..];
            if !before_ok {
                continue;
            }
            let after =
                rest.trim_start_matches(|c: char| c == '.' || c == ':' || c.is_whitespace());
            let after = after.strip_prefix('№').unwrap_or(after).trim_start();
            let number: String = after.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = number.parse::<u32>() {
                if !found.contains(&n) {
                    found.push(n);
                }
            }
        }
    }
    found
}

/// An invoice waiting for its transfer, as matching sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: i64,
    pub number: u32,
    pub year: i32,
    /// The buyer's ИНН.
    pub inn: String,
    pub amount_minor: i64,
}

/// What an incoming payment is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// It pays this invoice exactly.
    Paid { invoice: i64 },
    /// It names this invoice and comes from its buyer, but the amount differs (`difference` =
    /// paid − due: negative when short).
    Differs { invoice: i64, difference: i64 },
    /// Nothing it could pay: why.
    Unmatched(Unmatched),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmatched {
    /// The purpose names no invoice number.
    NoNumber,
    /// No invoice waiting with that number.
    UnknownInvoice,
    /// Invoices with that number wait, but for another buyer's ИНН.
    OtherPayer,
}

impl Unmatched {
    pub const fn code(self) -> &'static str {
        match self {
            Unmatched::NoNumber => "no_invoice_number",
            Unmatched::UnknownInvoice => "unknown_invoice",
            Unmatched::OtherPayer => "other_payer",
        }
    }
}

/// Matches a payment to the invoices waiting: the number named in the purpose and the payer's
/// ИНН must both agree; among several (numbers restart every year) the invoice of the year
/// the purpose mentions, else the payment's year, else the newest.
pub fn match_payment(doc: &Document, open: &[OpenInvoice]) -> Match {
    let numbers = invoice_numbers(&doc.purpose);
    if numbers.is_empty() {
        return Match::Unmatched(Unmatched::NoNumber);
    }
    let named: Vec<&OpenInvoice> = open
        .iter()
        .filter(|i| numbers.contains(&i.number))
        .collect();
    if named.is_empty() {
        return Match::Unmatched(Unmatched::UnknownInvoice);
    }
    let mut theirs: Vec<&OpenInvoice> = named
        .into_iter()
        .filter(|i| i.inn == doc.payer_inn)
        .collect();
    if theirs.is_empty() {
        return Match::Unmatched(Unmatched::OtherPayer);
    }
    let year_named = |y: i32| doc.purpose.contains(&format!(".{y}"));
    let doc_year = chrono::Datelike::year(&doc.date);
    theirs.sort_by_key(|i| {
        (
            !year_named(i.year),
            i.year != doc_year,
            i.amount_minor != doc.amount_minor,
            -i.id,
        )
    });
    let best = theirs[0];
    if best.amount_minor == doc.amount_minor {
        Match::Paid { invoice: best.id }
    } else {
        Match::Differs {
            invoice: best.id,
            difference: doc.amount_minor - best.amount_minor,
        }
    }
}

#[cfg(test)]
mod tests;
