/* test_ui_sdl.c — the SDL window on a real X server (Xvfb on a display
 * number nobody answers on; the suite says "Xvfb not installed" and passes
 * when /usr/bin/Xvfb is missing).
 *
 *  - In process: events pushed into SDL's queue reach the fake guest as
 *    PS/2 set-2 bytes (Microsoft's scan code spec) and mouse packets; the
 *    Ctrl+Alt+G grab shows in the title; closing asks the power button.
 *  - End to end: build/emu boots SeaBIOS from a one-sector disk whose boot
 *    sector echoes int 16h keys with int 10h; EMU_TEST_KEYS types into the
 *    window; the text screen must show the typed text, and the window's
 *    rendered frame must match the guest screen pixel for pixel (the cursor
 *    cell aside). The PNGs stay in the build directory.
 */
#include "config.h"
#include "unit/testlib.h"

#ifdef EMU_HAVE_SDL
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <zlib.h>
#include <SDL.h>
#include "ui/sdl.h"

#define XVFB "/usr/bin/Xvfb"

/* -- Xvfb, one per test case, started by the runner (unchecked fixture) -- */

static pid_t xvfb_pid;
static char xvfb_display[16];

/* An X server answers on display n (the abstract socket first, as libxcb
 * tries it; abstract names are shared across containers, lock files not). */
static bool x_live(int n)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    int len = snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "/tmp/.X11-unix/X%d", n);
    bool ok = connect(fd, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 1 + len) == 0;

    close(fd);
    return ok;
}

static pid_t xvfb_spawn(int n)
{
    char disp[16];
    pid_t pid = fork();
    int null;

    if (pid)
        return pid;
    null = open("/dev/null", O_RDWR);
    prctl(PR_SET_PDEATHSIG, SIGTERM);   /* never outlive the test runner */
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    snprintf(disp, sizeof(disp), ":%d", n);
    /* -noreset: no server reset (and refused connections) between tests. */
    execl(XVFB, "Xvfb", disp, "-noreset", "-screen", "0", "1024x768x24", "-nolisten", "tcp",
          (char *)NULL);
    _exit(127);
}

/* Wait for our server to answer; false if it died (display taken). */
static bool xvfb_ready(pid_t pid, int n)
{
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return false;
        if (x_live(n))
            return true;
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return false;
}

/* A display number nobody uses, away from the usual :0-:99. */
static void xvfb_start(void)
{
    char lock[32];

    if (access(XVFB, X_OK))
        return;
    for (int i = 0, n = 100 + getpid() % 800; i < 20; i++, n = 100 + (n + 37) % 800) {
        snprintf(lock, sizeof(lock), "/tmp/.X%d-lock", n);
        if (!access(lock, F_OK) || x_live(n))
            continue;
        xvfb_pid = xvfb_spawn(n);
        if (xvfb_ready(xvfb_pid, n)) {
            snprintf(xvfb_display, sizeof(xvfb_display), ":%d", n);
            return;
        }
        xvfb_pid = 0;
    }
}

static void xvfb_stop(void)
{
    if (xvfb_pid > 0) {
        kill(xvfb_pid, SIGTERM);
        waitpid(xvfb_pid, NULL, 0);
    }
    xvfb_pid = 0;
    xvfb_display[0] = '\0';
}

/* False (and a message) when the test cannot run here. */
static bool have_x(void)
{
    if (access(XVFB, X_OK)) {
        printf("ui_sdl: Xvfb not installed (scripts/install-deps installs xvfb): skipped\n");
        return false;
    }
    ck_assert_msg(xvfb_display[0], "Xvfb did not start");
    setenv("DISPLAY", xvfb_display, 1);
    unsetenv("WAYLAND_DISPLAY");
    return true;
}

/* -- In process: a window on a fake guest -- */

typedef struct Guest {
    uint8_t kbd[64];
    int nkbd;
    int mouse[4];           /* dx, dy, dz, buttons of the last event */
    int nmouse;
    int presses;
    bool acpi_os;           /* the power button is listened to */
    uint32_t px[16];
    DisplaySurface s;
} Guest;

static void g_put(void *o, uint8_t b)
{
    Guest *g = o;
    if (g->nkbd < (int)sizeof(g->kbd))
        g->kbd[g->nkbd++] = b;
}

