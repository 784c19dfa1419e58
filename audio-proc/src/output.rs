//! Where mixed audio goes: 48 kHz interleaved stereo `f32`.
//!
//! Backends: [`DeviceSink`] (the host's default sound device through cpal,
//! ALSA on Linux), [`WavSink`] (a 16-bit PCM WAV file through hound),
//! [`NullSink`] (discards) and [`CaptureSink`] (keeps the samples, for
//! tests). Every backend consumes a write at once: the device sink queues
//! it for the device's own thread, so the emulator's clock paces frames and
//! the device never does. [`open`] picks one and logs one line saying which.

use crate::clock::SAMPLE_RATE;
use std::collections::VecDeque;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

/// Why an output could not open or take samples.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("no sound device: {0}")]
    Device(String),
    #[error("WAV file {path}: {source}")]
    Wav { path: PathBuf, source: hound::Error },
}

/// Which backend an output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Device,
    Wav,
    Null,
    Capture,
}

/// A consumer of mixed audio.
pub trait AudioOutput: Send {
    fn kind(&self) -> OutputKind;
    /// Takes interleaved stereo samples (left, right) at 48 kHz.
    fn write(&mut self, stereo: &[f32]) -> Result<(), OutputError>;
    /// Makes everything written so far durable (a WAV header that matches
    /// its data); called on shutdown.
    fn finish(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// What the session asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputChoice {
    /// The default sound device; when none opens, a WAV file at `fallback`
    /// if given, else the null sink.
    Device { fallback: Option<PathBuf> },
    /// A WAV file: made afresh by a session's first audio-proc, continued
    /// by a restarted one.
    File(PathBuf),
    /// Discard the audio.
    Null,
}

/// Opens the output `choice` asks for, falling back as it says, and logs
/// one line naming the backend in use. A `restarted` audio-proc continues
/// the session's WAV file (when it holds Xenact's format); the first one
/// replaces whatever the path held.
pub fn open(choice: &OutputChoice, restarted: bool) -> Box<dyn AudioOutput> {
    let (device_error, file) = match choice {
        OutputChoice::Null => {
            tracing::info!("audio output: null sink");
            return Box::new(NullSink::default());
        }
        OutputChoice::File(path) => (None, Some(path)),
        OutputChoice::Device { fallback } => match DeviceSink::open() {
            Ok(sink) => {
                tracing::info!("audio output: sound device {}", sink.name);
                return Box::new(sink);
            }
            Err(err) => (Some(err), fallback.as_ref()),
        },
    };
    let because = device_error.map(|e| format!(" ({e})")).unwrap_or_default();
    let wav = |path: &PathBuf| if restarted { WavSink::append_or_create(path) } else { WavSink::create(path) };
    match file.map(wav) {
        Some(Ok(sink)) => {
            tracing::info!("audio output: WAV file {}{because}", sink.path.display());
            Box::new(sink)
        }
        Some(Err(err)) => {
            tracing::warn!("audio output: null sink ({err}){because}");
            Box::new(NullSink::default())
        }
        None => {
            tracing::info!("audio output: null sink{because}");
            Box::new(NullSink::default())
        }
    }
}

/// Discards samples, counting them.
#[derive(Debug, Default)]
pub struct NullSink {
    pub samples: u64,
}

impl AudioOutput for NullSink {
    fn kind(&self) -> OutputKind {
        OutputKind::Null
    }

    fn write(&mut self, stereo: &[f32]) -> Result<(), OutputError> {
        self.samples += stereo.len() as u64;
        Ok(())
    }
}

/// Keeps every sample (tests, benchmarks).
#[derive(Debug, Default)]
pub struct CaptureSink {
    pub samples: Vec<f32>,
}

impl AudioOutput for CaptureSink {
    fn kind(&self) -> OutputKind {
        OutputKind::Capture
    }

    fn write(&mut self, stereo: &[f32]) -> Result<(), OutputError> {
        self.samples.extend_from_slice(stereo);
        Ok(())
    }
}

/// The WAV format Xenact writes: 48 kHz stereo 16-bit PCM.
pub fn wav_spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 2,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// Writes a WAV file; the header is brought up to date after every write,
/// so the file is whole even if audio-proc is killed.
pub struct WavSink {
    path: PathBuf,
    writer: hound::WavWriter<BufWriter<File>>,
}

impl WavSink {
    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> Result<WavSink, OutputError> {
        let writer = hound::WavWriter::create(path, wav_spec()).map_err(|source| wav_error(path, source))?;
        Ok(WavSink { path: path.to_owned(), writer })
    }

