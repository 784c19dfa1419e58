/* threads: threads with start and exit codes, manual and auto-reset events,
 * semaphores, mutants, critical sections under contention, waits with
 * timeouts, and TLS slots. Every line it prints is deterministic. */
#include "xenact.h"

#define WORKERS 4
#define INCREMENTS 2000

static HANDLE start_event, done_event;
static RTL_CRITICAL_SECTION counter_lock;
static volatile u32 counter;
static volatile u32 started[WORKERS];
static u32 tls_slot;
static volatile u32 tls_ok[WORKERS];

static u32 worker(void *context) {
    u32 index = (u32)context;
    started[index] = 1;
    KeTlsSetValue(tls_slot, (void *)(0x1000 + index));
    NtWaitForSingleObjectEx(start_event, USER_MODE, 0, NULL);
    for (int i = 0; i < INCREMENTS; i++) {
        RtlEnterCriticalSection(&counter_lock);
        u32 v = counter;
        if ((i & 63) == 0) {
            LARGE_INTEGER zero = 0;
            KeDelayExecutionThread(USER_MODE, 0, &zero); /* yield inside the lock */
        }
        counter = v + 1;
        RtlLeaveCriticalSection(&counter_lock);
    }
    tls_ok[index] = KeTlsGetValue(tls_slot) == (void *)(0x1000 + index);
    return 100 + index;
}

static u32 terminating(void *context) {
    (void)context;
    ExTerminateThread(77);
    return 0; /* not reached */
}

static HANDLE mutant;
static volatile NTSTATUS mutant_wait_from_other;

static u32 mutant_prober(void *context) {
    (void)context;
    LARGE_INTEGER t = timeout_ms(10);
    mutant_wait_from_other = NtWaitForSingleObjectEx(mutant, USER_MODE, 0, &t);
    if (mutant_wait_from_other == STATUS_SUCCESS) NtReleaseMutant(mutant, NULL);
    return 0;
}

static u32 event_waiter(void *context) {
    (void)context;
    NtWaitForSingleObjectEx(start_event, USER_MODE, 0, NULL);
    NtSetEvent(done_event, NULL);
    return 0;
}

static NTSTATUS poll(HANDLE h) {
    LARGE_INTEGER zero = 0;
    return NtWaitForSingleObjectEx(h, USER_MODE, 0, &zero);
}

static void events(void) {
    HANDLE manual, automatic;
    NtCreateEvent(&manual, NULL, NOTIFICATION_EVENT, 0);
    xt_check_eq("event manual-reset starts clear", poll(manual), STATUS_TIMEOUT);
    NtSetEvent(manual, NULL);
    int stays = poll(manual) == STATUS_SUCCESS && poll(manual) == STATUS_SUCCESS;
    NtClearEvent(manual);
    xt_check("event manual-reset ok", stays && poll(manual) == STATUS_TIMEOUT);

    NtCreateEvent(&automatic, NULL, SYNCHRONIZATION_EVENT, 1);
    int once = poll(automatic) == STATUS_SUCCESS && poll(automatic) == STATUS_TIMEOUT;
    xt_check("event auto-reset ok", once);

    /* One thread wakes another through events. */
    HANDLE t;
    NtCreateEvent(&start_event, NULL, NOTIFICATION_EVENT, 0);
    NtCreateEvent(&done_event, NULL, SYNCHRONIZATION_EVENT, 0);
    ExCreateThread(&t, 0, NULL, 0, event_waiter, NULL, 0);
    LARGE_INTEGER wait = timeout_ms(20);
    xt_check_eq("event not yet signalled times out", NtWaitForSingleObjectEx(done_event, USER_MODE, 0, &wait),
                STATUS_TIMEOUT);
    NtSetEvent(start_event, NULL);
    xt_check_eq("event wakes other thread", NtWaitForSingleObjectEx(done_event, USER_MODE, 0, NULL), STATUS_SUCCESS);
    NtWaitForSingleObjectEx(t, USER_MODE, 0, NULL);
    NtClose(t);
    NtClose(start_event);
    NtClose(done_event);
    NtClose(manual);
    NtClose(automatic);
}

static void semaphores(void) {
    HANDLE sem;
    s32 previous = -1;
    NtCreateSemaphore(&sem, NULL, 0, 2);
    xt_check_eq("semaphore starts empty", poll(sem), STATUS_TIMEOUT);
    xt_check_eq("semaphore release", NtReleaseSemaphore(sem, 2, &previous), STATUS_SUCCESS);
    xt_check_eq("semaphore previous count", previous, 0);
    int two = poll(sem) == STATUS_SUCCESS && poll(sem) == STATUS_SUCCESS && poll(sem) == STATUS_TIMEOUT;
    xt_check("semaphore counts down", two);
    NtReleaseSemaphore(sem, 1, NULL);
    xt_check("semaphore over limit fails", !NT_SUCCESS(NtReleaseSemaphore(sem, 2, NULL)));
    NtClose(sem);
}

