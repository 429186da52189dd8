//! The domain's fixed vocabularies and state machines. They are stored as
//! their kebab-case text so the database stays readable and the same on
//! SQLite and PostgreSQL.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, utoipa::ToSchema,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text", rename_all = "kebab-case")]
        #[serde(rename_all = "kebab-case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }
    };
}

text_enum! {
    Nation { England => "england", Wales => "wales" }
}

text_enum! {
    /// Annual income band: micro < £10k, small < £100k, medium < £1m, large < £10m, major above.
    SizeBand {
        Micro => "micro",
        Small => "small",
        Medium => "medium",
        Large => "large",
        Major => "major",
    }
}

text_enum! {
    /// Communities an organisation is led by and for.
    #[derive(PartialOrd, Ord)]
    LedByAndFor {
        RaciallyMinoritisedPeople => "racially-minoritised-people",
        Women => "women",
        LivedExperience => "lived-experience",
        YoungPeople => "young-people",
        Lgbtq => "lgbtq",
        DisabledPeople => "disabled-people",
    }
}

text_enum! {
    /// Themes shared by organisations, commitments and the accountability report.
    #[derive(PartialOrd, Ord)]
    Theme {
        Women => "women",
        Accommodation => "accommodation",
        RaceEquality => "race-equality",
        Families => "families",
        YoungAdults => "young-adults",
        OlderPeople => "older-people",
        ArtsCreativity => "arts-creativity",
        LivedExperience => "lived-experience",
        VoluntarySectorEngagement => "voluntary-sector-engagement",
        Commissioning => "commissioning",
        EmploymentEducation => "employment-education",
        HealthSubstanceMisuse => "health-substance-misuse",
        FinanceDebt => "finance-debt",
    }
}

text_enum! {
    /// A membership's place in its state machine:
    /// `applied → active | rejected`, `active → suspended | left`, `suspended → active | left`.
    MembershipStatus {
        Applied => "applied",
        Active => "active",
        Rejected => "rejected",
        Suspended => "suspended",
        Left => "left",
    }
}

impl MembershipStatus {
    pub fn can_become(self, next: Self) -> bool {
        use MembershipStatus::*;
        matches!(
            (self, next),
            (Applied, Active | Rejected) | (Active, Suspended | Left) | (Suspended, Active | Left)
        )
    }

    /// Applied, active or suspended: the organisation is in the forum or waiting to be.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Applied | Self::Active | Self::Suspended)
    }
}

text_enum! {
    /// A person's role in a forum; one per person per forum.
    ForumRole {
        Secretary => "secretary",
        Chair => "chair",
        Member => "member",
        RpdStaff => "rpd-staff",
        Observer => "observer",
    }
}

impl ForumRole {
    /// Secretaries and chairs run the forum.
    pub fn is_officer(self) -> bool {
        matches!(self, Self::Secretary | Self::Chair)
    }

    /// Roles that only platform admins hand out.
    pub fn needs_admin_to_assign(self) -> bool {
        matches!(self, Self::Secretary | Self::Chair | Self::RpdStaff)
    }
}

text_enum! {
    /// `queued → sent`, or `queued → failed` after the last attempt; an
    /// admin's retry puts a failed message back in the queue.
    DeliveryStatus { Queued => "queued", Sent => "sent", Failed => "failed" }
}

impl DeliveryStatus {
    pub fn can_become(self, next: Self) -> bool {
        use DeliveryStatus::*;
        matches!((self, next), (Queued, Sent | Failed) | (Failed, Queued))
    }
}

text_enum! {
    /// How a person wants a kind of notification: by email as it happens,
    /// gathered into one email a day, or not at all.
    NotificationMode { Immediate => "immediate", DailyDigest => "daily-digest", Off => "off" }
}

text_enum! {
    /// Who may read an agenda item: anyone, the forum's participants, or
    /// its officers. Others see that it is withheld, and why.
    Visibility { Public => "public", Participants => "participants", Officers => "officers" }
}

