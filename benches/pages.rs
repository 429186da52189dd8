//! The pages on the demo data: `cargo bench --bench pages`.
//!
//! Seeds the demo (`convene::demo::seed`) into a SQLite file, serves the
//! app over loopback HTTP in this process, and prints, for the region page
//! (`/regions/kent-surrey-sussex`) and its forum's page: the SQL
//! statements one request runs, the median and p99 time of `BENCH_REQUESTS`
//! requests one after another (default 300; timed at the client, so each
//! includes a loopback round trip), and the HTML's size. Then a load run
//! of `BENCH_SECS` seconds (default 10) at 64 connections with `wrk`, of
//! the region page and of the JSON endpoint that carries the same figures
//! (the region's accountability report): p99, requests per second and the
//! page's rate over the endpoint's. `wrk` (Debian's `wrk` package) is a
//! load generator of its own process, so the clients' work is not counted
//! in the server's; without it the bench says so and prints the rest.
//! The officers' pages (the dashboard, the members, a meeting page, the
//! minutes editor) are measured the same way signed in as the demo
//! forum's secretary, with a `wrk` run each; and the RPD staff's
//! "Awaiting your answer", signed in as the demo forum's RPD staff, with
//! 5,000 more actions in the forum (target: at most 5 statements).
//! Last, the design system's files: their bytes, and a first visit's
//! bytes over the wire (the page, its stylesheet and its script, as a
//! browser asking for brotli or gzip receives them).
//!
//! Targets (reported, never asserted): at most 4 statements a page, a
//! median ≤ 10 ms, under load a p99 ≤ 50 ms and a rate ≥ 0.8× the
//! endpoint's, HTML ≤ 60 KB, CSS + JS ≤ 350 KB, a first visit ≤ 120 KB.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use convene::AppState;
use convene::kernel::config::Config;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::net::TcpListener;

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("pages.db").display());
    let mut config = Config::for_database(&url);
    config.jwt_secret = Some("a bench secret of thirty-two bytes!!".into());
    let db = convene::cli::connect_and_migrate(&config).await?;
    convene::demo::seed(&db, chrono::Utc::now()).await?;
    let region = convene::regions::find_by_code(&db, "kent-surrey-sussex").await?;
    let forum = entity::forum::Entity::find()
        .filter(entity::forum::Column::RegionId.eq(region.id))
        .one(&db)
        .await?
        .ok_or("the demo has no forum in Kent, Surrey and Sussex")?;

    let mut state = AppState::new(db.clone(), &config).await?;
    let statements = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&statements);
    state.db.set_metric_callback(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, convene::app(state)).await });
    let http = reqwest::Client::builder().tcp_nodelay(true).build()?;

    let region_page = format!("{base}/regions/kent-surrey-sussex");
    let forum_page = format!("{base}/forums/{}", forum.id);
    let report = format!("{base}/api/v1/regions/kent-surrey-sussex/accountability");
    let requests = number("BENCH_REQUESTS", 300).max(1) as usize;
    println!("demo data; {requests} requests one after another for each:");
    for (label, url) in [
        ("region page", &region_page),
        ("forum page", &forum_page),
        ("region report (JSON)", &report),
    ] {
        timed(&http, &statements, requests, label, url, None, 4).await?;
    }

    // The officers' pages, as the demo forum's secretary sees them.
    let cookie = sign_in(
        &http,
        &base,
        "secretary.kent-surrey-sussex@demo.convene.example",
    )
    .await?;
    let officers = officers_pages(&db, &base, forum.id).await?;
    for (label, url) in &officers {
        timed(&http, &statements, requests, label, url, Some(&cookie), 6).await?;
    }

    // The RPD staff's dashboard, on the demo with 5,000 more actions.
    more_actions(&db, forum.id, 5_000).await?;
    let rpd = sign_in(&http, &base, "rpd.kent-surrey-sussex@demo.convene.example").await?;
    let awaiting = format!("{base}/awaiting-answer");
    timed(
        &http,
        &statements,
        requests,
        "awaiting your answer (+5,000 actions)",
        &awaiting,
        Some(&rpd),
        5,
    )
    .await?;

    load(&region_page, &report);
    let secs = number("BENCH_SECS", 10).max(1);
    let measured = officers
        .iter()
        .map(|(label, url)| (*label, url.as_str(), cookie.as_str()))
        .chain([("awaiting your answer", awaiting.as_str(), rpd.as_str())]);
    for (label, url, cookie) in measured {
        match wrk_as(url, secs, Some(cookie)) {
            Ok((rate, p99)) => {
                println!("  {label}: {rate:.0} requests/s, p99 {p99} (target p99 ≤ 50 ms)")
            }
            Err(why) => println!("  {label}: not measured: {why}"),
        }
    }
    assets(&http, &region_page).await?;
    Ok(())
}

