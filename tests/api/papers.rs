//! Meeting papers: streamed uploads, their kind decided by their bytes,
//! downloads only as attachments (ETag, 304, ranges), and who reads them.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestResponse, TestUser};

pub(crate) const BOUNDARY: &str = "convene-test-boundary";

/// A form's text fields and one file, as `multipart/form-data`.
pub(crate) fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub(crate) async fn send_form(
    app: &TestApp,
    method: Method,
    path: &str,
    who: &TestUser,
    if_match: Option<&str>,
    body: Body,
) -> TestResponse {
    send_form_as(app, method, path, Some(&who.access), if_match, body).await
}

/// A form sent with this token, or none.
pub(crate) async fn send_form_as(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    if_match: Option<&str>,
    body: Body,
) -> TestResponse {
    let mut request = Request::builder().method(method).uri(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(tag) = if_match {
        request = request.header(header::IF_MATCH, tag);
    }
    app.send(request.body(body).expect("a request")).await
}

pub(crate) async fn upload(
    app: &TestApp,
    who: &TestUser,
    meeting: Uuid,
    body: Body,
) -> TestResponse {
    let path = format!("/api/v1/meetings/{meeting}/papers");
    send_form(app, Method::POST, &path, who, None, body).await
}

pub(crate) async fn upload_file(
    app: &TestApp,
    who: &TestUser,
    meeting: Uuid,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> TestResponse {
    upload(app, who, meeting, Body::from(form(fields, Some(file)))).await
}

pub(crate) fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend((0..size.saturating_sub(bytes.len())).map(|n| (n % 251) as u8));
    bytes
}

pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

pub(crate) async fn hold(app: &TestApp, fx: &ForumFixture, meeting: Uuid) {
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_paper_is_uploaded_and_downloaded_byte_for_byte_as_an_attachment() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let bytes = pdf(700 * 1024);
    let made = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[
            ("title", "Provider briefing"),
            ("description", "Q3 figures"),
        ],
        // The name is the uploader's; the bytes decide the kind.
        ("../Briefing Q3 – final.docx", &bytes),
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let paper = made.json();
    assert_eq!(paper["sha256"], hex_sha256(&bytes));
    assert_eq!(paper["content_type"], "application/pdf");
    assert_eq!(paper["file_name"], "Briefing Q3 – final.pdf");
    assert_eq!(paper["size"], bytes.len());
    let content = format!("/api/v1/papers/{}/content", id(&paper));

    let got = app.get(&content, Some(&fx.member.access)).await;
    got.assert_status(StatusCode::OK);
    assert_eq!(got.body.as_ref(), bytes.as_slice());
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        got.header("content-disposition"),
        Some(
            "attachment; filename=\"Briefing Q3 _ final.pdf\"; \
             filename*=UTF-8''Briefing%20Q3%20%E2%80%93%20final%2Epdf"
        )
    );
    let etag = format!("\"{}\"", hex_sha256(&bytes));
    assert_eq!(got.header("etag"), Some(etag.as_str()));

    let again = app
        .request_with_headers(
            Method::GET,
            &content,
            Some(&fx.member.access),
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // A range across the boundary of two stored chunks.
    let part = app
        .request_with_headers(
            Method::GET,
            &content,
            Some(&fx.member.access),
            &[("range", "bytes=262140-262150")],
            None,
        )
        .await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.body.as_ref(), &bytes[262_140..=262_150]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 262140-262150/{}", bytes.len()).as_str())
    );
    let outside = app
        .request_with_headers(
            Method::GET,
            &content,
            Some(&fx.member.access),
            &[("range", "bytes=900000000-")],
            None,
        )
        .await;
    outside.assert_problem(StatusCode::RANGE_NOT_SATISFIABLE);

    let listed = app
        .get(
            &format!("/api/v1/meetings/{meeting}/papers"),
            Some(&fx.observer.access),
        )
        .await;
    assert_eq!(listed.json()["items"][0]["title"], "Provider briefing");
}

