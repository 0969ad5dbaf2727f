use leptos::prelude::*;

use crate::client::ApiError;
use crate::i18n::{self, use_i18n, Msg};

/// A readable message for a failed request, in the user's language: known problem types are
/// translated; field errors are shown next to their fields, so here only a pointer to them.
#[component]
pub fn ErrorBox(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            let locale = i18n.locale.get();
            // A known problem is its own headline; anything else says that something failed.
            let known = matches!(
                e.kind(),
                Some(
                    "invalid-credentials"
                        | "organization-inactive"
                        | "too-many-attempts"
                        | "link-invalid"
                        | "cross-site"
                        | "unauthenticated"
                        | "validation"
                        | "malformed-json"
                        | "illegal-transition"
                        | "ticket-locked"
                        | "insufficient-points"
                        | "quote-expired"
                        | "dispute-window-closed"
                        | "payment-gateway"
                        | "payment-not-configured"
                )
            );
            let detail = match (&e, e.kind()) {
                (ApiError::Network(_), _) => i18n.t(Msg::NetworkError).to_owned(),
                (_, Some("invalid-credentials")) => i18n.t(Msg::WrongCredentials).to_owned(),
                (_, Some("organization-inactive")) => i18n.t(Msg::OrganizationInactive).to_owned(),
                (_, Some("too-many-attempts")) => {
                    let wait = e
                        .problem()
                        .and_then(|p| p.retry_after)
                        .and_then(|s| i64::try_from(s).ok())
                        .unwrap_or(1);
                    format!(
                        "{} {}.",
                        i18n.t(Msg::TryAgainIn),
                        i18n::seconds(locale, wait)
                    )
                }
                (_, Some("link-invalid")) => i18n.t(Msg::LinkInvalid).to_owned(),
                (_, Some("cross-site")) => i18n.t(Msg::CrossSite).to_owned(),
                (_, Some("unauthenticated")) => i18n.t(Msg::SessionEnded).to_owned(),
                (_, Some("illegal-transition")) => i18n.t(Msg::IllegalTransition).to_owned(),
                (_, Some("ticket-locked")) => {
                    let code = e
                        .problem()
                        .and_then(|p| p.errors.first())
                        .map(|f| f.code.clone());
                    i18n.t(match code.as_deref() {
                        Some("points_held") => Msg::LockedPointsHeld,
                        Some("charged") => Msg::LockedCharged,
                        Some("disputed") => Msg::LockedDisputed,
                        Some("classified") => Msg::LockedClassified,
                        Some("work_logged") => Msg::LockedWorkLogged,
                        _ => Msg::LockedFinished,
                    })
                    .to_owned()
                }
                (_, Some("insufficient-points")) => i18n.t(Msg::InsufficientPoints).to_owned(),
                (_, Some("quote-expired")) => i18n.t(Msg::QuoteExpired).to_owned(),
                (_, Some("dispute-window-closed")) => i18n.t(Msg::DisputeWindowClosed).to_owned(),
                (_, Some("payment-gateway")) => i18n.t(Msg::PaymentGateway).to_owned(),
                (_, Some("payment-not-configured")) => i18n.t(Msg::PaymentNotConfigured).to_owned(),
                (_, Some("validation" | "malformed-json"))
                    if e.problem().is_some_and(|p| !p.errors.is_empty()) =>
                {
                    i18n.t(Msg::CheckFields).to_owned()
                }
                (other, _) => other.to_string(),
            };
            view! {
                <div class="notice notice--error" role="alert" data-testid="error">
                    {(!known).then(|| view! { <strong>{i18n.t(Msg::ErrorTitle)}</strong> })}
                    <p>{detail}</p>
                </div>
            }
        })
    }
}
