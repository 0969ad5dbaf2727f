use leptos::prelude::*;
use pointdesk_api::notifications::{MarkReadRequest, NotificationPrefsDto, KINDS};

use crate::client;
use crate::components::notice_bell::NoticesRead;
use crate::components::remote::remote_text_at;
use crate::flat_json::{self, Fields};
use crate::i18n::{points, text, use_i18n, I18n, Msg};
use crate::writes::{busy, on_success, use_write, WriteAction};

/// The notification centre: every notice, newest first; one is read when its link is followed
/// (or all at once with "Mark all read"), so opening the centre does not hide what is new; and
/// which kinds also come by email.
#[component]
pub fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let reads = RwSignal::new(0u32);
    let path = move || {
        reads.track();
        "/notifications".to_owned()
    };
    let read = use_write();
    // The bell counts again once they are marked.
    let bell = use_context::<NoticesRead>();
    on_success(read, move |_| {
        if let Some(b) = bell {
            b.0.update(|n| *n += 1);
        }
        reads.update(|n| *n += 1);
    });
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavNotifications)}</h1>
        <p class="actions">
            <button type="button" class="button button--secondary" data-testid="mark-all-read" disabled=busy(read)
                on:click=move |_| { read.dispatch(client::mark_read(&MarkReadRequest { ids: Vec::new(), all: true })); }>
                {i18n.tr(Msg::MarkAllRead)}
            </button>
        </p>
        {remote_text_at(path, move |text| {
            let l = flat_json::fields(&text);
            let items = l.list("items");
            view! {
                <ul class="rows" data-testid="notifications">
                    {items.is_empty().then(|| view! { <li class="muted">{i18n.tr(Msg::NoNotifications)}</li> })}
                    {items.into_iter().map(|n| notice(i18n, n, read)).collect_view()}
                </ul>
                {prefs(l.strings("email_muted"))}
            }
            .into_any()
        })}
    }
}

pub fn kind_msg(kind: &str) -> Msg {
    match kind {
        "low_balance" => Msg::NoticeLowBalance,
        "balance_exhausted" => Msg::NoticeExhausted,
        "charge_made" => Msg::NoticeCharge,
        "quote_awaiting" => Msg::NoticeQuote,
        "dispute_decided" => Msg::NoticeDispute,
        "grant_arrived" => Msg::NoticeGrant,
        "adjustment_made" => Msg::NoticeAdjustment,
        "topup_credited" => Msg::NoticeTopUp,
        "refunded" => Msg::NoticeRefund,
        "purchase_refunded" => Msg::NoticePurchaseRefunded,
        "ticket_opened" => Msg::NoticeTicketOpened,
        "ticket_received" => Msg::NoticeTicketReceived,
        "dispute_opened" => Msg::NoticeDisputeOpened,
        "approval_recorded" => Msg::NoticeApprovalRecorded,
        "closing_soon" => Msg::NoticeClosingSoon,
        "points_expiring" => Msg::NoticePointsExpiring,
        "sla_warning" => Msg::NoticeSlaWarning,
        "sla_breach" => Msg::NoticeSlaBreach,
        "auto_topup_due" => Msg::NoticeAutoDue,
        "auto_topup_made" => Msg::NoticeAutoMade,
        "auto_topup_confirm" => Msg::NoticeAutoConfirm,
        "auto_topup_failed" => Msg::NoticeAutoFailed,
        _ => Msg::NoticeTicketChanged,
    }
}

fn notice(i18n: I18n, n: Fields, read: WriteAction) -> impl IntoView {
    let (id, unread, kind) = (n.int("id"), !n.flag("read"), n.get("kind"));
    let present = |k: &str| Some(n.get(k)).filter(|v| !v.is_empty());
    let follow = move |_| {
        if unread {
            read.dispatch(client::mark_read(&MarkReadRequest {
                ids: vec![id],
                all: false,
            }));
        }
    };
    // Plain strings: the list is drawn again when the language changes.
    let l = i18n.locale.get();
    let href = match (present("ticket_id"), kind.as_str()) {
        (Some(t), _) => format!("/tickets/{t}"),
        (None, "low_balance" | "balance_exhausted") => "/buy-points".to_owned(),
        (None, k) if k.starts_with("auto_topup") => "/buy-points".to_owned(),
        _ => "/ledger".to_owned(),
    };
    let mut what = String::new();
    if let Some(no) = present("ticket_number") {
        what.push_str(&format!(" #{no}"));
    }
    for part in [present("title"), present("what")].into_iter().flatten() {
        what.push_str(&format!(" · {part}"));
    }
    let mut meta = String::new();
    if let Some(p) = n.points("points") {
        meta.push_str(&format!("{} · ", points(l, p)));
    }
    if let Some(t) = n.points("threshold") {
        meta.push_str(&format!(
            "{} {} · ",
            text(l, Msg::ThresholdWord),
            points(l, t)
        ));
    }
    meta.push_str(&crate::format::date_time(l, n.int("at") as f64 * 1000.0));
    view! {
        <li class="row notice-row" class:notice-row--unread=unread data-testid="notification" data-kind=kind.clone()>
            <span><a class="link" href=href on:click=follow><strong>{text(l, kind_msg(&kind))}</strong></a>{what}</span>
            <span class="row__meta">{meta}</span>
        </li>
    }
}

fn prefs(muted: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let muted = RwSignal::new(muted);
    let save = use_write();
    view! {
        <section class="card" data-testid="notification-prefs">
            <h2 class="card__title">{i18n.tr(Msg::EmailMe)}</h2>
            {KINDS.iter().map(|k| {
                let k = *k;
                view! {
                    <label class="check">
                        <input type="checkbox" data-kind=k
                            prop:checked=move || !muted.with(|m| m.iter().any(|x| x == k))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                muted.update(|m| {
                                    m.retain(|x| x != k);
                                    if !on { m.push(k.to_owned()); }
                                });
                                save.dispatch(client::set_notification_prefs(&NotificationPrefsDto { email_muted: muted.get_untracked() }));
                            } />
                        {i18n.tr(kind_msg(k))}
                    </label>
                }
            }).collect_view()}
        </section>
    }
}
