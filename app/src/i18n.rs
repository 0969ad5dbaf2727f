//! The one translation layer: every user-visible string is a [`Msg`] with an English and a
//! Russian text (the match is exhaustive, so a missing translation does not compile), plus
//! locale-aware number and date formatting through the browser's `Intl`.

use leptos::prelude::*;

const STORAGE_KEY: &str = "pointdesk.locale";

pub use crate::locale::Locale;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    DateLabel,
    AmountPaid,
    NavPacks,
    BuyIntro,
    Buy,
    NoPacks,
    NoPurchases,
    Receipt,
    PayPending,
    PayCredited,
    PayFailed,
    PayCanceled,
    PsPending,
    PsSucceeded,
    PsFailed,
    PsCanceled,
    Pack,
    Price,
    Currency,
    Buyer,
    PaymentRef,
    BalanceNow,
    BackToTicket,
    OnSale,
    AddPack,
    Revenue,
    ErrUnsupported,
    PaymentGateway,
    PaymentNotConfigured,
    ThresholdLabel,
    ThresholdWord,
    Opened,
    Decided,
    BRollover,
    ErrZero,
    NavLedger,
    NavReports,
    NavNotifications,
    BalanceTitle,
    HeldBy,
    PeriodAllotment,
    PeriodUsed,
    Owed,
    RunOutNever,
    RunOutNow,
    RunOutOn,
    ExpireOn,
    ExpiryOf,
    ChartTitle,
    ChartSummary,
    ChartTo,
    Filters,
    AllKinds,
    Period,
    TicketNumber,
    Apply,
    DownloadCsv,
    Statement,
    LoadMore,
    NoEntries,
    BalanceAfter,
    FromBlocks,
    KGrant,
    KPurchase,
    KCharge,
    KRefund,
    KAdjustment,
    KExpiry,
    KRepayment,
    KPurchaseRefund,
    Opening,
    Closing,
    Grants,
    Purchases,
    ChargesByTicket,
    Expired,
    Print,
    AdjustTitle,
    AdjustHint,
    Amount,
    AdjustSave,
    AdjustDone,
    MarkAllRead,
    NoNotifications,
    EmailMe,
    NLowBalance,
    NExhausted,
    NCharge,
    NQuote,
    NDispute,
    NGrant,
    NAdjustment,
    NTopUp,
    NPurchaseRefunded,
    NRefund,
    NTicket,
    Consumption,
    Billable,
    NonBillable,
    Month,
    Client,
    BalancesReport,
    DisputesReport,
    StateOk,
    StateNear,
    StateBelow,
    StateExhausted,
    Outcome,
    AppName,
    Tagline,
    SkipToContent,
    NavHome,
    NavStatus,
    Menu,
    CloseMenu,
    Language,
    HomeTitle,
    HomeIntro,
    RuleIncidents,
    RuleRequests,
    RuleBalance,
    StatusTitle,
    StatusAllGood,
    StatusDegraded,
    Version,
    Database,
    KeyValueStore,
    Answers,
    NotAnswering,
    CheckedAt,
    Refresh,
    Loading,
    ErrorTitle,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    CalcTitle,
    CalcHint,
    CalcLogged,
    CalcIncrement,
    CalcMinimum,
    CalcSubmit,
    CalcInvalid,
    CalcResult,
    Minutes,
    Millis,
    Components,
    PointsUnit,
    RuleExact,
    RuleRoundedUp,
    RuleMinimum,
    NetworkError,
    NavSignIn,
    NavProfile,
    SignOut,
    SignInTitle,
    SignInIntro,
    Email,
    Password,
    SignInSubmit,
    ForgotPassword,
    WrongCredentials,
    OrganizationInactive,
    TryAgainIn,
    ForgotTitle,
    ForgotIntro,
    ForgotSubmit,
    ForgotSent,
    BackToSignIn,
    ResetTitle,
    NewPassword,
    PasswordHint,
    ResetSubmit,
    ResetDone,
    LinkInvalid,
    AcceptTitle,
    AcceptIntro,
    YourName,
    AcceptSubmit,
    ProfileTitle,
    Name,
    Save,
    Saved,
    VatTitle,
    VatHint,
    Vat,
    NoVat,
    ChangePasswordTitle,
    ChangePasswordHint,
    CurrentPassword,
    PasswordChanged,
    RoleManager,
    RoleEngineer,
    RoleClientAdmin,
    RoleClientUser,
    Welcome,
    HomeManager,
    HomeEngineer,
    HomeClientAdmin,
    HomeClientUser,
    SessionEnded,
    CheckFields,
    ErrRequired,
    ErrTooShort,
    ErrTooLong,
    ErrMalformedEmail,
    ErrMalformed,
    ErrWrongPassword,
    ErrTaken,
    ErrWrongType,
    ErrUnknownField,
    CrossSite,
    Role,
    Organization,
    NavClients,
    NavPlans,
    NavPeople,
    NavOutbox,
    NavAudit,
    NavSettings,
    AllotmentBase,
    AllotmentTotal,
    AllotmentShort,
    MonthlyAllotment,
    NewClient,
    Plan,
    Seats,
    SeatsWord,
    Create,
    Subscription,
    Balance,
    Threshold,
    ThresholdHint,
    ChangeSubscription,
    Options,
    Deactivated,
    Invited,
    Deactivate,
    InviteTitle,
    InviteHint,
    SendInvitation,
    InvitationSent,
    OutboxHint,
    OpenLink,
    Changes,
    LowBalanceAlerts,
    AlertRecipients,
    NewPlan,
    BasePoints,
    PerSeatPoints,
    ErrOutOfRange,
    ErrUnknown,
    ErrNotAllowed,
    Edit,
    EditPlan,
    RolloverRule,
    RolloverNone,
    RolloverCapped,
    RolloverFull,
    RolloverCap,
    OverdraftRule,
    OverdraftNever,
    OverdraftIncidents,
    OverdraftAlways,
    RolloverShort,
    OverdraftShort,
    AuditOrgCreate,
    AuditOrgUpdate,
    AuditPlanCreate,
    AuditPlanUpdate,
    AuditInvite,
    AuditDeactivate,
    AuditPasswordChange,
    AuditPasswordReset,
    NavTickets,
    NavCatalogue,
    NewTicket,
    KindIncident,
    KindIncidentHint,
    KindRequest,
    KindRequestHint,
    Incident,
    ServiceRequest,
    TicketTitle,
    Description,
    Priority,
    PriorityLow,
    PriorityNormal,
    PriorityHigh,
    PriorityUrgent,
    CatalogueItem,
    Included,
    NeedsQuote,
    OpenTicket,
    TicketOrg,
    Search,
    QueueAll,
    QueueOpen,
    QueueUnassigned,
    QueueMine,
    QueueAwaiting,
    QueueDone,
    NoTickets,
    StNew,
    StInProgress,
    StAwaitingApproval,
    StResolved,
    StClosed,
    StCompleted,
    StDeclined,
    StCancelled,
    Requester,
    Assignee,
    Unassigned,
    Take,
    Start,
    Resolve,
    Reopen,
    CloseTicket,
    LogWork,
    MinutesLabel,
    Note,
    Add,
    TimerStart,
    TimerStop,
    Logged,
    Cost,
    Held,
    Comment,
    Internal,
    Send,
    Timeline,
    Follow,
    Unfollow,
    Cause,
    CauseStandard,
    CauseClient,
    Explanation,
    Charged,
    Refunded,
    DisputeTitle,
    Reason,
    DisputeOpen,
    DisputeUpheld,
    DisputeRejected,
    Uphold,
    RejectDispute,
    DisputeUntil,
    QuoteTitle,
    Points,
    Scope,
    ValidDays,
    SendQuote,
    Approve,
    Decline,
    Available,
    ShortOfPoints,
    TopUp,
    Complete,
    CancelRequest,
    ValidUntil,
    QAwaiting,
    QApproved,
    QDeclined,
    QExpired,
    QSuperseded,
    QCharged,
    QReleased,
    EvOpened,
    EvStatus,
    EvAssigned,
    EvComment,
    EvWork,
    EvQuote,
    EvQuoteApproved,
    EvQuoteDeclined,
    EvQuoteExpired,
    EvCause,
    EvDisputeOpened,
    EvDisputeDecided,
    EvLedger,
    BeyondQuote,
    Estimate,
    Offered,
    AddItem,
    Balance2,
    ErrNotPositive,
    ErrTooLarge,
    ErrNotForIncidents,
    IllegalTransition,
    InsufficientPoints,
    QuoteExpired,
    DisputeWindowClosed,
}

