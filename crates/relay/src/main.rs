use std::io::IsTerminal;
use std::process::ExitCode;

use bijeen_relay::{Config, Relay, RelayError, shutdown_signal};
use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    init_tracing();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bijeen-relay: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), RelayError> {
    let dist = config.dist.clone();
    let data_dir = config.data_dir.clone();
    let relay = Relay::bind(config).await?;
    let url = relay.url();
    // Plain stdout line for people and for scripts that look for the port; logs go to stderr.
    println!("Bijeen is running: {url}");
    tracing::info!(%url, addr = %relay.local_addr(), dist = %dist.display(),
        data_dir = %data_dir.display(), "listening");
    relay.run(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|err| {
        if std::env::var_os(EnvFilter::DEFAULT_ENV).is_some() {
            eprintln!("bijeen-relay: ignoring invalid RUST_LOG ({err}); using info");
        }
        EnvFilter::new("info")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes would litter log files when the run script redirects stderr.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
