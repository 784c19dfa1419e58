//! `xenact log digest` and `xenact log diff`: reading event logs (schema
//! version 1, from Xenact's instrumented kernel or another engine that
//! writes the same schema) and comparing two runs.
//!
//! Comparison skips what legitimately differs between runs: clock fields
//! (`host_ns`, `guest_cycle` unless both runs were deterministic, wait
//! durations), raw ids (handles, thread ids, per-thread ordinals) and
//! engine-local kinds. Allocator results are canonicalised per (thread,
//! export) ordinal, so two runs that allocate the same things at different
//! addresses still match. Unknown fields from other engines are carried
//! but never break parsing.

use anyhow::{bail, Context};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The kinds every engine writes; anything else is engine-local.
pub const KINDS: [&str; 8] = [
    "kernel.call",
    "kernel.return",
    "handle.create",
    "handle.destroy",
    "wait.begin",
    "wait.end",
    "thread.create",
    "thread.exit",
];

/// Exports whose results are addresses that may differ between runs.
pub const ALLOCATORS: [&str; 8] = [
    "MmAllocatePhysicalMemoryEx",
    "MmAllocatePhysicalMemory",
    "NtAllocateVirtualMemory",
    "RtlAllocateHeap",
    "ExAllocatePoolWithTag",
    "ExAllocatePool",
    "ExAllocatePoolTypeWithTag",
    "XMemAlloc",
];

/// The payload fields the schema defines for `kind`, the ones compared
/// (raw ids and clocks left out; fields other engines add are ignored).
fn compared_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "kernel.call" => &["name", "module", "ordinal", "args"],
        "kernel.return" => &["name", "return_value", "status"],
        "handle.create" => &["handle_semantic_id", "object_type", "name"],
        "handle.destroy" => &["handle_semantic_id", "prior_refcount"],
        "wait.begin" => &["handles", "wait_all", "timeout_ns", "alertable"],
        "wait.end" => &["status"],
        "thread.create" => &["entry_pc", "ctx_ptr", "stack_size", "suspended", "thread_semantic_id"],
        "thread.exit" => &["exit_code"],
        _ => &[],
    }
}

/// One event of a log.
#[derive(Debug, Clone)]
pub struct Event {
    pub tid: u64,
    pub kind: String,
    pub payload: Value,
    /// The whole line, for digests and reports.
    pub raw: Map<String, Value>,
}

/// A parsed log.
#[derive(Debug, Default)]
pub struct Log {
    pub engine: String,
    pub deterministic: bool,
    pub events: Vec<Event>,
}

/// Opens a log, decompressing `.gz` and `.zst`.
fn reader(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let name = path.to_string_lossy();
    let inner: Box<dyn Read> = if name.ends_with(".gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else if name.ends_with(".zst") {
        Box::new(zstd::stream::read::Decoder::new(file)?)
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 20, inner)))
}

/// Reads a log; a line that is not an event object is an error naming it.
pub fn read(path: &Path) -> anyhow::Result<Log> {
    let mut log = Log::default();
    for (n, line) in reader(path)?.lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(&line).with_context(|| format!("{} line {}: not JSON", path.display(), n + 1))?;
        let Value::Object(raw) = value else { bail!("{} line {}: not a JSON object", path.display(), n + 1) };
        let kind = raw.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
        if kind == "schema_version" {
            let version = raw.get("schema_version").and_then(Value::as_u64);
            if version != Some(1) {
                bail!("{}: schema version {version:?}, this xenact reads version 1", path.display());
            }
            log.engine = raw.get("engine").and_then(Value::as_str).unwrap_or("unknown").to_string();
            continue;
        }
        if raw.get("deterministic").and_then(Value::as_bool) == Some(true) {
            log.deterministic = true;
        }
        let tid = raw.get("tid").and_then(Value::as_u64).unwrap_or(0);
        let payload = raw.get("payload").cloned().unwrap_or(Value::Null);
        log.events.push(Event { tid, kind, payload, raw });
    }
    Ok(log)
}

