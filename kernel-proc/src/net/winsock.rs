//! Winsock: start-up and clean-up, the last error, sockets and their
//! options, `select`, and sending and receiving with no link.
//!
//! A failed call returns `SOCKET_ERROR` (or `INVALID_SOCKET`) and leaves
//! its WSA error in the calling thread's last-error slot. Errors are
//! checked in the order Winsock documents them: the stack must be started
//! (`WSANOTINITIALISED`), the socket must exist (`WSAENOTSOCK`), then the
//! arguments and the socket's state; only an operation that would really
//! use the wire reaches `WSAENETDOWN`.
//!
//! Readiness without a link: nothing is ever readable (no datagram, no
//! connection, no stream data arrives), a datagram socket is writable (its
//! send buffer is empty; the send itself then fails), a stream socket
//! never connects so it is never writable. `select` with nothing ready
//! waits out its timeout in guest time and returns 0.
//!
//! Structures (xenia `xam_net.cc`): `WSADATA` is 0x190 bytes (version u16
//! 0x0, high version u16 0x2, description 0x4, status 0x105, max sockets
//! u16 0x186, max datagram u16 0x188, vendor info 0x18C); `fd_set` is a
//! count and 64 `SOCKET`s; `timeval` two 32-bit words; `WSABUF` length and
//! pointer; `WSAOVERLAPPED` is Internal 0x0, InternalHigh 0x4, offsets,
//! event handle 0x10.

use super::error::*;
use super::{last_error, set_last_error, SockAddrIn, Socket, AF_INET, INADDR_ANY, INADDR_BROADCAST, SOCKADDR_IN_SIZE};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::status::NtStatus;
use crate::threading::wait;
use shared::memory::VirtAddr;
use std::collections::BTreeMap;
use std::time::Duration;

/// `WSADATA` offsets and size.
pub const WSADATA_VERSION: u32 = 0x0;
pub const WSADATA_HIGH_VERSION: u32 = 0x2;
pub const WSADATA_DESCRIPTION: u32 = 0x4;
pub const WSADATA_MAX_SOCKETS: u32 = 0x186;
pub const WSADATA_VENDOR_INFO: u32 = 0x18C;
pub const WSADATA_SIZE: u32 = 0x190;
/// The highest Winsock version the console offers: 2.2 (`MAKEWORD(2, 2)`).
pub const HIGHEST_VERSION: u16 = 0x0202;

/// `FD_SETSIZE` on the console.
pub const FD_SETSIZE: u32 = 64;
/// Bytes of an `fd_set`: count, then the sockets.
pub const FD_SET_SIZE: u32 = 4 + 4 * FD_SETSIZE;

pub const SOCK_STREAM: u32 = 1;
pub const SOCK_DGRAM: u32 = 2;
pub const IPPROTO_TCP: u32 = 6;
pub const IPPROTO_UDP: u32 = 17;
/// The console's voice-and-data protocol, a layer over UDP.
pub const IPPROTO_VDP: u32 = 254;

pub const SOL_SOCKET: u32 = 0xFFFF;
pub const SO_ACCEPTCONN: u32 = 0x0002;
pub const SO_REUSEADDR: u32 = 0x0004;
pub const SO_BROADCAST: u32 = 0x0020;
pub const SO_LINGER: u32 = 0x0080;
pub const SO_DONTLINGER: u32 = !SO_LINGER;
pub const SO_EXCLUSIVEADDRUSE: u32 = !SO_REUSEADDR;
pub const SO_SNDBUF: u32 = 0x1001;
pub const SO_RCVBUF: u32 = 0x1002;
pub const SO_ERROR: u32 = 0x1007;
pub const SO_TYPE: u32 = 0x1008;
pub const TCP_NODELAY: u32 = 0x0001;

/// `ioctlsocket` commands.
pub const FIONBIO: u32 = 0x8004_667E;
pub const FIONREAD: u32 = 0x4004_667F;

/// `shutdown` directions.
pub const SD_RECEIVE: u32 = 0;
pub const SD_SEND: u32 = 1;
pub const SD_BOTH: u32 = 2;

/// `WSAOVERLAPPED` offsets.
pub const OVERLAPPED_INTERNAL: u32 = 0x0;
pub const OVERLAPPED_INTERNAL_HIGH: u32 = 0x4;
pub const OVERLAPPED_EVENT: u32 = 0x10;
const STATUS_CANCELLED: u32 = 0xC000_0120;

/// Stream (TCP) or datagram (UDP, VDP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketKind {
    Stream,
    Datagram,
}

/// A Winsock result: a value, or the WSA error the caller's thread gets.
type WsaResult<T> = Result<T, u32>;

/// Returns `Ok` values as they are; an error goes to the thread's last
/// error and the call returns `SOCKET_ERROR`.
fn finish(kernel: &Kernel, call: &Call, result: WsaResult<i32>) -> i32 {
    result.unwrap_or_else(|code| {
        set_last_error(kernel, call.thread, code);
        SOCKET_ERROR
    })
}

fn initialised(kernel: &Kernel) -> WsaResult<()> {
    if kernel.net.wsa_starts == 0 {
        return Err(WSANOTINITIALISED);
    }
    Ok(())
}

fn socket_mut(kernel: &mut Kernel, s: u32) -> WsaResult<&mut Socket> {
    initialised(kernel)?;
    kernel.net.sockets.get_mut(&s).ok_or(WSAENOTSOCK)
}

fn socket_ref(kernel: &Kernel, s: u32) -> WsaResult<&Socket> {
    initialised(kernel)?;
    kernel.net.sockets.get(&s).ok_or(WSAENOTSOCK)
}

/// `WSAStartup(Caller, VersionRequested, WSADATA*)`: the error itself is
/// the return value. Versions below 1.1 are refused; the version in use is
/// the lower of the request and 2.2.
pub fn wsa_startup(kernel: &mut Kernel, _caller: u32, version: u16, data: Option<VirtAddr>) -> u32 {
    let (major, minor) = (version & 0xFF, version >> 8);
    if major == 0 || (major == 1 && minor == 0) {
        return WSAVERNOTSUPPORTED;
    }
    let Some(data) = data else { return WSAEFAULT };
    let in_use = if (major, minor) > (2, 2) { HIGHEST_VERSION } else { version };
    let m = &kernel.memory;
    // Winsock 2 leaves the description, status and the 1.1 limits empty;
    // the vendor pointer is the title's own and stays as it is (xenia
    // notes a title that checks it survives the call).
    let vendor = m.read_u32(data.add(WSADATA_VENDOR_INFO)).unwrap_or(0);
    if m.fill(data, WSADATA_SIZE, 0).is_err() {
        return WSAEFAULT;
    }
    let _ = m.write_u16(data.add(WSADATA_VERSION), in_use);
    let _ = m.write_u16(data.add(WSADATA_HIGH_VERSION), HIGHEST_VERSION);
    let _ = m.write_u32(data.add(WSADATA_VENDOR_INFO), vendor);
    kernel.net.wsa_starts += 1;
    0
}

