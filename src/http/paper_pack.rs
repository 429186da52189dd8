//! The meeting pack as every face sends it (the API, and the meeting
//! page's download link): one zip written as it is sent — each paper is
//! read a chunk at a time and the zip streamed out, so a pack of any size
//! holds only a few chunks in memory.

use std::io::Write;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::http::attachment::disposition;
use crate::kernel::state::AppState;
use crate::papers::Pack;

/// Bytes handed to the response at a time, and how many may wait.
const PIECE: usize = 64 * 1024;
const WAITING: usize = 4;

/// A `Write` that hands what is written to the response, a piece at a time
/// (blocking when the client reads slower than the pack is made).
struct ToResponse {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl Write for ToResponse {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= PIECE {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::take(&mut self.buffer));
        self.tx
            .blocking_send(Ok(piece))
            .map_err(|_| std::io::Error::other("the client went away"))
    }
}

/// Sends a meeting's pack as a zip, as every face sends it: the API, and
/// the meeting page's download link.
pub fn send_pack(state: AppState, pack: Pack) -> Response {
    let file = disposition(&pack.file_name);
    let mut response = Body::from_stream(zipped(state, pack)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CONTENT_DISPOSITION, file);
    response
}

/// The pack as a zip, written on a blocking thread as the client reads it.
fn zipped(
    state: AppState,
    pack: Pack,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let (tx, rx) = mpsc::channel(WAITING);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let failed = tx.clone();
        if let Err(err) = write_pack(&state, &runtime, tx, &pack) {
            tracing::warn!(error = %err, "a meeting pack was not finished");
            let _ = failed.blocking_send(Err(err));
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (piece, rx))
    })
}

fn write_pack(
    state: &AppState,
    runtime: &tokio::runtime::Handle,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    pack: &Pack,
) -> std::io::Result<()> {
    let mut zip = ZipWriter::new_stream(ToResponse {
        tx,
        buffer: Vec::with_capacity(PIECE),
    });
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    zip.start_file(pack.agenda_name, options)
        .map_err(std::io::Error::other)?;
    zip.write_all(pack.agenda.as_bytes())?;
    for entry in &pack.entries {
        zip.start_file(entry.name.as_str(), options)
            .map_err(std::io::Error::other)?;
        entry.copy_to(state, runtime, &mut zip)?;
    }
    let mut out = zip.finish().map_err(std::io::Error::other)?;
    out.flush()
}
