/* sdl.c — the SDL2 window (see sdl.h).
 *
 * One streaming texture the size of the guest surface holds the screen;
 * the display listener uploads changed rectangles into it and the renderer
 * scales it to the window (SDL_RenderSetLogicalSize letterboxes). Nothing
 * blocks: no vsync, events read with SDL_PollEvent.
 *
 * Keys the guest has been sent a make for are remembered, so that a break
 * is only sent after a make (the grab hotkey's G never reaches the guest)
 * and every held key is released when the window loses the focus.
 *
 * SDL numbers keys by USB HID usage (SDL_SCANCODE_A == 4), the numbering
 * ui/keymap.h uses; the static asserts below hold SDL to it.
 */
#include <stdlib.h>
#include <string.h>
#include <SDL.h>
#include "ui/sdl.h"
#include "ui/keymap.h"
#include "ui/png.h"
#include "base/log.h"

_Static_assert((int)SDL_SCANCODE_A == HID_A && (int)SDL_SCANCODE_G == HID_G &&
               (int)SDL_SCANCODE_RETURN == HID_ENTER && (int)SDL_SCANCODE_LCTRL == HID_LCTRL &&
               (int)SDL_SCANCODE_RGUI == HID_RGUI && (int)SDL_SCANCODE_PAUSE == 0x48,
               "SDL scancodes are USB HID usages");

#define FRAME_NS (NS_PER_SEC / 60)
#define MIN_WINDOW_WIDTH 640        /* small modes (320x200) are scaled up */
#define REPLAY_STEP_NS (20 * 1000000ll)
#define REPLAY_MAX 4096

#define TITLE_FREE "emu — click or press Ctrl+Alt+G to grab the mouse"
#define TITLE_GRABBED "emu — press Ctrl+Alt+G to release the mouse"
#define TITLE_CLOSING "emu — waiting for the guest to power off (close again to quit now)"

typedef enum { REPLAY_DOWN, REPLAY_UP, REPLAY_PAUSE, REPLAY_CLOSE, REPLAY_SHOT } ReplayKind;

typedef struct ReplayEvent {
    ReplayKind kind;
    unsigned usage;
} ReplayEvent;

/* EMU_TEST_KEYS, parsed into events. */
typedef struct Replay {
    ReplayEvent *ev;
    int n, next;
    int64_t next_ns;        /* virtual time of the next event */
} Replay;

struct SdlUi {
    SdlUiConfig cfg;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int tex_w, tex_h;
    bool present;           /* the texture changed or the window needs a redraw */
    int64_t next_frame_ns;
    bool grabbed;
    unsigned buttons;
    bool key_down[HID_USAGE_LIMIT];
    int64_t close_deadline; /* host ns; 0 while not closing */
    bool shot_pending;      /* test hook: save the next frame drawn */
    const char *title;
    Replay replay;
};

/* -- Screen -- */

static void ui_resize(void *opaque, const DisplaySurface *s)
{
    SdlUi *ui = opaque;
    int scale = 1;

    if (ui->tex && ui->tex_w == s->width && ui->tex_h == s->height)
        return;
    if (ui->tex)
        SDL_DestroyTexture(ui->tex);
    ui->tex = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING,
                                s->width, s->height);
    if (!ui->tex)
        fatal("SDL: cannot create a %dx%d texture: %s", s->width, s->height, SDL_GetError());
    ui->tex_w = s->width;
    ui->tex_h = s->height;
    SDL_RenderSetLogicalSize(ui->ren, s->width, s->height);
    while (s->width * scale < MIN_WINDOW_WIDTH)
        scale++;
    if (!(SDL_GetWindowFlags(ui->win) & (SDL_WINDOW_MAXIMIZED | SDL_WINDOW_FULLSCREEN)))
        SDL_SetWindowSize(ui->win, s->width * scale, s->height * scale);
}

static void ui_update(void *opaque, const DisplaySurface *s, int x, int y, int w, int h)
{
    SdlUi *ui = opaque;
    SDL_Rect r = { x, y, w, h };
    const uint8_t *src = (const uint8_t *)s->pixels + (size_t)y * s->stride + (size_t)x * 4;

    if (!ui->tex)
        ui_resize(ui, s);
    SDL_UpdateTexture(ui->tex, &r, src, s->stride);
    ui->present = true;
}

/* Test hook: the frame as rendered (the letterboxed viewport) as a PNG in
 * $EMU_TEST_SHOT, read back before it is presented. */