/// What `xenact log digest` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestReport {
    pub digest: String,
    pub events: usize,
    pub per_kind: BTreeMap<String, usize>,
}

/// The digest over the deterministic fields of every event.
pub fn digest(log: &Log) -> DigestReport {
    let mut hasher = Sha1::new();
    let mut per_kind = BTreeMap::new();
    for event in &log.events {
        let mut fields = event.raw.clone();
        fields.remove("host_ns");
        if !log.deterministic {
            fields.remove("guest_cycle");
        }
        hasher.update(serde_json::to_vec(&fields).expect("a JSON map serialises"));
        hasher.update(b"\n");
        *per_kind.entry(event.kind.clone()).or_insert(0) += 1;
    }
    let digest: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    DigestReport { digest, events: log.events.len(), per_kind }
}

/// A log read for comparison: each line kept as text, each event reduced
/// to its thread, kind and two 64-bit keys over the compared fields (with
/// and without an allocator's result). Parsing borrows the raw field text
/// instead of building JSON trees, which keeps a million-event pair within
/// the diff's time budget.
#[derive(Debug, Default)]
pub struct CompareLog {
    pub engine: String,
    text: String,
    lines: Vec<(usize, usize)>,
    events: Vec<Compact>,
}

#[derive(Debug, Clone)]
struct Compact {
    tid: u64,
    line: usize,
    /// Index in [`KINDS`]; `None` for engine-local kinds.
    kind: Option<usize>,
    key: u64,
    key_canonical: u64,
    /// `thread.create`: the created thread, its semantic id and entry.
    created: Option<(u64, Option<String>, Option<String>)>,
}

type Raw<'a> = Option<&'a serde_json::value::RawValue>;

#[derive(serde::Deserialize)]
struct RawLine<'a> {
    #[serde(borrow, default)]
    kind: Option<&'a str>,
    #[serde(default)]
    tid: Option<u64>,
    #[serde(borrow, default)]
    engine: Option<&'a str>,
    #[serde(default)]
    schema_version: Option<u64>,
    #[serde(borrow, default)]
    payload: Raw<'a>,
}

/// The payload fields any kind compares, as raw JSON text.
#[derive(serde::Deserialize, Default)]
struct RawPayload<'a> {
    #[serde(borrow, default)]
    name: Raw<'a>,
    #[serde(borrow, default)]
    module: Raw<'a>,
    #[serde(borrow, default)]
    ordinal: Raw<'a>,
    #[serde(borrow, default)]
    args: Raw<'a>,
    #[serde(borrow, default)]
    return_value: Raw<'a>,
    #[serde(borrow, default)]
    status: Raw<'a>,
    #[serde(borrow, default)]
    handle_semantic_id: Raw<'a>,
    #[serde(borrow, default)]
    object_type: Raw<'a>,
    #[serde(borrow, default)]
    prior_refcount: Raw<'a>,
    #[serde(borrow, default)]
    handles: Raw<'a>,
    #[serde(borrow, default)]
    wait_all: Raw<'a>,
    #[serde(borrow, default)]
    timeout_ns: Raw<'a>,
    #[serde(borrow, default)]
    alertable: Raw<'a>,
    #[serde(borrow, default)]
    entry_pc: Raw<'a>,
    #[serde(borrow, default)]
    ctx_ptr: Raw<'a>,
    #[serde(borrow, default)]
    stack_size: Raw<'a>,
    #[serde(borrow, default)]
    suspended: Raw<'a>,
    #[serde(borrow, default)]
    thread_semantic_id: Raw<'a>,
    #[serde(borrow, default)]
    exit_code: Raw<'a>,
    #[serde(default)]
    raw_tid: Option<u64>,
}