/// `WSAStartupEx(Caller, VersionRequested, WSADATA*, VersionReq)`.
pub fn wsa_startup_ex(kernel: &mut Kernel, caller: u32, version: u16, data: Option<VirtAddr>, _req: u32) -> u32 {
    wsa_startup(kernel, caller, version, data)
}

/// `WSACleanup(Caller)`: undoes one `WSAStartup`; the last one closes
/// every socket.
pub fn wsa_cleanup(kernel: &mut Kernel, _caller: u32, call: Call) -> i32 {
    let result = initialised(kernel).map(|()| {
        kernel.net.wsa_starts -= 1;
        if kernel.net.wsa_starts == 0 {
            for s in kernel.net.sockets.keys().copied().collect::<Vec<_>>() {
                close(kernel, s);
            }
        }
        0
    });
    finish(kernel, &call, result)
}

/// `WSAGetLastError()`: the thread's last error.
pub fn wsa_get_last_error(kernel: &mut Kernel, call: Call) -> u32 {
    last_error(kernel, call.thread)
}

/// `WSASetLastError(Error)`.
pub fn wsa_set_last_error(kernel: &mut Kernel, code: u32, call: Call) {
    set_last_error(kernel, call.thread, code);
}

/// `socket(Caller, Family, Type, Protocol)`: a new socket, at most as many
/// of each kind as `XNetStartupParams` allows (`WSAEMFILE` past that).
pub fn socket(kernel: &mut Kernel, _caller: u32, family: u32, ty: u32, protocol: u32, call: Call) -> u32 {
    let result = (|| {
        initialised(kernel)?;
        if family != AF_INET as u32 {
            return Err(WSAEAFNOSUPPORT);
        }
        let kind = match ty {
            SOCK_STREAM => SocketKind::Stream,
            SOCK_DGRAM => SocketKind::Datagram,
            _ => return Err(WSAESOCKTNOSUPPORT),
        };
        let protocol = match (kind, protocol) {
            (SocketKind::Stream, 0) => IPPROTO_TCP,
            (SocketKind::Datagram, 0) => IPPROTO_UDP,
            (SocketKind::Stream, IPPROTO_TCP) | (SocketKind::Datagram, IPPROTO_UDP | IPPROTO_VDP) => protocol,
            _ => return Err(WSAEPROTONOSUPPORT),
        };
        let limit = match kind {
            SocketKind::Stream => kernel.net.params.max_stream_sockets,
            SocketKind::Datagram => kernel.net.params.max_dgram_sockets,
        };
        if kernel.net.sockets.values().filter(|s| s.kind == kind).count() >= limit as usize {
            return Err(WSAEMFILE);
        }
        let s = kernel.net.new_socket_value();
        let socket = Socket {
            kind,
            protocol,
            bound: None,
            listening: false,
            nonblocking: false,
            shut_receive: false,
            shut_send: false,
            options: BTreeMap::new(),
            event_select: None,
            pending: Vec::new(),
        };
        kernel.net.sockets.insert(s, socket);
        Ok(s)
    })();
    result.unwrap_or_else(|code| {
        set_last_error(kernel, call.thread, code);
        INVALID_SOCKET
    })
}

/// Ends the overlapped receives of `s`: each completes cancelled and its
/// event is set.
fn cancel_pending(kernel: &mut Kernel, s: u32) {
    let Some(socket) = kernel.net.sockets.get_mut(&s) else { return };
    for overlapped in std::mem::take(&mut socket.pending) {
        let m = &kernel.memory;
        let _ = m.write_u32(overlapped.add(OVERLAPPED_INTERNAL), STATUS_CANCELLED);
        let _ = m.write_u32(overlapped.add(OVERLAPPED_INTERNAL_HIGH), 0);
        let event = m.read_u32(overlapped.add(OVERLAPPED_EVENT)).unwrap_or(0);
        if event != 0 {
            crate::ob::signal_event_by_handle(kernel, event);
        }
    }
}

fn close(kernel: &mut Kernel, s: u32) {
    cancel_pending(kernel, s);
    kernel.net.sockets.remove(&s);
}

/// `closesocket(Caller, Socket)`.
pub fn closesocket(kernel: &mut Kernel, _caller: u32, s: u32, call: Call) -> i32 {
    let result = socket_ref(kernel, s).map(|_| ());
    let result = result.map(|()| {
        close(kernel, s);
        0
    });
    finish(kernel, &call, result)
}

/// `shutdown(Caller, Socket, How)`: a stream socket is never connected
/// (`WSAENOTCONN`); a datagram socket records the direction.
pub fn shutdown(kernel: &mut Kernel, _caller: u32, s: u32, how: u32, call: Call) -> i32 {
    let result = socket_mut(kernel, s).and_then(|socket| {
        if how > SD_BOTH {
            return Err(WSAEINVAL);
        }
        if socket.kind == SocketKind::Stream {
            return Err(WSAENOTCONN);
        }
        socket.shut_receive |= how != SD_SEND;
        socket.shut_send |= how != SD_RECEIVE;
        Ok(0)
    });
    finish(kernel, &call, result)
}

/// `ioctlsocket(Caller, Socket, Command, u_long* Argument)`: `FIONBIO`
/// sets blocking mode, `FIONREAD` reads 0 bytes waiting.
pub fn ioctlsocket(kernel: &mut Kernel, _caller: u32, s: u32, cmd: u32, arg: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    let result = socket_mut(kernel, s).and_then(|socket| {
        let arg = arg.ok_or(WSAEFAULT)?;
        match cmd {
            FIONBIO => {
                let on = memory.read_u32(arg).map_err(|_| WSAEFAULT)? != 0;
                if !on && socket.event_select.is_some() {
                    // A socket under WSAEventSelect stays nonblocking.
                    return Err(WSAEINVAL);
                }
                socket.nonblocking = on;
            }
            FIONREAD => memory.write_u32(arg, 0).map_err(|_| WSAEFAULT)?,
            _ => return Err(WSAEINVAL),
        }
        Ok(0)
    });
    finish(kernel, &call, result)
}