pub fn text(locale: Locale, msg: Msg) -> &'static str {
    use Msg::*;
    let (en, ru) = match msg {
        DateLabel => ("Date", "Дата"),
        AmountPaid => ("Amount", "Сумма"),
        NavPacks => ("Point packs", "Пакеты баллов"),
        BuyIntro => ("Bought points never expire; they are spent after your monthly allotment.", "Купленные баллы не сгорают и тратятся после месячного пакета."),
        Buy => ("Buy", "Купить"),
        NoPacks => ("No packs on sale yet.", "Пакетов в продаже пока нет."),
        NoPurchases => ("No purchases yet.", "Покупок пока нет."),
        Receipt => ("Receipt", "Чек"),
        PayPending => ("Waiting for the payment to be confirmed…", "Ждём подтверждения оплаты…"),
        PayCredited => ("Paid. Credited to your balance:", "Оплачено. На баланс зачислено:"),
        PayFailed => ("The payment did not go through. Your balance has not changed.", "Оплата не прошла. Баланс не изменился."),
        PayCanceled => ("The payment was cancelled. Your balance has not changed.", "Оплата отменена. Баланс не изменился."),
        PsPending => ("Awaiting payment", "Ожидает оплаты"),
        PsSucceeded => ("Credited", "Зачислено"),
        PsFailed => ("Failed", "Не прошла"),
        PsCanceled => ("Cancelled", "Отменена"),
        Pack => ("Pack", "Пакет"),
        Price => ("Price", "Цена"),
        Currency => ("Currency", "Валюта"),
        Buyer => ("Bought by", "Покупатель"),
        PaymentRef => ("Payment", "Платёж"),
        BalanceNow => ("Balance after the top-up", "Баланс после пополнения"),
        BackToTicket => ("Back to the ticket", "Вернуться к заявке"),
        OnSale => ("On sale", "В продаже"),
        AddPack => ("Add a pack", "Добавить пакет"),
        Revenue => ("Top-up revenue", "Выручка от пополнений"),
        ErrUnsupported => ("Not supported.", "Не поддерживается."),
        PaymentGateway => ("The payment provider did not answer; nothing was charged. Try again later.", "Платёжная система не ответила, деньги не списаны. Попробуйте позже."),
        PaymentNotConfigured => ("Payment in this currency is not set up yet.", "Оплата в этой валюте ещё не настроена."),
        ThresholdLabel => ("Low-balance threshold", "Порог низкого баланса"),
        ThresholdWord => ("threshold", "порог"),
        Opened => ("Opened", "Открыт"),
        Decided => ("Decided", "Решён"),
        BRollover => ("Carried over", "Перенос"),
        ErrZero => ("Must not be zero.", "Не может быть нулём."),
        NavLedger => ("Ledger", "Баллы и история"),
        NavReports => ("Reports", "Отчёты"),
        NavNotifications => ("Notifications", "Уведомления"),
        BalanceTitle => ("Your points", "Ваши баллы"),
        HeldBy => ("Held for approved quotes", "Зарезервировано по сметам"),
        PeriodAllotment => ("This month's allotment", "Пакет этого месяца"),
        PeriodUsed => ("Used this month", "Израсходовано в этом месяце"),
        Owed => ("Owed", "Долг"),
        RunOutNever => ("Nothing is being spent at the moment: no run-out date.", "Сейчас баллы не расходуются — дата окончания не ожидается."),
        RunOutNow => ("No points are available: quoted work cannot start until you top up.", "Доступных баллов нет: работы по смете не начнутся до пополнения."),
        RunOutOn => ("At the last 28 days' pace, available points run out on", "В темпе последних 28 дней доступные баллы закончатся"),
        ExpireOn => ("expire on", "сгорят"),
        ExpiryOf => ("of the allotment for", "из пакета за"),
        ChartTitle => ("Balance over 12 months", "Баланс за 12 месяцев"),
        ChartSummary => ("Balance went from", "Баланс изменился с"),
        ChartTo => ("to", "до"),
        Filters => ("Filters", "Фильтры"),
        AllKinds => ("All kinds", "Все операции"),
        Period => ("Month", "Месяц"),
        TicketNumber => ("Ticket №", "Заявка №"),
        Apply => ("Apply", "Применить"),
        DownloadCsv => ("Download CSV", "Скачать CSV"),
        Statement => ("Monthly statement", "Выписка за месяц"),
        LoadMore => ("Show older", "Показать ещё"),
        NoEntries => ("No entries match.", "Нет операций."),
        BalanceAfter => ("balance", "остаток"),
        FromBlocks => ("from", "из"),
        KGrant => ("Monthly allotment", "Пакет на месяц"),
        KPurchase => ("Purchase", "Покупка"),
        KCharge => ("Charge", "Списание"),
        KRefund => ("Refund", "Возврат"),
        KAdjustment => ("Adjustment", "Корректировка"),
        KExpiry => ("Expiry", "Сгорание"),
        KRepayment => ("Debt repaid", "Погашение долга"),
        KPurchaseRefund => ("Payment refunded", "Возврат платежа"),
        Opening => ("Opening balance", "Остаток на начало"),
        Closing => ("Closing balance", "Остаток на конец"),
        Grants => ("Allotments", "Пакеты"),
        Purchases => ("Purchases", "Покупки"),
        ChargesByTicket => ("Charges by ticket", "Списания по заявкам"),
        Expired => ("Expired", "Сгорело"),
        Print => ("Print", "Печать"),
        AdjustTitle => ("Adjust the balance", "Корректировка баланса"),
        AdjustHint => ("A credit (5) or a debit (-5), with a reason the client reads.", "Начисление (5) или списание (-5) с причиной — клиент её увидит."),
        Amount => ("Points", "Баллы"),
        AdjustSave => ("Adjust", "Провести"),
        AdjustDone => ("Adjusted.", "Проведено."),
        MarkAllRead => ("Mark all read", "Прочитать все"),
        NoNotifications => ("Nothing yet.", "Пока ничего нет."),
        EmailMe => ("Also by email", "Дублировать на почту"),
        NLowBalance => ("Balance below the threshold", "Баланс ниже порога"),
        NExhausted => ("Points have run out", "Баллы закончились"),
        NCharge => ("Charge made", "Списание"),
        NQuote => ("A quote awaits approval", "Смета ждёт одобрения"),
        NDispute => ("Dispute decided", "Решение по спору"),
        NGrant => ("Allotment arrived", "Начислен пакет"),
        NAdjustment => ("Balance adjusted", "Корректировка баланса"),
        NTopUp => ("Points credited", "Баланс пополнен"),
        NPurchaseRefunded => ("A refunded payment took its points back", "Платёж возвращён — баллы списаны"),
        NRefund => ("Refund", "Возврат"),
        NTicket => ("Ticket changed", "Изменение заявки"),
        Consumption => ("Consumption by client and month", "Расход по клиентам и месяцам"),
        Billable => ("Billable h", "Оплачиваемые ч"),
        NonBillable => ("Non-billable h", "Неоплачиваемые ч"),
        Month => ("Month", "Месяц"),
        Client => ("Client", "Клиент"),
        BalancesReport => ("Clients near or below the threshold", "Клиенты у порога и ниже"),
        DisputesReport => ("Disputes and outcomes", "Споры и решения"),
        StateOk => ("ok", "в норме"),
        StateNear => ("near", "у порога"),
        StateBelow => ("below", "ниже порога"),
        StateExhausted => ("exhausted", "исчерпан"),
        Outcome => ("Outcome", "Итог"),
        AppName => ("Pointdesk", "Pointdesk"),
        Tagline => ("Prepaid support points, visible to everyone", "Предоплаченные баллы поддержки — всё прозрачно"),
        SkipToContent => ("Skip to content", "Перейти к содержанию"),
        NavHome => ("Home", "Главная"),
        NavStatus => ("System status", "Состояние системы"),
        Menu => ("Menu", "Меню"),
        CloseMenu => ("Close menu", "Закрыть меню"),
        Language => ("Language", "Язык"),
        HomeTitle => ("Support you can see", "Поддержка, которую видно"),
        HomeIntro => (
            "Your provider sells support in points: 1 point is 1 hour of an engineer's time. Your plan grants points every month; you see every point granted, held, charged, bought or refunded, and why.",
            "Поддержка продаётся в баллах: 1 балл — 1 час работы инженера. Тариф ежемесячно начисляет баллы; вы видите каждый начисленный, зарезервированный, списанный, купленный или возвращённый балл и причину.",
        ),
        RuleIncidents => (
            "Ordinary incidents are fixed free of charge. Only incidents caused by your own staff are charged, for the time logged.",
            "Обычные инциденты устраняются бесплатно. Списываются баллы только за инциденты по вине ваших сотрудников — по затраченному времени.",
        ),
        RuleRequests => (
            "Non-standard requests are quoted in points first; work starts only after you approve.",
            "Нестандартные запросы сначала оцениваются в баллах; работа начинается только после вашего согласия.",
        ),
        RuleBalance => (
            "You are warned when the balance runs low and can top up at any time.",
            "Когда баллов остаётся мало, вы получаете уведомление и можете пополнить баланс в любой момент.",
        ),
        StatusTitle => ("System status", "Состояние системы"),
        StatusAllGood => ("All systems answer", "Все системы отвечают"),
        StatusDegraded => ("Something is not answering", "Часть систем не отвечает"),
        Version => ("Version", "Версия"),
        Database => ("Database (D1)", "База данных (D1)"),
        KeyValueStore => ("Key-value store (KV)", "Хранилище ключей (KV)"),
        Answers => ("answers", "отвечает"),
        NotAnswering => ("not answering", "не отвечает"),
        CheckedAt => ("Checked", "Проверено"),
        Refresh => ("Check again", "Проверить снова"),
        Loading => ("Loading…", "Загрузка…"),
        ErrorTitle => ("That did not work", "Не получилось"),
        NotFoundTitle => ("Page not found", "Страница не найдена"),
        NotFoundBody => (
            "There is nothing at this address. It may have moved, or the link may be mistyped.",
            "По этому адресу ничего нет. Возможно, страница перемещена или в ссылке опечатка.",
        ),
        BackHome => ("Back to the home page", "На главную"),
        CalcTitle => ("What does logged time cost?", "Сколько стоит затраченное время?"),
        CalcHint => (
            "Charged time is rounded up to the plan's billing increment, and never below its minimum charge.",
            "Время округляется вверх до шага тарификации и не бывает меньше минимального списания.",
        ),
        CalcLogged => ("Time logged, minutes", "Затрачено, минут"),
        CalcIncrement => ("Billing increment, minutes", "Шаг тарификации, минут"),
        CalcMinimum => ("Minimum charge, points", "Минимальное списание, баллов"),
        CalcSubmit => ("Calculate", "Рассчитать"),
        CalcInvalid => (
            "Enter whole minutes (for example 12 and 15) and a minimum such as 0 or 0.25.",
            "Введите целые минуты (например, 12 и 15) и минимум, например 0 или 0,25.",
        ),
        CalcResult => ("Charge", "Списание"),
        Minutes => ("min", "мин"),
        Millis => ("ms", "мс"),
        Components => ("Components", "Компоненты"),
        PointsUnit => ("pt", "б."),
        RuleExact => ("exactly the time logged", "ровно затраченное время"),
        RuleRoundedUp => ("rounded up to", "округлено вверх до"),
        RuleMinimum => ("raised to the minimum charge", "повышено до минимального списания"),
        NetworkError => (
            "The server could not be reached. Check your connection and try again.",
            "Сервер недоступен. Проверьте подключение и повторите попытку.",
        ),
        NavSignIn => ("Sign in", "Войти"),
        NavProfile => ("Profile", "Профиль"),
        SignOut => ("Sign out", "Выйти"),
        SignInTitle => ("Sign in to Pointdesk", "Вход в Pointdesk"),
        SignInIntro => (
            "Use the email your provider or your company's administrator invited.",
            "Используйте адрес, на который пришло приглашение от поставщика или администратора вашей компании.",
        ),
        Email => ("Email", "Эл. почта"),
        Password => ("Password", "Пароль"),
        SignInSubmit => ("Sign in", "Войти"),
        ForgotPassword => ("Forgot your password?", "Забыли пароль?"),
        WrongCredentials => ("The email or the password is wrong.", "Неверная почта или пароль."),
        OrganizationInactive => (
            "Your organisation's access is paused: ask your provider to restore it.",
            "Доступ вашей организации приостановлен — обратитесь к поставщику услуг.",
        ),
        TryAgainIn => ("Too many failed attempts. Try again in", "Слишком много неудачных попыток. Повторите через"),
        ForgotTitle => ("Reset your password", "Восстановление пароля"),
        ForgotIntro => (
            "Enter your email. If it belongs to an account, we send a link to set a new password; it works once, for 30 minutes.",
            "Укажите почту. Если она принадлежит учётной записи, мы отправим ссылку для нового пароля — она действует 30 минут и один раз.",
        ),
        ForgotSubmit => ("Send the link", "Отправить ссылку"),
        ForgotSent => (
            "If the address belongs to an account, the link is on its way. Check your mail.",
            "Если адрес принадлежит учётной записи, ссылка уже отправлена. Проверьте почту.",
        ),
        BackToSignIn => ("Back to sign-in", "Вернуться ко входу"),
        ResetTitle => ("Set a new password", "Новый пароль"),
        NewPassword => ("New password", "Новый пароль"),
        PasswordHint => (
            "10 to 128 characters. A phrase of a few words is easy to remember and hard to guess.",
            "От 10 до 128 символов. Фразу из нескольких слов легко запомнить и трудно угадать.",
        ),
        ResetSubmit => ("Set the password", "Сохранить пароль"),
        ResetDone => (
            "Your password is set and every old session has ended. Sign in with the new password.",
            "Пароль сохранён, все прежние сеансы завершены. Войдите с новым паролем.",
        ),
        LinkInvalid => (
            "This link no longer works: it was used already or has expired. Ask for a new one.",
            "Ссылка больше не действует: ею уже воспользовались или срок истёк. Запросите новую.",
        ),
        AcceptTitle => ("Welcome to Pointdesk", "Добро пожаловать в Pointdesk"),
        AcceptIntro => (
            "You were invited. Choose a password to finish; you will be signed in right away.",
            "Вас пригласили. Задайте пароль, чтобы завершить регистрацию, — вход выполнится сразу.",
        ),
        YourName => ("Your name", "Ваше имя"),
        AcceptSubmit => ("Set the password and sign in", "Задать пароль и войти"),
        ProfileTitle => ("Your profile", "Ваш профиль"),
        Name => ("Name", "Имя"),
        Save => ("Save", "Сохранить"),
        Saved => ("Saved.", "Сохранено."),
        VatTitle => ("Receipts (54-FZ)", "Чеки (54-ФЗ)"),
        VatHint => (
            "VAT on the receipts of card payments in roubles",
            "НДС в чеках при оплате картой в рублях",
        ),
        Vat => ("VAT", "НДС"),
        NoVat => ("No VAT", "Без НДС"),
        ChangePasswordTitle => ("Change password", "Смена пароля"),
        ChangePasswordHint => (
            "Changing it signs you out everywhere else: other devices must sign in again.",
            "После смены пароля все другие устройства выйдут из системы и должны будут войти заново.",
        ),
        CurrentPassword => ("Current password", "Текущий пароль"),
        PasswordChanged => (
            "Password changed. Your other sessions have ended.",
            "Пароль изменён. Остальные сеансы завершены.",
        ),
        NavClients => ("Clients", "Клиенты"),
        NavPlans => ("Plans", "Тарифы"),
        NavPeople => ("People", "Сотрудники"),
        NavOutbox => ("Outbox", "Исходящая почта"),
        NavAudit => ("Audit log", "Журнал действий"),
        NavSettings => ("Settings", "Настройки"),
        AllotmentBase => ("Base", "Базовая часть"),
        AllotmentTotal => ("Every month", "Каждый месяц"),
        AllotmentShort => ("monthly", "в месяц"),
        MonthlyAllotment => ("Monthly allotment", "Ежемесячное начисление"),
        NewClient => ("New client", "Новый клиент"),
        Plan => ("Plan", "Тариф"),
        Seats => ("Seats", "Рабочие места"),
        SeatsWord => ("seats", "места"),
        Create => ("Create", "Создать"),
        Subscription => ("Subscription", "Подписка"),
        Balance => ("Balance", "Баланс"),
        Threshold => ("Low-balance threshold, points", "Порог низкого баланса, баллов"),
        ThresholdHint => (
            "Alerts go out once when the balance falls to this, and again at zero.",
            "Уведомление приходит один раз, когда баланс опускается до порога, и ещё раз при нуле.",
        ),
        ChangeSubscription => ("Change the subscription", "Изменить подписку"),
        Options => ("Options", "Опции"),
        Deactivated => ("deactivated", "отключён"),
        Invited => ("invited", "приглашён"),
        Deactivate => ("Deactivate", "Отключить"),
        InviteTitle => ("Invite someone", "Пригласить"),
        InviteHint => (
            "They get an email with a link to set a password; it works for 7 days.",
            "Человек получит письмо со ссылкой для создания пароля — она действует 7 дней.",
        ),
        SendInvitation => ("Send the invitation", "Отправить приглашение"),
        InvitationSent => ("Invitation sent.", "Приглашение отправлено."),
        OutboxHint => (
            "Mail Pointdesk sends: invitations, password resets, alerts. Newest first.",
            "Письма, которые отправляет Pointdesk: приглашения, сброс пароля, уведомления. Новые сверху.",
        ),
        OpenLink => ("Open the link", "Открыть ссылку"),
        Changes => ("Before and after", "До и после"),
        LowBalanceAlerts => ("Low-balance alerts", "Уведомления о низком балансе"),
        AlertRecipients => ("Who is alerted", "Кого уведомлять"),
        NewPlan => ("New plan", "Новый тариф"),
        BasePoints => ("Base points a month", "Базовые баллы в месяц"),
        PerSeatPoints => ("Points per seat", "Баллов за место"),
        ErrOutOfRange => ("This value is out of range.", "Значение вне допустимого диапазона."),
        ErrUnknown => ("Not found: pick one from the list.", "Не найдено — выберите из списка."),
        ErrNotAllowed => ("You may not choose this.", "Этот вариант вам недоступен."),
        Edit => ("Edit", "Изменить"),
        RolloverShort => ("unused points", "остаток"),
        OverdraftShort => ("below zero", "в минус"),
        AuditOrgCreate => ("Client added", "Добавлен клиент"),
        AuditOrgUpdate => ("Client changed", "Изменён клиент"),
        AuditPlanCreate => ("Plan added", "Добавлен тариф"),
        AuditPlanUpdate => ("Plan changed", "Изменён тариф"),
        AuditInvite => ("Person invited", "Приглашён сотрудник"),
        AuditDeactivate => ("Person deactivated", "Сотрудник отключён"),
        AuditPasswordChange => ("Password changed", "Пароль изменён"),
        AuditPasswordReset => ("Password reset by link", "Пароль сброшен по ссылке"),
        EditPlan => ("Edit the plan", "Изменить тариф"),
        RolloverRule => ("Unused allotment at month end", "Неиспользованные баллы в конце месяца"),
        RolloverNone => ("expires", "сгорают"),
        RolloverCapped => ("carries over up to a cap", "переносятся до предела"),
        RolloverFull => ("carries over in full", "переносятся полностью"),
        RolloverCap => ("Most points carried over", "Перенос не более, баллов"),
        OverdraftRule => ("Going below zero", "Уход в минус"),
        OverdraftNever => ("never", "никогда"),
        OverdraftIncidents => ("for incident charges only", "только за инциденты"),
        OverdraftAlways => ("for incidents and quotes", "за инциденты и оценки"),
        Role => ("Role", "Роль"),
        Organization => ("Organisation", "Организация"),
        RoleManager => ("Manager", "Менеджер"),
        RoleEngineer => ("Engineer", "Инженер"),
        RoleClientAdmin => ("Client administrator", "Администратор клиента"),
        RoleClientUser => ("Client user", "Пользователь клиента"),
        Welcome => ("Hello", "Здравствуйте"),
        HomeManager => (
            "You run the clients, their plans and people, and see the whole provider: balances, disputes, reports and the audit log.",
            "Вы ведёте клиентов, их тарифы и сотрудников и видите всю картину: балансы, споры, отчёты и журнал действий.",
        ),
        HomeEngineer => (
            "Your queue spans every client: take a ticket, fix first, log your time, quote what is not standard.",
            "Ваша очередь охватывает всех клиентов: берите заявку, сначала устраняйте, учитывайте время, оценивайте нестандартное.",
        ),
        HomeClientAdmin => (
            "You see your company's balance and every point spent, approve quotes, manage your colleagues and top up when needed.",
            "Вы видите баланс компании и каждый потраченный балл, согласуете оценки, управляете коллегами и пополняете баланс.",
        ),
        HomeClientUser => (
            "Report an incident or ask for something: your provider's engineers take it from there.",
            "Сообщите об инциденте или оставьте запрос — инженеры поставщика возьмутся за него.",
        ),
        SessionEnded => ("Your session has ended. Please sign in again.", "Сеанс завершён. Войдите снова."),
        CheckFields => ("Please check the highlighted fields.", "Проверьте отмеченные поля."),
        ErrRequired => ("Fill this in.", "Заполните это поле."),
        ErrTooShort => ("Too short: at least", "Слишком коротко: минимум"),
        ErrTooLong => ("Too long: at most", "Слишком длинно: максимум"),
        ErrMalformedEmail => (
            "Enter an email address like name@company.com.",
            "Введите адрес вида name@company.ru.",
        ),
        ErrMalformed => ("This value is not valid here.", "Здесь такое значение недопустимо."),
        ErrWrongPassword => ("This is not your current password.", "Это не ваш текущий пароль."),
        ErrTaken => ("Already in use.", "Уже используется."),
        ErrWrongType => ("This value has the wrong type.", "Значение неверного типа."),
        ErrUnknownField => ("This field is not expected.", "Это поле не ожидается."),
        CrossSite => (
            "This change did not come from Pointdesk's own page and was refused. Reload the page and try again.",
            "Изменение пришло не со страницы Pointdesk и отклонено. Обновите страницу и повторите.",
        ),
        NavTickets => ("Tickets", "Заявки"),
        NavCatalogue => ("Service catalogue", "Каталог услуг"),
        NewTicket => ("New ticket", "Новая заявка"),
        KindIncident => ("Something is broken", "Что-то сломалось"),
        KindIncidentHint => ("Fixed first; charged only if your own staff caused it.", "Сначала чиним; платно — только если причина в действиях ваших сотрудников."),
        KindRequest => ("I need something", "Нужно что-то сделать"),
        KindRequestHint => ("From the service catalogue: included items start at once, others are quoted first.", "Из каталога услуг: входящие в подписку — сразу, остальные — после оценки."),
        Incident => ("Incident", "Инцидент"),
        ServiceRequest => ("Service request", "Запрос"),
        TicketTitle => ("Title", "Тема"),
        Description => ("Description", "Описание"),
        Priority => ("Priority", "Приоритет"),
        PriorityLow => ("Low", "Низкий"),
        PriorityNormal => ("Normal", "Обычный"),
        PriorityHigh => ("High", "Высокий"),
        PriorityUrgent => ("Urgent", "Срочно"),
        CatalogueItem => ("What do you need?", "Что нужно?"),
        Included => ("Included", "Входит в подписку"),
        NeedsQuote => ("Quoted first", "Сначала оценка"),
        OpenTicket => ("Open ticket", "Создать заявку"),
        TicketOrg => ("Client", "Клиент"),
        Search => ("Search by title or number", "Поиск по теме или номеру"),
        QueueAll => ("All", "Все"),
        QueueOpen => ("Open", "Открытые"),
        QueueUnassigned => ("Unassigned", "Без инженера"),
        QueueMine => ("Mine", "Мои"),
        QueueAwaiting => ("Awaiting client", "Ждут клиента"),
        QueueDone => ("Done", "Завершённые"),
        NoTickets => ("No tickets here.", "Здесь нет заявок."),
        StNew => ("New", "Новая"),
        StInProgress => ("In progress", "В работе"),
        StAwaitingApproval => ("Awaiting approval", "Ждёт согласования"),
        StResolved => ("Resolved", "Решена"),
        StClosed => ("Closed", "Закрыта"),
        StCompleted => ("Completed", "Выполнена"),
        StDeclined => ("Declined", "Отклонена"),
        StCancelled => ("Cancelled", "Отменена"),
        Requester => ("Requested by", "Автор"),
        Assignee => ("Engineer", "Инженер"),
        Unassigned => ("Nobody yet", "Пока никто"),
        Take => ("Take it", "Взять себе"),
        Start => ("Start", "Начать"),
        Resolve => ("Resolved", "Решено"),
        Reopen => ("Reopen", "Вернуть в работу"),
        CloseTicket => ("Close", "Закрыть"),
        LogWork => ("Log work", "Учёт времени"),
        MinutesLabel => ("Minutes", "Минут"),
        Note => ("Note", "Что сделано"),
        Add => ("Add", "Добавить"),
        TimerStart => ("Start timer", "Запустить таймер"),
        TimerStop => ("Stop and log", "Остановить и записать"),
        Logged => ("Logged", "Затрачено"),
        Cost => ("Cost so far", "Стоимость"),
        Held => ("Held", "В резерве"),
        Comment => ("Comment", "Комментарий"),
        Internal => ("Internal: staff only", "Внутренний: только сотрудникам"),
        Send => ("Send", "Отправить"),
        Timeline => ("History", "История"),
        Follow => ("Follow", "Следить"),
        Unfollow => ("Following", "Слежу"),
        Cause => ("Cause", "Причина"),
        CauseStandard => ("Standard: free", "Штатная: бесплатно"),
        CauseClient => ("Client caused: charged", "По вине клиента: платно"),
        Explanation => ("Explanation the client reads", "Пояснение для клиента"),
        Charged => ("Charged", "Списано"),
        Refunded => ("Refunded", "Возвращено"),
        DisputeTitle => ("Dispute the charge", "Оспорить списание"),
        Reason => ("Reason", "Причина"),
        DisputeOpen => ("Disputed: waiting for the provider's decision", "Оспорено: ждёт решения"),
        DisputeUpheld => ("Dispute upheld: points returned", "Спор удовлетворён: баллы возвращены"),
        DisputeRejected => ("Dispute rejected", "Спор отклонён"),
        Uphold => ("Uphold and refund", "Удовлетворить и вернуть"),
        RejectDispute => ("Reject", "Отклонить"),
        DisputeUntil => ("Can be disputed until", "Оспорить можно до"),
        QuoteTitle => ("Quote", "Смета"),
        Points => ("Points", "Баллы"),
        Scope => ("What is included", "Что входит"),
        ValidDays => ("Valid for, days", "Действует, дней"),
        SendQuote => ("Send quote", "Отправить смету"),
        Approve => ("Approve", "Одобрить"),
        Decline => ("Decline", "Отклонить"),
        Available => ("Available", "Доступно"),
        ShortOfPoints => ("Available points do not cover this quote.", "Доступных баллов не хватает на эту смету."),
        TopUp => ("Buy points", "Купить баллы"),
        Complete => ("Work done", "Работа выполнена"),
        CancelRequest => ("Cancel request", "Отменить запрос"),
        ValidUntil => ("Valid until", "Действует до"),
        QAwaiting => ("awaiting approval", "ждёт решения"),
        QApproved => ("approved", "одобрена"),
        QDeclined => ("declined", "отклонена"),
        QExpired => ("expired", "истекла"),
        QSuperseded => ("replaced", "заменена"),
        QCharged => ("charged", "списана"),
        QReleased => ("released", "резерв снят"),
        EvOpened => ("Ticket opened", "Заявка создана"),
        EvStatus => ("Status", "Статус"),
        EvAssigned => ("Engineer", "Инженер"),
        EvComment => ("Comment", "Комментарий"),
        EvWork => ("Work", "Работа"),
        EvQuote => ("Quote", "Смета"),
        EvQuoteApproved => ("Quote approved: points held", "Смета одобрена: баллы зарезервированы"),
        EvQuoteDeclined => ("Quote declined", "Смета отклонена"),
        EvQuoteExpired => ("Quote expired", "Смета истекла"),
        EvCause => ("Cause", "Причина"),
        EvDisputeOpened => ("Charge disputed", "Списание оспорено"),
        EvDisputeDecided => ("Dispute decided", "Решение по спору"),
        EvLedger => ("Balance", "Баланс"),
        BeyondQuote => ("Logged time is past the approved quote: send a revised quote.", "Затраченное время превысило смету: отправьте новую."),
        Estimate => ("Usual quote, points", "Обычная оценка, баллы"),
        Offered => ("Offered to clients", "Доступна клиентам"),
        AddItem => ("Add item", "Добавить"),
        Balance2 => ("Balance", "Баланс"),
        ErrNotPositive => ("Must be more than zero.", "Должно быть больше нуля."),
        ErrTooLarge => ("Too large.", "Слишком много."),
        ErrNotForIncidents => ("Incidents do not take a catalogue item.", "У инцидента нет пункта каталога."),
        IllegalTransition => ("This step is not possible in the ticket's current state. Reload to see it.", "Этот шаг невозможен в текущем состоянии заявки. Обновите страницу."),
        InsufficientPoints => ("Not enough available points.", "Недостаточно доступных баллов."),
        QuoteExpired => ("This quote has expired: ask for a new one.", "Срок сметы истёк: попросите новую."),
        DisputeWindowClosed => ("The time to dispute this charge is over.", "Срок оспаривания истёк."),
    };
    match locale {
        Locale::En => en,
        Locale::Ru => ru,
    }
}

