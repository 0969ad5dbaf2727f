use pointdesk_api::ledger::{ChargeExplanationDto, ChargePreviewRequest};
use pointdesk_domain::charging::charge_for_minutes;
use pointdesk_domain::plan::{Overdraft, Plan, Rollover};
use pointdesk_domain::Points;
use worker::Response;

use crate::error::AppResult;
use crate::http::json;

/// `POST /api/v1/charge-preview`: the charge for logged time under a billing increment and
/// minimum, with its explanation (the engineer sees it before classifying an incident).
pub fn preview(req: ChargePreviewRequest) -> AppResult<Response> {
    let terms = Plan {
        name: "preview".into(),
        base: Points::ZERO,
        per_seat: Points::ZERO,
        options: Vec::new(),
        increment_minutes: req.increment_minutes,
        minimum_charge: req.minimum_charge.into(),
        rollover: Rollover::None,
        overdraft: Overdraft::IncidentsOnly,
    };
    terms.validate()?;
    let charge = charge_for_minutes(req.logged_minutes, &terms)?;
    json(&ChargeExplanationDto::from(&charge))
}