/// What a known option reads as before anything sets it, for `socket`;
/// `None` for an option the console does not have.
fn option_default(kernel: &Kernel, socket: &Socket, level: u32, name: u32) -> Option<u32> {
    let params = &kernel.net.params;
    Some(match (level, name) {
        (SOL_SOCKET, 0x0001 | SO_REUSEADDR | 0x0008 | 0x0010 | SO_BROADCAST | SO_LINGER | 0x0100) => 0,
        (SOL_SOCKET, SO_DONTLINGER) => 1,
        (SOL_SOCKET, SO_EXCLUSIVEADDRUSE) => 0,
        (SOL_SOCKET, SO_SNDBUF) => params.send_buffer_k as u32 * 1024,
        (SOL_SOCKET, SO_RCVBUF) => params.receive_buffer_k as u32 * 1024,
        // SO_SNDTIMEO, SO_RCVTIMEO: 0 = wait forever.
        (SOL_SOCKET, 0x1005 | 0x1006) => 0,
        // The console's own: marking a socket insecure (xenia `xsocket.cc`).
        (SOL_SOCKET, 0x5801 | 0x5802) => 0,
        (IPPROTO_TCP, TCP_NODELAY) if socket.kind == SocketKind::Stream => 0,
        _ => return None,
    })
}

/// `setsockopt(Caller, Socket, Level, Name, Value*, Length)`.
pub fn setsockopt(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    level: u32,
    name: u32,
    value: Option<VirtAddr>,
    length: u32,
    call: Call,
) -> i32 {
    let result = (|| {
        let socket = socket_ref(kernel, s)?;
        let read_only = level == SOL_SOCKET && matches!(name, SO_ACCEPTCONN | SO_ERROR | SO_TYPE);
        if read_only || option_default(kernel, socket, level, name).is_none() {
            return Err(WSAENOPROTOOPT);
        }
        let value = value.filter(|_| length >= 4).ok_or(WSAEFAULT)?;
        let v = kernel.memory.read_u32(value).map_err(|_| WSAEFAULT)?;
        let socket = kernel.net.sockets.get_mut(&s).expect("checked above");
        // SO_DONTLINGER is SO_LINGER's on/off half, seen from the other side.
        match (level, name) {
            (SOL_SOCKET, SO_DONTLINGER) => {
                let linger = socket.options.get(&(SOL_SOCKET, SO_LINGER)).copied().unwrap_or(0);
                let on = if v != 0 { 0 } else { 1u32 << 16 };
                socket.options.insert((SOL_SOCKET, SO_LINGER), (linger & 0xFFFF) | on);
            }
            _ => {
                socket.options.insert((level, name), v);
            }
        }
        Ok(0)
    })();
    finish(kernel, &call, result)
}

/// `getsockopt(Caller, Socket, Level, Name, Value*, Length*)`.
pub fn getsockopt(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    level: u32,
    name: u32,
    value: Option<VirtAddr>,
    length: Option<VirtAddr>,
    call: Call,
) -> i32 {
    let result = (|| {
        let socket = socket_ref(kernel, s)?;
        let v = match (level, name) {
            (SOL_SOCKET, SO_ACCEPTCONN) => socket.listening as u32,
            (SOL_SOCKET, SO_ERROR) => 0,
            (SOL_SOCKET, SO_TYPE) => match socket.kind {
                SocketKind::Stream => SOCK_STREAM,
                SocketKind::Datagram => SOCK_DGRAM,
            },
            (SOL_SOCKET, SO_DONTLINGER) => {
                let linger = socket.options.get(&(SOL_SOCKET, SO_LINGER)).copied().unwrap_or(0);
                (linger >> 16 == 0) as u32
            }
            _ => {
                let default = option_default(kernel, socket, level, name).ok_or(WSAENOPROTOOPT)?;
                socket.options.get(&(level, name)).copied().unwrap_or(default)
            }
        };
        let (value, length) = value.zip(length).ok_or(WSAEFAULT)?;
        let m = &kernel.memory;
        if m.read_u32(length).map_err(|_| WSAEFAULT)? < 4 {
            return Err(WSAEFAULT);
        }
        m.write_u32(value, v).map_err(|_| WSAEFAULT)?;
        m.write_u32(length, 4).map_err(|_| WSAEFAULT)?;
        Ok(0)
    })();
    finish(kernel, &call, result)
}

/// `bind(Caller, Socket, sockaddr*, Length)`: only `INADDR_ANY` is a local
/// address (the console has no IP); port 0 picks a free port; a port taken
/// by a socket of the same kind needs `SO_REUSEADDR` on the new one.
pub fn bind(kernel: &mut Kernel, _caller: u32, s: u32, name: Option<VirtAddr>, length: u32, call: Call) -> i32 {
    let result = (|| {
        let socket = socket_ref(kernel, s)?;
        let kind = socket.kind;
        let reuse = socket.options.get(&(SOL_SOCKET, SO_REUSEADDR)).is_some_and(|&v| v != 0);
        let name = name.filter(|_| length >= SOCKADDR_IN_SIZE).ok_or(WSAEFAULT)?;
        let addr = SockAddrIn::read(&kernel.memory, name).ok_or(WSAEFAULT)?;
        if socket.bound.is_some() {
            return Err(WSAEINVAL);
        }
        if addr.family != AF_INET {
            return Err(WSAEAFNOSUPPORT);
        }
        if addr.addr != INADDR_ANY {
            return Err(WSAEADDRNOTAVAIL);
        }
        let port = match addr.port {
            0 => kernel.net.ephemeral_port(),
            port => {
                let taken =
                    kernel.net.sockets.values().any(|o| o.kind == kind && o.bound.is_some_and(|(_, p)| p == port));
                if taken && !reuse {
                    return Err(WSAEADDRINUSE);
                }
                port
            }
        };
        kernel.net.sockets.get_mut(&s).expect("checked above").bound = Some((addr.addr, port));
        Ok(0)
    })();
    finish(kernel, &call, result)
}

/// `getsockname(Caller, Socket, sockaddr*, Length*)`.
pub fn getsockname(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    name: Option<VirtAddr>,
    length: Option<VirtAddr>,
    call: Call,
) -> i32 {
    let result = (|| {
        let (addr, port) = socket_ref(kernel, s)?.bound.ok_or(WSAEINVAL)?;
        let (name, length) = name.zip(length).ok_or(WSAEFAULT)?;
        let m = &kernel.memory;
        if m.read_u32(length).map_err(|_| WSAEFAULT)? < SOCKADDR_IN_SIZE {
            return Err(WSAEFAULT);
        }
        SockAddrIn { family: AF_INET, port, addr }.write(m, name).ok_or(WSAEFAULT)?;
        m.write_u32(length, SOCKADDR_IN_SIZE).map_err(|_| WSAEFAULT)?;
        Ok(0)
    })();
    finish(kernel, &call, result)
}

/// `getpeername(Caller, Socket, sockaddr*, Length*)`: never connected.
pub fn getpeername(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _name: Option<VirtAddr>,
    _length: Option<VirtAddr>,
    call: Call,
) -> i32 {
    let result = socket_ref(kernel, s).and(Err(WSAENOTCONN));
    finish(kernel, &call, result)
}

