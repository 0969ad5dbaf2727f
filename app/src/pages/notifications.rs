use leptos::prelude::*;
use pointdesk_api::notifications::{MarkReadRequest, NotificationDto, NotificationPrefsDto, KINDS};

use crate::client;
use crate::components::notice_bell::NoticesRead;
use crate::components::remote::{remote, Remote};
use crate::i18n::{points, text, use_i18n, I18n, Msg};
use crate::writes::{busy, on_success, use_write, WriteAction};

/// The notification centre: every notice, newest first; one is read when its link is followed
/// (or all at once with "Mark all read"), so opening the centre does not hide what is new; and
/// which kinds also come by email.
#[component]
pub fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let list = Remote::new(client::notifications);
    let read = use_write();
    // The bell counts again once they are marked.
    let bell = use_context::<NoticesRead>();
    on_success(read, move |_| {
        if let Some(b) = bell {
            b.0.update(|n| *n += 1);
        }
        list.refetch();
    });
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavNotifications)}</h1>
        <p class="actions">
            <button type="button" class="button button--secondary" data-testid="mark-all-read" disabled=busy(read)
                on:click=move |_| { read.dispatch(client::mark_read(&MarkReadRequest { ids: Vec::new(), all: true })); }>
                {i18n.tr(Msg::MarkAllRead)}
            </button>
        </p>
        {remote(list, move |l| view! {
            <ul class="rows" data-testid="notifications">
                {l.items.is_empty().then(|| view! { <li class="muted">{i18n.tr(Msg::NoNotifications)}</li> })}
                {l.items.into_iter().map(|n| notice(i18n, n, read)).collect_view()}
            </ul>
            {prefs(l.email_muted)}
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

fn notice(i18n: I18n, n: NotificationDto, read: WriteAction) -> impl IntoView {
    let (id, unread) = (n.id, !n.read);
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
    let href = match (n.ticket_id, n.kind.as_str()) {
        (Some(t), _) => format!("/tickets/{t}"),
        (None, "low_balance" | "balance_exhausted") => "/buy-points".to_owned(),
        (None, k) if k.starts_with("auto_topup") => "/buy-points".to_owned(),
        _ => "/ledger".to_owned(),
    };
    let mut what = String::new();
    if let Some(no) = n.ticket_number {
        what.push_str(&format!(" #{no}"));
    }
    for part in [n.title, n.what].into_iter().flatten() {
        what.push_str(&format!(" · {part}"));
    }
    let mut meta = String::new();
    if let Some(p) = n.points {
        meta.push_str(&format!("{} · ", points(l, p)));
    }
    if let Some(t) = n.threshold {
        meta.push_str(&format!(
            "{} {} · ",
            text(l, Msg::ThresholdWord),
            points(l, t)
        ));
    }
    meta.push_str(&crate::format::date_time(l, n.at as f64 * 1000.0));
    view! {
        <li class="row notice-row" class:notice-row--unread=!n.read data-testid="notification" data-kind=n.kind.clone()>
            <span><a class="link" href=href on:click=follow><strong>{text(l, kind_msg(&n.kind))}</strong></a>{what}</span>
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
