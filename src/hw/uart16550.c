/* uart16550.c — PC16550D UART (see uart16550.h).
 *
 * Transmission is instant: THR and the shift register are always empty
 * after a write (LSR THRE and TEMT stay set), and each write re-arms the
 * THRE interrupt. Reception fills `rx` (16 deep with FCR0 set, 1 deep in
 * 16450 mode) from the chardev, never more than can_receive() said, so
 * overruns only happen in loopback.
 *
 * Interrupt identification follows the PC16550D datasheet table
 * "Interrupt Control Functions": receiver line status > received data
 * available / character timeout > THR empty > modem status. The THRE
 * source is a latch (thr_ipending): set when THR empties or when ETBEI goes
 * 0->1 with THR empty, cleared by writing THR or by reading IIR while it is
 * the source shown. The character timeout fires four character times (at
 * the current divisor and frame format) after the last byte received or
 * read, if the FIFO still holds data.
 *
 * Not modelled: break, parity and framing errors (a chardev never makes
 * them), DMA mode (FCR3) and the TX FIFO's depth.
 */
#include <stdlib.h>
#include "hw/uart16550.h"
#include "base/log.h"

enum { IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MSI = 0x08 };
enum {
    IIR_NONE = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_CTI = 0x0c, IIR_THRE = 0x02,
    IIR_MSI = 0x00, IIR_FIFO = 0xc0,
};
enum { LCR_DLAB = 0x80, LCR_BREAK = 0x40, LCR_PARITY = 0x08, LCR_STOP2 = 0x04 };
enum { MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10 };
enum {
    LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08, LSR_BI = 0x10,
    LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI,
};
enum {
    MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08,
    MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
};

#define FIFO_SIZE 16
#define UART_CLOCK_HZ 1843200   /* the PC's crystal: 115200 baud at divisor 1 */

struct Uart {
    VClock *clock;
    IrqLine irq;
    CharDev *chr;
    uint8_t dll, dlm, ier, lcr, mcr, lsr, msr, scr;
    bool fifo_enabled;
    uint8_t trigger;                /* RX FIFO interrupt level: 1, 4, 8, 14 */
    uint8_t rx[FIFO_SIZE];
    int rx_head, rx_count;
    uint8_t last_rx;
    bool thr_ipending;
    bool timeout_pending;
    bool irq_level;
    Timer timeout;
    Bus *bus;
    IoRange *io;
};

/* -- Interrupts -- */

static uint8_t pending_source(const Uart *u)
{
    bool rda = u->fifo_enabled ? u->rx_count >= u->trigger : u->rx_count > 0;

    if ((u->ier & IER_RLS) && (u->lsr & LSR_ERRORS))
        return IIR_RLS;
    if ((u->ier & IER_RDA) && u->timeout_pending)
        return IIR_CTI;
    if ((u->ier & IER_RDA) && rda)
        return IIR_RDA;
    if ((u->ier & IER_THRE) && u->thr_ipending)
        return IIR_THRE;
    if ((u->ier & IER_MSI) && (u->msr & 0x0f))
        return IIR_MSI;
    return IIR_NONE;
}

static void uart_update_irq(Uart *u)
{
    /* IBM Asynchronous Communications Adapter: OUT2 enables the IRQ driver;
     * loopback forces the OUT2 pin inactive (PC16550D "Loopback"). */
    bool level = pending_source(u) != IIR_NONE && (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP);
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(u->irq, level);
    }
}

/* -- Receiver -- */

static int rx_capacity(const Uart *u)
{
    return u->fifo_enabled ? FIFO_SIZE : 1;
}

/* Four character times at the current divisor and frame format. */
static int64_t timeout_ns(const Uart *u)
{
    int divisor = u->dll | u->dlm << 8, data = 5 + (u->lcr & 3);
    int half_bits = 2 * (1 + data) + (u->lcr & LCR_PARITY ? 2 : 0);

    if (!divisor)
        divisor = 0x10000;
    if (u->lcr & LCR_STOP2)
        half_bits += data == 5 ? 3 : 4;             /* 1.5 or 2 stop bits */
    else
        half_bits += 2;
    return 4 * (int64_t)half_bits * divisor * 16 * NS_PER_SEC / 2 / UART_CLOCK_HZ;
}