text_enum! {
    /// Where a paper's bytes are kept: in the database, in chunks, or as a
    /// file in the directory the server is configured with.
    ContentStore { Database => "database", Directory => "directory" }
}

text_enum! {
    /// Where a consultation stands: open for contributions, the joint
    /// response being drafted, agreed by the members, submitted; or withdrawn.
    ConsultationStatus {
        Open => "open",
        Drafting => "drafting",
        Agreed => "agreed",
        Submitted => "submitted",
        Withdrawn => "withdrawn",
    }
}

impl ConsultationStatus {
    /// Contributions close (`open → drafting`) and may be taken again
    /// (`drafting → open`); the members agree the draft (`drafting →
    /// agreed`); the agreed response is submitted; anything not yet
    /// submitted may be withdrawn.
    pub fn can_become(self, next: Self) -> bool {
        use ConsultationStatus::*;
        matches!(
            (self, next),
            (Open, Drafting | Withdrawn)
                | (Drafting, Open | Agreed | Withdrawn)
                | (Agreed, Submitted | Withdrawn)
        )
    }

    /// Open or drafting: its details and its joint response may still be
    /// edited; once agreed they are kept as they are.
    pub fn accepts_edits(self) -> bool {
        matches!(self, Self::Open | Self::Drafting)
    }
}

text_enum! {
    /// Where a poll stands, computed from its times and the clock: `upcoming`
    /// before `opens_at`, `open` until `closes_at`, `closed` after; or
    /// `cancelled` whenever its officers cancelled it.
    PollStatus {
        Upcoming => "upcoming",
        Open => "open",
        Closed => "closed",
        Cancelled => "cancelled",
    }
}

impl PollStatus {
    /// `upcoming → open → closed` as the clock reaches its times; its
    /// officers cancel it while it is upcoming or open.
    pub fn can_become(self, next: Self) -> bool {
        use PollStatus::*;
        matches!(
            (self, next),
            (Upcoming, Open | Cancelled) | (Open, Closed | Cancelled)
        )
    }

    /// Closed or cancelled: no move is left to it, so nothing of it changes.
    pub fn is_final(self) -> bool {
        use sea_orm::Iterable;
        Self::iter().all(|next| !self.can_become(next))
    }
}

text_enum! {
    /// What a poll asks: agree, disagree or abstain; one of its options; or
    /// up to a number of them.
    PollKind {
        AgreeDisagreeAbstain => "agree-disagree-abstain",
        SingleChoice => "single-choice",
        MultipleChoice => "multiple-choice",
    }
}

impl Visibility {
    /// The narrower of the two: who may read both.
    pub fn narrower(self, other: Self) -> Self {
        let rank = |v: Self| match v {
            Self::Public => 0,
            Self::Participants => 1,
            Self::Officers => 2,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

text_enum! {
    /// How a message reaches its recipient.
    DeliveryChannel { Email => "email" }
}

text_enum! {
    /// `scheduled → held | cancelled`.
    MeetingStatus { Scheduled => "scheduled", Held => "held", Cancelled => "cancelled" }
}

impl MeetingStatus {
    pub fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Scheduled, Self::Held | Self::Cancelled)
        )
    }
}

text_enum! {
    /// `active → cancelled | ended` (`ended`: replaced whole by the series
    /// that continues it, split at its first meeting).
    SeriesStatus { Active => "active", Cancelled => "cancelled", Ended => "ended" }
}

impl SeriesStatus {
    pub fn can_become(self, next: Self) -> bool {
        matches!((self, next), (Self::Active, Self::Cancelled | Self::Ended))
    }
}

text_enum! {
    RsvpResponse { Yes => "yes", No => "no", Maybe => "maybe" }
}

text_enum! {
    Attendance { Attended => "attended", Apologies => "apologies" }
}

text_enum! {
    /// `proposed → accepted | declined`.
    AgendaItemStatus { Proposed => "proposed", Accepted => "accepted", Declined => "declined" }
}