#[tokio::test]
async fn a_file_larger_than_memory_could_hide_is_streamed_and_its_sha256_kept() {
    const SIZE: usize = 30 * 1024 * 1024;
    let app = TestApp::spawn_with(|state| state.paper_max_bytes = 64 * 1024 * 1024).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    // The form is sent in 64 KiB pieces, made as they are sent.
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nThe plan\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.txt\"\r\n\r\n"
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let piece = |n: usize| -> Vec<u8> {
        (0..64 * 1024)
            .map(|i| b"abcdefghijklmnopqrstuvwxyz\n"[(n * 64 * 1024 + i) % 27])
            .collect()
    };
    let mut expected = Sha256::new();
    for n in 0..SIZE / (64 * 1024) {
        expected.update(piece(n));
    }
    let pieces = std::iter::once(head.into_bytes())
        .chain((0..SIZE / (64 * 1024)).map(piece))
        .chain(std::iter::once(tail.into_bytes()))
        .map(|bytes| Ok::<_, std::io::Error>(bytes::Bytes::from(bytes)));
    let made = upload(
        &app,
        &fx.secretary,
        meeting,
        Body::from_stream(futures_util::stream::iter(pieces)),
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let expected: String = expected
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(made.json()["sha256"], expected);
    assert_eq!(made.json()["size"], SIZE);
    assert_eq!(made.json()["content_type"], "text/plain");
}

#[tokio::test]
async fn uploads_are_refused_by_size_kind_role_and_form() {
    let app = TestApp::spawn_with(|state| state.paper_max_bytes = 64 * 1024).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let title = [("title", "Briefing")];

    let big = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &title,
        ("big.pdf", &pdf(65 * 1024)),
    )
    .await;
    big.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
    let program = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0";
    let refused = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &title,
        ("agenda.pdf", program),
    )
    .await;
    refused.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let empty = upload_file(&app, &fx.secretary, meeting, &title, ("empty.txt", b"")).await;
    assert_eq!(empty.invalid_fields(), ["file"]);
    let untitled = upload_file(&app, &fx.secretary, meeting, &[], ("a.pdf", &pdf(100))).await;
    assert_eq!(untitled.invalid_fields(), ["title"]);
    let elsewhere = app.meeting(&fx, "Summer forum", 96).await;
    let item = app
        .post(
            &format!("/api/v1/meetings/{elsewhere}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Other business"}),
        )
        .await
        .json();
    let wrong_item = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing"), ("agenda_item_id", &id(&item))],
        ("a.pdf", &pdf(100)),
    )
    .await;
    assert_eq!(wrong_item.invalid_fields(), ["agenda_item_id"]);
    let no_file = upload(&app, &fx.secretary, meeting, Body::from(form(&title, None))).await;
    assert_eq!(no_file.invalid_fields(), ["file"]);

    let by_member = upload_file(&app, &fx.member, meeting, &title, ("a.pdf", &pdf(100))).await;
    by_member.assert_problem(StatusCode::FORBIDDEN);
    let by_outsider = upload_file(
        &app,
        &fx.other_rpd_staff,
        meeting,
        &title,
        ("a.pdf", &pdf(100)),
    )
    .await;
    by_outsider.assert_problem(StatusCode::NOT_FOUND);
    // Nothing of the refused uploads was kept.
    let listed = app
        .get(
            &format!("/api/v1/meetings/{meeting}/papers"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(listed.json()["items"], json!([]));
}

#[tokio::test]
async fn each_role_reads_papers_as_what_they_are_attached_to_allows() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let item = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Contract dispute", "visibility": "officers",
                   "visibility_reason": "legal advice"}),
        )
        .await
        .json();
    let open = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Agenda pack")],
        ("pack.pdf", &pdf(100)),
    )
    .await
    .json();
    let confidential = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[
            ("title", "Counsel's opinion"),
            ("agenda_item_id", &id(&item)),
        ],
        ("opinion.pdf", &pdf(100)),
    )
    .await
    .json();
    assert_eq!(confidential["visibility"], "officers");
    let narrowed = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[
            ("title", "Draft figures"),
            ("visibility", "participants"),
            ("visibility_reason", "not yet published"),
        ],
        ("figures.csv", b"a,b\n1,2\n"),
    )
    .await
    .json();
    assert_eq!(narrowed["content_type"], "text/csv");
    let papers = [id(&open), id(&confidential), id(&narrowed)];
    let readable = |who: Option<&TestUser>| {
        let app = &app;
        let token = who.map(|w| w.access.clone());
        let papers = papers.clone();
        async move {
            let mut seen = Vec::new();
            for paper in &papers {
                let got = app
                    .get(&format!("/api/v1/papers/{paper}/content"), token.as_deref())
                    .await;
                seen.push(got.status == StatusCode::OK);
            }
            seen
        }
    };
    // Before the meeting is held: the forum's, as each role allows.
    for (who, expected) in [
        (Some(&fx.secretary), [true, true, true]),
        (Some(&fx.admin), [true, true, true]),
        (Some(&fx.member), [true, false, true]),
        (Some(&fx.rpd_staff), [true, false, true]),
        (Some(&fx.signed_in), [false, false, false]),
        (Some(&fx.other_member), [false, false, false]),
        (None, [false, false, false]),
    ] {
        assert_eq!(readable(who).await, expected, "{:?}", who.map(|w| &w.email));
    }
    hold(&app, &fx, meeting).await;
    // Held: the public reads its public papers.
    for (who, expected) in [
        (Some(&fx.member), [true, false, true]),
        (Some(&fx.other_member), [true, false, false]),
        (None, [true, false, false]),
    ] {
        assert_eq!(readable(who).await, expected, "{:?}", who.map(|w| &w.email));
    }
    let listed = app
        .get(&format!("/api/v1/meetings/{meeting}/papers"), None)
        .await
        .json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    // What a held meeting saw is kept.
    app.request(
        Method::DELETE,
        &format!("/api/v1/papers/{}", papers[0]),
        Some(&fx.secretary.access),
        None,
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn officers_narrow_and_delete_papers_before_the_meeting() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let paper = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing")],
        ("b.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"),
    )
    .await
    .json();
    let path = format!("/api/v1/papers/{}", id(&paper));
    app.patch(&path, Some(&fx.member.access), json!({"title": "Mine"}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let without_reason = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"visibility": "officers"}),
        )
        .await;
    assert_eq!(without_reason.invalid_fields(), ["visibility_reason"]);
    let narrowed = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"visibility": "officers", "visibility_reason": "embargoed", "title": "Briefing (embargoed)"}),
        )
        .await;
    narrowed.assert_status(StatusCode::OK);
    assert_eq!(narrowed.json()["version"], 2);
    app.get(&path, Some(&fx.member.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.request(Method::DELETE, &path, Some(&fx.member.access), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let deleted = app
        .request(Method::DELETE, &path, Some(&fx.secretary.access), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get(&path, Some(&fx.secretary.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn replacing_a_file_keeps_the_one_before_and_after_the_meeting_needs_a_reason() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let first = pdf(1000);
    let paper = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing")],
        ("b.pdf", &first),
    )
    .await
    .json();
    let content = format!("/api/v1/papers/{}/content", id(&paper));
    let second = b"Figures corrected: 12 referrals, not 21.\n".to_vec();
    let replace = |who: &TestUser, fields: &[(&str, &str)], bytes: &[u8], tag: Option<&str>| {
        let body = Body::from(form(fields, Some(("b.txt", bytes))));
        let (app, path, who, tag) = (&app, content.clone(), who.clone(), tag.map(str::to_string));
        async move { send_form(app, Method::PUT, &path, &who, tag.as_deref(), body).await }
    };
    replace(&fx.member, &[], &second, None)
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    replace(&fx.secretary, &[], &second, Some("\"7\""))
        .await
        .assert_problem(StatusCode::PRECONDITION_FAILED);
    let replaced = replace(&fx.secretary, &[], &second, Some("\"1\"")).await;
    replaced.assert_status(StatusCode::OK);
    assert_eq!(
        (
            replaced.json()["current_version"].as_i64(),
            replaced.json()["content_type"].as_str()
        ),
        (Some(2), Some("text/plain"))
    );
    assert_eq!(
        app.get(&content, Some(&fx.member.access))
            .await
            .body
            .as_ref(),
        second.as_slice()
    );

    // Once the meeting is held, what it saw is kept: a replacement says why.
    hold(&app, &fx, meeting).await;
    let third = b"Final figures.\n".to_vec();
    let silent = replace(&fx.secretary, &[], &third, None).await;
    assert_eq!(silent.invalid_fields(), ["reason"]);
    replace(
        &fx.secretary,
        &[("reason", "Figures agreed at the meeting")],
        &third,
        None,
    )
    .await
    .assert_status(StatusCode::OK);

    let versions = app
        .get(
            &format!("/api/v1/papers/{}/versions", id(&paper)),
            Some(&fx.member.access),
        )
        .await
        .json();
    let listed: Vec<(i64, String, Value)> = versions["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| {
            (
                v["number"].as_i64().unwrap_or(0),
                v["sha256"].as_str().unwrap_or("").to_string(),
                v["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (1, hex_sha256(&first), Value::Null),
            (2, hex_sha256(&second), Value::Null),
            (
                3,
                hex_sha256(&third),
                json!("Figures agreed at the meeting")
            ),
        ]
    );
    let original = app
        .get(
            &format!("/api/v1/papers/{}/versions/1/content", id(&paper)),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(original.body.as_ref(), first.as_slice());
    app.get(
        &format!("/api/v1/papers/{}/versions/9/content", id(&paper)),
        Some(&fx.member.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

/// The names in a pack, and the text of each (lossy for binary files).
pub(crate) fn unpack(body: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).expect("a zip");
    (0..archive.len())
        .map(|n| {
            let mut file = archive.by_index(n).expect("an entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("its bytes");
            (file.name().expect("a name").to_string(), bytes)
        })
        .collect()
}

#[tokio::test]
async fn the_meeting_pack_has_the_agenda_and_the_papers_each_may_read_in_agenda_order() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let item = |body: Value| {
        let app = &app;
        let token = fx.secretary.access.clone();
        async move {
            app.post(
                &format!("/api/v1/meetings/{meeting}/agenda-items"),
                Some(&token),
                body,
            )
            .await
            .json()
        }
    };
    let welcome = item(json!({"title": "Welcome"})).await;
    let dispute = item(
        json!({"title": "Contract dispute", "visibility": "officers",
                              "visibility_reason": "legal advice"}),
    )
    .await;
    let slides = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let pack_pdf = pdf(300 * 1024);
    for (title, item, file) in [
        ("Opinion", Some(&dispute), ("opinion.pdf", pdf(100))),
        ("Slides", Some(&welcome), ("slides.png", slides.clone())),
        ("Agenda pack", None, ("pack.pdf", pack_pdf.clone())),
    ] {
        let mut fields = vec![("title", title.to_string())];
        if let Some(item) = item {
            fields.push(("agenda_item_id", id(item)));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        upload_file(&app, &fx.secretary, meeting, &fields, (file.0, &file.1))
            .await
            .assert_status(StatusCode::CREATED);
    }
    let path = format!("/api/v1/meetings/{meeting}/pack");
    let as_member = app.get(&path, Some(&fx.member.access)).await;
    as_member.assert_status(StatusCode::OK);
    assert_eq!(as_member.header("content-type"), Some("application/zip"));
    let entries = unpack(&as_member.body);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "00 Agenda.md",
            "00-01 - Agenda pack.pdf",
            "01-01 - Welcome - Slides.png"
        ]
    );
    let agenda = String::from_utf8_lossy(&entries[0].1).to_string();
    assert!(
        agenda.contains("Withheld: legal advice") && !agenda.contains("Contract dispute"),
        "{agenda}"
    );
    assert_eq!(entries[1].1, pack_pdf, "byte for byte");
    assert_eq!(entries[2].1, slides);

    let as_secretary = unpack(&app.get(&path, Some(&fx.secretary.access)).await.body);
    assert_eq!(as_secretary.len(), 4);
    assert_eq!(as_secretary[3].0, "02-01 - Contract dispute - Opinion.pdf");

    // The public: nothing before the meeting is held, its public papers after.
    app.get(&path, None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    hold(&app, &fx, meeting).await;
    let public = app.get(&path, None).await;
    public.assert_status(StatusCode::OK);
    assert_eq!(unpack(&public.body).len(), 3);
}

#[tokio::test]
async fn an_issue_s_evidence_is_the_forum_s_and_a_plan_s_papers_are_public() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Prison leavers released on Fridays", "body": "See the figures."}),
        )
        .await
        .json();
    let issue_papers = format!("/api/v1/issues/{}/papers", id(&issue));
    let evidence = send_form(
        &app,
        Method::POST,
        &issue_papers,
        &fx.member,
        None,
        Body::from(form(
            &[("title", "Release-day figures")],
            Some(("figures.csv", b"day,count\nFri,14\n")),
        )),
    )
    .await;
    evidence.assert_status(StatusCode::CREATED);
    assert_eq!(evidence.json()["issue_id"], id(&issue));
    let content = format!("/api/v1/papers/{}/content", id(&evidence.json()));
    for (who, status) in [
        (Some(&fx.rpd_staff), StatusCode::OK),
        (Some(&fx.secretary), StatusCode::OK),
        (Some(&fx.other_member), StatusCode::NOT_FOUND),
        (Some(&fx.signed_in), StatusCode::NOT_FOUND),
        (None, StatusCode::NOT_FOUND),
    ] {
        let got = app.get(&content, who.map(|w| w.access.as_str())).await;
        assert_eq!(got.status, status, "{:?}", who.map(|w| &w.email));
    }
    app.get(&issue_papers, Some(&fx.other_member.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let listed = app
        .get(&issue_papers, Some(&fx.rpd_staff.access))
        .await
        .json();
    assert_eq!(listed["items"][0]["title"], "Release-day figures");

    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "2021-22 plan")
        .await;
    let plan_papers = format!("/api/v1/plans/{plan}/papers");
    let upload_to_plan = |who: &TestUser, fields: &[(&str, &str)]| {
        let body = Body::from(form(fields, Some(("plan.pdf", &pdf(500)))));
        let (app, path, who) = (&app, plan_papers.clone(), who.clone());
        async move { send_form(app, Method::POST, &path, &who, None, body).await }
    };
    upload_to_plan(&fx.member, &[("title", "The plan")])
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    upload_to_plan(&fx.other_rpd_staff, &[("title", "The plan")])
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let published = upload_to_plan(&fx.rpd_staff, &[("title", "The plan")]).await;
    published.assert_status(StatusCode::CREATED);
    let draft = upload_to_plan(
        &fx.rpd_staff,
        &[
            ("title", "Next year's draft"),
            ("visibility", "officers"),
            ("visibility_reason", "draft"),
        ],
    )
    .await;
    draft.assert_status(StatusCode::CREATED);
    let public = app.get(&plan_papers, None).await.json();
    let titles: Vec<&str> = public["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(titles, ["The plan"]);
    app.get(
        &format!("/api/v1/papers/{}/content", id(&published.json())),
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    app.get(
        &format!("/api/v1/papers/{}", id(&draft.json())),
        Some(&fx.rpd_staff.access),
    )
    .await
    .assert_status(StatusCode::OK);
    app.get(
        &format!("/api/v1/papers/{}", id(&draft.json())),
        Some(&fx.member.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_forum_s_papers_stay_within_its_storage_limit_which_its_officers_see() {
    let app = TestApp::spawn_with(|state| state.forum_storage_limit_bytes = 3000).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let title = [("title", "Briefing")];
    upload_file(&app, &fx.secretary, meeting, &title, ("a.pdf", &pdf(1000)))
        .await
        .assert_status(StatusCode::CREATED);
    let second = upload_file(&app, &fx.secretary, meeting, &title, ("b.pdf", &pdf(1500))).await;
    second.assert_status(StatusCode::CREATED);
    let over = upload_file(&app, &fx.secretary, meeting, &title, ("c.pdf", &pdf(1000))).await;
    let problem = over.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("the forum's papers take"),
        "{problem}"
    );
    let storage = |who: &TestUser| {
        let (app, path, token) = (
            &app,
            format!("/api/v1/forums/{}", fx.forum),
            who.access.clone(),
        );
        async move { app.get(&path, Some(&token)).await.json()["paper_storage"].clone() }
    };
    assert_eq!(
        storage(&fx.secretary).await,
        json!({"used_bytes": 2500, "limit_bytes": 3000})
    );
    assert!(storage(&fx.member).await.is_null(), "for its officers only");
    // Deleting a paper frees what all its versions took.
    app.request(
        Method::DELETE,
        &format!("/api/v1/papers/{}", id(&second.json())),
        Some(&fx.secretary.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    assert_eq!(storage(&fx.chair).await["used_bytes"], 1000);
    upload_file(&app, &fx.secretary, meeting, &title, ("c.pdf", &pdf(1000)))
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replacements_of_one_version_at_once_make_one_new_version() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let paper = upload_file(
        &app,
        &fx.secretary,
        meeting,
        &[("title", "Briefing")],
        ("b.pdf", &pdf(1000)),
    )
    .await
    .json();
    let served = app.serve().await;
    let tokens = [fx.secretary.access.clone(), fx.chair.access.clone()];
    let path = format!("/api/v1/papers/{}/content", id(&paper));
    let statuses = served
        .race(2, |i, client, base| {
            client
                .put(format!("{base}{path}"))
                .bearer_auth(&tokens[i])
                .header("if-match", "\"1\"")
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(form(
                    &[],
                    Some(("b.txt", format!("Version by {i}\n").as_bytes())),
                ))
        })
        .await;
    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::PRECONDITION_FAILED),
        1,
        "{statuses:?}"
    );
    let versions = app
        .get(
            &format!("/api/v1/papers/{}/versions", id(&paper)),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(versions["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uploads_at_once_cannot_take_a_forum_past_its_storage_limit_together() {
    let app = TestApp::spawn_with(|state| state.forum_storage_limit_bytes = 3000).await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let served = app.serve().await;
    let tokens = [fx.secretary.access.clone(), fx.chair.access.clone()];
    let statuses = served
        .race(2, |i, client, base| {
            client
                .post(format!("{base}/api/v1/meetings/{meeting}/papers"))
                .bearer_auth(&tokens[i])
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(form(&[("title", "Briefing")], Some(("b.pdf", &pdf(2000)))))
        })
        .await;
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CREATED),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::PAYLOAD_TOO_LARGE),
        1,
        "{statuses:?}"
    );
    let forum = app
        .get(
            &format!("/api/v1/forums/{}", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(forum["paper_storage"]["used_bytes"], 2000);
}

#[tokio::test]
async fn papers_outlive_the_migration_that_lets_consultations_hold_them() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
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
    let paper = id(&made.json());

    // Back to papers of three holders (SQLite rebuilds the table), then on.
    app.replay_migrations_from("m20261204_000024_consultation_papers")
        .await;

    let content = app
        .get(
            &format!("/api/v1/papers/{paper}/content"),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(content.body.as_ref(), bytes.as_slice());
    let versions = app
        .get(
            &format!("/api/v1/papers/{paper}/versions"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(versions["items"].as_array().map(Vec::len), Some(1));
    // The database still allows exactly one holder.
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let paper_id: Uuid = paper.parse().expect("an id");
    let both = entity::paper::Entity::update_many()
        .col_expr(
            entity::paper::Column::PlanId,
            sea_orm::sea_query::Expr::val(plan),
        )
        .filter(entity::paper::Column::Id.eq(paper_id))
        .exec(app.db())
        .await;
    assert!(both.is_err(), "a meeting's paper cannot also be a plan's");
}