impl<'a> RawPayload<'a> {
    fn field(&self, key: &str) -> Option<&'a str> {
        let v = match key {
            "name" => self.name,
            "module" => self.module,
            "ordinal" => self.ordinal,
            "args" => self.args,
            "return_value" => self.return_value,
            "status" => self.status,
            "handle_semantic_id" => self.handle_semantic_id,
            "object_type" => self.object_type,
            "prior_refcount" => self.prior_refcount,
            "handles" => self.handles,
            "wait_all" => self.wait_all,
            "timeout_ns" => self.timeout_ns,
            "alertable" => self.alertable,
            "entry_pc" => self.entry_pc,
            "ctx_ptr" => self.ctx_ptr,
            "stack_size" => self.stack_size,
            "suspended" => self.suspended,
            "thread_semantic_id" => self.thread_semantic_id,
            "exit_code" => self.exit_code,
            _ => None,
        };
        v.map(|raw| raw.get())
    }
}

fn unquote(raw: Option<&str>) -> Option<String> {
    raw.and_then(|r| serde_json::from_str::<String>(r).ok())
}

/// FNV-1a over `bytes`, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

fn compact(line: &str, index: usize, engine: &mut String) -> anyhow::Result<Option<Compact>> {
    let raw: RawLine<'_> = serde_json::from_str(line)?;
    let kind = raw.kind.unwrap_or("");
    if kind == "schema_version" {
        if raw.schema_version != Some(1) {
            bail!("schema version {:?}, this xenact reads version 1", raw.schema_version);
        }
        *engine = raw.engine.unwrap_or("unknown").to_string();
        return Ok(None);
    }
    let payload: RawPayload<'_> = match raw.payload {
        Some(p) => serde_json::from_str(p.get()).unwrap_or_default(),
        None => RawPayload::default(),
    };
    let kind_index = KINDS.iter().position(|k| *k == kind);
    let mut key = fnv(0xcbf2_9ce4_8422_2325, kind.as_bytes());
    let mut key_canonical = key;
    let is_allocator_return =
        kind == "kernel.return" && unquote(payload.field("name")).is_some_and(|n| ALLOCATORS.contains(&n.as_str()));
    for &field in compared_fields(kind) {
        if let Some(text) = payload.field(field) {
            let h = fnv(fnv(0, field.as_bytes()), text.trim().as_bytes());
            key = fnv(key, &h.to_le_bytes());
            if !(is_allocator_return && field == "return_value") {
                key_canonical = fnv(key_canonical, &h.to_le_bytes());
            }
        }
    }
    let created = (kind == "thread.create").then(|| {
        (
            payload.raw_tid.unwrap_or(raw.tid.unwrap_or(0)),
            unquote(payload.field("thread_semantic_id")),
            unquote(payload.field("entry_pc")),
        )
    });
    Ok(Some(Compact { tid: raw.tid.unwrap_or(0), line: index, kind: kind_index, key, key_canonical, created }))
}

/// Reads a log for comparison.
pub fn read_for_compare(path: &Path) -> anyhow::Result<CompareLog> {
    let mut text = String::new();
    reader(path)?.read_to_string(&mut text).with_context(|| format!("reading {}", path.display()))?;
    let mut log = CompareLog::default();
    let mut offset = 0;
    for (n, line) in text.split('\n').enumerate() {
        let start = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let index = log.lines.len();
        log.lines.push((start, line.len()));
        match compact(line, index, &mut log.engine) {
            Ok(Some(event)) => log.events.push(event),
            Ok(None) => {}
            Err(err) => bail!("{} line {}: {err}", path.display(), n + 1),
        }
    }
    log.text = text;
    Ok(log)
}

impl CompareLog {
    fn line(&self, index: usize) -> &str {
        let (start, len) = self.lines[index];
        &self.text[start..start + len]
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }
}

/// A thread of a log: its semantic id and entry, and its events in order.
#[derive(Debug, Default)]
struct ThreadEvents {
    semantic: Option<String>,
    entry: Option<String>,
    events: Vec<usize>,
}