/// The app-wide language, remembered in localStorage and mirrored to `<html lang>`.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    pub fn t(self, msg: Msg) -> &'static str {
        text(self.locale.get(), msg)
    }

    /// The message as a reactive text. Every call returns the same closure type, so the views
    /// that show translated text share one instance of the rendering code instead of one per
    /// message (a measurable part of the wasm bundle).
    pub fn tr(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(msg)
    }

    // Like `tr`, each of these returns one closure type for every call site, so the views share
    // one copy of the code that renders it.

    /// `3,00 балла` / `3.00 points`, reactive to the language.
    pub fn pts(
        self,
        p: pointdesk_api::WirePoints,
    ) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || points(self.locale.get(), p)
    }

    /// `1 234,50` / `1,234.50`: the number alone.
    pub fn num(
        self,
        p: pointdesk_api::WirePoints,
    ) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || crate::format::points(self.locale.get(), p)
    }

    /// A moment given in Unix seconds, in the locale's medium style.
    pub fn when(self, unix: i64) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        #[allow(clippy::cast_precision_loss)]
        let ms = unix as f64 * 1000.0;
        self.when_ms(ms)
    }

    /// A moment given in milliseconds since the epoch.
    pub fn when_ms(self, ms: f64) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || crate::format::date_time(self.locale.get(), ms)
    }

    /// A ticket's status.
    pub fn status(self, s: String) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
        move || status_name(self.locale.get(), &s)
    }

    /// A ticket's priority.
    pub fn priority(self, s: String) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
        move || priority_name(self.locale.get(), &s)
    }

    /// A quote's status.
    pub fn quote_status(
        self,
        s: String,
    ) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
        move || quote_status_name(self.locale.get(), &s)
    }

    pub fn set(self, locale: Locale) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, locale.tag());
        }
        self.locale.set(locale);
    }
}

