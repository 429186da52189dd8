//! The paths a form or a link may send someone on to.

/// Where to go after signing in: a path of this site only, never another
/// site (`//elsewhere`, `/\elsewhere`) that a crafted link could name.
pub fn local_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    local.then_some(next)
}

/// Back to a path of this site after a form did what it asked, saying
/// what (`done=`) ahead of any fragment: `/your-work#m` becomes
/// `/your-work?done=rsvp#m`. None for a path that is not this site's.
pub fn back_saying(next: &str, done: &str) -> Option<String> {
    let next = local_path(next)?;
    let (path, fragment) = match next.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (next, None),
    };
    let joint = if path.contains('?') { '&' } else { '?' };
    let mut to = format!("{path}{joint}done={done}");
    if let Some(fragment) = fragment {
        to.push('#');
        to.push_str(fragment);
    }
    Some(to)
}

#[cfg(test)]
mod tests {
    use super::{back_saying, local_path};

    #[test]
    fn a_form_comes_back_to_its_page_saying_what_it_did() {
        assert_eq!(
            back_saying("/your-work#meeting-1", "rsvp").as_deref(),
            Some("/your-work?done=rsvp#meeting-1")
        );
        assert_eq!(
            back_saying("/forums/1?page=2", "rsvp").as_deref(),
            Some("/forums/1?page=2&done=rsvp")
        );
        assert_eq!(back_saying("//evil.example", "rsvp"), None);
    }

    #[test]
    fn only_this_sites_paths_are_gone_to_after_signing_in() {
        assert_eq!(local_path("/account"), Some("/account"));
        assert_eq!(local_path("/forums/1?x=2"), Some("/forums/1?x=2"));
        for elsewhere in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "account",
            "/a\nb",
        ] {
            assert_eq!(local_path(elsewhere), None, "{elsewhere:?}");
        }
    }
}
