/* tone: plays a 440 Hz sine for 2 s through the XAudio render driver.
 *
 * It registers a render-driver client; the driver calls its callback once
 * per frame it needs (256 samples per channel at 48 kHz), and the callback
 * submits the next frame of the tone: 6 channels, planar, front left and
 * front right carrying the sine, the other four silent. After 375 frames
 * (2 s) the callback stops submitting and wakes the main thread, which
 * unregisters the client and exits with the number of failed checks.
 *
 * Render-driver facts from xenia (xboxkrnl_audio.cc, audio_system.cc): the
 * client structure is { callback, context }, the driver handle is
 * 0x4155xxxx, the speaker configuration reads 0x00010001. The callback's
 * argument is not used here (xenia passes a pointer to the context). */
#include "xenact.h"

#define SAMPLE_RATE 48000
#define FRAME_SAMPLES 256
#define CHANNELS 6
#define TONE_FRAMES 375 /* 2 s: 375 * 256 = 96000 samples */
/* 440 Hz at 48 kHz repeats exactly every 1200 samples (11 periods). */
#define TABLE_SAMPLES 1200
#define TONE_PERIODS 11
#define AMPLITUDE 0.5f
/* Frames the driver may not have copied yet when the next callback runs:
 * each submission gets its own buffer from a ring of this many. */
#define BUFFERS 16

typedef struct {
    u32 callback;
    u32 context;
} XAUDIO_DRIVER_CALLBACK;

NTSTATUS XAudioGetSpeakerConfig(u32 *config);
NTSTATUS XAudioRegisterRenderDriverClient(XAUDIO_DRIVER_CALLBACK *callback, u32 *driver);
NTSTATUS XAudioUnregisterRenderDriverClient(u32 driver);
NTSTATUS XAudioSubmitRenderDriverFrame(u32 driver, const float *samples);

static float table[TABLE_SAMPLES];
static float buffers[BUFFERS][CHANNELS * FRAME_SAMPLES] __attribute__((aligned(128)));
static u32 driver;
static HANDLE done_event;
static volatile u32 callbacks;
static volatile u32 submitted;
static volatile u32 submit_failures;

/* sin(x) for |x| <= pi/2, Taylor series to x^13 (error below 1e-9). */
static double sin_small(double x) {
    double x2 = x * x, term = x, sum = x;
    for (int k = 1; k <= 6; k++) {
        term *= -x2 / ((2 * k) * (2 * k + 1));
        sum += term;
    }
    return sum;
}

/* sin(2 pi * turns) for turns in [0, 1). */
static double sin_turns(double turns) {
    const double pi = 3.14159265358979323846;
    if (turns < 0.25) return sin_small(2 * pi * turns);
    if (turns < 0.75) return sin_small(2 * pi * (0.5 - turns));
    return sin_small(2 * pi * (turns - 1.0));
}

static void fill_table(void) {
    for (int i = 0; i < TABLE_SAMPLES; i++) {
        u32 phase = (u32)(i * TONE_PERIODS) % TABLE_SAMPLES;
        table[i] = AMPLITUDE * (float)sin_turns((double)phase / TABLE_SAMPLES);
    }
}

/* Frame `n` of the tone: front left (plane 0) and front right (plane 1)
 * carry the sine; centre, LFE, back left and back right are silent. */
static void render_frame(float *frame, u32 n) {
    memset(frame, 0, sizeof(float) * CHANNELS * FRAME_SAMPLES);
    u32 first = (n * FRAME_SAMPLES) % TABLE_SAMPLES;
    for (int i = 0; i < FRAME_SAMPLES; i++) {
        float s = table[(first + i) % TABLE_SAMPLES];
        frame[0 * FRAME_SAMPLES + i] = s;
        frame[1 * FRAME_SAMPLES + i] = s;
    }
}

/* The render-driver callback: runs on the driver's thread each time the
 * driver wants a frame. */
static void on_frame_needed(void *argument) {
    (void)argument;
    callbacks++;
    u32 n = submitted;
    if (n >= TONE_FRAMES) return;
    float *frame = buffers[n % BUFFERS];
    render_frame(frame, n);
    if (XAudioSubmitRenderDriverFrame(driver, frame) != STATUS_SUCCESS) submit_failures++;
    submitted = n + 1;
    if (n + 1 == TONE_FRAMES) NtSetEvent(done_event, NULL);
}

int main(void) {
    xt_program = "tone";
    fill_table();
    xt_check("sine table peaks at the amplitude", table[300 / TONE_PERIODS] > 0.49f && table[300 / TONE_PERIODS] <= 0.5f);

    u32 speakers = 0;
    xt_check_eq("speaker config", XAudioGetSpeakerConfig(&speakers), STATUS_SUCCESS);
    xt_check_eq("speaker config value", speakers, 0x00010001);

    NtCreateEvent(&done_event, NULL, NOTIFICATION_EVENT, 0);
    XAUDIO_DRIVER_CALLBACK client = {(u32)on_frame_needed, 0x544F4E45 /* "TONE" */};
    int registered = xt_check_eq("register", XAudioRegisterRenderDriverClient(&client, &driver), STATUS_SUCCESS);
    xt_check_eq("driver handle tag", driver & 0xFFFF0000, 0x41550000);

    /* 2 s of audio; allow a slow host ten times that. */
    LARGE_INTEGER timeout = timeout_ms(20000);
    NTSTATUS waited = registered ? NtWaitForSingleObjectEx(done_event, USER_MODE, 0, &timeout) : STATUS_TIMEOUT;
    xt_check_eq("375 frames rendered", waited, STATUS_SUCCESS);
    xt_check_eq("frames submitted", submitted, TONE_FRAMES);
    xt_check_eq("submissions accepted", submit_failures, 0);
    xt_check("callbacks at least frames", callbacks >= submitted);

    xt_check_eq("unregister", XAudioUnregisterRenderDriverClient(driver), STATUS_SUCCESS);
    printf("tone: %u frames of 440 Hz submitted in %u callbacks\n", submitted, callbacks);
    NtClose(done_event);
    return xt_finish();
}
