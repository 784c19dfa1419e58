//! The network exports of `xam.xex` (`NetDll_*`): the console's Winsock and
//! XNet, as a console whose network cable is unplugged sees them.
//!
//! The stack itself works: titles start it (`XNetStartup`, `WSAStartup`),
//! create, bind and configure sockets, wait in `select` and ask for their
//! address. There is no link, so nothing ever arrives and nothing can leave:
//! `XNetGetEthernetLinkStatus` is 0, the title address has no IP, and every
//! operation that would put a packet on the wire (or wait for one) fails
//! with `WSAENETDOWN`. Sockets are modelled in the kernel, not on host
//! sockets, so a run is the same on every host and under `--deterministic`.
//!
//! Calling conventions follow xenia `xam_net.cc`: most exports take the
//! caller type (`XNCALLER_TITLE` = 1) as their first argument; the event
//! exports, `__WSAFDIsSet`, `inet_addr` and the last-error pair do not.
//! Winsock keeps its error in the thread's last-error slot (`KTHREAD`
//! +0x160), the one `RtlGetLastError` reads (xenia-canary notes the console
//! shares it).
//!
//! Submodules: [`error`] (WSA error codes), [`winsock`] (start-up, sockets,
//! `select`, send and receive), [`events`] (`WSA*Event*`), [`xnet`]
//! (`XNet*`: start-up, addresses, options, random), [`lookup`] (DNS and
//! QoS lookups).

pub mod error;
pub mod events;
pub mod lookup;
pub mod winsock;
pub mod xnet;

use crate::kernel::Kernel;
use crate::threading::thread::KTHREAD_LAST_ERROR;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::{BTreeMap, BTreeSet};

/// `AF_INET`.
pub const AF_INET: u16 = 2;
/// Size of `sockaddr_in`: family, port, address, 8 zero bytes.
pub const SOCKADDR_IN_SIZE: u32 = 16;
/// `INADDR_ANY`.
pub const INADDR_ANY: u32 = 0;
/// `INADDR_BROADCAST`.
pub const INADDR_BROADCAST: u32 = 0xFFFF_FFFF;

/// The console's Ethernet address: a fixed one in a Microsoft OUI
/// (00:1D:D8), so two runs of a title see the same `XNADDR`.
pub const MAC_ADDRESS: [u8; 6] = [0x00, 0x1D, 0xD8, 0x58, 0x45, 0x01];

/// One socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Socket {
    pub kind: winsock::SocketKind,
    /// The protocol the title asked for (`IPPROTO_VDP` is kept as such).
    pub protocol: u32,
    /// Bound address and port (host order), once bound.
    pub bound: Option<(u32, u16)>,
    pub listening: bool,
    pub nonblocking: bool,
    /// `SD_RECEIVE`/`SD_SEND` after `shutdown`.
    pub shut_receive: bool,
    pub shut_send: bool,
    /// Options set with `setsockopt`, by (level, name), as the guest wrote them.
    pub options: BTreeMap<(u32, u32), u32>,
    /// `WSAEventSelect`: the event handle and the network events asked for.
    pub event_select: Option<(u32, u32)>,
    /// Overlapped receives waiting for data that will never come
    /// (`WSAOVERLAPPED` addresses).
    pub pending: Vec<VirtAddr>,
}

/// The network stack's state.
#[derive(Debug)]
pub struct Net {
    /// `WSAStartup` calls not yet matched by `WSACleanup`.
    pub wsa_starts: u32,
    /// `XNetStartup` was called (and not cleaned up).
    pub xnet_started: bool,
    /// The `XNetStartupParams` in effect (defaults filled in).
    pub params: xnet::StartupParams,
    /// Sockets by their `SOCKET` value.
    pub sockets: BTreeMap<u32, Socket>,
    next_socket: u32,
    next_ephemeral_port: u16,
    /// The system-link port, host order.
    pub system_link_port: u16,
    /// `XNetRandom`'s generator, seeded on first use.
    random: Option<xnet::Random>,
    /// `XNDNS` and `XNQOS` blocks handed out and not yet released.
    pub lookups: BTreeSet<u32>,
    /// Unknown `XNetGetOpt`/`XNetSetOpt` options already logged.
    reported_options: BTreeSet<(&'static str, u32)>,
}

impl Default for Net {
    fn default() -> Net {
        Net {
            wsa_starts: 0,
            xnet_started: false,
            params: xnet::StartupParams::default(),
            sockets: BTreeMap::new(),
            next_socket: FIRST_SOCKET,
            next_ephemeral_port: FIRST_EPHEMERAL_PORT,
            system_link_port: xnet::DEFAULT_SYSTEM_LINK_PORT,
            random: None,
            lookups: BTreeSet::new(),
            reported_options: BTreeSet::new(),
        }
    }
}

/// `SOCKET` values are handed out from here in steps of 4, never reused.
const FIRST_SOCKET: u32 = 0x100;
/// Ports `bind` picks for port 0 (the IANA dynamic range, as Winsock does).
const FIRST_EPHEMERAL_PORT: u16 = 49152;

impl Net {
    /// Whether the stack is up (`WSAStartup` or `XNetStartup`).
    pub fn started(&self) -> bool {
        self.wsa_starts > 0 || self.xnet_started
    }

