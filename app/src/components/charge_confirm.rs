use leptos::prelude::*;
use pointdesk_api::tickets::CancellationChargeDto;

use crate::i18n::{minutes, use_i18n, Msg};

/// Asks before an action that moves points: "Will charge 1,00 point (47 min → 60 min)" with
/// Confirm and Back. `charge.billed_minutes` 0 means a fixed amount (an approved quote).
#[component]
pub fn ChargeConfirm(
    charge: CancellationChargeDto,
    confirm: Callback<()>,
    back: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = charge;
    let detail = move || {
        let l = i18n.locale.get();
        if c.billed_minutes == 0 {
            format!(" ({})", i18n.t(Msg::TheApprovedQuote))
        } else {
            format!(
                " ({} → {})",
                minutes(l, i64::from(c.logged_minutes)),
                minutes(l, i64::from(c.billed_minutes))
            )
        }
    };
    view! {
        <div class="confirm" role="alertdialog" data-testid="charge-confirm">
            <p>{i18n.tr(Msg::WillCharge)}" "<strong data-testid="charge-confirm-points">{i18n.pts(c.points)}</strong>{detail}
                {c.capped.then(|| view! { " "{i18n.tr(Msg::CancelCapped)} })}</p>
            <div class="actions">
                <button type="button" class="button" data-action="charge-confirm" on:click=move |_| confirm.run(())>
                    {i18n.tr(Msg::ConfirmCharge)}
                </button>
                <button type="button" class="button button--secondary" data-action="charge-back" on:click=move |_| back.run(())>
                    {i18n.tr(Msg::Back)}
                </button>
            </div>
        </div>
    }
}
