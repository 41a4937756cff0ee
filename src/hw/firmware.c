/* firmware.c — locate and load firmware files (see firmware.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/firmware.h"
#include "base/log.h"
#include "config.h"

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (!p)
        fatal("out of memory");
    snprintf(p, len, "%s/%s", dir, name);
    return p;
}

static char *try_dir(const char *dir, const char *name)
{
    char *p = join(dir, name);
    if (access(p, R_OK) == 0)
        return p;
    free(p);
    return NULL;
}

char *firmware_find(const char *name)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n;
    char *found;

    if (strchr(name, '/'))
        return access(name, R_OK) == 0 ? strdup(name) : NULL;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        exe[n] = 0;
        slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        snprintf(dir, sizeof(dir), "%s/bios", exe);          /* build/emu -> build/bios */
        if ((found = try_dir(dir, name)))
            return found;
        snprintf(dir, sizeof(dir), "%s/../share/emu", exe);  /* installed */
        if ((found = try_dir(dir, name)))
            return found;
        snprintf(dir, sizeof(dir), "%s/../bios", exe);       /* build/tests/emu-tests */
        if ((found = try_dir(dir, name)))
            return found;
    }
    if ((found = try_dir(EMU_PREFIX "/share/emu", name)))
        return found;
    return try_dir("/usr/share/seabios", name);
}

uint8_t *firmware_load(const char *path_or_name, size_t *size, const char *package)
{
    char *path = firmware_find(path_or_name);
    FILE *f;
    long len;
    uint8_t *buf;

    if (!path) {
        if (strchr(path_or_name, '/'))
            fatal("cannot read firmware file '%s'", path_or_name);
        fatal("firmware '%s' not found in build/bios, %s/share/emu or /usr/share/seabios "
              "(install Debian's %s package)", path_or_name, EMU_PREFIX, package);
    }
    f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        fatal("cannot read firmware file '%s'", path);
    buf = malloc(len ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        fatal("cannot read firmware file '%s'", path);
    fclose(f);
    free(path);
    *size = (size_t)len;
    return buf;
}
