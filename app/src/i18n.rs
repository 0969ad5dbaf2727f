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
        ErrorTitle => ("Could not load this", "Не удалось загрузить"),
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
