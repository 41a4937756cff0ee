/* i8237.h — Intel 8237A DMA controller and the AT's DMA page registers.
 *
 * An AT has two 8237As: controller 1 (channels 0-3, 8-bit) at ports
 * 0x00-0x0f, and controller 2 (channels 4-7, 16-bit) at 0xc0-0xdf with its
 * registers on even ports (stride 2; odd ports alias). Channel 4 cascades
 * controller 1. The 74LS612 page registers at 0x80-0x8f hold address bits
 * 23-16 (ch2 0x81, ch3 0x82, ch1 0x83, ch0 0x87, ch6 0x89, ch7 0x8a,
 * ch5 0x8b); the others are scratch bytes. The board says where they go:
 *
 *   I8237 *dma1 = i8237_new(bus, "dma1", 0x00, 1);
 *   I8237 *dma2 = i8237_new(bus, "dma2", 0xc0, 2);
 *   DmaPage *pg = dma_page_new(bus, 0x81, 15);    (0x80 is the POST port)
 *
 * Modelled: every register (address/count through the byte flip-flop,
 * command, mode, request, masks, status, temporary, master clear). No ISA
 * device moves data through DMA yet, so a transfer a software request
 * would start is logged as unimplemented and nothing moves.
 */
#ifndef EMU_HW_I8237_H
#define EMU_HW_I8237_H

#include "hw/bus.h"

typedef struct I8237 I8237;
typedef struct DmaPage DmaPage;

/* stride: 1 for the 8-bit controller, 2 for the 16-bit one (A0 not decoded). */
I8237 *i8237_new(Bus *bus, const char *name, uint16_t base, unsigned stride);
/* RESET pin: as a master clear (masks set, the rest cleared). */
void i8237_reset(I8237 *d);
void i8237_free(I8237 *d);

/* `len` page registers from `port`; register n is port & 0xf. */
DmaPage *dma_page_new(Bus *bus, uint16_t port, uint32_t len);
void dma_page_reset(DmaPage *p);
void dma_page_free(DmaPage *p);

#endif
