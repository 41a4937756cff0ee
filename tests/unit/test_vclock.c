/* test_vclock.c — virtual clock modes and the timer queue. */
#include "unit/testlib.h"
#include "base/vclock.h"

typedef struct Fired {
    int order[8];
    int n;
} Fired;

typedef struct Tagged {
    Fired *log;
    int tag;
    Timer *rearm;       /* re-arm this timer when firing, once */
    int64_t rearm_at;
} Tagged;

static void fire(void *opaque)
{
    Tagged *t = opaque;
    t->log->order[t->log->n++] = t->tag;
    if (t->rearm) {
        timer_mod(t->rearm, t->rearm_at);
        t->rearm = NULL;
    }
}

static uint64_t fake_icount;
static uint64_t get_icount(void *opaque) { return *(uint64_t *)opaque; }

START_TEST(test_vclock_timers_fire_in_expiry_order)
{
    VClock *c = vclock_new(VCLOCK_ICOUNT);
    Fired log = { 0 };
    Tagged a = { &log, 1 }, b = { &log, 2 }, d = { &log, 3 };
    Timer ta, tb, td;
    fake_icount = 0;
    vclock_set_icount_source(c, get_icount, &fake_icount, 0); /* 1 ns per insn */
    timer_init(&ta, c, fire, &a);
    timer_init(&tb, c, fire, &b);
    timer_init(&td, c, fire, &d);
    timer_mod(&ta, 300);
    timer_mod(&tb, 100);
    timer_mod(&td, 200);
    ck_assert_int_eq(vclock_deadline(c), 100);
    timer_mod(&tb, 400);           /* re-arming moves it */
    ck_assert_int_eq(vclock_deadline(c), 200);
    timer_del(&td);
    ck_assert(!timer_pending(&td));
    ck_assert_int_eq(vclock_deadline(c), 300);

    fake_icount = 299;
    ck_assert_int_eq(vclock_run_timers(c), 0);
    fake_icount = 1000;
    ck_assert_int_eq(vclock_run_timers(c), 2);
    ck_assert_int_eq(log.order[0], 1);
    ck_assert_int_eq(log.order[1], 2);
    ck_assert_int_eq(vclock_deadline(c), VCLOCK_NEVER);
    vclock_free(c);
}
END_TEST

START_TEST(test_vclock_callback_may_rearm)
{
    VClock *c = vclock_new(VCLOCK_ICOUNT);
    Fired log = { 0 };
    Timer ta, tb;
    Tagged b = { &log, 2 };
    Tagged a = { &log, 1, &tb, 50 };
    fake_icount = 0;
    vclock_set_icount_source(c, get_icount, &fake_icount, 0);
    timer_init(&ta, c, fire, &a);
    timer_init(&tb, c, fire, &b);
    timer_mod(&ta, 10);
    fake_icount = 100;
    /* a fires and arms b in the past: b runs in the same call, after a. */
    ck_assert_int_eq(vclock_run_timers(c), 2);
    ck_assert_int_eq(log.order[0], 1);
    ck_assert_int_eq(log.order[1], 2);
    vclock_free(c);
}
END_TEST

START_TEST(test_vclock_icount_shift_and_skip)
{
    VClock *c = vclock_new(VCLOCK_ICOUNT);
    fake_icount = 10;
    vclock_set_icount_source(c, get_icount, &fake_icount, 3);
    ck_assert_int_eq(vclock_now(c), 80);
    vclock_skip_to(c, 1000);
    ck_assert_int_eq(vclock_now(c), 1000);
    vclock_skip_to(c, 500);        /* never backwards */
    ck_assert_int_eq(vclock_now(c), 1000);
    fake_icount = 11;
    ck_assert_int_eq(vclock_now(c), 1008);
    vclock_free(c);
}
END_TEST

START_TEST(test_vclock_host_mode_stops)
{
    VClock *c = vclock_new(VCLOCK_HOST);
    int64_t t0 = vclock_now(c), t1, t2;
    ck_assert_int_ge(t0, 0);
    vclock_stop(c);
    t1 = vclock_now(c);
    for (volatile int i = 0; i < 2000000; i++)
        ;
    ck_assert_int_eq(vclock_now(c), t1);
    vclock_start(c);
    t2 = vclock_now(c);
    ck_assert_int_ge(t2, t1);
    ck_assert_int_lt(t2 - t1, 50000000); /* the stopped time did not count */
    ck_assert_int_gt(vclock_wall_epoch(c), 1500000000ll * NS_PER_SEC);
    vclock_free(c);
}
END_TEST

TEST_SUITE(vclock)
{
    Suite *s = suite_create("vclock");
    TCase *tc = tcase_create("vclock");
    tcase_add_test(tc, test_vclock_timers_fire_in_expiry_order);
    tcase_add_test(tc, test_vclock_callback_may_rearm);
    tcase_add_test(tc, test_vclock_icount_shift_and_skip);
    tcase_add_test(tc, test_vclock_host_mode_stops);
    suite_add_tcase(s, tc);
    return s;
}
