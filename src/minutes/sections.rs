//! The sections of a meeting's minutes: each tied to an agenda item or
//! free, each readable by whom its visibility says. A section tied to an
//! item is never more open than the item, even if the item is made more
//! confidential after the minutes were written: what a reader sees is the
//! narrower of the two. Readers who may not read a section see a "Withheld:
//! <reason>" heading in its place and nothing of its text, in the minutes,
//! their versions, and the feeds.

use std::collections::{HashMap, HashSet};

use entity::{Visibility, agenda_item, minutes_revision, minutes_section};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::validation::Validator;
use crate::meetings::{check_visibility_at, withheld_title};

/// The most sections one meeting's minutes may have.
pub const MAX_SECTIONS: usize = 200;
/// The most text the sections may hold together.
const MAX_TEXT: usize = 200_000;

/// A section as written.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionIn {
    /// The agenda item it records: an item of this meeting, once at most.
    pub agenda_item_id: Option<Uuid>,
    /// One line, up to 200 characters; may be empty (an opening text).
    #[serde(default)]
    #[schema(schema_with = limits::MinutesHeading::schema)]
    pub heading: String,
    /// Markdown; all sections together up to 200,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::MinutesBody::schema)]
    pub body: String,
    /// Who may read it. A section of an agenda item takes the item's by
    /// default and may not be more open (422); a free section is public by
    /// default.
    pub visibility: Option<Visibility>,
    /// Why it is not public: required unless it is public (a section of a
    /// confidential item may leave it out to take the item's); what
    /// everyone else is shown. One line, up to 500 characters.
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub visibility_reason: Option<String>,
}

/// A section as kept, in the minutes and in each version of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub agenda_item_id: Option<Uuid>,
    pub heading: String,
    pub body: String,
    pub visibility: Visibility,
    pub visibility_reason: Option<String>,
}

/// A section as its reader may see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SectionOut {
    /// Its place in the minutes, from 0.
    pub position: i32,
    pub agenda_item_id: Option<Uuid>,
    /// `Withheld: <reason>` when the reader may not read it.
    pub heading: String,
    /// Empty when withheld.
    pub body: String,
    /// Who may read it: the narrower of its own and its agenda item's.
    pub visibility: Visibility,
    pub visibility_reason: Option<String>,
    /// The reader may not read it: only its place and reason are shown.
    pub withheld: bool,
}

/// The visibility of the agenda items sections are tied to, as they now are.
pub type ItemVisibility = HashMap<Uuid, (Visibility, Option<String>)>;

/// Checks the sections against the meeting's agenda items (422 naming each
/// bad field, as `sections[2].visibility_reason`) and gives them as kept.
pub fn check(
    v: &mut Validator,
    sections: &[SectionIn],
    items: &HashMap<Uuid, agenda_item::Model>,
) -> Vec<Section> {
    v.check(
        (1..=MAX_SECTIONS).contains(&sections.len()),
        "sections",
        &format!("must have between 1 and {MAX_SECTIONS} sections"),
    );
    let text: usize = sections
        .iter()
        .map(|s| s.heading.chars().count() + s.body.chars().count())
        .sum();
    v.check(
        text <= MAX_TEXT,
        "sections",
        "hold more than 200,000 characters together",
    );
    let mut tied = HashSet::new();
    let mut kept = Vec::with_capacity(sections.len());
    for (n, s) in sections.iter().enumerate() {
        let field = |name: &str| format!("sections[{n}].{name}");
        v.rule::<limits::MinutesHeading>(&s.heading, &field("heading"));
        v.rule::<limits::MinutesBody>(&s.body, &field("body"));
        let item = s.agenda_item_id.and_then(|id| items.get(&id));
        if let Some(id) = s.agenda_item_id {
            v.check(
                item.is_some(),
                &field("agenda_item_id"),
                "is not an item of this meeting's agenda",
            );
            v.check(
                tied.insert(id),
                &field("agenda_item_id"),
                "has a section already",
            );
        }
        let visibility = match (s.visibility, item) {
            (Some(given), Some(item)) => {
                v.check(
                    given.narrower(item.visibility) == given,
                    &field("visibility"),
                    &format!(
                        "cannot be more open than its agenda item ({})",
                        item.visibility.as_str()
                    ),
                );
                given
            }
            (Some(given), None) => given,
            (None, Some(item)) => item.visibility,
            (None, None) => Visibility::Public,
        };
        // A section that takes its item's visibility may take its reason too.
        let reason = s.visibility_reason.as_deref().or_else(|| {
            item.filter(|i| i.visibility == visibility)
                .and_then(|i| i.visibility_reason.as_deref())
        });
        let reason = check_visibility_at(v, visibility, reason, &field("visibility_reason"));
        kept.push(Section {
            agenda_item_id: s.agenda_item_id,
            heading: s.heading.trim().to_string(),
            body: s.body.trim_end().to_string(),
            visibility,
            visibility_reason: reason,
        });
    }
    kept
}

