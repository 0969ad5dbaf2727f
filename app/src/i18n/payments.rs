//! Buying points: packs, checkout, purchases and receipts.
//!
//! One row per message: its key, then its words in each language of
//! `pointdesk_api::messages::Lang` (English, Russian). `i18n/mod.rs` gathers every file's rows
//! into the one `Msg`.

macro_rules! payments_rows {
    ($then:ident [$($rows:tt)*] $($rest:ident)*) => { $then! { [$($rows)*
        DateLabel => ["Date", "Дата"],
        BuyIntro => ["Bought points never expire; they are spent after your monthly allotment.", "Купленные баллы не сгорают и тратятся после месячного пакета."],
        Buy => ["Buy", "Купить"],
        NoPacks => ["No packs on sale yet.", "Пакетов в продаже пока нет."],
        NoPurchases => ["No purchases yet.", "Покупок пока нет."],
        Receipt => ["Receipt", "Чек"],
        PayPending => ["Waiting for the payment to be confirmed…", "Ждём подтверждения оплаты…"],
        PayCredited => ["Paid. Credited to your balance:", "Оплачено. На баланс зачислено:"],
        PayFailed => ["The payment did not go through. Your balance has not changed.", "Оплата не прошла. Баланс не изменился."],
        PayCanceled => ["The payment was cancelled. Your balance has not changed.", "Оплата отменена. Баланс не изменился."],
        PurchasePending => ["Awaiting payment", "Ожидает оплаты"],
        PurchaseSucceeded => ["Credited", "Зачислено"],
        PurchaseFailed => ["Failed", "Не прошла"],
        PurchaseCanceled => ["Cancelled", "Отменена"],
        Pack => ["Pack", "Пакет"],
        Price => ["Price", "Цена"],
        Currency => ["Currency", "Валюта"],
        Buyer => ["Bought by", "Покупатель"],
        PaymentRef => ["Payment", "Платёж"],
        BalanceNow => ["Balance after the top-up", "Баланс после пополнения"],
        BackToTicket => ["Back to the ticket", "Вернуться к заявке"],
        OnSale => ["On sale", "В продаже"],
        AddPack => ["Add a pack", "Добавить пакет"],
        VatTitle => ["Receipts (54-FZ)", "Чеки (54-ФЗ)"],
        VatHint => ["VAT on the receipts of card payments in roubles", "НДС в чеках при оплате картой в рублях"],
        Vat => ["VAT", "НДС"],
        NoVat => ["No VAT", "Без НДС"],
    ] $($rest)* } };
}
