/* test_uart.c — 16550A registers: DLAB, scratch, loopback with modem
 * lines, FIFO trigger levels, character timeout, IIR priority order, THRE
 * interrupt rules and the OUT2 interrupt gate. The backend is a pipe pair
 * behind chardev_open_fds(), so input and output are exact.
 *
 * Expected values: PC16550D datasheet ("Interrupt Identification
 * Register" table, "FIFO Control Register", "Modem Status Register",
 * "Loopback"). The timeout is 4 character times: at divisor 12 (9600 baud)
 * with 8N1 frames (10 bits) that is 4 / 960 s = 4166666 ns.
 */
#include <fcntl.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "unit/device_rig.h"
#include "hw/uart16550.h"

#define BASE 0x3f8

typedef struct Line {
    int level;
} Line;

static void line_handler(void *opaque, int pin, int level)
{
    ((Line *)opaque)->level = level;
}

static uint64_t fake_ns;

typedef struct Fixture {
    VClock *clock;
    Bus *bus;
    CharDev *chr;
    Uart *uart;
    Line irq;
    int in[2], out[2];      /* pipes: host -> guest, guest -> host */
} Fixture;

static void setup(Fixture *f)
{
    fake_ns = 0;
    f->clock = vclock_new(VCLOCK_ICOUNT);
    fake_clock_attach(f->clock, &fake_ns);
    f->bus = bus_new();
    ck_assert_int_eq(pipe(f->in), 0);
    ck_assert_int_eq(pipe(f->out), 0);
    fcntl(f->out[0], F_SETFL, O_NONBLOCK);
    f->chr = chardev_open_fds(f->in[0], f->out[1], false);
    f->irq = (Line){ 0 };
    f->uart = uart_new(f->bus, f->clock, BASE, irq_line(line_handler, &f->irq, 4), f->chr);
}

static void teardown(Fixture *f)
{
    uart_free(f->uart);
    chardev_close(f->chr);
    for (int i = 0; i < 2; i++) {
        close(f->in[i]);
        close(f->out[i]);
    }
    bus_free(f->bus);
    vclock_free(f->clock);
}

static uint8_t in8(Fixture *f, int reg) { return bus_io_read(f->bus, BASE + reg, 1); }
static void out8(Fixture *f, int reg, uint8_t v) { bus_io_write(f->bus, BASE + reg, v, 1); }

static void host_types(Fixture *f, const char *s, int n)
{
    ck_assert_int_eq(write(f->in[1], s, n), n);
    chardev_poll(f->chr);
}

static void run_until(Fixture *f, int64_t t)
{
    fake_clock_run_until(f->clock, &fake_ns, t);
}

START_TEST(test_uart_reset_state_and_dlab)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(in8(&f, 2), 0x01);            /* IIR: no interrupt */
    ck_assert_uint_eq(in8(&f, 5), 0x60);            /* LSR: THRE, TEMT */
    ck_assert_uint_eq(in8(&f, 4), 0x00);
    out8(&f, 3, 0x83);                              /* DLAB, 8N1 */
    out8(&f, 0, 0x01);
    out8(&f, 1, 0x02);
    ck_assert_uint_eq(in8(&f, 0), 0x01);
    ck_assert_uint_eq(in8(&f, 1), 0x02);
    out8(&f, 3, 0x03);
    ck_assert_uint_eq(in8(&f, 1), 0x00);            /* IER, not DLM */
    out8(&f, 1, 0xff);
    ck_assert_uint_eq(in8(&f, 1), 0x0f);            /* bits 4-7 read 0 */
    out8(&f, 7, 0x5a);
    ck_assert_uint_eq(in8(&f, 7), 0x5a);
    out8(&f, 4, 0xff);
    ck_assert_uint_eq(in8(&f, 4), 0x1f);
    teardown(&f);
}
END_TEST

