//! `/your-forums`: the officers' dashboard — for each forum the person is
//! the secretary or chair of, what needs doing: applications to decide,
//! the next meeting and how ready it is, actions overdue or due soon,
//! issues awaiting the RPD's team, consultations underway and polls open.
//! One statement for the visitor and four for the whole page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::NaiveDate;

use crate::forums::dashboard::{self, ForumAtAGlance, NextMeeting};
use crate::kernel::state::AppState;
use crate::web::components::Tag;
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "your_forums.html")]
pub struct YourForumsPage {
    page: Page,
    forums: Vec<ForumPanel>,
}

/// A task of the forum's list: its name, where it is done, and its status.
struct Task {
    name: String,
    href: Option<String>,
    status: Tag,
}

struct ForumPanel {
    name: String,
    href: String,
    /// Where the forum is run from: its meetings, members, roles, actions,
    /// polls, and registering a consultation (message id and address).
    places: Vec<(&'static str, String)>,
    role: String,
    tasks: Vec<Task>,
    next_meeting: Option<MeetingPanel>,
    applications: Vec<Row>,
    actions: Vec<Row>,
    issues: Vec<Row>,
    consultations: Vec<Row>,
    polls: Vec<Row>,
}

struct MeetingPanel {
    href: String,
    title: String,
    when: String,
    replies: String,
    agenda: String,
    papers: String,
    matters_arising: String,
}

/// A line of one of the panel's lists: what, where, who, and how it stands.
struct Row {
    title: String,
    href: Option<String>,
    detail: String,
    tag: Option<Tag>,
}

fn status(text: &Text, count: usize, waiting: &str) -> Tag {
    match count {
        0 => Tag {
            text: text.get("dashboard-nothing-to-do"),
            classes: Some("govuk-tag--grey".into()),
        },
        n => Tag {
            text: text.count(waiting, n as u64),
            classes: Some("govuk-tag--blue".into()),
        },
    }
}

fn meeting_panel(text: &Text, forum: &str, m: NextMeeting) -> MeetingPanel {
    MeetingPanel {
        href: format!("/forums/{forum}/meetings/{}", m.id),
        title: m.title,
        when: format::date_time(m.starts_at),
        replies: text.with(
            "dashboard-replies",
            &[
                ("yes", m.yes.to_string()),
                ("maybe", m.maybe.to_string()),
                ("no", m.no.to_string()),
            ],
        ),
        agenda: match m.items_proposed {
            0 => text.count("dashboard-agenda-items", m.items_accepted.unsigned_abs()),
            proposed => text.with(
                "dashboard-agenda-with-proposals",
                &[
                    (
                        "items",
                        text.count("dashboard-agenda-items", m.items_accepted.unsigned_abs()),
                    ),
                    (
                        "proposed",
                        text.count("dashboard-agenda-proposed", proposed.unsigned_abs()),
                    ),
                ],
            ),
        },
        papers: text.count("dashboard-papers", m.papers.unsigned_abs()),
        matters_arising: text.count("dashboard-matters", m.matters_arising.unsigned_abs()),
    }
}

fn panel(text: &Text, f: ForumAtAGlance, today: NaiveDate) -> ForumPanel {
    let base = format!("/forums/{}", f.id);
    let overdue_actions = f.actions.iter().filter(|a| a.due_on < today).count();
    let overdue_issues = f.issues.iter().filter(|i| i.due_on < today).count();
    let tasks = vec![
        Task {
            name: text.get("dashboard-task-applications"),
            href: Some(format!("{base}/members/applications")),
            status: status(text, f.applications.len(), "dashboard-to-decide"),
        },
        Task {
            name: text.get("dashboard-task-actions"),
            href: Some(format!("{base}/actions")),
            status: match overdue_actions {
                0 => status(text, f.actions.len(), "dashboard-due-soon"),
                n => Tag {
                    text: text.count("dashboard-overdue", n as u64),
                    classes: Some("govuk-tag--red".into()),
                },
            },
        },
        Task {
            name: text.get("dashboard-task-issues"),
            href: None,
            status: match overdue_issues {
                0 => status(text, f.issues.len(), "dashboard-awaiting"),
                n => Tag {
                    text: text.count("dashboard-overdue", n as u64),
                    classes: Some("govuk-tag--red".into()),
                },
            },
        },
        Task {
            name: text.get("dashboard-task-consultations"),
            href: None,
            status: status(text, f.consultations.len(), "dashboard-underway"),
        },
        Task {
            name: text.get("dashboard-task-polls"),
            href: Some(format!("{base}/polls?status=open")),
            status: status(text, f.polls.len(), "dashboard-open"),
        },
    ];
    ForumPanel {
        places: vec![
            ("dashboard-place-meetings", format!("{base}/meetings")),
            ("members-title", format!("{base}/members")),
            ("roles-title", format!("{base}/roles")),
            ("dashboard-place-actions", format!("{base}/actions")),
            ("polls-title", format!("{base}/polls")),
            (
                "consultation-new-title",
                format!("{base}/consultations/new"),
            ),
        ],
        href: base.clone(),
        role: text.get(&format!("role-{}", f.role.as_str())),
        tasks,
        next_meeting: f
            .next_meeting
            .map(|m| meeting_panel(text, &f.id.to_string(), m)),
        applications: f
            .applications
            .into_iter()
            .map(|a| Row {
                title: a.organisation,
                href: Some(format!("{base}/members/applications#{}", a.membership_id)),
                detail: text.with(
                    "dashboard-applied",
                    &[("date", format::date(a.applied_at.date_naive()))],
                ),
                tag: None,
            })
            .collect(),
        actions: f
            .actions
            .into_iter()
            .map(|a| Row {
                title: a.title,
                href: None,
                detail: a.owner.unwrap_or_else(|| text.get("dashboard-no-owner")),
                tag: Some(format::due(text, a.due_on, today)),
            })
            .collect(),
        issues: f
            .issues
            .into_iter()
            .map(|i| Row {
                title: i.title,
                href: None,
                detail: text.get(&format!("issue-status-{}", i.status.as_str())),
                tag: Some(format::due(text, i.due_on, today)),
            })
            .collect(),
        consultations: f
            .consultations
            .into_iter()
            .map(|c| Row {
                title: c.title,
                href: Some(format!("{base}/consultations/{}", c.id)),
                detail: text.get(&format!("consultation-status-{}", c.status.as_str())),
                tag: Some(format::due(text, c.closes_on, today)),
            })
            .collect(),
        polls: f
            .polls
            .into_iter()
            .map(|p| Row {
                title: p.question,
                href: Some(format!("{base}/polls/{}", p.id)),
                detail: text.with(
                    "dashboard-poll-closes",
                    &[("when", format::date_time(p.closes_at))],
                ),
                tag: None,
            })
            .collect(),
        name: f.name,
    }
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> PageResult<YourForumsPage> {
    let caller = visitor.signed_in("/your-forums")?;
    let now = state.clock.now();
    let found = dashboard::dashboard(&state.db, caller, now).await?;
    let text = Text::default();
    let today = now.date_naive();
    Ok(YourForumsPage {
        page: visitor.page(),
        forums: found
            .forums
            .into_iter()
            .map(|f| panel(&text, f, today))
            .collect(),
    })
}
