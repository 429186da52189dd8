//! The editor page as rendered: the minutes' sections as a form, the
//! drafting and approving the operations would allow, and a stale save's
//! conflict beside the person's own text.

use askama::Template;
use askama_web::WebTemplate;
use entity::Visibility;

use super::form::{Editor, visibility_label};
use super::form_errors::field_id;
use super::minutes_path;
use crate::minutes::Editing;
use crate::web::conflict::Conflict;
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "minutes_edit.html")]
pub struct EditPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    forum_href: String,
    meeting_title: String,
    when: String,
    /// `/forums/{id}/minutes/{meeting_id}`: the forms post under it.
    base: String,
    editor: Editor,
    conflict: Option<Conflict>,
    /// The message id of what was just done, for the success banner.
    done: Option<&'static str>,
    has_minutes: bool,
    may_draft_from_agenda: bool,
    may_approve: bool,
    /// The version the approval is of: the one shown.
    approve_version: String,
    visibilities: Vec<(String, String)>,
}

impl EditPage {
    pub fn new(visitor: &Visitor, editing: &Editing, editor: Editor) -> Self {
        let text = Text::default();
        let forum = editing.meeting.forum_id;
        Self {
            page: visitor.page(),
            csrf_token: visitor.csrf_token().to_string(),
            forum_name: editing.forum_name.clone(),
            forum_href: format!("/forums/{forum}"),
            meeting_title: editing.meeting.title.clone(),
            when: format::date_time(editing.meeting.starts_at),
            base: minutes_path(forum, editing.meeting.id),
            editor,
            conflict: None,
            done: None,
            has_minutes: editing.minutes.is_some(),
            may_draft_from_agenda: editing.may_draft_from_agenda,
            may_approve: editing.may_approve,
            approve_version: editing
                .minutes
                .as_ref()
                .map(|m| m.version.to_string())
                .unwrap_or_default(),
            visibilities: [
                Visibility::Public,
                Visibility::Participants,
                Visibility::Officers,
            ]
            .into_iter()
            .map(|v| (v.as_str().to_string(), visibility_label(&text, v.as_str())))
            .collect(),
        }
    }

    pub fn done(mut self, done: Option<&'static str>) -> Self {
        self.done = done;
        self
    }

    pub fn conflict(mut self, conflict: Conflict) -> Self {
        self.conflict = Some(conflict);
        self
    }

    fn has_errors(&self) -> bool {
        self.conflict.is_some() || !self.editor.errors.is_empty()
    }

    fn id(&self, n: &usize, name: &str) -> String {
        field_id(*n, name)
    }

    /// "Section 2", counted from one.
    fn section_label(&self, n: &usize) -> String {
        Text::default().with("minutes-edit-section", &[("number", (n + 1).to_string())])
    }

    fn remove_label(&self, n: &usize) -> String {
        Text::default().with("minutes-edit-remove", &[("number", (n + 1).to_string())])
    }
}
