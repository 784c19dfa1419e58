//! The instrumented kernel's event log (schema version 1).
//!
//! One JSON object per line: a `schema_version` line, then events with
//! `engine`, `tid`, `tid_event_idx` (per-thread ordinal from 0), `host_ns`,
//! `guest_cycle`, `deterministic`, `kind` and `payload`. Kinds:
//! `kernel.call`, `kernel.return`, `handle.create`, `handle.destroy`,
//! `wait.begin`, `wait.end`, `thread.create`, `thread.exit`.
//!
//! Threads and objects carry semantic ids: 16-hex-digit stable hashes of
//! what created them (a thread: its parent's id, its entry PC, its spawn
//! ordinal in the parent; an object: the creating thread's id, that
//! thread's creation ordinal, the object type), never raw handle values,
//! so two runs (or two emulators) can be compared.
//!
//! Only the `kernel-proc-traced` binary creates a [`Tracer`]; the plain
//! kernel's `Kernel::trace` stays `None`.

use serde_json::{json, Value};
use shared::ipc::kernel::GuestThreadId;
use shared::memory::GuestMemory;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

pub const SCHEMA_VERSION: u32 = 1;
pub const ENGINE: &str = "xenact";

/// A stable 64-bit hash (FNV-1a) of `parts`, as 16 hex digits.
pub fn semantic_id(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0xFF]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    format!("{h:016x}")
}

#[derive(Debug, Default)]
struct ThreadTrace {
    semantic: String,
    next_event: u64,
    spawned: u64,
    created: u64,
}

/// Writes the event log of one run.
pub struct Tracer {
    out: Box<dyn Write + Send>,
    started: Instant,
    threads: HashMap<GuestThreadId, ThreadTrace>,
    /// Semantic ids of objects by the guest address of their body.
    objects: HashMap<u32, String>,
    /// Semantic ids by raw handle.
    handles: HashMap<u32, String>,
    /// The thread whose call the kernel is handling now.
    pub current: Option<GuestThreadId>,
    root_spawns: u64,
    failed: bool,
    /// The export each thread is in, until its return goes out.
    pending: HashMap<GuestThreadId, &'static str>,
    /// Where `guest_cycle` comes from: the guest clock's instruction ticks.
    clock: Option<Arc<GuestMemory>>,
    deterministic: bool,
}