static void g_mouse(void *o, int dx, int dy, int dz, unsigned buttons)
{
    Guest *g = o;
    g->mouse[0] = dx;
    g->mouse[1] = dy;
    g->mouse[2] = dz;
    g->mouse[3] = (int)buttons;
    g->nmouse++;
}

static bool g_power(void *o)
{
    Guest *g = o;
    g->presses++;
    return g->acpi_os;
}

static void g_update(void *o, const DisplayListener *l)
{
    Guest *g = o;
    if (l && l->update)
        l->update(l->opaque, &g->s, 0, 0, g->s.width, g->s.height);
}

static void g_invalidate(void *o) {}
static const DisplaySurface *g_surface(void *o) { return &((Guest *)o)->s; }
static bool g_text(void *o, DisplayText *t) { return false; }
static const DisplayOps g_ops = { g_update, g_invalidate, g_surface, g_text };

typedef struct Win {
    Machine *m;
    SdlUi *ui;
    MachinePoll *poll;
    Guest g;
    DisplayDevice dev;
} Win;

static void win_open(Win *w)
{
    EmuOptions o;
    SdlUiConfig cfg = { .display = &w->dev, .opaque = &w->g, .put_scancode = g_put,
                        .mouse_event = g_mouse, .power_button = g_power };
    char err[256] = "";

    memset(w, 0, sizeof(*w));
    memset(&o, 0, sizeof(o));
    o.icount_shift = -1;
    w->m = machine_new(&o);
    w->g.s = (DisplaySurface){ .width = 4, .height = 4, .stride = 16, .pixels = w->g.px };
    w->dev = (DisplayDevice){ .name = "fake", .ops = &g_ops, .opaque = &w->g };
    cfg.m = w->m;
    w->ui = sdl_ui_new(&cfg, err, sizeof(err));
    ck_assert_msg(w->ui != NULL, "no window on %s: %s", xvfb_display, err);
    for (int i = 0; i < w->m->npolls; i++)
        if (w->m->polls[i].opaque == w->ui)
            w->poll = &w->m->polls[i];
    ck_assert_ptr_nonnull(w->poll);
}

static void push_key(Win *w, SDL_Scancode sc, bool down)
{
    SDL_Event e = { .type = down ? SDL_KEYDOWN : SDL_KEYUP };
    e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
    e.key.keysym.scancode = sc;
    SDL_PushEvent(&e);
}

static void push_window(Win *w, SDL_WindowEventID id)
{
    SDL_Event e = { .type = SDL_WINDOWEVENT };
    e.window.event = id;
    SDL_PushEvent(&e);
}

/* Deliver what was pushed; returns the keyboard bytes it produced. */
static int pump(Win *w)
{
    w->g.nkbd = 0;
    w->poll->fn(w->poll->opaque);
    return w->g.nkbd;
}

static void hotkey(Win *w)
{
    push_key(w, SDL_SCANCODE_LCTRL, true);
    push_key(w, SDL_SCANCODE_LALT, true);
    push_key(w, SDL_SCANCODE_G, true);
    push_key(w, SDL_SCANCODE_G, false);
    push_key(w, SDL_SCANCODE_LALT, false);
    push_key(w, SDL_SCANCODE_LCTRL, false);
}

START_TEST(test_ui_sdl_keys_to_set2)
{
    static const uint8_t right[] = { 0xe0, 0x74, 0xe0, 0xf0, 0x74 };
    static const uint8_t pause[] = { 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77 };
    static const uint8_t ctrl_alt[] = { 0x14, 0x11, 0xf0, 0x11, 0xf0, 0x14 };  /* no G (34) */
    Win w;

    if (!have_x())
        return;
    win_open(&w);
    push_key(&w, SDL_SCANCODE_RIGHT, true);
    push_key(&w, SDL_SCANCODE_RIGHT, false);
    push_key(&w, SDL_SCANCODE_Q, false);            /* a break without a make: dropped */
    ck_assert_int_eq(pump(&w), 5);
    ck_assert_mem_eq(w.g.kbd, right, 5);
    push_key(&w, SDL_SCANCODE_PAUSE, true);
    push_key(&w, SDL_SCANCODE_PAUSE, false);
    ck_assert_int_eq(pump(&w), 8);
    ck_assert_mem_eq(w.g.kbd, pause, 8);
    /* Focus lost with A held: A is released in the guest. */
    push_key(&w, SDL_SCANCODE_A, true);
    push_window(&w, SDL_WINDOWEVENT_FOCUS_LOST);
    ck_assert_int_eq(pump(&w), 3);
    ck_assert_mem_eq(w.g.kbd, "\x1c\xf0\x1c", 3);
    /* The grab hotkey: Ctrl and Alt reach the guest, G does not. */
    hotkey(&w);
    ck_assert_int_eq(pump(&w), 6);
    ck_assert_mem_eq(w.g.kbd, ctrl_alt, 6);
    machine_free(w.m);
}
END_TEST