fn threads_of(log: &CompareLog) -> BTreeMap<u64, ThreadEvents> {
    let mut threads: BTreeMap<u64, ThreadEvents> = BTreeMap::new();
    for (i, e) in log.events.iter().enumerate() {
        if let Some((tid, semantic, entry)) = &e.created {
            let t = threads.entry(*tid).or_default();
            t.semantic = semantic.clone();
            t.entry = entry.clone();
        }
        threads.entry(e.tid).or_default().events.push(i);
    }
    threads
}

/// How `xenact log diff` compares.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// A's thread → B's thread, overriding the automatic pairing.
    pub tid_map: HashMap<u64, u64>,
    pub canonicalize_allocators: bool,
}

/// The first divergence of a thread pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// Position in each thread's comparable events.
    pub index: usize,
    pub a: Option<usize>,
    pub b: Option<usize>,
}

/// The comparison of one thread pair.
#[derive(Debug, Clone)]
pub struct PairReport {
    pub a_tid: u64,
    pub b_tid: u64,
    pub paired_by: &'static str,
    pub matched: usize,
    pub a_total: usize,
    pub b_total: usize,
    pub divergence: Option<Divergence>,
    a_events: Vec<usize>,
    b_events: Vec<usize>,
}

/// The whole comparison.
#[derive(Debug)]
pub struct DiffReport {
    pub pairs: Vec<PairReport>,
    pub unpaired_a: Vec<u64>,
    pub unpaired_b: Vec<u64>,
}

impl DiffReport {
    pub fn identical(&self) -> bool {
        self.unpaired_a.is_empty() && self.unpaired_b.is_empty() && self.pairs.iter().all(|p| p.divergence.is_none())
    }
}

fn comparable(log: &CompareLog, events: &[usize]) -> Vec<usize> {
    events.iter().copied().filter(|&i| log.events[i].kind.is_some()).collect()
}

/// Compares two logs thread by thread.
pub fn diff(a: &CompareLog, b: &CompareLog, options: &DiffOptions) -> DiffReport {
    let (ta, tb) = (threads_of(a), threads_of(b));
    let mut pairs: Vec<(u64, u64, &'static str)> = Vec::new();
    let mut used_b = std::collections::HashSet::new();
    let mut take = |a_tid: u64, b_tid: u64, how: &'static str, pairs: &mut Vec<(u64, u64, &'static str)>| {
        if tb.contains_key(&b_tid) && used_b.insert(b_tid) {
            pairs.push((a_tid, b_tid, how));
            true
        } else {
            false
        }
    };
    for (&a_tid, t) in &ta {
        if let Some(&b_tid) = options.tid_map.get(&a_tid) {
            take(a_tid, b_tid, "manual map", &mut pairs);
            continue;
        }
        let by_semantic = t.semantic.as_ref().and_then(|s| tb.iter().find(|(_, u)| u.semantic.as_ref() == Some(s)));
        if let Some((&b_tid, _)) = by_semantic {
            if take(a_tid, b_tid, "semantic id", &mut pairs) {
                continue;
            }
        }
        let by_entry = t
            .entry
            .as_ref()
            .and_then(|e| tb.iter().find(|(id, u)| u.entry.as_ref() == Some(e) && !pairs.iter().any(|p| p.1 == **id)));
        if let Some((&b_tid, _)) = by_entry {
            take(a_tid, b_tid, "entry pc", &mut pairs);
        }
    }
    let unpaired_a = ta.keys().copied().filter(|t| !pairs.iter().any(|p| p.0 == *t)).collect();
    let unpaired_b = tb.keys().copied().filter(|t| !pairs.iter().any(|p| p.1 == *t)).collect();
    let key = |log: &CompareLog, i: usize| {
        let e = &log.events[i];
        if options.canonicalize_allocators {
            e.key_canonical
        } else {
            e.key
        }
    };
    let pairs = pairs
        .into_iter()
        .map(|(a_tid, b_tid, paired_by)| {
            let ea = comparable(a, &ta[&a_tid].events);
            let eb = comparable(b, &tb[&b_tid].events);
            let matched = ea.iter().zip(&eb).take_while(|(&x, &y)| key(a, x) == key(b, y)).count();
            let divergence = (matched < ea.len().max(eb.len())).then(|| Divergence {
                index: matched,
                a: ea.get(matched).copied(),
                b: eb.get(matched).copied(),
            });
            PairReport {
                a_tid,
                b_tid,
                paired_by,
                matched,
                a_total: ea.len(),
                b_total: eb.len(),
                divergence,
                a_events: ea,
                b_events: eb,
            }
        })
        .collect();
    DiffReport { pairs, unpaired_a, unpaired_b }
}

