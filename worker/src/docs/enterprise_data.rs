//! Invoices, payments and acts of a period in 1C's EnterpriseData exchange format (1.8), which
//! 1C:Бухгалтерия 3.0 loads through «Загрузка данных из файла» (universal exchange): counterparties
//! (`Справочник.Контрагенты`), invoices (`Документ.СчетНаОплатуПокупателю`), bank receipts
//! (`Документ.ПоступлениеБезналичныхДенежныхСредств`), card receipts
//! (`Документ.ОперацияПоПлатежнойКарте`) and acts (`Документ.РеализацияТоваровУслуг`, services).
//! CommerceML 2 was not chosen: it describes a web shop's catalogue and orders, not payments or
//! closing documents. Every object's `Ссылка` is a UUID derived from the deployment and the
//! object, so exporting the same period twice updates the same objects in 1C instead of
//! doubling them.

use pointdesk_api::invoices::{ActDto, ClientRequisitesDto, ProviderRequisitesDto};

use super::escape as e;

/// A payment that credited points: an invoice's transfer or a card payment.
pub struct ExportPayment {
    pub id: i64,
    pub gateway: String,
    /// ISO 4217 numeric code (643 RUB, 978 EUR, 840 USD).
    pub currency: &'static str,
    /// `YYYY-MM-DD` in the provider's zone.
    pub date: String,
    pub amount_minor: i64,
    pub buyer: ClientRequisitesDto,
    pub buyer_name: String,
    /// The invoice it paid: (purchase id, number, issued on).
    pub invoice: Option<(i64, i64, String)>,
    pub reference: String,
}

pub struct ExportInvoice {
    pub id: i64,
    pub number: i64,
    pub issued_on: String,
    pub description: String,
    pub points: i64,
    pub amount_minor: i64,
    pub vat: String,
    pub vat_minor: i64,
    pub buyer: ClientRequisitesDto,
}

pub struct ExportData {
    pub deployment: String,
    pub created: String,
    pub seller: ProviderRequisitesDto,
    pub invoices: Vec<ExportInvoice>,
    pub payments: Vec<ExportPayment>,
    pub acts: Vec<ActDto>,
}

