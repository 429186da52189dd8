//! `docs/permissions.md`: the permission table as the code decides it,
//! every caller of [`Fixture::callers`] against every case of
//! [`Fixture::cases`]. A test fails when the committed file says anything else.

use super::cases::{CALLERS, Fixture};
use super::{
    ForumAccess, ForumAction, registers_own_organisation, require_admin,
    require_organisation_editor,
};

/// The command that rewrites the committed table.
pub const REGENERATE: &str = "CONVENE_UPDATE_DOCS=1 cargo test -p convene --lib permission_table";

pub(crate) fn cell(access: &ForumAccess, action: ForumAction) -> &'static str {
    if access.allows(action) {
        "yes"
    } else if access.caller.is_none() {
        "401"
    } else {
        "no"
    }
}

pub(crate) fn row(label: &str, cells: impl IntoIterator<Item = &'static str>) -> String {
    let cells: Vec<_> = cells.into_iter().collect();
    format!("| {label} | {} |\n", cells.join(" | "))
}

fn forum_table(fixture: &Fixture) -> String {
    let callers = fixture.callers();
    let mut table = format!("| | {} |\n", CALLERS.join(" | "));
    table += &format!("|---|{}\n", "---|".repeat(CALLERS.len()));
    for (label, action) in fixture.cases() {
        table += &row(label, callers.iter().map(|access| cell(access, action)));
    }
    table
}

fn platform_table(fixture: &Fixture) -> String {
    let allowed =
        |result: crate::kernel::error::ApiResult<()>| if result.is_ok() { "yes" } else { "no" };
    let (person, admin) = (fixture.auth_user(false), fixture.auth_user(true));
    let mut table = String::from("| | public | signed in | admin |\n|---|---|---|---|\n");
    table += &row(
        "List, read and change user accounts; read the whole audit trail",
        [
            "401",
            allowed(require_admin(&person)),
            allowed(require_admin(&admin)),
        ],
    );
    table += &row(
        "Edit their own organisation's profile",
        [
            "401",
            allowed(require_organisation_editor(
                &person,
                fixture.own_organisation,
            )),
            allowed(require_organisation_editor(
                &admin,
                fixture.own_organisation,
            )),
        ],
    );
    table += &row(
        "Edit another organisation's profile",
        [
            "401",
            allowed(require_organisation_editor(
                &person,
                fixture.other_organisation,
            )),
            allowed(require_organisation_editor(
                &admin,
                fixture.other_organisation,
            )),
        ],
    );
    let on_behalf = |caller| {
        if registers_own_organisation(caller) {
            "no"
        } else {
            "yes"
        }
    };
    table += &row(
        "Register an organisation on someone else's behalf, without joining it",
        ["401", on_behalf(&person), on_behalf(&admin)],
    );
    table
}

/// The whole of `docs/permissions.md`.
pub fn render() -> String {
    let fixture = Fixture::new();
    include_str!("table_intro.md")
        .replace("{regenerate}", REGENERATE)
        .replace("{forum_table}", &forum_table(&fixture))
        .replace("{platform_table}", &platform_table(&fixture))
}

#[test]
fn permission_table_in_docs_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/permissions.md");
    let generated = render();
    if std::env::var_os("CONVENE_UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).expect("write docs/permissions.md");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/permissions.md differs from what the code allows; regenerate it with\n    {REGENERATE}\nand review the difference"
    );
}
