//! The names papers' files are given back under.

use super::types::NewFile;

impl NewFile {
    /// The name to keep the file under: the one it was sent with, made safe
    /// and given the extension of the kind its bytes are.
    pub(super) fn file_name(&self) -> String {
        safe_file_name(self.name.as_deref(), self.spooled.kind.extension)
    }
}

/// A file name safe to give back: no directories, no control characters,
/// at most 150 characters, and the extension of the kind the bytes are.
fn safe_file_name(given: Option<&str>, extension: &str) -> String {
    let base = given
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = base
        .chars()
        // Control characters, and the marks that reverse how a name reads
        // ("report\u{202e}fdp.exe" shows as "reportexe.pdf").
        .filter(|c| !c.is_control() && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(150)
        .collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if same_extension(ext, extension) => {
            return format!("{stem}.{extension}");
        }
        Some((stem, _)) => stem.trim().to_string(),
        None => cleaned,
    };
    let stem = if stem.is_empty() {
        "paper".to_string()
    } else {
        stem
    };
    format!("{stem}.{extension}")
}

fn same_extension(given: &str, kind: &str) -> bool {
    let given = given.to_ascii_lowercase();
    given == kind || (kind == "jpg" && given == "jpeg") || (kind == "md" && given == "markdown")
}

/// A name for a pack's entry, safe in any zip tool and file system: the
/// parts joined by ` - `.
pub(super) fn entry_name(parts: &[&str], extension: &str) -> String {
    let joined = parts.join(" - ");
    let cleaned: String = joined
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned: String = cleaned.trim().chars().take(150).collect();
    format!("{cleaned}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::{entry_name, safe_file_name};

    #[test]
    fn entry_names_are_safe_everywhere() {
        assert_eq!(
            entry_name(&["03-01", "Housing: on release?", "Q3/Q4 figures"], "pdf"),
            "03-01 - Housing_ on release_ - Q3_Q4 figures.pdf"
        );
    }

    #[test]
    fn file_names_lose_their_paths_and_take_their_kind_s_extension() {
        assert_eq!(
            safe_file_name(Some("../../etc/passwd"), "txt"),
            "passwd.txt"
        );
        assert_eq!(
            safe_file_name(Some("C:\\Users\\sam\\Briefing Q3.PDF"), "pdf"),
            "Briefing Q3.pdf"
        );
        assert_eq!(safe_file_name(Some("photo.jpeg"), "jpg"), "photo.jpg");
        assert_eq!(
            safe_file_name(Some("report.pdf.exe"), "pdf"),
            "report.pdf.pdf"
        );
        assert_eq!(safe_file_name(Some("\u{202e}gpj.exe"), "png"), "gpj.png");
        assert_eq!(safe_file_name(Some(".htaccess"), "txt"), "htaccess.txt");
        assert_eq!(safe_file_name(None, "pdf"), "paper.pdf");
        assert_eq!(
            safe_file_name(Some("Adroddiad – Cymraeg.odt"), "odt"),
            "Adroddiad – Cymraeg.odt"
        );
    }
}