    /// Continues `path` when it is a WAV file in Xenact's format, else
    /// creates it.
    pub fn append_or_create(path: &Path) -> Result<WavSink, OutputError> {
        let same_format = hound::WavReader::open(path).map(|r| r.spec() == wav_spec()).unwrap_or(false);
        if !same_format {
            return WavSink::create(path);
        }
        let writer = hound::WavWriter::append(path).map_err(|source| wav_error(path, source))?;
        Ok(WavSink { path: path.to_owned(), writer })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn wav_error(path: &Path, source: hound::Error) -> OutputError {
    OutputError::Wav { path: path.to_owned(), source }
}

impl AudioOutput for WavSink {
    fn kind(&self) -> OutputKind {
        OutputKind::Wav
    }

    fn write(&mut self, stereo: &[f32]) -> Result<(), OutputError> {
        let mut samples = self.writer.get_i16_writer(stereo.len() as u32);
        for s in stereo {
            samples.write_sample(to_i16(*s));
        }
        samples.flush().map_err(|source| wav_error(&self.path, source))?;
        self.writer.flush().map_err(|source| wav_error(&self.path, source))
    }

    fn finish(&mut self) -> Result<(), OutputError> {
        self.writer.flush().map_err(|source| wav_error(&self.path, source))
    }
}

fn to_i16(s: f32) -> i16 {
    (s.clamp(-1.0, 1.0) * i16::MAX as f32).round() as i16
}

/// Samples the device queue holds at most (200 ms of stereo); older ones
/// are dropped when the emulator runs ahead of the device.
const DEVICE_QUEUE_LIMIT: usize = SAMPLE_RATE as usize / 5 * 2;

/// The default sound device. The cpal stream lives on its own thread (it
/// cannot move between threads); writes go through a queue the device's
/// callback drains, playing silence when it is empty.
pub struct DeviceSink {
    name: String,
    queue: Arc<Mutex<VecDeque<f32>>>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl DeviceSink {
    /// Opens the default output device at 48 kHz stereo.
    pub fn open() -> Result<DeviceSink, OutputError> {
        let queue = Arc::new(Mutex::new(VecDeque::with_capacity(DEVICE_QUEUE_LIMIT)));
        let (opened_tx, opened_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let shared = queue.clone();
        let thread = std::thread::Builder::new()
            .name("audio-device".into())
            .spawn(move || match device::start(shared) {
                Ok((name, stream)) => {
                    let _ = opened_tx.send(Ok(name));
                    let _ = stop_rx.recv();
                    drop(stream);
                }
                Err(err) => {
                    let _ = opened_tx.send(Err(err));
                }
            })
            .map_err(|e| OutputError::Device(e.to_string()))?;
        match opened_rx.recv() {
            Ok(Ok(name)) => Ok(DeviceSink { name, queue, stop: Some(stop_tx), thread: Some(thread) }),
            Ok(Err(err)) => {
                let _ = thread.join();
                Err(err)
            }
            Err(_) => {
                let _ = thread.join();
                Err(OutputError::Device("the device thread ended".into()))
            }
        }
    }
}

impl AudioOutput for DeviceSink {
    fn kind(&self) -> OutputKind {
        OutputKind::Device
    }

    fn write(&mut self, stereo: &[f32]) -> Result<(), OutputError> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        queue.extend(stereo.iter().copied());
        let excess = queue.len().saturating_sub(DEVICE_QUEUE_LIMIT);
        queue.drain(..excess);
        Ok(())
    }
}

impl Drop for DeviceSink {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The cpal side of [`DeviceSink`].
mod device {
    use super::{OutputError, SAMPLE_RATE};
    use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
    use cpal::{SampleFormat, Stream, StreamConfig};
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    fn err(e: impl std::fmt::Display) -> OutputError {
        OutputError::Device(e.to_string())
    }

    /// Opens and starts a stream on the default device.
    pub fn start(queue: Arc<Mutex<VecDeque<f32>>>) -> Result<(String, Stream), OutputError> {
        let device = cpal::default_host().default_output_device().ok_or_else(|| err("no default output device"))?;
        let name = device.name().unwrap_or_else(|_| "(unnamed)".into());
        let format = device
            .supported_output_configs()
            .map_err(err)?
            .filter(|c| c.channels() == 2)
            .filter(|c| c.min_sample_rate().0 <= SAMPLE_RATE && SAMPLE_RATE <= c.max_sample_rate().0)
            .map(|c| c.sample_format())
            .find(|f| matches!(f, SampleFormat::F32 | SampleFormat::I16))
            .ok_or_else(|| err(format!("{name} has no 48 kHz stereo f32/i16 mode")))?;
        let config = StreamConfig {
            channels: 2,
            sample_rate: cpal::SampleRate(SAMPLE_RATE),
            buffer_size: cpal::BufferSize::Default,
        };
        let on_error = |e| tracing::warn!("sound device: {e}");
        let stream = match format {
            SampleFormat::I16 => device.build_output_stream(
                &config,
                move |out: &mut [i16], _| fill(&queue, out, super::to_i16),
                on_error,
                None,
            ),
            _ => {
                device.build_output_stream(&config, move |out: &mut [f32], _| fill(&queue, out, |s| s), on_error, None)
            }
        }
        .map_err(err)?;
        stream.play().map_err(err)?;
        Ok((name, stream))
    }

    fn fill<T: Default>(queue: &Mutex<VecDeque<f32>>, out: &mut [T], convert: impl Fn(f32) -> T) {
        let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
        for slot in out {
            *slot = queue.pop_front().map(&convert).unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_wav(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("xenact-audio-{}-{name}.wav", std::process::id()))
    }

    #[test]
    fn wav_file_has_a_48khz_stereo_header_and_every_frame_written() {
        let path = temp_wav("header");
        let mut sink = WavSink::create(&path).unwrap();
        let period = [0.5f32; 512];

        for _ in 0..10 {
            sink.write(&period).unwrap();
        }
        sink.finish().unwrap();
        drop(sink);

        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.spec(), wav_spec());
        assert_eq!(reader.duration(), 10 * 256);
        let bytes = std::fs::metadata(&path).unwrap().len();
        assert_eq!(bytes, 44 + 10 * 256 * 2 * 2);
        let first: i16 = reader.into_samples().next().unwrap().unwrap();
        assert_eq!(first, to_i16(0.5));
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn wav_header_is_current_without_finish_so_a_killed_writer_leaves_a_whole_file() {
        let path = temp_wav("killed");
        let mut sink = WavSink::create(&path).unwrap();
        sink.write(&[0.25f32; 512]).unwrap();
        // Forget the writer as a SIGKILL would: no finalize, no drop.
        std::mem::forget(sink);

        let reader = hound::WavReader::open(&path).unwrap();

        assert_eq!(reader.duration(), 256);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_restarted_wav_sink_continues_the_same_file() {
        let path = temp_wav("append");
        let mut first = WavSink::create(&path).unwrap();
        first.write(&[0.1f32; 512]).unwrap();
        std::mem::forget(first);

        let mut second = WavSink::append_or_create(&path).unwrap();
        second.write(&[0.2f32; 512]).unwrap();
        second.finish().unwrap();
        drop(second);

        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), 512);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn null_sink_consumes_everything_at_once() {
        let mut sink = NullSink::default();

        sink.write(&[0.0; 512]).unwrap();

        assert_eq!(sink.samples, 512);
        assert_eq!(sink.kind(), OutputKind::Null);
    }

    #[test]
    fn asking_for_a_file_opens_a_wav_sink() {
        let path = temp_wav("choice");

        let sink = open(&OutputChoice::File(path.clone()), false);

        assert_eq!(sink.kind(), OutputKind::Wav);
        drop(sink);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_new_session_replaces_the_wav_file_and_a_restart_continues_it() {
        let path = temp_wav("sessions");
        let samples = |path: &Path| hound::WavReader::open(path).unwrap().len();
        for restarted in [false, true] {
            let mut sink = open(&OutputChoice::File(path.clone()), restarted);
            sink.write(&[0.5; 512]).unwrap();
            sink.finish().unwrap();
        }
        assert_eq!(samples(&path), 1024, "the restart appended");
        let mut sink = open(&OutputChoice::File(path.clone()), false);
        sink.write(&[0.5; 512]).unwrap();
        sink.finish().unwrap();
        assert_eq!(samples(&path), 512, "a new session starts the file over");
        std::fs::remove_file(path).unwrap();
    }
}
