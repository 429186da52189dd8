//! Forms that send files (`multipart/form-data`): read as they stream in —
//! their text fields as typed, each file spooled to the papers' own limits
//! (too large, or not a kind taken, stops the reading there and is told
//! beside the file field; files come last in these forms, so what was
//! typed is all kept) — and the words that state those limits up front.

use axum::extract::Multipart;
use axum::extract::multipart::Field;

use crate::kernel::error::ApiError;
use crate::kernel::storage::{self, sniff};
use crate::papers::{NewFile, PaperOut};
use crate::web::i18n::Text;

/// The most a text field of such a form may hold.
const TEXT_BYTES: usize = 100_000;

/// A multipart form as read: its text fields as typed, its files, and why
/// a file was not taken, if one was not.
#[derive(Default)]
pub struct SentFiles {
    /// Each text field sent, in order (a field may be sent more than once).
    texts: Vec<(String, String)>,
    pub files: Vec<NewFile>,
    pub refused: Option<ApiError>,
}

impl SentFiles {
    /// A text field as typed (empty when it was not sent).
    pub fn text(&self, name: &str) -> String {
        self.all(name).into_iter().next().unwrap_or_default()
    }

    /// Every value sent for a field (the boxes ticked of checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.texts
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

async fn text_of(field: &mut Field<'_>) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the form could not be read: {err}")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > TEXT_BYTES {
            return Err(ApiError::BadRequest(
                "a field of the form is too long".into(),
            ));
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads the form: fields named `file_field` are files, each at most
/// `max` bytes; any other field is text.
pub async fn read(
    mut multipart: Multipart,
    file_field: &str,
    max: u64,
) -> Result<SentFiles, ApiError> {
    let mut sent = SentFiles::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the form could not be read: {err}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name != file_field {
            let text = text_of(&mut field).await?;
            sent.texts.push((name, text));
            continue;
        }
        let given = field.file_name().map(str::to_string);
        // A browser sends an empty part when no file was chosen.
        if given.as_deref().unwrap_or_default().is_empty() {
            continue;
        }
        match storage::spool(&mut field, given.as_deref().unwrap_or(""), max).await {
            Ok(spooled) => sent.files.push(NewFile {
                spooled,
                name: given,
            }),
            Err(error) => {
                sent.refused = Some(error);
                break;
            }
        }
    }
    Ok(sent)
}

/// What an upload takes, from the papers' own limits: "Files up to 25 MB:
/// PDF, DOCX, …".
pub fn limits_hint(text: &Text, max_bytes: u64) -> String {
    let kinds: Vec<String> = sniff::accepted_extensions()
        .map(|e| e.to_uppercase())
        .collect();
    text.with(
        "upload-hint",
        &[
            ("size", (max_bytes / (1024 * 1024)).to_string()),
            ("kinds", kinds.join(", ")),
        ],
    )
}

/// "PDF, 12 KB"
pub fn about_file(paper: &PaperOut) -> String {
    let kind = paper
        .file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_uppercase())
        .unwrap_or_default();
    let size = match paper.size {
        s if s >= 1024 * 1024 => format!("{:.1} MB", s as f64 / (1024.0 * 1024.0)),
        s => format!("{} KB", (s + 1023) / 1024),
    };
    format!("{kind}, {size}")
}
