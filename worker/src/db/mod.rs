//! Every SQL statement of the worker lives in this module (a tidy test enforces it).
//! Rows are typed; a command writes in one `batch()`, whose statements carry their own conditions.

use serde::Deserialize;
use worker::{D1Database, Env};

use crate::error::{AppError, AppResult};

pub struct Db {
    d1: D1Database,
}

#[derive(Deserialize)]
struct One {
    one: i64,
}

impl Db {
    pub fn new(env: &Env) -> AppResult<Db> {
        Ok(Db { d1: env.d1("DB")? })
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