static void rx_restart_timeout(Uart *u)
{
    if (u->fifo_enabled && u->rx_count)
        timer_mod(&u->timeout, vclock_now(u->clock) + timeout_ns(u));
    else
        timer_del(&u->timeout);
}

static void rx_timeout(void *opaque)
{
    Uart *u = opaque;
    if (u->fifo_enabled && u->rx_count)
        u->timeout_pending = true;
    uart_update_irq(u);
}

static void rx_clear(Uart *u)
{
    u->rx_head = u->rx_count = 0;
    u->timeout_pending = false;
    u->lsr &= ~LSR_DR;
    timer_del(&u->timeout);
}

static void rx_byte(Uart *u, uint8_t b)
{
    if (u->rx_count == rx_capacity(u)) {
        u->lsr |= LSR_OE;
        /* 16450 mode: the holding register is overwritten; with the FIFO
         * the byte in the shift register is lost. */
        if (!u->fifo_enabled)
            u->rx[u->rx_head] = b;
    } else {
        u->rx[(u->rx_head + u->rx_count++) % FIFO_SIZE] = b;
    }
    u->lsr |= LSR_DR;
    rx_restart_timeout(u);
}

static uint8_t rx_read(Uart *u)
{
    if (u->rx_count) {
        u->last_rx = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
        u->rx_count--;
    }
    if (!u->rx_count)
        u->lsr &= ~LSR_DR;
    u->timeout_pending = false;
    rx_restart_timeout(u);
    return u->last_rx;
}

static int chr_can_receive(void *opaque)
{
    Uart *u = opaque;
    if (u->mcr & MCR_LOOP)
        return 0;                   /* SIN is disconnected in loopback */
    return rx_capacity(u) - u->rx_count;
}

static void chr_receive(void *opaque, const uint8_t *buf, int len)
{
    Uart *u = opaque;
    for (int i = 0; i < len; i++)
        rx_byte(u, buf[i]);
    uart_update_irq(u);
}

/* -- Transmitter and modem lines -- */

static void tx_byte(Uart *u, uint8_t b)
{
    if (u->mcr & MCR_LOOP)
        rx_byte(u, b);
    else if (u->chr)
        chardev_write(u->chr, &b, 1);
    /* THR and TSR empty again at once: THRE interrupt re-armed. */
    u->thr_ipending = true;
}

static uint8_t modem_inputs(const Uart *u)
{
    uint8_t m = u->mcr;
    if (m & MCR_LOOP)
        return (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) |
               (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
    /* A connected backend looks like a ready modem with carrier. */
    return u->chr ? MSR_CTS | MSR_DSR | MSR_DCD : 0;
}

static void update_msr(Uart *u)
{
    uint8_t in = modem_inputs(u), old = u->msr & 0xf0, changed = in ^ old;
    uint8_t delta = (changed & MSR_CTS ? MSR_DCTS : 0) | (changed & MSR_DSR ? MSR_DDSR : 0) |
                    (changed & MSR_DCD ? MSR_DDCD : 0) |
                    ((old & MSR_RI) && !(in & MSR_RI) ? MSR_TERI : 0);
    u->msr = in | (u->msr & 0x0f) | delta;
}

/* -- Registers -- */

static void write_fcr(Uart *u, uint8_t v)
{
    static const uint8_t levels[4] = { 1, 4, 8, 14 };
    bool enable = v & 0x01;

    if (enable != u->fifo_enabled) {
        rx_clear(u);                /* changing FCR0 clears both FIFOs */
        u->fifo_enabled = enable;
    }
    if (!enable)
        return;                     /* other bits need FCR0 set */
    if (v & 0x02)
        rx_clear(u);
    u->trigger = levels[v >> 6];
}

static void write_ier(Uart *u, uint8_t v)
{
    v &= 0x0f;
    if ((v & IER_THRE) && !(u->ier & IER_THRE) && (u->lsr & LSR_THRE))
        u->thr_ipending = true;
    if (!(v & IER_THRE))
        u->thr_ipending = false;
    u->ier = v;
}

static void uart_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Uart *u = opaque;
    uint8_t v = value;
    bool dlab = u->lcr & LCR_DLAB;

    switch (offset) {
    case 0:
        if (dlab)
            u->dll = v;
        else
            tx_byte(u, v);
        break;
    case 1:
        if (dlab)
            u->dlm = v;
        else
            write_ier(u, v);
        break;
    case 2: write_fcr(u, v); break;
    case 3:
        if (v & LCR_BREAK)
            log_unimp("uart: sending a break");
        u->lcr = v;
        break;
    case 4:
        u->mcr = v & 0x1f;
        update_msr(u);
        break;
    case 7: u->scr = v; break;
    default:
        log_guest_error_once("uart: write 0x%02x to read-only register %d", v, (int)offset);
        break;
    }
    uart_update_irq(u);
}

