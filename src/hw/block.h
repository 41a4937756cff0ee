/* block.h — raw disk images as 512-byte-sector block devices.
 *
 * A BlockDev is one raw image file (or host block device) opened at start-up:
 *
 *   char err[256];
 *   BlockDev *hda = block_open(path, false, opts->snapshot, err, sizeof err);
 *   if (!hda) fatal("%s", err);
 *   machine_add_exit(m, block_flush_at_exit, hda);
 *
 * Invariants:
 *  - the image size is a whole number of 512-byte sectors (a partial trailing
 *    sector or an empty image is refused at open);
 *  - every write is handed to the host (pwrite) before block_write returns,
 *    in the order the guest issued it; block_flush makes them durable
 *    (fdatasync). With write-through on, each write is followed by a flush;
 *  - with `snapshot`, the image is opened read-only and never written: guest
 *    writes go to an unlinked temporary overlay file and are lost at exit;
 *  - a host I/O error is returned to the caller (the drive turns it into an
 *    ATA/ATAPI error); nothing is dropped silently.
 */
#ifndef EMU_HW_BLOCK_H
#define EMU_HW_BLOCK_H

#include <stddef.h>
#include "base/compiler.h"

#define BLOCK_SECTOR_SIZE 512

typedef struct BlockDev BlockDev;

/* Open `path`. read_only: never write (CD-ROM images). A read-write open that
 * the host refuses (read-only file or file system) falls back to read-only,
 * with a warning; the guest then gets write errors. Returns NULL and a
 * one-line message in err for a missing, unreadable, empty or odd-sized
 * image, or one already opened read-write by another process. */
BlockDev *block_open(const char *path, bool read_only, bool snapshot, char *err, size_t errlen);
/* Flush, close, free. Safe on NULL. */
void block_close(BlockDev *b);

uint64_t block_sectors(const BlockDev *b);
/* Guest writes are refused (read-only media). */
bool block_read_only(const BlockDev *b);
const char *block_path(const BlockDev *b);

/* Sector I/O. Return 0, or -errno: -EIO also for a range past the end,
 * -EROFS for a write to read-only media. */
int block_read(BlockDev *b, uint64_t sector, void *buf, uint32_t count);
int block_write(BlockDev *b, uint64_t sector, const void *buf, uint32_t count);
/* Make every completed write durable. 0 or -errno. */
int block_flush(BlockDev *b);
/* Write-through: flush after each write (the guest disabled its write cache). */
void block_set_writethrough(BlockDev *b, bool on);

/* A MachineFn for machine_add_exit(): flush, warning on failure. */
void block_flush_at_exit(void *opaque);

#endif
