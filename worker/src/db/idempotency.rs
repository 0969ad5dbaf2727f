//! Answers of money-moving requests by `Idempotency-Key`, per person.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct KeyRow {
    pub fingerprint: String,
    pub status: Option<i64>,
    pub body: Option<String>,
}

impl Db {
    pub async fn idempotent_request(&self, user: i64, key: &str) -> AppResult<Option<KeyRow>> {
        self.first(
            "SELECT fingerprint, status, body FROM idempotent_requests WHERE user_id = ?1 AND key = ?2",
            &[int(user), text(key)],
        )
        .await
    }

    /// Claims the key in the batch of the effect: a second claim fails the whole batch.
    pub fn claim_key(
        &self,
        user: i64,
        key: &str,
        fingerprint: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO idempotent_requests (user_id, key, fingerprint, at) VALUES (?1, ?2, ?3, ?4)",
            &[int(user), text(key), text(fingerprint), int(now)],
        )
    }

    pub async fn answer_key(&self, user: i64, key: &str, status: u16, body: &str) -> AppResult<()> {
        self.batch(vec![self.statement(
            "UPDATE idempotent_requests SET status = ?3, body = ?4 WHERE user_id = ?1 AND key = ?2",
            &[int(user), text(key), int(i64::from(status)), text(body)],
        )?])
        .await?;
        Ok(())
    }
}
