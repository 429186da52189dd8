use std::io::IsTerminal;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use convene::cli::{Cli, run};

/// Colour codes only for a person at a terminal who has not asked for none
/// (`NO_COLOR`): in a file, a pipe or a log collector they are noise.
fn colour_logs() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour_logs())
        .with_writer(std::io::stderr);
    if cli.config.log_format == "json" {
        logs.json().init();
    } else {
        logs.init();
    }
    convene::kernel::credentials::memory::return_large_blocks_on_free();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("convene: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
