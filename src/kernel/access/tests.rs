//! `ForumAccess::allows` for every caller and every action, against the
//! permission table as designed; and how a refusal is answered.

use std::collections::HashMap;

use super::cases::{CALLERS, Fixture};
use super::{ForumAccess, ForumAction};
use crate::kernel::error::ApiError;

/// One row per case of [`Fixture::cases`]: one character per column of
/// [`CALLERS`] (public, signed in with no role, member, observer,
/// secretary, chair, rpd-staff, admin), `Y` allowed and `.` refused.
#[rustfmt::skip]
const DESIGNED: [(&str, &str); 46] = [
    ("YYYYYYYY", "Read the forum's profile and membership summary"),
    ("..YYYYYY", "Read its meetings, agendas, RSVPs, actions, issues, consultations, polls, full memberships and roles"),
    ("....YY.Y", "Edit its description and terms of reference"),
    (".......Y", "Change its name, region or issue response days"),
    (".YYYYYYY", "Apply to join, for their own organisation"),
    (".......Y", "Apply to join, for another organisation"),
    ("....YY.Y", "Approve, reject, suspend or reinstate memberships"),
    (".YYYYYYY", "Withdraw their own organisation"),
    (".......Y", "Withdraw another organisation"),
    ("....YY.Y", "Assign or remove `member`"),
    ("....YY.Y", "Assign or remove `observer`"),
    (".......Y", "Assign or remove `secretary`"),
    (".......Y", "Assign or remove `chair`"),
    (".......Y", "Assign or remove `rpd-staff`"),
    ("....YYYY", "Read the forum's audit trail"),
    ("....YY.Y", "Schedule, edit, cancel or close meetings; accept agenda items; record attendance; add, replace, narrow and delete meeting papers"),
    ("..YYYYYY", "Read a meeting's public papers, before it is held"),
    ("YYYYYYYY", "Read a meeting's public papers, once it is held"),
    ("..YYYYYY", "Read a meeting's papers for participants"),
    ("....YY.Y", "Read a meeting's papers for officers"),
    ("..Y.YYYY", "RSVP and propose agenda items"),
    ("....Y..Y", "Change the agenda of a meeting that has been held"),
    ("....YY.Y", "Draft and edit minutes"),
    (".....Y.Y", "Approve minutes, in a forum with a chair"),
    ("....YY.Y", "Approve minutes, in a forum without a chair"),
    ("..Y.YYYY", "Create actions"),
    ("..Y.YY.Y", "Update or log progress on an action their organisation owns"),
    ("....YY.Y", "Update or log progress on another organisation's action"),
    ("....YY.Y", "Update or log progress on an action no organisation owns"),
    ("..Y.YY.Y", "Raise an issue"),
    ("......YY", "Acknowledge or respond to an issue"),
    ("..YYYYYY", "Read an issue's evidence or a consultation's papers"),
    ("....YY.Y", "Read an issue's evidence or a consultation's papers, narrowed to officers"),
    ("..Y.YYYY", "Add, replace, narrow or delete an issue's evidence"),
    ("..YYYYYY", "Close or re-open an issue they raised"),
    ("....YY.Y", "Close or re-open an issue someone else raised"),
    ("....YY.Y", "Register, read, change and remove the forum's webhooks"),
    ("....YYYY", "Register a consultation, edit its details and keep its papers"),
    ("....YY.Y", "Compose the joint response; move a consultation on or withdraw it"),
    ("..Y.YY.Y", "Contribute to a consultation, for their own organisation"),
    (".YYYYYYY", "Edit a contribution their own organisation wrote"),
    (".......Y", "Edit a contribution another organisation wrote"),
    ("....YY.Y", "Put a poll to the forum; change or cancel it"),
    ("..Y.YY.Y", "Vote in a poll, for their own organisation"),
    (".YY.YY.Y", "Register or withdraw their own organisation's interest in the region's opportunities"),
    ("....YYYY", "See which organisations registered interest in an opportunity of the region"),
];

fn pattern(callers: &[ForumAccess], action: ForumAction) -> String {
    callers
        .iter()
        .map(|access| if access.allows(action) { 'Y' } else { '.' })
        .collect()
}

#[test]
fn each_caller_may_do_exactly_what_the_permission_table_says() {
    let fixture = Fixture::new();
    let callers = fixture.callers();
    let designed: HashMap<_, _> = DESIGNED.into_iter().map(|(p, l)| (l, p)).collect();
    let mut wrong = Vec::new();

    for (label, action) in fixture.cases() {
        let expected = designed.get(label).copied().unwrap_or("(no expectation)");
        let actual = pattern(&callers, action);
        if actual != expected {
            wrong.push(format!("{label}: expected {expected}, allowed {actual}"));
        }
    }

    assert_eq!(callers.len(), CALLERS.len());
    assert_eq!(fixture.cases().len(), DESIGNED.len(), "a case per row");
    assert!(
        wrong.is_empty(),
        "columns: {CALLERS:?}\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_refusal_is_401_without_a_token_and_403_with_one() {
    let fixture = Fixture::new();
    let callers = fixture.callers();
    let (public, outsider) = (&callers[0], &callers[1]);

    let anonymous = public.require(ForumAction::RunMeetings);
    let signed_in = outsider.require(ForumAction::RunMeetings);

    assert!(matches!(anonymous, Err(ApiError::Unauthorized(_))));
    assert!(matches!(signed_in, Err(ApiError::Forbidden(_))));
}

#[test]
fn records_an_outsider_may_not_see_are_answered_as_missing() {
    let fixture = Fixture::new();
    let callers = fixture.callers();
    let (public, outsider, member) = (&callers[0], &callers[1], &callers[2]);
    let read = ForumAction::ReadParticipantRecords;

    assert!(matches!(
        public.require_visible(read, "meeting"),
        Err(ApiError::Unauthorized(_))
    ));
    assert!(matches!(
        outsider.require_visible(read, "meeting"),
        Err(ApiError::NotFound(_))
    ));
    assert!(member.require_visible(read, "meeting").is_ok());
}

#[test]
fn a_403_names_what_the_role_does_not_allow() {
    let fixture = Fixture::new();
    let callers = fixture.callers();
    let observer = &callers[3];

    let refused = observer.require(ForumAction::TakePart);

    let Err(ApiError::Forbidden(detail)) = refused else {
        panic!("an observer may not take part: {refused:?}");
    };
    assert!(detail.contains("observers may only watch"), "{detail}");
}

#[test]
fn confidential_business_is_read_by_exactly_whom_its_visibility_names() {
    use entity::Visibility;
    let fixture = Fixture::new();
    let callers = fixture.callers();
    for (visibility, expected) in [
        (Visibility::Public, "YYYYYYYY"),
        (Visibility::Participants, "..YYYYYY"),
        (Visibility::Officers, "....YY.Y"),
    ] {
        let actual: String = callers
            .iter()
            .map(|access| {
                if access.may_read(visibility) {
                    'Y'
                } else {
                    '.'
                }
            })
            .collect();
        assert_eq!(actual, expected, "{visibility:?}");
    }
}
