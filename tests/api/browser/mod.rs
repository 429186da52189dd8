//! Pages in a real browser: Debian's chromium, driven through chromedriver,
//! with axe-core (vendored here for the tests) judging each page against
//! WCAG 2.2 AA. Without chromedriver the tests say so and pass; in CI
//! (`CI=true`) that is a failure.

mod account_choices;
mod action_progress;
mod after_meeting;
mod agenda;
mod changing_email;
mod contributions;
mod forum_officers;
mod minutes_editor;
mod pages;
mod poll_votes;
mod polls;
mod raising_issues;
mod reference;
mod scheduling;
mod signing_in;
mod your_work;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::support::PASSWORD;

const AXE: &str = include_str!("axe.min.js");
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// One chromedriver for the whole run; each test opens its own window.
struct Driver {
    url: String,
    _process: Child,
}

static DRIVER: OnceLock<Option<Driver>> = OnceLock::new();

fn driver() -> Option<&'static Driver> {
    DRIVER
        .get_or_init(|| {
            if !std::path::Path::new(CHROMEDRIVER).exists() {
                return None;
            }
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            // A static is never dropped, so chromedriver is started under a
            // watchdog that stops it, and the browsers it started, once this
            // test process has gone: runs would otherwise leave them behind.
            let parent = std::process::id();
            let process = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "{CHROMEDRIVER} --port={port} & driver=$!; \
                     while kill -0 {parent} 2>/dev/null; do sleep 1; done; \
                     pkill -TERM -P $driver; kill $driver"
                ))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts");
            for _ in 0..100 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Some(Driver {
                url: format!("http://127.0.0.1:{port}"),
                _process: process,
            })
        })
        .as_ref()
}

/// A headless browser window, or `None` (said on stderr) where this
/// machine has no chromedriver; in CI that fails the test.
pub async fn open(width: u32) -> Option<Browser> {
    open_with(width, true).await
}

/// A headless browser window with JavaScript switched off, as some people
/// browse: what the pages do without their scripts (forms, links).
/// axe cannot judge a page there (the page's timers, which it waits on,
/// never fire): judge the same pages with scripts on.
pub async fn open_without_javascript(width: u32) -> Option<Browser> {
    open_with(width, false).await
}

async fn open_with(width: u32, javascript: bool) -> Option<Browser> {
    let Some(driver) = driver() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs chromium and chromium-driver for the page tests"
        );
        eprintln!("skipped: no {CHROMEDRIVER} on this machine");
        return None;
    };
    let mut capabilities = serde_json::Map::new();
    let mut options = json!({
        "binary": CHROMIUM,
        // Besides headless: the background work a browser does for a person
        // (updates, sync, translation, metrics) is left out, as automation
        // tools leave it out; each session starts and runs with less work.
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--no-first-run",
                 "--mute-audio", "--metrics-recording-only",
                 "--disable-features=Translate,OptimizationHints,MediaRouter",
                 format!("--window-size={width},900")],
    });
    if width < 500 {
        // A desktop window is never that narrow: a phone's screen, as
        // Chrome's device emulation gives it, is.
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": 900, "pixelRatio": 1}});
    }
    if !javascript {
        // The setting a browser's own "Don't allow sites to use JavaScript"
        // sets: scripts of the page do not run (WebDriver's own still do).
        options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    capabilities.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session");
    Some(Browser { client })
}

pub struct Browser {
    pub client: Client,
}

