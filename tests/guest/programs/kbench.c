/* kbench: times kernel calls from guest code for `xenact bench kernel`:
 * an export cpu-proc runs itself (KeTlsGetValue) and one that crosses to
 * kernel-proc (KeGetCurrentProcessType). Each call is timed with the time
 * base; one line per export gives the total and the median in ticks. */
#include "xenact.h"

#define CALLS 4000

static u32 samples[CALLS];

static inline u32 time_base(void) {
    u32 t;
    __asm__ volatile("mftb %0" : "=r"(t));
    return t;
}

static void shell_sort(u32 *a, int n) {
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            u32 v = a[i];
            int j = i;
            for (; j >= gap && a[j - gap] > v; j -= gap) a[j] = a[j - gap];
            a[j] = v;
        }
}

static void measure(const char *name, int local, u32 slot) {
    u32 start = time_base();
    for (int i = 0; i < CALLS; i++) {
        u32 t0 = time_base();
        if (local)
            KeTlsGetValue(slot);
        else
            KeGetCurrentProcessType();
        samples[i] = time_base() - t0;
    }
    u32 total = time_base() - start;
    shell_sort(samples, CALLS);
    printf("kbench: %s calls=%d total_ticks=%u median_ticks=%u\n", name, CALLS, total, samples[CALLS / 2]);
}

int main(void) {
    xt_program = "kbench";
    u32 slot = KeTlsAlloc();
    measure("KeTlsGetValue", 1, slot);
    measure("KeGetCurrentProcessType", 0, slot);
    return 0;
}
