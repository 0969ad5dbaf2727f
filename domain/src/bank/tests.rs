use super::*;

const SAMPLE: &str = "1CClientBankExchange
ВерсияФормата=1.03
Кодировка=Windows
Отправитель=Бухгалтерия предприятия, редакция 3.0
Получатель=
ДатаСоздания=04.12.2026
ДатаНачала=01.12.2026
ДатаКонца=04.12.2026
РасчСчет=40702810900000000001
СекцияРасчСчет
ДатаНачала=01.12.2026
ДатаКонца=04.12.2026
РасчСчет=40702810900000000001
НачальныйОстаток=0.00
КонецРасчСчет
СекцияДокумент=Платежное поручение
Номер=512
Дата=03.12.2026
Сумма=12000.00
ПлательщикСчет=40702810500000000777
Плательщик=ИНН 7707083893 ООО \"Ромашка\"
ПлательщикИНН=7707083893
Плательщик1=ООО \"Ромашка\"
ПолучательСчет=40702810900000000001
ДатаПоступило=04.12.2026
ПолучательИНН=7736207543
НазначениеПлатежа=Оплата по счету № 15 от 03.12.2026 за поддержку. Без налога (НДС)
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=77
Дата=03.12.2026
Сумма=999,5
ПлательщикСчет=40702810500000000888
ПлательщикИНН=500100732259
Плательщик1=ИП Иванов
ПолучательСчет=40702810900000000001
НазначениеПлатежа1=Оплата сч.16
НазначениеПлатежа2=НДС не облагается
КонецДокумента
КонецФайла
";

#[test]
fn a_statement_reads_its_accounts_and_documents() {
    let st = parse(SAMPLE).unwrap();
    assert_eq!(st.version, "1.03");
    assert_eq!(st.accounts, vec!["40702810900000000001".to_owned()]);
    assert_eq!(st.documents.len(), 2);
    let d = &st.documents[0];
    assert_eq!(d.number, "512");
    assert_eq!(d.amount_minor, 1_200_000);
    assert_eq!(d.payer_inn, "7707083893");
    assert_eq!(d.payer_name, "ООО \"Ромашка\"");
    assert_eq!(d.received, NaiveDate::from_ymd_opt(2026, 12, 4));
    assert_eq!(d.key(), "512|2026-12-03|40702810500000000777");
    let e = &st.documents[1];
    assert_eq!(e.amount_minor, 99_950);
    assert_eq!(e.purpose, "Оплата сч.16 НДС не облагается");
}

#[test]
fn windows_1251_and_utf8_read_the_same() {
    // Encode the sample as Windows-1251 by the inverse of the table.
    let bytes: Vec<u8> = SAMPLE
        .chars()
        .map(|c| match c as u32 {
            0..=0x7F => c as u8,
            0x0410..=0x044F => (c as u32 - 0x0410 + 0xC0) as u8,
            u => 0x80 + CP1251_HIGH.iter().position(|h| u32::from(*h) == u).unwrap() as u8,
        })
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(decode(&bytes).unwrap(), SAMPLE);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(SAMPLE.as_bytes());
    assert_eq!(decode(&bom).unwrap(), SAMPLE);
    assert_eq!(
        decode("1CClientBankExchange\nКодировка=DOS\n".as_bytes()),
        Err(StatementError::Encoding)
    );
}

#[test]
fn broken_files_say_where() {
    assert_eq!(parse("hello"), Err(StatementError::NotExchange));
    let unclosed = "1CClientBankExchange\nСекцияДокумент=Платежное поручение\nНомер=1\n";
    assert_eq!(parse(unclosed), Err(StatementError::Malformed { line: 2 }));
    let bad_sum = "1CClientBankExchange\nСекцияДокумент=П\nНомер=1\nДата=01.12.2026\nСумма=12a\nКонецДокумента\n";
    assert_eq!(
        parse(bad_sum),
        Err(StatementError::Field {
            line: 2,
            field: "Сумма"
        })
    );
    let bad_date =
        "1CClientBankExchange\nСекцияДокумент=П\nДата=2026-12-01\nСумма=1\nКонецДокумента\n";
    assert_eq!(parse(bad_date).unwrap_err().code(), "field");
}

#[test]
fn invoice_numbers_are_found_in_the_usual_spellings() {
    assert_eq!(
        invoice_numbers("Оплата по счету № 15 от 03.12.2026"),
        vec![15]
    );
    assert_eq!(invoice_numbers("Оплата сч.16 НДС не облагается"), vec![16]);
    assert_eq!(invoice_numbers("Счёт N17"), vec![17]);
    assert_eq!(invoice_numbers("по счёту №18"), vec![18]);
    assert_eq!(invoice_numbers("invoice #19"), vec![19]);
    assert_eq!(
        invoice_numbers("Оплата за услуги, НДС 20% 200.00"),
        Vec::<u32>::new()
    );
}

fn invoice(id: i64, number: u32, year: i32, inn: &str, amount: i64) -> OpenInvoice {
    OpenInvoice {
        id,
        number,
        year,
        inn: inn.into(),
        amount_minor: amount,
    }
}

#[test]
fn a_payment_matches_by_number_payer_and_amount() {
    let st = parse(SAMPLE).unwrap();
    let d = &st.documents[0];
    let open = [
        invoice(1, 15, 2025, "7707083893", 1_200_000),
        invoice(2, 15, 2026, "7707083893", 1_200_000),
        invoice(3, 15, 2026, "500100732259", 1_200_000),
    ];
    // The year in the purpose picks 2026's № 15 of this payer.
    assert_eq!(match_payment(d, &open), Match::Paid { invoice: 2 });
    let short = Document {
        amount_minor: 1_199_900,
        ..d.clone()
    };
    assert_eq!(
        match_payment(&short, &open[1..2]),
        Match::Differs {
            invoice: 2,
            difference: -100
        }
    );
    assert_eq!(
        match_payment(d, &open[2..]),
        Match::Unmatched(Unmatched::OtherPayer)
    );
    assert_eq!(
        match_payment(&st.documents[1], &open),
        Match::Unmatched(Unmatched::UnknownInvoice)
    );
    let none = Document {
        purpose: "Оплата за услуги".into(),
        ..d.clone()
    };
    assert_eq!(
        match_payment(&none, &open),
        Match::Unmatched(Unmatched::NoNumber)
    );
}
