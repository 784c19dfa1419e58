//! gpu → cpu and audio → cpu: guest routines to run on the interrupt
//! context in cpu-proc (the graphics interrupt callback, render-driver
//! callbacks), as the console runs them outside any title thread.

/// Where a [`GuestCallback`] comes from.
pub const SOURCE_GRAPHICS: u32 = 1;
pub const SOURCE_AUDIO: u32 = 2;

/// Run `routine(args[0], args[1])` as guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct GuestCallback {
    pub source: u32,
    pub routine: u32,
    pub args: [u32; 2],
    /// For audio: the render-driver client, reported back when it returns.
    pub client: u32,
    pub _reserved: u32,
}
