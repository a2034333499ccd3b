use tracing_subscriber::EnvFilter;

/// Structured logs on stderr, filtered by `DEALERVAULT_LOG` (default `info`). Log lines
/// carry ids, actions and outcomes; never personal data, tokens or passwords.
pub fn init() {
    let filter =
        EnvFilter::try_from_env("DEALERVAULT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("DEALERVAULT_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
