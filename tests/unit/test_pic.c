/* test_pic.c — 8259A pair: initialization, priority, EOI modes, spurious
 * vectors, ELCR level mode, poll and special mask (Intel 8259A datasheet). */
#include "unit/testlib.h"
#include "hw/i8259.h"

typedef struct Intr {
    int level;
    int changes;
} Intr;

static void intr_handler(void *opaque, int pin, int level)
{
    Intr *i = opaque;
    i->level = level;
    i->changes++;
}

typedef struct Fixture {
    Bus *bus;
    Pic *pic;
    Intr intr;
} Fixture;

/* The PC BIOS's initialization: master vectors 0x08, slave 0x70. */
static void init_pc(Fixture *f, uint8_t icw4)
{
    f->bus = bus_new();
    f->intr = (Intr){ 0 };
    f->pic = pic_new(f->bus, irq_line(intr_handler, &f->intr, 0));
    bus_io_write(f->bus, 0x20, 0x11, 1);   /* ICW1: edge, cascade, ICW4 */
    bus_io_write(f->bus, 0x21, 0x08, 1);   /* ICW2 */
    bus_io_write(f->bus, 0x21, 0x04, 1);   /* ICW3: slave on IR2 */
    bus_io_write(f->bus, 0x21, icw4, 1);
    bus_io_write(f->bus, 0xa0, 0x11, 1);
    bus_io_write(f->bus, 0xa1, 0x70, 1);
    bus_io_write(f->bus, 0xa1, 0x02, 1);   /* slave ID 2 */
    bus_io_write(f->bus, 0xa1, icw4, 1);
}

static void fini(Fixture *f)
{
    pic_free(f->pic);
    bus_free(f->bus);
}

static uint8_t read_isr(Fixture *f, uint16_t port)
{
    bus_io_write(f->bus, port, 0x0b, 1);   /* OCW3: read ISR */
    return bus_io_read(f->bus, port, 1);
}

static uint8_t read_irr(Fixture *f, uint16_t port)
{
    bus_io_write(f->bus, port, 0x0a, 1);   /* OCW3: read IRR */
    return bus_io_read(f->bus, port, 1);
}

START_TEST(test_pic_vector_and_eoi)
{
    Fixture f;
    init_pc(&f, 0x01);
    ck_assert_int_eq(f.intr.level, 0);
    pic_set_irq(f.pic, 1, 1);
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x02);
    ck_assert_int_eq(pic_ack(f.pic), 0x09);
    ck_assert_int_eq(f.intr.level, 0);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x02);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00);
    bus_io_write(f.bus, 0x20, 0x20, 1);    /* non-specific EOI */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    /* Edge mode: the input still high does not request again. */
    ck_assert_int_eq(f.intr.level, 0);
    pic_set_irq(f.pic, 1, 0);
    pic_set_irq(f.pic, 1, 1);
    ck_assert_int_eq(f.intr.level, 1);
    fini(&f);
}
END_TEST

START_TEST(test_pic_fully_nested_priority)
{
    Fixture f;
    init_pc(&f, 0x01);
    pic_set_irq(f.pic, 3, 1);
    pic_set_irq(f.pic, 1, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x09);        /* IR1 before IR3 */
    ck_assert_int_eq(f.intr.level, 0);              /* IR3 blocked by IR1 in service */
    bus_io_write(f.bus, 0x20, 0x20, 1);
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0b);
    /* A higher-priority request nests over IR3 in service. */
    pic_set_irq(f.pic, 0, 1);
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x08);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x09);
    bus_io_write(f.bus, 0x20, 0x20, 1);             /* clears IR0, the highest */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x08);
    bus_io_write(f.bus, 0x20, 0x63, 1);             /* specific EOI for IR3 */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    fini(&f);
}
END_TEST

START_TEST(test_pic_mask)
{
    Fixture f;
    init_pc(&f, 0x01);
    bus_io_write(f.bus, 0x21, 0xfd, 1);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x21, 1), 0xfd);
    pic_set_irq(f.pic, 0, 1);
    ck_assert_int_eq(f.intr.level, 0);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x01);    /* requested, masked */
    bus_io_write(f.bus, 0x21, 0xfc, 1);
    ck_assert_int_eq(f.intr.level, 1);
    /* ICW1 clears the IMR. */
    bus_io_write(f.bus, 0x20, 0x11, 1);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x21, 1), 0x00);
    fini(&f);
}
END_TEST