/// `connect(Caller, Socket, sockaddr*, Length)`: reaching a peer needs the
/// wire, so a valid request fails with `WSAENETDOWN`.
pub fn connect(kernel: &mut Kernel, _caller: u32, s: u32, name: Option<VirtAddr>, length: u32, call: Call) -> i32 {
    let result = (|| {
        let socket = socket_ref(kernel, s)?;
        if socket.listening {
            return Err(WSAEINVAL);
        }
        let name = name.filter(|_| length >= SOCKADDR_IN_SIZE).ok_or(WSAEFAULT)?;
        let addr = SockAddrIn::read(&kernel.memory, name).ok_or(WSAEFAULT)?;
        if addr.family != AF_INET {
            return Err(WSAEAFNOSUPPORT);
        }
        if addr.addr == INADDR_ANY || addr.port == 0 {
            return Err(WSAEADDRNOTAVAIL);
        }
        Err(WSAENETDOWN)
    })();
    finish(kernel, &call, result)
}

/// `listen(Caller, Socket, Backlog)`: a bound stream socket starts
/// listening (no connection will come).
pub fn listen(kernel: &mut Kernel, _caller: u32, s: u32, _backlog: i32, call: Call) -> i32 {
    let result = socket_mut(kernel, s).and_then(|socket| {
        if socket.kind != SocketKind::Stream {
            return Err(WSAEOPNOTSUPP);
        }
        if socket.bound.is_none() {
            return Err(WSAEINVAL);
        }
        socket.listening = true;
        Ok(0)
    });
    finish(kernel, &call, result)
}

/// `accept(Caller, Socket, sockaddr*, Length*)`: no connection arrives; a
/// nonblocking socket says so, a blocking one fails with `WSAENETDOWN`
/// rather than wait forever.
pub fn accept(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _addr: Option<VirtAddr>,
    _length: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let code = match socket_ref(kernel, s) {
        Err(code) => code,
        Ok(socket) if !socket.listening => WSAEINVAL,
        Ok(socket) if socket.nonblocking => WSAEWOULDBLOCK,
        Ok(_) => WSAENETDOWN,
    };
    set_last_error(kernel, call.thread, code);
    INVALID_SOCKET
}

/// Whether `s` may receive: the checks every receive makes before it
/// would wait for data.
fn check_receive(kernel: &Kernel, s: u32) -> WsaResult<&Socket> {
    let socket = socket_ref(kernel, s)?;
    match socket.kind {
        SocketKind::Stream => Err(WSAENOTCONN),
        SocketKind::Datagram if socket.bound.is_none() => Err(WSAEINVAL),
        SocketKind::Datagram if socket.shut_receive => Err(WSAESHUTDOWN),
        SocketKind::Datagram => Ok(socket),
    }
}

/// A receive with no data, ever: nonblocking sockets get
/// `WSAEWOULDBLOCK`; a blocking one fails with `WSAENETDOWN` (the link is
/// down) rather than wait forever.
fn receive(kernel: &Kernel, s: u32) -> WsaResult<i32> {
    let socket = check_receive(kernel, s)?;
    Err(if socket.nonblocking { WSAEWOULDBLOCK } else { WSAENETDOWN })
}

/// `recv(Caller, Socket, Buffer, Length, Flags)`.
pub fn recv(kernel: &mut Kernel, _caller: u32, s: u32, _buf: u32, _len: u32, _flags: u32, call: Call) -> i32 {
    let result = receive(kernel, s);
    finish(kernel, &call, result)
}

/// `recvfrom(Caller, Socket, Buffer, Length, Flags, From*, FromLength*)`.
pub fn recvfrom(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _buf: u32,
    _len: u32,
    _flags: u32,
    _from: Option<VirtAddr>,
    _from_length: Option<VirtAddr>,
    call: Call,
) -> i32 {
    let result = receive(kernel, s);
    finish(kernel, &call, result)
}

/// A send: with a destination (`sendto` on a datagram socket) the
/// address is checked, then the wire is needed (`WSAENETDOWN`).
fn transmit(kernel: &Kernel, s: u32, to: Option<(Option<VirtAddr>, u32)>) -> WsaResult<i32> {
    let socket = socket_ref(kernel, s)?;
    if socket.shut_send {
        return Err(WSAESHUTDOWN);
    }
    let (SocketKind::Datagram, Some((to, length))) = (socket.kind, to) else {
        // Never connected: neither kind has a peer to send to.
        return Err(WSAENOTCONN);
    };
    let to = to.filter(|_| length >= SOCKADDR_IN_SIZE).ok_or(WSAEFAULT)?;
    let addr = SockAddrIn::read(&kernel.memory, to).ok_or(WSAEFAULT)?;
    if addr.family != AF_INET {
        return Err(WSAEAFNOSUPPORT);
    }
    if addr.addr == INADDR_ANY || addr.port == 0 {
        return Err(WSAEADDRNOTAVAIL);
    }
    let broadcast = socket.options.get(&(SOL_SOCKET, SO_BROADCAST)).is_some_and(|&v| v != 0);
    if addr.addr == INADDR_BROADCAST && !broadcast {
        return Err(WSAEACCES);
    }
    Err(WSAENETDOWN)
}

/// `send(Caller, Socket, Buffer, Length, Flags)`.
pub fn send(kernel: &mut Kernel, _caller: u32, s: u32, _buf: u32, _len: u32, _flags: u32, call: Call) -> i32 {
    let result = transmit(kernel, s, None);
    finish(kernel, &call, result)
}

/// `sendto(Caller, Socket, Buffer, Length, Flags, To*, ToLength)`.
pub fn sendto(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _buf: u32,
    _len: u32,
    _flags: u32,
    to: Option<VirtAddr>,
    to_length: u32,
    call: Call,
) -> i32 {
    let result = transmit(kernel, s, Some((to, to_length)));
    finish(kernel, &call, result)
}

/// `WSASend(Caller, Socket, WSABUF*, Count, Sent*, Flags, Overlapped*, Routine)`.
pub fn wsa_send(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _buffers: u32,
    _count: u32,
    _sent: Option<VirtAddr>,
    _flags: u32,
    _overlapped: Option<VirtAddr>,
    _routine: u32,
    call: Call,
) -> i32 {
    let result = transmit(kernel, s, None);
    finish(kernel, &call, result)
}

/// `WSASendTo(Caller, Socket, WSABUF*, Count, Sent*, Flags, To*, ToLength,
/// Overlapped*, Routine)`.
pub fn wsa_send_to(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _buffers: u32,
    _count: u32,
    _sent: Option<VirtAddr>,
    _flags: u32,
    to: Option<VirtAddr>,
    to_length: u32,
    _overlapped: Option<VirtAddr>,
    _routine: u32,
    call: Call,
) -> i32 {
    let result = transmit(kernel, s, Some((to, to_length)));
    finish(kernel, &call, result)
}

