//! Where records live in the API: the one prefix every path is under, for
//! the `Location` of what is created and the links that emails, feeds and
//! calendars carry; and the pages that the account emails' links open.

use std::fmt::Display;

/// The prefix of every API path.
pub const API_PREFIX: &str = "/api/v1";

/// The API path of `path` (written without the prefix or a leading slash):
/// `api_path(format_args!("meetings/{id}"))` is `/api/v1/meetings/…`.
pub fn api_path(path: impl Display) -> String {
    format!("{API_PREFIX}/{path}")
}

/// The page an email-verification link opens, with `?code=`.
pub const CONFIRM_EMAIL_PAGE: &str = "/confirm-email";
/// The page a password-reset link opens, with `?code=`.
pub const NEW_PASSWORD_PAGE: &str = "/reset-password/new";
/// The page a new address's confirmation link opens, with `?code=`.
pub const CONFIRM_EMAIL_CHANGE_PAGE: &str = "/confirm-email-change";

/// The address of `page` with an emailed code in its query.
pub fn page_with_code(public_url: &str, page: &str, code: &str) -> String {
    let code: String = form_urlencoded::byte_serialize(code.as_bytes()).collect();
    format!("{public_url}{page}?code={code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_under_the_one_prefix() {
        assert_eq!(api_path("regions"), "/api/v1/regions");
        let id = 7;
        assert_eq!(
            api_path(format_args!("meetings/{id}/pack")),
            "/api/v1/meetings/7/pack"
        );
    }
}
