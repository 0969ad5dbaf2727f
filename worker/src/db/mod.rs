//! Every SQL statement of the worker lives in this module (a tidy test enforces it).
//! Rows are typed; a command writes in one `batch()`, whose statements carry their own conditions.

mod accounts;
mod attachments;
mod auto_topup;
mod books;
mod catalogue;
mod clients;
mod desk;
mod idempotency;
mod invoices;
mod ledger;
mod notices;
mod payments;
mod reports;
mod sla;
mod ticket_flow;
mod ticket_writes;
mod tickets;

pub use accounts::{Audit, Mail, SessionRow, UserRow};
pub use attachments::{AttachmentRow, Belongs, InboundMail, NewAttachment};
pub use auto_topup::{AutoTopUpColumns, DueTopUpRow};
pub use books::{EntryRow, LedgerFilter, PeriodOrg};
pub use catalogue::{CatalogueColumns, CatalogueRow};
pub use clients::{NewPerson, OrgColumns, OrgRow, PersonRow, PlanColumns, PlanRow};
pub use invoices::{
    ActMoveRow, ActRow, BankPaymentRow, InvoiceRow, NewBankPayment, NewInvoice, SettledRow,
};
pub use ledger::Books;
pub use notices::{OrgNotice, PeopleNotice, Recipients};
pub use payments::{NewPaymentEvent, NewPurchase, PackColumns, PackRow, PurchaseRow};
pub use sla::{clocks_of, SlaTerms};
pub use ticket_flow::flow_of;
pub use ticket_writes::{Event, NewTicketRow, TicketMail, TicketState};
pub use tickets::{
    DisputeRow, IdTable, QuoteRow, RecordedApprovalRow, TicketFilter, TicketRow, TimelineRow,
    WorkRow,
};

use pointdesk_domain::points::Points;
use std::cell::RefCell;
use std::rc::Rc;

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::error::{AppError, AppResult, Conflict};

/// A row that is only an id.
#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

pub struct Db {
    d1: D1Database,
    /// A session to confirm in the same round trip as the first read (see [`SessionCheck`]).
    check: Option<Rc<SessionCheck>>,
}

/// A session taken on trust from an earlier request, confirmed by the request's first read:
/// the session's row is read in the same batch (one transaction, so one state) as the data, and
/// the request is answered only if the row is still what was trusted. An authenticated read is
/// thus one round trip to D1; a session that ended or changed meanwhile is found out by the very
/// read that would have used it.
pub struct SessionCheck {
    token_hash: String,
    trusted: SessionRow,
    /// What D1 said, once asked: `Some(row)` when the session still exists.
    seen: RefCell<Option<Option<SessionRow>>>,
}

impl SessionCheck {
    pub fn new(token_hash: String, trusted: SessionRow) -> SessionCheck {
        SessionCheck {
            token_hash,
            trusted,
            seen: RefCell::new(None),
        }
    }

    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// Whether D1 was asked yet, and if so, the session's row as it is now.
    pub fn seen(&self) -> Option<Option<SessionRow>> {
        self.seen.borrow().clone()
    }

    /// Is what D1 said the session that was trusted (same person, role, organisation, zone)?
    pub fn confirmed(&self) -> bool {
        matches!(&*self.seen.borrow(), Some(Some(row)) if row.user == self.trusted.user)
    }
}

/// An integer argument. Every integer the schema stores is within ±2^53, so the f64 a JS
/// number is holds it exactly.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn int(v: i64) -> JsValue {
    JsValue::from_f64(v as f64) // tidy: js-number
}

/// The one reader of stored points: hundredths beyond ±2^53 are a corrupt row, never zero.
pub fn stored_points(hundredths: i64) -> AppResult<Points> {
    Points::from_hundredths(hundredths)
        .map_err(|e| AppError::Internal(format!("stored points {hundredths}: {e}")))
}

/// A stored value that does not read as what it must be: a 500 naming the row, in the log.
pub(crate) fn corrupt(row: &str, why: &dyn std::fmt::Display) -> AppError {
    AppError::Internal(format!("{row} does not read: {why}"))
}

/// A nullable integer argument.
pub(crate) fn opt(v: Option<i64>) -> JsValue {
    v.map_or(JsValue::NULL, int)
}

pub(crate) fn text(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// A nullable text argument.
pub(crate) fn opt_text(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, text)
}

/// The one place that reads D1's error text: the version triggers say `stale … version`
/// (migrations 0002 and 0004), SQLite says `UNIQUE constraint failed: table.column`.
pub(super) fn refused(e: worker::Error) -> AppError {
    let m = e.to_string();
    if m.contains("UNIQUE constraint failed: idempotent_requests") {
        AppError::Conflict(Conflict::KeyTaken)
    } else if m.contains("UNIQUE constraint failed") {
        AppError::Conflict(Conflict::Taken)
    } else if m.contains("stale account version") || m.contains("stale ticket version") {
        AppError::Conflict(Conflict::Stale)
    } else {
        AppError::Internal(m)
    }
}

/// A batch refused by a `UNIQUE` constraint is the person's input colliding with an existing
/// row: `field` is `taken`.
pub fn unless_taken(result: AppResult<Vec<usize>>, field: &str) -> AppResult<Vec<usize>> {
    match result {
        Err(AppError::Conflict(Conflict::Taken)) => Err(AppError::Fields(vec![
            pointdesk_api::problem::FieldError::new(field, "taken"),
        ])),
        other => other,
    }
}

