//! The window frames are shown in (winit, X11 or Wayland), drawn through
//! a wgpu surface.
//!
//! The presenter thread runs the window's event loop (winit allows any
//! thread on Linux; gpu-proc's main thread waits on the supervisor). The
//! command processor's thread queues frames as before and wakes the loop
//! with a user event; the loop presents every queued frame (dumping each
//! when asked) and redraws the window with the newest one. Resizing
//! letterboxes the frame; closing the window asks the supervisor to end
//! the session. While the window is open the keyboard is the pad in port
//! 0 ([`super::keyboard`]).
//!
//! When no window can be made (no display, no Vulkan surface), the loop
//! says so in one line and the frames are drawn off-screen instead, so a
//! session never fails for want of a screen.

use super::keyboard::KeyboardPad;
use super::{Frame, PresentOptions, PresentStats, Presentation};
use crate::present::renderer::Renderer;
use shared::memory::GuestMemory;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::Arc;
use winit::application::ApplicationHandler;
use winit::dpi::LogicalSize;
use winit::event::{ElementState, WindowEvent};
use winit::event_loop::{ActiveEventLoop, EventLoop, EventLoopProxy};
use winit::keyboard::PhysicalKey;
use winit::window::{Window, WindowId};

/// What the window shows and does.
pub struct WindowOptions {
    /// The window's title.
    pub title: String,
    /// Called once when the user closes the window.
    pub on_close: Box<dyn Fn() + Send>,
    /// The session's memory: the keyboard is the pad in its port 0 while
    /// the window is open.
    pub input: Option<Arc<GuestMemory>>,
}

/// The user event that wakes the loop: frames are queued, or the queue
/// has closed.
#[derive(Debug, Clone, Copy)]
struct Wake;

/// Wakes a window's event loop from another thread.
pub struct Waker(EventLoopProxy<Wake>);

impl Waker {
    pub fn wake(&self) {
        // Fails only once the loop has ended, when nothing is left to wake.
        let _ = self.0.send_event(Wake);
    }
}

/// Runs the window's event loop on this thread until the frame queue
/// closes. Before the loop starts, its [`Waker`] goes to `waker`. When the
/// loop cannot start, logs why and hands the queue back.
pub fn run(
    window: WindowOptions,
    options: PresentOptions,
    frames: Receiver<Frame>,
    counters: &PresentStats,
    waker: Sender<Waker>,
) -> Result<(), Receiver<Frame>> {
    let event_loop = match event_loop() {
        Ok(event_loop) => event_loop,
        Err(err) => {
            tracing::warn!("cannot open a window ({err}); frames are drawn off-screen");
            return Err(frames);
        }
    };
    let _ = waker.send(Waker(event_loop.create_proxy()));
    let mut app = App {
        window,
        options: Some(options),
        frames,
        counters,
        shown: None,
        presentation: None,
        keyboard: KeyboardPad::default(),
    };
    if let Err(err) = event_loop.run_app(&mut app) {
        tracing::error!("the window's event loop failed: {err}");
    }
    // Frames still queued (the loop failed) are presented off-screen.
    let mut presentation = app.presentation.unwrap_or_else(|| Presentation::new(app.options.unwrap_or_default()));
    for frame in app.frames.try_iter() {
        presentation.present_counted(&frame, app.counters);
    }
    Ok(())
}

fn event_loop() -> Result<EventLoop<Wake>, winit::error::EventLoopError> {
    let mut builder = EventLoop::<Wake>::with_user_event();
    // Both of winit's Linux backends share this setting.
    winit::platform::x11::EventLoopBuilderExtX11::with_any_thread(&mut builder, true);
    builder.build()
}

/// A window and the surface drawn into it.
struct Shown {
    window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    /// The user asked to close it (the supervisor has been told).
    closing: bool,
}

struct App<'a> {
    window: WindowOptions,
    /// Taken when the presentation is made.
    options: Option<PresentOptions>,
    frames: Receiver<Frame>,
    counters: &'a PresentStats,
    shown: Option<Shown>,
    presentation: Option<Presentation>,
    keyboard: KeyboardPad,
}