fn brief(log: &CompareLog, event: usize) -> String {
    let line = log.line(log.events[event].line);
    match serde_json::from_str::<Map<String, Value>>(line) {
        Ok(mut e) => {
            e.remove("engine");
            e.remove("host_ns");
            serde_json::to_string(&e).unwrap_or_default()
        }
        Err(_) => line.to_string(),
    }
}

/// The markdown report.
pub fn report(a: &CompareLog, b: &CompareLog, diff: &DiffReport) -> String {
    let mut out = String::from("# Event log comparison\n\n");
    out.push_str(&format!(
        "A: {} ({} events), B: {} ({} events)\n\n",
        a.engine,
        a.events.len(),
        b.engine,
        b.events.len()
    ));
    out.push_str("| thread A | thread B | paired by | matched | total A | total B | first divergence |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for p in &diff.pairs {
        let first = match &p.divergence {
            None => "none".to_string(),
            Some(d) => format!("event {}", d.index),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            p.a_tid, p.b_tid, p.paired_by, p.matched, p.a_total, p.b_total, first
        ));
    }
    if !diff.unpaired_a.is_empty() || !diff.unpaired_b.is_empty() {
        out.push_str(&format!("\nThreads without a partner: A {:?}, B {:?}\n", diff.unpaired_a, diff.unpaired_b));
    }
    for p in diff.pairs.iter().filter(|p| p.divergence.is_some()) {
        let d = p.divergence.as_ref().expect("filtered");
        out.push_str(&format!("\n## Thread {} (A) / {} (B): divergence at event {}\n\n", p.a_tid, p.b_tid, d.index));
        out.push_str("Matching events before it:\n\n```\n");
        for &e in &p.a_events[d.index.saturating_sub(5)..d.index] {
            out.push_str(&brief(a, e));
            out.push('\n');
        }
        out.push_str("```\n\nThe divergent pair:\n\n```\n");
        out.push_str(&format!("A: {}\n", d.a.map_or("(no more events)".into(), |e| brief(a, e))));
        out.push_str(&format!("B: {}\n", d.b.map_or("(no more events)".into(), |e| brief(b, e))));
        out.push_str("```\n\nWhat follows:\n\n```\n");
        for &e in p.a_events.iter().skip(d.index + 1).take(5) {
            out.push_str(&format!("A: {}\n", brief(a, e)));
        }
        for &e in p.b_events.iter().skip(d.index + 1).take(5) {
            out.push_str(&format!("B: {}\n", brief(b, e)));
        }
        out.push_str("```\n");
    }
    out
}

