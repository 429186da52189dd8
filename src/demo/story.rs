//! What each demo forum's meetings were about: agendas with presenters,
//! what was said and decided on each item, the actions agreed and who owns
//! them, and the business taken in confidence, with its reason. Each
//! forum's year runs the same course in its own town and with its own
//! people and plan.

use chrono::{Duration, NaiveDate};
use entity::{ActionStatus, Theme, Visibility};
use uuid::Uuid;

use super::calendar::{date, long_date, month_year};
use super::forum::{Forum, Member, PEERS, PROVIDER, WOMEN};

/// An agenda item as the demo writes it.
pub struct Item {
    pub title: String,
    pub description: String,
    pub presenter: String,
    pub minutes_allotted: i32,
    /// Who may read it, and why not everyone (`None` when public).
    pub confidential: Option<&'static str>,
    /// Proposed by a member and not yet accepted (so not on the agenda).
    pub proposed_by: Option<Uuid>,
    /// The commitment it is about.
    pub theme: Option<Theme>,
    /// Held meetings: what the minutes record under it.
    pub minutes: String,
    /// Held meetings: the decision, with votes for, against and abstaining.
    pub decision: Option<String>,
    pub votes: Option<(i32, i32, i32)>,
    /// Held meetings: not reached, so a matter arising next time.
    pub carried_over: bool,
    /// Held meetings: the actions agreed on it.
    pub actions: Vec<Action>,
}

impl Item {
    fn new(title: impl Into<String>, presenter: impl Into<String>, minutes: i32) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            presenter: presenter.into(),
            minutes_allotted: minutes,
            confidential: None,
            proposed_by: None,
            theme: None,
            minutes: String::new(),
            decision: None,
            votes: None,
            carried_over: false,
            actions: Vec::new(),
        }
    }

    fn about(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    fn minuted(mut self, minutes: impl Into<String>) -> Self {
        self.minutes = minutes.into();
        self
    }

    fn decided(mut self, decision: impl Into<String>) -> Self {
        self.decision = Some(decision.into());
        self
    }

    fn on(mut self, theme: Theme) -> Self {
        self.theme = Some(theme);
        self
    }

    fn agreeing(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    fn in_confidence(mut self, reason: &'static str) -> Self {
        self.confidential = Some(reason);
        self
    }

    /// Its visibility: confidential business is for the officers alone.
    pub fn visibility(&self) -> Visibility {
        if self.confidential.is_some() {
            Visibility::Officers
        } else {
            Visibility::Public
        }
    }
}

/// Who owns an action.
#[derive(Clone, Copy)]
pub enum Owner {
    /// The member organisation (and its person).
    Member(usize),
    /// A person of the forum's officers or the RPD's team.
    Person(Uuid),
}

/// An action agreed at a meeting.
pub struct Action {
    pub title: String,
    pub description: String,
    pub owner: Owner,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    /// When it was done, if it is.
    pub done_on: Option<NaiveDate>,
    pub theme: Option<Theme>,
    /// Progress logged on it: what, and when.
    pub update: Option<(String, NaiveDate)>,
}

/// One held meeting's business, `k` of the year's five (0 the oldest).
pub struct Held<'a> {
    pub forum: &'a Forum<'a>,
    pub k: usize,
    pub day: NaiveDate,
    pub previous: Option<NaiveDate>,
    pub next: NaiveDate,
    pub today: NaiveDate,
}

