//! The host side of presentation: a wgpu device on the Vulkan backend
//! (lavapipe when the machine has no GPU) that takes a frame's RGBA8
//! pixels, draws them as a full-screen triangle into the presentation
//! target and reads the target back for frame dumps.
//!
//! The device is made once per gpu-proc, on the first swap; the textures
//! and the read-back buffer are remade only when the frame size changes.

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

@vertex
fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    // One triangle covering the whole target: (-1,-1), (3,-1), (-1,3).
    let corner = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    return vec4<f32>(corner * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fs(@builtin(position) at: vec4<f32>) -> @location(0) vec4<f32> {
    return textureLoad(frame, vec2<i32>(at.xy), 0);
}
";

const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// Per-size resources.
struct Target {
    width: u32,
    height: u32,
    source: wgpu::Texture,
    target: wgpu::Texture,
    bind_group: wgpu::BindGroup,
    readback: wgpu::Buffer,
    /// Bytes per row of the read-back buffer (256-aligned).
    padded_row: u32,
}

pub struct Renderer {
    device: wgpu::Device,
    queue: wgpu::Queue,
    layout: wgpu::BindGroupLayout,
    pipeline: wgpu::RenderPipeline,
    target: Option<Target>,
    adapter: String,
}

impl Renderer {
    /// Opens the first Vulkan adapter (a software one is fine).
    pub fn new() -> Result<Renderer, RendererError> {
        // No validation layers or debug messenger: they cost start-up time
        // and fill the log with the Vulkan loader's chatter.
        let instance = wgpu::Instance::new(&wgpu::InstanceDescriptor {
            backends: wgpu::Backends::VULKAN,
            flags: wgpu::InstanceFlags::empty(),
            ..Default::default()
        });
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: None,
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
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Texture {
                    sample_type: wgpu::TextureSampleType::Float { filterable: false },
                    view_dimension: wgpu::TextureViewDimension::D2,
                    multisampled: false,
                },
                count: None,
            }],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("present"),
            bind_group_layouts: &[&layout],
            push_constant_ranges: &[],
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("present"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs"),
                compilation_options: Default::default(),
                buffers: &[],
            },
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format: FORMAT,
                    blend: None,
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview: None,
            cache: None,
        });
        let adapter = format!("{} ({:?}, {:?})", info.name, info.device_type, info.backend);
        Ok(Renderer { device, queue, layout, pipeline, target: None, adapter })
    }

    /// The adapter's name, type and backend, for the log.
    pub fn adapter(&self) -> &str {
        &self.adapter
    }

    fn target(&mut self, width: u32, height: u32) -> &Target {
        if self.target.as_ref().is_none_or(|t| (t.width, t.height) != (width, height)) {
            let size = wgpu::Extent3d { width, height, depth_or_array_layers: 1 };
            let texture = |label, usage| {
                self.device.create_texture(&wgpu::TextureDescriptor {
                    label: Some(label),
                    size,
                    mip_level_count: 1,
                    sample_count: 1,
                    dimension: wgpu::TextureDimension::D2,
                    format: FORMAT,
                    usage,
                    view_formats: &[],
                })
            };
            let source = texture("front buffer", wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST);
            let target =
                texture("presentation", wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC);
            let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("present"),
                layout: &self.layout,
                entries: &[wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&source.create_view(&Default::default())),
                }],
            });
            let padded_row =
                (width * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
            let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("read-back"),
                size: padded_row as u64 * height as u64,
                usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                mapped_at_creation: false,
            });
            self.target = Some(Target { width, height, source, target, bind_group, readback, padded_row });
        }
        self.target.as_ref().expect("made above")
    }

    /// Uploads `rgba` (tight rows of `width` pixels), draws it into the
    /// presentation target and returns the target's pixels (tight rows).
    pub fn render(&mut self, rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, RendererError> {
        self.target(width, height);
        let (device, queue, pipeline) = (&self.device, &self.queue, &self.pipeline);
        let t = self.target.as_ref().expect("made by target()");
        let size = wgpu::Extent3d { width, height, depth_or_array_layers: 1 };
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &t.source,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            rgba,
            wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(width * 4), rows_per_image: Some(height) },
            size,
        );
        let view = t.target.create_view(&Default::default());
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("present") });
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("present"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
            });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &t.bind_group, &[]);
            pass.draw(0..3, 0..1);
        }
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &t.target,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &t.readback,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(t.padded_row),
                    rows_per_image: Some(height),
                },
            },
            size,
        );
        queue.submit([encoder.finish()]);
        let slice = t.readback.slice(..);
        let (tx, rx) = mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            let _ = tx.send(result);
        });
        device.poll(wgpu::PollType::Wait)?;
        rx.recv().map_err(|_| RendererError::MapLost)??;
        let mut out = Vec::with_capacity((width * height * 4) as usize);
        {
            let mapped = slice.get_mapped_range();
            for row in mapped.chunks_exact(t.padded_row as usize) {
                out.extend_from_slice(&row[..(width * 4) as usize]);
            }
        }
        t.readback.unmap();
        Ok(out)
    }
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
}
