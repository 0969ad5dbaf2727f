//! One request on its way through a handler.

use std::rc::Rc;

use pointdesk_api::routes::Params;
use pointdesk_domain::time::Timestamp;
use worker::{Env, Request};

use crate::db::{Db, SessionCheck};
use crate::error::{AppError, AppResult};

/// The request, the environment, the path's parameters and the instant it is answered at.
pub struct Call<'a> {
    pub req: Request,
    pub env: &'a Env,
    pub params: Params,
    pub now: Timestamp,
    /// The session taken on trust that this request's first read confirms, if any.
    pub check: Option<Rc<SessionCheck>>,
}

impl Call<'_> {
    /// The database, as this request reads it (confirming its session on the way).
    pub fn db(&self) -> AppResult<Db> {
        Db::checking(self.env, self.check.clone())
    }

    /// The `{id}` path parameter (the router matched it; it must be a positive integer).
    pub fn id(&self) -> AppResult<i64> {
        self.params
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
            .ok_or(AppError::NotFound)
    }

    /// The `{period}` path parameter (`2026-12`); another value is a field error.
    pub fn period(&self) -> AppResult<pointdesk_domain::time::Period> {
        self.params
            .get("period")
            .and_then(|p| pointdesk_domain::time::Period::parse(p).ok())
            .ok_or_else(|| {
                AppError::Fields(vec![pointdesk_api::problem::FieldError::new(
                    "period",
                    "malformed",
                )])
            })
    }

    /// Where links in mail point: the `PUBLIC_ORIGIN` variable when set (production), else the
    /// origin this request came to (local development).
    pub fn origin(&self) -> String {
        if let Ok(v) = self.env.var("PUBLIC_ORIGIN") {
            let v = v.to_string();
            if !v.is_empty() {
                return v.trim_end_matches('/').to_owned();
            }
        }
        self.req
            .url()
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }
}

/// The app's address for links in mail and notices (`PUBLIC_ORIGIN`; empty when unset), where
/// no request says it (the scheduled jobs, inbound mail).
pub fn public_origin(env: &worker::Env) -> String {
    env.var("PUBLIC_ORIGIN")
        .map(|v| v.to_string().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}
