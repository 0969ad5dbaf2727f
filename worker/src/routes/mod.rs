//! The router: requests are matched against the one declaration of the API
//! (`pointdesk_api::routes::OPERATIONS`) and handed to their handler by an exhaustive `match`
//! on the operation (`Op`), so an operation without a handler does not compile. Handlers are
//! thin: DTO in → domain decision → one D1 batch → DTO out; the plumbing they share is in
//! `crate::http`, `crate::idempotency`, `crate::books` and `crate::db`.

mod charging;
mod clients;
mod desk;
mod health;
mod ledger;
mod notices;
mod payments;
mod people;
mod periods;
mod reports;
mod session;
mod sla;
mod tickets;

pub use payments::auto_topups;
pub use payments::reconcile as reconcile_payments;
pub use periods::turn_over;
pub use sla::sla_jobs;
pub use tickets::expire_quotes;
pub use tickets::mailbox::receive as receive_mail;

/// What the desk's hourly job did.
#[derive(Debug, Default)]
pub struct DeskJobs {
    pub warned: usize,
    pub closed: usize,
    pub announced: usize,
    pub failures: usize,
}

/// The desk's hourly job: resolved incidents nobody confirmed are announced a day before and
/// closed at their provider's auto-close; points about to expire are announced once per period.
pub async fn desk_jobs(db: &crate::db::Db, env: &Env, now: Timestamp) -> AppResult<DeskJobs> {
    let origin = crate::http::public_origin(env);
    let mut done = DeskJobs::default();
    let (warned, closed) = tickets::auto_close(db, now, &origin).await?;
    (done.warned, done.closed) = (warned, closed);
    for o in db.period_orgs().await? {
        match desk::announce_expiry(db, &o, now, &origin).await {
            Ok(true) => done.announced += 1,
            Ok(false) => {}
            Err(e) => {
                done.failures += 1;
                worker::console_error!("desk: organisation {}: {e:?}", o.id);
            }
        }
    }
    Ok(done)
}

use pointdesk_api::routes::{self, Access, Method, Miss, Op, Operation, Params};
use pointdesk_domain::time::Timestamp;
use worker::{Env, Request, Response};

use crate::error::{AppError, AppResult};
use crate::guard;
use crate::http::{authenticate, confirmed, openapi, read_json, trusted, Call, Session};

/// A local server (`LOCAL_CLOCK=on`, set by `cargo xtask dev` and the test servers, never in a
/// deployment) takes "now" from an `X-Pointdesk-Clock` header (Unix seconds), so tests can open
/// a ticket on a Friday evening and watch its deadlines fall due.
fn local_clock(req: &Request, env: &Env) -> Option<Timestamp> {
    if env.var("LOCAL_CLOCK").ok()?.to_string() != "on" {
        return None;
    }
    let at = req.headers().get("x-pointdesk-clock").ok()??;
    at.trim().parse().ok().map(Timestamp::from_unix)
}

pub async fn dispatch(req: Request, env: &Env) -> AppResult<Response> {
    let (op, params) = operation(&req)?;
    #[allow(clippy::cast_possible_truncation)]
    let now = local_clock(&req, env)
        .unwrap_or_else(|| Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64));
    let mut call = Call {
        req,
        env,
        params,
        now,
        check: None,
    };
    if op.access == Access::Public {
        return handle(op, &mut call, None).await;
    }
    // A read is answered on a session taken on trust, which its first D1 read confirms in the
    // same round trip; when it cannot be confirmed, the read is answered again the strict way.
    if op.method == Method::Get {
        if let Some((who, check)) = trusted(&call)? {
            call.check = Some(check.clone());
            let answer = handle(op, &mut call, Some(&who)).await;
            if confirmed(&call, &check).await? {
                return answer;
            }
            call.check = None;
        }
    }
    let who = authenticate(&call).await?;
    handle(op, &mut call, Some(&who)).await
}

/// The declared operation a request is for, with its path parameters; writes must prove they
/// come from the app's own origin.
fn operation(req: &Request) -> AppResult<(&'static Operation, Params)> {
    let path = req.path();
    let Some(rest) = path.strip_prefix(pointdesk_api::API_PREFIX) else {
        return Err(AppError::NotFound);
    };
    let method = Method::parse(req.method().as_ref()).ok_or(AppError::MethodNotAllowed {
        allowed: "GET, POST, PUT, PATCH, DELETE".into(),
    })?;
    let found = routes::find(method, rest).map_err(|miss| match miss {
        Miss::NotFound => AppError::NotFound,
        Miss::MethodNotAllowed(methods) => AppError::MethodNotAllowed {
            allowed: methods
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        },
    })?;
    if method.is_write() {
        guard::same_origin(req)?;
    }
    Ok(found)
}

