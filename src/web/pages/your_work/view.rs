//! "Your organisation's work" as its template renders it: each forum's
//! lists, with dates on London's clock and deadlines as tags.

use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use entity::ForumRole;

use crate::organisations::work::{ActionGroup, ForumWork, Work};
use crate::web::components::{ErrorLink, ErrorSummary, Tag};
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::pages::rsvp::RsvpForm;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "your_work.html")]
pub struct YourWorkPage {
    page: Page,
    csrf_token: String,
    /// Whether the person has an organisation at all.
    has_organisation: bool,
    forums: Vec<ForumPanel>,
    problem: Option<ErrorSummary>,
    done: Option<&'static str>,
}

struct ForumPanel {
    id: String,
    name: String,
    href: String,
    role: String,
    meetings: Vec<MeetingRow>,
    groups: Vec<GroupPanel>,
    /// Every action of the organisation in the forum.
    all_actions_href: String,
    issues: Vec<Row>,
    consultations: Vec<Row>,
    polls: Vec<Row>,
    opportunities: Vec<OpportunityRow>,
    /// The person may register the organisation's interest (not an
    /// observer, nor RPD staff); the operation still decides.
    registers_interest: bool,
}

struct MeetingRow {
    id: String,
    title: String,
    href: String,
    when: String,
    /// The buttons, for those who may answer.
    rsvp: Option<RsvpForm>,
}

struct GroupPanel {
    heading: String,
    rows: Vec<Row>,
    /// "See all 42" and where, when there are more than shown.
    see_all: Option<(String, String)>,
}

/// A line of a list: what, where, how it stands, and when it is due.
struct Row {
    title: String,
    href: String,
    detail: String,
    tag: Option<Tag>,
}

struct OpportunityRow {
    title: String,
    href: String,
    detail: String,
    action: String,
    interested: bool,
}

fn group(text: &Text, forum: &str, all: &str, g: ActionGroup, today: NaiveDate) -> GroupPanel {
    let shown = g.actions.len();
    GroupPanel {
        heading: match g.commitment {
            Some((_, reference, commitment)) => format!("{reference}: {commitment}"),
            None => text.get("work-no-commitment"),
        },
        see_all: (g.total > shown as i64).then(|| {
            (
                text.count("work-see-all", g.total.unsigned_abs()),
                all.to_string(),
            )
        }),
        rows: g
            .actions
            .into_iter()
            .map(|a| Row {
                href: format!("/forums/{forum}/actions/{}", a.id),
                detail: text.get(&format!("forum-actions-status-{}", a.status.as_str())),
                tag: a.due_on.map(|on| format::due(text, on, today)),
                title: a.title,
            })
            .collect(),
    }
}

fn panel(text: &Text, f: ForumWork, organisation: &str, today: NaiveDate) -> ForumPanel {
    let forum = f.id.to_string();
    let base = format!("/forums/{forum}");
    let all_actions_href = format!("{base}/actions?owner={organisation}");
    let takes_part = f.role != ForumRole::Observer;
    ForumPanel {
        meetings: f
            .meetings
            .into_iter()
            .map(|m| MeetingRow {
                id: m.id.to_string(),
                href: format!("{base}/meetings/{}", m.id),
                when: format::date_time(m.starts_at),
                rsvp: takes_part.then(|| {
                    RsvpForm::new(
                        text,
                        (f.id, m.id),
                        &m.title,
                        m.answer,
                        format!("{}#meeting-{}", super::PATH, m.id),
                    )
                }),
                title: m.title,
            })
            .collect(),
        groups: f
            .action_groups
            .into_iter()
            .map(|g| group(text, &forum, &all_actions_href, g, today))
            .collect(),
        issues: f
            .issues
            .into_iter()
            .map(|i| Row {
                href: format!("{base}/issues/{}", i.id),
                detail: format!(
                    "{}; {}",
                    text.get(&format!("issue-status-{}", i.status.as_str())),
                    text.count("work-answers", i.responses.unsigned_abs())
                ),
                tag: (i.responses == 0).then(|| format::due(text, i.response_due_on, today)),
                title: i.title,
            })
            .collect(),
        consultations: f
            .consultations
            .into_iter()
            .map(|c| Row {
                href: format!("{base}/consultations/{}", c.id),
                detail: text.with(
                    "work-contributions-close",
                    &[("date", format::date(c.contributions_close_on))],
                ),
                tag: Some(match c.contributions {
                    0 => format::due(text, c.contributions_close_on, today),
                    n => Tag {
                        text: text.count("work-contributed", n.unsigned_abs()),
                        classes: Some("govuk-tag--green".into()),
                    },
                }),
                title: c.title,
            })
            .collect(),
        polls: f
            .polls
            .into_iter()
            .map(|p| Row {
                href: format!("{base}/polls/{}", p.id),
                detail: text.with(
                    "dashboard-poll-closes",
                    &[("when", format::date_time(p.closes_at))],
                ),
                tag: Some(if p.voted {
                    Tag {
                        text: text.get("work-voted"),
                        classes: Some("govuk-tag--green".into()),
                    }
                } else {
                    Tag {
                        text: text.get("work-not-voted"),
                        classes: Some("govuk-tag--blue".into()),
                    }
                }),
                title: p.question,
            })
            .collect(),
        opportunities: f
            .opportunities
            .into_iter()
            .map(|o| OpportunityRow {
                href: format!("/regions/{}#opportunities", f.region_code),
                detail: text.with(
                    "work-opportunity-closes",
                    &[("date", format::date(o.closes_on))],
                ),
                action: format!("/opportunities/{}/interest", o.id),
                interested: o.interested,
                title: o.title,
            })
            .collect(),
        registers_interest: !matches!(f.role, ForumRole::Observer | ForumRole::RpdStaff),
        role: text.get(&format!("role-{}", f.role.as_str())),
        all_actions_href,
        href: base,
        id: forum,
        name: f.name,
    }
}

pub fn render(
    visitor: &Visitor,
    work: Work,
    now: DateTime<Utc>,
    done: Option<&'static str>,
    problem: Option<String>,
) -> YourWorkPage {
    let text = Text::default();
    let today = now.with_timezone(&London).date_naive();
    let organisation = work.organisation.map(|o| o.to_string()).unwrap_or_default();
    YourWorkPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        has_organisation: work.organisation.is_some(),
        forums: work
            .forums
            .into_iter()
            .map(|f| panel(&text, f, &organisation, today))
            .collect(),
        problem: problem.map(|message| ErrorSummary {
            title_text: text.get("error-summary-title"),
            description_text: None,
            error_list: vec![ErrorLink {
                text: message,
                href: None,
            }],
        }),
        done,
    }
}
