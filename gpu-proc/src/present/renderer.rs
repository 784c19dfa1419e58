//! The host side of presentation: a wgpu device on the Vulkan backend
//! (lavapipe when the machine has no GPU) that takes a frame's RGBA8
//! pixels and draws them as a full-screen triangle: pixel for pixel into
//! an off-screen target that is read back for frame dumps, or scaled and
//! letterboxed into a window's surface.
//!
//! The device is made once per gpu-proc; the textures and the read-back
//! buffer are remade only when the frame size changes.

use std::sync::mpsc;

/// Why the renderer could not be made or could not render.
#[derive(Debug, thiserror::Error)]
pub enum RendererError {
    #[error("no Vulkan adapter: {0}")]
    NoAdapter(#[from] wgpu::RequestAdapterError),
    #[error("cannot open the Vulkan device: {0}")]
    Device(#[from] wgpu::RequestDeviceError),
    #[error("waiting for the GPU failed: {0}")]
    Poll(#[from] wgpu::PollError),
    #[error("reading the frame back failed: {0}")]
    Map(#[from] wgpu::BufferAsyncError),
    #[error("the read-back never completed")]
    MapLost,
}

const SHADER: &str = r"
@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var filtered: sampler;

struct Corner {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
}

@vertex
fn vs(@builtin(vertex_index) i: u32) -> Corner {
    // One triangle covering the whole viewport: (-1,-1), (3,-1), (-1,3).
    let corner = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    return Corner(vec4<f32>(corner * 2.0 - 1.0, 0.0, 1.0), vec2<f32>(corner.x, 1.0 - corner.y));
}

// Pixel for pixel, for a target the frame's own size (read-back, dumps).
@fragment
fn fs_exact(at: Corner) -> @location(0) vec4<f32> {
    return textureLoad(frame, vec2<i32>(at.position.xy), 0);
}

// Filtered, for a window of any size.
@fragment
fn fs_scaled(at: Corner) -> @location(0) vec4<f32> {
    return textureSample(frame, filtered, at.uv);
}
";

/// Format of the uploaded frame and of the read-back target.
const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// The uploaded frame.
struct Source {
    width: u32,
    height: u32,
    texture: wgpu::Texture,
    bind_group: wgpu::BindGroup,
}

/// The read-back target and buffer of one frame size.
struct Readback {
    width: u32,
    height: u32,
    target: wgpu::Texture,
    buffer: wgpu::Buffer,
    /// Bytes per row of the read-back buffer (256-aligned).
    padded_row: u32,
}

pub struct Renderer {
    adapter: wgpu::Adapter,
    device: wgpu::Device,
    queue: wgpu::Queue,
    module: wgpu::ShaderModule,
    layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    sampler: wgpu::Sampler,
    exact: wgpu::RenderPipeline,
    /// The window's pipeline, made for its surface format on first use.
    scaled: Option<(wgpu::TextureFormat, wgpu::RenderPipeline)>,
    source: Option<Source>,
    readback: Option<Readback>,
    adapter_name: String,
}

impl Renderer {
    /// Opens the first Vulkan adapter (a software one is fine).
    pub fn new() -> Result<Renderer, RendererError> {
        Renderer::with_instance(&Renderer::instance(), None)
    }

    /// The wgpu instance every renderer is made from: Vulkan only, and no
    /// validation layers or debug messenger (they cost start-up time and
    /// fill the log with the Vulkan loader's chatter).
    pub fn instance() -> wgpu::Instance {
        wgpu::Instance::new(&wgpu::InstanceDescriptor {
            backends: wgpu::Backends::VULKAN,
            flags: wgpu::InstanceFlags::empty(),
            ..Default::default()
        })
    }

    /// Opens an adapter of `instance`, one that can present to `surface`
    /// when one is given.
    pub fn with_instance(
        instance: &wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Renderer, RendererError> {
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: surface,
        }))?;
        let info = adapter.get_info();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("xenact presentation"),
            required_features: wgpu::Features::empty(),
            required_limits: wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits()),
            memory_hints: wgpu::MemoryHints::MemoryUsage,
            trace: wgpu::Trace::Off,
        }))?;
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("present"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("present"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: true },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("present"),
            bind_group_layouts: &[&layout],
            push_constant_ranges: &[],
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("present"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let exact = pipeline(&device, &pipeline_layout, &module, "fs_exact", FORMAT);
        let adapter_name = format!("{} ({:?}, {:?})", info.name, info.device_type, info.backend);
        Ok(Renderer {
            adapter,
            device,
            queue,
            module,
            layout,
            pipeline_layout,
            sampler,
            exact,
            scaled: None,
            source: None,
            readback: None,
            adapter_name,
        })
    }

    /// The adapter's name, type and backend, for the log.
    pub fn adapter(&self) -> &str {
        &self.adapter_name
    }

    /// The surface configuration this renderer presents a `width`×`height`
    /// window with: a non-sRGB format (frames are already gamma-encoded)
    /// and vsync.
    pub fn surface_config(
        &self,
        surface: &wgpu::Surface<'_>,
        width: u32,
        height: u32,
    ) -> Option<wgpu::SurfaceConfiguration> {
        let caps = surface.get_capabilities(&self.adapter);
        let format = caps.formats.iter().copied().find(|f| !f.is_srgb()).or(caps.formats.first().copied())?;
        Some(wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            format,
            width: width.max(1),
            height: height.max(1),
            present_mode: wgpu::PresentMode::AutoVsync,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps.alpha_modes.first().copied().unwrap_or(wgpu::CompositeAlphaMode::Auto),
            view_formats: vec![],
        })
    }

    pub fn configure(&self, surface: &wgpu::Surface<'_>, config: &wgpu::SurfaceConfiguration) {
        surface.configure(&self.device, config);
    }

    /// Uploads a frame (`rgba`: tight rows of `width` pixels); it stays the
    /// current frame until the next upload.
    pub fn upload(&mut self, rgba: &[u8], width: u32, height: u32) {
        let size = wgpu::Extent3d { width, height, depth_or_array_layers: 1 };
        if self.source.as_ref().is_none_or(|s| (s.width, s.height) != (width, height)) {
            let texture = self.device.create_texture(&wgpu::TextureDescriptor {
                label: Some("front buffer"),
                size,
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: FORMAT,
                usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                view_formats: &[],
            });
            let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("present"),
                layout: &self.layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::TextureView(&texture.create_view(&Default::default())),
                    },
                    wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::Sampler(&self.sampler) },
                ],
            });
            self.source = Some(Source { width, height, texture, bind_group });
        }
        let source = self.source.as_ref().expect("made above");
        self.queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &source.texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            rgba,
            wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(width * 4), rows_per_image: Some(height) },
            size,
        );
    }

    /// Uploads `rgba` (tight rows of `width` pixels), draws it into the
    /// off-screen target and returns the target's pixels (tight rows).
    pub fn render(&mut self, rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, RendererError> {
        self.upload(rgba, width, height);
        self.read_back()
    }

    /// Draws the current frame pixel for pixel into an off-screen target
    /// of its size and returns the target's pixels (tight rows); empty
    /// before the first upload.
    pub fn read_back(&mut self) -> Result<Vec<u8>, RendererError> {
        let Some(source) = &self.source else { return Ok(Vec::new()) };
        let (width, height) = (source.width, source.height);
        let size = wgpu::Extent3d { width, height, depth_or_array_layers: 1 };
        if self.readback.as_ref().is_none_or(|r| (r.width, r.height) != (width, height)) {
            let target = self.device.create_texture(&wgpu::TextureDescriptor {
                label: Some("presentation"),
                size,
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: FORMAT,
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
                view_formats: &[],
            });
            let padded_row =
                (width * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
            let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("read-back"),
                size: padded_row as u64 * height as u64,
                usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                mapped_at_creation: false,
            });
            self.readback = Some(Readback { width, height, target, buffer, padded_row });
        }
        let r = self.readback.as_ref().expect("made above");
        let view = r.target.create_view(&Default::default());
        let mut encoder =
            self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("read-back") });
        draw(&mut encoder, &view, &self.exact, &source.bind_group, None);
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &r.target,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &r.buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(r.padded_row),
                    rows_per_image: Some(height),
                },
            },
            size,
        );
        self.queue.submit([encoder.finish()]);
        let slice = r.buffer.slice(..);
        let (tx, rx) = mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            let _ = tx.send(result);
        });
        self.device.poll(wgpu::PollType::Wait)?;
        rx.recv().map_err(|_| RendererError::MapLost)??;
        let mut out = Vec::with_capacity((width * height * 4) as usize);
        {
            let mapped = slice.get_mapped_range();
            for row in mapped.chunks_exact(r.padded_row as usize) {
                out.extend_from_slice(&row[..(width * 4) as usize]);
            }
        }
        r.buffer.unmap();
        Ok(out)
    }

    /// Draws the current frame into `view` (a window's surface texture of
    /// `format`, `width`×`height`), scaled to fit with its aspect ratio
    /// kept and black bars around it.
    pub fn draw_scaled(&mut self, view: &wgpu::TextureView, format: wgpu::TextureFormat, width: u32, height: u32) {
        if self.scaled.as_ref().is_none_or(|(f, _)| *f != format) {
            let pipeline = pipeline(&self.device, &self.pipeline_layout, &self.module, "fs_scaled", format);
            self.scaled = Some((format, pipeline));
        }
        let (_, pipeline) = self.scaled.as_ref().expect("made above");
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("window") });
        match &self.source {
            Some(source) => {
                let fit = letterbox((source.width, source.height), (width, height));
                draw(&mut encoder, view, pipeline, &source.bind_group, Some(fit));
            }
            None => clear(&mut encoder, view),
        }
        self.queue.submit([encoder.finish()]);
    }
}

