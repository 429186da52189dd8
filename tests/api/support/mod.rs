//! The test harness: every test gets its own application on its own fresh
//! database, through the real migrations. SQLite (a file in a temporary
//! directory, opened exactly as production opens it) by default; with
//! `TEST_DATABASE_URL=postgres://…`, a new PostgreSQL database per test,
//! dropped when the test ends.

pub mod builders;
pub mod database;
pub mod mail;
pub mod pages;
pub mod receiver;
pub mod smtp;

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use convene::AppState;
use convene::kernel::config::Config;
use convene::kernel::credentials::passwords::HashCost;
use entity::{ForumRole, MembershipStatus};
use http_body_util::BodyExt;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

pub const PASSWORD: &str = "a long enough passphrase";
/// Tests sign tokens of their own with this to probe the validator.
pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// `PASSWORD`, hashed at the test cost, for people made directly.
    password_hash: String,
    _db: database::TestDb,
}

/// Production settings but for the password hashing cost, which tests keep
/// at the cheapest valid one.
pub fn test_config(database_url: &str) -> Config {
    let mut config = Config::for_database(database_url);
    config.jwt_secret = Some(JWT_SECRET.into());
    let cheapest = HashCost::CHEAPEST;
    config.argon2_memory_kib = cheapest.memory_kib;
    config.argon2_passes = cheapest.passes;
    config.argon2_lanes = cheapest.lanes;
    // The tests' webhook receivers listen on 127.0.0.1.
    config.webhooks_allow_loopback = true;
    config
}

