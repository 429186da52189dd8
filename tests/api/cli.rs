//! The `convene` binary itself: refusing a weak secret, creating an admin,
//! durability across `kill -9`, graceful shutdown and plain logs. These run
//! the real executable on an SQLite file.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn convene(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_convene"));
    command
        .env_clear()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("convene.db").display()),
        )
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// One HTTP/1.1 exchange on a fresh connection; returns status and body.
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

fn start_server(dir: &std::path::Path) -> (Child, SocketAddr) {
    start_server_with(convene(dir))
}

/// Starts `command` as a server on a free port and waits until it is ready.
pub fn start_server_with(mut command: Command) -> (Child, SocketAddr) {
    let addr = free_port();
    let mut child = command
        .env("CONVENE_BIND", addr.to_string())
        .spawn()
        .expect("start convene");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http(addr, "GET", "/readyz", "").is_some_and(|(status, _)| status == 200) {
            return (child, addr);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().ok();
    child.wait().ok();
    panic!("convene did not become ready");
}

#[test]
fn a_short_jwt_secret_is_refused_before_the_database_is_touched() {
    let dir = tempfile::tempdir().expect("temporary directory");

    let served = convene(dir.path())
        .env("CONVENE_JWT_SECRET", "too-short")
        .arg("serve")
        .output()
        .expect("run convene");
    let migrated = convene(dir.path())
        .env("CONVENE_JWT_SECRET", "too-short")
        .arg("migrate")
        .output()
        .expect("run convene");

    for output in [served, migrated] {
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("CONVENE_JWT_SECRET") && stderr.contains("32 bytes"),
            "stderr: {stderr}"
        );
    }
    assert!(
        !dir.path().join("convene.db").exists(),
        "no database was created, so no migration ran"
    );
}

/// Real mail is read in mail clients, where a link without a host leads
/// nowhere: with an SMTP server but no public address, neither `serve` nor
/// `worker` starts, and both say what to set.
#[test]
fn real_mail_without_a_public_url_is_refused_with_what_to_set() {
    let dir = tempfile::tempdir().expect("temporary directory");

    let outputs: Vec<_> = ["serve", "worker"]
        .into_iter()
        .map(|command| {
            convene(dir.path())
                .env("CONVENE_SMTP_URL", "smtp://127.0.0.1:2525")
                .env("CONVENE_BIND", "127.0.0.1:0")
                .arg(command)
                .output()
                .expect("run convene")
        })
        .collect();

    for output in outputs {
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("CONVENE_PUBLIC_URL is not") && stderr.contains("https://"),
            "stderr: {stderr}"
        );
    }
}

#[test]
fn logs_written_to_a_pipe_carry_no_colour_codes() {
    let dir = tempfile::tempdir().expect("temporary directory");

    let output = convene(dir.path())
        .env("RUST_LOG", "info")
        .arg("migrate")
        .output()
        .expect("run convene");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("migrations applied"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "escape codes in: {stderr:?}");
}

/// Runs `convene create-admin` with the password on standard input.
fn create_admin(dir: &std::path::Path, email: &str, name: &str, password: &str) -> Output {
    let mut child = convene(dir)
        .args(["create-admin", "--email", email, "--name", name])
        .spawn()
        .expect("run convene");
    child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(format!("{password}\n").as_bytes()));
    child.wait_with_output().expect("create-admin finishes")
}

#[test]
fn create_admin_reads_the_password_from_standard_input() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let created = create_admin(
        dir.path(),
        "Chief@Example.org",
        "Chief Admin",
        "an admin passphrase",
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    // Run again (a set-up script, a walk-through followed twice): nothing
    // changes, the password included, and it says so.
    let again = create_admin(
        dir.path(),
        "chief@example.org",
        "Twice",
        "another passphrase",
    );
    let (mut server, addr) = start_server(dir.path());
    let login = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        r#"{"email":"chief@example.org","password":"an admin passphrase"}"#,
    );
    server.kill().ok();
    server.wait().ok();

    assert_eq!(login.map(|(status, _)| status), Some(200));
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("is already an admin"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn an_acknowledged_write_survives_kill_9() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (mut server, addr) = start_server(dir.path());
    let registered = http(
        addr,
        "POST",
        "/api/v1/auth/register",
        r#"{"email":"durable@example.org","display_name":"Durable","password":"a long enough passphrase"}"#,
    );
    assert_eq!(registered.map(|(status, _)| status), Some(202));

    server.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    server.wait().ok();
    let (mut restarted, addr) = start_server(dir.path());
    let login = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        r#"{"email":"durable@example.org","password":"a long enough passphrase"}"#,
    );
    restarted.kill().ok();
    restarted.wait().ok();

    // The account is there, with its password: sign-in waits only for the
    // address to be confirmed (an unknown address would be 401).
    assert_eq!(
        login.map(|(status, _)| status),
        Some(403),
        "the acknowledged registration was lost"
    );
}

#[test]
fn tokens_survive_a_restart_without_a_configured_secret() {
    let dir = tempfile::tempdir().expect("temporary directory");
    create_admin(dir.path(), "a@example.org", "A", "a long enough passphrase");
    let (mut server, addr) = start_server(dir.path());
    let (_, tokens) = http(
        addr,
        "POST",
        "/api/v1/auth/login",
        r#"{"email":"a@example.org","password":"a long enough passphrase"}"#,
    )
    .unwrap_or_default();
    server.kill().ok();
    server.wait().ok();

    let (mut restarted, addr) = start_server(dir.path());
    let refresh_token =
        serde_json::from_str::<serde_json::Value>(&tokens).unwrap_or_default()["refresh_token"]
            .clone();
    let refreshed = http(
        addr,
        "POST",
        "/api/v1/auth/refresh",
        &serde_json::json!({"refresh_token": refresh_token}).to_string(),
    );
    restarted.kill().ok();
    restarted.wait().ok();

    assert_eq!(refreshed.map(|(status, _)| status), Some(200));
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_gracefully() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (mut server, _) = start_server(dir.path());

    let signalled = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut exit = None;
    while Instant::now() < deadline && exit.is_none() {
        exit = server.try_wait().ok().flatten();
        std::thread::sleep(Duration::from_millis(50));
    }
    if exit.is_none() {
        server.kill().ok();
    }

    assert!(signalled.is_ok_and(|s| s.success()));
    assert!(
        exit.is_some_and(|status| status.success()),
        "convene did not exit cleanly on SIGTERM: {exit:?}"
    );
}

/// What the HTTP library answers before any request reaches the
/// application — an address over 64 KiB, headers over its buffer — is a
/// problem document too, as every error is.
#[test]
fn an_address_or_headers_too_long_to_read_are_problems_too() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (mut child, addr) = start_server(dir.path());
    let exchange = |request: String| {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a timeout");
        stream.write_all(request.as_bytes()).expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).ok();
        response
    };

    let long_query = exchange(format!(
        "GET /api/v1/regions?filter={} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "x".repeat(96 * 1024)
    ));
    let big_headers = exchange(format!(
        "GET /api/v1/regions HTTP/1.1\r\nHost: localhost\r\nX-Padding: {}\r\n\r\n",
        "y".repeat(512 * 1024)
    ));
    child.kill().ok();
    child.wait().ok();

    for (response, status) in [(long_query, 414), (big_headers, 431)] {
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or_default();
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        assert!(
            head.to_lowercase()
                .contains("content-type: application/problem+json"),
            "{head}"
        );
        let problem: serde_json::Value = serde_json::from_str(body).expect("a JSON problem");
        assert_eq!(problem["status"], status);
        assert!(problem["detail"].is_string() && problem["title"].is_string());
    }
}