/// Where a `frame`-sized image goes in a `target`-sized one, scaled as
/// large as fits with its aspect ratio kept and centred: (x, y, w, h).
pub fn letterbox(frame: (u32, u32), target: (u32, u32)) -> [f32; 4] {
    let (fw, fh) = (frame.0.max(1) as f32, frame.1.max(1) as f32);
    let (tw, th) = (target.0 as f32, target.1 as f32);
    let scale = (tw / fw).min(th / fh);
    let (w, h) = (fw * scale, fh * scale);
    [(tw - w) / 2.0, (th - h) / 2.0, w, h]
}

fn pipeline(
    device: &wgpu::Device,
    layout: &wgpu::PipelineLayout,
    module: &wgpu::ShaderModule,
    fragment: &str,
    format: wgpu::TextureFormat,
) -> wgpu::RenderPipeline {
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(fragment),
        layout: Some(layout),
        vertex: wgpu::VertexState {
            module,
            entry_point: Some("vs"),
            compilation_options: Default::default(),
            buffers: &[],
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        fragment: Some(wgpu::FragmentState {
            module,
            entry_point: Some(fragment),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState { format, blend: None, write_mask: wgpu::ColorWrites::ALL })],
        }),
        multiview: None,
        cache: None,
    })
}

fn pass<'e>(encoder: &'e mut wgpu::CommandEncoder, view: &wgpu::TextureView) -> wgpu::RenderPass<'e> {
    encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: Some("present"),
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view,
            resolve_target: None,
            ops: wgpu::Operations { load: wgpu::LoadOp::Clear(wgpu::Color::BLACK), store: wgpu::StoreOp::Store },
        })],
        depth_stencil_attachment: None,
        timestamp_writes: None,
        occlusion_query_set: None,
    })
}

