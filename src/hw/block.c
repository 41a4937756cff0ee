/* block.c — raw disk images: positioned host I/O, flush, -snapshot overlay.
 *
 * The image is used directly: sector n lives at byte n*512 of the file. The
 * snapshot overlay is an unlinked, sparse temporary file of the same size
 * plus a bitmap of the sectors written to it; the bitmap is allocated in
 * chunks of OVL_CHUNK sectors on first write, so a large idle disk costs
 * only the chunk pointer array.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/log.h"
#include "hw/block.h"

#define OVL_CHUNK_BITS 15
#define OVL_CHUNK (1u << OVL_CHUNK_BITS)        /* sectors per bitmap chunk */

struct BlockDev {
    int fd;
    char *path;
    uint64_t sectors;
    bool read_only;         /* guest writes refused */
    bool writethrough;
    bool warned;            /* one host-error warning per device */
    int ovl_fd;             /* -snapshot overlay, or -1 */
    uint64_t **ovl_map;     /* per chunk: bitmap of sectors held by the overlay */
    uint64_t ovl_chunks;
};


/* -- Host I/O -- */

static int full_pread(int fd, void *buf, size_t len, uint64_t off)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;    /* the file shrank under us */
        p += n, off += n, len -= n;
    }
    return 0;
}

static int full_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;
        p += n, off += n, len -= n;
    }
    return 0;
}

static void host_error(BlockDev *b, const char *what, int err)
{
    if (b->warned)
        return;
    b->warned = true;
    warn("%s: host %s error: %s (reported to the guest; further errors not shown)",
         b->path, what, strerror(-err));
}

/* -- Snapshot overlay -- */

static bool ovl_has(const BlockDev *b, uint64_t s)
{
    const uint64_t *chunk = b->ovl_map[s >> OVL_CHUNK_BITS];
    uint64_t i = s & (OVL_CHUNK - 1);
    return chunk && (chunk[i / 64] >> (i % 64) & 1);
}

static int ovl_mark(BlockDev *b, uint64_t s, uint32_t count)
{
    for (; count; s++, count--) {
        uint64_t **chunk = &b->ovl_map[s >> OVL_CHUNK_BITS];
        uint64_t i = s & (OVL_CHUNK - 1);
        if (!*chunk && !(*chunk = calloc(OVL_CHUNK / 64, sizeof(uint64_t))))
            return -ENOMEM;
        (*chunk)[i / 64] |= 1ull << (i % 64);
    }
    return 0;
}

static int ovl_create(BlockDev *b, char *err, size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/emu-snapshot-XXXXXX", dir && *dir ? dir : "/var/tmp");
    b->ovl_fd = mkstemp(tmpl);
    if (b->ovl_fd < 0 && !(dir && *dir)) {
        snprintf(tmpl, sizeof tmpl, "/tmp/emu-snapshot-XXXXXX");
        b->ovl_fd = mkstemp(tmpl);
    }
    if (b->ovl_fd < 0) {
        set_error(err, errlen, "%s: cannot create the -snapshot overlay: %s", b->path,
                strerror(errno));
        return -1;
    }
    unlink(tmpl);
    if (ftruncate(b->ovl_fd, (off_t)(b->sectors * BLOCK_SECTOR_SIZE)) < 0) {
        set_error(err, errlen, "%s: cannot size the -snapshot overlay: %s", b->path,
                strerror(errno));
        return -1;
    }
    b->ovl_chunks = (b->sectors + OVL_CHUNK - 1) >> OVL_CHUNK_BITS;
    b->ovl_map = calloc(b->ovl_chunks, sizeof(*b->ovl_map));
    if (!b->ovl_map) {
        set_error(err, errlen, "%s: out of memory for the -snapshot overlay", b->path);
        return -1;
    }
    return 0;
}

/* -- Open and close -- */