    fn new_socket_value(&mut self) -> u32 {
        let s = self.next_socket;
        self.next_socket += 4;
        s
    }

    fn ephemeral_port(&mut self) -> u16 {
        loop {
            let port = self.next_ephemeral_port;
            self.next_ephemeral_port = self.next_ephemeral_port.checked_add(1).unwrap_or(FIRST_EPHEMERAL_PORT);
            if !self.sockets.values().any(|s| s.bound.is_some_and(|(_, p)| p == port)) {
                return port;
            }
        }
    }
}

/// Sets `thread`'s last error (`KTHREAD` +0x160).
pub fn set_last_error(kernel: &Kernel, thread: GuestThreadId, code: u32) {
    if let Some(t) = kernel.threads.get(thread) {
        let _ = kernel.memory.write_u32(t.kthread.add(KTHREAD_LAST_ERROR), code);
    }
}

/// `thread`'s last error.
pub fn last_error(kernel: &Kernel, thread: GuestThreadId) -> u32 {
    kernel.threads.get(thread).and_then(|t| kernel.memory.read_u32(t.kthread.add(KTHREAD_LAST_ERROR)).ok()).unwrap_or(0)
}

/// An IPv4 `sockaddr_in` as the guest lays it out: family u16 0x0, port
/// u16 0x2 (network order, which is the guest's), address u32 0x4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockAddrIn {
    pub family: u16,
    pub port: u16,
    pub addr: u32,
}

impl SockAddrIn {
    pub fn read(m: &GuestMemory, at: VirtAddr) -> Option<SockAddrIn> {
        Some(SockAddrIn {
            family: m.read_u16(at).ok()?,
            port: m.read_u16(at.add(2)).ok()?,
            addr: m.read_u32(at.add(4)).ok()?,
        })
    }

    pub fn write(self, m: &GuestMemory, at: VirtAddr) -> Option<()> {
        m.write_u16(at, self.family).ok()?;
        m.write_u16(at.add(2), self.port).ok()?;
        m.write_u32(at.add(4), self.addr).ok()?;
        m.fill(at.add(8), 8, 0).ok()
    }
}

/// Reads a NUL-terminated string of at most `max` bytes.
pub fn read_c_string(m: &GuestMemory, at: VirtAddr, max: u32) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for i in 0..max {
        match m.read_u8(at.add(i)).ok()? {
            0 => return Some(out),
            b => out.push(b),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn the_last_error_is_kept_per_thread_in_the_kthread() {
        let (k, a) = kernel_with_thread();
        let mut k = k;
        let b = spawn(&mut k, 0x8200_0100);
        set_last_error(&k, a, error::WSAEWOULDBLOCK);
        set_last_error(&k, b, error::WSAENETDOWN);
        assert_eq!(last_error(&k, a), 10035);
        assert_eq!(last_error(&k, b), 10050);
        let kthread = k.threads.get(a).unwrap().kthread;
        assert_eq!(k.memory.read_u32(kthread.add(0x160)).unwrap(), 10035);
    }

    #[test]
    fn a_sockaddr_round_trips_big_endian_with_zero_padding() {
        let mut k = Kernel::for_tests();
        let at = scratch(&mut k, 16);
        k.memory.fill(at, 16, 0xAA).unwrap();
        SockAddrIn { family: AF_INET, port: 3074, addr: 0x7F00_0001 }.write(&k.memory, at).unwrap();
        let mut raw = [0u8; 16];
        k.memory.read_bytes(at, &mut raw).unwrap();
        assert_eq!(raw, [0, 2, 0x0C, 0x02, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(SockAddrIn::read(&k.memory, at).unwrap().port, 3074);
    }
}
