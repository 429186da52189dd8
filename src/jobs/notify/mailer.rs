//! Where messages go: an SMTP server, or, with none configured, `.eml` files
//! in a directory (so a fresh install works with no mail server).

use std::path::PathBuf;

use lettre::address::Envelope;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use uuid::Uuid;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("CONVENE_SMTP_URL: {0}")]
    Url(String),
    #[error("{0}")]
    Send(String),
}

impl Mailer {
    /// `smtp://user:pass@host:587` (STARTTLS, required), `smtps://…`
    /// (implicit TLS); `smtp://…?tls=opportunistic` uses STARTTLS where the
    /// server offers it, and `smtp://…?tls=none` sends in the clear (for a
    /// relay on the same host).
    pub fn smtp(url: &str) -> Result<Self, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url(url))
            .map_err(|err| MailerError::Url(err.to_string()))?
            .build();
        Ok(Mailer::Smtp(transport))
    }

    pub fn files(dir: impl Into<PathBuf>) -> Self {
        Mailer::Files(dir.into())
    }

    /// Hands one message over. A file is written whole under a temporary
    /// name, then renamed, so a reader never sees half a message.
    pub async fn send(
        &self,
        id: Uuid,
        from: &Address,
        to: &str,
        message: &str,
    ) -> Result<(), MailerError> {
        let to: Address = to
            .parse()
            .map_err(|err| MailerError::Send(format!("the address {to:?}: {err}")))?;
        match self {
            Mailer::Smtp(transport) => {
                let envelope = Envelope::new(Some(from.clone()), vec![to])
                    .map_err(|err| MailerError::Send(err.to_string()))?;
                transport
                    .send_raw(&envelope, message.as_bytes())
                    .await
                    .map(|_| ())
                    .map_err(|err| MailerError::Send(err.to_string()))
            }
            Mailer::Files(dir) => {
                let io =
                    |err: std::io::Error| MailerError::Send(format!("{}: {err}", dir.display()));
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                let partial = dir.join(format!(".{id}.eml.part"));
                let done = dir.join(format!("{id}.eml"));
                tokio::fs::write(&partial, message).await.map_err(io)?;
                tokio::fs::rename(&partial, &done).await.map_err(io)?;
                tracing::info!(to = %to, file = %done.display(), "message written");
                Ok(())
            }
        }
    }
}

/// Our URL as lettre reads it: lettre sends `smtp://` in the clear unless
/// told `tls=required`, which is the safe default; `tls=none` asks for the clear.
fn lettre_url(url: &str) -> String {
    if !url.starts_with("smtp://") {
        return url.to_string();
    }
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if params.contains(&"tls=none") {
        params.retain(|p| *p != "tls=none");
    } else if !params.iter().any(|p| p.starts_with("tls=")) {
        params.push("tls=required");
    }
    if params.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", params.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The SMTP pool starts a task of its own, so inside a runtime.
    #[tokio::test]
    async fn smtp_urls_require_starttls_unless_told_otherwise() {
        for (given, read) in [
            (
                "smtp://u:p@mail.example.org:587",
                "smtp://u:p@mail.example.org:587?tls=required",
            ),
            (
                "smtp://mail.example.org?tls=opportunistic",
                "smtp://mail.example.org?tls=opportunistic",
            ),
            ("smtp://127.0.0.1:2525?tls=none", "smtp://127.0.0.1:2525"),
            (
                "smtps://u:p@mail.example.org",
                "smtps://u:p@mail.example.org",
            ),
        ] {
            assert_eq!(lettre_url(given), read);
        }
        assert!(Mailer::smtp("smtp://mail.example.org:587").is_ok());
        assert!(Mailer::smtp("ftp://mail.example.org").is_err());
    }
}