/// The stored choice, else the browser's language, else English.
fn initial_locale() -> Locale {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|t| Locale::from_tag(&t));
    stored
        .or_else(|| {
            window()
                .navigator()
                .language()
                .and_then(|t| Locale::from_tag(&t))
        })
        .unwrap_or(Locale::En)
}

pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        locale: RwSignal::new(initial_locale()),
    };
    Effect::new(move |_| {
        let tag = i18n.locale.get().tag();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Plural forms through `Intl.PluralRules`: `one`, `few`, `many`, `other` (Russian uses all
/// four; English one and other).
fn plural(locale: Locale, n: i64, forms: [(&'static str, &'static str); 4]) -> &'static str {
    let [one, few, many, other] = forms;
    let pick = |f: (&'static str, &'static str)| match locale {
        Locale::En => f.0,
        Locale::Ru => f.1,
    };
    match crate::format::plural_category(locale, n).as_str() {
        "one" => pick(one),
        "few" => pick(few),
        "many" => pick(many),
        _ => pick(other),
    }
}

/// `1 second`, `2 секунды`, `5 секунд`.
pub fn seconds(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ("second", "секунду"),
            ("seconds", "секунды"),
            ("seconds", "секунд"),
            ("seconds", "секунды"),
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// `1 character`, `3 символа`, `10 символов`.
pub fn characters(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ("character", "символ"),
            ("characters", "символа"),
            ("characters", "символов"),
            ("characters", "символа"),
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// A field error from the server, in the user's language.
pub fn field_error(locale: Locale, field: &pointdesk_api::problem::FieldError) -> String {
    let limit = field.limit.and_then(|l| i64::try_from(l).ok()).unwrap_or(0);
    let msg = match field.code.as_str() {
        "required" => Msg::ErrRequired,
        "too_short" => {
            return format!(
                "{} {}.",
                text(locale, Msg::ErrTooShort),
                characters(locale, limit)
            )
        }
        "too_long" => {
            return format!(
                "{} {}.",
                text(locale, Msg::ErrTooLong),
                characters(locale, limit)
            )
        }
        "malformed" if field.field.ends_with("email") => Msg::ErrMalformedEmail,
        "wrong" => Msg::ErrWrongPassword,
        "taken" => Msg::ErrTaken,
        "wrong_type" => Msg::ErrWrongType,
        "unknown_field" => Msg::ErrUnknownField,
        "out_of_range" => Msg::ErrOutOfRange,
        "unknown" => Msg::ErrUnknown,
        "not_allowed" => Msg::ErrNotAllowed,
        "not_positive" => Msg::ErrNotPositive,
        "zero" => Msg::ErrZero,
        "too_large" => Msg::ErrTooLarge,
        "unsupported" => Msg::ErrUnsupported,
        "not_for_incidents" => Msg::ErrNotForIncidents,
        _ => Msg::ErrMalformed,
    };
    text(locale, msg).to_owned()
}

/// The role's name.
pub fn role_name(locale: Locale, role: &str) -> &'static str {
    text(
        locale,
        match role {
            "manager" => Msg::RoleManager,
            "engineer" => Msg::RoleEngineer,
            "client_admin" => Msg::RoleClientAdmin,
            _ => Msg::RoleClientUser,
        },
    )
}

/// `1 seat`, `3 места`, `12 мест`.
pub fn seats(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ("seat", "место"),
            ("seats", "места"),
            ("seats", "мест"),
            ("seats", "места"),
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// `1 балл`, `2 балла`, `5 баллов`, `1,50 балла`; `1 point`, `2.50 points`.
pub fn points(locale: Locale, p: pointdesk_api::WirePoints) -> String {
    let h = p.0.hundredths();
    let word = if h % 100 == 0 {
        plural(
            locale,
            h / 100,
            [
                ("point", "балл"),
                ("points", "балла"),
                ("points", "баллов"),
                ("points", "балла"),
            ],
        )
    } else {
        // CLDR: a visible fraction takes `other` in both languages.
        match locale {
            Locale::En => "points",
            Locale::Ru => "балла",
        }
    };
    format!("{} {word}", crate::format::points(locale, p))
}

/// A ticket's status.
pub fn status_name(locale: Locale, status: &str) -> &'static str {
    use Msg::*;
    text(
        locale,
        match status {
            "new" => StNew,
            "in_progress" => StInProgress,
            "awaiting_approval" => StAwaitingApproval,
            "resolved" => StResolved,
            "closed" => StClosed,
            "completed" => StCompleted,
            "declined" => StDeclined,
            _ => StCancelled,
        },
    )
}

/// A ticket's priority.
pub fn priority_name(locale: Locale, priority: &str) -> &'static str {
    use Msg::*;
    text(
        locale,
        match priority {
            "low" => PriorityLow,
            "high" => PriorityHigh,
            "urgent" => PriorityUrgent,
            _ => PriorityNormal,
        },
    )
}

/// A quote's status.
pub fn quote_status_name(locale: Locale, status: &str) -> &'static str {
    use Msg::*;
    text(
        locale,
        match status {
            "awaiting_approval" => QAwaiting,
            "approved" => QApproved,
            "declined" => QDeclined,
            "expired" => QExpired,
            "charged" => QCharged,
            "released" => QReleased,
            _ => QSuperseded,
        },
    )
}

/// "3 entries, 47 min → 1.00 point, rounded up to 15-min steps".
pub fn charge_text(
    locale: Locale,
    lines: u32,
    e: &pointdesk_api::ledger::ChargeExplanationDto,
) -> String {
    let entries = plural(
        locale,
        i64::from(lines),
        [
            ("entry", "запись"),
            ("entries", "записи"),
            ("entries", "записей"),
            ("entries", "записи"),
        ],
    );
    let how = match (e.rule.as_str(), locale) {
        ("exact", Locale::En) => String::new(),
        ("exact", Locale::Ru) => String::new(),
        ("minimum", Locale::En) => ", the plan's minimum charge".into(),
        ("minimum", Locale::Ru) => ", минимальное списание по тарифу".into(),
        (_, Locale::En) => format!(", rounded up to {}-min steps", e.increment_minutes),
        (_, Locale::Ru) => format!(", округлено вверх до шага {} мин", e.increment_minutes),
    };
    format!(
        "{lines} {entries}, {} {} → {}{how}",
        e.logged_minutes,
        if locale == Locale::Ru {
            "мин"
        } else {
            "min"
        },
        points(locale, e.points)
    )
}
