//! The object manager: kernel objects, their reference counts, the handle
//! table and object names.
//!
//! Every object the kernel creates has a guest-visible body behind a
//! 0x18-byte `OBJECT_HEADER`, allocated from the kernel-object pool
//! ([`pool`], `0x7E000000–0x7EFFFFFF`); the pointer exports such as
//! `ObReferenceObjectByHandle` hand out is the body's guest address. For
//! dispatcher objects (events, semaphores, mutants, timers, threads) the body
//! starts with the `DISPATCHER_HEADER` whose state the wait engine in
//! [`crate::threading`] keeps in guest memory. Dispatcher objects a title
//! initializes in its own memory (`KeInitializeEvent`…) need no entry here:
//! the wait engine knows them by address.
//!
//! An object lives while its reference count is above zero; each handle holds
//! one reference, `ObReferenceObjectByHandle` takes another, a running thread
//! holds one on itself. A name lives while the object has handles.
//!
//! Submodules: [`handle_table`] (handle values), [`names`] (`OBJECT_ATTRIBUTES`
//! and the name table), [`pool`] (guest allocation ranges), [`exports`]
//! (`NtClose`, `NtDuplicateObject`, `Ob*`), [`symlink`]
//! (`ObCreateSymbolicLink`, `ObDeleteSymbolicLink`).

pub mod exports;
pub mod handle_table;
pub mod names;
pub mod pool;
pub mod symlink;

pub use exports::*;

use crate::kernel::Kernel;
use crate::status::NtStatus;
use handle_table::HandleTable;
use pool::RangeAllocator;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::{BTreeMap, HashMap};

/// Internal identity of an object (never reused; not a guest value).
pub type ObjectId = u32;

/// Start of the kernel-object pool.
pub const POOL_START: u32 = 0x7E00_0000;
/// Exclusive end of the kernel-object pool (the MMIO window follows).
pub const POOL_END: u32 = 0x7F00_0000;
/// Size of the `OBJECT_HEADER` in front of every kernel-allocated body
/// (xenia `X_OBJECT_HEADER`: pointer count, handle count, info offsets and
/// flags, create info, type pointer, one more word).
pub const OBJECT_HEADER_SIZE: u32 = 0x18;
/// Offsets inside the `OBJECT_HEADER`.
const HEADER_POINTER_COUNT: u32 = 0x00;
const HEADER_HANDLE_COUNT: u32 = 0x04;
const HEADER_TYPE: u32 = 0x10;

/// What kind of object a handle names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectType {
    Event,
    Semaphore,
    Mutant,
    Timer,
    Thread,
    File,
    IoCompletion,
    SymbolicLink,
    /// Anything another subsystem registers (notification listeners…).
    Other,
}

impl ObjectType {
    /// The data export whose address identifies this type to `Ob*` calls.
    pub const fn type_export(self) -> Option<&'static str> {
        match self {
            ObjectType::Event => Some("ExEventObjectType"),
            ObjectType::Semaphore => Some("ExSemaphoreObjectType"),
            ObjectType::Mutant => Some("ExMutantObjectType"),
            ObjectType::Timer => Some("ExTimerObjectType"),
            ObjectType::Thread => Some("ExThreadObjectType"),
            ObjectType::File => Some("IoFileObjectType"),
            ObjectType::IoCompletion => Some("IoCompletionObjectType"),
            ObjectType::SymbolicLink => Some("ObSymbolicLinkObjectType"),
            ObjectType::Other => None,
        }
    }
}

/// One kernel object.
#[derive(Debug)]
pub struct Object {
    pub ty: ObjectType,
    /// Guest address of the body (what pointer exports return).
    pub body: VirtAddr,
    /// Name, as the title spelled it.
    pub name: Option<String>,
    /// For objects another subsystem owns (files…): its key for the object.
    pub external: u64,
    refs: u32,
    handles: u32,
    /// The body is kernel pool memory (freed with the object), not the
    /// title's own memory.
    allocated: bool,
}

impl Object {
    pub fn reference_count(&self) -> u32 {
        self.refs
    }

    pub fn handle_count(&self) -> u32 {
        self.handles
    }
}