static void mutants(void) {
    HANDLE t;
    s32 previous = 0;
    NtCreateMutant(&mutant, NULL, 1);
    xt_check_eq("mutant recursive acquire", poll(mutant), STATUS_SUCCESS);
    ExCreateThread(&t, 0, NULL, 0, mutant_prober, NULL, 0);
    NtWaitForSingleObjectEx(t, USER_MODE, 0, NULL);
    NtClose(t);
    xt_check_eq("mutant owned elsewhere times out", mutant_wait_from_other, STATUS_TIMEOUT);
    NtReleaseMutant(mutant, &previous);
    NtReleaseMutant(mutant, NULL);
    ExCreateThread(&t, 0, NULL, 0, mutant_prober, NULL, 0);
    NtWaitForSingleObjectEx(t, USER_MODE, 0, NULL);
    NtClose(t);
    xt_check_eq("mutant released is acquired", mutant_wait_from_other, STATUS_SUCCESS);
    xt_check("mutant release of unowned fails", !NT_SUCCESS(NtReleaseMutant(mutant, NULL)));
    NtClose(mutant);
}

/* The exit status field of a KTHREAD (0x103, STATUS_PENDING, while it runs). */
#define KTHREAD_EXIT_STATUS 0x140

static u32 thread_exit_code(HANDLE thread) {
    void *kthread = NULL;
    if (ObReferenceObjectByHandle(thread, NULL, &kthread) != STATUS_SUCCESS) return 0xFFFFFFFF;
    u32 code = *(volatile u32 *)((u8 *)kthread + KTHREAD_EXIT_STATUS);
    ObDereferenceObject(kthread);
    return code;
}

static void workers(void) {
    HANDLE threads[WORKERS];
    u32 ids[WORKERS];
    RtlInitializeCriticalSection(&counter_lock);
    tls_slot = KeTlsAlloc();
    xt_check("tls slot allocated", tls_slot != 0xFFFFFFFF);
    KeTlsSetValue(tls_slot, (void *)0xABCD);
    NtCreateEvent(&start_event, NULL, NOTIFICATION_EVENT, 0);
    int created = 1;
    for (u32 i = 0; i < WORKERS; i++)
        created &= ExCreateThread(&threads[i], 0, &ids[i], 0, worker, (void *)i, 0) == STATUS_SUCCESS;
    xt_check("thread create", created);
    NtSetEvent(start_event, NULL);

    LARGE_INTEGER long_wait = timeout_ms(30000);
    NTSTATUS all = NtWaitForMultipleObjectsEx(WORKERS, threads, WAIT_ALL, USER_MODE, 0, &long_wait);
    xt_check_eq("wait all threads", all, STATUS_SUCCESS);
    NTSTATUS any = NtWaitForMultipleObjectsEx(WORKERS, threads, WAIT_ANY, USER_MODE, 0, NULL);
    xt_check_eq("wait any returns first index", any, STATUS_WAIT_0);
    u32 ran = 0;
    for (u32 i = 0; i < WORKERS; i++) ran += started[i];
    xt_check_eq("threads started", ran, WORKERS);
    xt_check_eq("critical section counter", counter, WORKERS * INCREMENTS);
    u32 tls = 0;
    for (u32 i = 0; i < WORKERS; i++) tls += tls_ok[i];
    xt_check_eq("tls per thread", tls, WORKERS);
    xt_check("tls main thread kept", KeTlsGetValue(tls_slot) == (void *)0xABCD);
    KeTlsFree(tls_slot);
    /* A thread's exit status is kept in its KTHREAD after it ends. */
    u32 codes_ok = 0;
    for (u32 i = 0; i < WORKERS; i++) codes_ok += thread_exit_code(threads[i]) == 100 + i;
    xt_check_eq("exit codes kept", codes_ok, WORKERS);
    for (u32 i = 0; i < WORKERS; i++) NtClose(threads[i]);
    NtClose(start_event);

    HANDLE t;
    ExCreateThread(&t, 0, NULL, 0, terminating, NULL, 0);
    xt_check_eq("thread exit via ExTerminateThread", NtWaitForSingleObjectEx(t, USER_MODE, 0, NULL),
                STATUS_SUCCESS);
    xt_check_eq("ExTerminateThread exit code", thread_exit_code(t), 77);
    NtClose(t);
}

static void timeouts(void) {
    HANDLE never;
    NtCreateEvent(&never, NULL, NOTIFICATION_EVENT, 0);
    LARGE_INTEGER t = timeout_ms(15);
    xt_check_eq("wait with timeout", NtWaitForSingleObjectEx(never, USER_MODE, 0, &t), STATUS_TIMEOUT);
    HANDLE pair[2];
    NtCreateEvent(&pair[0], NULL, NOTIFICATION_EVENT, 0);
    NtCreateEvent(&pair[1], NULL, NOTIFICATION_EVENT, 1);
    t = timeout_ms(15);
    xt_check_eq("wait any picks signalled", NtWaitForMultipleObjectsEx(2, pair, WAIT_ANY, USER_MODE, 0, &t),
                STATUS_WAIT_0 + 1);
    t = timeout_ms(15);
    xt_check_eq("wait all times out", NtWaitForMultipleObjectsEx(2, pair, WAIT_ALL, USER_MODE, 0, &t),
                STATUS_TIMEOUT);
    LARGE_INTEGER sleep = timeout_ms(5);
    xt_check_eq("delay execution", KeDelayExecutionThread(USER_MODE, 0, &sleep), STATUS_SUCCESS);
    NtClose(never);
    NtClose(pair[0]);
    NtClose(pair[1]);
}

int main(void) {
    xt_program = "threads";
    events();
    semaphores();
    mutants();
    workers();
    timeouts();
    return xt_finish();
}
