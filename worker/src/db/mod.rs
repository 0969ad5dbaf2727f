//! Every SQL statement of the worker lives in this module (a tidy test enforces it).
//! Rows are typed; a command writes in one `batch()`, whose statements carry their own conditions.

mod accounts;
mod books;
mod clients;
mod idempotency;
mod ledger;
mod payments;
mod tickets;

pub use accounts::{Audit, Mail, SessionRow, UserRow};
pub use books::{EntryRow, LedgerFilter, OrgNotice};
pub use clients::{NewPerson, OrgColumns, OrgRow, PersonRow, PlanColumns, PlanRow};
pub use ledger::Books;
pub use payments::{NewPaymentEvent, NewPurchase, PackColumns, PackRow, PurchaseRow};
pub use tickets::{
    CatalogueColumns, CatalogueRow, DisputeRow, Event, IdTable, NewTicketRow, QuoteRow,
    TicketFilter, TicketMail, TicketRow, TicketState, TimelineRow, WorkRow,
};

use pointdesk_domain::points::Points;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::error::{AppError, AppResult, Conflict};

pub struct Db {
    d1: D1Database,
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

pub(crate) fn text(v: &str) -> JsValue {
    JsValue::from_str(v)
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
        Ok(Db { d1: env.d1("DB")? })
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
        Ok(self.statement(sql, args)?.first(None).await?)
    }

    /// Every row of a query.
    async fn all<T: serde::de::DeserializeOwned>(
        &self,
        sql: impl Into<String>,
        args: &[JsValue],
    ) -> AppResult<Vec<T>> {
        Ok(self.statement(sql, args)?.all().await?.results()?)
    }

    /// Several reads in one round trip (a batch is one transaction, so they see one state).
    async fn reads(
        &self,
        statements: Vec<D1PreparedStatement>,
    ) -> AppResult<Vec<worker::D1Result>> {
        Ok(self.d1.batch(statements).await?)
    }

    /// Runs statements as one transaction; returns how many rows each changed. A batch the
    /// schema's own guards refused is a typed [`Conflict`].
    pub async fn batch(&self, statements: Vec<D1PreparedStatement>) -> AppResult<Vec<usize>> {
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
