/* display.h — the interface between display devices (VGA) and front ends
 * (the SDL window, screendumps, the monitor).
 *
 * A display device owns a host-side surface in XRGB8888 and renders guest
 * video memory into it only when asked: the front end calls
 * display_update() at its own pace (e.g. once per host frame). The device
 * renders what changed since the previous call and reports it through the
 * listener: resize() when the surface was reallocated (new size or pointer),
 * then update() once per changed rectangle. Between calls the surface is
 * stable and may be read (blitted, saved as PNG).
 *
 *   static void on_update(void *o, const DisplaySurface *s, int x, int y, int w, int h);
 *   DisplayListener l = { .opaque = win, .resize = on_resize, .update = on_update };
 *   display_update(vga_display(vga), &l);       // each host frame
 *
 * Text modes can also be read as characters (display_text) for dumps and
 * tests; graphics modes have no text and say so.
 *
 * All calls run on the machine's thread, between CPU slices.
 */
#ifndef EMU_UI_DISPLAY_H
#define EMU_UI_DISPLAY_H

#include "base/compiler.h"

/* One host pixel is 0x00RRGGBB in a uint32_t (XRGB8888, host order). */
typedef struct DisplaySurface {
    int width, height;
    int stride;             /* bytes from one row to the next */
    uint32_t *pixels;       /* owned by the device; valid until the next resize */
} DisplaySurface;

typedef struct DisplayListener {
    void *opaque;
    /* The surface changed size or moved; everything in it is new. Optional. */
    void (*resize)(void *opaque, const DisplaySurface *s);
    /* Pixels in [x, x+w) x [y, y+h) changed. Optional. */
    void (*update)(void *opaque, const DisplaySurface *s, int x, int y, int w, int h);
} DisplayListener;

/* A text-mode screen: cells[row * cols + col] = character | attribute << 8
 * (the character in the guest's code page, normally CP437; the attribute as
 * in a PC text buffer: bits 3:0 foreground, 6:4 background, 7 blink or
 * intensity). */
typedef struct DisplayText {
    int cols, rows;
    const uint16_t *cells;  /* owned by the device; valid until its next call */
    int cursor_col, cursor_row;
    bool cursor_visible;    /* enabled and on the screen (blink phase ignored) */
} DisplayText;

typedef struct DisplayOps {
    /* Render what changed; report through l (which may be NULL). */
    void (*update)(void *opaque, const DisplayListener *l);
    /* Make the next update redraw (and report) the whole surface. */
    void (*invalidate)(void *opaque);
    /* The current surface (as of the last update). */
    const DisplaySurface *(*surface)(void *opaque);
    /* Fill *t and return true in a text mode; false in graphics modes. */
    bool (*text)(void *opaque, DisplayText *t);
} DisplayOps;

typedef struct DisplayDevice {
    const char *name;
    const DisplayOps *ops;
    void *opaque;
} DisplayDevice;

static inline void display_update(DisplayDevice *d, const DisplayListener *l)
{
    d->ops->update(d->opaque, l);
}

static inline void display_invalidate(DisplayDevice *d)
{
    d->ops->invalidate(d->opaque);
}

static inline const DisplaySurface *display_surface(DisplayDevice *d)
{
    return d->ops->surface(d->opaque);
}

static inline bool display_text(DisplayDevice *d, DisplayText *t)
{
    return d->ops->text(d->opaque, t);
}

#endif