static void window_shot(SdlUi *ui)
{
    const char *path = getenv("EMU_TEST_SHOT");
    SDL_Rect vp;
    float sx, sy;
    DisplaySurface s;
    char err[256];

    ui->shot_pending = false;
    SDL_RenderGetViewport(ui->ren, &vp);        /* logical units */
    SDL_RenderGetScale(ui->ren, &sx, &sy);
    s.width = (int)(vp.w * sx + 0.5f);
    s.height = (int)(vp.h * sy + 0.5f);
    s.stride = s.width * 4;
    s.pixels = calloc((size_t)s.width * s.height, 4);
    if (!s.pixels)
        fatal("out of memory");
    if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGB888, s.pixels, s.stride))
        warn("EMU_TEST_SHOT: %s", SDL_GetError());
    else if (path && png_write(path, &s, err, sizeof(err)))
        warn("EMU_TEST_SHOT: %s", err);
    free(s.pixels);
}

static void ui_refresh(SdlUi *ui)
{
    DisplayListener l = { .opaque = ui, .resize = ui_resize, .update = ui_update };
    int64_t now = host_clock_ns();

    if (now < ui->next_frame_ns)
        return;
    /* Keep a 60 Hz cadence on average, without catching up after a stall. */
    ui->next_frame_ns = MAX(ui->next_frame_ns + FRAME_NS, now);
    if (SDL_GetWindowFlags(ui->win) & (SDL_WINDOW_MINIMIZED | SDL_WINDOW_HIDDEN))
        return;
    display_update(ui->cfg.display, &l);
    if (!(ui->present || ui->shot_pending) || !ui->tex)
        return;
    SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 255);
    SDL_RenderClear(ui->ren);
    SDL_RenderCopy(ui->ren, ui->tex, NULL, NULL);
    if (ui->shot_pending)
        window_shot(ui);
    SDL_RenderPresent(ui->ren);
    ui->present = false;
}

/* -- Title and mouse grab -- */

static void ui_set_title(SdlUi *ui)
{
    ui->title = ui->close_deadline ? TITLE_CLOSING : ui->grabbed ? TITLE_GRABBED : TITLE_FREE;
    SDL_SetWindowTitle(ui->win, ui->title);
}

static void ui_grab(SdlUi *ui, bool grab)
{
    if (grab == ui->grabbed)
        return;
    if (SDL_SetRelativeMouseMode(grab ? SDL_TRUE : SDL_FALSE) < 0 && grab) {
        warn("SDL: cannot grab the mouse: %s", SDL_GetError());
        return;
    }
    ui->grabbed = grab;
    ui_set_title(ui);
}

/* -- Keyboard -- */

static void send_key(SdlUi *ui, unsigned usage, bool press)
{
    uint8_t seq[KEYMAP_MAX_SEQ];
    int n = keymap_set2(usage, press, seq);

    for (int i = 0; i < n; i++)
        ui->cfg.put_scancode(ui->cfg.opaque, seq[i]);
}

static void release_all_keys(SdlUi *ui)
{
    for (unsigned k = 0; k < HID_USAGE_LIMIT; k++) {
        if (ui->key_down[k]) {
            ui->key_down[k] = false;
            send_key(ui, k, false);
        }
    }
}

static bool hotkey_mods(SdlUi *ui)
{
    return (ui->key_down[HID_LCTRL] || ui->key_down[HID_RCTRL]) &&
           (ui->key_down[HID_LALT] || ui->key_down[HID_RALT]);
}

static void on_key(SdlUi *ui, const SDL_KeyboardEvent *e)
{
    unsigned k = e->keysym.scancode;
    bool press = e->type == SDL_KEYDOWN;

    if (k >= HID_USAGE_LIMIT)
        return;
    if (press && k == HID_G && hotkey_mods(ui)) {
        if (!e->repeat)
            ui_grab(ui, !ui->grabbed);
        return;
    }
    if (!press && !ui->key_down[k])
        return;                     /* never sent (the hotkey's G) */
    ui->key_down[k] = press;
    send_key(ui, k, press);         /* a held key repeats its make, as typematic does */
}

/* -- Mouse -- */

static unsigned button_bit(uint8_t sdl_button)
{
    switch (sdl_button) {
    case SDL_BUTTON_LEFT: return 1u << 0;
    case SDL_BUTTON_RIGHT: return 1u << 1;
    case SDL_BUTTON_MIDDLE: return 1u << 2;
    case SDL_BUTTON_X1: return 1u << 3;
    case SDL_BUTTON_X2: return 1u << 4;
    }
    return 0;
}

static void on_button(SdlUi *ui, const SDL_MouseButtonEvent *e)
{
    if (!ui->grabbed) {
        if (e->type == SDL_MOUSEBUTTONUP && e->button == SDL_BUTTON_LEFT)
            ui_grab(ui, true);      /* the grabbing click stays with the host */
        return;
    }
    if (e->type == SDL_MOUSEBUTTONDOWN)
        ui->buttons |= button_bit(e->button);
    else
        ui->buttons &= ~button_bit(e->button);
    ui->cfg.mouse_event(ui->cfg.opaque, 0, 0, 0, ui->buttons);
}

