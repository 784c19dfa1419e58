/* fault: makes a kernel call, then executes an unconditional trap. The
 * session must end with the guest-fault code and a report naming the PC,
 * the instruction, the registers and the recent kernel calls. */
#include "xenact.h"

int main(void) {
    xt_program = "fault";
    printf("fault: trapping now\n");
    __asm__ volatile("li 3, 0x1234\n\ttrap" : : : "r3");
    printf("fault: not reached\n");
    return 1;
}