/// Every operation's handler: an exhaustive `match`, so an operation without one does not
/// compile. `who` is the caller of a `SignedIn` operation (a public one has none).
async fn handle(op: &Operation, call: &mut Call<'_>, who: Option<&Session>) -> AppResult<Response> {
    let who = || who.ok_or_else(|| AppError::Internal(format!("{} is declared public", op.id)));
    match op.op {
        Op::getHealth => health::get(call.env).await,
        Op::ping => Ok(Response::empty()?.with_status(204)),
        Op::getOpenApi => openapi(),
        Op::previewCharge => charging::preview(read_json(&mut call.req).await?),
        Op::signIn => session::sign_in(call).await,
        Op::requestPasswordReset => session::request_reset(call).await,
        Op::resetPassword => session::reset_password(call).await,
        Op::acceptInvitation => session::accept_invitation(call).await,
        Op::receivePaymentNotification => payments::notification(call).await,
        Op::showSandboxCheckout => payments::sandbox_page(call).await,
        Op::decideSandboxPayment => payments::sandbox_decide(call).await,
        Op::signOut => session::sign_out(call, who()?).await,
        Op::getSession => session::current(call).await,
        Op::getMe => session::me(who()?),
        Op::updateMe => session::update_me(call, who()?).await,
        Op::changePassword => session::change_password(call, who()?).await,
        Op::listOrganizations => clients::list(call, who()?).await,
        Op::getOrganization => clients::get(call, who()?).await,
        Op::createOrganization => clients::create(call, who()?).await,
        Op::updateOrganization => clients::update(call, who()?).await,
        Op::listPlans => clients::list_plans(call, who()?).await,
        Op::createPlan => clients::create_plan(call, who()?).await,
        Op::updatePlan => clients::update_plan(call, who()?).await,
        Op::listUsers => people::list(call, who()?).await,
        Op::inviteUser => people::invite(call, who()?).await,
        Op::deactivateUser => people::deactivate(call, who()?).await,
        Op::listOutbox => people::outbox(call, who()?).await,
        Op::listAuditLog => people::audit_log(call, who()?).await,
        Op::listCatalogue => tickets::list_catalogue(call, who()?).await,
        Op::createCatalogueItem => tickets::create_catalogue_item(call, who()?).await,
        Op::updateCatalogueItem => tickets::update_catalogue_item(call, who()?).await,
        Op::createTicket => tickets::create(call, who()?).await,
        Op::listTickets => tickets::list(call, who()?).await,
        Op::getTicket => tickets::get(call, who()?).await,
        Op::getTicketTimeline => tickets::timeline(call, who()?).await,
        Op::addComment => tickets::comment(call, who()?).await,
        Op::listAttachments | Op::uploadAttachment | Op::getAttachment | Op::deleteAttachment => {
            tickets::files::handle(op.op, call, who()?).await
        }
        Op::followTicket => tickets::follow(call, who()?, true).await,
        Op::unfollowTicket => tickets::follow(call, who()?, false).await,
        Op::logWork | Op::startTimer | Op::stopTimer => tickets::time(op.op, call, who()?).await,
        Op::assignTicket => tickets::assign(call, who()?).await,
        Op::changeTicketStatus => tickets::change_status(call, who()?).await,
        Op::setIncidentCause => tickets::set_cause(call, who()?).await,
        Op::disputeCharge => tickets::dispute(call, who()?).await,
        Op::decideDispute => tickets::decide_dispute(call, who()?).await,
        Op::createQuote => tickets::create_quote(call, who()?).await,
        Op::approveQuote => tickets::approve_quote(call, who()?).await,
        Op::declineQuote => tickets::decline_quote(call, who()?).await,
        Op::completeRequest => tickets::complete(call, who()?).await,
        Op::cancelRequest => tickets::cancel(call, who()?).await,
        Op::reclassifyTicket => tickets::reclassify(call, who()?).await,
        Op::confirmResolution => tickets::confirm(call, who()?).await,
        Op::reopenTicket => tickets::reopen(call, who()?).await,
        Op::recordApproval => tickets::record_approval(call, who()?).await,
        Op::disputeRecordedApproval => tickets::dispute_recorded_approval(call, who()?).await,
        Op::getDesk => desk::get(call, who()?).await,
        Op::getDeskSettings => desk::settings(call, who()?).await,
        Op::updateDeskSettings => desk::set_settings(call, who()?).await,
        Op::getPlanTerms => desk::plan_terms(call, who()?).await,
        Op::changeTicketPriority => tickets::change_priority(call, who()?).await,
        Op::setAwaitingClient => tickets::set_awaiting(call, who()?).await,
        Op::getBusinessCalendar => sla::calendar(call, who()?).await,
        Op::updateBusinessCalendar => sla::set_calendar(call, who()?).await,
        Op::getSlaReport => sla::report(call, who()?).await,
        Op::getBalance => ledger::balance(call, who()?).await,
        Op::listLedgerEntries => ledger::list(call, who()?).await,
        Op::exportLedgerCsv => ledger::export(call, who()?).await,
        Op::getBalanceHistory => ledger::history(call, who()?).await,
        Op::getStatement => ledger::statement(call, who()?).await,
        Op::createAdjustment => ledger::adjust(call, who()?).await,
        Op::listNotifications => notices::list(call, who()?).await,
        Op::markNotificationsRead => notices::mark_read(call, who()?).await,
        Op::getNotificationPreferences => notices::prefs(call, who()?).await,
        Op::updateNotificationPreferences => notices::set_prefs(call, who()?).await,
        Op::getConsumptionReport => reports::consumption(call, who()?).await,
        Op::getBalanceReport => reports::balances(call, who()?).await,
        Op::getDisputeReport => reports::disputes(call, who()?).await,
        Op::getRevenueReport => reports::revenue(call, who()?).await,
        Op::listPointPacks => payments::list_packs(call, who()?).await,
        Op::createPointPack => payments::create_pack(call, who()?).await,
        Op::updatePointPack => payments::update_pack(call, who()?).await,
        Op::getPaymentSettings => payments::settings(call, who()?).await,
        Op::updatePaymentSettings => payments::set_settings(call, who()?).await,
        Op::createCheckout => payments::checkout(call, who()?).await,
        Op::listPurchases => payments::list_purchases(call, who()?).await,
        Op::getPurchase => payments::get_purchase(call, who()?).await,
        // The billing operations, dispatched (exhaustively here, by name there) in `billing`.
        #[rustfmt::skip]
        Op::getProviderRequisites | Op::updateProviderRequisites | Op::getOrganizationRequisites
        | Op::updateOrganizationRequisites | Op::createInvoice | Op::listInvoices | Op::getInvoice
        | Op::cancelInvoice | Op::markInvoicePaid | Op::importBankStatement | Op::listBankPayments
        | Op::resolveBankPayment | Op::getAct | Op::exportAccounting | Op::getAutoTopUp
        | Op::updateAutoTopUp => billing(op, call, who()?).await,
    }
}

