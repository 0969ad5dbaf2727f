use pointdesk_api::{Check, Health};
use worker::{Date, Env, Response};

use crate::db::Db;
use crate::error::AppResult;
use crate::http::json;

/// `GET /api/v1/health`: the version and whether D1 and KV answer.
pub async fn get(env: &Env) -> AppResult<Response> {
    let started = Date::now().as_millis();
    let d1 = match Db::new(env) {
        Ok(db) => db
            .ping()
            .await
            .map_err(|e| e.problem().detail.unwrap_or_default()),
        Err(_) => Err("the DB binding is missing".to_owned()),
    };
    let d1 = check(d1, started);

    let started = Date::now().as_millis();
    let kv = match env.kv("KV") {
        Ok(kv) => kv
            .get("health:probe")
            .text()
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(_) => Err("the KV binding is missing".to_owned()),
    };
    let kv = check(kv, started);

    let health = Health {
        service: "pointdesk".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        ok: d1.ok && kv.ok,
        d1,
        kv,
    };
    let status = if health.ok { 200 } else { 503 };
    Ok(json(&health)?.with_status(status))
}

fn check(result: Result<(), String>, started: u64) -> Check {
    let millis = u32::try_from(Date::now().as_millis().saturating_sub(started)).unwrap_or(u32::MAX);
    match result {
        Ok(()) => Check {
            ok: true,
            millis,
            detail: None,
        },
        Err(detail) => Check {
            ok: false,
            millis,
            detail: Some(detail),
        },
    }
}
