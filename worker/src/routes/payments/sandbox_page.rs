//! The sandbox gateway's hosted checkout page and the decision a tester makes on it.

use worker::{Headers, Method as HttpMethod, Request, RequestInit, Response};

use crate::error::{AppError, AppResult};
use crate::http::Call;
use crate::pay::sandbox::{self, Choice, SandboxPayment};
use crate::pay::PayError;
use pointdesk_api::routes::Method as ApiMethod;

use super::settle::config;

const SANDBOX_STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#eef1f7;color:#1b2230}\
main{max-width:26rem;margin:0 auto;padding:1.5rem 1rem}\
.badge{display:inline-block;background:#ffe7a3;color:#5a4200;border-radius:1rem;padding:.2rem .8rem;font-size:.85rem}\
h1{font-size:1.3rem;margin:1rem 0 .25rem}.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1.5rem}\
form{display:grid;gap:.75rem}button{font:inherit;min-height:3rem;border-radius:.6rem;border:1px solid #b8c0d0;background:#fff;cursor:pointer}\
button.pay{background:#1f4fd1;border-color:#1f4fd1;color:#fff;font-weight:600}\
p.done{background:#fff;border-radius:.6rem;padding:1rem}";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sandbox_id(call: &Call<'_>) -> AppResult<String> {
    let id = call.params.get("payment").unwrap_or_default();
    if sandbox::is_payment_id(id) {
        Ok(id.to_owned())
    } else {
        Err(AppError::NotFound)
    }
}

/// `showSandboxCheckout`: the sandbox gateway's payment page.
pub async fn sandbox_page(call: &Call<'_>) -> AppResult<Response> {
    config(call.env)?.named("sandbox")?;
    let id = sandbox_id(call)?;
    let db = call.db()?;
    let p = db.sandbox_payment(&id).await?.ok_or(AppError::NotFound)?;
    let amount = format!(
        "{}.{:02} {}",
        p.amount_minor / 100,
        p.amount_minor % 100,
        escape(&p.currency)
    );
    // A card kept for automatic top-ups may be one that later asks for 3-D Secure.
    let strict = if p.save_card == 1 {
        "<p>The card is kept for automatic top-ups · Карта сохраняется для автопополнения</p>\
         <button name=\"action\" value=\"pay_3ds\" data-testid=\"sandbox-pay-3ds\">Pay with a card that asks for 3-D Secure later · Оплатить картой с 3-D Secure</button>"
    } else {
        ""
    };
    let action = if p.status == "pending" {
        format!(
            "<form method=\"post\">\
         <button class=\"pay\" name=\"action\" value=\"pay\" data-testid=\"sandbox-pay\">Pay · Оплатить</button>{strict}\
         <button name=\"action\" value=\"decline\" data-testid=\"sandbox-decline\">Decline · Отклонить</button>\
         <button name=\"action\" value=\"cancel\" data-testid=\"sandbox-cancel\">Cancel · Отменить</button>\
         </form>"
        )
    } else {
        format!(
            "<p class=\"done\" data-testid=\"sandbox-status\">{} · <a href=\"{}\">Back · Назад</a></p>",
            escape(&p.status),
            escape(&p.return_url)
        )
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sandbox checkout · Pointdesk</title><style>{SANDBOX_STYLE}</style></head><body><main>\
         <span class=\"badge\">Sandbox: no real money · Тестовая оплата</span>\
         <h1>{}</h1><p class=\"amount\" data-testid=\"sandbox-amount\">{amount}</p>{action}</main></body></html>",
        escape(&p.description)
    );
    let mut resp = Response::from_html(html)?;
    resp.headers_mut().set("cache-control", "no-store")?;
    resp.headers_mut().set(
        "content-security-policy",
        &format!("{}; style-src '{}'", crate::guard::CSP, style_hash()),
    )?;
    Ok(resp)
}

/// The page's one inline style, allowed by its hash.
fn style_hash() -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(SANDBOX_STYLE.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `decideSandboxPayment`: the buyer's choice settles the sandbox payment, its signed notification
/// goes through the webhook exactly as a real gateway's would, and the buyer returns.
pub async fn sandbox_decide(call: &mut Call<'_>) -> AppResult<Response> {
    let config = config(call.env)?;
    let sandbox = config
        .sandbox()
        .ok_or_else(|| PayError::NotConfigured("the sandbox".into()))?
        .clone();
    let id = sandbox_id(call)?;
    let content_type = call.req.headers().get("content-type")?.unwrap_or_default();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    let form = String::from_utf8_lossy(&call.req.bytes().await?).into_owned();
    let choice = crate::pay::form_decode(&form)
        .into_iter()
        .find(|(k, _)| k == "action")
        .and_then(|(_, v)| Choice::parse(&v))
        .ok_or_else(|| {
            AppError::Fields(vec![pointdesk_api::problem::FieldError::new(
                "action",
                "malformed",
            )])
        })?;
    let db = call.db()?;
    let p = db.sandbox_payment(&id).await?.ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    if p.status == "pending" {
        let status = choice.status();
        let (body, signature) = sandbox.notification(
            &format!("evt_{id}_{status}"),
            SandboxPayment {
                id: id.clone(),
                status: status.into(),
                amount_minor: p.amount_minor,
                currency: p.currency.clone(),
                reference: p.reference.clone(),
                refunded_minor: None,
                saved_method: (p.save_card == 1)
                    .then(|| sandbox::Sandbox::saved_method(choice, &id))
                    .flatten(),
                failure: match choice {
                    Choice::Pay | Choice::Pay3ds => None,
                    Choice::Decline => Some("the card was declined (sandbox)".into()),
                    Choice::Cancel => Some("the buyer cancelled the payment".into()),
                },
            },
            now,
        );
        if db
            .settle_sandbox_payment(&id, status, &body, &signature)
            .await?
        {
            deliver(call, &body, &signature).await;
        }
    }
    let headers = Headers::new();
    headers.set("location", &p.return_url)?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

/// Hands the sandbox's notification to the webhook's handler, as the gateway's post would.
async fn deliver(call: &Call<'_>, body: &str, signature: &str) {
    let result: AppResult<u16> = async {
        let url = call.req.url()?;
        let path = "/payments/sandbox/notifications";
        let target = format!(
            "{}{}{path}",
            url.origin().ascii_serialization(),
            pointdesk_api::API_PREFIX
        );
        let (_, params) = pointdesk_api::routes::find(ApiMethod::Post, path)
            .map_err(|_| AppError::Internal(format!("no operation at {path}")))?;
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set("sandbox-signature", signature)?;
        let mut init = RequestInit::new();
        init.with_method(HttpMethod::Post)
            .with_headers(headers)
            .with_body(Some(body.into()));
        let mut inner = Call {
            req: Request::new_with_init(&target, &init)?,
            env: call.env,
            params,
            now: call.now,
            check: None,
        };
        Ok(match super::notifications::notification(&mut inner).await {
            Ok(resp) => resp.status_code(),
            Err(e) => e.problem().status,
        })
    }
    .await;
    match result {
        Ok(200) => {}
        other => worker::console_error!("sandbox: notification delivery answered {other:?}"),
    }
}