/// An overlapped receive or an ordinary one: the overlapped kind stays
/// pending (`WSA_IO_PENDING`, Internal = `STATUS_PENDING`) until the socket
/// is closed or its I/O cancelled.
fn wsa_receive(kernel: &mut Kernel, s: u32, overlapped: Option<VirtAddr>) -> WsaResult<i32> {
    let Some(overlapped) = overlapped else { return receive(kernel, s) };
    check_receive(kernel, s)?;
    let m = &kernel.memory;
    m.write_u32(overlapped.add(OVERLAPPED_INTERNAL), NtStatus::PENDING.0).map_err(|_| WSAEFAULT)?;
    let _ = m.write_u32(overlapped.add(OVERLAPPED_INTERNAL_HIGH), 0);
    kernel.net.sockets.get_mut(&s).expect("checked above").pending.push(overlapped);
    Err(WSA_IO_PENDING)
}

/// `WSARecv(Caller, Socket, WSABUF*, Count, Received*, Flags*, Overlapped*, Routine)`.
pub fn wsa_recv(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _buffers: u32,
    _count: u32,
    _received: Option<VirtAddr>,
    _flags: Option<VirtAddr>,
    overlapped: Option<VirtAddr>,
    _routine: u32,
    call: Call,
) -> i32 {
    let result = wsa_receive(kernel, s, overlapped);
    finish(kernel, &call, result)
}

/// `WSARecvFrom(Caller, Socket, WSABUF*, Count, Received*, Flags*, From*,
/// FromLength*, Overlapped*, Routine)`.
pub fn wsa_recv_from(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    _buffers: u32,
    _count: u32,
    _received: Option<VirtAddr>,
    _flags: Option<VirtAddr>,
    _from: Option<VirtAddr>,
    _from_length: Option<VirtAddr>,
    overlapped: Option<VirtAddr>,
    _routine: u32,
    call: Call,
) -> i32 {
    let result = wsa_receive(kernel, s, overlapped);
    finish(kernel, &call, result)
}

/// `WSACancelOverlappedIO(Caller, Socket)`: pending receives complete
/// cancelled.
pub fn wsa_cancel_overlapped_io(kernel: &mut Kernel, _caller: u32, s: u32, call: Call) -> i32 {
    let result = socket_ref(kernel, s).map(|_| ());
    let result = result.map(|()| {
        cancel_pending(kernel, s);
        0
    });
    finish(kernel, &call, result)
}

/// `WSAGetOverlappedResult(Caller, Socket, Overlapped*, Transferred*, Wait,
/// Flags*)`: a pending receive is incomplete; waiting for it waits on its
/// event until it is cancelled (the only way it ends), which reads as
/// `FALSE` with `WSA_OPERATION_ABORTED`.
pub fn wsa_get_overlapped_result(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    overlapped: VirtAddr,
    transferred: Option<VirtAddr>,
    wait: bool,
    flags: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let fail = |kernel: &Kernel, code| {
        set_last_error(kernel, call.thread, code);
        Outcome::value(0)
    };
    if let Err(code) = socket_ref(kernel, s) {
        return fail(kernel, code);
    }
    let m = &kernel.memory;
    let Ok(status) = m.read_u32(overlapped.add(OVERLAPPED_INTERNAL)) else { return fail(kernel, WSAEFAULT) };
    let length = m.read_u32(overlapped.add(OVERLAPPED_INTERNAL_HIGH)).unwrap_or(0);
    if let Some(out) = transferred {
        let _ = m.write_u32(out, length);
    }
    if let Some(out) = flags {
        let _ = m.write_u32(out, 0);
    }
    match status {
        0 => Outcome::value(1),
        STATUS_CANCELLED => fail(kernel, WSA_OPERATION_ABORTED),
        s if s == NtStatus::PENDING.0 => {
            let event = m.read_u32(overlapped.add(OVERLAPPED_EVENT)).unwrap_or(0);
            let header = kernel.objects.lookup(event).and_then(|id| kernel.objects.get(id)).map(|o| o.body);
            match header {
                Some(header) if wait => {
                    set_last_error(kernel, call.thread, WSA_OPERATION_ABORTED);
                    let req = wait::Request::new(vec![header], "NetDll_WSAGetOverlappedResult");
                    wait::begin(kernel, call.thread, call.args.lr, req)
                }
                _ => fail(kernel, WSA_IO_INCOMPLETE),
            }
        }
        other => fail(kernel, crate::rtl::error::nt_status_to_dos_error(other)),
    }
}

/// The sockets of the `fd_set` at `set` (`WSAENOTSOCK` for one that is
/// not a socket, `WSAEINVAL` for a count past `FD_SETSIZE`).
fn read_fd_set(kernel: &Kernel, set: VirtAddr) -> WsaResult<Vec<u32>> {
    let m = &kernel.memory;
    let count = m.read_u32(set).map_err(|_| WSAEFAULT)?;
    if count > FD_SETSIZE {
        return Err(WSAEINVAL);
    }
    let mut sockets = Vec::with_capacity(count as usize);
    for i in 0..count {
        let s = m.read_u32(set.add(4 + 4 * i)).map_err(|_| WSAEFAULT)?;
        if !kernel.net.sockets.contains_key(&s) {
            return Err(WSAENOTSOCK);
        }
        sockets.push(s);
    }
    Ok(sockets)
}

fn write_fd_set(kernel: &Kernel, set: VirtAddr, sockets: &[u32]) {
    let m = &kernel.memory;
    let _ = m.write_u32(set, sockets.len() as u32);
    for (i, &s) in sockets.iter().enumerate() {
        let _ = m.write_u32(set.add(4 + 4 * i as u32), s);
    }
}

/// Whether `s` is ready in set `which` (0 read, 1 write, 2 except).
fn is_ready(kernel: &Kernel, s: u32, which: usize) -> bool {
    let socket = &kernel.net.sockets[&s];
    which == 1 && socket.kind == SocketKind::Datagram && !socket.shut_send
}

