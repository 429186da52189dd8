//! A webhook receiver on a loopback port: records every request it gets and
//! answers with the status the test sets.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};

#[derive(Debug, Clone)]
pub struct Request {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Request {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// Whether a receiver holding `secret` accepts it, checked the way the
    /// Standard Webhooks reference library checks it.
    pub fn verifies_with(&self, secret: &str) -> bool {
        standardwebhooks::Webhook::new(secret)
            .expect("a secret")
            .verify(&self.body, &self.headers)
            .is_ok()
    }
}

pub struct Receiver {
    pub url: String,
    received: Arc<Mutex<Vec<Request>>>,
    answer: Arc<AtomicU16>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Receiver {
    pub async fn start() -> Self {
        let received: Arc<Mutex<Vec<Request>>> = Arc::default();
        let answer = Arc::new(AtomicU16::new(200));
        let (log, status) = (Arc::clone(&received), Arc::clone(&answer));
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let (log, status) = (Arc::clone(&log), Arc::clone(&status));
                async move {
                    log.lock().expect("the log").push(Request { headers, body });
                    StatusCode::from_u16(status.load(Ordering::SeqCst))
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("bound address");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://{address}/hook"),
            received,
            answer,
            server,
        }
    }

    pub fn received(&self) -> Vec<Request> {
        self.received.lock().expect("the log").clone()
    }

    /// From now on, answer with this status.
    pub fn answer(&self, status: u16) {
        self.answer.store(status, Ordering::SeqCst);
    }
}
