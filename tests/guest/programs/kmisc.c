/* kmisc: executive reader/writer locks under contention, an I/O completion
 * port between two threads, RtlComputeCrc32 known answers, and the title's
 * own resource section through XexGetModuleSection. Every line it prints is
 * deterministic. */
#include "xenact.h"

#define WRITERS 2
#define READERS 2
#define ROUNDS 200

static ERWLOCK lock;
static volatile u32 pair_a, pair_b;
static volatile u32 torn_reads;
static volatile u32 reads_done;
static volatile u32 reader_in;

/* The resource section this title declares. */
static const char resource_text[] = "kmisc resource section";
DECLARE_XEX_RESOURCE(kmisc_resource, "kmiscres", resource_text);

static void yield(void) {
    LARGE_INTEGER zero = 0;
    KeDelayExecutionThread(USER_MODE, 0, &zero);
}

static u32 writer(void *context) {
    (void)context;
    for (int i = 0; i < ROUNDS; i++) {
        ExAcquireReadWriteLockExclusive(&lock);
        pair_a = pair_a + 1;
        if ((i & 7) == 0) yield(); /* let readers run into the held lock */
        pair_b = pair_b + 1;
        ExReleaseReadWriteLock(&lock);
    }
    return 0;
}

static u32 reader(void *context) {
    (void)context;
    for (int i = 0; i < ROUNDS; i++) {
        ExAcquireReadWriteLockShared(&lock);
        u32 a = pair_a;
        if ((i & 7) == 0) yield();
        if (a != pair_b) torn_reads = torn_reads + 1;
        reads_done = reads_done + 1;
        ExReleaseReadWriteLock(&lock);
    }
    return 0;
}

static u32 blocked_reader(void *context) {
    (void)context;
    ExAcquireReadWriteLockShared(&lock);
    reader_in = 1;
    ExReleaseReadWriteLock(&lock);
    return 0;
}

static void join(HANDLE t) {
    NtWaitForSingleObjectEx(t, USER_MODE, 0, NULL);
    NtClose(t);
}

static void rwlocks(void) {
    ExInitializeReadWriteLock(&lock);
    xt_check_eq("rwlock starts free", (u32)lock.lock_count, (u32)-1);

    /* Try-acquires: readers share, a writer excludes everyone. */
    int shared = ExTryToAcquireReadWriteLockShared(&lock) && ExTryToAcquireReadWriteLockShared(&lock);
    int no_writer = !ExTryToAcquireReadWriteLockExclusive(&lock);
    ExReleaseReadWriteLock(&lock);
    ExReleaseReadWriteLock(&lock);
    xt_check("rwlock try shared twice", shared && no_writer);
    int exclusive = ExTryToAcquireReadWriteLockExclusive(&lock);
    int excluded = !ExTryToAcquireReadWriteLockShared(&lock) && !ExTryToAcquireReadWriteLockExclusive(&lock);
    ExReleaseReadWriteLock(&lock);
    xt_check("rwlock try exclusive excludes", exclusive && excluded);
    xt_check_eq("rwlock free after releases", (u32)lock.lock_count, (u32)-1);

    /* A reader blocks while a writer holds the lock. */
    HANDLE t;
    ExAcquireReadWriteLockExclusive(&lock);
    ExCreateThread(&t, 0, NULL, 0, blocked_reader, NULL, 0);
    LARGE_INTEGER wait = timeout_ms(20);
    KeDelayExecutionThread(USER_MODE, 0, &wait);
    xt_check_eq("rwlock reader waits for writer", reader_in, 0);
    ExReleaseReadWriteLock(&lock);
    join(t);
    xt_check_eq("rwlock reader gets in after release", reader_in, 1);

    /* Two writers and two readers contend. */
    HANDLE threads[WRITERS + READERS];
    for (int i = 0; i < WRITERS; i++) ExCreateThread(&threads[i], 0, NULL, 0, writer, NULL, 0);
    for (int i = 0; i < READERS; i++) ExCreateThread(&threads[WRITERS + i], 0, NULL, 0, reader, NULL, 0);
    for (int i = 0; i < WRITERS + READERS; i++) join(threads[i]);
    xt_check_eq("rwlock writers excluded each other", pair_a, WRITERS * ROUNDS);
    xt_check("rwlock pair consistent", pair_a == pair_b);
    xt_check_eq("rwlock readers saw no torn write", torn_reads, 0);
    xt_check_eq("rwlock readers all read", reads_done, READERS * ROUNDS);
    xt_check_eq("rwlock free after contention", (u32)lock.lock_count, (u32)-1);
}

