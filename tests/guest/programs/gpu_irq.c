/* gpu_irq: the graphics interrupt path. Registers a graphics interrupt
 * callback, sees vblank interrupts (source 0) arrive, then sets up a ring
 * buffer, puts a PM4 INTERRUPT packet in it, rings the doorbell by writing
 * CP_RB_WPTR through MMIO, and sees the command processor's interrupt
 * (source 1) and the read pointer written back. */
#include "xenact.h"

void VdSetGraphicsInterruptCallback(void (*callback)(u32 source, void *user), void *user);
void VdInitializeRingBuffer(void *ring, u32 size_log2);
void VdEnableRingBufferRPtrWriteBack(void *address, u32 block_size_log2);

/* CP_RB_WPTR (register 0x1C5) in the GPU's MMIO window. */
#define CP_RB_WPTR_MMIO ((volatile u32 *)0x7FC80714u)
/* A PM4 type-3 INTERRUPT packet header (opcode 0x54, one body dword). */
#define PM4_INTERRUPT_HEADER 0xC0005400u
#define USER_DATA ((void *)0x1234u)

static volatile u32 vblanks, cp_interrupts, wrong_user_data;

static void on_interrupt(u32 source, void *user) {
    if (user != USER_DATA) wrong_user_data++;
    if (source == 0)
        vblanks++;
    else if (source == 1)
        cp_interrupts++;
}

static void wait_for(volatile u32 *counter, u32 at_least) {
    LARGE_INTEGER tick = timeout_ms(10);
    for (int i = 0; i < 500 && *counter < at_least; i++) KeDelayExecutionThread(USER_MODE, 0, &tick);
}

int main(void) {
    xt_program = "gpu_irq";
    VdSetGraphicsInterruptCallback(on_interrupt, USER_DATA);
    wait_for(&vblanks, 10);
    xt_check("vblank interrupts arrive", vblanks >= 10);

    volatile u32 *ring = MmAllocatePhysicalMemoryEx(0, 0x10000, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    volatile u32 *rptr = MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READWRITE, 0, 0xFFFFFFFF, 0);
    if (!xt_check("ring buffer allocated", ring != NULL && rptr != NULL)) return xt_finish();
    VdInitializeRingBuffer((void *)ring, 12);
    VdEnableRingBufferRPtrWriteBack((void *)rptr, 6);
    ring[0] = PM4_INTERRUPT_HEADER;
    ring[1] = 1; /* raise on hardware thread 0 */
    __asm__ volatile("sync" ::: "memory");
    *CP_RB_WPTR_MMIO = 2; /* the doorbell */
    wait_for(&cp_interrupts, 1);
    xt_check("command processor interrupt arrives", cp_interrupts >= 1);
    xt_check_eq("read pointer written back", *rptr, 2);
    xt_check_eq("callback gets its user data", wrong_user_data, 0);
    VdSetGraphicsInterruptCallback(NULL, NULL);
    return xt_finish();
}
