//! `Idempotency-Key`: a repeated money-moving request gets the first answer. The key is claimed
//! in the batch of the effect (so two twins cannot both act) and its answer stored after it.

use pointdesk_api::problem::FieldError;
use pointdesk_domain::DomainError;
use sha2::{Digest, Sha256};
use worker::{D1PreparedStatement, Response};

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::http::{respond, Call, Session};

/// A money-moving request's `Idempotency-Key`, if it came with one.
pub struct Idem {
    pub key: Option<String>,
    pub fingerprint: String,
}

pub enum Begun {
    Fresh(Idem),
    Replay((u16, String)),
}

impl Idem {
    pub async fn begin(call: &Call<'_>, who: &Session, db: &Db, body: &[u8]) -> AppResult<Begun> {
        let key = call.req.headers().get("idempotency-key")?;
        let mut hash = Sha256::new();
        hash.update(call.req.method().as_ref().as_bytes());
        hash.update(b" ");
        hash.update(call.req.path().as_bytes());
        hash.update(b"\n");
        hash.update(body);
        let fingerprint = crate::auth::hex(&hash.finalize());
        let Some(key) = key else {
            return Ok(Begun::Fresh(Idem {
                key: None,
                fingerprint,
            }));
        };
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::Fields(vec![FieldError::new(
                "Idempotency-Key",
                "malformed",
            )]));
        }
        let idem = Idem {
            key: Some(key),
            fingerprint,
        };
        match idem.replay(who, db).await? {
            Some(answer) => Ok(Begun::Replay(answer)),
            None => Ok(Begun::Fresh(idem)),
        }
    }

    /// The first answer for this key, waiting a little while the first request is still being
    /// answered; a different request under the same key is a 422.
    pub async fn replay(&self, who: &Session, db: &Db) -> AppResult<Option<(u16, String)>> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        for _ in 0..40 {
            let Some(row) = db.idempotent_request(who.user.id, key).await? else {
                return Ok(None);
            };
            if row.fingerprint != self.fingerprint {
                return Err(DomainError::IdempotencyConflict { key: key.clone() }.into());
            }
            if let (Some(status), Some(body)) = (row.status, row.body) {
                return Ok(Some((u16::try_from(status).unwrap_or(200), body)));
            }
            worker::Delay::from(std::time::Duration::from_millis(50)).await;
        }
        Err(AppError::Internal(format!(
            "the answer for key {key} never came"
        )))
    }

    pub fn claim(
        &self,
        who: &Session,
        db: &Db,
        now: i64,
    ) -> AppResult<Option<D1PreparedStatement>> {
        self.key
            .as_deref()
            .map(|k| db.claim_key(who.user.id, k, &self.fingerprint, now))
            .transpose()
    }

    pub async fn finish(
        &self,
        who: &Session,
        db: &Db,
        answer: (u16, String),
    ) -> AppResult<Response> {
        if let Some(key) = &self.key {
            db.answer_key(who.user.id, key, answer.0, &answer.1).await?;
        }
        respond(answer)
    }
}