START_TEST(test_uart_transmit_to_chardev)
{
    Fixture f;
    char buf[8];
    setup(&f);
    out8(&f, 3, 0x03);
    out8(&f, 0, 'o');
    out8(&f, 0, 'k');
    ck_assert_uint_eq(in8(&f, 5) & 0x60, 0x60);     /* sent at once */
    ck_assert_int_eq(read(f.out[0], buf, sizeof(buf)), 2);
    ck_assert_int_eq(buf[0], 'o');
    ck_assert_int_eq(buf[1], 'k');
    teardown(&f);
}
END_TEST

START_TEST(test_uart_loopback)
{
    Fixture f;
    char buf[8];
    setup(&f);
    out8(&f, 3, 0x03);
    ck_assert_uint_eq(in8(&f, 6), 0xb0);            /* backend: CTS, DSR, DCD */
    out8(&f, 4, 0x1f);                              /* loopback, all outputs on */
    /* CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2: only RI changed, and a rising
     * RI is no TERI event. */
    ck_assert_uint_eq(in8(&f, 6), 0xf0);
    out8(&f, 0, 0x41);
    ck_assert_uint_eq(in8(&f, 5) & 0x01, 0x01);
    ck_assert_uint_eq(in8(&f, 0), 0x41);
    ck_assert_uint_eq(in8(&f, 5) & 0x01, 0x00);
    ck_assert_int_eq(read(f.out[0], buf, sizeof(buf)), -1);    /* nothing left */
    out8(&f, 4, 0x10);                              /* all modem outputs off */
    ck_assert_uint_eq(in8(&f, 6), 0x0f);            /* every line changed, RI fell */
    ck_assert_uint_eq(in8(&f, 6), 0x00);
    /* Host input does not reach the receiver in loopback. */
    host_types(&f, "x", 1);
    ck_assert_uint_eq(in8(&f, 5) & 0x01, 0x00);
    teardown(&f);
}
END_TEST

START_TEST(test_uart_fifo_trigger_and_timeout)
{
    Fixture f;
    setup(&f);
    out8(&f, 3, 0x03);                              /* divisor 12: 9600 baud */
    out8(&f, 2, 0x81);                              /* FIFO on, trigger 8 */
    ck_assert_uint_eq(in8(&f, 2), 0xc1);
    out8(&f, 1, 0x01);                              /* received-data interrupt */
    out8(&f, 4, 0x08);                              /* OUT2: IRQ to the bus */
    host_types(&f, "abcdefg", 7);
    ck_assert_uint_eq(in8(&f, 2), 0xc1);            /* below the trigger */
    ck_assert_int_eq(f.irq.level, 0);
    host_types(&f, "h", 1);
    ck_assert_uint_eq(in8(&f, 2), 0xc4);
    ck_assert_int_eq(f.irq.level, 1);
    fake_ns = 1000;
    ck_assert_uint_eq(in8(&f, 0), 'a');
    ck_assert_uint_eq(in8(&f, 2), 0xc1);
    ck_assert_int_eq(f.irq.level, 0);
    run_until(&f, 1000 + 4166666 - 1);
    ck_assert_int_eq(f.irq.level, 0);
    run_until(&f, 1000 + 4166666);
    ck_assert_int_eq(f.irq.level, 1);
    ck_assert_uint_eq(in8(&f, 2), 0xcc);            /* character timeout */
    ck_assert_uint_eq(in8(&f, 0), 'b');
    ck_assert_uint_eq(in8(&f, 2), 0xc1);
    out8(&f, 2, 0x83);                              /* clear the RX FIFO */
    ck_assert_uint_eq(in8(&f, 5) & 0x01, 0);
    teardown(&f);
}
END_TEST

START_TEST(test_uart_fifo_depth_respected)
{
    Fixture f;
    char s[20];
    setup(&f);
    for (int i = 0; i < 20; i++)
        s[i] = 'A' + i;
    out8(&f, 2, 0x01);
    host_types(&f, s, 20);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(in8(&f, 0), 'A' + i);
    ck_assert_uint_eq(in8(&f, 5) & 0x03, 0x00);     /* empty, no overrun */
    /* 16450 mode holds one byte: the rest waits in the backend. */
    out8(&f, 2, 0x00);
    chardev_poll(f.chr);
    ck_assert_uint_eq(in8(&f, 5) & 0x03, 0x01);
    ck_assert_uint_eq(in8(&f, 0), 'A' + 16);
    ck_assert_uint_eq(in8(&f, 5) & 0x01, 0x00);
    chardev_poll(f.chr);
    ck_assert_uint_eq(in8(&f, 0), 'A' + 17);
    teardown(&f);
}
END_TEST