/// A stable UUID for an object of this deployment (SHA-256 of its name, shaped as version 8).
fn uuid(deployment: &str, what: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("pointdesk:{deployment}:{what}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn sum(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

fn vat_rate(vat: &str) -> String {
    if vat == "none" {
        "БезНДС".to_owned()
    } else {
        format!("НДС{vat}")
    }
}

fn organisation(s: &ProviderRequisitesDto) -> String {
    format!(
        "<Организация><Наименование>{}</Наименование><НаименованиеПолное>{}</НаименованиеПолное>\
         <ИНН>{}</ИНН><КПП>{}</КПП></Организация>",
        e(&s.legal_name),
        e(&s.legal_name),
        e(&s.inn),
        e(&s.kpp)
    )
}

fn counterparty(dep: &str, b: &ClientRequisitesDto, name: &str) -> String {
    let kind = if b.inn.len() == 12 {
        "ФизическоеЛицо"
    } else {
        "ЮридическоеЛицо"
    };
    let title = if b.legal_name.is_empty() {
        name
    } else {
        &b.legal_name
    };
    format!(
        "<Контрагент><Ссылка>{}</Ссылка><Наименование>{}</Наименование>\
         <НаименованиеПолное>{}</НаименованиеПолное><ИНН>{}</ИНН><КПП>{}</КПП>\
         <ЮридическоеФизическоеЛицо>{kind}</ЮридическоеФизическоеЛицо></Контрагент>",
        uuid(dep, &format!("counterparty:{}", b.inn)),
        e(title),
        e(title),
        e(&b.inn),
        e(&b.kpp)
    )
}

fn service(what: &str, points: i64, amount: i64, vat: &str, vat_minor: i64) -> String {
    format!(
        "<Строка><Номенклатура><Наименование>{}</Наименование><ЕдиницаИзмерения>чел.-ч</ЕдиницаИзмерения>\
         </Номенклатура><Содержание>{}</Содержание><Количество>{}</Количество><Сумма>{}</Сумма>\
         <СтавкаНДС>{}</СтавкаНДС><СуммаНДС>{}</СуммаНДС></Строка>",
        e("Техническая поддержка (баллы)"),
        e(what),
        sum(points),
        sum(amount),
        vat_rate(vat),
        sum(vat_minor)
    )
}

/// The whole message.
pub fn enterprise_data(d: &ExportData) -> String {
    let dep = d.deployment.as_str();
    let org = organisation(&d.seller);
    let mut body = String::new();
    for i in &d.invoices {
        body.push_str(&format!(
            "<Документ.СчетНаОплатуПокупателю><КлючевыеСвойства><Ссылка>{}</Ссылка>\
             <Дата>{}T00:00:00</Дата><Номер>{}</Номер>{org}</КлючевыеСвойства>\
             <Валюта><Код>643</Код></Валюта><Сумма>{}</Сумма>{}<Услуги>{}</Услуги>\
             </Документ.СчетНаОплатуПокупателю>",
            uuid(dep, &format!("invoice:{}", i.id)),
            i.issued_on,
            i.number,
            sum(i.amount_minor),
            counterparty(dep, &i.buyer, &i.buyer.legal_name),
            service(
                &i.description,
                i.points,
                i.amount_minor,
                &i.vat,
                i.vat_minor
            ),
        ));
    }
    for p in &d.payments {
        let (kind, operation) = if p.gateway == "invoice" {
            (
                "Документ.ПоступлениеБезналичныхДенежныхСредств",
                "ПоступлениеОплатыОтКлиента",
            )
        } else {
            (
                "Документ.ОперацияПоПлатежнойКарте",
                "ПоступлениеОплатыОтКлиента",
            )
        };
        let basis = p.invoice.as_ref().map_or(String::new(), |(id, n, on)| {
            format!(
                "<ДокументОснование><Ссылка>{}</Ссылка><Номер>{n}</Номер><Дата>{on}T00:00:00</Дата></ДокументОснование>",
                uuid(dep, &format!("invoice:{id}"))
            )
        });
        body.push_str(&format!(
            "<{kind}><КлючевыеСвойства><Ссылка>{}</Ссылка><Дата>{}T00:00:00</Дата>\
             <Номер>{}</Номер>{org}</КлючевыеСвойства><ВидОперации>{operation}</ВидОперации>\
             <Валюта><Код>{}</Код></Валюта><Сумма>{}</Сумма>{}{basis}\
             <НазначениеПлатежа>{}</НазначениеПлатежа></{kind}>",
            uuid(dep, &format!("payment:{}", p.id)),
            p.date,
            p.id,
            p.currency,
            sum(p.amount_minor),
            counterparty(dep, &p.buyer, &p.buyer_name),
            e(&p.reference),
        ));
    }
    for a in &d.acts {
        let lines: String = a
            .lines
            .iter()
            .map(|l| {
                let what = match l.ticket {
                    Some(t) => format!("Заявка #{t}: {}", l.description),
                    None => l.description.clone(),
                };
                service(&what, l.points.0.hundredths(), l.amount_minor, &a.vat, 0)
            })
            .collect();
        body.push_str(&format!(
            "<Документ.РеализацияТоваровУслуг><КлючевыеСвойства><Ссылка>{}</Ссылка>\
             <Дата>{}T23:59:59</Дата><Номер>{}</Номер>{org}</КлючевыеСвойства>\
             <ВидОперации>Услуги</ВидОперации><Валюта><Код>643</Код></Валюта><Сумма>{}</Сумма>\
             <СуммаНДС>{}</СуммаНДС>{}<Услуги>{lines}</Услуги></Документ.РеализацияТоваровУслуг>",
            uuid(dep, &format!("act:{}:{}", a.org_id, a.period)),
            a.issued_on.as_deref().unwrap_or_default(),
            a.number.unwrap_or_default(),
            sum(a.amount_minor),
            sum(a.vat_minor),
            counterparty(dep, &a.buyer, &a.buyer.legal_name),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Message xmlns:msg=\"http://www.1c.ru/SSL/Exchange/Message\" \
         xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <msg:Header><msg:Format>http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.8</msg:Format>\
         <msg:CreationDate>{}</msg:CreationDate><msg:AvailableVersion>1.8</msg:AvailableVersion></msg:Header>\
         <Body xmlns=\"http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.8\">{body}</Body></Message>\n",
        d.created
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_stable_uuids() {
        let a = uuid("dep", "invoice:1");
        assert_eq!(a, uuid("dep", "invoice:1"));
        assert_ne!(a, uuid("dep", "invoice:2"));
        assert_ne!(a, uuid("other", "invoice:1"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert_eq!(sum(1_200_050), "12000.50");
    }
}
