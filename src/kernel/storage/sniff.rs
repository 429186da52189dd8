//! What a paper is, decided from its bytes — never from the name or type
//! the client gave — against the kinds forums share: PDF, Word, Excel,
//! PowerPoint, OpenDocument text and spreadsheets, PNG, JPEG, and plain
//! text (of which CSV and markdown, told apart by the file's name once the
//! bytes are known to be text: all three are served the same way, as a
//! download that browsers do not render).

/// An accepted kind: its media type and the extension its downloads get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub media_type: &'static str,
    pub extension: &'static str,
}

const ACCEPTED: [Kind; 9] = [
    Kind {
        media_type: "application/pdf",
        extension: "pdf",
    },
    Kind {
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        extension: "docx",
    },
    Kind {
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extension: "xlsx",
    },
    Kind {
        media_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        extension: "pptx",
    },
    Kind {
        media_type: "application/vnd.oasis.opendocument.text",
        extension: "odt",
    },
    Kind {
        media_type: "application/vnd.oasis.opendocument.spreadsheet",
        extension: "ods",
    },
    Kind {
        media_type: "image/png",
        extension: "png",
    },
    Kind {
        media_type: "image/jpeg",
        extension: "jpg",
    },
    Kind {
        media_type: "text/plain",
        extension: "txt",
    },
];

/// The extensions of the kinds accepted, in the order above: what an
/// upload form tells people before they choose a file.
pub fn accepted_extensions() -> impl Iterator<Item = &'static str> {
    ACCEPTED.iter().map(|kind| kind.extension)
}

/// How many of the first bytes are looked at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The kind of a file whose first bytes (up to [`SNIFF_BYTES`]) are `head`,
/// named `file_name` by its uploader; `None` when it is not one of the
/// accepted kinds.
pub fn kind_of(head: &[u8], file_name: &str, complete: bool) -> Option<Kind> {
    if let Some(found) = infer::get(head) {
        return ACCEPTED
            .iter()
            .find(|k| k.media_type == found.mime_type())
            .copied();
    }
    if !is_text(head, complete) {
        return None;
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    Some(match extension.as_str() {
        "csv" => Kind {
            media_type: "text/csv",
            extension: "csv",
        },
        "md" | "markdown" => Kind {
            media_type: "text/markdown",
            extension: "md",
        },
        _ => ACCEPTED[8],
    })
}

/// UTF-8 with no NUL and no other control character but tab, line feed,
/// carriage return and form feed. A `head` cut short of the whole file may
/// end inside a character.
fn is_text(head: &[u8], complete: bool) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(err) if !complete && err.error_len().is_none() => {
            // Cut inside a character at the end: the part before is valid.
            match std::str::from_utf8(&head[..err.valid_up_to()]) {
                Ok(text) => text,
                Err(_) => return false,
            }
        }
        Err(_) => return false,
    };
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_not_the_name() {
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj";
        assert_eq!(
            kind_of(pdf, "minutes.docx", true).map(|k| k.media_type),
            Some("application/pdf")
        );
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            kind_of(png, "a.pdf", true).map(|k| k.extension),
            Some("png")
        );
        // A program is refused whatever it is called.
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        assert_eq!(kind_of(elf, "agenda.pdf", true), None);
        // So is a page a browser would run.
        let html = b"<html><script>alert(1)</script>";
        assert_eq!(kind_of(html, "agenda.txt", true), None);
        // Text is text; its name only tells CSV and markdown from the rest.
        assert_eq!(
            kind_of(b"a,b\n1,2\n", "figures.CSV", true).map(|k| k.media_type),
            Some("text/csv")
        );
        assert_eq!(
            kind_of("# Agenda\n\nCaf\u{e9}".as_bytes(), "agenda.md", true).map(|k| k.media_type),
            Some("text/markdown")
        );
        assert_eq!(kind_of(b"bin\0ary", "notes.txt", true), None);
        assert_eq!(kind_of(b"", "empty.txt", true), None);
    }

    #[test]
    fn text_cut_inside_a_character_is_still_text() {
        let text = "Caf\u{e9}".as_bytes();
        let cut = &text[..text.len() - 1];
        assert!(is_text(cut, false));
        assert!(!is_text(cut, true));
    }
}
