/* hello: the smallest title. Prints a greeting and exits with code 0. */
#include "xenact.h"

int main(void) {
    xt_program = "hello";
    printf("hello: Hello from the Xenact guest!\n");
    xt_check("printf", snprintf((char[16]){0}, 16, "%d-%x-%s", -42, 0xbeef, "ok") == 11);
    return xt_finish();
}