impl AgendaItemStatus {
    pub fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Proposed, Self::Accepted | Self::Declined)
        )
    }
}

text_enum! {
    /// `draft → approved`.
    MinutesStatus { Draft => "draft", Approved => "approved" }
}

impl MinutesStatus {
    pub fn can_become(self, next: Self) -> bool {
        matches!((self, next), (Self::Draft, Self::Approved))
    }
}

text_enum! {
    /// One plan per region is current; publishing a new one supersedes it.
    PlanStatus { Current => "current", Superseded => "superseded" }
}

text_enum! {
    /// `specific`: a measurable target or date; `general`: a stated intention;
    /// `mention`: named without commitment.
    #[derive(PartialOrd, Ord)]
    Firmness { Specific => "specific", General => "general", Mention => "mention" }
}

text_enum! {
    CommitmentStatus {
        NotStarted => "not-started",
        InProgress => "in-progress",
        Achieved => "achieved",
        PartlyAchieved => "partly-achieved",
        NotAchieved => "not-achieved",
        Withdrawn => "withdrawn",
    }
}

impl CommitmentStatus {
    /// A commitment's status is the RPD team's account of it, which they
    /// correct as the work goes (an achieved commitment found wanting is in
    /// progress again): any status may become any other.
    pub fn can_become(self, next: Self) -> bool {
        self != next
    }
}

text_enum! {
    /// `open → in-progress → done`; any open state → `blocked | cancelled`;
    /// `blocked → in-progress`.
    #[derive(PartialOrd, Ord)]
    ActionStatus {
        Open => "open",
        InProgress => "in-progress",
        Blocked => "blocked",
        Done => "done",
        Cancelled => "cancelled",
    }
}

impl ActionStatus {
    pub fn can_become(self, next: Self) -> bool {
        use ActionStatus::*;
        matches!(
            (self, next),
            (Open, InProgress | Blocked | Cancelled)
                | (InProgress, Done | Blocked | Cancelled)
                | (Blocked, InProgress | Cancelled)
        )
    }

    /// Done or cancelled: no longer counts as outstanding (or overdue).
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Done | Self::Cancelled)
    }
}

text_enum! {
    IssuePriority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
}

text_enum! {
    /// `open → acknowledged → responded → closed`; `responded → open` when
    /// the forum is not satisfied. The first response moves an open or
    /// acknowledged issue to `responded`.
    IssueStatus { Open => "open", Acknowledged => "acknowledged", Responded => "responded", Closed => "closed" }
}