static void push_motion(int dx, int dy)
{
    SDL_Event e = { .type = SDL_MOUSEMOTION };
    e.motion.xrel = dx;
    e.motion.yrel = dy;
    SDL_PushEvent(&e);
}

static void push_button(uint8_t button, bool down)
{
    SDL_Event e = { .type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP };
    e.button.button = button;
    e.button.state = down ? SDL_PRESSED : SDL_RELEASED;
    SDL_PushEvent(&e);
}

START_TEST(test_ui_sdl_mouse_grab)
{
    SDL_Event e = { .type = SDL_MOUSEWHEEL };
    Win w;

    if (!have_x())
        return;
    win_open(&w);
    ck_assert_str_eq(sdl_ui_title(w.ui), "emu — click or press Ctrl+Alt+G to grab the mouse");
    push_motion(5, 5);
    pump(&w);
    ck_assert_int_eq(w.g.nmouse, 0);                /* not grabbed: the host's mouse */
    hotkey(&w);
    pump(&w);
    ck_assert(sdl_ui_mouse_grabbed(w.ui));
    ck_assert_str_eq(sdl_ui_title(w.ui), "emu — press Ctrl+Alt+G to release the mouse");
    push_motion(7, -3);
    pump(&w);
    ck_assert_int_eq(w.g.nmouse, 1);
    ck_assert_int_eq(w.g.mouse[0], 7);
    ck_assert_int_eq(w.g.mouse[1], -3);
    push_button(SDL_BUTTON_RIGHT, true);
    pump(&w);
    ck_assert_int_eq(w.g.mouse[3], 2);              /* bit 1: right */
    e.wheel.y = 1;                                  /* away from the user */
    SDL_PushEvent(&e);
    pump(&w);
    ck_assert_int_eq(w.g.mouse[2], -1);
    ck_assert_int_eq(w.g.mouse[3], 2);
    push_button(SDL_BUTTON_RIGHT, false);
    pump(&w);
    ck_assert_int_eq(w.g.mouse[3], 0);
    hotkey(&w);
    pump(&w);
    ck_assert(!sdl_ui_mouse_grabbed(w.ui));
    push_button(SDL_BUTTON_LEFT, true);             /* a click grabs, and stays the host's */
    push_button(SDL_BUTTON_LEFT, false);
    w.g.nmouse = 0;
    pump(&w);
    ck_assert(sdl_ui_mouse_grabbed(w.ui));
    ck_assert_int_eq(w.g.nmouse, 0);
    machine_free(w.m);
}
END_TEST

START_TEST(test_ui_sdl_close)
{
    Win w;

    if (!have_x())
        return;
    win_open(&w);
    push_window(&w, SDL_WINDOWEVENT_CLOSE);         /* no ACPI OS: quit at once */
    pump(&w);
    ck_assert_int_eq(w.g.presses, 1);
    ck_assert_int_eq(w.m->request, MACHINE_REQ_QUIT);
    w.m->request = MACHINE_REQ_NONE;
    machine_free(w.m);

    win_open(&w);
    w.g.acpi_os = true;
    push_window(&w, SDL_WINDOWEVENT_CLOSE);         /* the guest is asked to power off */
    pump(&w);
    ck_assert_int_eq(w.g.presses, 1);
    ck_assert_int_eq(w.m->request, MACHINE_REQ_NONE);
    ck_assert_ptr_nonnull(strstr(sdl_ui_title(w.ui), "waiting for the guest to power off"));
    push_window(&w, SDL_WINDOWEVENT_CLOSE);         /* closing again: quit now */
    pump(&w);
    ck_assert_int_eq(w.m->request, MACHINE_REQ_QUIT);
    machine_free(w.m);
}
END_TEST

