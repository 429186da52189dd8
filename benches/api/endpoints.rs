//! The endpoints the clients call, their share of the mix, the answers they
//! may rightly get, and the request each one sends.

use rand::Rng;
use rand::rngs::SmallRng;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::dataset::{BIG_REGION, Dataset};

/// Actions that everyone edits at once (those discussed at this month's
/// meeting): the PATCHes race, and some lose with 412.
const HOT_ACTIONS: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    BigActions,
    SmallActions,
    /// The big forum's page cut to the small forum's size: run alone only,
    /// to tell what the forum's history costs from what the page's size does.
    BigActionsShort,
    Issues,
    Meetings,
    Commitments,
    /// A search every action of the big forum matches: the most ranking work.
    SearchActions,
    Action,
    Meeting,
    Report,
    Themes,
    PatchAction,
    LogProgress,
}

impl Endpoint {
    pub const ALL: [Endpoint; 12] = [
        Endpoint::BigActions,
        Endpoint::SmallActions,
        Endpoint::Issues,
        Endpoint::Meetings,
        Endpoint::Commitments,
        Endpoint::SearchActions,
        Endpoint::Action,
        Endpoint::Meeting,
        Endpoint::Report,
        Endpoint::Themes,
        Endpoint::PatchAction,
        Endpoint::LogProgress,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Endpoint::BigActions => "GET  /forums/{big}/actions",
            Endpoint::SmallActions => "GET  /forums/{small}/actions",
            Endpoint::BigActionsShort => "GET  /forums/{big}/actions (short page)",
            Endpoint::Issues => "GET  /forums/{big}/issues",
            Endpoint::Meetings => "GET  /forums/{big}/meetings",
            Endpoint::Commitments => "GET  /plans/{big}/commitments",
            Endpoint::SearchActions => "GET  /forums/{big}/actions?q= (all match)",
            Endpoint::Action => "GET  /actions/{id}",
            Endpoint::Meeting => "GET  /meetings/{id}",
            Endpoint::Report => "GET  /regions/{big}/accountability",
            Endpoint::Themes => "GET  /accountability/themes",
            Endpoint::PatchAction => "PATCH /actions/{id} (If-Match)",
            Endpoint::LogProgress => "POST /actions/{id}/updates",
        }
    }

    /// Its share of the mix, in per cent: mostly lists, 10% writes.
    fn weight(self) -> u32 {
        match self {
            Endpoint::BigActions | Endpoint::SmallActions => 16,
            Endpoint::Issues | Endpoint::Meetings | Endpoint::Action | Endpoint::Report => 9,
            Endpoint::Commitments
            | Endpoint::Meeting
            | Endpoint::PatchAction
            | Endpoint::Themes => 6,
            Endpoint::LogProgress | Endpoint::SearchActions => 4,
            Endpoint::BigActionsShort => 0,
        }
    }

    /// A list page, held to the p99 target.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Endpoint::BigActions
                | Endpoint::SmallActions
                | Endpoint::BigActionsShort
                | Endpoint::Issues
                | Endpoint::Meetings
                | Endpoint::Commitments
        )
    }

    /// An answer the API may rightly give under this load. A 412 is one: it
    /// is how a PATCH that lost a race is told so.
    pub fn expects(self, status: StatusCode) -> bool {
        match self {
            Endpoint::PatchAction => {
                status == StatusCode::OK || status == StatusCode::PRECONDITION_FAILED
            }
            Endpoint::LogProgress => status == StatusCode::CREATED,
            _ => status == StatusCode::OK,
        }
    }
}

/// One request: what it is for, and what to send.
pub struct Request {
    pub endpoint: Endpoint,
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
}

impl Request {
    fn get(endpoint: Endpoint, path: String) -> Self {
        Self {
            endpoint,
            method: Method::GET,
            path,
            body: None,
        }
    }

    /// The read that gives a PATCH its `If-Match`.
    pub fn read_first(&self) -> Option<Self> {
        (self.method == Method::PATCH).then(|| Self::get(Endpoint::Action, self.path.clone()))
    }
}

impl Endpoint {
    /// An endpoint drawn at random by its share of the mix.
    pub fn pick(rng: &mut SmallRng) -> Self {
        let total: u32 = Self::ALL.iter().map(|e| e.weight()).sum();
        let mut roll = rng.random_range(0..total);
        for endpoint in Self::ALL {
            if roll < endpoint.weight() {
                return endpoint;
            }
            roll -= endpoint.weight();
        }
        Self::BigActions
    }

    /// The request that `client` sends to this endpoint this time.
    pub fn request(self, data: &Dataset, client: usize, rng: &mut SmallRng) -> Request {
        let action = data.actions[rng.random_range(0..data.actions.len())];
        let get = |path| Request::get(self, path);
        match self {
            Self::BigActions => get(format!("/forums/{}/actions?limit=50", data.big_forum)),
            Self::SmallActions => get(format!("/forums/{}/actions?limit=50", data.small_forum)),
            Self::BigActionsShort => get(format!(
                "/forums/{}/actions?limit={}",
                data.big_forum,
                data.counts.small_actions.clamp(1, 50)
            )),
            Self::Issues => get(format!("/forums/{}/issues?limit=50", data.big_forum)),
            Self::Meetings => get(format!("/forums/{}/meetings?limit=50", data.big_forum)),
            Self::Commitments => get(format!("/plans/{}/commitments?limit=50", data.big_plan)),
            Self::SearchActions => get(format!(
                "/forums/{}/actions?q=follow%20team&limit=50",
                data.big_forum
            )),
            Self::Action => get(format!("/actions/{action}")),
            Self::Meeting => {
                let meeting = data.meetings[rng.random_range(0..data.meetings.len())];
                get(format!("/meetings/{meeting}"))
            }
            Self::Report => get(format!("/regions/{BIG_REGION}/accountability")),
            Self::Themes => get("/accountability/themes".into()),
            Self::LogProgress => Request {
                endpoint: self,
                method: Method::POST,
                path: format!("/actions/{action}/updates"),
                body: Some(json!({"body": "Called the housing team; they will reply this week."})),
            },
            Self::PatchAction => {
                let hot = data.actions[rng.random_range(0..HOT_ACTIONS.min(data.actions.len()))];
                let due = chrono::Utc::now().date_naive()
                    + chrono::Duration::days(rng.random_range(1..90));
                Request {
                    endpoint: self,
                    method: Method::PATCH,
                    path: format!("/actions/{hot}"),
                    body: Some(
                        json!({"description": format!("Revised by client {client}"), "due_on": due}),
                    ),
                }
            }
        }
    }
}
