//! Start-up shared by every Xenact process: logging with the process name
//! on every line, and a panic hook that reports through the log.

use std::fmt;
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::{DefaultFields, Format, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

/// Formats each event as `NAME LEVEL target: message`, NAME being the
/// process name, so the supervisor's merged output says who spoke.
struct Tagged {
    name: &'static str,
    inner: Format<tracing_subscriber::fmt::format::Full, ()>,
}

impl<S, N> FormatEvent<S, N> for Tagged
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        write!(writer, "{} ", self.name)?;
        self.inner.format_event(ctx, writer, event)
    }
}

/// Log directives added unless `RUST_LOG` names these crates itself: the
/// windowing and Vulkan layers warn about the host (a display's size, an
/// optional extension) in ways that say nothing about the session.
const QUIET_HOST_LAYERS: &str = "winit=error,wgpu_hal=error";

/// The log filter for a `RUST_LOG` value (`info` when unset or invalid).
fn log_filter(rust_log: Option<&str>) -> EnvFilter {
    let spec = rust_log.filter(|s| !s.trim().is_empty()).unwrap_or("info");
    let spec = if spec.contains("winit") || spec.contains("wgpu") {
        spec.to_owned()
    } else {
        format!("{spec},{QUIET_HOST_LAYERS}")
    };
    EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new(format!("info,{QUIET_HOST_LAYERS}")))
}

/// Sets up logging (to stderr; `RUST_LOG` selects, `info` by default) and
/// the panic hook. `exit_on_panic` makes any panic end the process with
/// code 101, so a child never lingers with a dead thread.
pub fn init(name: &'static str, exit_on_panic: bool) {
    let filter = log_filter(std::env::var("RUST_LOG").ok().as_deref());
    let format = Tagged { name, inner: Format::default().without_time() };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .fmt_fields(DefaultFields::new())
        .event_format(format)
        .try_init();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        let backtrace = std::backtrace::Backtrace::capture();
        tracing::error!(target: "panic", "thread {:?} panicked: {info}\n{backtrace}", thread.name().unwrap_or("?"));
        if exit_on_panic {
            std::process::exit(101);
        }
    }));
}

/// The whole life of a child process: parse the command line, connect to
/// the supervisor, run the unit, report how it ended. Exit codes: 0 after a
/// shutdown, 1 when the unit failed, 2 for usage errors or a refused hello.
pub fn run_child<E: fmt::Display>(
    unit: crate::ipc::control::Unit,
    body: impl FnOnce(crate::ipc::bootstrap::ChildSession) -> Result<(), E>,
) -> std::process::ExitCode {
    use crate::ipc::bootstrap::{self, BootstrapError, ChildArgs};
    use std::process::ExitCode;
    let name = unit.process_name();
    init(name, true);
    let args = match ChildArgs::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(err) => {
            eprintln!("{name}: {err}");
            return ExitCode::from(2);
        }
    };
    let session = match bootstrap::connect(unit, &args) {
        Ok(session) => session,
        Err(err @ (BootstrapError::Refused(_) | BootstrapError::Usage(_))) => {
            tracing::error!("{err}");
            return ExitCode::from(2);
        }
        Err(err) => {
            tracing::error!("start-up failed: {err}");
            return ExitCode::FAILURE;
        }
    };
    tracing::debug!("connected as generation {}", session.generation);
    let to_supervisor = session.to_supervisor.clone();
    match body(session) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            let _ = to_supervisor.send(crate::ipc::control::ChildMessage::Fatal { reason: err.to_string() });
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_layer_warnings_are_quiet_unless_asked_for() {
        let filter = log_filter(Some("info")).to_string();
        assert!(filter.contains("winit=error") && filter.contains("wgpu_hal=error"), "{filter}");
        let filter = log_filter(Some("debug,winit=trace")).to_string();
        assert!(filter.contains("winit=trace") && !filter.contains("winit=error"), "{filter}");
        assert!(log_filter(None).to_string().contains("info"));
    }
}