/* -- End to end: build/emu, SeaBIOS, a boot sector that echoes keys -- */

/* nasm, org 0x7c00: print "KEYS>", then forever: int 16h AH=0; Enter
 * prints CR LF, any other key is echoed with int 10h AH=0Eh. */
static const uint8_t echo_mbr[] = {
    0x31, 0xc0,             /* xor ax, ax */
    0x8e, 0xd8,             /* mov ds, ax */
    0xbe, 0x32, 0x7c,       /* mov si, banner */
    0xe8, 0x19, 0x00,       /* call puts */
    0x30, 0xe4,             /* key: xor ah, ah */
    0xcd, 0x16,             /* int 16h */
    0x3c, 0x0d,             /* cmp al, 13 */
    0x75, 0x08,             /* jne echo */
    0xbe, 0x38, 0x7c,       /* mov si, crlf */
    0xe8, 0x0b, 0x00,       /* call puts */
    0xeb, 0xf0,             /* jmp key */
    0xb4, 0x0e,             /* echo: mov ah, 0eh */
    0xbb, 0x07, 0x00,       /* mov bx, 7 */
    0xcd, 0x10,             /* int 10h */
    0xeb, 0xe7,             /* jmp key */
    0xac,                   /* puts: lodsb */
    0x84, 0xc0,             /* test al, al */
    0x74, 0x09,             /* jz done */
    0xb4, 0x0e,             /* mov ah, 0eh */
    0xbb, 0x07, 0x00,       /* mov bx, 7 */
    0xcd, 0x10,             /* int 10h */
    0xeb, 0xf2,             /* jmp puts */
    0xc3,                   /* done: ret */
    'K', 'E', 'Y', 'S', '>', 0,     /* banner */
    0x0d, 0x0a, 0,                  /* crlf */
};

static char *path_in_build(const char *name)
{
    return strdup(test_build_path(name));
}

/* 1 MiB (two 16x63 cylinders' worth, so SeaBIOS sees a geometry) */
static void write_disk(const char *path)
{
    uint8_t sector[512] = { 0 };
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    memcpy(sector, echo_mbr, sizeof(echo_mbr));
    sector[510] = 0x55;
    sector[511] = 0xaa;
    ck_assert_uint_eq(fwrite(sector, 1, 512, f), 512);
    ck_assert_int_eq(ftruncate(fileno(f), 1 << 20), 0);
    fclose(f);
}

static pid_t spawn_emu(const char *disk, const char *txt, const char *png, const char *shot,
                       const char *log)
{
    char dump_txt[512], dump_png[512];
    pid_t pid;

    snprintf(dump_txt, sizeof(dump_txt), "7:%s", txt);
    snprintf(dump_png, sizeof(dump_png), "7:%s", png);
    pid = fork();
    if (pid)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    setenv("EMU_TEST_KEYS", "Hello, World!\\nabc{pause}{pause}{pause}{pause}{shot}{pause}{close}", 1);
    setenv("EMU_TEST_KEYS_AT", "2", 1);
    setenv("EMU_TEST_SHOT", shot, 1);
    freopen("/dev/null", "r", stdin);
    freopen(log, "w", stdout);
    dup2(fileno(stdout), 2);
    /* -icount: virtual time (keys, dumps) follows the guest, not host load. */
    execl(test_build_path("emu"), "emu", "-display", "sdl", "-serial", "none", "-no-reboot",
          "-icount", "0", "-m", "32", "-hda", disk, "-screendump-at", dump_txt,
          "-screendump-at", dump_png, (char *)NULL);
    _exit(127);
}

