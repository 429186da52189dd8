//! `text/csv` answers for the lists people open in spreadsheets (actions,
//! commitments, raised issues): asked for with `Accept: text/csv`, the same
//! filters, every row (not a page), a header row, written by the `csv` crate.
//!
//! Every cell is made inert for spreadsheets: one that starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return would be read as a formula by Excel,
//! LibreOffice or Sheets (OWASP's "CSV injection"), so it is prefixed with `'`.
//!
//! Every export begins with the UTF-8 byte order mark: without it Excel
//! reads a CSV file in the computer's legacy code page, and "Dŷ Cymorth"
//! opens as "DÅ· Cymorth". Other readers (the `csv` crate, Sheets,
//! LibreOffice) skip it.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::kernel::error::{ApiError, ApiResult};

/// The UTF-8 byte order mark every export begins with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn wanted(headers: &HeaderMap) -> bool {
    accepts(headers, "text/csv")
}

/// Whether `Accept` names this media type (parameters aside).
pub fn accepts(headers: &HeaderMap, wanted: &str) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            media
                .split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case(wanted))
        })
}

/// A cell a spreadsheet will show as text, never evaluate.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes the rows, after the byte order mark, with a header row from the
/// first row's field names.
pub fn respond<R: Serialize>(
    filename: &str,
    rows: impl IntoIterator<Item = R>,
) -> ApiResult<Response> {
    let body = write(rows)?;
    let disposition = crate::http::attachment::disposition(filename);
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// Serialises the rows with serde (so every row type gets its header for
/// free), then re-reads the records and neutralises every cell: whatever a
/// future row type holds, no cell can escape the check.
fn write<R: Serialize>(rows: impl IntoIterator<Item = R>) -> ApiResult<Vec<u8>> {
    let mut raw = csv::Writer::from_writer(Vec::new());
    for row in rows {
        raw.serialize(row).map_err(ApiError::internal)?;
    }
    let raw = raw.into_inner().map_err(ApiError::internal)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(raw.as_slice());
    let mut safe = csv::Writer::from_writer(BOM.to_vec());
    for record in reader.records() {
        let record = record.map_err(ApiError::internal)?;
        safe.write_record(record.iter().map(|cell| neutralise(cell).into_owned()))
            .map_err(ApiError::internal)?;
    }
    safe.into_inner().map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        title: &'static str,
        count: u32,
    }

    #[test]
    fn formula_triggers_are_prefixed_and_plain_text_is_not() {
        for trigger in ["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(trigger), format!("'{trigger}"));
        }
        for plain in ["Housing", "1-2", "a=b", "", "'quoted"] {
            assert_eq!(neutralise(plain), plain);
        }
    }

    #[test]
    fn a_written_export_reads_back_inert_with_its_header() {
        let body = write([
            Row {
                title: "=HYPERLINK(\"http://x.example\",\"x\")",
                count: 1,
            },
            Row {
                title: "Plain, with a comma",
                count: 2,
            },
        ])
        .expect("csv");
        let text = body.strip_prefix(BOM).expect("the byte order mark first");
        let mut reader = csv::Reader::from_reader(text);
        assert_eq!(
            reader.headers().expect("header").iter().collect::<Vec<_>>(),
            ["title", "count"]
        );
        let cells: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.expect("record").iter().map(String::from).collect())
            .collect();
        assert_eq!(
            cells,
            [
                vec![
                    "'=HYPERLINK(\"http://x.example\",\"x\")".to_string(),
                    "1".into()
                ],
                vec!["Plain, with a comma".to_string(), "2".into()],
            ]
        );
    }
}