/// A handle made or closed, for the instrumented kernel's event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandleEvent {
    Created { handle: u32, id: ObjectId },
    Destroyed { handle: u32, prior_refcount: u32 },
}

/// All kernel objects and handles.
#[derive(Debug)]
pub struct Objects {
    /// Handle events for the event log, recorded only when `Some`.
    pub events: Option<Vec<HandleEvent>>,
    objects: BTreeMap<ObjectId, Object>,
    next_id: ObjectId,
    handles: HandleTable,
    by_body: HashMap<u32, ObjectId>,
    names: names::NameTable,
    pool: RangeAllocator,
    type_objects: HashMap<ObjectType, u32>,
    destroyed: Vec<(ObjectType, ObjectId, u64)>,
}

impl Default for Objects {
    fn default() -> Objects {
        Objects {
            events: None,
            objects: BTreeMap::new(),
            next_id: 1,
            handles: HandleTable::default(),
            by_body: HashMap::new(),
            names: names::NameTable::default(),
            pool: RangeAllocator::new(POOL_START, POOL_END),
            type_objects: HashMap::new(),
            destroyed: Vec::new(),
        }
    }
}

impl Objects {
    /// Records the guest address of a type object (the loader calls this for
    /// the `Ex*ObjectType` data exports it fills), so `Ob*` calls can check
    /// the type a title names and object headers point at it.
    pub fn set_type_object(&mut self, ty: ObjectType, addr: VirtAddr) {
        self.type_objects.insert(ty, addr.0);
    }

    /// The type a type-object address stands for.
    pub fn type_of_type_object(&self, addr: u32) -> Option<ObjectType> {
        self.type_objects.iter().find(|(_, &a)| a == addr).map(|(&t, _)| t)
    }

    /// Allocates zeroed guest memory from the kernel-object pool.
    pub fn alloc_guest(&mut self, memory: &GuestMemory, size: u32, align: u32) -> Option<VirtAddr> {
        let addr = self.pool.alloc(size, align.max(16))?;
        let len = self.pool.size_of(addr).unwrap_or(size);
        memory.fill(VirtAddr(addr), len, 0).ok()?;
        Some(VirtAddr(addr))
    }

    /// Returns memory from [`Objects::alloc_guest`].
    pub fn free_guest(&mut self, addr: VirtAddr) {
        self.pool.free(addr.0);
    }

