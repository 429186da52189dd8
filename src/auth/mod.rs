//! Accounts and sign-in: registration, login, token refresh and logout,
//! recovering an account and verifying its address, and the caller's own
//! account (`/me`: their name, password, address and sessions). Each
//! operation makes its whole decision without HTTP; `api::auth` is its JSON
//! face, and `http::caller` checks a bearer token with [`authenticate`].

pub mod accounts;
mod email_change;
pub mod events;
mod links;
pub mod lockout;
mod me;
mod my_sessions;
mod recovery;
pub mod sessions;
mod signin;
pub mod types;

pub use email_change::{confirm_email_change, request_email_change};
pub use me::{change_me, change_password, me};
pub use my_sessions::{
    SessionKind, SessionOut, browser_caller, end_every_session, end_session, my_sessions,
};
pub use recovery::{confirm_reset, confirm_verification, request_reset, resend_verification};
pub use sessions::authenticate;
pub use signin::{BrowserSignIn, login, logout, refresh, register, sign_in_browser};
pub use types::{
    EmailChangeConfirmIn, EmailChangeIn, EmailChangeOut, EmailVerificationConfirmIn, LoginIn,
    MePatch, PasswordChangeIn, PasswordResetConfirmIn, PasswordResetIn, RefreshIn, RegisterIn,
    RegistrationOut, TokensOut, UserOut,
};
