/* fw_cfg.c — the fw_cfg device: item store, port interface, DMA interface.
 *
 * Items with fixed keys live in a small list; files live in an array kept
 * sorted by name, file i answering key FW_CFG_FILE_FIRST + i, and the
 * directory item is rebuilt whenever a file is added. The guest-visible
 * state is just the selected key, the offset into it and the DMA address
 * register. Writes through the data port are ignored (as in QEMU since
 * 2.4) and no item is writable by DMA, so a DMA write reports an error.
 */
#include <stdlib.h>
#include <string.h>
#include "hw/fw_cfg.h"
#include "base/log.h"

#define KEY_MASK 0x3fff                 /* without the write and arch bits */
#define DMA_SIGNATURE "QEMU CFG"        /* what the DMA address register reads */
#define DMA_ACCESS_SIZE 16              /* be32 control, be32 length, be64 address */

typedef struct FwCfgItem {
    uint16_t key;
    uint32_t len;
    uint8_t *data;
    char name[FW_CFG_MAX_FILE_PATH];    /* files only */
} FwCfgItem;

struct FwCfg {
    Bus *bus;
    FwCfgItem *items;                   /* fixed keys, unsorted */
    int nitems;
    FwCfgItem *files;                   /* sorted by name */
    int nfiles;
    FwCfgItem *cur;                     /* selected item, or NULL */
    uint32_t offset;
    uint32_t dma_high;                  /* upper half of the DMA address */
};

static uint32_t be32(const uint8_t *p) { return __builtin_bswap32(ld32(p)); }
static uint64_t be64(const uint8_t *p) { return __builtin_bswap64(ld64(p)); }
static void st_be32(uint8_t *p, uint32_t v) { st32(p, __builtin_bswap32(v)); }
static void st_be16(uint8_t *p, uint16_t v) { st16(p, __builtin_bswap16(v)); }

static void *xmemdup(const void *data, uint32_t len)
{
    void *p = malloc(len ? len : 1);
    if (!p)
        fatal("out of memory");
    if (len)
        memcpy(p, data, len);
    return p;
}

/* -- Item store ---------------------------------------------------------------- */

static FwCfgItem *find_key(FwCfg *fw, uint16_t key)
{
    key &= FW_CFG_ARCH_LOCAL | KEY_MASK;
    if (key >= FW_CFG_FILE_FIRST && key < FW_CFG_FILE_FIRST + fw->nfiles)
        return &fw->files[key - FW_CFG_FILE_FIRST];
    for (int i = 0; i < fw->nitems; i++)
        if (fw->items[i].key == key)
            return &fw->items[i];
    return NULL;
}

static void set_item(FwCfgItem *it, const void *data, uint32_t len)
{
    free(it->data);
    it->data = xmemdup(data, len);
    it->len = len;
}

static void put_item(FwCfg *fw, uint16_t key, const void *data, uint32_t len)
{
    FwCfgItem *it = find_key(fw, key);
    if (!it) {
        fw->items = realloc(fw->items, sizeof(*fw->items) * (fw->nitems + 1));
        if (!fw->items)
            fatal("out of memory");
        it = &fw->items[fw->nitems++];
        memset(it, 0, sizeof(*it));
        it->key = key;
    }
    set_item(it, data, len);
    fw->cur = NULL;     /* the list may have moved */
}

void fw_cfg_add_bytes(FwCfg *fw, uint16_t key, const void *data, uint32_t len)
{
    uint16_t k = key & KEY_MASK;
    if (key & FW_CFG_WRITE_CHANNEL || (!(key & FW_CFG_ARCH_LOCAL) && k >= FW_CFG_FILE_DIR))
        panic("fw_cfg: key 0x%04x is reserved for the directory and files", key);
    put_item(fw, key, data, len);
}

void fw_cfg_add_i16(FwCfg *fw, uint16_t key, uint16_t v)
{
    uint8_t b[2];
    st16(b, v);
    fw_cfg_add_bytes(fw, key, b, sizeof(b));
}

void fw_cfg_add_i32(FwCfg *fw, uint16_t key, uint32_t v)
{
    uint8_t b[4];
    st32(b, v);
    fw_cfg_add_bytes(fw, key, b, sizeof(b));
}