impl Browser {
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("the page loads");
    }

    pub async fn title(&self) -> String {
        self.client.title().await.expect("a title")
    }

    pub async fn script(&self, source: &str) -> Value {
        self.client
            .execute(source, Vec::new())
            .await
            .expect("the script runs")
    }

    /// Runs axe-core on the page as it stands and fails the test with each
    /// violation's id, help and targets.
    pub async fn assert_accessible(&self, what: &str) {
        self.script(AXE).await;
        let run = format!(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }} }})
               .then(r => done(r.violations.map(v => ({{
                   id: v.id, help: v.help,
                   targets: v.nodes.map(n => n.target.join(' ')) }}))))
               .catch(e => done([{{ id: 'axe-failed', help: String(e), targets: [] }}]));",
            tags = json!(WCAG_TAGS)
        );
        let violations = self
            .client
            .execute_async(&run, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("axe runs on {what}: {e}"));
        let violations = violations.as_array().cloned().unwrap_or_default();
        let described: Vec<String> = violations
            .iter()
            .map(|v| format!("{}: {} at {}", v["id"], v["help"], v["targets"]))
            .collect();
        assert!(
            described.is_empty(),
            "{what}: {} accessibility violations\n{}",
            described.len(),
            described.join("\n")
        );
    }

    /// Writes the page as it stands to `docs/screenshots/{name}.png`, for
    /// the README: the pages as a test run last saw them, never drawn.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshots folder");
        // Written beside and renamed into place: CI runs the suite on both
        // databases at once, and a half-written picture is never seen.
        let partial = dir.join(format!(".{name}.{}.png", std::process::id()));
        std::fs::write(&partial, png).expect("the screenshot written");
        std::fs::rename(&partial, dir.join(format!("{name}.png")))
            .expect("the screenshot in place");
    }

    /// The page's width in CSS pixels as it is laid out, and the window's.
    pub async fn widths(&self) -> (i64, i64) {
        let widths = self
            .script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            )
            .await;
        (
            widths[0].as_i64().unwrap_or(i64::MAX),
            widths[1].as_i64().unwrap_or(0),
        )
    }

    pub async fn type_into(&self, id: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a field #{id}"));
        field.clear().await.expect("the field clears");
        field.send_keys(text).await.expect("the field takes text");
    }

    /// Chooses the file at `path` in the file input of this id, as a
    /// person does from the file picker.
    pub async fn choose_file(&self, id: &str, path: &std::path::Path) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a file field #{id}"));
        field
            .send_keys(&path.to_string_lossy())
            .await
            .expect("the file is chosen");
    }

    /// Presses the form's button of this text and waits for the next page.
    pub async fn press(&self, button: &str) {
        let before = self.client.current_url().await.expect("a URL");
        let path = format!("//button[normalize-space()='{button}']");
        self.client
            .find(Locator::XPath(&path))
            .await
            .unwrap_or_else(|_| panic!("a button {button:?}"))
            .click()
            .await
            .expect("the button is pressed");
        self.settle(before.as_str()).await;
    }

    /// Waits until the page that follows `before` has loaded.
    async fn settle(&self, before: &str) {
        for _ in 0..100 {
            let ready = self
                .script(
                    "return document.readyState === 'complete' && !!document.querySelector('h1');",
                )
                .await;
            let now = self.client.current_url().await.expect("a URL");
            let fresh = self
                .script("return !window.__seen;")
                .await
                .as_bool()
                .unwrap_or(false);
            if ready.as_bool() == Some(true) && (now.as_str() != before || fresh) {
                self.script("window.__seen = true;").await;
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no page followed {before}");
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("a URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("an element {css}"))
            .text()
            .await
            .expect("its text")
    }

    pub async fn value_of(&self, id: &str) -> String {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a field #{id}"))
            .prop("value")
            .await
            .expect("its value")
            .unwrap_or_default()
    }

    /// Marks the page as seen, so that `press` can tell when the next one
    /// (even at the same address) has replaced it.
    pub async fn seen(&self) {
        self.script("window.__seen = true;").await;
    }

    /// Waits for the page a link or a key led to.
    pub async fn settle_after_link(&self) {
        let before = self.client.current_url().await.expect("a URL");
        self.settle(before.as_str()).await;
    }

    /// Signs in on the sign-in page as the person of this address (with
    /// the tests' password), and waits for the page it leads to.
    pub async fn sign_in(&self, base: &str, email: &str) {
        self.goto(&format!("{base}/sign-in")).await;
        self.seen().await;
        self.type_into("email", email).await;
        self.type_into("password", PASSWORD).await;
        self.press("Sign in").await;
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
