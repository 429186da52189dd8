//! The statements of a region's public record (`region`): written out,
//! since each gathers several of the report's figures into one round trip
//! (scalar subqueries, one grouped query per distribution joined by
//! `UNION ALL`), with PostgreSQL's placeholders for either database.

use entity::{AwardStatus, ConsultationStatus, MembershipStatus, PlanStatus};

/// A sum of counter rows, as a whole number on both databases.
fn total(sql: &str) -> String {
    format!("(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM {sql})")
}

/// The region's row: its forum, its current plan and, with `figures`, the
/// report's single figures as scalar subqueries. `$1` the code, `$2` today,
/// `$3` the start of the participation window.
pub(super) fn head_sql(figures: bool) -> String {
    let (active, submitted, withdrawn, awarded) = (
        MembershipStatus::Active.as_str(),
        ConsultationStatus::Submitted.as_str(),
        ConsultationStatus::Withdrawn.as_str(),
        AwardStatus::Awarded.as_str(),
    );
    let mut sql =
        String::from("SELECT r.id, r.code, r.name, f.id, f.name, p.id, p.title, p.period");
    if figures {
        let consultations = format!(
            "(SELECT COUNT(*) FROM consultations c WHERE c.forum_id = f.id AND c.status <> '{withdrawn}'"
        );
        let taking_part = "EXISTS (SELECT 1 FROM consultation_contributions cc \
               JOIN consultations c ON c.id = cc.consultation_id \
               WHERE c.forum_id = f.id AND cc.organisation_id = m.organisation_id \
               AND cc.created_at >= $3) \
             OR EXISTS (SELECT 1 FROM poll_votes v JOIN polls pl ON pl.id = v.poll_id \
               WHERE pl.forum_id = f.id AND v.organisation_id = m.organisation_id \
               AND v.cast_at >= $3)";
        let members = format!(
            "(SELECT COUNT(*) FROM forum_memberships m WHERE m.forum_id = f.id AND m.status = '{active}'"
        );
        for column in [
            total("report_issue_totals t WHERE t.forum_id = f.id AND t.figure = 'raised'"),
            total(
                "report_issue_totals t WHERE t.forum_id = f.id \
                 AND t.figure = 'answered-within-due-date'",
            ),
            total("report_unanswered_issues u WHERE u.forum_id = f.id AND u.due_on < $2"),
            format!("{consultations})"),
            format!("{consultations} AND c.status = '{submitted}')"),
            format!(
                "{consultations} AND c.status = '{submitted}' AND c.submitted_on <= c.closes_on)"
            ),
            format!("{members})"),
            format!("{members} AND ({taking_part}))"),
            "(SELECT COUNT(*) FROM commitments c WHERE c.plan_id = p.id)".to_string(),
            format!(
                "(SELECT COUNT(*) FROM commitments c WHERE c.plan_id = p.id AND EXISTS \
                 (SELECT 1 FROM opportunity_commitments oc \
                  JOIN awards a ON a.opportunity_id = oc.opportunity_id \
                  WHERE oc.commitment_id = c.id AND a.status = '{awarded}'))"
            ),
        ] {
            sql.push_str(", ");
            sql.push_str(&column);
        }
    }
    sql.push_str(&format!(
        " FROM regions r LEFT JOIN forums f ON f.region_id = r.id \
         LEFT JOIN regional_plans p ON p.region_id = r.id AND p.status = '{current}' \
         WHERE r.code = $1",
        current = PlanStatus::Current.as_str()
    ));
    sql
}

/// The plan's commitments with their linked actions by status, overdue
/// ones and open issues, from the counters. `$1` the plan, `$2` the first
/// of this month, `$3` today.
pub(super) fn commitments_sql() -> String {
    let by_status: Vec<String> = ["open", "in-progress", "blocked", "done", "cancelled"]
        .iter()
        .map(|status| {
            format!(
                "(SELECT CAST(COALESCE(SUM(s.n), 0) AS BIGINT) FROM report_action_statuses s \
                 WHERE s.commitment_id = c.id AND s.status = '{status}')"
            )
        })
        .collect();
    format!(
        "SELECT c.id, c.reference, c.theme, c.firmness, c.status, c.due_on, c.text, {by_status}, \
         {months} + {days}, {issues} \
         FROM commitments c WHERE c.plan_id = $1 ORDER BY c.reference",
        by_status = by_status.join(", "),
        months = total("report_open_action_months m WHERE m.commitment_id = c.id AND m.month < $2"),
        days = total(
            "report_open_action_days d WHERE d.commitment_id = c.id \
             AND d.due_on >= $2 AND d.due_on < $3"
        ),
        issues = total("report_commitment_issues i WHERE i.commitment_id = c.id"),
    )
}

/// The distributions, one grouped query each, as `(kind, key, n, value)`
/// rows of one statement. `$1` the region, `$2` its forum, `$3` its plan,
/// `$4` false (held in no contract).
pub(super) fn distributions_sql() -> String {
    let awarded = AwardStatus::Awarded.as_str();
    let value = "CAST(COALESCE(SUM(CAST(a.amount_pence AS DOUBLE PRECISION)), 0.0) \
                 AS DOUBLE PRECISION)";
    let awards = format!(
        "FROM awards a JOIN opportunities o ON o.id = a.opportunity_id \
         WHERE o.region_id = $1 AND a.status = '{awarded}'"
    );
    let nothing = "CAST(0.0 AS DOUBLE PRECISION)";
    [
        format!(
            "SELECT 'mechanism', o.mechanism, COUNT(a.id), {value} {awards} GROUP BY o.mechanism"
        ),
        format!(
            "SELECT 'group', g.category, COUNT(a.id), {value} FROM award_groups g \
             JOIN awards a ON a.id = g.award_id JOIN opportunities o ON o.id = a.opportunity_id \
             WHERE o.region_id = $1 AND a.status = '{awarded}' GROUP BY g.category"
        ),
        format!(
            "SELECT 'small', '', COUNT(a.id), {value} {awards} AND a.size_band IN ('{}', '{}')",
            entity::SizeBand::Micro.as_str(),
            entity::SizeBand::Small.as_str()
        ),
        format!("SELECT 'outside', '', COUNT(a.id), {value} {awards} AND a.in_supply_chain = $4"),
        format!(
            "SELECT 'response-days', CAST(d.days AS TEXT), CAST(d.n AS BIGINT), {nothing} \
             FROM report_response_days d WHERE d.forum_id = $2 AND d.n > 0"
        ),
        format!(
            "SELECT 'theme-actions', t.theme, CAST(t.n AS BIGINT), {nothing} \
             FROM report_theme_actions t WHERE t.plan_id = $3 AND t.n <> 0"
        ),
    ]
    .join(" UNION ALL ")
}