static void on_wheel(SdlUi *ui, const SDL_MouseWheelEvent *e)
{
    int dz = e->direction == SDL_MOUSEWHEEL_FLIPPED ? e->y : -e->y;   /* SDL: +y away */

    if (ui->grabbed && dz)
        ui->cfg.mouse_event(ui->cfg.opaque, 0, 0, dz, ui->buttons);
}

/* -- Closing -- */

static void on_close(SdlUi *ui)
{
    if (!ui->close_deadline && ui->cfg.power_button &&
        ui->cfg.power_button(ui->cfg.opaque)) {
        ui->close_deadline = host_clock_ns() + SDL_CLOSE_TIMEOUT_S * NS_PER_SEC;
        ui_set_title(ui);
        return;
    }
    machine_request(ui->cfg.m, MACHINE_REQ_QUIT, 0);
}

static void check_close_timeout(SdlUi *ui)
{
    if (!ui->close_deadline || host_clock_ns() < ui->close_deadline)
        return;
    warn("the guest did not power off within %d s: quitting", SDL_CLOSE_TIMEOUT_S);
    ui->close_deadline = 0;
    machine_request(ui->cfg.m, MACHINE_REQ_QUIT, 0);
}

/* -- Events -- */

static void on_window(SdlUi *ui, const SDL_WindowEvent *e)
{
    switch (e->event) {
    case SDL_WINDOWEVENT_CLOSE:
        on_close(ui);
        break;
    case SDL_WINDOWEVENT_FOCUS_LOST:
        release_all_keys(ui);
        ui_grab(ui, false);
        break;
    case SDL_WINDOWEVENT_EXPOSED:
    case SDL_WINDOWEVENT_SIZE_CHANGED:
        ui->present = true;
        ui->next_frame_ns = 0;
        break;
    }
}

static void on_event(SdlUi *ui, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT:
        on_close(ui);
        break;
    case SDL_WINDOWEVENT:
        on_window(ui, &e->window);
        break;
    case SDL_KEYDOWN:
    case SDL_KEYUP:
        on_key(ui, &e->key);
        break;
    case SDL_MOUSEMOTION:
        if (ui->grabbed && (e->motion.xrel || e->motion.yrel))
            ui->cfg.mouse_event(ui->cfg.opaque, e->motion.xrel, e->motion.yrel, 0, ui->buttons);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        on_button(ui, &e->button);
        break;
    case SDL_MOUSEWHEEL:
        on_wheel(ui, &e->wheel);
        break;
    }
}

/* -- EMU_TEST_KEYS replay -- */

static void replay_add(Replay *r, ReplayKind kind, unsigned usage)
{
    if (r->n < REPLAY_MAX)
        r->ev[r->n++] = (ReplayEvent){ kind, usage };
}

static void replay_char(Replay *r, char c)
{
    bool shift;
    unsigned usage = keymap_ascii(c, &shift);

    if (!usage) {
        warn("EMU_TEST_KEYS: no key types '%c' on a US layout", c);
        return;
    }
    if (shift)
        replay_add(r, REPLAY_DOWN, HID_LSHIFT);
    replay_add(r, REPLAY_DOWN, usage);
    replay_add(r, REPLAY_UP, usage);
    if (shift)
        replay_add(r, REPLAY_UP, HID_LSHIFT);
}

static void replay_parse(Replay *r, const char *s)
{
    while (*s) {
        if (!strncmp(s, "{pause}", 7)) {
            replay_add(r, REPLAY_PAUSE, 0);
            s += 7;
        } else if (!strncmp(s, "{close}", 7)) {
            replay_add(r, REPLAY_CLOSE, 0);
            s += 7;
        } else if (!strncmp(s, "{shot}", 6)) {
            replay_add(r, REPLAY_SHOT, 0);
            s += 6;
        } else if (s[0] == '\\' && s[1] == 'n') {
            replay_char(r, '\n');
            s += 2;
        } else {
            replay_char(r, *s++);
        }
    }
}

static void replay_init(SdlUi *ui)
{
    const char *keys = getenv("EMU_TEST_KEYS");
    const char *at = getenv("EMU_TEST_KEYS_AT");
    Replay *r = &ui->replay;

    if (!keys || !*keys)
        return;
    r->ev = calloc(REPLAY_MAX, sizeof(*r->ev));
    if (!r->ev)
        fatal("out of memory");
    replay_parse(r, keys);
    r->next_ns = (int64_t)((at ? atof(at) : 1.0) * NS_PER_SEC);
}

