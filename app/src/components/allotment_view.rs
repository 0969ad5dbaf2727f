use leptos::prelude::*;
use pointdesk_api::ledger::{AllotmentDto, AllotmentLineDto};

use crate::format;
use crate::i18n::{self, use_i18n, Msg};

/// The domain's allotment with its breakdown: base + seats × per seat + each option.
#[component]
pub fn AllotmentView(allotment: AllotmentDto) -> impl IntoView {
    let i18n = use_i18n();
    let total = allotment.total;
    let lines = allotment.lines.clone();
    view! {
        <dl class="kv" data-testid="allotment" data-total=total.to_string()>
            {lines
                .into_iter()
                .map(|line| {
                    let (label, value): (Box<dyn Fn() -> String + Send + Sync>, _) = match line {
                        AllotmentLineDto::Base { points } => {
                            (Box::new(move || i18n.t(Msg::AllotmentBase).to_owned()), points)
                        }
                        AllotmentLineDto::Seats { seats, per_seat, points } => (
                            Box::new(move || {
                                let l = i18n.locale.get();
                                format!(
                                    "{} × {} {}",
                                    i18n::seats(l, i64::from(seats)),
                                    format::points(l, per_seat),
                                    i18n.t(Msg::PointsUnit)
                                )
                            }),
                            points,
                        ),
                        AllotmentLineDto::Option { name, points, .. } => {
                            (Box::new(move || name.clone()), points)
                        }
                    };
                    view! {
                        <div class="kv__row">
                            <dt>{label}</dt>
                            <dd>{i18n.num(value)} " " {i18n.tr(Msg::PointsUnit)}</dd>
                        </div>
                    }
                })
                .collect_view()}
            <div class="kv__row kv__row--total">
                <dt>{i18n.tr(Msg::AllotmentTotal)}</dt>
                <dd data-testid="allotment-total">
                    {i18n.num(total)} " " {i18n.tr(Msg::PointsUnit)}
                </dd>
            </div>
        </dl>
    }
}