/// Parses `6=1,7=2`.
pub fn parse_tid_map(text: &str) -> anyhow::Result<HashMap<u64, u64>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (a, b) = pair.split_once('=').with_context(|| format!("{pair:?} is not A=B"))?;
            Ok((a.trim().parse()?, b.trim().parse()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(tid: u64, idx: u64, kind: &str, payload: Value) -> String {
        serde_json::json!({"engine": "t", "tid": tid, "tid_event_idx": idx, "host_ns": idx * 1000 + tid,
                           "guest_cycle": 5, "deterministic": false, "kind": kind, "payload": payload})
        .to_string()
    }

    fn log_of(lines: &[String]) -> (Log, CompareLog) {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("xenact-log-{}-{n}.jsonl", std::process::id()));
        let mut text = String::from("{\"kind\":\"schema_version\",\"schema_version\":1,\"engine\":\"t\"}\n");
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let log = read(&path).unwrap();
        let compare = read_for_compare(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        (log, compare)
    }

    fn run(tid_base: u64, alloc: &str, extra_field: bool) -> Vec<String> {
        let t = tid_base;
        let mut create = serde_json::json!({"entry_pc": "0x82010000", "thread_semantic_id": "aaaa", "raw_tid": t});
        if extra_field {
            create["other_engine_field"] = Value::Bool(true);
        }
        vec![
            event(t, 0, "thread.create", create),
            event(t, 1, "kernel.call", serde_json::json!({"name": "MmAllocatePhysicalMemoryEx", "args": []})),
            event(
                t,
                2,
                "kernel.return",
                serde_json::json!({"name": "MmAllocatePhysicalMemoryEx", "return_value": alloc}),
            ),
            event(t, 3, "pc.hit", serde_json::json!({"pc": "0x1"})),
            event(t, 4, "kernel.call", serde_json::json!({"name": "NtClose", "args": ["0x1"]})),
        ]
    }

    #[test]
    fn digests_ignore_host_time_and_see_every_other_field() {
        let (a, _) = log_of(&run(1, "0xA0000000", false));
        let mut lines = run(1, "0xA0000000", false);
        lines[1] = lines[1].replace("\"host_ns\":1001", "\"host_ns\":999999");
        let (b, _) = log_of(&lines);
        assert_eq!(digest(&a), digest(&b));
        assert_eq!(digest(&a).events, 5);
        assert_eq!(digest(&a).per_kind["kernel.call"], 2);
        let (c, _) = log_of(&run(1, "0xA0010000", false));
        assert_ne!(digest(&a).digest, digest(&c).digest);
    }

    #[test]
    fn runs_that_differ_only_in_tids_allocations_local_kinds_and_unknown_fields_match() {
        let (_, a) = log_of(&run(6, "0xA0000000", false));
        let mut b_lines = run(1, "0xBC000000", true);
        b_lines.remove(3); // no engine-local event in B
        let (_, b) = log_of(&b_lines);
        let d = diff(&a, &b, &DiffOptions { canonicalize_allocators: true, ..Default::default() });
        assert!(d.identical(), "{}", report(&a, &b, &d));
        assert_eq!(d.pairs[0].paired_by, "semantic id");
        let strict = diff(&a, &b, &DiffOptions::default());
        assert!(!strict.identical());
        assert_eq!(strict.pairs[0].divergence.as_ref().unwrap().index, 2);
    }

    #[test]
    fn the_report_shows_the_divergent_pair_and_its_context() {
        let (_, a) = log_of(&run(1, "0xA0000000", false));
        let mut b_lines = run(1, "0xA0000000", false);
        b_lines[4] = b_lines[4].replace("NtClose", "NtSetEvent");
        let (_, b) = log_of(&b_lines);
        let d = diff(&a, &b, &DiffOptions { canonicalize_allocators: true, ..Default::default() });
        assert!(!d.identical());
        let text = report(&a, &b, &d);
        assert!(text.contains("| 1 | 1 | semantic id | 3 | 4 | 4 | event 3 |"), "{text}");
        assert!(text.contains("A: {") && text.contains("NtSetEvent"), "{text}");
    }

    #[test]
    fn a_manual_tid_map_overrides_pairing() {
        assert_eq!(parse_tid_map("6=1,7=2").unwrap(), HashMap::from([(6, 1), (7, 2)]));
        assert!(parse_tid_map("6-1").is_err());
    }
}
