//! The server's connections, so that every error is a problem document —
//! even the two the HTTP library answers on its own, before any request
//! reaches the application: a request line over 64 KiB (414) and a request
//! head over its buffer (431). hyper writes those as a bare head
//! (`connection: close`, `content-length: 0`) and closes the connection;
//! [`ProblemIo`] recognises that exact head as it is written and sends an
//! RFC 9457 problem in its place.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections are [`ProblemIo`]s.
pub struct ProblemListener(pub TcpListener);

impl Listener for ProblemListener {
    type Io = ProblemIo<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = Listener::accept(&mut self.0).await;
        (ProblemIo::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A connection that replaces hyper's bodiless answers to unparseable
/// requests with problem documents.
pub struct ProblemIo<T> {
    inner: T,
    /// A replacement being written: its bytes, how many are written, and
    /// how long the head it replaces was (what hyper is told was written).
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl<T> ProblemIo<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            replacing: None,
        }
    }
}

/// The problem document for hyper's automatic answer `head`, if it is one.
///
/// hyper writes such a head alone, in one write, and then closes the
/// connection; the application's own answers always carry a body and a
/// content type. (A response body would have to consist of exactly these
/// bytes, alone in one write, to be taken for one.)
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let (status, reason, detail) = if text.starts_with("HTTP/1.1 414 ") {
        (
            414,
            "URI Too Long",
            "the request's address is longer than 64 KiB; send what it carries in a body",
        )
    } else if text.starts_with("HTTP/1.1 431 ") {
        (
            431,
            "Request Header Fields Too Large",
            "the request's headers are larger than the server takes",
        )
    } else {
        return None;
    };
    let mut lines = text.strip_suffix("\r\n\r\n")?.split("\r\n").skip(1);
    let bare = lines.next() == Some("connection: close")
        && lines.next() == Some("content-length: 0")
        && lines.next().is_some_and(|date| date.starts_with("date: "))
        && lines.next().is_none();
    if !bare {
        return None;
    }
    let slug = reason.to_lowercase().replace(' ', "-");
    let body = serde_json::json!({
        "type": format!("urn:convene:problem:{slug}"),
        "title": reason,
        "status": status,
        "detail": detail,
    })
    .to_string();
    Some(
        format!(
            "HTTP/1.1 {status} {reason}\r\nconnection: close\r\n\
             content-type: {}\r\nx-content-type-options: nosniff\r\n\
             cache-control: no-store\r\ncontent-length: {}\r\n\r\n{body}",
            crate::http::problem::PROBLEM_CONTENT_TYPE,
            body.len()
        )
        .into_bytes(),
    )
}

impl<T: AsyncWrite + Unpin> ProblemIo<T> {
    /// Writes what is left of a replacement; ready once all of it is.
    fn poll_replacing(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        while let Some((bytes, written, replaced)) = &mut self.replacing {
            if *written == bytes.len() {
                let replaced = *replaced;
                self.replacing = None;
                return Poll::Ready(Ok(replaced));
            }
            let n =
                std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(0))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.replacing.is_none() {
            match replacement(buf) {
                Some(problem) => self.replacing = Some((problem, 0, buf.len())),
                None => return Pin::new(&mut self.inner).poll_write(cx, buf),
            }
        }
        self.poll_replacing(cx)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Not vectored: hyper then writes each head in one `poll_write`, where
    // an automatic answer can be told from the application's.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::replacement;

    #[test]
    fn hypers_bare_answers_become_problems_and_nothing_else_does() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\n\
                     date: Mon, 07 Dec 2026 06:45:12 GMT\r\n\r\n";
        let problem = String::from_utf8(replacement(bare).expect("replaced")).expect("text");
        assert!(problem.starts_with("HTTP/1.1 414 URI Too Long\r\n"));
        assert!(problem.contains("content-type: application/problem+json\r\n"));
        let body = problem.split("\r\n\r\n").nth(1).unwrap_or_default();
        let parsed: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(parsed["status"], 414);

        let headers = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n\
                        content-length: 0\r\ndate: Mon, 07 Dec 2026 06:45:12 GMT\r\n\r\n";
        assert!(replacement(headers).is_some());

        // The application's own answers, and anything with more to it, pass.
        let own = b"HTTP/1.1 414 URI Too Long\r\ncontent-type: application/problem+json\r\n\
                    content-length: 2\r\n\r\n{}";
        assert!(replacement(own).is_none());
        let ok = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\
                   date: Mon, 07 Dec 2026 06:45:12 GMT\r\n\r\n";
        assert!(replacement(ok).is_none());
        let with_more = b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\n\
                          date: Mon, 07 Dec 2026 06:45:12 GMT\r\nx-other: 1\r\n\r\n";
        assert!(replacement(with_more).is_none());
    }
}
