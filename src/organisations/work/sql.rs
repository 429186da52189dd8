//! The statements of "Your organisation's work". Each takes `$1` the
//! caller and `$2` their organisation; the forums they are read for are
//! those the caller holds a role in (so may read the forum's records) and
//! the organisation is an active member of.

use entity::{
    ActionStatus, ConsultationStatus, IssueStatus, MeetingStatus, MembershipStatus,
    OpportunityState,
};

/// Meetings to come shown per forum.
pub const MEETINGS_SHOWN: u64 = 3;
/// Actions shown per group (a forum's actions serving one commitment).
pub const ACTIONS_SHOWN: u64 = 20;
/// Rows each other list shows at most, over all the forums.
pub const LISTED: u64 = 50;

/// The forums of the page: `$1` the caller, `$2` their organisation.
fn own_forums() -> String {
    format!(
        "SELECT r.forum_id FROM forum_roles r WHERE r.user_id = $1 AND EXISTS \
         (SELECT 1 FROM forum_memberships s WHERE s.forum_id = r.forum_id \
           AND s.organisation_id = $2 AND s.status = '{active}')",
        active = MembershipStatus::Active.as_str()
    )
}

/// `$3` now: each forum with the caller's role in it, its region, and its
/// next few meetings with the caller's own answer.
pub fn forums() -> String {
    format!(
        "SELECT f.id, f.name, r.role, g.code, m.id, m.title, m.starts_at, v.response \
         FROM forum_roles r JOIN forums f ON f.id = r.forum_id \
         JOIN regions g ON g.id = f.region_id \
         LEFT JOIN (SELECT x.id AS id, x.forum_id AS forum_id, x.title AS title, \
             x.starts_at AS starts_at, ROW_NUMBER() OVER (PARTITION BY x.forum_id \
               ORDER BY x.starts_at, x.id) AS n \
           FROM meetings x WHERE x.status = '{scheduled}' AND x.starts_at > $3 \
             AND x.forum_id IN ({own})) m ON m.forum_id = f.id AND m.n <= {MEETINGS_SHOWN} \
         LEFT JOIN meeting_rsvps v ON v.meeting_id = m.id AND v.user_id = $1 \
         WHERE r.forum_id IN ({own}) AND r.user_id = $1 \
         ORDER BY f.name, f.id, m.starts_at, m.id",
        scheduled = MeetingStatus::Scheduled.as_str(),
        own = own_forums(),
    )
}

/// The organisation's actions still to do, grouped by the commitment they
/// serve (the first by reference of those linked; none is a group too):
/// the most pressing of each group — overdue first, then by due date, the
/// undated last — with how many the group has.
pub fn actions() -> String {
    let still: Vec<String> = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Blocked,
    ]
    .iter()
    .map(|s| format!("'{}'", s.as_str()))
    .collect();
    format!(
        "SELECT w.forum_id, w.id, w.title, w.status, w.due_on, w.commitment_id, \
           w.reference, w.text, w.total FROM (\
           SELECT a.forum_id AS forum_id, a.id AS id, a.title AS title, a.status AS status, \
             a.due_on AS due_on, k.id AS commitment_id, k.reference AS reference, \
             k.text AS text, \
             ROW_NUMBER() OVER (PARTITION BY a.forum_id, k.id ORDER BY \
               CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.id) AS n, \
             COUNT(*) OVER (PARTITION BY a.forum_id, k.id) AS total \
           FROM action_items a \
           LEFT JOIN commitments k ON k.id = (SELECT c.id FROM action_commitments l \
             JOIN commitments c ON c.id = l.commitment_id WHERE l.action_id = a.id \
             ORDER BY c.reference, c.id LIMIT 1) \
           WHERE a.owner_organisation_id = $2 AND a.status IN ({still}) \
             AND a.forum_id IN ({own})) w \
         WHERE w.n <= {ACTIONS_SHOWN} \
         ORDER BY w.forum_id, CASE WHEN w.reference IS NULL THEN 1 ELSE 0 END, \
           w.reference, w.commitment_id, w.n",
        still = still.join(", "),
        own = own_forums(),
    )
}

/// `$3` now, `$4` today in London: the issues the organisation raised and
/// not yet closed, with how many answers each has; the consultations
/// taking contributions; the polls open, and whether the organisation has
/// voted; and the opportunities open in the forums' regions, and whether
/// it registered interest. Each list in the order it is shown.
pub fn underway() -> String {
    let own = own_forums();
    format!(
        "SELECT * FROM (SELECT 'issue' AS kind, i.forum_id AS forum_id, i.id AS id, \
           i.title AS title, i.status AS status, i.response_due_on AS on_date, \
           CAST(NULL AS TIMESTAMPTZ) AS at_time, \
           (SELECT COUNT(*) FROM issue_responses p WHERE p.issue_id = i.id) AS n \
           FROM raised_issues i WHERE i.raised_for_organisation_id = $2 \
             AND i.forum_id IN ({own}) AND i.status <> '{closed}' \
           ORDER BY i.response_due_on, i.id LIMIT {LISTED}) x \
         UNION ALL SELECT * FROM (SELECT 'consultation', c.forum_id, c.id, c.title, \
           c.status, c.internal_deadline, CAST(NULL AS TIMESTAMPTZ), \
           (SELECT COUNT(*) FROM consultation_contributions t WHERE \
             t.consultation_id = c.id AND t.organisation_id = $2) \
           FROM consultations c WHERE c.forum_id IN ({own}) AND c.status = '{c_open}' \
           ORDER BY c.internal_deadline, c.id LIMIT {LISTED}) y \
         UNION ALL SELECT * FROM (SELECT 'poll', p.forum_id, p.id, p.question, \
           CAST(NULL AS TEXT), CAST(NULL AS DATE), p.closes_at, \
           (SELECT COUNT(*) FROM poll_votes b WHERE b.poll_id = p.id \
             AND b.organisation_id = $2) \
           FROM polls p WHERE p.forum_id IN ({own}) AND p.cancelled_at IS NULL \
             AND p.opens_at <= $3 AND p.closes_at > $3 \
           ORDER BY p.closes_at, p.id LIMIT {LISTED}) z \
         UNION ALL SELECT * FROM (SELECT 'opportunity', f.id, o.id, o.title, \
           CAST(NULL AS TEXT), o.closes_on, CAST(NULL AS TIMESTAMPTZ), \
           (SELECT COUNT(*) FROM opportunity_interests e WHERE e.opportunity_id = o.id \
             AND e.organisation_id = $2) \
           FROM opportunities o JOIN forums f ON f.region_id = o.region_id \
           WHERE f.id IN ({own}) AND o.status = '{published}' \
             AND o.opens_on <= $4 AND o.closes_on >= $4 \
           ORDER BY o.closes_on, o.id LIMIT {LISTED}) q",
        closed = IssueStatus::Closed.as_str(),
        c_open = ConsultationStatus::Open.as_str(),
        published = OpportunityState::Published.as_str(),
    )
}
