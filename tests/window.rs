//! Whole-system tests of the window: without `--headless`, gpu-proc shows
//! each swapped frame in a window. The tests run a virtual X server
//! (`Xvfb`, Debian's `xvfb`), read the window's pixels over the X protocol
//! while `gpu_clear` runs, close the window the way a window manager does
//! (`WM_DELETE_WINDOW`), and type on the virtual keyboard (XTEST) for the
//! `input` program, which reads the controller the keyboard stands for.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConfigureWindowAux, ConnectionExt as _, EventMask, ImageFormat, ImageOrder,
    InputFocus, KEY_PRESS_EVENT, KEY_RELEASE_EVENT,
};
use x11rb::protocol::xtest::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;
use xenact_system_tests::*;

/// `gpu_clear`'s clear colours (RGB), in the order it cycles through them.
const PALETTE: [[u8; 3]; 8] =
    [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255], [255, 255, 255], [64, 64, 64]];

/// An `Xvfb` server on a free display number; killed on drop.
struct VirtualDisplay {
    server: Child,
    name: String,
}

impl VirtualDisplay {
    fn start() -> VirtualDisplay {
        // -displayfd: Xvfb picks a free display and writes its number once
        // it accepts connections.
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1600x900x24", "-nolisten", "tcp", "-noreset"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is not installed: install Debian's xvfb (the README's set-up command does)");
        let mut line = String::new();
        BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let number: u32 = line.trim().parse().unwrap_or_else(|_| panic!("Xvfb did not start: {line:?}"));
        VirtualDisplay { server, name: format!(":{number}") }
    }

    fn connect(&self) -> RustConnection {
        x11rb::connect(Some(&self.name)).expect("connecting to Xvfb").0
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// Starts `gpu_clear` in a window on `display`.
fn gpu_clear_in_window(display: &VirtualDisplay) -> Session {
    let cache = std::env::temp_dir().join("xenact-window-cache");
    let title = repo_path("tests/guest/bin/gpu_clear.xex");
    Session::start_with_env(
        &["run", "--timeout", "120", "--cache-dir", cache.to_str().unwrap(), title.to_str().unwrap()],
        &[("DISPLAY", Some(&display.name)), ("WAYLAND_DISPLAY", None)],
    )
}

/// The top-level windows whose WM_CLASS is xenact's.
fn xenact_windows(conn: &RustConnection) -> Vec<u32> {
    let root = conn.setup().roots[0].root;
    let tree = conn.query_tree(root).unwrap().reply().unwrap();
    tree.children
        .into_iter()
        .filter(|&w| {
            let class = conn.get_property(false, w, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 64).unwrap().reply();
            class.is_ok_and(|p| p.value.starts_with(b"xenact\0"))
        })
        .collect()
}

/// The process that owns `window` (its `_NET_WM_PID`).
fn window_pid(conn: &RustConnection, window: u32) -> Option<u32> {
    let atom = conn.intern_atom(false, b"_NET_WM_PID").unwrap().reply().unwrap().atom;
    let reply = conn.get_property(false, window, atom, AtomEnum::CARDINAL, 0, 1).ok()?.reply().ok()?;
    let pid = reply.value32()?.next();
    pid
}

/// Waits until the only xenact window is one owned by process `pid`.
fn wait_for_window(conn: &RustConnection, pid: u32) -> u32 {
    let mut found = Vec::new();
    let shown = eventually(Duration::from_secs(30), || {
        found = xenact_windows(conn).into_iter().map(|w| (w, window_pid(conn, w))).collect();
        found.len() == 1 && found[0].1 == Some(pid)
    });
    assert!(shown, "no single xenact window of gpu-proc {pid} appeared (found windows and pids {found:?})");
    found[0].0
}

/// The RGB colour of the window's centre pixel; `None` while the window
/// is not viewable.
fn centre_pixel(conn: &RustConnection, window: u32) -> Option<[u8; 3]> {
    let geometry = conn.get_geometry(window).ok()?.reply().ok()?;
    pixel(conn, window, (geometry.width / 2) as i16, (geometry.height / 2) as i16)
}

/// The RGB colour of one pixel of the window.
fn pixel(conn: &RustConnection, window: u32, x: i16, y: i16) -> Option<[u8; 3]> {
    let image = conn.get_image(ImageFormat::Z_PIXMAP, window, x, y, 1, 1, !0).ok()?.reply().ok()?;
    let d = &image.data;
    assert!(image.depth == 24 && d.len() >= 4, "unexpected visual: depth {}", image.depth);
    Some(match conn.setup().image_byte_order {
        ImageOrder::LSB_FIRST => [d[2], d[1], d[0]],
        _ => [d[1], d[2], d[3]],
    })
}

/// Samples the window's centre until it has shown `wanted` distinct
/// palette colours; panics on a colour outside the palette (other than
/// the black before the first frame).
fn watch_frames(conn: &RustConnection, window: u32, wanted: usize) -> HashSet<[u8; 3]> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = HashSet::new();
    while seen.len() < wanted {
        assert!(Instant::now() < deadline, "the window showed only {seen:?} in 30 s");
        if let Some(rgb) = centre_pixel(conn, window).filter(|&c| c != [0, 0, 0]) {
            assert!(PALETTE.contains(&rgb), "the window shows {rgb:?}, which gpu_clear never clears to");
            seen.insert(rgb);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    seen
}

/// Asks the window to close as a window manager does.
fn close(conn: &RustConnection, window: u32) {
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    conn.send_event(false, window, EventMask::NO_EVENT, event).unwrap();
    conn.flush().unwrap();
}

#[test]
fn frames_show_in_a_window_and_closing_it_ends_the_session_with_code_0() {
    let display = VirtualDisplay::start();
    let mut session = gpu_clear_in_window(&display);
    session.wait_for_line("presenting in a 1280×720 window", Duration::from_secs(30));
    let conn = display.connect();
    let window = wait_for_window(&conn, session.child_pid("gpu-proc").expect("gpu-proc running"));
    let title = conn.get_property(false, window, AtomEnum::WM_NAME, AtomEnum::ANY, 0, 64).unwrap().reply().unwrap();
    assert_eq!(String::from_utf8_lossy(&title.value), "Xenact — gpu_clear.xex");
    let seen = watch_frames(&conn, window, 4);
    println!("the window showed {} of gpu_clear's colours: {seen:?}", seen.len());

    // Made 4:3, the window letterboxes the 16:9 frame: 800×450 in the
    // middle of 800×600, black bars of 75 rows above and below.
    conn.configure_window(window, &ConfigureWindowAux::new().width(800).height(600)).unwrap();
    conn.flush().unwrap();
    let letterboxed = eventually(Duration::from_secs(10), || {
        let bars = [(400, 10), (400, 589), (5, 70)].map(|(x, y)| pixel(&conn, window, x, y));
        let inside = [(400, 300), (5, 80), (794, 520)].map(|(x, y)| pixel(&conn, window, x, y));
        bars.iter().all(|p| *p == Some([0, 0, 0])) && inside.iter().all(|p| p.is_some_and(|c| PALETTE.contains(&c)))
    });
    assert!(letterboxed, "the resized window does not letterbox the frame");

    close(&conn, window);
    let status = session.wait(Duration::from_secs(10));
    let stderr = session.stderr_text();
    assert!(stderr.contains("session ended: the window was closed"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
    // Closed long before gpu_clear's 300 frames (12 s) could end it.
    assert!(!stderr.contains("title ended"), "{stderr}");
}

#[test]
fn a_restarted_gpu_proc_opens_a_new_window_and_frames_go_on() {
    let display = VirtualDisplay::start();
    let mut session = gpu_clear_in_window(&display);
    session.wait_for_line("presenting in a", Duration::from_secs(30));
    let conn = display.connect();
    let first_pid = session.child_pid("gpu-proc").expect("gpu-proc running");
    let first = wait_for_window(&conn, first_pid);
    watch_frames(&conn, first, 2);

    kill9(first_pid);
    session.wait_for_line("presenting in a", Duration::from_secs(30));
    let second_pid = session.child_pid("gpu-proc").expect("gpu-proc restarted");
    assert_ne!(second_pid, first_pid);
    // The dead process's window went with it; the new one shows the frames.
    let second = wait_for_window(&conn, second_pid);
    let seen = watch_frames(&conn, second, 3);
    println!("after the restart the window showed {seen:?}");
}

#[test]
fn without_a_display_the_session_runs_headless_and_says_so() {
    let cache = std::env::temp_dir().join("xenact-window-cache");
    let title = repo_path("tests/guest/bin/gpu_clear.xex");
    let mut session = Session::start_with_env(
        &["run", "--timeout", "120", "--cache-dir", cache.to_str().unwrap(), title.to_str().unwrap()],
        &[("DISPLAY", None), ("WAYLAND_DISPLAY", None)],
    );
    let status = session.wait(Duration::from_secs(60));
    let stderr = session.stderr_text();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("no display (neither WAYLAND_DISPLAY nor DISPLAY is set): running headless"), "{stderr}");
    assert!(!stderr.contains("presenting"), "a headless session without --dump-frames presents nothing: {stderr}");
}

/// The keycode the server's keymap gives `keysym` first.
fn keycode(conn: &RustConnection, keysym: u32) -> u8 {
    let setup = conn.setup();
    let count = setup.max_keycode - setup.min_keycode + 1;
    let map = conn.get_keyboard_mapping(setup.min_keycode, count).unwrap().reply().unwrap();
    let per = map.keysyms_per_keycode as usize;
    let index = map.keysyms.chunks(per).position(|syms| syms.first() == Some(&keysym)).expect("keysym in the keymap");
    setup.min_keycode + index as u8
}

/// Presses or releases a key on the server's keyboard, as a user would.
fn key(conn: &RustConnection, keycode: u8, down: bool) {
    let kind = if down { KEY_PRESS_EVENT } else { KEY_RELEASE_EVENT };
    let root = conn.setup().roots[0].root;
    conn.xtest_fake_input(kind, keycode, x11rb::CURRENT_TIME, root, 0, 0, 0).unwrap();
    conn.flush().unwrap();
}

#[test]
fn the_keyboard_is_the_controller_in_port_0() {
    let display = VirtualDisplay::start();
    let cache = std::env::temp_dir().join("xenact-window-cache");
    let title = repo_path("tests/guest/bin/input.xex");
    let mut session = Session::start_with_env(
        &["run", "--timeout", "120", "--cache-dir", cache.to_str().unwrap(), title.to_str().unwrap()],
        &[("DISPLAY", Some(&display.name)), ("WAYLAND_DISPLAY", None)],
    );
    session.wait_for_line("the keyboard is the controller in port 0", Duration::from_secs(30));
    let conn = display.connect();
    let window = wait_for_window(&conn, session.child_pid("gpu-proc").expect("gpu-proc running"));
    conn.set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME).unwrap();
    conn.flush().unwrap();
    let (space, w) = (keycode(&conn, 0x20), keycode(&conn, 0x77));

    let stdout = session.stdout.clone();
    let prompted = |prompt: &str| {
        let seen = eventually(Duration::from_secs(30), || stdout.lock().unwrap().iter().any(|l| l.contains(prompt)));
        assert!(seen, "no prompt {prompt:?}; stdout:\n{}", stdout.lock().unwrap().join("\n"));
    };
    for (prompt, keycode, down) in [
        ("input: press A", space, true),
        ("input: release A", space, false),
        ("input: push the left stick up", w, true),
        ("input: let go of the stick", w, false),
    ] {
        prompted(prompt);
        key(&conn, keycode, down);
    }
    let status = session.wait(Duration::from_secs(30));
    let stdout = stdout.lock().unwrap().join("\n");
    assert!(stdout.contains("RESULT pass=9 fail=0"), "{stdout}\n{}", session.stderr_text());
    assert_eq!(status.code(), Some(0));
}
