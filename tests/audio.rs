//! Whole-system tests of the audio unit: the `tone` guest program through
//! kernel-proc, audio-proc and cpu-proc's interrupt context into a WAV file.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;
use xenact_system_tests::{bin, children_of, eventually, kill9, repo_path};

fn wav_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xenact-audio-{}-{name}.wav", std::process::id()))
}

fn tone_command(wav: &PathBuf) -> Command {
    let mut cmd = Command::new(bin("xenact"));
    cmd.args(["run", "--headless", "--timeout", "60", "--audio-out"])
        .arg(wav)
        .arg("--cache-dir")
        .arg(std::env::temp_dir().join("xenact-audio-cache"))
        .arg(repo_path("tests/guest/bin/tone.xex"));
    cmd
}

/// The left channel between the first and the last non-zero sample, the
/// total length in seconds and the sample rate.
fn left_channel(wav: &PathBuf) -> (Vec<i16>, f64, u32) {
    let mut reader = hound::WavReader::open(wav).expect("a WAV file");
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate), (2, 48_000));
    let samples: Vec<i16> = reader.samples::<i16>().map(|s| s.unwrap()).collect();
    let seconds = samples.len() as f64 / 2.0 / spec.sample_rate as f64;
    let left: Vec<i16> = samples.iter().step_by(2).copied().collect();
    let first = left.iter().position(|&v| v != 0).expect("some sound");
    let last = left.iter().rposition(|&v| v != 0).unwrap();
    (left[first..=last].to_vec(), seconds, spec.sample_rate)
}

fn frequency(signal: &[i16], rate: u32) -> f64 {
    let crossings = signal.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
    crossings as f64 / 2.0 / (signal.len() as f64 / rate as f64)
}

fn longest_silence_ms(signal: &[i16], rate: u32) -> f64 {
    let (mut run, mut longest) = (0usize, 0usize);
    for &v in signal {
        run = if v == 0 { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest as f64 * 1000.0 / rate as f64
}

#[test]
fn tone_plays_two_seconds_of_440_hz_into_the_wav_file() {
    let wav = wav_path("tone");
    let out = tone_command(&wav).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("RESULT pass=10 fail=0"), "{stdout}");
    let (left, seconds, rate) = left_channel(&wav);
    std::fs::remove_file(&wav).unwrap();
    assert!((seconds - 2.0).abs() <= 0.02, "{seconds} s of audio");
    let f = frequency(&left, rate);
    assert!((f - 440.0).abs() <= 4.4, "{f} Hz");
}

#[test]
fn audio_proc_killed_during_tone_is_restarted_and_the_wav_has_no_gap_over_100_ms() {
    let wav = wav_path("restart");
    let child = tone_command(&wav).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let supervisor = child.id();
    let audio = || children_of(supervisor).into_iter().find(|(_, n)| n == "audio-proc").map(|(p, _)| p);
    assert!(eventually(Duration::from_secs(20), || audio().is_some() && wav.exists()));
    // Let the tone start, then kill the unit in the middle of it.
    std::thread::sleep(Duration::from_millis(700));
    kill9(audio().unwrap());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stderr.contains("audio-proc died (signal 9); restarted in"), "{stderr}");
    assert!(stdout.contains("RESULT pass=10 fail=0"), "{stdout}");
    let (left, _, rate) = left_channel(&wav);
    std::fs::remove_file(&wav).unwrap();
    let gap = longest_silence_ms(&left, rate);
    assert!(gap <= 100.0, "a gap of {gap} ms");
    let f = frequency(&left, rate);
    assert!((f - 440.0).abs() <= 4.4, "{f} Hz");
}

#[test]
fn bench_audio_reports_cpu_time_per_second_of_audio() {
    let out = Command::new(bin("xenact")).args(["bench", "audio", "--seconds", "2"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("CPU time per second of audio:"), "{stdout}");
    assert!(stdout.contains("audio rendered: 2.00 s"), "{stdout}");
}