START_TEST(test_uart_iir_priority)
{
    Fixture f;
    setup(&f);
    out8(&f, 3, 0x03);
    out8(&f, 4, 0x11);                              /* loopback, DTR -> DSR */
    out8(&f, 1, 0x0f);                              /* all interrupts */
    out8(&f, 0, 0x01);
    out8(&f, 0, 0x02);                              /* overruns the 16450 RBR */
    ck_assert_uint_eq(in8(&f, 2), 0x06);            /* line status first */
    ck_assert_uint_eq(in8(&f, 5) & 0x03, 0x03);     /* DR, OE; read clears OE */
    ck_assert_uint_eq(in8(&f, 2), 0x04);            /* then received data */
    ck_assert_uint_eq(in8(&f, 0), 0x02);
    ck_assert_uint_eq(in8(&f, 2), 0x02);            /* then THR empty: read clears */
    ck_assert_uint_eq(in8(&f, 2), 0x00);            /* then modem status */
    ck_assert_uint_eq(in8(&f, 6), 0x29);            /* DSR; CTS and DCD fell */
    ck_assert_uint_eq(in8(&f, 2), 0x01);
    teardown(&f);
}
END_TEST

START_TEST(test_uart_thre_interrupt)
{
    Fixture f;
    char buf[4];
    setup(&f);
    out8(&f, 4, 0x08);                              /* OUT2 */
    ck_assert_int_eq(f.irq.level, 0);
    out8(&f, 1, 0x02);                              /* ETBEI with THR empty */
    ck_assert_int_eq(f.irq.level, 1);
    ck_assert_uint_eq(in8(&f, 2), 0x02);            /* reading IIR clears it */
    ck_assert_int_eq(f.irq.level, 0);
    ck_assert_uint_eq(in8(&f, 2), 0x01);
    out8(&f, 1, 0x00);
    out8(&f, 1, 0x02);                              /* re-enabling raises again */
    ck_assert_int_eq(f.irq.level, 1);
    ck_assert_uint_eq(in8(&f, 2), 0x02);
    out8(&f, 0, 'z');                               /* THR written, empty again */
    ck_assert_int_eq(f.irq.level, 1);
    ck_assert_int_eq(read(f.out[0], buf, sizeof(buf)), 1);
    teardown(&f);
}
END_TEST

START_TEST(test_uart_out2_gates_irq)
{
    Fixture f;
    setup(&f);
    out8(&f, 1, 0x02);
    ck_assert_uint_eq(in8(&f, 2) & 0x0f, 0x02);     /* pending inside the UART */
    out8(&f, 1, 0x00);
    out8(&f, 1, 0x02);
    ck_assert_int_eq(f.irq.level, 0);               /* but OUT2 is off */
    out8(&f, 4, 0x08);
    ck_assert_int_eq(f.irq.level, 1);
    out8(&f, 4, 0x18);                              /* loopback: OUT2 pin inactive */
    ck_assert_int_eq(f.irq.level, 0);
    teardown(&f);
}
END_TEST

TEST_SUITE(uart)
{
    Suite *s = suite_create("uart");
    TCase *tc = tcase_create("16550a");
    tcase_add_test(tc, test_uart_reset_state_and_dlab);
    tcase_add_test(tc, test_uart_transmit_to_chardev);
    tcase_add_test(tc, test_uart_loopback);
    tcase_add_test(tc, test_uart_fifo_trigger_and_timeout);
    tcase_add_test(tc, test_uart_fifo_depth_respected);
    tcase_add_test(tc, test_uart_iir_priority);
    tcase_add_test(tc, test_uart_thre_interrupt);
    tcase_add_test(tc, test_uart_out2_gates_irq);
    suite_add_tcase(s, tc);
    return s;
}
