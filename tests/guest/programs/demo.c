/* demo: the title embedded in xenact and run when no image is given. Prints
 * a banner, runs two threads that take turns through an event, and exits 0.
 * Later issues add drawing and sound. */
#include "xenact.h"

static HANDLE turn;

static u32 first(void *context) {
    printf("demo: thread %d says hello\n", (int)(u32)context);
    NtSetEvent(turn, NULL);
    return 1;
}

static u32 second(void *context) {
    NtWaitForSingleObjectEx(turn, USER_MODE, 0, NULL);
    printf("demo: thread %d says hello after thread 1\n", (int)(u32)context);
    return 2;
}

int main(void) {
    xt_program = "demo";
    printf("==============================\n");
    printf("  Xenact demo title\n");
    printf("==============================\n");
    HANDLE threads[2];
    NtCreateEvent(&turn, NULL, SYNCHRONIZATION_EVENT, 0);
    ExCreateThread(&threads[1], 0, NULL, 0, second, (void *)2, 0);
    ExCreateThread(&threads[0], 0, NULL, 0, first, (void *)1, 0);
    NTSTATUS s = NtWaitForMultipleObjectsEx(2, threads, WAIT_ALL, USER_MODE, 0, NULL);
    xt_check_eq("threads joined", s, STATUS_SUCCESS);
    NtClose(threads[0]);
    NtClose(threads[1]);
    NtClose(turn);
    printf("demo: done\n");
    return xt_finish();
}