START_TEST(test_pic_cascade)
{
    Fixture f;
    init_pc(&f, 0x01);
    pic_set_irq(f.pic, 10, 1);
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x72);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    ck_assert_uint_eq(read_isr(&f, 0xa0), 0x04);
    /* IRQ1 outranks the cascade in service; IRQ3 does not. */
    pic_set_irq(f.pic, 3, 1);
    ck_assert_int_eq(f.intr.level, 0);
    pic_set_irq(f.pic, 1, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x09);
    fini(&f);
}
END_TEST

START_TEST(test_pic_spurious_master)
{
    Fixture f;
    init_pc(&f, 0x01);
    /* The request is masked between INTR and INTA: default IR7. */
    pic_set_irq(f.pic, 4, 1);
    ck_assert_int_eq(f.intr.level, 1);
    bus_io_write(f.bus, 0x21, 0x10, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0f);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);     /* IR7 not in service */
    fini(&f);
}
END_TEST

START_TEST(test_pic_spurious_level_vanished)
{
    Fixture f;
    init_pc(&f, 0x01);
    bus_io_write(f.bus, 0x4d0, 0x20, 1);             /* IRQ5 level-triggered */
    pic_set_irq(f.pic, 5, 1);
    ck_assert_int_eq(f.intr.level, 1);
    pic_set_irq(f.pic, 5, 0);
    ck_assert_int_eq(f.intr.level, 0);
    ck_assert_int_eq(pic_ack(f.pic), 0x0f);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    fini(&f);
}
END_TEST

START_TEST(test_pic_spurious_slave)
{
    Fixture f;
    init_pc(&f, 0x01);
    bus_io_write(f.bus, 0x4d1, 0x04, 1);             /* IRQ10 level-triggered */
    pic_set_irq(f.pic, 10, 1);
    ck_assert_int_eq(f.intr.level, 1);
    pic_set_irq(f.pic, 10, 0);                       /* gone; master IR2 latched */
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x77);          /* slave's IR7 */
    ck_assert_uint_eq(read_isr(&f, 0xa0), 0x00);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);     /* cascade EOI'd */
    ck_assert_int_eq(f.intr.level, 0);
    /* Nothing left blocked: a real slave request goes through. */
    pic_set_irq(f.pic, 12, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x74);
    fini(&f);
}
END_TEST

START_TEST(test_pic_elcr_level)
{
    Fixture f;
    init_pc(&f, 0x01);
    /* PIIX3 ELCR: IRQ0-2, 8 and 13 cannot be level-triggered. */
    bus_io_write(f.bus, 0x4d0, 0xff, 1);
    bus_io_write(f.bus, 0x4d1, 0xff, 1);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x4d0, 1), 0xf8);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x4d1, 1), 0xde);
    pic_set_irq(f.pic, 11, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x73);
    bus_io_write(f.bus, 0xa0, 0x20, 1);
    bus_io_write(f.bus, 0x20, 0x20, 1);
    /* Still asserted: level mode requests again after the EOIs. */
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x73);
    pic_set_irq(f.pic, 11, 0);                       /* the driver quiets the device */
    bus_io_write(f.bus, 0xa0, 0x20, 1);
    bus_io_write(f.bus, 0x20, 0x20, 1);
    ck_assert_int_eq(f.intr.level, 0);
    fini(&f);
}
END_TEST

START_TEST(test_pic_auto_eoi)
{
    Fixture f;
    init_pc(&f, 0x03);                               /* ICW4: 8086, AEOI */
    pic_set_irq(f.pic, 6, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0e);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    pic_set_irq(f.pic, 7, 1);
    ck_assert_int_eq(f.intr.level, 1);               /* nothing in service */
    fini(&f);
}
END_TEST