/// `select(Caller, Nfds, Read*, Write*, Except*, timeval*)`: the sets keep
/// only the ready sockets and the count of them is returned; with none
/// ready it waits out the timeout in guest time (forever without one) and
/// returns 0 with the sets emptied.
pub fn select(
    kernel: &mut Kernel,
    _caller: u32,
    _nfds: u32,
    read: Option<VirtAddr>,
    write: Option<VirtAddr>,
    except: Option<VirtAddr>,
    timeout: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let fail = |kernel: &Kernel, code| Outcome::value(finish(kernel, &call, Err(code)) as i64 as u64);
    if let Err(code) = initialised(kernel) {
        return fail(kernel, code);
    }
    let sets = [read, write, except];
    let mut members = [Vec::new(), Vec::new(), Vec::new()];
    for (which, set) in sets.iter().enumerate() {
        if let Some(set) = set {
            match read_fd_set(kernel, *set) {
                Ok(sockets) => members[which] = sockets,
                Err(code) => return fail(kernel, code),
            }
        }
    }
    if members.iter().all(Vec::is_empty) {
        return fail(kernel, WSAEINVAL);
    }
    let wait_for = match timeout {
        None => None,
        Some(tv) => {
            let (Ok(sec), Ok(usec)) = (kernel.memory.read_u32(tv), kernel.memory.read_u32(tv.add(4))) else {
                return fail(kernel, WSAEFAULT);
            };
            let (sec, usec) = ((sec as i32).max(0) as u64, (usec as i32).max(0) as u64);
            Some(Duration::from_secs(sec) + Duration::from_micros(usec))
        }
    };
    let mut total = 0;
    for (which, set) in sets.iter().enumerate() {
        let Some(set) = set else { continue };
        let ready: Vec<u32> = members[which].iter().copied().filter(|&s| is_ready(kernel, s, which)).collect();
        total += ready.len();
        write_fd_set(kernel, *set, &ready);
    }
    if total > 0 {
        return Outcome::value(total as u64);
    }
    let req = wait::Request {
        deadline: wait_for.map(|d| kernel.clock.elapsed() + d),
        timeout_status: NtStatus(0),
        ..wait::Request::new(Vec::new(), "NetDll_select")
    };
    wait::begin(kernel, call.thread, call.args.lr, req)
}