static uint8_t read_iir(Uart *u)
{
    uint8_t id = pending_source(u);
    if (id == IIR_THRE)
        u->thr_ipending = false;
    return id | (u->fifo_enabled ? IIR_FIFO : 0);
}

static uint8_t read_lsr(Uart *u)
{
    uint8_t v = u->lsr;
    u->lsr &= ~LSR_ERRORS;
    return v;
}

static uint8_t read_msr(Uart *u)
{
    uint8_t v = u->msr;
    u->msr &= 0xf0;
    return v;
}

static uint64_t uart_read(void *opaque, uint64_t offset, unsigned size)
{
    Uart *u = opaque;
    bool dlab = u->lcr & LCR_DLAB;
    uint8_t v;

    switch (offset) {
    case 0: v = dlab ? u->dll : rx_read(u); break;
    case 1: v = dlab ? u->dlm : u->ier; break;
    case 2: v = read_iir(u); break;
    case 3: v = u->lcr; break;
    case 4: v = u->mcr; break;
    case 5: v = read_lsr(u); break;
    case 6: v = read_msr(u); break;
    default: v = u->scr; break;
    }
    uart_update_irq(u);
    return v;
}

static const IoOps uart_ops = {
    .read = uart_read, .write = uart_write, .min_size = 1, .max_size = 1,
};

/* -- Life cycle -- */

/* PC16550D "Reset Functions": divisor and scratch keep their values. */
void uart_reset(Uart *u)
{
    u->ier = u->lcr = u->mcr = 0;
    u->fifo_enabled = false;
    u->trigger = 1;
    rx_clear(u);
    u->lsr = LSR_THRE | LSR_TEMT;
    u->thr_ipending = false;
    u->msr = modem_inputs(u);
    uart_update_irq(u);
}

Uart *uart_new(Bus *bus, VClock *clock, uint16_t base, IrqLine irq, CharDev *chr)
{
    Uart *u = calloc(1, sizeof(*u));
    CharDevClient client = { .opaque = u, .can_receive = chr_can_receive,
                             .receive = chr_receive };
    if (!u)
        fatal("out of memory");
    u->clock = clock;
    u->irq = irq;
    u->chr = chr;
    u->bus = bus;
    u->dll = 12;                    /* 9600 baud until the guest sets it */
    timer_init(&u->timeout, clock, rx_timeout, u);
    uart_reset(u);
    u->io = bus_map_io(bus, "uart", base, 8, &uart_ops, u);
    if (!u->io)
        fatal("uart: ports 0x%x-0x%x already taken", base, base + 7);
    if (chr)
        chardev_set_client(chr, &client);
    return u;
}

void uart_free(Uart *u)
{
    if (!u)
        return;
    if (u->chr)
        chardev_set_client(u->chr, NULL);
    timer_del(&u->timeout);
    bus_unmap_io(u->bus, u->io);
    free(u);
}