/// One page `requests` times, one after another: its statements, median
/// and p99, and its size.
async fn timed(
    http: &reqwest::Client,
    statements: &AtomicUsize,
    requests: usize,
    label: &str,
    url: &str,
    cookie: Option<&str>,
    target: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let get = || {
        let request = http.get(url);
        match cookie {
            Some(cookie) => request.header("cookie", cookie),
            None => request,
        }
    };
    statements.store(0, Ordering::Relaxed);
    let body = get().send().await?.error_for_status()?.bytes().await?;
    let ran = statements.load(Ordering::Relaxed);
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let begun = Instant::now();
        let answer = get().send().await?.bytes().await?;
        times.push(begun.elapsed());
        assert!(!answer.is_empty());
    }
    times.sort();
    println!(
        "  {label}: {ran} SQL statements, median {:.2} ms, p99 {:.2} ms, {:.1} KB \
         (targets: ≤ {target}, ≤ 10 ms, HTML ≤ 60 KB)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        body.len() as f64 / 1024.0
    );
    Ok(())
}

/// Signs in on the sign-in page as a demo person, as a browser does, and
/// returns the `Cookie` header their pages take.
async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    email: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let cookie_of = |answer: &reqwest::Response, name: &str| {
        answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
    };
    let form = http.get(format!("{base}/sign-in")).send().await?;
    let browser = cookie_of(&form, "convene_browser").ok_or("no browser cookie")?;
    let html = form.text().await?;
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no CSRF token on the sign-in page")?;
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf_token", token)
        .append_pair("email", email)
        .append_pair("password", convene::demo::DEMO_PASSWORD)
        .finish();
    let signed_in = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(format!("{base}/sign-in"))
        .header("cookie", browser)
        .header("origin", base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?;
    Ok(cookie_of(&signed_in, "convene_session").ok_or("the sign-in set no session")?)
}

/// The officers' pages the bench measures, on the demo forum.
async fn officers_pages(
    db: &sea_orm::DatabaseConnection,
    base: &str,
    forum: uuid::Uuid,
) -> Result<Vec<(&'static str, String)>, Box<dyn std::error::Error>> {
    use entity::{MeetingStatus, meeting};
    use sea_orm::QueryOrder;
    let next = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(forum))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .order_by_asc(meeting::Column::StartsAt)
        .one(db)
        .await?
        .ok_or("the demo forum has no meeting to come")?;
    // The demo's minutes are all approved (their editor sends readers to
    // the public page): the last held meeting's are taken back to a draft,
    // as they were the day they were written.
    let held = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(forum))
        .filter(meeting::Column::Status.eq(MeetingStatus::Held))
        .order_by_desc(meeting::Column::StartsAt)
        .one(db)
        .await?
        .ok_or("the demo forum has no meeting held")?;
    entity::minutes::Entity::update_many()
        .col_expr(
            entity::minutes::Column::Status,
            sea_orm::sea_query::Expr::value(entity::MinutesStatus::Draft.as_str()),
        )
        .filter(entity::minutes::Column::MeetingId.eq(held.id))
        .exec(db)
        .await?;
    Ok(vec![
        ("your forums (dashboard)", format!("{base}/your-forums")),
        (
            "the minutes editor",
            format!("{base}/forums/{forum}/minutes/{}/edit", held.id),
        ),
        (
            "member organisations",
            format!("{base}/forums/{forum}/members"),
        ),
        (
            "a meeting page",
            format!("{base}/forums/{forum}/meetings/{}", next.id),
        ),
    ])
}

