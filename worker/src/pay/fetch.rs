//! The worker's HTTP client for the gateways' APIs: the runtime's `fetch`.

use worker::{Fetch, Headers, Method, Request, RequestInit};

use super::{HttpClient, HttpRequest, HttpResponse, PayError};

pub struct Fetcher;

impl HttpClient for Fetcher {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, PayError> {
        let failed =
            |e: worker::Error| PayError::Gateway(format!("{} {}: {e}", req.method, req.url));
        let headers = Headers::new();
        for (name, value) in &req.headers {
            headers.set(name, value).map_err(failed)?;
        }
        let mut init = RequestInit::new();
        init.with_method(if req.method == "GET" {
            Method::Get
        } else {
            Method::Post
        })
        .with_headers(headers);
        if let Some(body) = &req.body {
            init.with_body(Some(body.as_str().into()));
        }
        let request = Request::new_with_init(&req.url, &init).map_err(failed)?;
        let mut resp = Fetch::Request(request).send().await.map_err(failed)?;
        let status = resp.status_code();
        let body = resp.text().await.map_err(failed)?;
        Ok(HttpResponse { status, body })
    }

    async fn pause(&self, millis: u64) {
        worker::Delay::from(std::time::Duration::from_millis(millis)).await;
    }
}