static void replay_push(SdlUi *ui, const ReplayEvent *ev)
{
    SDL_Event e = { 0 };

    if (ev->kind == REPLAY_CLOSE) {
        e.type = SDL_WINDOWEVENT;
        e.window.event = SDL_WINDOWEVENT_CLOSE;
        e.window.windowID = SDL_GetWindowID(ui->win);
    } else {
        e.type = ev->kind == REPLAY_DOWN ? SDL_KEYDOWN : SDL_KEYUP;
        e.key.state = ev->kind == REPLAY_DOWN ? SDL_PRESSED : SDL_RELEASED;
        e.key.windowID = SDL_GetWindowID(ui->win);
        e.key.keysym.scancode = (SDL_Scancode)ev->usage;
    }
    SDL_PushEvent(&e);
}

static void replay_step(SdlUi *ui)
{
    Replay *r = &ui->replay;
    const ReplayEvent *ev;

    if (r->next >= r->n || vclock_now(ui->cfg.m->clock) < r->next_ns)
        return;
    ev = &r->ev[r->next++];
    r->next_ns += ev->kind == REPLAY_PAUSE ? NS_PER_SEC : REPLAY_STEP_NS;
    if (ev->kind == REPLAY_SHOT) {
        ui->shot_pending = true;
        ui->next_frame_ns = 0;
    } else if (ev->kind != REPLAY_PAUSE) {
        replay_push(ui, ev);
    }
}

/* -- Setup -- */

static bool ui_poll(void *opaque)
{
    SdlUi *ui = opaque;
    SDL_Event e;
    bool any = false;

    while (SDL_PollEvent(&e)) {
        on_event(ui, &e);
        any = true;
    }
    replay_step(ui);
    check_close_timeout(ui);
    ui_refresh(ui);
    return any;
}

static void ui_free(void *opaque)
{
    SdlUi *ui = opaque;

    if (ui->grabbed)
        SDL_SetRelativeMouseMode(SDL_FALSE);
    if (ui->tex)
        SDL_DestroyTexture(ui->tex);
    SDL_DestroyRenderer(ui->ren);
    SDL_DestroyWindow(ui->win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
    free(ui->replay.ev);
    free(ui);
}

/* Without a window system SDL falls back to drivers that show nothing;
 * only a user who names one in $SDL_VIDEODRIVER gets it. */
static bool headless_driver_wanted(void)
{
    const char *drv = SDL_GetCurrentVideoDriver(), *want = getenv("SDL_VIDEODRIVER");

    if (!drv || (strcmp(drv, "offscreen") && strcmp(drv, "dummy") && strcmp(drv, "evdev")))
        return true;
    return want && !strcmp(want, drv);
}

/* Copy SDL's reason before cleaning up (which may overwrite it). */
static bool sdl_failed(char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", SDL_GetError());
    return false;
}

static bool ui_open(SdlUi *ui, char *err, size_t errlen)
{
    /* The run loop owns SIGINT/SIGTERM; closing the window is ours to handle. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
        sdl_failed(err, errlen);
        goto fail;
    }
    if (!headless_driver_wanted()) {
        snprintf(err, errlen, "no window system found (SDL fell back to its '%s' driver)",
                 SDL_GetCurrentVideoDriver());
        goto fail_video;
    }
    ui->win = SDL_CreateWindow(TITLE_FREE, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                               640, 400, SDL_WINDOW_RESIZABLE);
    if (!ui->win) {
        sdl_failed(err, errlen);
        goto fail_video;
    }
    ui->ren = SDL_CreateRenderer(ui->win, -1, 0);
    if (!ui->ren) {
        sdl_failed(err, errlen);
        goto fail_window;
    }
    SDL_StopTextInput();            /* keys only: no IME, no SDL_TEXTINPUT */
    return true;
fail_window:
    SDL_DestroyWindow(ui->win);
fail_video:
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
fail:
    SDL_Quit();
    return false;
}

SdlUi *sdl_ui_new(const SdlUiConfig *cfg, char *err, size_t errlen)
{
    SdlUi *ui = calloc(1, sizeof(*ui));

    if (!ui)
        fatal("out of memory");
    ui->cfg = *cfg;
    if (!ui_open(ui, err, errlen)) {
        free(ui);
        return NULL;
    }
    ui_set_title(ui);
    display_invalidate(cfg->display);
    replay_init(ui);
    machine_add_poll(cfg->m, ui_poll, ui, -1);
    machine_add_exit(cfg->m, ui_free, ui);
    return ui;
}

const char *sdl_ui_title(SdlUi *ui)
{
    return ui->title;
}

bool sdl_ui_mouse_grabbed(SdlUi *ui)
{
    return ui->grabbed;
}
