//! The issues a demo forum's members raised with the RPD's team, each
//! linked to the commitment of the plan that it is about (of its theme),
//! and raised by a member organisation that works on that theme: one
//! answered in time and closed, one answered late, one overdue with no
//! answer, one just raised.

use chrono::{DateTime, Utc};
use entity::{IssuePriority, IssueStatus, Theme};

use super::forum::{Forum, PEERS, PROVIDER, WOMEN};
use super::rows::{NewIssue, issue};
use crate::kernel::error::ApiResult;

/// An issue as the demo raises it.
pub struct Raised {
    pub title: &'static str,
    pub body: String,
    /// What it is about: the theme of the commitment it is linked to.
    pub theme: Theme,
    /// The member organisation that raised it.
    pub by: usize,
    pub priority: IssuePriority,
    pub raised_days_ago: i64,
    pub answer: Option<(i64, &'static str)>,
    pub status: IssueStatus,
}

pub fn raised(town: &str) -> [Raised; 4] {
    [
        Raised {
            title: "Friday releases without an address",
            body: "People released on a Friday afternoon reach the council's housing team after \
                   it has closed for the weekend; three of our clients slept rough last month. \
                   Can releases be moved earlier in the week, or the duty team told in advance?"
                .into(),
            theme: Theme::Accommodation,
            by: PROVIDER,
            priority: IssuePriority::High,
            raised_days_ago: 75,
            answer: Some((
                10,
                "The prison now tells the council's duty team of every Friday release by the \
                 Wednesday before, and the Community Accommodation Service keeps two places \
                 free each weekend for Friday releases.",
            )),
            status: IssueStatus::Closed,
        },
        Raised {
            title: "Women's centres left out of the wellbeing services framework",
            body: "The dynamic framework for personal wellbeing services asks for cover across \
                   the whole region, which no women's centre here can offer alone. Will the \
                   RPD's team accept bids for part of the region, or from consortia?"
                .into(),
            theme: Theme::Women,
            by: WOMEN,
            priority: IssuePriority::Normal,
            raised_days_ago: 50,
            answer: Some((
                40,
                "When the framework next opens it will have lots by area, and bids from \
                 consortia are welcome. The commissioning team will hold a session for small \
                 organisations beforehand.",
            )),
            status: IssueStatus::Responded,
        },
        Raised {
            title: "No reply to our request for first-night accommodation figures",
            body: format!(
                "We asked for the monthly figures of women released without an address to \
                 {}, so that we can plan our casework, and have had no reply.",
                town
            ),
            theme: Theme::Accommodation,
            by: WOMEN,
            priority: IssuePriority::Normal,
            raised_days_ago: 40,
            answer: None,
            status: IssueStatus::Acknowledged,
        },
        Raised {
            title: "Induction places for volunteer peer mentors",
            body: "Volunteers who have cleared vetting wait months for an induction place at \
                   the prison, and some give up. We ask for a standing monthly induction \
                   session for the voluntary sector's volunteers."
                .into(),
            theme: Theme::VoluntarySectorEngagement,
            by: PEERS,
            priority: IssuePriority::Normal,
            raised_days_ago: 5,
            answer: None,
            status: IssueStatus::Open,
        },
    ]
}

/// Raises the forum's issues; returns how many.
pub async fn raise(
    conn: &impl sea_orm::ConnectionTrait,
    f: &Forum<'_>,
    response_days: i64,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let all = raised(f.cast.town);
    let count = all.len();
    for r in all {
        let member = &f.members[r.by];
        issue(
            conn,
            NewIssue {
                forum_id: f.id,
                title: r.title.into(),
                body: r.body,
                priority: r.priority,
                raised_days_ago: r.raised_days_ago,
                answer: r.answer,
                status: r.status,
                raised_by: member.person.id,
                organisation_id: member.org,
                rpd: f.rpd.id,
                commitment: f.commitment(r.theme),
                response_days,
            },
            now,
        )
        .await?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::data::ORGANISATIONS;

    /// An issue is about a theme its raising organisation works on, and
    /// is linked to the plan's commitment of that theme.
    #[test]
    fn each_issue_is_raised_by_an_organisation_working_on_its_theme() {
        for r in raised("Swansea") {
            assert!(
                ORGANISATIONS[r.by].themes.contains(&r.theme),
                "{} by member {}",
                r.title,
                r.by
            );
        }
    }
}
