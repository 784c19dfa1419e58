/* deadlock: two threads that each wait forever on an event nobody signals.
 * The kernel must notice that no guest thread can ever run again, print a
 * dump of what each waits on and end the session with the deadlock code. */
#include "xenact.h"

static HANDLE never_a, never_b;

static u32 waiter(void *context) {
    (void)context;
    NtWaitForSingleObjectEx(never_b, USER_MODE, 0, NULL);
    return 0;
}

int main(void) {
    xt_program = "deadlock";
    NtCreateEvent(&never_a, NULL, NOTIFICATION_EVENT, 0);
    NtCreateEvent(&never_b, NULL, SYNCHRONIZATION_EVENT, 0);
    HANDLE thread;
    ExCreateThread(&thread, 0, NULL, 0, waiter, NULL, 0);
    printf("deadlock: both threads now wait forever\n");
    NtWaitForSingleObjectEx(never_a, USER_MODE, 0, NULL);
    printf("deadlock: not reached\n");
    return 1;
}
