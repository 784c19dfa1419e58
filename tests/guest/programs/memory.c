/* memory: virtual allocation in 4 KiB and 64 KiB pages, physical allocation
 * in 4 KiB, 64 KiB (the 0xA0000000 range) and 16 MiB pages, free, query,
 * protect, and a variable import. */
#include "xenact.h"

static int fill_and_verify(volatile u32 *p, u32 words, u32 seed) {
    for (u32 i = 0; i < words; i++) p[i] = seed ^ (i * 0x9E3779B9u);
    for (u32 i = 0; i < words; i++)
        if (p[i] != (seed ^ (i * 0x9E3779B9u))) return 0;
    return 1;
}

static void virtual_pages(const char *label, u32 extra_type, u32 size, u32 page) {
    char name[64];
    void *base = NULL;
    u32 region = size;
    NTSTATUS s = NtAllocateVirtualMemory(&base, &region, MEM_RESERVE | MEM_COMMIT | extra_type, PAGE_READWRITE, 0);
    snprintf(name, sizeof name, "virtual %s allocate", label);
    if (!xt_check_eq(name, s, STATUS_SUCCESS)) return;
    snprintf(name, sizeof name, "virtual %s aligned", label);
    xt_check(name, ((u32)base & (page - 1)) == 0 && region >= size);
    snprintf(name, sizeof name, "virtual %s read write", label);
    xt_check(name, fill_and_verify(base, size / 4, 0x5A5A0000));

    MEMORY_BASIC_INFORMATION info;
    memset(&info, 0, sizeof info);
    snprintf(name, sizeof name, "virtual %s query", label);
    xt_check(name, NtQueryVirtualMemory(base, &info) == STATUS_SUCCESS && info.base_address == (u32)base &&
                       info.state == MEM_COMMIT && info.protect == PAGE_READWRITE && info.region_size >= size);

    void *pbase = base;
    u32 psize = page;
    u32 old = 0;
    s = NtProtectVirtualMemory(&pbase, &psize, PAGE_READONLY, &old, 0);
    snprintf(name, sizeof name, "virtual %s protect", label);
    xt_check(name, s == STATUS_SUCCESS && old == PAGE_READWRITE);
    memset(&info, 0, sizeof info);
    NtQueryVirtualMemory(base, &info);
    snprintf(name, sizeof name, "virtual %s query after protect", label);
    xt_check_eq(name, info.protect, PAGE_READONLY);

    u32 free_size = 0;
    s = NtFreeVirtualMemory(&base, &free_size, MEM_RELEASE, 0);
    snprintf(name, sizeof name, "virtual %s free", label);
    xt_check_eq(name, s, STATUS_SUCCESS);
}

static void physical_pages(const char *label, u32 page_flag, u32 size, u32 range_lo, u32 range_hi) {
    char name[64];
    u8 *p = MmAllocatePhysicalMemoryEx(0, size, PAGE_READWRITE | page_flag, 0, 0xFFFFFFFF, 0);
    snprintf(name, sizeof name, "physical %s allocate", label);
    if (!xt_check(name, p != NULL)) return;
    snprintf(name, sizeof name, "physical %s in range", label);
    if (!xt_check(name, (u32)p >= range_lo && (u32)p <= range_hi)) printf("memory: got %p\n", p);
    snprintf(name, sizeof name, "physical %s read write", label);
    xt_check(name, fill_and_verify((volatile u32 *)p, 0x1000 / 4, 0xC3C30000));
    snprintf(name, sizeof name, "physical %s address below 512 MiB", label);
    xt_check(name, MmGetPhysicalAddress(p) < 0x20000000);
    snprintf(name, sizeof name, "physical %s protect query", label);
    xt_check(name, (MmQueryAddressProtect(p) & 0xFF) == PAGE_READWRITE);
    MmFreePhysicalMemory(0, p);
    snprintf(name, sizeof name, "physical %s free", label);
    xt_check(name, 1);
}

int main(void) {
    xt_program = "memory";
    virtual_pages("4k", 0, 0x3000, 0x1000);
    virtual_pages("64k", MEM_LARGE_PAGES, 0x20000, 0x10000);
    physical_pages("4k", 0, 0x2000, 0xE0000000, 0xFFFFFFFF);
    physical_pages("64k", MEM_LARGE_PAGES, 0x20000, 0xA0000000, 0xBFFFFFFF);
    physical_pages("16m", MEM_16MB_PAGES, 0x1000000, 0xC0000000, 0xDFFFFFFF);
    xt_check("hardware info readable", XboxHardwareInfo.number_of_processors <= 6);
    return xt_finish();
}
