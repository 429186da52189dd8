//! The lists, each with each of its filters, and how their pages must be read.

use chrono::{Duration, SecondsFormat};

use super::data::World;
use super::plans::{Expect, SortKey, Via};

const ID: SortKey = &["id"];
const DUE: SortKey = &["due_sort", "id"];
const RESPONSE_DUE: SortKey = &["response_due_on", "id"];
const STARTS: SortKey = &["starts_at", "id"];
const NAME: SortKey = &["name", "id"];

/// One list, with one combination of its filters.
pub struct Case {
    pub path: String,
    pub token: Option<String>,
    pub expect: Expect,
}

pub fn cases(w: &World) -> Vec<Case> {
    let fx = &w.fx;
    let (forum, org, commitment) = (fx.forum, fx.member_organisation, w.commitment);
    let secretary = Some(fx.secretary.access.clone());
    let admin = Some(fx.admin.access.clone());
    let now = chrono::Utc::now();
    let (from, to) = (
        now.to_rfc3339_opts(SecondsFormat::Secs, true),
        (now + Duration::days(200)).to_rfc3339_opts(SecondsFormat::Secs, true),
    );
    let actions = |query: &str| format!("/api/v1/forums/{forum}/actions?{query}");
    let issues = |query: &str| format!("/api/v1/forums/{forum}/issues?{query}");
    let action = |name| Expect::index("action_items", name, DUE);
    let issue = |name| Expect::index("raised_issues", name, RESPONSE_DUE);
    let by_forum_and_due = "idx_action_items_forum_id_due_sort_id";
    let issues_by_due = "idx_raised_issues_forum_id_response_due_on_id";
    let memberships = "idx_forum_memberships_forum_id_id";
    let memberships_by_status = Expect {
        table: "forum_memberships",
        via: Via::Either("idx_forum_memberships_forum_status", memberships),
        sort_key: &["id"],
    };
    let plan_reference = Expect::unique(
        "commitments",
        "uq_commitments_plan_reference",
        "sqlite_autoindex_commitments_2",
        &["reference"],
    );
    let opportunities = "/api/v1/regions/kent-surrey-sussex/opportunities";
    let by_region = "idx_opportunities_region_id_id";
    let opportunity = Expect::index("opportunities", by_region, ID);
    let opportunity_by_status = Expect {
        via: Via::Either("idx_opportunities_region_id_status_id", by_region),
        ..opportunity
    };
    let opportunity_by_mechanism = Expect {
        via: Via::Either("idx_opportunities_region_id_mechanism_id", by_region),
        ..opportunity
    };
    let participant = [
        (actions(""), action(by_forum_and_due)),
        // Done: the one status the index of open actions cannot answer.
        (
            actions("status=done"),
            action("idx_action_items_forum_id_status_due_sort_id"),
        ),
        (
            actions("status=open"),
            Expect {
                via: Via::Either(
                    "idx_action_items_forum_id_status_due_sort_id",
                    "idx_action_items_open_due",
                ),
                ..action(by_forum_and_due)
            },
        ),
        (
            actions(&format!("owner_organisation_id={org}")),
            action("idx_action_items_owner_organisation_id_forum_id_due_sort_id"),
        ),
        (actions("overdue=true"), action("idx_action_items_open_due")),
        (actions("overdue=false"), action(by_forum_and_due)),
        (
            actions(&format!("due_before={}", w.due_before)),
            action(by_forum_and_due),
        ),
        (
            actions(&format!("commitment_id={commitment}")),
            Expect::through_links("action_items", "action_commitments", DUE),
        ),
        (
            format!("/api/v1/commitments/{commitment}/actions?"),
            Expect::through_links("action_items", "action_commitments", DUE),
        ),
        (
            format!("/api/v1/actions/{}/updates?", w.action),
            Expect::index("action_updates", "idx_action_updates_action_id_id", ID),
        ),
        (issues(""), issue(issues_by_due)),
        (
            issues("status=open"),
            issue("idx_raised_issues_forum_id_status_response_due_on_id"),
        ),
        (
            issues("priority=urgent"),
            issue("idx_raised_issues_forum_id_priority_response_due_on_id"),
        ),
        (
            issues(&format!("raised_by_organisation_id={org}")),
            issue("idx_raised_issues_organisation_forum_due"),
        ),
        (
            issues("overdue=true"),
            issue("idx_raised_issues_unanswered_due"),
        ),
        (issues("overdue=false"), issue(issues_by_due)),
        (
            issues(&format!("commitment_id={commitment}")),
            Expect::through_links("raised_issues", "raised_issue_commitments", RESPONSE_DUE),
        ),
        (
            format!("/api/v1/issues/{}/responses?", w.issue),
            Expect::index("issue_responses", "idx_issue_responses_issue_id_id", ID),
        ),
        (
            format!("/api/v1/forums/{forum}/polls?status=open"),
            Expect::index("polls", "idx_polls_forum_id_id", ID),
        ),
        (
            format!("/api/v1/forums/{forum}/meetings?"),
            Expect::index("meetings", "idx_meetings_forum_id_starts_at_id", STARTS),
        ),
        (
            format!("/api/v1/forums/{forum}/meetings?status=scheduled"),
            Expect::index(
                "meetings",
                "idx_meetings_forum_id_status_starts_at_id",
                STARTS,
            ),
        ),
        (
            format!("/api/v1/forums/{forum}/meetings?from={from}&to={to}"),
            Expect::index("meetings", "idx_meetings_forum_id_starts_at_id", STARTS),
        ),
        (
            format!("/api/v1/meetings/{}/rsvps?", w.meeting),
            Expect::primary_key("meeting_rsvps", &["user_id"]),
        ),
        (
            format!("/api/v1/meetings/{}/minutes/revisions?", w.held_meeting),
            Expect::unique(
                "minutes_revisions",
                "uq_minutes_revisions_version",
                "sqlite_autoindex_minutes_revisions_2",
                &["version"],
            ),
        ),
        (
            format!("/api/v1/forums/{forum}/memberships?"),
            Expect::index("forum_memberships", memberships, ID),
        ),
        (
            format!("/api/v1/forums/{forum}/memberships?status=active"),
            memberships_by_status,
        ),
        (
            format!("/api/v1/forums/{forum}/memberships?size_band=small&in_supply_chain=false"),
            Expect::index("forum_memberships", memberships, ID),
        ),
        (
            format!("/api/v1/forums/{forum}/memberships?led_by_and_for=lived-experience"),
            Expect::index("forum_memberships", memberships, ID),
        ),
        (
            format!("/api/v1/forums/{forum}/roles?"),
            Expect::primary_key("forum_roles", &["user_id"]),
        ),
        (
            format!("/api/v1/forums/{forum}/roles?role=member"),
            Expect::primary_key("forum_roles", &["user_id"]),
        ),
        (
            format!("/api/v1/forums/{forum}/consultations?"),
            Expect::index("consultations", "idx_consultations_forum_id_id", ID),
        ),
        (
            format!("/api/v1/forums/{forum}/consultations?status=open"),
            Expect::index("consultations", "idx_consultations_forum_id_id", ID),
        ),
        (
            format!("/api/v1/consultations/{}/contributions?", w.consultation),
            Expect::index(
                "consultation_contributions",
                "idx_consultation_contributions_consultation_id_id",
                ID,
            ),
        ),
        (
            format!("/api/v1/audit?forum_id={forum}"),
            Expect::index("audit_events", "idx_audit_events_forum_id", ID),
        ),
        (
            format!("/api/v1/opportunities/{}/interests?", w.opportunity),
            Expect::index(
                "opportunity_interests",
                "idx_opportunity_interests_opportunity_id_id",
                ID,
            ),
        ),
    ];
    let administrative = [
        (
            "/api/v1/organisations?".to_string(),
            Expect::index("organisations", "idx_organisations_name_id", NAME),
        ),
        (
            "/api/v1/organisations?region=wales".to_string(),
            Expect::index("organisations", "idx_organisations_name_id", NAME),
        ),
        ("/api/v1/users?".into(), Expect::primary_key("users", ID)),
        (
            "/api/v1/users?disabled=false".into(),
            Expect::index("users", "idx_users_disabled_id", ID),
        ),
        (
            format!("/api/v1/users?organisation_id={org}"),
            Expect::index("users", "idx_users_organisation_id_id", ID),
        ),
        (
            "/api/v1/audit?".into(),
            Expect::primary_key("audit_events", ID),
        ),
        (
            "/api/v1/admin/deliveries?".into(),
            Expect::primary_key("deliveries", ID),
        ),
        (
            "/api/v1/admin/deliveries?status=sent".into(),
            Expect::index("deliveries", "idx_deliveries_status_id", ID),
        ),
        (
            "/api/v1/audit?entity=action".into(),
            Expect::index("audit_events", "idx_audit_events_by_entity", ID),
        ),
        (
            format!("/api/v1/audit?entity_id={}", w.action),
            Expect::index("audit_events", "idx_audit_events_by_record", ID),
        ),
        (
            format!("/api/v1/audit?actor_id={}", fx.secretary.id),
            Expect::index("audit_events", "idx_audit_events_actor_id", ID),
        ),
    ];
    let public = [
        (
            "/api/v1/forums?".to_string(),
            Expect::index("forums", "idx_forums_name_id", NAME),
        ),
        (
            format!("/api/v1/forums/{forum}/upcoming-meetings?"),
            Expect::index(
                "meetings",
                "idx_meetings_forum_id_status_starts_at_id",
                STARTS,
            ),
        ),
        (
            "/api/v1/regions/kent-surrey-sussex/plans?".into(),
            Expect::index("regional_plans", "idx_regional_plans_region_id_id", ID),
        ),
        (
            format!("/api/v1/plans/{}/commitments?", w.plan),
            plan_reference,
        ),
        (
            format!("/api/v1/plans/{}/commitments?firmness=specific", w.plan),
            plan_reference,
        ),
        (
            format!("/api/v1/plans/{}/commitments?theme=accommodation", w.plan),
            Expect::index(
                "commitments",
                "idx_commitments_plan_id_theme_reference",
                &["reference"],
            ),
        ),
        (
            format!("/api/v1/plans/{}/commitments?status=not-started", w.plan),
            Expect::index(
                "commitments",
                "idx_commitments_plan_id_status_reference",
                &["reference"],
            ),
        ),
        (
            format!("/api/v1/commitments/{commitment}/history?"),
            Expect::index(
                "commitment_status_changes",
                "idx_commitment_status_changes_commitment_id_id",
                ID,
            ),
        ),
        (format!("{opportunities}?"), opportunity),
        (
            format!("{opportunities}?status=open"),
            opportunity_by_status,
        ),
        (
            format!("{opportunities}?mechanism=grant"),
            opportunity_by_mechanism,
        ),
        (format!("{opportunities}?theme=women"), opportunity),
        (format!("{opportunities}?led_by_and_for=women"), opportunity),
        (
            format!("/api/v1/opportunities/{}/awards?", w.opportunity),
            Expect::index("awards", "idx_awards_opportunity_id_id", ID),
        ),
        // Outsiders see the active members (and their own organisation's).
        (
            format!("/api/v1/forums/{forum}/memberships?"),
            memberships_by_status,
        ),
    ];
    let outsider = Some(fx.other_member.access.clone());
    let with = |token: Option<String>| {
        move |(path, expect): (String, Expect)| Case {
            path,
            token: token.clone(),
            expect,
        }
    };
    participant
        .into_iter()
        .map(with(secretary))
        .chain(administrative.into_iter().map(with(admin)))
        .chain(public.into_iter().map(with(None)))
        .chain(std::iter::once(Case {
            path: format!("/api/v1/forums/{forum}/memberships?"),
            token: outsider,
            expect: Expect::index("forum_memberships", memberships, ID),
        }))
        .collect()
}