/// How often a decision is made again from a fresh load when another request wrote first.
pub const ATTEMPTS: usize = 12;

/// Load → decide → write, again from a fresh load while another request keeps winning the race
/// (`attempt` is called with the attempt's number and fails with a [`Conflict`] when its batch
/// lost). Every other answer, good or bad, is final.
pub async fn decide_and_write<T>(
    what: &str,
    mut attempt: impl AsyncFnMut(usize) -> AppResult<T>,
) -> AppResult<T> {
    for n in 0..ATTEMPTS {
        match attempt(n).await {
            Err(AppError::Conflict(_)) => {}
            done => return done,
        }
    }
    Err(AppError::Internal(format!(
        "{what}: still contended after {ATTEMPTS} attempts"
    )))
}

#[derive(Deserialize)]
struct One {
    one: i64,
}

impl Db {
    pub fn new(env: &Env) -> AppResult<Db> {
        Ok(Db {
            d1: env.d1("DB")?,
            check: None,
        })
    }

    /// A handle whose first read also confirms `check` (when it is still unconfirmed).
    pub fn checking(env: &Env, check: Option<Rc<SessionCheck>>) -> AppResult<Db> {
        Ok(Db {
            d1: env.d1("DB")?,
            check,
        })
    }

    /// Confirms the pending session check now, with a read of its own (a request that read
    /// nothing else); nothing when there is none or it was asked already.
    pub async fn confirm(&self) -> AppResult<()> {
        self.run(Vec::new()).await.map(|_| ())
    }

    /// Runs read statements as one batch, led by the pending session check, if any; a session
    /// that is no longer the trusted one fails the read with [`AppError::SessionChanged`].
    async fn run(&self, statements: Vec<D1PreparedStatement>) -> AppResult<Vec<worker::D1Result>> {
        let pending = self.check.as_ref().filter(|c| c.seen.borrow().is_none());
        let Some(check) = pending else {
            if statements.is_empty() {
                return Ok(Vec::new());
            }
            return Ok(self.d1.batch(statements).await?);
        };
        let mut all = vec![self.session_statement(&check.token_hash)?];
        all.extend(statements);
        let mut results = self.d1.batch(all).await?;
        let row = results
            .remove(0)
            .results::<SessionRow>()?
            .into_iter()
            .next();
        *check.seen.borrow_mut() = Some(row);
        if check.confirmed() {
            Ok(results)
        } else {
            Err(AppError::SessionChanged)
        }
    }

    /// One statement with its arguments, for a batch.
    fn statement(
        &self,
        sql: impl Into<String>,
        args: &[JsValue],
    ) -> AppResult<D1PreparedStatement> {
        Ok(self.d1.prepare(sql).bind(args)?)
    }

    /// The first row of a query, if any.
    async fn first<T: serde::de::DeserializeOwned>(
        &self,
        sql: impl Into<String>,
        args: &[JsValue],
    ) -> AppResult<Option<T>> {
        if self.check.is_some() {
            return Ok(self.all(sql, args).await?.into_iter().next());
        }
        Ok(self.statement(sql, args)?.first(None).await?)
    }

    /// The `id` of the first row a query selects, if any (an existence check or a lookup).
    async fn first_id(&self, sql: impl Into<String>, args: &[JsValue]) -> AppResult<Option<i64>> {
        Ok(self.first::<IdRow>(sql, args).await?.map(|r| r.id))
    }

    /// Every row of a query.
    async fn all<T: serde::de::DeserializeOwned>(
        &self,
        sql: impl Into<String>,
        args: &[JsValue],
    ) -> AppResult<Vec<T>> {
        if self.check.is_some() {
            let results = self.run(vec![self.statement(sql, args)?]).await?;
            return match results.first() {
                Some(r) => Ok(r.results()?),
                None => Ok(Vec::new()),
            };
        }
        Ok(self.statement(sql, args)?.all().await?.results()?)
    }

    /// Several reads in one round trip (a batch is one transaction, so they see one state).
    async fn reads(
        &self,
        statements: Vec<D1PreparedStatement>,
    ) -> AppResult<Vec<worker::D1Result>> {
        self.run(statements).await
    }

    /// Runs statements as one transaction; returns how many rows each changed. A batch the
    /// schema's own guards refused is a typed [`Conflict`].
    pub async fn batch(&self, statements: Vec<D1PreparedStatement>) -> AppResult<Vec<usize>> {
        // Nothing is written for a session that is not confirmed.
        self.confirm().await?;
        let results = self.d1.batch(statements).await.map_err(refused)?;
        results
            .iter()
            .map(|r| Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0)))
            .collect()
    }

    /// Proves D1 answers and the schema is migrated (the query reads a migrated table).
    pub async fn ping(&self) -> AppResult<()> {
        let row: Option<One> = self
            .d1
            .prepare("SELECT 1 AS one FROM schema_info WHERE id = 1")
            .first(None)
            .await?;
        match row {
            Some(One { one: 1 }) => Ok(()),
            _ => Err(AppError::Internal(
                "schema_info is empty: migrations not applied".into(),
            )),
        }
    }
}
