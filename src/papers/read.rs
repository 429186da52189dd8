//! Reading papers: one paper, the papers of what they are attached to, a
//! paper's versions — each as far as the caller may read (what they may
//! not is 404, or left out of a list).

use std::collections::HashMap;

use entity::{Visibility, agenda_item, meeting, paper, paper_version};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::holder::Attached;
use super::types::{AttachedTo, PaperOut, PaperVersionOut};
use super::visibility_of;
use crate::kernel::access::{AuthUser, ForumAccess};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, Names, ONE_NAME, OneName, person_name};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;

pub(super) fn no_paper() -> ApiError {
    ApiError::not_found("paper")
}

/// A paper with what decides who reads it; 404 unless the caller may.
pub(super) struct Readable {
    pub paper: paper::Model,
    pub attached: Attached,
    pub visibility: (Visibility, Option<String>),
}

pub(super) async fn load_readable(
    conn: &impl ConnectionTrait,
    id: Uuid,
    caller: Option<&AuthUser>,
) -> ApiResult<Readable> {
    let paper = paper::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(no_paper)?;
    let attached = Attached::of_paper(conn, &paper, caller).await?;
    let visibility = visibility_of(&paper, attached.inherited());
    if !attached.may_read(visibility.0) {
        return Err(no_paper());
    }
    Ok(Readable {
        paper,
        attached,
        visibility,
    })
}

/// A paper's details (whoever may read it: the forum's participants as
/// their role allows; anyone, once the meeting is held, if it is public).
pub async fn get(state: &AppState, caller: Option<&AuthUser>, id: Uuid) -> ApiResult<PaperOut> {
    let found = load_readable(&state.db, id, caller).await?;
    out(&state.db, found).await
}

/// A paper as the caller it was read for may see it, its uploader named
/// as they may (one statement, none for those not shown names).
pub(super) async fn out(conn: &impl ConnectionTrait, found: Readable) -> ApiResult<PaperOut> {
    let by = found.paper.uploaded_by;
    let name = Names::load(conn, found.attached.people, [by], [])
        .await?
        .person(by);
    Ok(PaperOut::new(found.paper, found.visibility, name))
}

/// The papers of a meeting (its items' among them), an issue, a plan or a
/// consultation, in the order they were added: those the caller may read.
/// 404 when the caller may not see the list at all.
pub async fn list(
    state: &AppState,
    caller: Option<&AuthUser>,
    of: AttachedTo,
    query: PageQuery,
) -> ApiResult<Page<PaperOut>> {
    let attached = Attached::of(&state.db, of, caller).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found(of.noun()));
    }
    let (select, items) = match of {
        AttachedTo::Meeting(id) => {
            let items: ItemVisibility = agenda_item::Entity::find()
                .filter(agenda_item::Column::MeetingId.eq(id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|i| (i.id, (i.visibility, i.visibility_reason)))
                .collect();
            (paper::Column::MeetingId.eq(id), items)
        }
        AttachedTo::Issue(id) => (paper::Column::IssueId.eq(id), HashMap::new()),
        AttachedTo::Plan(id) => (paper::Column::PlanId.eq(id), HashMap::new()),
        AttachedTo::Consultation(id) => (paper::Column::ConsultationId.eq(id), HashMap::new()),
    };
    let select = paper::Entity::find().filter(select);
    page_of_papers(&state.db, &attached, select, &query, &items).await
}

/// Who may read each of a meeting's agenda items, and why not everyone:
/// what the papers attached to it inherit.
pub type ItemVisibility = HashMap<Uuid, (Visibility, Option<String>)>;

/// As [`list`] for a meeting whose row, reader's access and agenda items'
/// visibility are already read: one statement.
pub async fn of_meeting(
    conn: &impl ConnectionTrait,
    meeting: meeting::Model,
    access: ForumAccess,
    items: &ItemVisibility,
    query: PageQuery,
) -> ApiResult<Page<PaperOut>> {
    let id = meeting.id;
    let attached = Attached::of_meeting(meeting, None, access);
    if !attached.may_list() {
        return Err(ApiError::not_found(AttachedTo::Meeting(id).noun()));
    }
    let select = paper::Entity::find().filter(paper::Column::MeetingId.eq(id));
    page_of_papers(conn, &attached, select, &query, items).await
}

/// A page of the papers `select` finds that the caller may read, in the
/// order they were added: those they may not read are left out (the cursor
/// moves on past them all the same). `items` are the meeting's agenda
/// items, which papers of items inherit from.
async fn page_of_papers(
    conn: &impl ConnectionTrait,
    attached: &Attached,
    select: sea_orm::Select<paper::Entity>,
    query: &PageQuery,
    items: &ItemVisibility,
) -> ApiResult<Page<PaperOut>> {
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = select;
    if let Some(after) = page.after {
        select = select.filter(paper::Column::Id.gt(after));
    }
    let uploader = (paper::Entity, paper::Column::UploadedBy);
    let rows = select
        .column_as(person_name(uploader, attached.people), ONE_NAME)
        .order_by_asc(paper::Column::Id)
        .limit(page.fetch())
        .into_model::<Named<paper::Model, OneName>>()
        .all(conn)
        .await?;
    let page = page.finish(
        rows,
        |p| p.record.id,
        |Named { record: p, names }| {
            let inherited = match p.agenda_item_id.and_then(|i| items.get(&i)) {
                Some(item) => item.clone(),
                None => attached.inherited(),
            };
            let visibility = visibility_of(&p, inherited);
            attached
                .may_read(visibility.0)
                .then(|| PaperOut::new(p, visibility, names.one_name))
        },
    );
    Ok(Page {
        items: page.items.into_iter().flatten().collect(),
        next_cursor: page.next_cursor,
    })
}

/// Every version of a paper's file, oldest first (whoever may read the paper).
pub async fn versions(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<PaperVersionOut>> {
    let page = PageRequest::<i32>::new(query.limit, query.cursor.as_deref())?;
    let found = load_readable(&state.db, id, caller).await?;
    let mut select = paper_version::Entity::find().filter(paper_version::Column::PaperId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(paper_version::Column::Number.gt(after));
    }
    let uploader = (paper_version::Entity, paper_version::Column::UploadedBy);
    let rows = select
        .column_as(person_name(uploader, found.attached.people), ONE_NAME)
        .order_by_asc(paper_version::Column::Number)
        .limit(page.fetch())
        .into_model::<Named<paper_version::Model, OneName>>()
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |v| v.record.number,
        |v| PaperVersionOut::new(v.record, v.names.one_name),
    ))
}