void fw_cfg_add_i64(FwCfg *fw, uint16_t key, uint64_t v)
{
    uint8_t b[8];
    st64(b, v);
    fw_cfg_add_bytes(fw, key, b, sizeof(b));
}

/* The directory (fw_cfg.txt "File Directory"): be32 count, then 64-byte entries. */
static void rebuild_directory(FwCfg *fw)
{
    uint32_t len = 4 + FW_CFG_DIR_ENTRY_SIZE * (uint32_t)fw->nfiles;
    uint8_t *dir = calloc(1, len);
    if (!dir)
        fatal("out of memory");
    st_be32(dir, (uint32_t)fw->nfiles);
    for (int i = 0; i < fw->nfiles; i++) {
        uint8_t *e = dir + 4 + FW_CFG_DIR_ENTRY_SIZE * i;
        fw->files[i].key = (uint16_t)(FW_CFG_FILE_FIRST + i);
        st_be32(e, fw->files[i].len);
        st_be16(e + 4, fw->files[i].key);
        memcpy(e + 8, fw->files[i].name, FW_CFG_MAX_FILE_PATH);
    }
    put_item(fw, FW_CFG_FILE_DIR, dir, len);
    free(dir);
}

void fw_cfg_add_file(FwCfg *fw, const char *name, const void *data, uint32_t len)
{
    int i;
    if (strlen(name) >= FW_CFG_MAX_FILE_PATH)
        panic("fw_cfg: file name '%s' is too long", name);
    for (i = 0; i < fw->nfiles; i++) {
        int c = strcmp(name, fw->files[i].name);
        if (c == 0) {
            set_item(&fw->files[i], data, len);
            rebuild_directory(fw);
            return;
        }
        if (c < 0)
            break;
    }
    if (FW_CFG_FILE_FIRST + fw->nfiles > KEY_MASK)
        panic("fw_cfg: too many files");
    fw->files = realloc(fw->files, sizeof(*fw->files) * (fw->nfiles + 1));
    if (!fw->files)
        fatal("out of memory");
    memmove(&fw->files[i + 1], &fw->files[i], sizeof(*fw->files) * (fw->nfiles - i));
    fw->nfiles++;
    memset(&fw->files[i], 0, sizeof(fw->files[i]));
    strcpy(fw->files[i].name, name);
    set_item(&fw->files[i], data, len);
    rebuild_directory(fw);
}

/* -- Selector and data port ------------------------------------------------------- */

static void fw_cfg_select(FwCfg *fw, uint16_t key)
{
    fw->cur = find_key(fw, key);
    fw->offset = 0;
}

static uint8_t read_data_byte(FwCfg *fw)
{
    /* Past the end of an item (or with none selected) reads are 0 (fw_cfg.txt). */
    if (!fw->cur || fw->offset >= fw->cur->len)
        return 0;
    return fw->cur->data[fw->offset++];
}

/* 0x510: 16-bit selector (write); 0x511: 8-bit data. */
static uint64_t port_read(void *opaque, uint64_t offset, unsigned size)
{
    FwCfg *fw = opaque;
    if (size != 1) {
        log_guest_error_once("fw_cfg: %u-byte read of port 0x%x", size,
                             (unsigned)(FW_CFG_IO_SELECTOR + offset));
        return size_mask(size);
    }
    /* QEMU answers a byte read of either port with data. */
    return read_data_byte(fw);
}

static void port_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    FwCfg *fw = opaque;
    if (offset == 0 && size == 2)
        fw_cfg_select(fw, (uint16_t)value);
    else if (offset == 1 && size == 1)
        log_guest_error_once("fw_cfg: data port writes are ignored");
    else
        log_guest_error_once("fw_cfg: %u-byte write to port 0x%x", size,
                             (unsigned)(FW_CFG_IO_SELECTOR + offset));
}

static const IoOps port_ops = { .read = port_read, .write = port_write, .min_size = 1, .max_size = 2 };

/* -- DMA interface (fw_cfg.txt "Guest-side DMA Interface") --------------------------- */

