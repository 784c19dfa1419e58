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

/// Sets up logging (to stderr; `RUST_LOG` selects, `info` by default) and
/// the panic hook. `exit_on_panic` makes any panic end the process with
/// code 101, so a child never lingers with a dead thread.
pub fn init(name: &'static str, exit_on_panic: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
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
