/* gpu_clear: clears and presents frames the way Direct3D does on the
 * console, through the GPU's resolve path.
 *
 * For each of FRAMES frames it writes PM4 packets into its ring: register
 * writes for a 1280x720 k_8_8_8_8 render target at EDRAM tile 0, a first
 * resolve (a draw in copy mode) whose copy goes to a scratch buffer and
 * which clears the EDRAM target to the frame's colour, a second resolve
 * that copies the target into the front buffer, then the swap packet that
 * VdSwap writes. Colours cycle through PALETTE in order, so frame dump n
 * (the n-th swap) shows PALETTE[(n - 1) % 8].
 *
 * After each frame's resolves it waits until the GPU has consumed the ring
 * (the read pointer written back equals the write pointer) and checks the
 * front buffer: pixels at their tiled addresses hold the clear colour,
 * read back as the packed value with the 8in32 swap. Frames are paced
 * with KeDelayExecutionThread (FRAME_MS).
 *
 * Register numbers, fields and layouts follow xenia (register_table.inc,
 * registers.h, xenos.h, texture_address.h); Xenact's gpu-proc documents
 * the same facts in edram.rs, resolve.rs and tiling.rs. */
#include "xenact.h"

void VdInitializeRingBuffer(void *ring, u32 size_log2);
void VdEnableRingBufferRPtrWriteBack(void *address, u32 block_size_log2);
void VdSwap(void *ring_space, void *fetch_constant, u32 system_write_back, u32 system_command_buffer, u32 token,
            u32 *front_buffer, u32 *texture_format, u32 *color_space, u32 *width, u32 *height);
u32 MmGetPhysicalAddress(void *address);

#define FRAMES 300
#define FRAME_MS 40
#define WIDTH 1280
#define HEIGHT 720
/* Storage height of the tiled texture: a multiple of 32 rows. */
#define STORAGE_HEIGHT 736
#define BUFFER_BYTES (WIDTH * STORAGE_HEIGHT * 4)

/* 2^(12+3) bytes = 8192 dwords. */
#define RING_SIZE_LOG2 12
#define RING_DWORDS 8192
#define SWAP_WORDS 64
#define CP_RB_WPTR_MMIO ((volatile u32 *)0x7FC80714u)

/* Registers. */
#define RB_SURFACE_INFO 0x2000u
#define PA_SC_SCREEN_SCISSOR_TL 0x200Eu
#define PA_SC_WINDOW_OFFSET 0x2080u
#define PA_SU_SC_MODE_CNTL 0x2205u
#define RB_MODECONTROL 0x2208u
#define PA_SU_VTX_CNTL 0x2302u
#define RB_COPY_CONTROL 0x2318u
#define RB_DEPTH_CLEAR 0x231Du

/* Field values. */
#define EDRAM_MODE_COLOR_DEPTH 4u
#define EDRAM_MODE_COPY 6u
#define COPY_COLOR_CLEAR (1u << 8)
#define COPY_DEPTH_CLEAR (1u << 9)
#define ENDIAN_8IN32 2u
#define FORMAT_8_8_8_8 6u
#define COLOR_TILES (WIDTH / 80 * HEIGHT / 16)

/* PM4 headers. */
#define TYPE0(reg, count) ((((count)-1u) << 16) | (reg))
#define TYPE2 0x80000000u
#define TYPE3(op, count) (0xC0000000u | (((count)-1u) << 16) | ((op) << 8))
#define OP_SET_CONSTANT 0x2Du
#define OP_DRAW_INDX_2 0x36u

/* Clear colours as the k_8_8_8_8 target stores them: red in the low byte. */
static const u32 PALETTE[8] = {
    0xFF0000FFu, /* red */
    0xFF00FF00u, /* green */
    0xFFFF0000u, /* blue */
    0xFF00FFFFu, /* yellow */
    0xFFFF00FFu, /* magenta */
    0xFFFFFF00u, /* cyan */
    0xFFFFFFFFu, /* white */
    0xFF404040u, /* grey */
};

static volatile u32 *ring;
static volatile u32 *rptr_write_back;
static u32 wptr;