START_TEST(test_pic_rotation)
{
    Fixture f;
    init_pc(&f, 0x01);
    pic_set_irq(f.pic, 0, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x08);
    bus_io_write(f.bus, 0x20, 0xa0, 1);              /* rotate on non-specific EOI */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    /* IR0 now has the lowest priority: IR7 wins over it. */
    pic_set_irq(f.pic, 0, 0);
    pic_set_irq(f.pic, 0, 1);
    pic_set_irq(f.pic, 7, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0f);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x80);
    bus_io_write(f.bus, 0x20, 0x20, 1);
    /* Set priority: IR4 lowest, so IR5 is highest and beats IR3. */
    bus_io_write(f.bus, 0x20, 0xc4, 1);
    pic_set_irq(f.pic, 3, 1);
    pic_set_irq(f.pic, 5, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0d);
    fini(&f);
}
END_TEST

START_TEST(test_pic_special_mask_mode)
{
    Fixture f;
    init_pc(&f, 0x01);
    pic_set_irq(f.pic, 3, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0b);
    pic_set_irq(f.pic, 5, 1);
    ck_assert_int_eq(f.intr.level, 0);               /* lower than IR3 in service */
    bus_io_write(f.bus, 0x21, 0x08, 1);              /* mask IR3 */
    bus_io_write(f.bus, 0x20, 0x68, 1);              /* OCW3: set special mask */
    ck_assert_int_eq(f.intr.level, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x0d);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x28);
    /* A non-specific EOI skips the masked IR3 and clears IR5. */
    bus_io_write(f.bus, 0x20, 0x20, 1);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x08);
    bus_io_write(f.bus, 0x20, 0x48, 1);              /* reset special mask */
    fini(&f);
}
END_TEST

START_TEST(test_pic_poll)
{
    Fixture f;
    init_pc(&f, 0x01);
    bus_io_write(f.bus, 0x20, 0x0c, 1);              /* OCW3: poll */
    ck_assert_uint_eq(bus_io_read(f.bus, 0x20, 1), 0x00);
    pic_set_irq(f.pic, 4, 1);
    bus_io_write(f.bus, 0x20, 0x0c, 1);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x20, 1), 0x84);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x10);
    ck_assert_int_eq(f.intr.level, 0);
    fini(&f);
}
END_TEST

START_TEST(test_pic_single_mode_no_cascade)
{
    Fixture f;
    f.bus = bus_new();
    f.intr = (Intr){ 0 };
    f.pic = pic_new(f.bus, irq_line(intr_handler, &f.intr, 0));
    bus_io_write(f.bus, 0x20, 0x13, 1);              /* ICW1: single, ICW4 */
    bus_io_write(f.bus, 0x21, 0x20, 1);              /* ICW2 (no ICW3) */
    bus_io_write(f.bus, 0x21, 0x01, 1);              /* ICW4 */
    bus_io_write(f.bus, 0x21, 0xfb, 1);              /* OCW1, not ICW3 */
    ck_assert_uint_eq(bus_io_read(f.bus, 0x21, 1), 0xfb);
    pic_set_irq(f.pic, 2, 1);
    ck_assert_int_eq(pic_ack(f.pic), 0x22);          /* IR2 is a plain input */
    fini(&f);
}
END_TEST

TEST_SUITE(pic)
{
    Suite *s = suite_create("pic");
    TCase *tc = tcase_create("8259a");
    tcase_add_test(tc, test_pic_vector_and_eoi);
    tcase_add_test(tc, test_pic_fully_nested_priority);
    tcase_add_test(tc, test_pic_mask);
    tcase_add_test(tc, test_pic_cascade);
    tcase_add_test(tc, test_pic_spurious_master);
    tcase_add_test(tc, test_pic_spurious_level_vanished);
    tcase_add_test(tc, test_pic_spurious_slave);
    tcase_add_test(tc, test_pic_elcr_level);
    tcase_add_test(tc, test_pic_auto_eoi);
    tcase_add_test(tc, test_pic_rotation);
    tcase_add_test(tc, test_pic_special_mask_mode);
    tcase_add_test(tc, test_pic_poll);
    tcase_add_test(tc, test_pic_single_mode_no_cascade);
    suite_add_tcase(s, tc);
    return s;
}
