/* ide_rig.h — a bare test machine for the IDE suites: a Bus with 1 MiB of
 * RAM, an ICOUNT VClock with a fake counter, one IDE channel on the primary
 * legacy ports (0x1f0-0x1f7, 0x3f6) with a bus-master engine at 0xc000,
 * and images made in temporary files whose sectors hold known patterns.
 */
#ifndef EMU_TESTS_IDE_RIG_H
#define EMU_TESTS_IDE_RIG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/ide.h"

#define RIG_CMD 0x1f0
#define RIG_CTL 0x3f6
#define RIG_BM 0xc000
#define RIG_RAM (1u << 20)

/* ATA register offsets */
enum { R_DATA, R_ERR, R_NSECT, R_LBAL, R_LBAM, R_LBAH, R_DEV, R_STATUS };

typedef struct IdeRig {
    Bus *bus;
    MemMap *mem;
    RamBlock *ram;
    VClock *clock;
    uint64_t icount;
    IdeChannel *ch;
    BmDma bm;
    int irq_level;
    int irq_rises;
    char path[2][64];
    BlockDev *blk[2];
} IdeRig;

static inline void rig_irq(void *opaque, int pin, int level)
{
    IdeRig *r = opaque;
    if (level && !r->irq_level)
        r->irq_rises++;
    r->irq_level = level;
}

static inline uint64_t rig_icount(void *opaque) { return *(uint64_t *)opaque; }

/* Byte `j` of 512-byte sector `s` of a test image. */
static inline uint8_t pattern(uint64_t s, unsigned j)
{
    return (uint8_t)(s * 13 + j * 7 + (s >> 8) * 3 + 1);
}

/* A temporary image of n sectors with pattern(); returns its path in buf. */
static inline void make_image(char *path, uint64_t nsect)
{
    uint8_t sec[512];
    int fd;
    strcpy(path, "/tmp/emu-ide-test-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    for (uint64_t s = 0; s < nsect; s++) {
        for (unsigned j = 0; j < 512; j++)
            sec[j] = pattern(s, j);
        ck_assert_int_eq(pwrite(fd, sec, 512, (off_t)(s * 512)), 512);
    }
    close(fd);
}

static inline void rig_init(IdeRig *r)
{
    memset(r, 0, sizeof(*r));
    r->bus = bus_new();
    r->mem = bus_memmap(r->bus);
    r->ram = memmap_new_block(r->mem, "ram", RIG_RAM, false);
    ck_assert_ptr_nonnull(memmap_map_ram(r->mem, "ram", 0, RIG_RAM, r->ram, 0, PRIO_RAM));
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, rig_icount, &r->icount, 0);
    bmdma_init(&r->bm, r->mem, irq_line(rig_irq, r, 14));
    r->ch = ide_channel_new(bmdma_irq_in(&r->bm));
    bmdma_attach(&r->bm, r->ch);
    ck_assert_ptr_nonnull(bus_map_io(r->bus, "ide", RIG_CMD, 8, &ide_cmd_ops, r->ch));
    ck_assert_ptr_nonnull(bus_map_io(r->bus, "ide-ctl", RIG_CTL, 1, &ide_ctl_ops, r->ch));
    ck_assert_ptr_nonnull(bus_map_io(r->bus, "bmdma", RIG_BM, 8, &bmdma_ops, &r->bm));
}

/* Attach unit's drive: an image of nsect 512-byte sectors (0: no image). */
static inline BlockDev *rig_attach(IdeRig *r, int unit, MediaKind kind, uint64_t nsect,
                                   bool read_only, bool snapshot)
{
    char err[256] = "";
    BlockDev *b = NULL;
    if (nsect) {
        make_image(r->path[unit], nsect);
        b = block_open(r->path[unit], read_only, snapshot, err, sizeof err);
        ck_assert_msg(b != NULL, "%s", err);
    }
    r->blk[unit] = b;
    ck_assert_int_eq(ide_attach(r->ch, unit, kind, b, err, sizeof err), 0);
    return b;
}

static inline void rig_free(IdeRig *r)
{
    ide_channel_free(r->ch);
    for (int i = 0; i < 2; i++) {
        block_close(r->blk[i]);
        if (r->path[i][0])
            unlink(r->path[i]);
    }
    vclock_free(r->clock);
    bus_free(r->bus);
}

static inline uint8_t inb(IdeRig *r, uint16_t port) { return bus_io_read(r->bus, port, 1); }
static inline uint16_t inw(IdeRig *r, uint16_t port) { return bus_io_read(r->bus, port, 2); }
static inline uint32_t inl(IdeRig *r, uint16_t port) { return bus_io_read(r->bus, port, 4); }
static inline void outb(IdeRig *r, uint16_t port, uint8_t v) { bus_io_write(r->bus, port, v, 1); }
static inline void outw(IdeRig *r, uint16_t port, uint16_t v) { bus_io_write(r->bus, port, v, 2); }
static inline void outl(IdeRig *r, uint16_t port, uint32_t v) { bus_io_write(r->bus, port, v, 4); }

static inline uint8_t status(IdeRig *r) { return inb(r, RIG_CMD + R_STATUS); }
static inline uint8_t alt_status(IdeRig *r) { return inb(r, RIG_CTL); }

/* Select a drive and load a 28-bit LBA task file. */
static inline void tf28(IdeRig *r, int unit, uint32_t lba, uint8_t count)
{
    outb(r, RIG_CMD + R_DEV, 0xe0 | unit << 4 | ((lba >> 24) & 0xf));
    outb(r, RIG_CMD + R_NSECT, count);
    outb(r, RIG_CMD + R_LBAL, lba);
    outb(r, RIG_CMD + R_LBAM, lba >> 8);
    outb(r, RIG_CMD + R_LBAH, lba >> 16);
}

/* Read n bytes of PIO data with 16-bit accesses. */
static inline void pio_in(IdeRig *r, uint8_t *buf, unsigned n)
{
    for (unsigned i = 0; i < n; i += 2) {
        uint16_t w = inw(r, RIG_CMD);
        buf[i] = w;
        if (i + 1 < n)
            buf[i + 1] = w >> 8;
    }
}

static inline void pio_out(IdeRig *r, const uint8_t *buf, unsigned n)
{
    for (unsigned i = 0; i < n; i += 2)
        outw(r, RIG_CMD, buf[i] | (i + 1 < n ? buf[i + 1] << 8 : 0));
}

/* A PRD table at `table` from (addr, count) pairs; the last one has EOT. */
static inline void write_prds(IdeRig *r, uint32_t table, const uint32_t *addr,
                              const uint32_t *count, int n)
{
    for (int i = 0; i < n; i++) {
        st32(r->ram->host + table + 8 * i, addr[i]);
        st32(r->ram->host + table + 8 * i + 4,
             (count[i] & 0xffff) | (i == n - 1 ? 0x80000000u : 0));
    }
}

static inline bool sector_matches(const uint8_t *p, uint64_t s)
{
    for (unsigned j = 0; j < 512; j++)
        if (p[j] != pattern(s, j))
            return false;
    return true;
}

#endif