impl Tracer {
    /// Opens `path` (`.gz` and `.zst` compress) and writes the schema line.
    pub fn create(path: &Path) -> std::io::Result<Tracer> {
        let file = std::fs::File::create(path)?;
        let name = path.to_string_lossy();
        let out: Box<dyn Write + Send> = if name.ends_with(".gz") {
            Box::new(flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::fast()))
        } else if name.ends_with(".zst") {
            Box::new(zstd::stream::write::Encoder::new(BufWriter::new(file), 3)?.auto_finish())
        } else {
            Box::new(BufWriter::new(file))
        };
        Tracer::to_writer(out)
    }

    /// Stamps events with the guest clock of `memory` (`guest_cycle`: guest
    /// instructions retired, plus idle time skipped under `--deterministic`).
    pub fn with_guest_clock(mut self, memory: Arc<GuestMemory>, deterministic: bool) -> Tracer {
        self.clock = Some(memory);
        self.deterministic = deterministic;
        self
    }

    /// A tracer writing to `out` (tests use a buffer).
    pub fn to_writer(out: Box<dyn Write + Send>) -> std::io::Result<Tracer> {
        let mut t = Tracer {
            out,
            started: Instant::now(),
            threads: HashMap::new(),
            objects: HashMap::new(),
            handles: HashMap::new(),
            current: None,
            root_spawns: 0,
            failed: false,
            pending: HashMap::new(),
            clock: None,
            deterministic: false,
        };
        t.line(&json!({"kind": "schema_version", "schema_version": SCHEMA_VERSION, "engine": ENGINE}));
        Ok(t)
    }

    fn line(&mut self, value: &Value) {
        if self.failed {
            return;
        }
        let written = serde_json::to_writer(&mut self.out, value).map_err(std::io::Error::from);
        if written.and_then(|()| self.out.write_all(b"\n")).is_err() {
            tracing::error!("writing the event log failed; no more events are recorded");
            self.failed = true;
        }
    }

    fn thread(&mut self, tid: GuestThreadId) -> &mut ThreadTrace {
        self.threads.entry(tid).or_insert_with(|| ThreadTrace {
            semantic: semantic_id(&[b"orphan thread", &tid.to_be_bytes()]),
            ..ThreadTrace::default()
        })
    }

    /// Records one event of `tid`.
    pub fn event(&mut self, tid: GuestThreadId, kind: &str, payload: Value) {
        let host_ns = self.started.elapsed().as_nanos() as u64;
        let guest_cycle = self.clock.as_ref().map_or(0, |m| m.control().guest_time().ticks.load(Ordering::SeqCst));
        let idx = {
            let t = self.thread(tid);
            t.next_event += 1;
            t.next_event - 1
        };
        self.line(&json!({
            "engine": ENGINE,
            "tid": tid,
            "tid_event_idx": idx,
            "host_ns": host_ns,
            "guest_cycle": guest_cycle,
            "deterministic": self.deterministic,
            "kind": kind,
            "payload": payload,
        }));
    }

    /// A thread was created by the current thread (or by the loader).
    pub fn thread_created(&mut self, tid: GuestThreadId, entry: u32, ctx: u32, stack_size: u32, suspended: bool) {
        let (parent_id, ordinal) = match self.current {
            Some(parent) => {
                let p = self.thread(parent);
                p.spawned += 1;
                (p.semantic.clone(), p.spawned - 1)
            }
            None => {
                self.root_spawns += 1;
                ("root".to_string(), self.root_spawns - 1)
            }
        };
        let semantic = semantic_id(&[parent_id.as_bytes(), &entry.to_be_bytes(), &ordinal.to_be_bytes()]);
        self.threads.insert(tid, ThreadTrace { semantic: semantic.clone(), ..ThreadTrace::default() });
        let creator = self.current.unwrap_or(tid);
        self.event(
            creator,
            "thread.create",
            json!({"entry_pc": hex(entry), "ctx_ptr": hex(ctx), "stack_size": stack_size, "suspended": suspended,
                   "thread_semantic_id": semantic, "raw_tid": tid}),
        );
    }

    /// `tid` called export `name` (module, ordinal) with r3–r10.
    pub fn call(&mut self, tid: GuestThreadId, name: &'static str, module: &str, ordinal: u16, args: &[u64; 8]) {
        self.current = Some(tid);
        self.pending.insert(tid, name);
        let args: Vec<String> = args.iter().map(|&a| hex(a as u32)).collect();
        self.event(tid, "kernel.call", json!({"name": name, "module": module, "ordinal": ordinal, "args": args}));
    }

    /// The return of `tid`'s pending call went out with `r3`.
    pub fn returned(&mut self, tid: GuestThreadId, r3: u64) {
        let Some(name) = self.pending.remove(&tid) else { return };
        let value = r3 as u32;
        let status = match value >> 30 {
            0 => "success",
            1 => "informational",
            2 => "warning",
            _ => "error",
        };
        self.event(tid, "kernel.return", json!({"name": name, "return_value": hex(value), "status": status}));
    }

    pub fn thread_exited(&mut self, tid: GuestThreadId, code: u32) {
        self.pending.remove(&tid);
        self.event(tid, "thread.exit", json!({"exit_code": hex(code)}));
    }

    /// A handle was made for the object whose body is at `body`.
    pub fn handle_created(
        &mut self,
        tid: GuestThreadId,
        handle: u32,
        body: u32,
        object_type: &str,
        name: Option<&str>,
    ) {
        let semantic = match self.objects.get(&body) {
            Some(s) => s.clone(),
            None => {
                let t = self.thread(tid);
                t.created += 1;
                let (creator, ordinal) = (t.semantic.clone(), t.created - 1);
                let s = semantic_id(&[creator.as_bytes(), &ordinal.to_be_bytes(), object_type.as_bytes()]);
                self.objects.insert(body, s.clone());
                s
            }
        };
        self.handles.insert(handle, semantic.clone());
        let mut payload =
            json!({"raw_handle_id": hex(handle), "handle_semantic_id": semantic, "object_type": object_type});
        if let Some(name) = name {
            payload["name"] = json!(name);
        }
        self.event(tid, "handle.create", payload);
    }

    pub fn handle_destroyed(&mut self, tid: GuestThreadId, handle: u32, prior_refcount: u32) {
        let semantic = self.handles.remove(&handle).unwrap_or_default();
        self.event(
            tid,
            "handle.destroy",
            json!({"raw_handle_id": hex(handle), "handle_semantic_id": semantic, "prior_refcount": prior_refcount}),
        );
    }

    /// The semantic id of the object at `body` (objects the guest built in
    /// its own memory get one from their address).
    pub fn object_id(&mut self, body: u32) -> String {
        self.objects.entry(body).or_insert_with(|| semantic_id(&[b"guest object", &body.to_be_bytes()])).clone()
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

impl Drop for Tracer {
    fn drop(&mut self) {
        self.flush();
    }
}

pub fn hex(v: u32) -> String {
    format!("{v:#010x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn lines(buf: &Shared) -> Vec<Value> {
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn semantic_ids_depend_on_what_created_the_object_not_on_raw_handles() {
        let run = |handle_base: u32| {
            let buf = Shared::default();
            let mut t = Tracer::to_writer(Box::new(buf.clone())).unwrap();
            t.thread_created(1, 0x8201_0000, 0, 0x40000, false);
            t.current = Some(1);
            t.thread_created(2, 0x8201_0100, 7, 0x10000, true);
            t.handle_created(1, handle_base, 0x7E00_0100, "event", Some("ev"));
            t.handle_created(1, handle_base + 4, 0x7E00_0200, "semaphore", None);
            t.handle_destroyed(1, handle_base, 1);
            lines(&buf)
        };
        let (a, b) = (run(0xF800_0004), run(0xF800_0104));
        assert_eq!(a[0]["kind"], "schema_version");
        assert_eq!(a[0]["schema_version"], 1);
        for i in 1..a.len() {
            assert_eq!(a[i]["kind"], b[i]["kind"]);
            for key in ["thread_semantic_id", "handle_semantic_id"] {
                assert_eq!(a[i]["payload"][key], b[i]["payload"][key], "{key} of event {i}");
            }
        }
        assert_ne!(a[3]["payload"]["handle_semantic_id"], a[4]["payload"]["handle_semantic_id"]);
        assert_eq!(a[3]["payload"]["handle_semantic_id"], a[5]["payload"]["handle_semantic_id"]);
        assert_eq!(a[3]["payload"]["name"], "ev");
        let idx: Vec<_> =
            a[1..].iter().filter(|e| e["tid"] == 1).map(|e| e["tid_event_idx"].as_u64().unwrap()).collect();
        assert_eq!(idx, (0..idx.len() as u64).collect::<Vec<_>>());
        assert_eq!(semantic_id(&[b"x"]).len(), 16);
    }
}