impl App<'_> {
    /// Opens the window and its wgpu surface and device.
    fn open(&mut self, event_loop: &ActiveEventLoop) -> Result<(Shown, Renderer), String> {
        let attributes = Window::default_attributes()
            .with_title(&self.window.title)
            .with_inner_size(LogicalSize::new(1280.0, 720.0))
            .with_min_inner_size(LogicalSize::new(160.0, 90.0));
        // WM_CLASS on X11, the app id on Wayland.
        let attributes = winit::platform::x11::WindowAttributesExtX11::with_name(attributes, "xenact", "xenact");
        let window = Arc::new(event_loop.create_window(attributes).map_err(|e| format!("cannot open a window: {e}"))?);
        let instance = Renderer::instance();
        let surface =
            instance.create_surface(window.clone()).map_err(|e| format!("cannot draw into the window: {e}"))?;
        let renderer = Renderer::with_instance(&instance, Some(&surface)).map_err(|e| e.to_string())?;
        let size = window.inner_size();
        let config = renderer
            .surface_config(&surface, size.width, size.height)
            .ok_or("the Vulkan device cannot present to the window")?;
        renderer.configure(&surface, &config);
        Ok((Shown { window, surface, config, closing: false }, renderer))
    }

    /// Presents every queued frame; ends the loop when the queue has closed.
    fn take_frames(&mut self, event_loop: &ActiveEventLoop) {
        let Some(presentation) = self.presentation.as_mut() else { return };
        let mut any = false;
        loop {
            match self.frames.try_recv() {
                Ok(frame) => {
                    presentation.present_counted(&frame, self.counters);
                    any = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    event_loop.exit();
                    break;
                }
            }
        }
        if let (true, Some(shown)) = (any, &self.shown) {
            shown.window.request_redraw();
        }
    }

    /// Draws the newest frame into the window.
    fn redraw(&mut self) {
        let (Some(shown), Some(presentation)) = (self.shown.as_mut(), self.presentation.as_mut()) else { return };
        let Some(renderer) = presentation.renderer_mut() else { return };
        match shown.surface.get_current_texture() {
            Ok(texture) => {
                let view = texture.texture.create_view(&wgpu::TextureViewDescriptor::default());
                renderer.draw_scaled(&view, shown.config.format, shown.config.width, shown.config.height);
                shown.window.pre_present_notify();
                texture.present();
            }
            Err(wgpu::SurfaceError::Outdated | wgpu::SurfaceError::Lost) => {
                renderer.configure(&shown.surface, &shown.config);
                shown.window.request_redraw();
            }
            Err(wgpu::SurfaceError::Timeout) => shown.window.request_redraw(),
            Err(err) => tracing::warn!("cannot draw into the window: {err}"),
        }
    }

    /// The pad in port 0, when the keyboard drives one.
    fn port(&self) -> Option<&shared::memory::PadState> {
        let memory = self.window.input.as_ref()?;
        Some(&memory.control().input_state().pads[0])
    }

    /// Publishes the keyboard's pad state.
    fn publish_pad(&self) {
        if let Some(port) = self.port() {
            port.publish(&self.keyboard.gamepad());
        }
    }

    fn resize(&mut self, width: u32, height: u32) {
        let (Some(shown), Some(presentation)) = (self.shown.as_mut(), self.presentation.as_ref()) else { return };
        let Some(renderer) = presentation.renderer() else { return };
        if width == 0 || height == 0 {
            return; // minimised: keep the old configuration until it comes back
        }
        shown.config.width = width;
        shown.config.height = height;
        renderer.configure(&shown.surface, &shown.config);
        shown.window.request_redraw();
    }
}

impl ApplicationHandler<Wake> for App<'_> {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        let Some(options) = self.options.take() else { return };
        match self.open(event_loop) {
            Ok((shown, renderer)) => {
                tracing::info!(
                    "presenting in a {}×{} window on the {} through wgpu on {}",
                    shown.config.width,
                    shown.config.height,
                    shared::config::display_server().unwrap_or_else(|| "display".into()),
                    renderer.adapter()
                );
                self.presentation = Some(Presentation::windowed(options, renderer));
                self.shown = Some(shown);
                if let Some(port) = self.port() {
                    self.publish_pad();
                    port.set_connected(true);
                    tracing::info!("the keyboard is the controller in port 0 while the window has focus");
                }
            }
            Err(err) => {
                tracing::warn!("{err}; frames are drawn off-screen");
                self.presentation = Some(Presentation::new(options));
            }
        }
        self.take_frames(event_loop);
    }

    fn user_event(&mut self, event_loop: &ActiveEventLoop, _: Wake) {
        self.take_frames(event_loop);
    }

    fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, event: WindowEvent) {
        match event {
            WindowEvent::CloseRequested => {
                if let Some(shown) = self.shown.as_mut().filter(|s| !s.closing) {
                    shown.closing = true;
                    tracing::info!("window closed: asking the supervisor to end the session");
                    (self.window.on_close)();
                }
            }
            WindowEvent::KeyboardInput { event, .. } => {
                let PhysicalKey::Code(key) = event.physical_key else { return };
                if !event.repeat && self.keyboard.key(key, event.state == ElementState::Pressed) {
                    self.publish_pad();
                }
            }
            WindowEvent::Focused(false) => {
                self.keyboard.release_all();
                self.publish_pad();
            }
            WindowEvent::Resized(size) => self.resize(size.width, size.height),
            WindowEvent::RedrawRequested => self.redraw(),
            _ => {}
        }
    }
}