static int open_image(BlockDev *b, bool want_write, char *err, size_t errlen)
{
    b->fd = open(b->path, (want_write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (b->fd < 0 && want_write && (errno == EACCES || errno == EROFS || errno == EPERM)) {
        b->fd = open(b->path, O_RDONLY | O_CLOEXEC);
        if (b->fd >= 0) {
            warn("%s: not writable, attached read-only (guest writes will fail)", b->path);
            b->read_only = true;
            want_write = false;
        }
    }
    if (b->fd < 0) {
        set_error(err, errlen, "%s: cannot open disk image: %s", b->path, strerror(errno));
        return -1;
    }
    /* Two writers on one image corrupt it: refuse a second read-write user. */
    if (flock(b->fd, (want_write ? LOCK_EX : LOCK_SH) | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
        set_error(err, errlen, "%s: disk image is in use by another process", b->path);
        return -1;
    }
    return 0;
}

static int size_image(BlockDev *b, char *err, size_t errlen)
{
    struct stat st;
    off_t size;
    if (fstat(b->fd, &st) < 0 || S_ISDIR(st.st_mode)) {
        set_error(err, errlen, "%s: not a disk image", b->path);
        return -1;
    }
    size = lseek(b->fd, 0, SEEK_END);
    if (size < 0) {
        set_error(err, errlen, "%s: cannot find the image size: %s", b->path, strerror(errno));
        return -1;
    }
    if (size == 0) {
        set_error(err, errlen, "%s: disk image is empty", b->path);
        return -1;
    }
    if (size % BLOCK_SECTOR_SIZE) {
        set_error(err, errlen, "%s: image size %lld is not a multiple of %d bytes", b->path,
                (long long)size, BLOCK_SECTOR_SIZE);
        return -1;
    }
    b->sectors = (uint64_t)size / BLOCK_SECTOR_SIZE;
    return 0;
}

BlockDev *block_open(const char *path, bool read_only, bool snapshot, char *err, size_t errlen)
{
    BlockDev *b = calloc(1, sizeof(*b));
    if (!b || !(b->path = strdup(path))) {
        set_error(err, errlen, "%s: out of memory", path);
        free(b);
        return NULL;
    }
    b->fd = b->ovl_fd = -1;
    b->read_only = read_only;
    if (open_image(b, !read_only && !snapshot, err, errlen) < 0)
        goto fail;
    if (size_image(b, err, errlen) < 0)
        goto fail;
    if (snapshot && !b->read_only && ovl_create(b, err, errlen) < 0)
        goto fail;
    return b;
fail:
    block_close(b);
    return NULL;
}

void block_close(BlockDev *b)
{
    if (!b)
        return;
    if (b->fd >= 0) {
        block_flush_at_exit(b);
        close(b->fd);
    }
    if (b->ovl_fd >= 0)
        close(b->ovl_fd);
    for (uint64_t i = 0; b->ovl_map && i < b->ovl_chunks; i++)
        free(b->ovl_map[i]);
    free(b->ovl_map);
    free(b->path);
    free(b);
}

uint64_t block_sectors(const BlockDev *b) { return b->sectors; }
bool block_read_only(const BlockDev *b) { return b->read_only; }
const char *block_path(const BlockDev *b) { return b->path; }
void block_set_writethrough(BlockDev *b, bool on) { b->writethrough = on; }

/* -- Sector I/O -- */

static bool in_range(const BlockDev *b, uint64_t sector, uint32_t count)
{
    return sector <= b->sectors && count <= b->sectors - sector;
}

/* Reads through the overlay: runs of sectors from one file or the other. */
static int read_overlaid(BlockDev *b, uint64_t sector, uint8_t *buf, uint32_t count)
{
    while (count) {
        bool in_ovl = ovl_has(b, sector);
        uint32_t n = 1;
        while (n < count && ovl_has(b, sector + n) == in_ovl)
            n++;
        int r = full_pread(in_ovl ? b->ovl_fd : b->fd, buf, (size_t)n * BLOCK_SECTOR_SIZE,
                           sector * BLOCK_SECTOR_SIZE);
        if (r < 0)
            return r;
        sector += n, buf += (size_t)n * BLOCK_SECTOR_SIZE, count -= n;
    }
    return 0;
}

int block_read(BlockDev *b, uint64_t sector, void *buf, uint32_t count)
{
    int r;
    if (!in_range(b, sector, count))
        return -EIO;
    if (b->ovl_fd >= 0)
        r = read_overlaid(b, sector, buf, count);
    else
        r = full_pread(b->fd, buf, (size_t)count * BLOCK_SECTOR_SIZE, sector * BLOCK_SECTOR_SIZE);
    if (r < 0)
        host_error(b, "read", r);
    return r;
}

int block_write(BlockDev *b, uint64_t sector, const void *buf, uint32_t count)
{
    size_t len = (size_t)count * BLOCK_SECTOR_SIZE;
    int r;
    if (b->read_only)
        return -EROFS;
    if (!in_range(b, sector, count))
        return -EIO;
    if (b->ovl_fd >= 0) {
        r = full_pwrite(b->ovl_fd, buf, len, sector * BLOCK_SECTOR_SIZE);
        if (!r)
            r = ovl_mark(b, sector, count);
    } else {
        r = full_pwrite(b->fd, buf, len, sector * BLOCK_SECTOR_SIZE);
        if (!r && b->writethrough)
            r = block_flush(b);
    }
    if (r < 0)
        host_error(b, "write", r);
    return r;
}

int block_flush(BlockDev *b)
{
    /* The overlay is thrown away at exit: nothing to make durable. */
    if (b->read_only || b->ovl_fd >= 0)
        return 0;
    while (fdatasync(b->fd) < 0) {
        int e = errno;
        if (e == EINTR)
            continue;
        if (e == EINVAL || e == EROFS)
            return 0;       /* a special file that cannot be synced */
        host_error(b, "flush", -e);
        return -e;
    }
    return 0;
}

void block_flush_at_exit(void *opaque)
{
    BlockDev *b = opaque;
    int r = block_flush(b);
    if (r < 0)
        warn("%s: flushing the disk image failed: %s", b->path, strerror(-r));
}