/// One public section with no heading: minutes written as one text.
pub fn single(body: &str) -> Vec<Section> {
    vec![Section {
        agenda_item_id: None,
        heading: String::new(),
        body: body.trim_end().to_string(),
        visibility: Visibility::Public,
        visibility_reason: None,
    }]
}

/// The sections of these minutes, in order, in one query.
pub async fn load(
    conn: &impl ConnectionTrait,
    minutes_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Section>>, DbErr> {
    let rows = minutes_section::Entity::find()
        .filter(minutes_section::Column::MinutesId.is_in(minutes_ids.iter().copied()))
        .order_by_asc(minutes_section::Column::MinutesId)
        .order_by_asc(minutes_section::Column::Position)
        .all(conn)
        .await?;
    let mut by_minutes: HashMap<Uuid, Vec<Section>> = HashMap::new();
    for row in rows {
        by_minutes.entry(row.minutes_id).or_default().push(Section {
            agenda_item_id: row.agenda_item_id,
            heading: row.heading,
            body: row.body,
            visibility: row.visibility,
            visibility_reason: row.visibility_reason,
        });
    }
    Ok(by_minutes)
}

/// The sections of one meeting's minutes.
pub async fn load_one(
    conn: &impl ConnectionTrait,
    minutes_id: Uuid,
) -> Result<Vec<Section>, DbErr> {
    Ok(load(conn, &[minutes_id])
        .await?
        .remove(&minutes_id)
        .unwrap_or_default())
}

/// Writes `sections` in place of the minutes' sections.
pub async fn replace(
    conn: &impl ConnectionTrait,
    minutes_id: Uuid,
    sections: &[Section],
) -> Result<(), DbErr> {
    minutes_section::Entity::delete_many()
        .filter(minutes_section::Column::MinutesId.eq(minutes_id))
        .exec(conn)
        .await?;
    let rows = sections
        .iter()
        .zip(0..)
        .map(|(s, position)| minutes_section::ActiveModel {
            minutes_id: Set(minutes_id),
            position: Set(position),
            agenda_item_id: Set(s.agenda_item_id),
            heading: Set(s.heading.clone()),
            body: Set(s.body.clone()),
            visibility: Set(s.visibility),
            visibility_reason: Set(s.visibility_reason.clone()),
        });
    minutes_section::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The meeting's agenda items, by id.
pub async fn agenda_of(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<HashMap<Uuid, agenda_item::Model>, DbErr> {
    Ok(agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect())
}

/// How visible the items these sections are tied to now are, in one query.
pub async fn item_visibility<'a>(
    conn: &impl ConnectionTrait,
    sections: impl IntoIterator<Item = &'a Section>,
) -> Result<ItemVisibility, DbErr> {
    let ids: HashSet<Uuid> = sections
        .into_iter()
        .filter_map(|s| s.agenda_item_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(agenda_item::Entity::find()
        .filter(agenda_item::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, (i.visibility, i.visibility_reason)))
        .collect())
}

/// The sections as a reader for whom `may_read` says what they may read
/// sees them.
pub fn as_read(
    sections: &[Section],
    items: &ItemVisibility,
    may_read: impl Fn(Visibility) -> bool,
) -> Vec<SectionOut> {
    sections
        .iter()
        .zip(0..)
        .map(|(s, position)| {
            let (visibility, reason) = match s.agenda_item_id.and_then(|id| items.get(&id)) {
                Some((item, item_reason)) if item.narrower(s.visibility) != s.visibility => {
                    (*item, item_reason.clone())
                }
                _ => (s.visibility, s.visibility_reason.clone()),
            };
            let readable = may_read(visibility);
            SectionOut {
                position,
                agenda_item_id: s.agenda_item_id,
                heading: if readable {
                    s.heading.clone()
                } else {
                    withheld_title(reason.as_deref())
                },
                body: if readable {
                    s.body.clone()
                } else {
                    String::new()
                },
                visibility,
                visibility_reason: reason,
                withheld: !readable,
            }
        })
        .collect()
}

/// The sections as one markdown text: each heading as a level-two heading
/// over its text.
pub fn render(sections: &[SectionOut]) -> String {
    sections
        .iter()
        .map(|s| match (s.heading.is_empty(), s.body.is_empty()) {
            (true, _) => s.body.clone(),
            (false, true) => format!("## {}", s.heading),
            (false, false) => format!("## {}\n\n{}", s.heading, s.body),
        })
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The sections as a version of the minutes keeps them.
pub fn snapshot(sections: &[Section]) -> Option<String> {
    serde_json::to_string(sections).ok()
}

/// The sections of a kept version (one public text for versions kept
/// before minutes had sections).
pub fn of_revision(revision: &minutes_revision::Model) -> Vec<Section> {
    revision
        .sections
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_else(|| single(&revision.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(heading: &str, visibility: Visibility, item: Option<Uuid>) -> Section {
        Section {
            agenda_item_id: item,
            heading: heading.into(),
            body: format!("{heading} text"),
            visibility,
            visibility_reason: (visibility != Visibility::Public).then(|| "Commercial".into()),
        }
    }

    #[test]
    fn readers_see_withheld_sections_only_as_their_reason() {
        let sections = [
            section("Welcome", Visibility::Public, None),
            section("Contract", Visibility::Officers, None),
        ];
        let public = as_read(&sections, &HashMap::new(), |v| v == Visibility::Public);
        assert!(public[1].withheld);
        assert_eq!(public[1].heading, "Withheld: Commercial");
        assert_eq!(
            render(&public),
            "## Welcome\n\nWelcome text\n\n## Withheld: Commercial"
        );
        let officers = as_read(&sections, &HashMap::new(), |_| true);
        assert!(render(&officers).contains("Contract text"));
    }

    #[test]
    fn a_section_is_never_more_open_than_its_item_is_now() {
        let item = Uuid::now_v7();
        let sections = [section(
            "Provider performance",
            Visibility::Public,
            Some(item),
        )];
        let items: ItemVisibility = HashMap::from([(
            item,
            (Visibility::Participants, Some("Draft figures".into())),
        )]);
        let public = as_read(&sections, &items, |v| v == Visibility::Public);
        assert_eq!(
            (public[0].withheld, public[0].heading.as_str()),
            (true, "Withheld: Draft figures")
        );
        let participants = as_read(&sections, &items, |v| v != Visibility::Officers);
        assert!(!participants[0].withheld);
    }

    #[test]
    fn versions_kept_before_sections_read_as_one_public_text() {
        let revision = minutes_revision::Model {
            id: Uuid::now_v7(),
            minutes_id: Uuid::now_v7(),
            version: 1,
            body: "# Minutes".into(),
            sections: None,
            edited_by: None,
            edited_at: chrono::Utc::now(),
        };
        assert_eq!(of_revision(&revision), single("# Minutes"));
    }
}
