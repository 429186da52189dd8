//! Every caller a forum can have and every [`ForumAction`] in each case that
//! can change the answer, made without a database: what the permission
//! table in `docs/permissions.md` and the tests of `allows` range over.

use chrono::DateTime;
use entity::{ForumRole, Visibility, forum, user};
use uuid::Uuid;

use super::{ForumAccess, ForumAction};
use crate::kernel::access::AuthUser;

impl ForumAccess {
    /// A caller's standing in a forum, without loading anything.
    fn of(caller: Option<user::Model>, role: Option<ForumRole>) -> Self {
        Self {
            forum: forum::Model {
                id: Uuid::nil(),
                region_id: Uuid::nil(),
                name: "A forum".into(),
                description: String::new(),
                terms_of_reference: String::new(),
                issue_response_days: 28,
                created_at: DateTime::UNIX_EPOCH,
                updated_at: DateTime::UNIX_EPOCH,
            },
            caller,
            role,
        }
    }
}

/// Column headings, in the order of [`Fixture::callers`].
pub const CALLERS: [&str; 8] = [
    "public",
    "signed in, no role",
    "`member`",
    "`observer`",
    "`secretary`",
    "`chair`",
    "`rpd-staff`",
    "admin",
];

/// Each signed-in caller is the same person, of `own_organisation`, so that
/// "their own organisation" and "raised by them" mean the same in every row.
pub struct Fixture {
    pub me: Uuid,
    pub someone_else: Uuid,
    pub own_organisation: Uuid,
    pub other_organisation: Uuid,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            me: Uuid::from_u128(1),
            someone_else: Uuid::from_u128(2),
            own_organisation: Uuid::from_u128(3),
            other_organisation: Uuid::from_u128(4),
        }
    }

    fn person(&self, is_admin: bool) -> user::Model {
        user::Model {
            id: self.me,
            email: "caller@example.org".into(),
            display_name: "Caller".into(),
            password_hash: String::new(),
            organisation_id: Some(self.own_organisation),
            is_admin,
            disabled: false,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            email_verified_at: Some(DateTime::UNIX_EPOCH),
            verification_sent_at: None,
            password_reset_sent_at: None,
            email_change_sent_at: None,
        }
    }

    /// The same person signed in, as an admin or not.
    pub fn auth_user(&self, is_admin: bool) -> AuthUser {
        AuthUser {
            user: self.person(is_admin),
            session_id: Uuid::nil(),
        }
    }

    /// One [`ForumAccess`] per column of [`CALLERS`].
    pub fn callers(&self) -> Vec<ForumAccess> {
        let signed_in = |role| ForumAccess::of(Some(self.person(false)), role);
        vec![
            ForumAccess::of(None, None),
            signed_in(None),
            signed_in(Some(ForumRole::Member)),
            signed_in(Some(ForumRole::Observer)),
            signed_in(Some(ForumRole::Secretary)),
            signed_in(Some(ForumRole::Chair)),
            signed_in(Some(ForumRole::RpdStaff)),
            ForumAccess::of(Some(self.person(true)), None),
        ]
    }

    /// Every action, once for each case that can change the answer.
    pub fn cases(&self) -> Vec<(&'static str, ForumAction)> {
        use ForumAction::*;
        let (own, other) = (self.own_organisation, self.other_organisation);
        let apply = |organisation_id| ApplyForMembership { organisation_id };
        let leave = |organisation_id| LeaveForum { organisation_id };
        let approve = |forum_has_chair| ApproveMinutes { forum_has_chair };
        let update = |owner_organisation_id| UpdateAction {
            owner_organisation_id,
        };
        let settle = |raised_by| SettleIssue { raised_by };
        let contribution = |organisation_id| EditContribution { organisation_id };
        let paper = |visibility, held| ReadMeetingPaper { visibility, held };
        let evidence = |visibility| ReadForumPaper { visibility };
        use Visibility::{Officers, Participants, Public};
        // One line per row of the table: easier to read unwrapped.
        #[rustfmt::skip]
        let cases = vec![
            ("Read the forum's profile and membership summary", ReadForum),
            ("Read its meetings, agendas, RSVPs, actions, issues, consultations, polls, full memberships and roles", ReadParticipantRecords),
            ("Edit its description and terms of reference", EditForumProfile),
            ("Change its name, region or issue response days", EditForumSettings),
            ("Apply to join, for their own organisation", apply(own)),
            ("Apply to join, for another organisation", apply(other)),
            ("Approve, reject, suspend or reinstate memberships", DecideMembership),
            ("Withdraw their own organisation", leave(own)),
            ("Withdraw another organisation", leave(other)),
            ("Assign or remove `member`", AssignRole(ForumRole::Member)),
            ("Assign or remove `observer`", AssignRole(ForumRole::Observer)),
            ("Assign or remove `secretary`", AssignRole(ForumRole::Secretary)),
            ("Assign or remove `chair`", AssignRole(ForumRole::Chair)),
            ("Assign or remove `rpd-staff`", AssignRole(ForumRole::RpdStaff)),
            ("Read the forum's audit trail", ReadAudit),
            ("Schedule, edit, cancel or close meetings; accept agenda items; record attendance; add, replace, narrow and delete meeting papers", RunMeetings),
            ("Read a meeting's public papers, before it is held", paper(Public, false)),
            ("Read a meeting's public papers, once it is held", paper(Public, true)),
            ("Read a meeting's papers for participants", paper(Participants, true)),
            ("Read a meeting's papers for officers", paper(Officers, true)),
            ("RSVP and propose agenda items", TakePart),
            ("Change the agenda of a meeting that has been held", EditHeldAgenda),
            ("Draft and edit minutes", DraftMinutes),
            ("Approve minutes, in a forum with a chair", approve(true)),
            ("Approve minutes, in a forum without a chair", approve(false)),
            ("Create actions", TakePart),
            ("Update or log progress on an action their organisation owns", update(Some(own))),
            ("Update or log progress on another organisation's action", update(Some(other))),
            ("Update or log progress on an action no organisation owns", update(None)),
            ("Raise an issue", RaiseIssue),
            ("Acknowledge or respond to an issue", RespondToIssue),
            ("Read an issue's evidence or a consultation's papers", evidence(Public)),
            ("Read an issue's evidence or a consultation's papers, narrowed to officers", evidence(Officers)),
            ("Add, replace, narrow or delete an issue's evidence", KeepIssueEvidence),
            ("Close or re-open an issue they raised", settle(Some(self.me))),
            ("Close or re-open an issue someone else raised", settle(Some(self.someone_else))),
            ("Register, read, change and remove the forum's webhooks", ManageWebhooks),
            ("Register a consultation, edit its details and keep its papers", RegisterConsultation),
            ("Compose the joint response; move a consultation on or withdraw it", RunConsultation),
            ("Contribute to a consultation, for their own organisation", Contribute),
            ("Edit a contribution their own organisation wrote", contribution(own)),
            ("Edit a contribution another organisation wrote", contribution(other)),
            ("Put a poll to the forum; change or cancel it", RunPolls),
            ("Vote in a poll, for their own organisation", Vote),
            ("Register or withdraw their own organisation's interest in the region's opportunities", RegisterInterest),
            ("See which organisations registered interest in an opportunity of the region", ReadInterests),
        ];
        for (_, action) in &cases {
            // Adding a variant to `ForumAction` stops the build here until
            // its cases are in the list above.
            match action {
                ReadForum | ReadParticipantRecords | EditForumProfile | EditForumSettings => {}
                ApplyForMembership { .. } | DecideMembership | LeaveForum { .. } => {}
                AssignRole(_) | ReadAudit | RunMeetings | TakePart | EditHeldAgenda => {}
                DraftMinutes | ApproveMinutes { .. } | UpdateAction { .. } => {}
                RaiseIssue | RespondToIssue | SettleIssue { .. } | ManageWebhooks => {}
                ReadMeetingPaper { .. } | ReadForumPaper { .. } | KeepIssueEvidence => {}
                RegisterConsultation | RunConsultation | Contribute | RunPolls | Vote => {}
                EditContribution { .. } | RegisterInterest | ReadInterests => {}
            }
        }
        cases
    }
}