/// `__WSAFDIsSet(Socket, fd_set*)`: nonzero when the set holds the socket.
pub fn wsa_fd_is_set(kernel: &mut Kernel, s: u32, set: VirtAddr) -> u32 {
    let m = &kernel.memory;
    let count = m.read_u32(set).unwrap_or(0).min(FD_SETSIZE);
    (0..count).any(|i| m.read_u32(set.add(4 + 4 * i)).ok() == Some(s)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;
    use shared::ipc::kernel::GuestThreadId;

    const TITLE: u32 = 1;

    fn started() -> (Kernel, GuestThreadId) {
        let (mut k, t) = kernel_with_thread();
        let data = scratch(&mut k, WSADATA_SIZE);
        assert_eq!(wsa_startup(&mut k, TITLE, 0x0202, Some(data)), 0);
        (k, t)
    }

    fn udp(k: &mut Kernel, t: GuestThreadId) -> u32 {
        let s = socket(k, TITLE, 2, SOCK_DGRAM, IPPROTO_UDP, call_from(t));
        assert_ne!(s, INVALID_SOCKET);
        s
    }

    fn sockaddr(k: &mut Kernel, addr: u32, port: u16) -> VirtAddr {
        let at = scratch(k, 16);
        SockAddrIn { family: AF_INET, port, addr }.write(&k.memory, at).unwrap();
        at
    }

    fn error(k: &Kernel, t: GuestThreadId) -> u32 {
        super::super::last_error(k, t)
    }

    #[test]
    fn startup_fills_wsadata_with_version_2_2_and_keeps_the_vendor_pointer() {
        let (mut k, _) = kernel_with_thread();
        let data = scratch(&mut k, WSADATA_SIZE);
        k.memory.fill(data, WSADATA_SIZE, 0xAA).unwrap();
        k.memory.write_u32(data.add(WSADATA_VENDOR_INFO), 0x8200_1234).unwrap();
        assert_eq!(wsa_startup(&mut k, TITLE, 0x0202, Some(data)), 0);
        // The guest stores MAKEWORD(2, 2) as 0x0202; low byte = major.
        assert_eq!(k.memory.read_u16(data).unwrap(), 0x0202);
        assert_eq!(k.memory.read_u16(data.add(2)).unwrap(), 0x0202);
        assert_eq!(k.memory.read_u8(data.add(WSADATA_DESCRIPTION)).unwrap(), 0);
        assert_eq!(k.memory.read_u16(data.add(WSADATA_MAX_SOCKETS)).unwrap(), 0);
        assert_eq!(k.memory.read_u32(data.add(WSADATA_VENDOR_INFO)).unwrap(), 0x8200_1234);
        assert_eq!(wsa_startup(&mut k, TITLE, 0x0000, Some(data)), WSAVERNOTSUPPORTED);
    }

    #[test]
    fn a_version_above_2_2_is_lowered_to_2_2() {
        let (mut k, _) = kernel_with_thread();
        let data = scratch(&mut k, WSADATA_SIZE);
        assert_eq!(wsa_startup(&mut k, TITLE, 0x0303, Some(data)), 0);
        assert_eq!(k.memory.read_u16(data).unwrap(), 0x0202);
        assert_eq!(wsa_startup(&mut k, TITLE, 0x0101, Some(data)), 0);
        assert_eq!(k.memory.read_u16(data).unwrap(), 0x0101);
        assert_eq!(wsa_startup(&mut k, TITLE, 0x0002, Some(data)), 0);
        assert_eq!(k.memory.read_u16(data).unwrap(), 0x0002, "2.0: major in the low byte");
    }

    #[test]
    fn cleanup_counts_startups_and_the_last_closes_every_socket() {
        let (mut k, t) = started();
        let data = scratch(&mut k, WSADATA_SIZE);
        wsa_startup(&mut k, TITLE, 0x0202, Some(data));
        let s = udp(&mut k, t);
        assert_eq!(wsa_cleanup(&mut k, TITLE, call_from(t)), 0);
        assert!(k.net.sockets.contains_key(&s), "one startup is still open");
        assert_eq!(wsa_cleanup(&mut k, TITLE, call_from(t)), 0);
        assert!(k.net.sockets.is_empty());
        assert_eq!(wsa_cleanup(&mut k, TITLE, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSANOTINITIALISED);
    }

    #[test]
    fn sockets_need_startup_and_a_supported_family_and_type() {
        let (mut k, t) = kernel_with_thread();
        assert_eq!(socket(&mut k, TITLE, 2, SOCK_DGRAM, 0, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSANOTINITIALISED);
        let (mut k, t) = started();
        assert_eq!(socket(&mut k, TITLE, 23, SOCK_DGRAM, 0, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSAEAFNOSUPPORT);
        assert_eq!(socket(&mut k, TITLE, 2, 3, 0, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSAESOCKTNOSUPPORT);
        assert_eq!(socket(&mut k, TITLE, 2, SOCK_STREAM, IPPROTO_UDP, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSAEPROTONOSUPPORT);
        let vdp = socket(&mut k, TITLE, 2, SOCK_DGRAM, IPPROTO_VDP, call_from(t));
        assert_eq!(k.net.sockets[&vdp].protocol, IPPROTO_VDP);
    }

    #[test]
    fn datagram_sockets_past_the_startup_limit_fail_with_emfile() {
        let (mut k, t) = started();
        for _ in 0..8 {
            udp(&mut k, t);
        }
        assert_eq!(socket(&mut k, TITLE, 2, SOCK_DGRAM, 0, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSAEMFILE);
        assert_ne!(socket(&mut k, TITLE, 2, SOCK_STREAM, 0, call_from(t)), INVALID_SOCKET);
    }

    #[test]
    fn a_closed_socket_is_no_socket_any_more() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        assert_eq!(closesocket(&mut k, TITLE, s, call_from(t)), 0);
        assert_eq!(closesocket(&mut k, TITLE, s, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENOTSOCK);
        let again = udp(&mut k, t);
        assert_ne!(again, s, "socket values are not reused");
    }

    #[test]
    fn bind_takes_any_address_and_refuses_a_taken_port_without_reuse() {
        let (mut k, t) = started();
        let (a, b) = (udp(&mut k, t), udp(&mut k, t));
        let any = sockaddr(&mut k, 0, 3074);
        assert_eq!(bind(&mut k, TITLE, a, Some(any), 16, call_from(t)), 0);
        assert_eq!(bind(&mut k, TITLE, a, Some(any), 16, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEINVAL);
        assert_eq!(bind(&mut k, TITLE, b, Some(any), 16, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEADDRINUSE);
        let one = scratch(&mut k, 4);
        k.memory.write_u32(one, 1).unwrap();
        assert_eq!(setsockopt(&mut k, TITLE, b, SOL_SOCKET, SO_REUSEADDR, Some(one), 4, call_from(t)), 0);
        assert_eq!(bind(&mut k, TITLE, b, Some(any), 16, call_from(t)), 0);
        let c = udp(&mut k, t);
        let remote = sockaddr(&mut k, 0xC0A8_0001, 1000);
        assert_eq!(bind(&mut k, TITLE, c, Some(remote), 16, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEADDRNOTAVAIL);
        assert_eq!(bind(&mut k, TITLE, c, Some(any), 8, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEFAULT);
    }

    #[test]
    fn port_zero_binds_an_ephemeral_port_that_getsockname_reports() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let name = scratch(&mut k, 16);
        let len = scratch(&mut k, 4);
        k.memory.write_u32(len, 16).unwrap();
        assert_eq!(getsockname(&mut k, TITLE, s, Some(name), Some(len), call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEINVAL, "not bound yet");
        let any = sockaddr(&mut k, 0, 0);
        bind(&mut k, TITLE, s, Some(any), 16, call_from(t));
        assert_eq!(getsockname(&mut k, TITLE, s, Some(name), Some(len), call_from(t)), 0);
        let got = SockAddrIn::read(&k.memory, name).unwrap();
        assert_eq!((got.family, got.port, got.addr), (AF_INET, 49152, 0));
        assert_eq!(getpeername(&mut k, TITLE, s, Some(name), Some(len), call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENOTCONN);
    }

    #[test]
    fn options_read_back_what_was_set_and_defaults_come_from_startup_params() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let (val, len) = (scratch(&mut k, 4), scratch(&mut k, 4));
        let get = |k: &mut Kernel, level, name| {
            k.memory.write_u32(len, 4).unwrap();
            let r = getsockopt(k, TITLE, s, level, name, Some(val), Some(len), call_from(t));
            (r, k.memory.read_u32(val).unwrap())
        };
        assert_eq!(get(&mut k, SOL_SOCKET, SO_BROADCAST), (0, 0));
        assert_eq!(get(&mut k, SOL_SOCKET, SO_RCVBUF), (0, 16 * 1024));
        assert_eq!(get(&mut k, SOL_SOCKET, SO_TYPE), (0, SOCK_DGRAM));
        k.memory.write_u32(val, 1).unwrap();
        assert_eq!(setsockopt(&mut k, TITLE, s, SOL_SOCKET, SO_BROADCAST, Some(val), 4, call_from(t)), 0);
        assert_eq!(get(&mut k, SOL_SOCKET, SO_BROADCAST), (0, 1));
        assert_eq!(setsockopt(&mut k, TITLE, s, SOL_SOCKET, SO_TYPE, Some(val), 4, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENOPROTOOPT);
        assert_eq!(setsockopt(&mut k, TITLE, s, IPPROTO_TCP, TCP_NODELAY, Some(val), 4, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENOPROTOOPT, "TCP options on a datagram socket");
        assert_eq!(setsockopt(&mut k, TITLE, s, SOL_SOCKET, SO_BROADCAST, Some(val), 2, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEFAULT);
    }

    #[test]
    fn a_nonblocking_receive_would_block_and_a_blocking_one_finds_the_network_down() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        assert_eq!(recvfrom(&mut k, TITLE, s, 0, 0, 0, None, None, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEINVAL, "unbound");
        let any = sockaddr(&mut k, 0, 3074);
        bind(&mut k, TITLE, s, Some(any), 16, call_from(t));
        assert_eq!(recvfrom(&mut k, TITLE, s, 0x1000, 64, 0, None, None, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENETDOWN);
        let one = scratch(&mut k, 4);
        k.memory.write_u32(one, 1).unwrap();
        assert_eq!(ioctlsocket(&mut k, TITLE, s, FIONBIO, Some(one), call_from(t)), 0);
        assert_eq!(recvfrom(&mut k, TITLE, s, 0x1000, 64, 0, None, None, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEWOULDBLOCK);
        assert_eq!(ioctlsocket(&mut k, TITLE, s, FIONREAD, Some(one), call_from(t)), 0);
        assert_eq!(k.memory.read_u32(one).unwrap(), 0);
        assert_eq!(shutdown(&mut k, TITLE, s, SD_RECEIVE, call_from(t)), 0);
        assert_eq!(recv(&mut k, TITLE, s, 0x1000, 64, 0, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAESHUTDOWN);
    }

    #[test]
    fn sending_needs_the_wire_and_broadcast_needs_so_broadcast() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let bcast = sockaddr(&mut k, INADDR_BROADCAST, 3074);
        assert_eq!(sendto(&mut k, TITLE, s, 0x1000, 4, 0, Some(bcast), 16, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEACCES);
        let one = scratch(&mut k, 4);
        k.memory.write_u32(one, 1).unwrap();
        setsockopt(&mut k, TITLE, s, SOL_SOCKET, SO_BROADCAST, Some(one), 4, call_from(t));
        assert_eq!(sendto(&mut k, TITLE, s, 0x1000, 4, 0, Some(bcast), 16, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENETDOWN);
        assert_eq!(send(&mut k, TITLE, s, 0x1000, 4, 0, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENOTCONN);
        let tcp = socket(&mut k, TITLE, 2, SOCK_STREAM, 0, call_from(t));
        let peer = sockaddr(&mut k, 0xC0A8_0001, 80);
        assert_eq!(connect(&mut k, TITLE, tcp, Some(peer), 16, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENETDOWN);
        assert_eq!(wsa_send_to(&mut k, TITLE, s, 0, 0, None, 0, Some(peer), 16, None, 0, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAENETDOWN);
    }

    #[test]
    fn a_listening_socket_never_accepts_a_connection() {
        let (mut k, t) = started();
        let tcp = socket(&mut k, TITLE, 2, SOCK_STREAM, 0, call_from(t));
        assert_eq!(listen(&mut k, TITLE, tcp, 5, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEINVAL, "unbound");
        let any = sockaddr(&mut k, 0, 1000);
        bind(&mut k, TITLE, tcp, Some(any), 16, call_from(t));
        assert_eq!(listen(&mut k, TITLE, tcp, 5, call_from(t)), 0);
        assert_eq!(accept(&mut k, TITLE, tcp, None, None, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSAENETDOWN);
        let one = scratch(&mut k, 4);
        k.memory.write_u32(one, 1).unwrap();
        ioctlsocket(&mut k, TITLE, tcp, FIONBIO, Some(one), call_from(t));
        assert_eq!(accept(&mut k, TITLE, tcp, None, None, call_from(t)), INVALID_SOCKET);
        assert_eq!(error(&k, t), WSAEWOULDBLOCK);
        let u = udp(&mut k, t);
        assert_eq!(listen(&mut k, TITLE, u, 5, call_from(t)), SOCKET_ERROR);
        assert_eq!(error(&k, t), WSAEOPNOTSUPP);
    }

    fn fd_set(k: &mut Kernel, sockets: &[u32]) -> VirtAddr {
        let at = scratch(k, FD_SET_SIZE);
        write_fd_set(k, at, sockets);
        at
    }

    #[test]
    fn fd_is_set_finds_a_socket_in_the_guest_layout() {
        let (mut k, _) = started();
        let set = fd_set(&mut k, &[0x100, 0x104, 0x108]);
        assert_eq!(k.memory.read_u32(set.add(8)).unwrap(), 0x104, "count, then the sockets");
        assert_eq!(wsa_fd_is_set(&mut k, 0x108, set), 1);
        assert_eq!(wsa_fd_is_set(&mut k, 0x10C, set), 0);
    }

    #[test]
    fn select_reports_a_datagram_socket_writable_at_once_and_never_readable() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let (r, w) = (fd_set(&mut k, &[s]), fd_set(&mut k, &[s]));
        let out = select(&mut k, TITLE, 0, Some(r), Some(w), None, None, call_from(t));
        assert_eq!(out, Outcome::value(1));
        assert_eq!(k.memory.read_u32(r).unwrap(), 0, "read set emptied");
        assert_eq!((k.memory.read_u32(w).unwrap(), k.memory.read_u32(w.add(4)).unwrap()), (1, s));
    }

    #[test]
    fn select_with_nothing_ready_waits_its_timeout_in_guest_time_and_returns_0() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let r = fd_set(&mut k, &[s]);
        let tv = scratch(&mut k, 8);
        k.memory.write_u32(tv, 0).unwrap();
        k.memory.write_u32(tv.add(4), 10_000).unwrap();
        let out = select(&mut k, TITLE, 0, Some(r), None, None, Some(tv), call_from(t));
        assert_eq!(out, Outcome::Pending);
        assert_eq!(k.memory.read_u32(r).unwrap(), 0, "emptied before the wait");
        k.clock.advance(Duration::from_millis(9));
        crate::threading::expire(&mut k);
        assert!(returns(&k).is_empty());
        k.clock.advance(Duration::from_millis(1));
        crate::threading::expire(&mut k);
        assert_eq!(returns(&k), vec![(t, 0)]);
    }

    #[test]
    fn select_with_a_zero_timeout_polls_and_bad_sets_fail() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let r = fd_set(&mut k, &[s]);
        let tv = scratch(&mut k, 8);
        assert_eq!(select(&mut k, TITLE, 0, Some(r), None, None, Some(tv), call_from(t)), Outcome::value(0));
        let bad = fd_set(&mut k, &[0xDEAD]);
        let out = select(&mut k, TITLE, 0, Some(bad), None, None, Some(tv), call_from(t));
        assert_eq!(out, Outcome::value(u64::MAX));
        assert_eq!(error(&k, t), WSAENOTSOCK);
        let empty = fd_set(&mut k, &[]);
        select(&mut k, TITLE, 0, Some(empty), None, None, Some(tv), call_from(t));
        assert_eq!(error(&k, t), WSAEINVAL);
    }

    #[test]
    fn an_overlapped_receive_pends_until_the_socket_closes_and_then_reads_aborted() {
        let (mut k, t) = started();
        let s = udp(&mut k, t);
        let any = sockaddr(&mut k, 0, 3074);
        bind(&mut k, TITLE, s, Some(any), 16, call_from(t));
        let event = new_event(&mut k, 0, false);
        let ov = scratch(&mut k, 0x14);
        k.memory.write_u32(ov.add(OVERLAPPED_EVENT), event).unwrap();
        let r = wsa_recv_from(&mut k, TITLE, s, 0, 0, None, None, None, None, Some(ov), 0, call_from(t));
        assert_eq!(r, SOCKET_ERROR);
        assert_eq!(error(&k, t), WSA_IO_PENDING);
        let n = scratch(&mut k, 4);
        let out = wsa_get_overlapped_result(&mut k, TITLE, s, ov, Some(n), false, None, call_from(t));
        assert_eq!(out, Outcome::value(0));
        assert_eq!(error(&k, t), WSA_IO_INCOMPLETE);
        let out = wsa_get_overlapped_result(&mut k, TITLE, s, ov, Some(n), true, None, call_from(t));
        assert_eq!(out, Outcome::Pending);
        k.outbox.clear();
        assert_eq!(wsa_cancel_overlapped_io(&mut k, TITLE, s, call_from(t)), 0);
        assert_eq!(returns(&k), vec![(t, 0)], "woken by the event: FALSE");
        assert_eq!(error(&k, t), WSA_OPERATION_ABORTED);
        assert_eq!(event_state(&k, event), 1);
        assert_eq!(k.memory.read_u32(ov).unwrap(), STATUS_CANCELLED);
    }

    #[test]
    fn the_last_error_exports_read_and_write_the_calling_threads_slot() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        wsa_set_last_error(&mut k, WSAEWOULDBLOCK, call_from(a));
        assert_eq!(wsa_get_last_error(&mut k, call_from(a)), WSAEWOULDBLOCK);
        assert_eq!(wsa_get_last_error(&mut k, call_from(b)), 0);
    }
}