static void emit(u32 word) { ring[wptr++] = word; }

/* Makes room for `dwords` before the end of the ring, filling the rest of
 * it with type-2 packets and wrapping to the start. */
static void reserve(u32 dwords) {
    if (wptr + dwords > RING_DWORDS) {
        while (wptr < RING_DWORDS) emit(TYPE2);
        wptr = 0;
    }
}

static void doorbell(void) {
    __asm__ volatile("sync" ::: "memory");
    *CP_RB_WPTR_MMIO = wptr;
}

/* Waits (up to 20 s: a restarted gpu-proc takes a moment) until the GPU
 * has consumed everything up to the write pointer. */
static int wait_for_gpu(void) {
    LARGE_INTEGER tick = timeout_ms(1);
    for (int i = 0; i < 20000; i++) {
        if (*rptr_write_back == wptr) return 1;
        KeDelayExecutionThread(USER_MODE, 0, &tick);
    }
    return 0;
}

/* Byte offset of pixel (x, y) in a 2D tiled 32-bit texture of `pitch`
 * pixels (a multiple of 32). */
static u32 tiled_offset(u32 x, u32 y, u32 pitch) {
    u32 macro = (y >> 5) * (pitch >> 5) + (x >> 5);
    u32 bytes = ((macro << 6) | (((y >> 1) & 7) << 3) | (x & 7)) << 2;
    u32 pipe = ((x >> 3) & 3) ^ (((y >> 3) & 1) << 1);
    return (bytes & 0xF) | (((bytes >> 4) & 1) << 5) | (((bytes >> 5) & 7) << 8) | ((bytes >> 8) << 12) |
           ((y & 1) << 4) | (pipe << 6) | (((y >> 4) & 1) << 11);
}

/* One resolve of the whole target: state, copy registers, the rectangle
 * in vertex fetch constant 0, and a draw in copy mode. */
static void resolve(u32 dest_phys, u32 copy_control, u32 clear_color, u32 vertices_phys) {
    reserve(40);
    emit(TYPE0(RB_SURFACE_INFO, 3));
    emit(WIDTH);      /* RB_SURFACE_INFO: pitch, 1x MSAA */
    emit(0);          /* RB_COLOR_INFO: tile 0, k_8_8_8_8 */
    emit(COLOR_TILES); /* RB_DEPTH_INFO: after the colour target, D24S8 */
    emit(TYPE0(PA_SC_SCREEN_SCISSOR_TL, 2));
    emit(0);
    emit((8192u << 16) | 8192u);
    emit(TYPE0(PA_SC_WINDOW_OFFSET, 3));
    emit(0);                          /* no window offset */
    emit(0x80000000u);                /* window scissor TL, offset disabled */
    emit(((u32)HEIGHT << 16) | WIDTH); /* window scissor BR */
    emit(TYPE0(PA_SU_SC_MODE_CNTL, 1));
    emit(0);
    emit(TYPE0(PA_SU_VTX_CNTL, 1));
    emit(0); /* Direct3D pixel centres */
    emit(TYPE0(RB_COPY_CONTROL, 4));
    emit(copy_control);
    emit(dest_phys);
    emit(((u32)HEIGHT << 16) | WIDTH);                /* RB_COPY_DEST_PITCH */
    emit(ENDIAN_8IN32 | (FORMAT_8_8_8_8 << 7)); /* RB_COPY_DEST_INFO */
    emit(TYPE0(RB_DEPTH_CLEAR, 3));
    emit(0xFFFFFF00u); /* depth 1.0, stencil 0 */
    emit(clear_color);
    emit(0); /* RB_COLOR_CLEAR_LO */
    emit(TYPE3(OP_SET_CONSTANT, 3));
    emit(1u << 16); /* fetch constants, from 0 */
    emit(vertices_phys | 3u);         /* a vertex fetch */
    emit((6u << 2) | ENDIAN_8IN32); /* six words */
    emit(TYPE0(RB_MODECONTROL, 1));
    emit(EDRAM_MODE_COPY);
    emit(TYPE3(OP_DRAW_INDX_2, 1));
    emit((3u << 16) | (2u << 6) | 8u); /* 3 auto indices, rectangle list */
    emit(TYPE0(RB_MODECONTROL, 1));
    emit(EDRAM_MODE_COLOR_DEPTH);
}

