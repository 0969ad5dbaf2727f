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

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::error::{AppError, AppResult};

pub struct Db {
    d1: D1Database,
}

/// An integer argument. Every integer the schema stores is within ±2^53, so the f64 a JS
/// number is holds it exactly.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn int(v: i64) -> JsValue {
    JsValue::from_f64(v as f64) // tidy: js-number
}

pub(crate) fn text(v: &str) -> JsValue {
    JsValue::from_str(v)
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

    /// Runs statements as one transaction; returns how many rows each changed.
    pub async fn batch(&self, statements: Vec<D1PreparedStatement>) -> AppResult<Vec<usize>> {
        let results = self.d1.batch(statements).await?;
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