/// Paying by bank transfer: requisites, invoices, statements, acts and the 1C export.
async fn billing(op: &Operation, call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    match op.op {
        Op::getProviderRequisites => payments::provider_requisites(call, who).await,
        Op::updateProviderRequisites => payments::set_provider_requisites(call, who).await,
        Op::getOrganizationRequisites => payments::org_requisites(call, who).await,
        Op::updateOrganizationRequisites => payments::set_org_requisites(call, who).await,
        Op::createInvoice => payments::create_invoice(call, who).await,
        Op::listInvoices => payments::list_invoices(call, who).await,
        Op::getInvoice => payments::get_invoice(call, who).await,
        Op::cancelInvoice => payments::cancel_invoice(call, who).await,
        Op::markInvoicePaid => payments::mark_paid(call, who).await,
        Op::importBankStatement => payments::import_statement(call, who).await,
        Op::listBankPayments => payments::list_bank_payments(call, who).await,
        Op::resolveBankPayment => payments::resolve_bank_payment(call, who).await,
        Op::getAct => payments::get_act(call, who).await,
        Op::exportAccounting => payments::export_accounting(call, who).await,
        Op::getAutoTopUp => payments::auto_topup(call, who).await,
        Op::updateAutoTopUp => payments::set_auto_topup(call, who).await,
        _ => Err(AppError::Internal(format!(
            "{} is not a billing operation",
            op.id
        ))),
    }
}