/// The application served on a real socket, for tests of many requests at
/// once: tasks of a multi-threaded runtime, racing through real connections.
pub struct Served {
    pub base: String,
    pub client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Served {
    /// Sends `n` requests made by `request`, released together at a barrier,
    /// and returns their statuses in the order they were made.
    pub async fn race(
        &self,
        n: usize,
        request: impl Fn(usize, &reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Vec<StatusCode> {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let pending = request(i, &self.client, &self.base);
                let barrier = std::sync::Arc::clone(&barrier);
                tokio::spawn(async move {
                    barrier.wait().await;
                    pending.send().await.map(|r| r.status().as_u16())
                })
            })
            .collect();
        let mut statuses = Vec::with_capacity(n);
        for task in tasks {
            let status = task
                .await
                .expect("request task")
                .expect("request sent and answered");
            statuses.push(StatusCode::from_u16(status).expect("a status code"));
        }
        statuses
    }
}

/// The `id` of a record as the API answers it.
pub fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

/// The `id` of a record as the API answers it, as a `Uuid`.
pub fn uuid(value: &Value) -> Uuid {
    value["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

/// How many of the statuses are `status`.
pub fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &Self {
        assert_eq!(
            self.status,
            expected,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// Asserts an RFC 9457 problem with this status.
    #[track_caller]
    pub fn assert_problem(&self, expected: StatusCode) -> Value {
        self.assert_status(expected);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        let problem = self.json();
        assert_eq!(problem["status"], expected.as_u16());
        assert!(
            problem["type"].is_string()
                && problem["title"].is_string()
                && problem["detail"].is_string()
        );
        problem
    }

    /// The fields named by a 422 problem.
    #[track_caller]
    pub fn invalid_fields(&self) -> Vec<String> {
        let problem = self.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        problem["errors"]
            .as_array()
            .expect("422 problems list their errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// A signed-in person of a test.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut AppState)) -> Self {
        let (database_url, db_guard) = database::fresh().await;
        let config = test_config(&database_url);
        let db = convene::kernel::db::connect(&config.database_url, config.db_max_connections)
            .await
            .expect("connect to the test database");
        let mut state = AppState::new(db, &config).await.expect("application state");
        adjust(&mut state);
        let password_hash = state
            .passwords
            .hash(PASSWORD.into())
            .await
            .expect("hash the test password");
        Self {
            router: convene::app(state.clone()),
            state,
            password_hash,
            _db: db_guard,
        }
    }

    /// Serves the application on a loopback port. Use from a test on a
    /// multi-threaded runtime (`#[tokio::test(flavor = "multi_thread")]`).
    pub async fn serve(&self) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("bound address");
        let router = self.router.clone();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Served {
            base: format!("http://{address}"),
            client: reqwest::Client::new(),
            server,
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Takes the schema back to just before the migration whose name starts
    /// with `name` (undoing those after it too), then forward to the newest:
    /// how rows written before a migration fare through it.
    pub async fn replay_migrations_from(&self, name: &str) {
        use migration::{Migrator, MigratorTrait};
        let names: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        let at = names
            .iter()
            .position(|n| n.starts_with(name))
            .unwrap_or_else(|| panic!("no migration named {name}"));
        let steps = u32::try_from(names.len() - at).expect("a few migrations");
        Migrator::down(self.db(), Some(steps)).await.expect("down");
        Migrator::up(self.db(), None).await.expect("up again");
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible router");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("response body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> TestResponse {
        self.request_with_headers(method, path, token, &[], body)
            .await
    }

    /// A request with extra headers (`If-Match`, `Accept`, …).
    pub async fn request_with_headers(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    /// A list asked for as CSV.
    pub async fn get_csv(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.request_with_headers(Method::GET, path, token, &[("accept", "text/csv")], None)
            .await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> TestResponse {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> TestResponse {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn register(&self, email: &str, name: &str) -> TestResponse {
        self.post(
            "/api/v1/auth/register",
            None,
            json!({"email": email, "display_name": name, "password": PASSWORD}),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> TestResponse {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// A new person, signed in. Made directly in the database and given
    /// tokens by the session code, as a sign-in would; the tests of
    /// registration and sign-in themselves go through HTTP.
    pub async fn user(&self, name: &str) -> TestUser {
        self.person(name, false).await
    }

    async fn person(&self, name: &str, is_admin: bool) -> TestUser {
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "."),
            Uuid::new_v4().simple()
        );
        let now = self.state.clock.now();
        let id = builders::person(
            self.db(),
            builders::Person {
                email: &email,
                name,
                password_hash: &self.password_hash,
                is_admin,
                organisation_id: None,
                verified: Some(now),
            },
            now,
        )
        .await;
        let (session, refresh) = convene::auth::sessions::start(self.db(), id, now)
            .await
            .expect("start a session");
        let access = self
            .state
            .tokens
            .issue(id, session.id, now)
            .expect("issue an access token");
        TestUser {
            id,
            email,
            access,
            refresh,
        }
    }

    /// A new person who registers, confirms their address with the code
    /// emailed to it and signs in, all through HTTP, as a real one does.
    pub async fn registered_user(&self, name: &str) -> TestUser {
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "."),
            Uuid::new_v4().simple()
        );
        self.register_confirmed(&email, name).await;
        self.sign_in(&email).await
    }

    /// Someone who registered and holds a session without having confirmed
    /// their address: a session from before sign-in waited for that (the
    /// API no longer starts one), for what such people may still do.
    pub async fn unconfirmed_signed_in(&self, name: &str) -> TestUser {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "."),
            Uuid::new_v4().simple()
        );
        self.register(&email, name)
            .await
            .assert_status(StatusCode::ACCEPTED);
        let person = entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(&email))
            .one(self.db())
            .await
            .expect("read the account")
            .expect("the account was made");
        let now = self.state.clock.now();
        let (session, refresh) = convene::auth::sessions::start(self.db(), person.id, now)
            .await
            .expect("start a session");
        let access = self
            .state
            .tokens
            .issue(person.id, session.id, now)
            .expect("issue an access token");
        TestUser {
            id: person.id,
            email,
            access,
            refresh,
        }
    }

    /// Registers the address and confirms it with the code sent to it.
    pub async fn register_confirmed(&self, email: &str, name: &str) {
        self.register(email, name)
            .await
            .assert_status(StatusCode::ACCEPTED);
        let code = self
            .account_code(email, "account.email-verification")
            .await
            .expect("a verification code was sent");
        self.post(
            "/api/v1/auth/email-verification/confirm",
            None,
            json!({ "token": code }),
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
    }

    /// The code in the newest account email of this kind (`account.…`) to
    /// the account of this address, as its outbox event holds it.
    pub async fn account_code(&self, email: &str, kind: &str) -> Option<String> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let person = entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(email.trim().to_lowercase()))
            .one(self.db())
            .await
            .expect("read the account")?;
        let event = entity::outbox_event::Entity::find()
            .filter(entity::outbox_event::Column::Kind.eq(kind))
            .filter(entity::outbox_event::Column::EntityId.eq(person.id))
            .order_by_desc(entity::outbox_event::Column::Id)
            .one(self.db())
            .await
            .expect("read the outbox")?;
        event.payload["token"].as_str().map(str::to_string)
    }

    pub async fn sign_in(&self, email: &str) -> TestUser {
        let tokens = self.login(email, PASSWORD).await;
        tokens.assert_status(StatusCode::OK);
        let tokens = tokens.json();
        let me = self
            .get("/api/v1/me", tokens["access_token"].as_str())
            .await
            .json();
        TestUser {
            id: me["id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("user id"),
            email: email.to_string(),
            access: tokens["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            refresh: tokens["refresh_token"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// A platform admin (made directly in the database, as `convene create-admin` would).
    pub async fn admin(&self) -> TestUser {
        self.person("Admin", true).await
    }

    /// A person who has registered an organisation and is linked to it.
    pub async fn organisation_member(&self, name: &str) -> (TestUser, Uuid) {
        let user = self.user(name).await;
        let org = self
            .post(
                "/api/v1/organisations",
                Some(&user.access),
                organisation_body(&format!("{name}'s charity")),
            )
            .await;
        org.assert_status(StatusCode::CREATED);
        let id = org.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("organisation id");
        (user, id)
    }
}

pub fn organisation_body(name: &str) -> Value {
    json!({
        "name": name,
        "size_band": "small",
        "in_supply_chain": false,
        "led_by_and_for": ["lived-experience"],
        "themes": ["accommodation", "women"],
        "regions_served": ["wales"],
        "description": "Peer mentoring for people leaving prison",
        "website": "https://example.org"
    })
}

pub fn short_timeout() -> impl FnOnce(&mut AppState) {
    |state: &mut AppState| state.request_timeout = Duration::from_millis(1)
}

/// Who is calling, for the permission matrices: every role of the permission
/// table (docs/permissions.md), plus the people of another region who must see nothing here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Public,
    SignedIn,
    Member,
    Observer,
    Secretary,
    Chair,
    RpdStaff,
    OtherRegionRpdStaff,
    OtherForumMember,
    Admin,
}

impl Caller {
    pub const ALL: [Caller; 10] = [
        Caller::Public,
        Caller::SignedIn,
        Caller::Member,
        Caller::Observer,
        Caller::Secretary,
        Caller::Chair,
        Caller::RpdStaff,
        Caller::OtherRegionRpdStaff,
        Caller::OtherForumMember,
        Caller::Admin,
    ];
}

/// Two forums — Kent, Surrey and Sussex (the one under test) and Wales — with
/// a person in every role.
pub struct ForumFixture {
    pub forum: Uuid,
    pub other_forum: Uuid,
    pub admin: TestUser,
    pub signed_in: TestUser,
    pub member: TestUser,
    pub member_organisation: Uuid,
    pub member_membership: Uuid,
    pub observer: TestUser,
    pub secretary: TestUser,
    pub chair: TestUser,
    pub rpd_staff: TestUser,
    pub other_rpd_staff: TestUser,
    pub other_member: TestUser,
    pub other_member_organisation: Uuid,
}

impl ForumFixture {
    /// `with_role`: the observer, secretary, chair and RPD staff of the
    /// forum, and the RPD staff of the other, in that order.
    fn of(
        admin: TestUser,
        (forum, other_forum): (Uuid, Uuid),
        (member, member_organisation, member_membership): (TestUser, Uuid, Uuid),
        (other_member, other_member_organisation): (TestUser, Uuid),
        signed_in: TestUser,
        with_role: Vec<TestUser>,
    ) -> Self {
        let mut with_role = with_role.into_iter();
        let mut next = || with_role.next().expect("five people with roles");
        Self {
            forum,
            other_forum,
            signed_in,
            member,
            member_organisation,
            member_membership,
            observer: next(),
            secretary: next(),
            chair: next(),
            rpd_staff: next(),
            other_rpd_staff: next(),
            other_member,
            other_member_organisation,
            admin,
        }
    }

    pub fn token(&self, caller: Caller) -> Option<&str> {
        let user = match caller {
            Caller::Public => return None,
            Caller::SignedIn => &self.signed_in,
            Caller::Member => &self.member,
            Caller::Observer => &self.observer,
            Caller::Secretary => &self.secretary,
            Caller::Chair => &self.chair,
            Caller::RpdStaff => &self.rpd_staff,
            Caller::OtherRegionRpdStaff => &self.other_rpd_staff,
            Caller::OtherForumMember => &self.other_member,
            Caller::Admin => &self.admin,
        };
        Some(&user.access)
    }
}

impl TestApp {
    pub async fn create_forum(&self, admin: &TestUser, region: &str, name: &str) -> Uuid {
        let response = self
            .post(
                "/api/v1/forums",
                Some(&admin.access),
                json!({"region": region, "name": name}),
            )
            .await;
        response.assert_status(StatusCode::CREATED);
        response.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("forum id")
    }

    pub async fn put_role(
        &self,
        by: &TestUser,
        forum: Uuid,
        user: Uuid,
        role: &str,
    ) -> TestResponse {
        self.request(
            Method::PUT,
            &format!("/api/v1/forums/{forum}/roles/{user}"),
            Some(&by.access),
            Some(json!({"role": role})),
        )
        .await
    }

    /// An organisation (made by the admin) with an application to the forum; returns (organisation, membership).
    pub async fn applicant(&self, admin: &TestUser, forum: Uuid, name: &str) -> (Uuid, Uuid) {
        let org = self
            .post(
                "/api/v1/organisations",
                Some(&admin.access),
                organisation_body(name),
            )
            .await;
        org.assert_status(StatusCode::CREATED);
        let org: Uuid = org.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("organisation id");
        let membership = self
            .post(
                &format!("/api/v1/forums/{forum}/memberships"),
                Some(&admin.access),
                json!({"organisation_id": org, "statement": "We run a peer mentoring service"}),
            )
            .await;
        membership.assert_status(StatusCode::CREATED);
        (
            org,
            membership.json()["id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("membership id"),
        )
    }

    pub async fn set_membership(
        &self,
        by: &TestUser,
        forum: Uuid,
        membership: Uuid,
        body: Value,
    ) -> TestResponse {
        self.patch(
            &format!("/api/v1/forums/{forum}/memberships/{membership}"),
            Some(&by.access),
            body,
        )
        .await
    }

    /// A person whose organisation is an active member of the forum, holding the `member` role.
    pub async fn forum_member(
        &self,
        admin: &TestUser,
        forum: Uuid,
        name: &str,
    ) -> (TestUser, Uuid, Uuid) {
        let (user, org) = self.organisation_member(name).await;
        let applied = self
            .post(
                &format!("/api/v1/forums/{forum}/memberships"),
                Some(&user.access),
                json!({"statement": "We support families of people in prison"}),
            )
            .await;
        applied.assert_status(StatusCode::CREATED);
        let membership: Uuid = applied.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("membership id");
        self.set_membership(admin, forum, membership, json!({"status": "active"}))
            .await
            .assert_status(StatusCode::OK);
        self.put_role(admin, forum, user.id, "member")
            .await
            .assert_status(StatusCode::CREATED);
        (user, org, membership)
    }

    /// A second person of `organisation`, holding the forum's `member` role.
    pub async fn colleague(&self, fx: &ForumFixture, organisation: Uuid) -> TestUser {
        let person = self.user("Colleague").await;
        builders::works_for(self.db(), person.id, organisation).await;
        self.put_role(&fx.admin, fx.forum, person.id, "member")
            .await
            .assert_status(StatusCode::CREATED);
        person
    }

    /// A user row made directly, for use as the target of role changes (cannot sign in).
    pub async fn bare_user(&self, name: &str) -> Uuid {
        let email = format!("{}@example.org", Uuid::new_v4().simple());
        let now = chrono::Utc::now();
        builders::person(
            self.db(),
            builders::Person {
                email: &email,
                name,
                password_hash: "not-a-hash",
                is_admin: false,
                organisation_id: None,
                verified: Some(now),
            },
            now,
        )
        .await
    }

    /// A person whose organisation (made for them) is an active member of
    /// the forum, holding the `member` role: written straight to the database.
    async fn member_of(&self, forum: Uuid, name: &str) -> (TestUser, Uuid, Uuid) {
        let now = self.state.clock.now();
        let person = self.user(name).await;
        let organisation =
            builders::organisation(self.db(), &format!("{name}'s charity"), now).await;
        builders::works_for(self.db(), person.id, organisation).await;
        let membership = builders::membership(
            self.db(),
            forum,
            organisation,
            MembershipStatus::Active,
            now,
        )
        .await;
        builders::role(self.db(), forum, person.id, ForumRole::Member, now).await;
        (person, organisation, membership)
    }

    /// The same two forums and people, made through the API as officers
    /// make them, for tests whose subject is those writes (their audit
    /// trail, say).
    pub async fn forum_fixture_through_api(&self) -> ForumFixture {
        let admin = self.admin().await;
        let forum = self
            .create_forum(&admin, "kent-surrey-sussex", "KSS Voluntary Sector Forum")
            .await;
        let other_forum = self
            .create_forum(&admin, "wales", "Wales Third Sector Forum")
            .await;
        let (member, member_organisation, member_membership) =
            self.forum_member(&admin, forum, "Member").await;
        let (other_member, other_member_organisation, _) =
            self.forum_member(&admin, other_forum, "Cymru").await;
        let signed_in = self.user("Outsider").await;
        let mut with_role = Vec::new();
        for (name, target, role) in [
            ("Observer", forum, "observer"),
            ("Secretary", forum, "secretary"),
            ("Chair", forum, "chair"),
            ("Rpd", forum, "rpd-staff"),
            ("Welsh Rpd", other_forum, "rpd-staff"),
        ] {
            let user = self.user(name).await;
            self.put_role(&admin, target, user.id, role)
                .await
                .assert_status(StatusCode::CREATED);
            with_role.push(user);
        }
        ForumFixture::of(
            admin,
            (forum, other_forum),
            (member, member_organisation, member_membership),
            (other_member, other_member_organisation),
            signed_in,
            with_role,
        )
    }

    /// Two forums and a person in every role, written straight to the
    /// database (the writes that make them are tested through HTTP where
    /// they are the subject).
    pub async fn forum_fixture(&self) -> ForumFixture {
        let now = self.state.clock.now();
        let admin = self.admin().await;
        let forum = builders::forum(
            self.db(),
            "kent-surrey-sussex",
            "KSS Voluntary Sector Forum",
            now,
        )
        .await;
        let other_forum =
            builders::forum(self.db(), "wales", "Wales Third Sector Forum", now).await;
        let (member, member_organisation, member_membership) =
            self.member_of(forum, "Member").await;
        let (other_member, other_member_organisation, _) =
            self.member_of(other_forum, "Cymru").await;
        let signed_in = self.user("Outsider").await;
        let mut with_role = Vec::new();
        for (name, target, role) in [
            ("Observer", forum, ForumRole::Observer),
            ("Secretary", forum, ForumRole::Secretary),
            ("Chair", forum, ForumRole::Chair),
            ("Rpd", forum, ForumRole::RpdStaff),
            ("Welsh Rpd", other_forum, ForumRole::RpdStaff),
        ] {
            let user = self.user(name).await;
            builders::role(self.db(), target, user.id, role, now).await;
            with_role.push(user);
        }
        ForumFixture::of(
            admin,
            (forum, other_forum),
            (member, member_organisation, member_membership),
            (other_member, other_member_organisation),
            signed_in,
            with_role,
        )
    }
}

impl TestApp {
    /// A meeting of the fixture's forum, starting `in_hours` from now (may be
    /// negative), written straight to the database: no one is told of it.
    pub async fn meeting(&self, fx: &ForumFixture, title: &str, in_hours: i64) -> Uuid {
        let now = self.state.clock.now();
        let starts = now + chrono::Duration::hours(in_hours);
        builders::meeting(self.db(), fx.forum, title, starts, now).await
    }

    /// A meeting of the fixture's forum scheduled by its secretary through
    /// the API, as a person schedules one: its participants are told, and
    /// its agenda opens with the matters arising from the meeting before.
    pub async fn schedule(&self, fx: &ForumFixture, title: &str, in_hours: i64) -> Uuid {
        let starts = self.state.clock.now() + chrono::Duration::hours(in_hours);
        let response = self
            .post(
                &format!("/api/v1/forums/{}/meetings", fx.forum),
                Some(&fx.secretary.access),
                json!({
                    "title": title,
                    "starts_at": starts,
                    "ends_at": starts + chrono::Duration::hours(2),
                    "location": "Maidstone Community Hub",
                    "online_link": "https://meet.example.org/kss"
                }),
            )
            .await;
        response.assert_status(StatusCode::CREATED);
        uuid(&response.json())
    }
}

impl TestApp {
    /// A current plan for the region, published by `by`.
    pub async fn plan(&self, by: &TestUser, region: &str, title: &str) -> Uuid {
        let response = self
            .post(
                &format!("/api/v1/regions/{region}/plans"),
                Some(&by.access),
                json!({"title": title, "period": "2021-22", "published_on": "2021-08-31"}),
            )
            .await;
        response.assert_status(StatusCode::CREATED);
        response.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("plan id")
    }

    pub async fn commitment(
        &self,
        by: &TestUser,
        plan: Uuid,
        reference: &str,
        theme: &str,
        firmness: &str,
    ) -> Uuid {
        let response = self
            .post(
                &format!("/api/v1/plans/{plan}/commitments"),
                Some(&by.access),
                json!({"reference": reference, "theme": theme, "firmness": firmness, "text": format!("Commitment {reference}")}),
            )
            .await;
        response.assert_status(StatusCode::CREATED);
        response.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("commitment id")
    }
}