static HANDLE port, go;

static u32 producer(void *context) {
    (void)context;
    NtWaitForSingleObjectEx(go, USER_MODE, 0, NULL);
    LARGE_INTEGER wait = timeout_ms(5);
    KeDelayExecutionThread(USER_MODE, 0, &wait); /* the consumer is blocked by now */
    for (u32 i = 1; i <= 3; i++) NtSetIoCompletion(port, i, 0x100 * i, (NTSTATUS)(i == 3 ? 0xC0000011 : 0), 10 * i);
    return 0;
}

static void io_completion(void) {
    HANDLE t;
    u32 key = 0, context = 0, depth = 99;
    IO_STATUS_BLOCK iosb = {0, 0};
    xt_check_eq("iocp create", NtCreateIoCompletion(&port, 0, NULL, 1), STATUS_SUCCESS);
    NtCreateEvent(&go, NULL, NOTIFICATION_EVENT, 0);
    ExCreateThread(&t, 0, NULL, 0, producer, NULL, 0);

    LARGE_INTEGER zero = 0;
    xt_check_eq("iocp empty poll times out", NtRemoveIoCompletion(port, &key, &context, &iosb, &zero), STATUS_TIMEOUT);
    LARGE_INTEGER short_wait = timeout_ms(10);
    xt_check_eq("iocp empty wait times out", NtRemoveIoCompletion(port, &key, &context, &iosb, &short_wait),
                STATUS_TIMEOUT);

    NtSetEvent(go, NULL);
    /* Without a timeout: blocks until the producer posts. */
    NTSTATUS s = NtRemoveIoCompletion(port, &key, &context, &iosb, NULL);
    xt_check("iocp blocking remove",
             s == STATUS_SUCCESS && key == 1 && context == 0x100 && iosb.status == 0 && iosb.information == 10);
    /* With a timeout: the rest, in order. */
    LARGE_INTEGER long_wait = timeout_ms(1000);
    s = NtRemoveIoCompletion(port, &key, &context, &iosb, &long_wait);
    xt_check("iocp timed remove", s == STATUS_SUCCESS && key == 2 && context == 0x200 && iosb.information == 20);
    join(t);
    xt_check_eq("iocp query depth", NtQueryIoCompletion(port, 0, &depth, 4, NULL), STATUS_SUCCESS);
    xt_check_eq("iocp depth is one", depth, 1);
    s = NtRemoveIoCompletion(port, &key, &context, &iosb, &zero);
    xt_check("iocp last packet", s == STATUS_SUCCESS && key == 3 && iosb.status == (NTSTATUS)0xC0000011);
    xt_check_eq("iocp drained", NtRemoveIoCompletion(port, &key, &context, &iosb, &zero), STATUS_TIMEOUT);
    NtClose(go);
    NtClose(port);
}

static void crc32(void) {
    static const char check[] = "123456789";
    static const char fox[] = "The quick brown fox jumps over the lazy dog";
    xt_check_eq("crc32 check value", RtlComputeCrc32(0, check, 9), 0xCBF43926);
    xt_check_eq("crc32 fox", RtlComputeCrc32(0, fox, sizeof fox - 1), 0x414FA339);
    xt_check_eq("crc32 continued", RtlComputeCrc32(RtlComputeCrc32(0, check, 5), check + 5, 4), 0xCBF43926);
    xt_check_eq("crc32 empty gives seed", RtlComputeCrc32(0x12345678, check, 0), 0x12345678);
}

static void module_sections(void) {
    void *module = NULL;
    const void *data = NULL;
    u32 size = 0;
    xt_check_eq("module handle", XexGetModuleHandle(NULL, &module), STATUS_SUCCESS);
    NTSTATUS s = XexGetModuleSection(module, "kmiscres", &data, &size);
    xt_check("module section found", s == STATUS_SUCCESS && data == resource_text && size == sizeof resource_text);
    xt_check("module section data", data != NULL && memcmp(data, "kmisc resource", 14) == 0);
    xt_check_eq("module section missing", XexGetModuleSection(module, "nosuch", &data, &size), STATUS_NOT_FOUND);
    const u8 *nt = RtlImageNtHeader((void *)0x82000000);
    xt_check("image nt header", nt != NULL && nt[0] == 'P' && nt[1] == 'E' && nt[2] == 0 && nt[3] == 0);
}

int main(void) {
    xt_program = "kmisc";
    rwlocks();
    io_completion();
    crc32();
    module_sections();
    return xt_finish();
}
