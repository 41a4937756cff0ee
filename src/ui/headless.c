/* headless.c — screendumps to files (see headless.h).
 *
 * -screendump-at times are virtual nanoseconds since power-on, so under
 * -icount a dump shows the same screen on every run. Each option gets one
 * Timer; they live in one array freed with the machine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ui/headless.h"
#include "ui/screendump.h"
#include "base/log.h"

typedef struct ScheduledDump {
    Timer timer;
    DisplayDevice *display;
    const char *path;
} ScheduledDump;

typedef struct ScheduledDumps {
    int n;
    ScheduledDump dump[];
} ScheduledDumps;

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static int dump_text(DisplayDevice *d, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    int r;

    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    r = screendump_text(d, f);
    if (fclose(f) || r) {
        snprintf(err, errlen, "%s: %s", path,
                 r ? "the display is not in a text mode" : "write error");
        return -1;
    }
    return 0;
}

int ui_screendump_file(DisplayDevice *d, const char *path, char *err, size_t errlen)
{
    int r;

    if (ends_with(path, ".txt"))
        return dump_text(d, path, err, errlen);
    r = screendump_png(d, path, err, errlen);
    /* That update reported to nobody: a window must redraw everything. */
    display_invalidate(d);
    return r;
}

static void dump_fire(void *opaque)
{
    ScheduledDump *sd = opaque;
    char err[256];

    if (ui_screendump_file(sd->display, sd->path, err, sizeof(err)))
        warn("-screendump-at: %s", err);
}

static void dumps_free(void *opaque)
{
    ScheduledDumps *sds = opaque;
    for (int i = 0; i < sds->n; i++)
        timer_del(&sds->dump[i].timer);
    free(sds);
}

void headless_schedule_screendumps(Machine *m, DisplayDevice *d)
{
    int n = m->opts.nscreendumps;
    ScheduledDumps *sds;

    if (n == 0)
        return;
    sds = calloc(1, sizeof(*sds) + n * sizeof(sds->dump[0]));
    if (!sds)
        fatal("out of memory");
    sds->n = n;
    for (int i = 0; i < n; i++) {
        ScheduledDump *sd = &sds->dump[i];
        sd->display = d;
        sd->path = m->opts.screendumps[i].path;
        timer_init(&sd->timer, m->clock, dump_fire, sd);
        timer_mod(&sd->timer, m->opts.screendumps[i].at_ns);
    }
    machine_add_exit(m, dumps_free, sds);
}