impl Held<'_> {
    fn member(&self, n: usize) -> &Member {
        &self.forum.members[n]
    }

    /// The agenda, in order, each item with its minutes and decisions.
    pub fn agenda(&self) -> Vec<Item> {
        let f = self.forum;
        let mut items = vec![self.welcome()];
        if self.k < 4 {
            items.push(self.rpd_update());
        }
        items.push(self.discussion());
        if self.k == 4 {
            items.push(
                Item::new(
                    "Families: keeping in touch during a sentence",
                    self.member(WOMEN).presenter(),
                    20,
                )
                .about("Visits, calls and help with travel for the families of people in prison.")
                .minuted("Not reached for lack of time; carried over to the next meeting.")
                .not_reached(),
            );
        }
        items.push(self.confidential());
        let next = format!(
            "The next meeting is on {} at {}.",
            long_date(self.next),
            f.cast.venue
        );
        let mut aob = Item::new("Any other business", f.chair.name, 10)
            .minuted(format!("No other business. {next}"));
        if self.k == 4 {
            aob.minutes = format!(
                "The secretary has revised the terms of reference to add the RPD's report at \
                 each meeting. {next}"
            );
            aob = aob.agreeing(Action {
                title: "Circulate the revised terms of reference".into(),
                description: "To every member organisation, for comment before the next meeting."
                    .into(),
                owner: Owner::Person(f.secretary.id),
                due_on: self.day + Duration::days(14),
                status: ActionStatus::Done,
                done_on: Some(self.day + Duration::days(6)),
                theme: None,
                update: None,
            });
        }
        items.push(aob);
        items
    }

    fn welcome(&self) -> Item {
        let f = self.forum;
        let minutes = match self.previous {
            Some(previous) => format!(
                "{} welcomed members. The minutes of the meeting of {} were agreed as a true \
                 record.",
                f.chair.name,
                date(previous)
            ),
            None => format!(
                "{} welcomed members, and {} of the Police and Crime Commissioner's office, who \
                 joins the forum as an observer.",
                f.chair.name, f.observer.name
            ),
        };
        Item::new(
            "Welcome, apologies and the minutes of the last meeting",
            f.chair.name,
            10,
        )
        .minuted(minutes)
    }

    fn rpd_update(&self) -> Item {
        let f = self.forum;
        let said = match self.k {
            0 => format!(
                "{} reported that 76% of people released in the quarter had somewhere to stay \
                 on their first night. Members asked for the figures prison by prison.",
                f.rpd.name
            ),
            1 => format!(
                "{} reported 79% housed on the first night, and that the Community \
                 Accommodation Service has opened six more places in {}.",
                f.rpd.name, f.cast.town
            ),
            2 => format!(
                "{} reported that the employment hubs are open in two of the region's \
                 resettlement prisons, with a third to follow.",
                f.rpd.name
            ),
            _ => format!(
                "{} reported that the women's services team is fully staffed again, and that \
                 the next plan is being drafted with partners.",
                f.rpd.name
            ),
        };
        Item::new(
            "Update from the Regional Probation Director's team",
            f.rpd_presenter(),
            20,
        )
        .on(Theme::Accommodation)
        .minuted(said)
    }

    fn discussion(&self) -> Item {
        let f = self.forum;
        let town = f.cast.town;
        match self.k {
            0 => {
                let m = self.member(WOMEN);
                Item::new(
                    "Women's centres in the commissioning round",
                    m.presenter(),
                    30,
                )
                .about("Whether small women's centres can bid for the women's services being commissioned.")
                .on(Theme::Women)
                .minuted(format!(
                    "{} described the referrals {} has taken from probation this year, and the \
                     gap left when women's services were commissioned across the whole region. \
                     Members agreed that no women's centre could bid for a contract of that size \
                     alone.",
                    m.person.name, m.org_name
                ))
                .decided(format!(
                    "Agreed: the forum asks the RPD's team to name women's centres in the next \
                     commissioning round; {} to lead for members.",
                    m.org_name
                ))
                .votes3()
                .agreeing(Action {
                    title: "Bring member organisations into the women's services commissioning round"
                        .into(),
                    description: "Meet the commissioning team and gather members' evidence of need."
                        .into(),
                    owner: Owner::Member(WOMEN),
                    due_on: self.today + Duration::days(35),
                    status: ActionStatus::InProgress,
                    done_on: None,
                    theme: Some(Theme::Women),
                    update: Some((
                        "Met the commissioning team; a market engagement event for small \
                         organisations is planned."
                            .into(),
                        self.day + Duration::weeks(30),
                    )),
                })
            }
            1 => {
                let m = self.member(PROVIDER);
                Item::new(
                    format!("First nights after release in {town}"),
                    m.presenter(),
                    30,
                )
                .about("Where people go on the day they leave prison, and who helps them.")
                .on(Theme::Accommodation)
                .minuted(format!(
                    "{} said that about one in five people released from the local prison \
                         in the last quarter had nowhere settled to go, most of them released on \
                         a Friday afternoon.",
                    m.person.name
                ))
                .decided(format!(
                    "Agreed: a task group on Friday releases, led by {}.",
                    m.org_name
                ))
                .agreeing(Action {
                    title: format!("Map first-night accommodation options in {town}"),
                    description: "Who takes referrals, when, and for whom.".into(),
                    owner: Owner::Member(PROVIDER),
                    due_on: self.day + Duration::days(42),
                    status: ActionStatus::Done,
                    done_on: Some(self.day + Duration::days(38)),
                    theme: Some(Theme::Accommodation),
                    update: None,
                })
            }
            2 => {
                let m = self.member(PROVIDER);
                Item::new(
                    "Employment hubs: how members can refer people",
                    m.presenter(),
                    20,
                )
                .on(Theme::EmploymentEducation)
                .minuted(format!(
                    "{} explained how the employment hubs take referrals from community \
                         organisations, and who the work coaches are.",
                    m.person.name
                ))
                .decided("Agreed: the referral route to go to every member organisation.")
                .agreeing(Action {
                    title: "Share the employment hubs' referral route with every member".into(),
                    description: String::new(),
                    owner: Owner::Member(PROVIDER),
                    due_on: self.day + Duration::days(21),
                    status: ActionStatus::Done,
                    done_on: Some(self.day + Duration::days(9)),
                    theme: Some(Theme::EmploymentEducation),
                    update: None,
                })
            }
            3 => {
                let m = self.member(PEERS);
                Item::new("Volunteer peer mentors in prisons", m.presenter(), 30)
                    .about("Vetting and induction for volunteers with lived experience.")
                    .on(Theme::VoluntarySectorEngagement)
                    .minuted(format!(
                        "{} said that vetting for volunteer peer mentors takes up to 12 weeks, \
                         and that volunteers who clear it still wait for an induction place.",
                        m.person.name
                    ))
                    .decided(format!(
                        "Agreed: the RPD's team will ask the prison for a standing induction \
                         session for volunteers; {} to set it up.",
                        m.org_name
                    ))
                    .agreeing(Action {
                        title: "Set up induction sessions for volunteer peer mentors with the \
                                prison's reducing reoffending lead"
                            .into(),
                        description: String::new(),
                        owner: Owner::Member(PEERS),
                        due_on: self.today + Duration::days(21),
                        status: ActionStatus::InProgress,
                        done_on: None,
                        theme: Some(Theme::VoluntarySectorEngagement),
                        update: Some((
                            "The first session is booked; vetting still takes up to 12 weeks."
                                .into(),
                            self.next - Duration::weeks(14),
                        )),
                    })
            }
            _ => Item::new(
                format!("The Reducing Reoffending Plan for {}", f.period),
                f.rpd_presenter(),
                40,
            )
            .on(Theme::Accommodation)
            .minuted(format!(
                "{} took members through the {}plan for {}. It carries forward the 2021-22 \
                 plan's commitments ({}) and adds {}. Members asked that the accommodation \
                 figures be reported monthly rather than quarterly. Members will choose the \
                 theme of the forum's next task group in a poll.",
                f.rpd.name,
                // Before the plan is published, it is still a draft.
                if self.day < f.published { "draft " } else { "" },
                f.period,
                f.carried,
                f.added
            ))
            .decided(
                "Agreed: the RPD's team reports on the plan's commitments at every meeting, \
                 and sends the accommodation figures monthly.",
            )
            .agreeing(Action {
                title: "Report monthly on people released without an address".into(),
                description: "By prison and by month, starting with last month's figures.".into(),
                owner: Owner::Person(f.rpd.id),
                due_on: self.today - Duration::days(9),
                status: ActionStatus::Open,
                done_on: None,
                theme: Some(Theme::Accommodation),
                update: None,
            }),
        }
    }

    fn confidential(&self) -> Item {
        let f = self.forum;
        let (title, reason, minutes) = match self.k {
            0 => (
                "Complaint about a referral to a member organisation".to_string(),
                "concerns a named individual",
                format!(
                    "The chair reported a complaint made in {} about a referral. The secretary \
                     will reply to the complainant; no further action for the forum.",
                    month_year(self.day)
                ),
            ),
            1 => (
                "Resettlement contract: the provider's quarterly performance".to_string(),
                "commercially sensitive",
                format!(
                    "{} reported referrals and outcomes under the contract. Members noted \
                     figures that are not yet published.",
                    self.member(PROVIDER).org_name
                ),
            ),
            2 => (
                "Funding for the forum coordinator post".to_string(),
                "staffing matter",
                "The secretary reported that the coordinator's funding ends in March. Agreed: \
                 the chair and secretary will approach the RPD's team and two trusts."
                    .to_string(),
            ),
            3 => (
                "Legal advice on sharing data with the prison".to_string(),
                "legal advice",
                "The RPD's team summarised the legal advice on what members may be told about \
                 the people referred to them. Agreed: a data-sharing agreement to be drafted."
                    .to_string(),
            ),
            _ => (
                "Serious further offence review: lessons for partners".to_string(),
                "concerns a named case",
                format!(
                    "{} summarised the learning from the review of a case in {}. Members will \
                     share the learning points with their staff, without the details of the \
                     case.",
                    f.rpd.name, f.cast.town
                ),
            ),
        };
        Item::new(title, f.chair.name, 15)
            .in_confidence(reason)
            .minuted(minutes)
    }
}