    /// Creates an object with a zeroed body of `body_size` bytes behind an
    /// `OBJECT_HEADER`. It has no references yet: give it a handle
    /// ([`Objects::add_handle`]) or a reference ([`Objects::retain`]).
    pub fn create(&mut self, memory: &GuestMemory, ty: ObjectType, body_size: u32) -> Result<ObjectId, NtStatus> {
        let base = self.alloc_guest(memory, OBJECT_HEADER_SIZE + body_size.max(4), 16).ok_or(NtStatus::NO_MEMORY)?;
        let body = base.add(OBJECT_HEADER_SIZE);
        if let Some(&type_object) = self.type_objects.get(&ty) {
            let _ = memory.write_u32(base.add(HEADER_TYPE), type_object);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.objects.insert(id, Object { ty, body, name: None, external: 0, refs: 0, handles: 0, allocated: true });
        self.by_body.insert(body.0, id);
        Ok(id)
    }

    /// The object for a body the title initialized in its own memory
    /// (`KeInitializeEvent`…), created on first use so it can get handles.
    /// Its memory stays the title's.
    pub fn bind_guest(&mut self, ty: ObjectType, body: VirtAddr) -> ObjectId {
        if let Some(id) = self.by_body(body) {
            return id;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.objects.insert(id, Object { ty, body, name: None, external: 0, refs: 0, handles: 0, allocated: false });
        self.by_body.insert(body.0, id);
        id
    }

    pub fn get(&self, id: ObjectId) -> Option<&Object> {
        self.objects.get(&id)
    }

    pub fn get_mut(&mut self, id: ObjectId) -> Option<&mut Object> {
        self.objects.get_mut(&id)
    }

    /// The object whose body is at `body`.
    pub fn by_body(&self, body: VirtAddr) -> Option<ObjectId> {
        self.by_body.get(&body.0).copied()
    }

    /// The object a (real, not pseudo) handle names.
    pub fn lookup(&self, handle: u32) -> Option<ObjectId> {
        self.handles.get(handle)
    }

    /// Every live object of type `ty`.
    pub fn of_type(&self, ty: ObjectType) -> impl Iterator<Item = (ObjectId, &Object)> + '_ {
        self.objects.iter().filter(move |(_, o)| o.ty == ty).map(|(&id, o)| (id, o))
    }

    /// A new handle to `id` (one more reference).
    pub fn add_handle(&mut self, memory: &GuestMemory, id: ObjectId) -> Result<u32, NtStatus> {
        if !self.objects.contains_key(&id) {
            return Err(NtStatus::INVALID_HANDLE);
        }
        let handle = self.handles.insert(id).ok_or(NtStatus::NO_MEMORY)?;
        if let Some(events) = &mut self.events {
            events.push(HandleEvent::Created { handle, id });
        }
        let o = self.objects.get_mut(&id).expect("checked above");
        o.handles += 1;
        o.refs += 1;
        Self::mirror_counts(memory, o);
        Ok(handle)
    }

    /// Closes `handle`: its slot is freed and its reference dropped.
    pub fn close(&mut self, memory: &GuestMemory, handle: u32) -> NtStatus {
        let Some(id) = self.handles.remove(handle) else { return NtStatus::INVALID_HANDLE };
        if let Some(events) = &mut self.events {
            let prior_refcount = self.objects.get(&id).map_or(0, |o| o.refs);
            events.push(HandleEvent::Destroyed { handle, prior_refcount });
        }
        if let Some(o) = self.objects.get_mut(&id) {
            o.handles = o.handles.saturating_sub(1);
            if o.handles == 0 {
                if let Some(name) = o.name.take() {
                    self.names.remove(&name);
                }
            }
        }
        self.release(memory, id);
        NtStatus::SUCCESS
    }

    /// One more reference to `id`.
    pub fn retain(&mut self, memory: &GuestMemory, id: ObjectId) {
        if let Some(o) = self.objects.get_mut(&id) {
            o.refs += 1;
            Self::mirror_counts(memory, o);
        }
    }

    /// Drops a reference; the object is destroyed at zero.
    pub fn release(&mut self, memory: &GuestMemory, id: ObjectId) {
        let Some(o) = self.objects.get_mut(&id) else { return };
        o.refs = o.refs.saturating_sub(1);
        Self::mirror_counts(memory, o);
        if o.refs > 0 {
            return;
        }
        let o = self.objects.remove(&id).expect("present above");
        if let Some(name) = &o.name {
            self.names.remove(name);
        }
        self.by_body.remove(&o.body.0);
        if o.allocated {
            self.pool.free(o.body.0 - OBJECT_HEADER_SIZE);
        }
        let kernel_owned = matches!(
            o.ty,
            ObjectType::Event | ObjectType::Semaphore | ObjectType::Mutant | ObjectType::Timer | ObjectType::Thread
        );
        if !kernel_owned || o.external != 0 {
            self.destroyed.push((o.ty, id, o.external));
        }
    }

    /// Objects another subsystem owns (files, enumerators, listeners…: every
    /// type but the dispatcher objects, and any object with an
    /// [`Object::external`] key) destroyed since the last call: (type, id,
    /// key). Their owners drop their side of the state.
    pub fn take_destroyed(&mut self) -> Vec<(ObjectType, ObjectId, u64)> {
        std::mem::take(&mut self.destroyed)
    }

    /// Names `id`; fails with `OBJECT_NAME_COLLISION` if the name is taken.
    pub fn set_name(&mut self, id: ObjectId, name: &str) -> NtStatus {
        if self.names.find(name).is_some() {
            return NtStatus::OBJECT_NAME_COLLISION;
        }
        let Some(o) = self.objects.get_mut(&id) else { return NtStatus::INVALID_HANDLE };
        self.names.insert(name, id);
        o.name = Some(name.to_owned());
        NtStatus::SUCCESS
    }

    /// The object named `name` (case-insensitive).
    pub fn find_name(&self, name: &str) -> Option<ObjectId> {
        self.names.find(name)
    }

    /// The handles that name `id`.
    pub fn handles_of(&self, id: ObjectId) -> Vec<u32> {
        self.handles.handles_of(id).collect()
    }

    fn mirror_counts(memory: &GuestMemory, o: &Object) {
        if !o.allocated {
            return;
        }
        let header = VirtAddr(o.body.0 - OBJECT_HEADER_SIZE);
        let _ = memory.write_u32(header.add(HEADER_POINTER_COUNT), o.refs);
        let _ = memory.write_u32(header.add(HEADER_HANDLE_COUNT), o.handles);
    }
}

/// The object `handle` names for thread `current`, pseudo handles included
/// (`NtCurrentThread()` is the caller's thread object).
pub fn resolve_handle(kernel: &Kernel, handle: u32, current: GuestThreadId) -> Option<ObjectId> {
    match handle {
        handle_table::CURRENT_THREAD => kernel.threads.object_of(current),
        _ => kernel.objects.lookup(handle),
    }
}

/// Like [`resolve_handle`] but also checks the object's type.
pub fn resolve_typed(
    kernel: &Kernel,
    handle: u32,
    current: GuestThreadId,
    ty: ObjectType,
) -> Result<ObjectId, NtStatus> {
    let id = resolve_handle(kernel, handle, current).ok_or(NtStatus::INVALID_HANDLE)?;
    match kernel.objects.get(id) {
        Some(o) if o.ty == ty => Ok(id),
        Some(_) => Err(NtStatus::OBJECT_TYPE_MISMATCH),
        None => Err(NtStatus::INVALID_HANDLE),
    }
}

/// Signals the event behind `handle` (completion of asynchronous I/O),
/// waking its waiters. `INVALID_HANDLE` if it is not an event.
pub fn signal_event_by_handle(kernel: &mut Kernel, handle: u32) -> NtStatus {
    let Some(id) = kernel.objects.lookup(handle) else { return NtStatus::INVALID_HANDLE };
    let Some(o) = kernel.objects.get(id) else { return NtStatus::INVALID_HANDLE };
    if o.ty != ObjectType::Event {
        return NtStatus::OBJECT_TYPE_MISMATCH;
    }
    let body = o.body;
    crate::threading::event::set_event(kernel, body);
    NtStatus::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_lives_until_its_last_reference_goes() {
        let k = Kernel::for_tests();
        let mut objects = Objects::default();
        let id = objects.create(&k.memory, ObjectType::Event, 0x10).unwrap();
        let body = objects.get(id).unwrap().body;
        let h1 = objects.add_handle(&k.memory, id).unwrap();
        let h2 = objects.add_handle(&k.memory, id).unwrap();
        objects.retain(&k.memory, id);
        assert_eq!(k.memory.read_u32(VirtAddr(body.0 - OBJECT_HEADER_SIZE)).unwrap(), 3);
        assert_eq!(objects.close(&k.memory, h1), NtStatus::SUCCESS);
        assert_eq!(objects.close(&k.memory, h1), NtStatus::INVALID_HANDLE);
        assert_eq!(objects.close(&k.memory, h2), NtStatus::SUCCESS);
        assert!(objects.get(id).is_some(), "the extra reference keeps it");
        objects.get_mut(id).unwrap().external = 77;
        objects.release(&k.memory, id);
        assert!(objects.get(id).is_none());
        assert_eq!(objects.by_body(body), None);
        assert_eq!(objects.take_destroyed(), vec![(ObjectType::Event, id, 77)]);
    }

    #[test]
    fn a_name_is_freed_with_the_last_handle() {
        let k = Kernel::for_tests();
        let mut objects = Objects::default();
        let id = objects.create(&k.memory, ObjectType::Event, 0x10).unwrap();
        let h = objects.add_handle(&k.memory, id).unwrap();
        assert_eq!(objects.set_name(id, "Ready"), NtStatus::SUCCESS);
        assert_eq!(objects.find_name("READY"), Some(id));
        let other = objects.create(&k.memory, ObjectType::Event, 0x10).unwrap();
        assert_eq!(objects.set_name(other, "ready"), NtStatus::OBJECT_NAME_COLLISION);
        objects.close(&k.memory, h);
        assert_eq!(objects.find_name("Ready"), None);
    }
}
