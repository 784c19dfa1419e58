/* badptr: reads through a null pointer. Guest memory that the memory
 * manager never allocated faults as on the console, so the session ends
 * with the guest-fault code and a report naming the address. */
#include "xenact.h"

#define OPAQUE(x) ({ __typeof__(x) v_ = (x); __asm__ volatile("" : "+r"(v_)); v_; })

int main(void) {
    xt_program = "badptr";
    printf("badptr: reading address 0x10\n");
    volatile u32 *p = (volatile u32 *)OPAQUE(0x10u);
    printf("badptr: read %u (not reached)\n", *p);
    return 1;
}
