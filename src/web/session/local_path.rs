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

#[cfg(test)]
mod tests {
    use super::local_path;

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
