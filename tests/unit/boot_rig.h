/* boot_rig.h — run build/emu as a subprocess for the boot tests.
 *
 *   BootRig rig;
 *   boot_rig_init(&rig);                       a private directory under $TMPDIR
 *   const char *args[] = { "-display", "none", "-serial",
 *                          boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "serial")), NULL };
 *   BootSpec spec = { .args = args, .timeout = 10, .watch = "serial",
 *                     .until = "No bootable device", .signal = SIGTERM };
 *   BootRun run = boot_run(&rig, &spec);
 *   char *serial = boot_rig_read(&rig, "serial");
 *   ...
 *   boot_rig_fini(&rig);                       removes the directory
 *
 * The child's stdin is /dev/null (or the pty's slave with .on_pty), its
 * stdout and stderr go to the files "stdout" and "stderr" in the directory.
 * When the watched file first contains `until`, the rig sends `signal`
 * (0: sends nothing, only notes the time). At `timeout` seconds the child
 * is killed with SIGKILL and the run is marked timed out. The child also
 * dies with the test process (PR_SET_PDEATHSIG), so Check's own timeout
 * leaves nothing behind.
 */
#ifndef EMU_TESTS_BOOT_RIG_H
#define EMU_TESTS_BOOT_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_RIG_MAX_ARGS 64
#define BOOT_RIG_MAX_STRINGS 32

typedef struct BootRig {
    char dir[256];
    char *strings[BOOT_RIG_MAX_STRINGS];    /* paths and args, freed by fini */
    int nstrings;
} BootRig;

typedef struct BootSpec {
    const char *prog;           /* NULL: $EMU_BUILD/emu */
    const char *const *args;    /* after argv[0], NULL-terminated */
    double timeout;             /* seconds until SIGKILL */
    const char *watch;          /* file in the rig's directory, or NULL */
    const char *until;          /* text to wait for in it */
    int signal;                 /* sent when it appears; 0 for none */
    bool on_pty;                /* stdin/stdout/stderr on a new pty (output to "stdout") */
} BootSpec;

typedef struct BootRun {
    int status;                 /* exit status, 128 + N if killed by signal N */
    bool timed_out;             /* killed by the rig at the timeout */
    bool matched;               /* `until` appeared */
    double seconds;             /* start to exit */
    double match_seconds;       /* start to the match */
} BootRun;

void boot_rig_init(BootRig *r);
void boot_rig_fini(BootRig *r);
/* "<dir>/<name>", owned by the rig. */
const char *boot_rig_path(BootRig *r, const char *name);
/* A formatted string owned by the rig. */
const char *boot_rig_arg(BootRig *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write `len` bytes to <dir>/<name>; returns the path. */
const char *boot_rig_write(BootRig *r, const char *name, const void *data, size_t len);
/* The contents of <dir>/<name>, NUL-terminated, malloc'd; "" if missing. */
char *boot_rig_read(BootRig *r, const char *name);
/* The built file $EMU_BUILD/rel, read whole (fails the test if missing). */
void *boot_rig_load_build(const char *rel, size_t *len);

/* A copy of $EMU_BUILD/rel as <dir>/name with the byte after the first
 * occurrence of `mark` set to `value` (a guest's parameter); the path. */
const char *boot_rig_patch(BootRig *r, const char *rel, const char *mark, uint8_t value,
                           const char *name);

BootRun boot_run(BootRig *r, const BootSpec *spec);

#endif