static int wait_emu(pid_t pid, int seconds)
{
    int status;

    for (int i = 0; i < seconds * 20; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

typedef struct Image {
    uint32_t w, h;
    uint8_t *rgb;           /* w * h * 3 */
} Image;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Our PNG writer's files: 8-bit RGB, filter type 0 on every row. */
static void png_read(const char *path, Image *img)
{
    static uint8_t file[1 << 20], idat[1 << 20];
    size_t len, nidat = 0, off = 8;
    uLongf raw_len;
    uint8_t *raw;
    FILE *f = fopen(path, "rb");

    ck_assert_msg(f != NULL, "%s missing", path);
    len = fread(file, 1, sizeof(file), f);
    fclose(f);
    ck_assert(len > 33 && !memcmp(file + 1, "PNG", 3));
    while (off + 12 <= len) {
        uint32_t n = be32(file + off);
        if (!memcmp(file + off + 4, "IHDR", 4)) {
            img->w = be32(file + off + 8);
            img->h = be32(file + off + 12);
        } else if (!memcmp(file + off + 4, "IDAT", 4)) {
            memcpy(idat + nidat, file + off + 8, n);
            nidat += n;
        }
        off += 12 + n;
    }
    raw_len = (uLongf)img->h * (1 + img->w * 3);
    raw = malloc(raw_len);
    ck_assert_int_eq(uncompress(raw, &raw_len, idat, nidat), Z_OK);
    img->rgb = malloc((size_t)img->w * img->h * 3);
    for (uint32_t y = 0; y < img->h; y++) {
        ck_assert_int_eq(raw[y * (1 + img->w * 3)], 0);
        memcpy(img->rgb + (size_t)y * img->w * 3, raw + y * (1 + img->w * 3) + 1, img->w * 3);
    }
    free(raw);
}

static char *read_text(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    size_t n;

    ck_assert_msg(f != NULL, "%s missing", path);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void compare_frames(const Image *win, const Image *screen)
{
    size_t pixels = (size_t)win->w * win->h, differ = 0, lit = 0;

    ck_assert_uint_eq(win->w, screen->w);
    ck_assert_uint_eq(win->h, screen->h);
    for (size_t i = 0; i < pixels; i++) {
        const uint8_t *a = win->rgb + i * 3, *b = screen->rgb + i * 3;
        differ += memcmp(a, b, 3) != 0;
        lit += a[0] || a[1] || a[2];
    }
    ck_assert_msg(lit > 1000, "the window shows nothing (%zu lit pixels)", lit);
    /* Only the blinking cursor cell (9x16) may differ. */
    ck_assert_msg(differ <= 9 * 16, "window and screen differ in %zu pixels", differ);
}

START_TEST(test_ui_sdl_boot_types_keys)
{
    char *disk = path_in_build("tests/ui_sdl_disk.img");
    char *txt = path_in_build("tests/ui_sdl_screen.txt");
    char *png = path_in_build("tests/ui_sdl_screen.png");
    char *shot = path_in_build("tests/ui_sdl_window.png");
    char *log = path_in_build("tests/ui_sdl_emu.log");
    Image win, screen;
    int status;

    if (!have_x())
        return;
    write_disk(disk);
    unlink(txt);
    unlink(png);
    unlink(shot);
    status = wait_emu(spawn_emu(disk, txt, png, shot, log), 45);
    ck_assert_msg(status == 0, "emu exited with %d; see %s:\n%s", status, log, read_text(log));
    ck_assert_msg(strstr(read_text(txt), "\nKEYS>Hello, World!\nabc\n"),
                  "typed text not on the screen:\n%s", read_text(txt));
    png_read(shot, &win);
    png_read(png, &screen);
    ck_assert_uint_eq(win.w, 720);                  /* 80x25 text, 9x16 cells */
    ck_assert_uint_eq(win.h, 400);
    compare_frames(&win, &screen);
    printf("ui_sdl: window screenshot %s (guest screen %s)\n", shot, png);
    free(win.rgb);
    free(screen.rgb);
    unlink(disk);
    free(disk);
    free(txt);
    free(png);
    free(shot);
    free(log);
}
END_TEST

TEST_SUITE(ui_sdl)
{
    Suite *s = suite_create("ui_sdl");
    TCase *tc = tcase_create("ui_sdl");
    tcase_add_unchecked_fixture(tc, xvfb_start, xvfb_stop);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ui_sdl_keys_to_set2);
    tcase_add_test(tc, test_ui_sdl_mouse_grab);
    tcase_add_test(tc, test_ui_sdl_close);
    tcase_add_test(tc, test_ui_sdl_boot_types_keys);
    suite_add_tcase(s, tc);
    return s;
}
#else
START_TEST(test_ui_sdl_not_built)
{
    printf("ui_sdl: emu was built without SDL2: skipped\n");
}
END_TEST

TEST_SUITE(ui_sdl)
{
    Suite *s = suite_create("ui_sdl");
    TCase *tc = tcase_create("ui_sdl");
    tcase_add_test(tc, test_ui_sdl_not_built);
    suite_add_tcase(s, tc);
    return s;
}
#endif
