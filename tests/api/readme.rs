//! The README's walk-through, run as written against a freshly started
//! server — twice, as someone following it again would — so that it stays
//! true. Its `cargo run --release -- …` commands run the built binary on the
//! same database, the admin's creation too (the second time it changes
//! nothing).

use std::process::{Command, Output, Stdio};

use crate::cli::start_server_with;
use crate::support::database;

const README: &str = include_str!("../../README.md");

/// The `sh` blocks of the walk-through, from its heading to the API reference.
fn walk_through_blocks() -> Vec<String> {
    let start = README
        .find("## A first walk-through")
        .expect("the README has a walk-through");
    let end = README[start..]
        .find("### The API reference")
        .map_or(README.len(), |at| start + at);
    README[start..end]
        .split("```sh\n")
        .skip(1)
        .map(|block| {
            let (code, _) = block.split_once("```").expect("a closed code block");
            code.to_string()
        })
        .collect()
}

/// `program` with only the settings the walk-through's server and commands
/// need: the test database, a test secret and the cheapest password hashing.
fn with_settings(program: &str, database_url: &str) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("CONVENE_JWT_SECRET", crate::support::JWT_SECRET)
        .env("CONVENE_ARGON2_MEMORY_KIB", "8")
        .env("CONVENE_ARGON2_PASSES", "1")
        .env("CONVENE_ARGON2_LANES", "1")
        .env("RUST_LOG", "warn");
    command
}

fn run_walk_through(script: String, database_url: &str, mail: &std::path::Path) -> Output {
    with_settings("bash", database_url)
        .env("CONVENE_MAIL_DIR", mail)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .output()
        .expect("run bash")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_walk_through_runs_as_written_and_again() {
    let (database_url, _database) = database::fresh().await;
    let binary = env!("CARGO_BIN_EXE_convene");
    let mail = tempfile::tempdir().expect("a mail directory");
    let mut server = with_settings(binary, &database_url);
    server
        .env("CONVENE_MAIL_DIR", mail.path())
        .env("CONVENE_DELIVERY_INTERVAL_SECS", "1")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let (mut child, address) = start_server_with(server);

    let blocks = walk_through_blocks();
    assert!(blocks.len() >= 5, "walk-through blocks: {}", blocks.len());
    let walk_through = blocks.concat();
    assert!(walk_through.contains("'+10 seconds'") && walk_through.contains("sleep 10"));
    // The meeting starts 3 seconds after it is scheduled rather than 10: a
    // script pastes faster than a person.
    let adapt = |block: &str| {
        block
            .replace("http://127.0.0.1:8080", &format!("http://{address}"))
            .replace("cargo run --release --", &format!("'{binary}'"))
            .replace("'+10 seconds'", "'+3 seconds'")
            .replace("sleep 10", "sleep 3")
    };
    let mut outcomes = Vec::new();
    for run in 1..=2 {
        // All of it both times, `create-admin` too: run again, it changes nothing.
        let script: String = blocks
            .iter()
            .map(|block| adapt(block))
            .collect::<Vec<_>>()
            .join("\n");
        let database_url = database_url.clone();
        let mail = mail.path().to_path_buf();
        let output =
            tokio::task::spawn_blocking(move || run_walk_through(script, &database_url, &mail))
                .await
                .expect("the walk-through task");
        outcomes.push((run, output));
    }
    for (run, output) in outcomes {
        assert!(
            output.status.success(),
            "run {run} of the walk-through failed ({})\n--- stdout\n{}\n--- stderr\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("BEGIN:VCALENDAR"), "the calendar feed");
        assert!(
            stdout.contains("\"status\":\"approved\""),
            "minutes approved"
        );
        assert!(stdout.contains("\"status\":\"closed\""), "the issue closed");
        assert!(
            stdout.contains("\"kind\":\"agenda-item\""),
            "the carried-over item is a matter arising"
        );
        assert!(
            stdout.contains("\"agenda\":[\"Withheld: legal advice\"]"),
            "the public sees the confidential item withheld"
        );
        // Followed in order, the walk-through loads the demo into every
        // region, Wales too, and then joins the demo's Welsh forum.
        if run == 1 {
            assert!(stdout.contains("loaded 12 forums"), "{stdout}");
        }
        assert!(!stdout.contains("left 1 region(s) alone"), "{stdout}");
    }
    // The server's own worker has emailed what happened (as .eml files,
    // with no SMTP server set): the meeting scheduled, for one, to Sam,
    // whose address the walk-through verifies.
    let mut scheduled = false;
    for _ in 0..50 {
        scheduled = std::fs::read_dir(mail.path())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "eml"))
            .any(|f| {
                std::fs::read_to_string(f.path())
                    .is_ok_and(|m| m.contains("Subject: Meeting scheduled"))
            });
        if scheduled {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    child.kill().ok();
    child.wait().ok();
    assert!(scheduled, "no invitation was written to the mail directory");
}
