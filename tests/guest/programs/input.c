/* input: the controller in port 0. Waits for a pad to be plugged in (the
 * window's keyboard), then prompts for presses on stdout and checks that
 * XamInputGetState and XamInputGetKeystroke see them: A down and up, the
 * left stick pushed up. The test presses the keys when it reads each
 * prompt. */
#include "xenact.h"

typedef struct {
    u32 packet;
    u16 buttons;
    u8 left_trigger, right_trigger;
    short thumb_lx, thumb_ly, thumb_rx, thumb_ry;
} XINPUT_STATE;

typedef struct {
    u16 virtual_key, unicode, flags;
    u8 user_index, hid_code;
} XINPUT_KEYSTROKE;

u32 XamInputGetState(u32 user, u32 flags, XINPUT_STATE *state);
u32 XamInputGetKeystroke(u32 user, u32 flags, XINPUT_KEYSTROKE *keystroke);

#define ERROR_SUCCESS 0
#define ERROR_EMPTY 0x10D2
#define XINPUT_GAMEPAD_A 0x1000
#define VK_PAD_A 0x5800
#define XINPUT_KEYSTROKE_KEYDOWN 1
#define XINPUT_KEYSTROKE_KEYUP 2
#define ANY_USER 0xFF

static XINPUT_STATE state;

/* Polls port 0 every 5 ms until `done` holds (at most 30 s). */
static int poll_until(int (*done)(void)) {
    LARGE_INTEGER tick = timeout_ms(5);
    for (int i = 0; i < 6000; i++) {
        if (XamInputGetState(0, 0, &state) == ERROR_SUCCESS && done()) return 1;
        KeDelayExecutionThread(USER_MODE, 0, &tick);
    }
    return 0;
}

static int connected(void) { return 1; }
static int a_down(void) { return (state.buttons & XINPUT_GAMEPAD_A) != 0; }
static int a_up(void) { return (state.buttons & XINPUT_GAMEPAD_A) == 0; }
static int stick_up(void) { return state.thumb_ly == 32767; }
static int stick_centred(void) { return state.thumb_ly == 0; }

/* The next keystroke's key and flags, or 0 when none is waiting. */
static u32 next_keystroke(void) {
    XINPUT_KEYSTROKE k;
    if (XamInputGetKeystroke(ANY_USER, 1, &k) != ERROR_SUCCESS) return 0;
    return (u32)k.virtual_key << 16 | k.flags;
}

int main(void) {
    xt_program = "input";
    if (!xt_check("a pad is plugged into port 0", poll_until(connected))) return xt_finish();
    u32 first_packet = state.packet;
    while (next_keystroke()) {
    }

    printf("input: press A\n");
    xt_check("A down in the state", poll_until(a_down));
    xt_check("the packet number moved on", state.packet != first_packet);
    xt_check_eq("A down as a keystroke", next_keystroke(), VK_PAD_A << 16 | XINPUT_KEYSTROKE_KEYDOWN);
    printf("input: release A\n");
    xt_check("A up in the state", poll_until(a_up));
    xt_check_eq("A up as a keystroke", next_keystroke(), VK_PAD_A << 16 | XINPUT_KEYSTROKE_KEYUP);
    xt_check_eq("no keystroke left", next_keystroke(), 0);

    printf("input: push the left stick up\n");
    xt_check("left stick all the way up", poll_until(stick_up));
    printf("input: let go of the stick\n");
    xt_check("left stick centred again", poll_until(stick_centred));
    return xt_finish();
}