int main(void) {
    xt_program = "gpu_clear";
    ring = MmAllocatePhysicalMemoryEx(0, RING_DWORDS * 4, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    rptr_write_back = MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    float *vertices = MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    volatile u32 *scratch = MmAllocatePhysicalMemoryEx(0, BUFFER_BYTES, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    volatile u32 *front = MmAllocatePhysicalMemoryEx(0, BUFFER_BYTES, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    if (!xt_check("buffers allocated", ring && rptr_write_back && vertices && scratch && front)) return xt_finish();
    VdInitializeRingBuffer((void *)ring, RING_SIZE_LOG2);
    VdEnableRingBufferRPtrWriteBack((void *)rptr_write_back, 6);

    /* The rectangle's corners: (0,0), (1280,0), (1280,720). */
    vertices[0] = 0.0f, vertices[1] = 0.0f;
    vertices[2] = (float)WIDTH, vertices[3] = 0.0f;
    vertices[4] = (float)WIDTH, vertices[5] = (float)HEIGHT;
    u32 vertices_phys = MmGetPhysicalAddress(vertices);
    u32 scratch_phys = MmGetPhysicalAddress((void *)scratch);
    u32 front_phys = MmGetPhysicalAddress((void *)front);

    /* Texture fetch constant of the front buffer: tiled, pitch in 32s,
     * k_8_8_8_8 with 8in32, 1280x720, XYZW swizzle, 2D. */
    u32 fetch[6] = {
        0x80000000u | ((WIDTH / 32) << 22) | 2u,
        ((u32)front & 0xFFFFF000u) | (ENDIAN_8IN32 << 6) | FORMAT_8_8_8_8,
        ((HEIGHT - 1u) << 13) | (WIDTH - 1u),
        ((0u | (1u << 3) | (2u << 6) | (3u << 9)) << 1),
        0,
        1u << 9,
    };
    u32 front_address = (u32)front, texture_format = FORMAT_8_8_8_8, color_space = 0, width = WIDTH,
        height = HEIGHT;

    u32 stalls = 0, wrong_pixels = 0;
    LARGE_INTEGER pace = timeout_ms(FRAME_MS);
    for (u32 frame = 0; frame < FRAMES; frame++) {
        u32 color = PALETTE[frame % 8];
        resolve(scratch_phys, COPY_COLOR_CLEAR | COPY_DEPTH_CLEAR, color, vertices_phys);
        resolve(front_phys, 0, 0, vertices_phys);
        doorbell();
        if (!wait_for_gpu()) {
            stalls++;
            break;
        }
        /* Corners, centre and a pixel on each tiling boundary. */
        static const u32 probes[][2] = {{0, 0}, {1279, 719}, {640, 360}, {31, 31}, {32, 32}, {7, 8}, {1000, 17}};
        for (u32 i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            u32 at = tiled_offset(probes[i][0], probes[i][1], WIDTH) / 4;
            if (front[at] != color) {
                if (wrong_pixels++ == 0)
                    printf("gpu_clear: frame %u pixel (%u,%u) is %08x, want %08x\n", frame, probes[i][0],
                           probes[i][1], front[at], color);
            }
        }
        reserve(SWAP_WORDS);
        VdSwap((void *)&ring[wptr], fetch, 0, 0, 0, &front_address, &texture_format, &color_space, &width, &height);
        wptr += SWAP_WORDS;
        doorbell();
        KeDelayExecutionThread(USER_MODE, 0, &pace);
    }
    xt_check("the GPU consumed every frame's packets", stalls == 0 && wait_for_gpu());
    xt_check_eq("front buffer pixels hold each frame's clear colour", wrong_pixels, 0);
    xt_check_eq("read pointer written back", *rptr_write_back, wptr);
    return xt_finish();
}