impl Item {
    fn not_reached(mut self) -> Self {
        self.carried_over = true;
        self
    }

    /// Carried by every organisation present.
    fn votes3(mut self) -> Self {
        self.votes = Some((3, 0, 0));
        self
    }
}

/// The agenda of a meeting to come: the next one (`0`) or the one after.
pub fn upcoming(f: &Forum, n: usize) -> Vec<Item> {
    let welcome = Item::new(
        "Welcome, apologies and the minutes of the last meeting",
        f.chair.name,
        10,
    );
    let aob = Item::new("Any other business", f.chair.name, 10);
    if n == 0 {
        let peers = &f.members[PEERS];
        let women = &f.members[WOMEN];
        let mut proposed = Item::new(
            "Debt advice for women leaving prison",
            women.presenter(),
            20,
        )
        .about("Proposed by a member: what debt advice is there before and after release?");
        proposed.proposed_by = Some(women.person.id);
        vec![
            welcome,
            Item::new(
                "Update from the Regional Probation Director's team: the quarter's \
                 accommodation figures",
                f.rpd_presenter(),
                20,
            )
            .on(Theme::Accommodation),
            Item::new(
                "Race equality in the plan: from a mention to a commitment",
                peers.presenter(),
                30,
            )
            .about("What a commitment on race equality in the region's plan would need to say.")
            .on(Theme::RaceEquality),
            Item::new(
                "Forum coordinator post: renewing its funding",
                f.secretary.name,
                15,
            )
            .in_confidence("staffing matter"),
            aob,
            proposed,
        ]
    } else {
        vec![
            welcome,
            Item::new(
                "Annual review of the forum's terms of reference",
                f.secretary.name,
                20,
            ),
            Item::new(
                "Update from the Regional Probation Director's team",
                f.rpd_presenter(),
                20,
            )
            .on(Theme::Accommodation),
            Item::new(
                "Resettlement contract: the provider's performance report",
                f.members[PROVIDER].presenter(),
                15,
            )
            .in_confidence("commercially sensitive"),
            aob,
        ]
    }
}