/* Copy `len` bytes of the selected item to guest memory; zeros past its end. */
static void dma_read(FwCfg *fw, MemMap *mem, uint64_t addr, uint32_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        uint32_t avail = fw->cur && fw->offset < fw->cur->len ? fw->cur->len - fw->offset : 0;
        uint32_t n;
        if (avail) {
            n = MIN(len, avail);
            memmap_rw(mem, addr, fw->cur->data + fw->offset, n, true);
            fw->offset += n;
        } else {
            n = MIN(len, (uint32_t)sizeof(zeros));
            memmap_rw(mem, addr, (void *)zeros, n, true);
        }
        addr += n;
        len -= n;
    }
}

static void dma_skip(FwCfg *fw, uint32_t len)
{
    if (fw->cur)
        fw->offset += MIN(len, fw->cur->len - MIN(fw->offset, fw->cur->len));
}

static void dma_transfer(FwCfg *fw, uint64_t desc)
{
    MemMap *mem = bus_memmap(fw->bus);
    uint8_t acc[DMA_ACCESS_SIZE];
    uint32_t control, length, status = 0;
    uint64_t addr;

    memmap_rw(mem, desc, acc, sizeof(acc), false);
    control = be32(acc);
    length = be32(acc + 4);
    addr = be64(acc + 8);
    if (control & FW_CFG_DMA_CTL_SELECT)
        fw_cfg_select(fw, (uint16_t)(control >> 16));
    if (control & FW_CFG_DMA_CTL_READ)
        dma_read(fw, mem, addr, length);
    else if (control & FW_CFG_DMA_CTL_WRITE)
        status = FW_CFG_DMA_CTL_ERROR;      /* no writable items */
    else if (control & FW_CFG_DMA_CTL_SKIP)
        dma_skip(fw, length);
    /* Done: the control word becomes 0, or just the error bit. */
    st_be32(acc, status);
    memmap_rw(mem, desc, acc, 4, true);
}

static uint64_t dma_reg_read(void *opaque, uint64_t offset, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)(uint8_t)DMA_SIGNATURE[(offset + i) & 7] << (8 * i);
    return v;
}

/* The register is big-endian: a dword at 0x514 is the high half, one at
 * 0x518 the low half, and writing the low half starts the transfer. */
static void dma_reg_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    FwCfg *fw = opaque;
    uint32_t half = __builtin_bswap32((uint32_t)value);

    if (size != 4 || (offset != 0 && offset != 4)) {
        log_guest_error_once("fw_cfg: %u-byte write to DMA register offset %u", size,
                             (unsigned)offset);
        return;
    }
    if (offset == 0) {
        fw->dma_high = half;
        return;
    }
    dma_transfer(fw, (uint64_t)fw->dma_high << 32 | half);
    fw->dma_high = 0;
}

static const IoOps dma_ops = { .read = dma_reg_read, .write = dma_reg_write, .min_size = 1,
                               .max_size = 4 };

/* -- Creation ------------------------------------------------------------------------ */

FwCfg *fw_cfg_new(Bus *bus)
{
    FwCfg *fw = calloc(1, sizeof(*fw));
    if (!fw)
        fatal("out of memory");
    fw->bus = bus;
    if (!bus_map_io(bus, "fw_cfg", FW_CFG_IO_SELECTOR, 2, &port_ops, fw) ||
        !bus_map_io(bus, "fw_cfg-dma", FW_CFG_IO_DMA, 8, &dma_ops, fw))
        panic("fw_cfg: ports 0x510-0x51b already taken");
    put_item(fw, FW_CFG_SIGNATURE, "QEMU", 4);
    fw_cfg_add_i32(fw, FW_CFG_ID, FW_CFG_VERSION | FW_CFG_VERSION_DMA);
    rebuild_directory(fw);
    return fw;
}

void fw_cfg_reset(FwCfg *fw)
{
    fw->cur = NULL;
    fw->offset = 0;
    fw->dma_high = 0;
}

void fw_cfg_free(FwCfg *fw)
{
    if (!fw)
        return;
    for (int i = 0; i < fw->nitems; i++)
        free(fw->items[i].data);
    for (int i = 0; i < fw->nfiles; i++)
        free(fw->files[i].data);
    free(fw->items);
    free(fw->files);
    free(fw);
}
