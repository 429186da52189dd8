//! The bounds of every free-text field of the API, in one place. Each name is
//! used twice: by the handler's check (`v.rule::<ActionTitle>(…)`) and by the
//! field's schema (`schema_with = ActionTitle::schema`), so the spec says
//! exactly what the server enforces.

use crate::kernel::validation::{HttpUrl, Line, Text};

pub type DisplayName = Line<1, 100>;

pub type ForumName = Line<1, 200>;
pub type ForumDescription = Text<0, 5_000>;
pub type TermsOfReference = Text<0, 100_000>;
pub type MembershipStatement = Text<1, 2_000>;
pub type MembershipReason = Line<1, 2_000>;

pub type OrganisationName = Line<1, 200>;
pub type OrganisationDescription = Text<0, 5_000>;
pub type Website = HttpUrl<500>;

pub type MeetingTitle = Line<1, 200>;
pub type MeetingDescription = Text<0, 10_000>;
pub type MeetingLocation = Line<1, 500>;
pub type OnlineLink = Line<1, 500>;
pub type CancelReason = Line<1, 500>;

pub type AgendaTitle = Line<1, 200>;
pub type AgendaDescription = Text<0, 5_000>;
pub type Presenter = Line<1, 200>;
pub type VisibilityReason = Line<1, 500>;
pub type OutcomeText = Text<1, 20_000>;

pub type MinutesBody = Text<0, 200_000>;
pub type MinutesHeading = Line<0, 200>;

pub type PaperTitle = Line<1, 200>;
pub type PaperDescription = Text<0, 5_000>;

pub type PlanTitle = Line<1, 300>;
pub type PlanPeriod = Line<1, 50>;
pub type PlanSourceUrl = HttpUrl<1_000>;
pub type CommitmentReference = Line<1, 50>;
pub type CommitmentText = Text<1, 5_000>;
pub type CommitmentTarget = Line<1, 1_000>;
pub type StatusNote = Text<1, 2_000>;

pub type ActionTitle = Line<1, 300>;
pub type ActionDescription = Text<0, 10_000>;
pub type UpdateBody = Text<1, 5_000>;

pub type IssueTitle = Line<1, 300>;
pub type IssueBody = Text<1, 20_000>;
pub type IssueReason = Line<1, 2_000>;
pub type ResponseBody = Text<1, 20_000>;
pub type CharityNumber = Line<1, 20>;

pub type WebhookDescription = Line<0, 500>;

pub type ConsultationTitle = Line<1, 300>;
pub type ConsultingBody = Line<1, 200>;
pub type ConsultationDescription = Text<0, 20_000>;
pub type SourceUrl = HttpUrl<2_000>;
pub type QuestionText = Text<1, 5_000>;
pub type QuestionGuidance = Text<0, 10_000>;
pub type ContributionBody = Text<1, 50_000>;
pub type AnswerBody = Text<0, 100_000>;
pub type SubmissionReference = Line<1, 2_000>;
pub type WithdrawnReason = Line<1, 2_000>;

pub type PollQuestion = Line<1, 500>;
pub type PollDescription = Text<0, 5_000>;
pub type PollOptionLabel = Line<1, 200>;
pub type PollCancelReason = Line<1, 500>;

pub type OpportunityTitle = Line<1, 300>;
pub type OpportunityDescription = Text<0, 20_000>;
pub type CommissionerName = Line<1, 200>;
pub type Locality = Line<1, 200>;
pub type InterestNote = Text<1, 2_000>;
pub type RecipientName = Line<1, 300>;
pub type AwardChangeReason = Line<1, 2_000>;

/// The most pence one amount may be: £1bn. Every sum of amounts the reports
/// make is then far inside what a 64-bit integer, or a double's exact
/// integers (2^53 pence, ~£90 trillion), can hold.
pub const MAX_AMOUNT_PENCE: i64 = 100_000_000_000;
