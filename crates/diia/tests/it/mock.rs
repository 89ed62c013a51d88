//! A programmable stand-in for Diia: records every request and answers through a closure.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// One request as the mock saw it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Recorded {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    }
    pub(crate) fn is_login(&self) -> bool {
        self.path.contains("/api/v1/auth/acquirer/")
    }
}

/// What the mock answers.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Option<Value>,
    pub(crate) delay: Duration,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self { status, body: Some(body), delay: Duration::ZERO }
    }
    pub(crate) fn empty(status: u16) -> Self {
        Self { status, body: None, delay: Duration::ZERO }
    }
    pub(crate) fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    handler: Box<Handler>,
}

pub(crate) struct MockDiia {
    pub(crate) base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl MockDiia {
    /// Starts on 127.0.0.1:0; `handler` gets the request and how many requests with the same
    /// method and path came before it.
    pub(crate) async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let shared =
            Arc::new(Shared { requests: Mutex::new(Vec::new()), handler: Box::new(handler) });
        let app = axum::Router::new().fallback(serve).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { base_url, shared, task }
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub(crate) fn count(&self, method: &str, path: &str) -> usize {
        self.requests().iter().filter(|r| r.method == method && r.path == path).count()
    }

    pub(crate) fn logins(&self) -> usize {
        self.requests().iter().filter(|r| r.is_login()).count()
    }
}

impl Drop for MockDiia {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    };
    let reply = {
        let mut requests = shared.requests.lock().unwrap();
        let seen = requests
            .iter()
            .filter(|r| r.method == recorded.method && r.path == recorded.path)
            .count();
        requests.push(recorded.clone());
        (shared.handler)(&recorded, seen)
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).unwrap();
    match reply.body {
        Some(body) => {
            (status, [("content-type", "application/json; charset=utf-8")], body.to_string())
                .into_response()
        }
        None => (status, Body::empty()).into_response(),
    }
}
