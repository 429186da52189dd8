//! The SQL statements a request really runs, as the application's own
//! database connection hands them to the driver.

use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::Statement;

use crate::support::TestApp;

#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<Statement>>>);

impl Recorder {
    /// An application whose connection reports every statement it runs here.
    pub async fn spawn() -> (TestApp, Recorder) {
        let recorder = Recorder::default();
        let log = recorder.clone();
        let app = TestApp::spawn_with(move |state| {
            state
                .db
                .set_metric_callback(move |info| log.push(info.statement.clone()));
        })
        .await;
        (app, recorder)
    }

    fn push(&self, statement: Statement) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(statement);
    }

    /// The statements run since the last call.
    pub fn take(&self) -> Vec<Statement> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `work` and returns what it gave with the statements it ran.
    pub async fn during<T>(&self, work: impl Future<Output = T>) -> (T, Vec<Statement>) {
        self.take();
        let out = work.await;
        (out, self.take())
    }
}

/// The statement that read the page: the one that orders and limits.
#[track_caller]
pub fn page_query(statements: &[Statement]) -> &Statement {
    let pages: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.sql.contains(" ORDER BY ") && s.sql.contains(" LIMIT "))
        .collect();
    match pages.as_slice() {
        [page] => page,
        _ => panic!(
            "expected one page query, found {}:\n{}",
            pages.len(),
            statements
                .iter()
                .map(|s| s.sql.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}