/// Clears `view` to black and draws the frame of `bind_group` into the
/// `viewport` (x, y, w, h; the whole view when `None`).
fn draw(
    encoder: &mut wgpu::CommandEncoder,
    view: &wgpu::TextureView,
    pipeline: &wgpu::RenderPipeline,
    bind_group: &wgpu::BindGroup,
    viewport: Option<[f32; 4]>,
) {
    let mut pass = pass(encoder, view);
    if let Some([x, y, w, h]) = viewport {
        pass.set_viewport(x, y, w, h, 0.0, 1.0);
    }
    pass.set_pipeline(pipeline);
    pass.set_bind_group(0, bind_group, &[]);
    pass.draw(0..3, 0..1);
}

fn clear(encoder: &mut wgpu::CommandEncoder, view: &wgpu::TextureView) {
    drop(pass(encoder, view));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Needs a Vulkan device: lavapipe (`mesa-vulkan-drivers`) is enough.
    #[test]
    fn a_frame_drawn_through_wgpu_reads_back_unchanged() {
        let mut renderer = Renderer::new().expect("a Vulkan adapter (install mesa-vulkan-drivers)");
        let (w, h) = (70u32, 9u32);
        let rgba: Vec<u8> = (0..w * h * 4).map(|i| (i * 7 % 251) as u8).collect();
        assert_eq!(renderer.render(&rgba, w, h).unwrap(), rgba);
        // A second frame of another size remakes the targets.
        let small = vec![0x80; 4 * 4 * 4];
        assert_eq!(renderer.render(&small, 4, 4).unwrap(), small);
    }

    #[test]
    fn letterbox_keeps_the_aspect_ratio_and_centres_the_frame() {
        // 16:9 into a 4:3 window: bars above and below.
        assert_eq!(letterbox((1280, 720), (800, 600)), [0.0, 75.0, 800.0, 450.0]);
        // Into a wider window: bars left and right.
        assert_eq!(letterbox((1280, 720), (1600, 720)), [160.0, 0.0, 1280.0, 720.0]);
        assert_eq!(letterbox((640, 480), (640, 480)), [0.0, 0.0, 640.0, 480.0]);
    }
}
