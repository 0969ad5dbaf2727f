//! The one translation layer: every user-visible string is a [`Msg`] with an English and a
//! Russian text (the match is exhaustive, so a missing translation does not compile), plus
//! locale-aware number and date formatting through the browser's `Intl`.

use leptos::prelude::*;

const STORAGE_KEY: &str = "pointdesk.locale";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    En,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ru];

    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// The language's own name, shown in the switch.
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ru => "Русский",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
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
}

pub fn text(locale: Locale, msg: Msg) -> &'static str {
    use Msg::*;
    let (en, ru) = match msg {
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