impl IssueStatus {
    pub fn can_become(self, next: Self) -> bool {
        use IssueStatus::*;
        matches!(
            (self, next),
            (Open, Acknowledged) | (Open | Acknowledged, Responded) | (Responded, Closed | Open)
        )
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable;

    use super::*;

    /// Every move between two states of `E`, `Y` where `can_become` allows it:
    /// one row per state in declaration order, one column per next state.
    fn moves<E: Iterable + Copy>(can_become: impl Fn(E, E) -> bool) -> Vec<String> {
        E::iter()
            .map(|from| {
                E::iter()
                    .map(|to| if can_become(from, to) { 'Y' } else { '.' })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn memberships_are_decided_once_and_end_by_leaving() {
        // to: applied, active, rejected, suspended, left
        assert_eq!(
            moves(MembershipStatus::can_become),
            [
                ".YY..", // applied → active | rejected
                "...YY", // active → suspended | left
                ".....", // rejected: final
                ".Y..Y", // suspended → active | left
                ".....", // left: final
            ]
        );
    }

    #[test]
    fn a_scheduled_meeting_is_held_or_cancelled_and_that_is_final() {
        // to: scheduled, held, cancelled
        assert_eq!(moves(MeetingStatus::can_become), [".YY", "...", "..."]);
    }

    #[test]
    fn a_commitment_moves_from_any_status_to_any_other() {
        for from in CommitmentStatus::iter() {
            for to in CommitmentStatus::iter() {
                assert_eq!(from.can_become(to), from != to);
            }
        }
    }

    #[test]
    fn draft_minutes_are_approved_once() {
        // to: draft, approved
        assert_eq!(moves(MinutesStatus::can_become), [".Y", ".."]);
    }

    #[test]
    fn a_proposed_agenda_item_is_accepted_or_declined_once() {
        // to: proposed, accepted, declined
        assert_eq!(moves(AgendaItemStatus::can_become), [".YY", "...", "..."]);
    }

    #[test]
    fn actions_move_forward_can_be_blocked_or_cancelled_while_open_and_then_stop() {
        // to: open, in-progress, blocked, done, cancelled
        assert_eq!(
            moves(ActionStatus::can_become),
            [
                ".YY.Y", // open → in-progress | blocked | cancelled (not straight to done)
                "..YYY", // in-progress → blocked | done | cancelled
                ".Y..Y", // blocked → in-progress | cancelled
                ".....", // done: final
                ".....", // cancelled: final
            ]
        );
    }

    #[test]
    fn only_done_and_cancelled_actions_are_closed() {
        let closed: Vec<_> = ActionStatus::iter().filter(|s| s.is_closed()).collect();
        assert_eq!(closed, [ActionStatus::Done, ActionStatus::Cancelled]);
    }

    #[test]
    fn issues_are_acknowledged_answered_and_closed_or_reopened() {
        // to: open, acknowledged, responded, closed
        assert_eq!(
            moves(IssueStatus::can_become),
            [
                ".YY.", // open → acknowledged | responded (a first response)
                "..Y.", // acknowledged → responded
                "Y..Y", // responded → closed | open (not satisfied)
                "....", // closed: final
            ]
        );
    }

    #[test]
    fn a_consultation_moves_only_forward_but_for_reopening_and_withdrawal() {
        // to: open, drafting, agreed, submitted, withdrawn
        assert_eq!(
            moves(ConsultationStatus::can_become),
            [
                ".Y..Y", // open → drafting | withdrawn
                "Y.Y.Y", // drafting → open (contributions again) | agreed | withdrawn
                "...YY", // agreed → submitted | withdrawn
                ".....", // submitted: final
                ".....", // withdrawn: final
            ]
        );
        let editable: Vec<_> = ConsultationStatus::iter()
            .filter(|s| s.accepts_edits())
            .collect();
        assert_eq!(
            editable,
            [ConsultationStatus::Open, ConsultationStatus::Drafting]
        );
    }

    #[test]
    fn a_poll_opens_and_closes_by_the_clock_or_is_cancelled_before_it_closes() {
        // to: upcoming, open, closed, cancelled
        assert_eq!(
            moves(PollStatus::can_become),
            [
                ".Y.Y", // upcoming → open | cancelled
                "..YY", // open → closed | cancelled
                "....", // closed: final
                "....", // cancelled: final
            ]
        );
        let finished: Vec<_> = PollStatus::iter().filter(|s| s.is_final()).collect();
        assert_eq!(finished, [PollStatus::Closed, PollStatus::Cancelled]);
    }

    #[test]
    fn opportunities_are_awarded_or_withdrawn_and_awards_withdrawn_for_good() {
        // to: published, awarded, withdrawn
        assert_eq!(moves(OpportunityState::can_become), [".YY", "Y..", "..."]);
        // to: awarded, withdrawn
        assert_eq!(moves(AwardStatus::can_become), [".Y", ".."]);
    }

    #[test]
    fn open_memberships_are_those_in_or_waiting_to_be_in_the_forum() {
        let open: Vec<_> = MembershipStatus::iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [
                MembershipStatus::Applied,
                MembershipStatus::Active,
                MembershipStatus::Suspended
            ]
        );
    }

    #[test]
    fn officers_run_the_forum_and_only_admins_hand_out_officer_and_rpd_roles() {
        let officers: Vec<_> = ForumRole::iter().filter(|r| r.is_officer()).collect();
        let admin_only: Vec<_> = ForumRole::iter()
            .filter(|r| r.needs_admin_to_assign())
            .collect();
        assert_eq!(officers, [ForumRole::Secretary, ForumRole::Chair]);
        assert_eq!(
            admin_only,
            [ForumRole::Secretary, ForumRole::Chair, ForumRole::RpdStaff]
        );
    }

    #[test]
    fn every_value_is_stored_and_sent_as_its_kebab_case_text() {
        for status in ActionStatus::iter() {
            let json = serde_json::to_value(status).expect("serialise");
            assert_eq!(json, status.as_str());
            assert_eq!(status.to_value(), status.as_str());
        }
        assert_eq!(ForumRole::RpdStaff.as_str(), "rpd-staff");
        assert_eq!(CommitmentStatus::NotStarted.as_str(), "not-started");
    }
}

text_enum! {
    /// How a funding opportunity is let: a grant, a contract, jointly
    /// commissioned, or a call-off from a dynamic framework.
    FundingMechanism {
        Grant => "grant",
        Contract => "contract",
        CoCommission => "co-commission",
        DynamicFramework => "dynamic-framework",
    }
}

text_enum! {
    /// Who is commissioning: the Probation Service, a Police and Crime
    /// Commissioner, the Welsh Government, or another body (named).
    Commissioner {
        Probation => "probation",
        Pcc => "pcc",
        WelshGovernment => "welsh-government",
        Other => "other",
    }
}

// Written out rather than with `text_enum!`: its values start with digits,
// which kebab-casing the variants' names would not give.
/// The value of an opportunity in bands: under £10k, £10k to £100k, £100k
/// to £1m, and £1m or more.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ValueBand {
    #[sea_orm(string_value = "under-10k")]
    #[serde(rename = "under-10k")]
    Under10k,
    #[sea_orm(string_value = "10k-100k")]
    #[serde(rename = "10k-100k")]
    From10kTo100k,
    #[sea_orm(string_value = "100k-1m")]
    #[serde(rename = "100k-1m")]
    From100kTo1m,
    #[sea_orm(string_value = "over-1m")]
    #[serde(rename = "over-1m")]
    Over1m,
}

impl ValueBand {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Under10k => "under-10k",
            Self::From10kTo100k => "10k-100k",
            Self::From100kTo1m => "100k-1m",
            Self::Over1m => "over-1m",
        }
    }

