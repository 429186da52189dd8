//! Papers kept as files in a directory instead of in the database: the same
//! uploads, downloads, versions and packs, no file left by a refused upload
//! or a deleted paper, and orphans swept.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use convene::kernel::storage::PaperStore;
use entity::{ContentStore, paper_chunk, paper_content};
use http_body_util::BodyExt;
use sea_orm::{EntityTrait, PaginatorTrait};
use tower::ServiceExt;
use uuid::Uuid;

use crate::papers::{form, id, pdf, send_form, unpack, upload_file};
use crate::support::TestApp;

async fn app_keeping_papers_in(dir: &Path, adjust: impl FnOnce(&mut convene::AppState)) -> TestApp {
    let store = PaperStore::in_directory(dir.to_path_buf()).expect("a writable directory");
    TestApp::spawn_with(move |state| {
        state.paper_store = store;
        adjust(state);
    })
    .await
}

/// Every file under `dir`, with its bytes, in name order.
fn files_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).expect("a readable directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a readable file");
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    found
}

fn backdate(path: &Path, by: Duration) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .expect("an existing file")
        .set_modified(SystemTime::now() - by)
        .expect("a settable time");
}

#[tokio::test]
async fn papers_kept_in_a_directory_are_uploaded_replaced_ranged_packed_and_deleted() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = app_keeping_papers_in(dir.path(), |_| {}).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let first = pdf(700 * 1024);
    let made = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing")],
        ("b.pdf", &first),
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let paper = id(&made.json());

    // The bytes are a file; the database knows what and where they are.
    let files = files_in(dir.path());
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].1, first);
    let contents = paper_content::Entity::find()
        .all(app.db())
        .await
        .expect("contents");
    assert_eq!(contents.len(), 1);
    assert_eq!(contents[0].stored_in, ContentStore::Directory);
    assert!(
        files[0].0.ends_with(contents[0].id.simple().to_string()),
        "{:?}",
        files[0].0
    );
    let chunks = paper_chunk::Entity::find()
        .count(app.db())
        .await
        .expect("chunks");
    assert_eq!(chunks, 0);

    let content = format!("/api/v1/papers/{paper}/content");
    let whole = app.get(&content, Some(&fx.member.access)).await;
    assert_eq!(whole.body.as_ref(), first.as_slice());
    let ranged = app
        .request_with_headers(
            Method::GET,
            &content,
            Some(&fx.member.access),
            &[("range", "bytes=300000-300009")],
            None,
        )
        .await;
    ranged.assert_status(StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.body.as_ref(), &first[300_000..300_010]);

    let second = b"Figures corrected: 12 referrals, not 21.\n".to_vec();
    send_form(
        &app,
        Method::PUT,
        &content,
        &fx.secretary,
        Some("\"1\""),
        Body::from(form(&[], Some(("b.txt", &second)))),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(files_in(dir.path()).len(), 2, "the first version is kept");
    let original = app
        .get(
            &format!("/api/v1/papers/{paper}/versions/1/content"),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(original.body.as_ref(), first.as_slice());

    let pack = app
        .get(
            &format!("/api/v1/meetings/{meeting}/pack"),
            Some(&fx.member.access),
        )
        .await;
    pack.assert_status(StatusCode::OK);
    let packed = unpack(&pack.body);
    assert_eq!(packed.len(), 2, "the agenda and the paper");
    assert_eq!(packed[1].1, second);

    app.request(
        Method::DELETE,
        &format!("/api/v1/papers/{paper}"),
        Some(&fx.secretary.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    assert!(
        files_in(dir.path()).is_empty(),
        "every version's file goes with the paper"
    );
}

#[tokio::test]
async fn an_upload_refused_after_its_file_was_written_leaves_no_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = app_keeping_papers_in(dir.path(), |state| {
        state.forum_storage_limit_bytes = 1500;
    })
    .await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let title = [("title", "Briefing")];
    upload_file(&app, &fx.secretary, meeting, &title, ("a.pdf", &pdf(1000)))
        .await
        .assert_status(StatusCode::CREATED);

    // The storage limit is the database's decision, taken after the file
    // was written: the refusal takes the file with it.
    upload_file(&app, &fx.secretary, meeting, &title, ("b.pdf", &pdf(1000)))
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
    // And so does a replacement past the limit.
    let listed = app
        .get(
            &format!("/api/v1/meetings/{meeting}/papers"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let paper = id(&listed["items"][0]);
    send_form(
        &app,
        Method::PUT,
        &format!("/api/v1/papers/{paper}/content"),
        &fx.secretary,
        Some("\"1\""),
        Body::from(form(&[], Some(("c.txt", b"small enough\n")))),
    )
    .await
    .assert_status(StatusCode::OK);
    send_form(
        &app,
        Method::PUT,
        &format!("/api/v1/papers/{paper}/content"),
        &fx.secretary,
        Some("\"2\""),
        Body::from(form(&[], Some(("d.txt", &[b'x'; 600])))),
    )
    .await
    .assert_problem(StatusCode::PAYLOAD_TOO_LARGE);

    let kept: Vec<usize> = files_in(dir.path())
        .iter()
        .map(|(_, bytes)| bytes.len())
        .collect();
    assert_eq!(kept, files_for(&app).await, "one file per content, no more");
    assert_eq!(kept.len(), 2);
}

/// The sizes of the contents the database knows, in the order of their
/// files' names.
async fn files_for(app: &TestApp) -> Vec<usize> {
    let mut contents = paper_content::Entity::find()
        .all(app.db())
        .await
        .expect("contents");
    contents.sort_by_key(|c| {
        let name = c.id.simple().to_string();
        (name[name.len() - 2..].to_string(), name)
    });
    contents
        .iter()
        .map(|c| usize::try_from(c.size).unwrap_or(0))
        .collect()
}

#[tokio::test]
async fn the_sweep_removes_old_files_no_paper_owns_and_nothing_else() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = app_keeping_papers_in(dir.path(), |_| {}).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let bytes = pdf(4000);
    let made = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing")],
        ("b.pdf", &bytes),
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let two_hours = Duration::from_secs(2 * 60 * 60);
    let (live, _) = files_in(dir.path()).remove(0);
    backdate(&live, two_hours);

    // What a crash between writing a file and committing its paper leaves.
    let orphan = |age: Duration| {
        let id = Uuid::now_v7().simple().to_string();
        let shard = dir.path().join(&id[id.len() - 2..]);
        std::fs::create_dir_all(&shard).expect("a shard");
        let path = shard.join(id);
        std::fs::write(&path, b"half an upload").expect("a file");
        backdate(&path, age);
        path
    };
    let old_orphan = orphan(two_hours);
    let young_orphan = orphan(Duration::from_secs(60));
    let not_ours = dir
        .path()
        .join(live.parent().expect("a shard"))
        .join("README");
    std::fs::write(&not_ours, b"someone else's").expect("a file");
    backdate(&not_ours, two_hours);

    let removed = app
        .state
        .paper_store
        .sweep(app.db())
        .await
        .expect("a sweep");

    assert_eq!(removed, 1);
    assert!(!old_orphan.exists());
    assert!(young_orphan.exists(), "it may be an upload in flight");
    assert!(not_ours.exists(), "only files named as contents are swept");
    let download = app
        .get(
            &format!("/api/v1/papers/{}/content", id(&made.json())),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(download.body.as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn papers_kept_in_the_database_stay_readable_once_new_ones_go_to_a_directory() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let bytes = pdf(300 * 1024);
    let made = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing")],
        ("b.pdf", &bytes),
    )
    .await;
    made.assert_status(StatusCode::CREATED);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut moved = app.state.clone();
    moved.paper_store = PaperStore::in_directory(dir.path().to_path_buf()).expect("a directory");
    let request = Request::builder()
        .uri(format!("/api/v1/papers/{}/content", id(&made.json())))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", fx.member.access),
        )
        .body(Body::empty())
        .expect("a request");
    let response = convene::app(moved)
        .oneshot(request)
        .await
        .expect("infallible router");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    assert_eq!(body.as_ref(), bytes.as_slice());
}

#[test]
fn a_paper_directory_that_cannot_be_written_stops_the_server() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("a file");
    std::fs::write(&file, b"").expect("a file");
    let mut config = convene::kernel::config::Config::for_database("sqlite::memory:");
    config.paper_dir = Some(file.join("papers"));
    let refused = config
        .paper_store()
        .map(|_| ())
        .map_err(|err| err.to_string());
    assert!(
        refused
            .as_ref()
            .is_err_and(|err| err.starts_with("CONVENE_PAPER_DIR")),
        "{refused:?}"
    );
}
