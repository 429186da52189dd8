//! A real SMTP server for the tests to deliver to: `mailin` speaks the
//! protocol, each connection on a thread of its own. It keeps what it
//! receives, and can be told to refuse the next few messages (a 451, as a
//! busy server answers) to exercise retries.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mailin::{Action, Handler, Response, SessionBuilder};

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The plain-text alternative, decoded.
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The HTML alternative, decoded.
    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The calendar alternative: its iTIP method and its text.
    pub fn calendar(&self) -> Option<(String, String)> {
        use mail_parser::MimeHeaders;
        let parsed = self.parsed();
        parsed.parts.iter().find_map(|part| {
            let kind = part.content_type()?;
            (kind.ctype() == "text" && kind.subtype() == Some("calendar")).then(|| {
                (
                    kind.attribute("method").unwrap_or_default().to_string(),
                    part.text_contents().unwrap_or_default().to_string(),
                )
            })
        })
    }

    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a message mail-parser reads")
    }

    /// The value of a header (unfolded), if the message has it.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.split("\r\n").find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

#[derive(Default)]
struct Inbox {
    received: Mutex<Vec<Received>>,
    refuse: AtomicUsize,
}

pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Inbox>,
}

impl SmtpServer {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port for SMTP");
        let port = listener.local_addr().expect("its address").port();
        let inbox = Arc::new(Inbox::default());
        let shared = Arc::clone(&inbox);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let inbox = Arc::clone(&shared);
                std::thread::spawn(move || converse(stream, inbox));
            }
        });
        Self { port, inbox }
    }

    /// Where lettre reaches it (no TLS: it is loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.received.lock().expect("inbox").clone()
    }

    /// The next `count` messages get a temporary failure.
    pub fn refuse_next(&self, count: usize) {
        self.inbox.refuse.store(count, Ordering::SeqCst);
    }
}

struct Collector {
    inbox: Arc<Inbox>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    // A refusal comes at DATA: mailin keeps a session that refuses the end
    // of the data in its data state, reading every later command as data.
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        let refused = self
            .inbox
            .refuse
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if refused {
            return mailin::response::INTERNAL_ERROR;
        }
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.inbox.received.lock().expect("inbox").push(Received {
            from: self.from.clone(),
            to: self.to.clone(),
            data: String::from_utf8_lossy(&self.data).into_owned(),
        });
        mailin::response::OK
    }
}

fn converse(stream: TcpStream, inbox: Arc<Inbox>) {
    let peer = stream
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    // Each reply goes out at once, in one write: otherwise Nagle's algorithm
    // and delayed ACKs hold every command's reply back for tens of ms.
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let builder = SessionBuilder::new("smtp.test");
    let mut session = builder.build(
        peer,
        Collector {
            inbox,
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
        },
    );
    let reply = |writer: &mut TcpStream, response: &Response| {
        response
            .buffer()
            .and_then(|bytes| writer.write_all(&bytes))
            .is_ok()
    };
    if !reply(&mut writer, &session.greeting()) {
        return;
    }
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let response = session.process(&line);
        let closing = response.action == Action::Close;
        let replies = matches!(response.action, Action::Reply | Action::Close);
        if (replies && !reply(&mut writer, &response)) || closing {
            return;
        }
    }
}
