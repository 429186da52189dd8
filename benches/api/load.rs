//! The load: simulated clients, each on its own keep-alive connection,
//! sending requests back to back until the phase ends.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::SmallRng;
use reqwest::{StatusCode, header};
use uuid::Uuid;

use crate::dataset::Dataset;
use crate::endpoints::{Endpoint, Request};

/// What one endpoint answered during a phase.
#[derive(Default)]
pub struct Samples {
    pub micros: Vec<u32>,
    pub statuses: BTreeMap<u16, u64>,
    pub transport_errors: u64,
    /// The first unexpected answer, to show what went wrong.
    pub first_unexpected: Option<String>,
}

pub type Recorded = BTreeMap<Endpoint, Samples>;

/// What the simulated clients need to find their way round the dataset.
pub struct Target {
    pub http: reqwest::Client,
    pub base: String,
    pub data: Dataset,
    /// Per client: a token for the big forum's officer, one for the small forum's secretary.
    pub tokens: Vec<(String, String)>,
}

pub enum Mix {
    Weighted,
    Only(Endpoint),
}

/// Runs `clients` clients for `length`; returns what they recorded and how long it took.
pub async fn run(
    target: &Arc<Target>,
    mix: Mix,
    clients: usize,
    length: Duration,
) -> (Recorded, Duration) {
    let only = match mix {
        Mix::Weighted => None,
        Mix::Only(endpoint) => Some(endpoint),
    };
    let started = Instant::now();
    let deadline = started + length;
    let workers: Vec<_> = (0..clients)
        .map(|n| {
            let target = Arc::clone(target);
            tokio::spawn(async move { client(&target, n, only, deadline).await })
        })
        .collect();
    let mut all = Recorded::new();
    for worker in workers {
        let recorded = worker.await.expect("a simulated client panicked");
        for (endpoint, samples) in recorded {
            let into = all.entry(endpoint).or_default();
            into.micros.extend(samples.micros);
            into.transport_errors += samples.transport_errors;
            for (status, count) in samples.statuses {
                *into.statuses.entry(status).or_default() += count;
            }
            into.first_unexpected = into.first_unexpected.take().or(samples.first_unexpected);
        }
    }
    (all, started.elapsed())
}

async fn client(target: &Target, n: usize, only: Option<Endpoint>, deadline: Instant) -> Recorded {
    let mut rng = SmallRng::seed_from_u64(n as u64);
    let mut recorded = Recorded::new();
    while Instant::now() < deadline {
        let endpoint = only.unwrap_or_else(|| Endpoint::pick(&mut rng));
        let request = endpoint.request(&target.data, n, &mut rng);
        let (big, small) = &target.tokens[n];
        let token = if endpoint == Endpoint::SmallActions {
            small
        } else {
            big
        };
        // A PATCH sends back the ETag of a read made just before, as an editor does.
        let if_match = match request.read_first() {
            Some(read) => match send(target, read, token, None, &mut recorded).await {
                Some(etag) => Some(etag),
                None => continue,
            },
            None => None,
        };
        send(target, request, token, if_match, &mut recorded).await;
    }
    recorded
}

/// Sends one request, reads the whole answer and records it; returns the ETag of a success.
async fn send(
    target: &Target,
    request: Request,
    token: &str,
    if_match: Option<String>,
    recorded: &mut Recorded,
) -> Option<String> {
    let Request {
        endpoint,
        method,
        path,
        body,
    } = request;
    let mut request = target
        .http
        .request(method, format!("{}{path}", target.base))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(etag) = if_match {
        request = request.header(header::IF_MATCH, etag);
    }
    let samples = recorded.entry(endpoint).or_default();
    let begun = Instant::now();
    let answer = match request.send().await {
        Ok(response) => {
            let status = response.status();
            let etag = response
                .headers()
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            response.bytes().await.map(|bytes| (status, etag, bytes))
        }
        Err(err) => Err(err),
    };
    let elapsed = begun.elapsed();
    match answer {
        Ok((status, etag, bytes)) => {
            samples
                .micros
                .push(u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX));
            *samples.statuses.entry(status.as_u16()).or_default() += 1;
            if !endpoint.expects(status) && samples.first_unexpected.is_none() {
                let text = String::from_utf8_lossy(&bytes);
                samples.first_unexpected = Some(format!(
                    "{status} {path}: {}",
                    text.chars().take(300).collect::<String>()
                ));
            }
            etag.filter(|_| status.is_success())
        }
        Err(err) => {
            samples.transport_errors += 1;
            if samples.first_unexpected.is_none() {
                samples.first_unexpected = Some(format!("{path}: {err}"));
            }
            None
        }
    }
}

/// The number of items on the first page of a forum's actions, checking the
/// token and the route before any load is sent.
pub async fn page_size(target: &Target, forum: Uuid, token: &str) -> Result<usize, String> {
    let url = format!("{}/forums/{forum}/actions?limit=50", target.base);
    let response = target
        .http
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
    if status != StatusCode::OK {
        return Err(format!("{url} answered {status}: {body}"));
    }
    Ok(body["items"].as_array().map_or(0, Vec::len))
}