    /// The amounts in pence that fall in the band: from the first bound,
    /// below the second (none above the top band).
    pub fn pence(self) -> (i64, Option<i64>) {
        match self {
            Self::Under10k => (0, Some(1_000_000)),
            Self::From10kTo100k => (1_000_000, Some(10_000_000)),
            Self::From100kTo1m => (10_000_000, Some(100_000_000)),
            Self::Over1m => (100_000_000, None),
        }
    }
}

text_enum! {
    /// An award stands (`awarded`) until the region's RPD staff withdraw it,
    /// with a reason; a withdrawn award counts in no report.
    AwardStatus {
        Awarded => "awarded",
        Withdrawn => "withdrawn",
    }
}

impl AwardStatus {
    /// `awarded → withdrawn`, and that is final.
    pub fn can_become(self, next: Self) -> bool {
        matches!((self, next), (Self::Awarded, Self::Withdrawn))
    }
}

text_enum! {
    /// Where an opportunity stands as stored: `published`, `awarded` once it
    /// has an award, or `withdrawn` (whether a published one is upcoming,
    /// open or closed follows from its dates).
    OpportunityState {
        Published => "published",
        Awarded => "awarded",
        Withdrawn => "withdrawn",
    }
}

impl OpportunityState {
    /// `published → awarded` with its first award, `awarded → published`
    /// when its last standing award is withdrawn; a published one may be
    /// withdrawn, and that is final.
    pub fn can_become(self, next: Self) -> bool {
        use OpportunityState::*;
        matches!(
            (self, next),
            (Published, Awarded | Withdrawn) | (Awarded, Published)
        )
    }
}
