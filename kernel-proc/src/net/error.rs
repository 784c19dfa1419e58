//! Winsock error codes as the console's Winsock returns them (the values of
//! `winsock2.h`, which xenia-canary's `X_WSAError` repeats). On the console
//! they share the thread's last-error slot with Win32 errors.

/// `SOCKET_ERROR`: the return of a failed Winsock call.
pub const SOCKET_ERROR: i32 = -1;
/// `INVALID_SOCKET`.
pub const INVALID_SOCKET: u32 = u32::MAX;

pub const WSA_INVALID_HANDLE: u32 = 6;
pub const WSA_INVALID_PARAMETER: u32 = 87;
pub const WSA_OPERATION_ABORTED: u32 = 995;
pub const WSA_IO_INCOMPLETE: u32 = 996;
pub const WSA_IO_PENDING: u32 = 997;
pub const WSAEACCES: u32 = 10013;
pub const WSAEFAULT: u32 = 10014;
pub const WSAEINVAL: u32 = 10022;
pub const WSAEMFILE: u32 = 10024;
pub const WSAEWOULDBLOCK: u32 = 10035;
pub const WSAENOTSOCK: u32 = 10038;
pub const WSAEMSGSIZE: u32 = 10040;
pub const WSAENOPROTOOPT: u32 = 10042;
pub const WSAEPROTONOSUPPORT: u32 = 10043;
pub const WSAESOCKTNOSUPPORT: u32 = 10044;
pub const WSAEOPNOTSUPP: u32 = 10045;
pub const WSAEAFNOSUPPORT: u32 = 10047;
pub const WSAEADDRINUSE: u32 = 10048;
pub const WSAEADDRNOTAVAIL: u32 = 10049;
/// The network is down: what every operation that would put a packet on
/// the wire (or wait for one) meets with the cable unplugged.
pub const WSAENETDOWN: u32 = 10050;
pub const WSAEISCONN: u32 = 10056;
pub const WSAENOTCONN: u32 = 10057;
pub const WSAESHUTDOWN: u32 = 10058;
pub const WSAVERNOTSUPPORTED: u32 = 10092;
pub const WSANOTINITIALISED: u32 = 10093;
