//! Which pages of a forum each person may open: each page with the row of
//! the permission table that decides it. The operations decide (a page
//! calls them); this list is what `docs/page-permissions.md` is generated
//! from and what the page permission test walks, page by page and person
//! by person.

use crate::kernel::access::ForumAction;

pub struct PageRule {
    /// What the page is, in a few words.
    pub page: &'static str,
    /// Its address, with `{forum}` for the forum's id, and `{meeting}`,
    /// `{item}`, `{poll}`, `{action}` or `{issue}` for a record of the forum.
    pub address: &'static str,
    /// The row of the permission table that opens it.
    pub action: ForumAction,
}

impl PageRule {
    /// Whether the page is of a record of the forum named by its id: one
    /// who may not read the forum's records is told it is not found, as
    /// the API tells them, rather than that it is not theirs to open.
    pub fn names_a_record(&self) -> bool {
        ["{meeting}", "{item}", "{poll}", "{action}", "{issue}"]
            .iter()
            .any(|record| self.address.contains(record))
    }
}

/// The forum's pages for the signed in, each with what opens it. A page
/// not listed is public (the forum, its approved minutes) or not a forum's
/// (the dashboards, the account).
pub fn page_rules() -> Vec<PageRule> {
    vec![
        PageRule {
            page: "Member organisations",
            address: "/forums/{forum}/members",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "Applications to join",
            address: "/forums/{forum}/members/applications",
            action: ForumAction::DecideMembership,
        },
        PageRule {
            page: "Meetings",
            address: "/forums/{forum}/meetings",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "Schedule a meeting",
            address: "/forums/{forum}/meetings/new",
            action: ForumAction::RunMeetings,
        },
        PageRule {
            page: "Schedule a series of meetings",
            address: "/forums/{forum}/series/new",
            action: ForumAction::RunMeetings,
        },
        PageRule {
            page: "Actions",
            address: "/forums/{forum}/actions",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "An action",
            address: "/forums/{forum}/actions/{action}",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "Polls",
            address: "/forums/{forum}/polls",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "A poll",
            address: "/forums/{forum}/polls/{poll}",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "Put a poll to the forum from an agenda item",
            address: "/forums/{forum}/meetings/{meeting}/items/{item}/poll",
            action: ForumAction::RunPolls,
        },
        PageRule {
            page: "Issues raised with the RPD's team",
            address: "/forums/{forum}/issues",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "Raise an issue",
            address: "/forums/{forum}/issues/new",
            action: ForumAction::RaiseIssue,
        },
        PageRule {
            page: "An issue and its answers",
            address: "/forums/{forum}/issues/{issue}",
            action: ForumAction::ReadParticipantRecords,
        },
        PageRule {
            page: "Register a consultation",
            address: "/forums/{forum}/consultations/new",
            action: ForumAction::RegisterConsultation,
        },
        PageRule {
            page: "Roles",
            address: "/forums/{forum}/roles",
            action: ForumAction::ReadParticipantRecords,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::page_rules;
    use crate::kernel::access::ForumAction;
    use crate::kernel::access::cases::{CALLERS, Fixture};
    use crate::kernel::access::table::{cell, row};

    const REGENERATE: &str = "CONVENE_UPDATE_DOCS=1 cargo test -p convene --lib page_permission";

    fn render() -> String {
        let fixture = Fixture::new();
        let callers = fixture.callers();
        let mut table = format!("| page | {} |\n", CALLERS.join(" | "));
        table += &format!("|---|{}\n", "---|".repeat(CALLERS.len()));
        for rule in page_rules() {
            let label = format!("{} (`{}`)", rule.page, rule.address);
            table += &row(
                &label,
                callers
                    .iter()
                    .map(|access| match cell(access, rule.action) {
                        "401" => "sign in",
                        "no" if rule.names_a_record()
                            && !access.allows(ForumAction::ReadParticipantRecords) =>
                        {
                            "not found"
                        }
                        other => other,
                    }),
            );
        }
        include_str!("permissions_intro.md")
            .replace("{regenerate}", REGENERATE)
            .replace("{pages_table}", &table)
    }

    #[test]
    fn page_permission_table_in_docs_matches_the_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/page-permissions.md");
        let generated = render();
        if std::env::var_os("CONVENE_UPDATE_DOCS").is_some() {
            std::fs::write(path, &generated).expect("write docs/page-permissions.md");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/page-permissions.md differs from the pages' rules; regenerate it with\n    {REGENERATE}\nand review the difference"
        );
    }
}
