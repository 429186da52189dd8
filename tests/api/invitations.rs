//! Meeting invitations by email: they say whose meeting it is, go out only
//! for meetings still to come, and carry links only where a mail client can
//! follow them.

use convene::jobs::notify::Mailer;
use convene::jobs::pacing::Settings;

use crate::support::TestApp;
use crate::support::mail::*;
use crate::support::smtp::SmtpServer;

#[tokio::test]
async fn a_meeting_recorded_after_it_was_held_invites_nobody() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.schedule(&fx, "Last month's forum, recorded late", -24 * 30)
        .await;

    let pass = smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    assert_eq!((pass.dispatched, pass.sent), (1, 0));
    assert!(smtp.received().is_empty(), "nobody is invited to the past");
}

#[tokio::test]
async fn an_invitation_names_the_forum_whose_meeting_it_is() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.schedule(&fx, "Quarterly forum", 48).await;

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let message = with_subject(&smtp, "Meeting scheduled").expect("an invitation");
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Meeting scheduled: Quarterly forum (KSS Voluntary Sector Forum)")
    );
    assert!(
        message.text().contains("Forum: KSS Voluntary Sector Forum"),
        "{}",
        message.text()
    );
    let (_, ics) = message.calendar().expect("the calendar invitation");
    assert!(
        ics.replace("\r\n ", "")
            .contains("ORGANIZER;CN=KSS Voluntary Sector Forum:mailto:convene@forum.example.org"),
        "{ics}"
    );
    only_event(&ics);
}

/// Without the public address, a message written to a file (as on a
/// developer's machine) carries no link: a path alone leads nowhere from a
/// mail client. Real mail is refused without it (`tests/api/cli.rs`).
#[tokio::test]
async fn without_a_public_url_messages_carry_no_links() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let dir = tempfile::tempdir().expect("a directory");
    app.schedule(&fx, "Quarterly forum", 48).await;
    let mut worker = worker(&app, Mailer::files(dir.path()), Settings::default());
    worker.composer = convene::jobs::notify::Composer::new(
        "Convene <convene@forum.example.org>",
        None,
        app.state.tokens.clone(),
    )
    .expect("a composer");

    let pass = worker.run_once().await.expect("a pass");

    assert_eq!(pass.sent, 4);
    for file in std::fs::read_dir(dir.path())
        .expect("the directory")
        .flatten()
    {
        let text = std::fs::read_to_string(file.path()).expect("a message");
        assert!(text.contains("Subject: Meeting scheduled"), "{text}");
        assert!(!text.contains("/api/v1/"), "a link without a host: {text}");
        assert!(!text.contains("List-Unsubscribe"), "{text}");
    }
}