/// `count` more actions of the forum, as a busy year would leave them.
async fn more_actions(
    db: &sea_orm::DatabaseConnection,
    forum: uuid::Uuid,
    count: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    use entity::{ActionStatus, action_item};
    use sea_orm::Set;
    let now = chrono::Utc::now();
    let rows: Vec<action_item::ActiveModel> = (0..count)
        .map(|n| action_item::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            forum_id: Set(forum),
            meeting_id: Set(None),
            title: Set(format!("Bench action {n}")),
            description: Set(String::new()),
            owner_organisation_id: Set(None),
            owner_user_id: Set(None),
            due_on: Set(Some(
                now.date_naive() + chrono::Duration::days((n % 120) as i64 - 60),
            )),
            status: Set(ActionStatus::Open),
            completed_at: Set(None),
            version: Set(1),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            agenda_item_id: Set(None),
        })
        .collect();
    for chunk in rows.chunks(500) {
        action_item::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Requests per second and p99 of a `wrk` run, or why there are none.
fn wrk(url: &str, secs: u64) -> Result<(f64, String), String> {
    wrk_as(url, secs, None)
}

/// As [`wrk`], with the `Cookie` header of someone signed in.
fn wrk_as(url: &str, secs: u64, cookie: Option<&str>) -> Result<(f64, String), String> {
    let mut args = vec![
        "-t2".to_string(),
        "-c64".to_string(),
        format!("-d{secs}s"),
        "--latency".to_string(),
    ];
    if let Some(cookie) = cookie {
        args.extend(["-H".to_string(), format!("Cookie: {cookie}")]);
    }
    args.push(url.to_string());
    let output = Command::new("wrk")
        .args(&args)
        .output()
        .map_err(|e| format!("wrk could not run ({e}): install Debian's `wrk` package"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let rate = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no rate in wrk's output:\n{text}"))?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| v.trim().to_string())
        .ok_or_else(|| format!("no p99 in wrk's output:\n{text}"))?;
    if text.contains("Non-2xx") {
        return Err(format!("wrk saw errors:\n{text}"));
    }
    Ok((rate, p99))
}

fn load(page: &str, report: &str) {
    let secs = number("BENCH_SECS", 10).max(1);
    println!("under load, wrk -t2 -c64 -d{secs}s (targets: p99 ≤ 50 ms, page ≥ 0.8× JSON):");
    let runs: Vec<_> = [("region page", page), ("region report (JSON)", report)]
        .into_iter()
        .map(|(label, url)| (label, wrk(url, secs)))
        .collect();
    for (label, run) in &runs {
        match run {
            Ok((rate, p99)) => println!("  {label}: {rate:.0} requests/s, p99 {p99}"),
            Err(why) => println!("  {label}: not measured: {why}"),
        }
    }
    if let [(_, Ok((page, _))), (_, Ok((json, _)))] = runs.as_slice() {
        println!("  the page's rate over the JSON's: {:.2}×", page / json);
    }
}

/// The design system's files, and a first visit's bytes over the wire.
async fn assets(http: &reqwest::Client, page: &str) -> Result<(), Box<dyn std::error::Error>> {
    let vendor = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/assets/vendor");
    let mut all = 0;
    for entry in std::fs::read_dir(vendor)?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".css") || name.ends_with(".js") {
            all += entry.metadata()?.len();
        }
    }
    // What every page links: the design system's stylesheet and script,
    // and Convene's own stylesheet.
    let linked: Vec<&str> = [
        "govuk-frontend.min.css",
        "govuk-frontend.min.js",
        "convene.css",
    ]
    .into_iter()
    .filter_map(convene::web::assets::path_of)
    .collect();
    let mut used = 0;
    for name in ["govuk-frontend.min.css", "govuk-frontend.min.js"] {
        used += std::fs::metadata(format!("{vendor}/{name}"))?.len();
    }
    println!(
        "design system: {:.1} KB of CSS and JS the pages link, {:.1} KB vendored in all \
         (target ≤ 350 KB)",
        used as f64 / 1024.0,
        all as f64 / 1024.0
    );
    let origin = page.split("/regions").next().unwrap_or(page);
    for encoding in ["br", "gzip"] {
        let mut wire = 0;
        let mut urls = vec![page.to_string()];
        urls.extend(linked.iter().map(|path| format!("{origin}{path}")));
        for url in &urls {
            let answer = http
                .get(url)
                .header("accept-encoding", encoding)
                .header("accept", "text/html,*/*")
                .send()
                .await?
                .error_for_status()?;
            wire += answer.bytes().await?.len();
        }
        println!(
            "  a first visit to the region page with {encoding}: {:.1} KB over the wire \
             (page, stylesheets, script; target ≤ 120 KB)",
            wire as f64 / 1024.0
        );
    }
    Ok(())
}
