/* test_options.c — command-line parsing and the emu binary's CLI errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "base/options.h"

static OptionsResult parse(EmuOptions *o, const char *line)
{
    char buf[512], *argv[32];
    int argc = 0;
    char *save = NULL;
    snprintf(buf, sizeof(buf), "emu %s", line);
    for (char *t = strtok_r(buf, " ", &save); t && argc < 31; t = strtok_r(NULL, " ", &save))
        argv[argc++] = strdup(t);
    argv[argc] = NULL;
    return options_parse(o, argc, argv);
}

START_TEST(test_options_defaults)
{
    EmuOptions o;
    ck_assert_int_eq(parse(&o, ""), OPTIONS_RUN);
    ck_assert_uint_eq(o.ram_size, 128u << 20);
    ck_assert_str_eq(o.boot_order, "cdn");
    ck_assert_int_eq(o.icount_shift, -1);
    ck_assert_int_eq(o.drives[0].media, MEDIA_NONE);
}
END_TEST

START_TEST(test_options_values)
{
    EmuOptions o;
    ck_assert_int_eq(parse(&o, "-m 1G -hda a.img --cdrom b.iso -boot d -serial stdio "
                               "-serial file:/tmp/x -nographic -accel interp -d int,unimp "
                               "-append console=ttyS0 -kernel k -icount shift=2"), OPTIONS_RUN);
    ck_assert_uint_eq(o.ram_size, 1ull << 30);
    ck_assert_str_eq(o.drives[0].path, "a.img");
    ck_assert_int_eq(o.drives[2].media, MEDIA_CDROM);
    ck_assert_str_eq(o.boot_order, "d");
    ck_assert_int_eq(o.nserial, 2);
    ck_assert_str_eq(o.serial[1], "file:/tmp/x");
    ck_assert(o.nographic);
    ck_assert_int_eq(o.accel, ACCEL_INTERP);
    ck_assert_int_eq(o.icount_shift, 2);
    ck_assert_uint_ne(o.log_mask, 0);
    ck_assert_str_eq(o.append, "console=ttyS0");
    ck_assert_int_eq(parse(&o, "-m 512"), OPTIONS_RUN);
    ck_assert_uint_eq(o.ram_size, 512u << 20);
    ck_assert_int_eq(parse(&o, "-boot order=dc,menu=on"), OPTIONS_RUN);
    ck_assert_str_eq(o.boot_order, "dc");
}
END_TEST

START_TEST(test_options_errors)
{
    EmuOptions o;
    ck_assert_int_eq(parse(&o, "-frobnicate"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-m"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-m 4G"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-m lots"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-hdc x -cdrom y"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-boot z"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-serial tcp:1234"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-display gtk"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-display sdl,gl=on"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-accel kvm"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-d nonsense"), OPTIONS_ERROR);
    ck_assert_int_eq(parse(&o, "-initrd x"), OPTIONS_ERROR);
}
END_TEST

/* Run the built binary; returns its exit status and its first output line. */
static int run_emu(const char *args, char *first_line, size_t len)
{
    char cmd[1024];
    FILE *p;
    int status;
    snprintf(cmd, sizeof(cmd), "%s %s 2>&1", test_build_path("emu"), args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    first_line[0] = 0;
    if (!fgets(first_line, (int)len, p))
        first_line[0] = 0;
    while (fgetc(p) != EOF)
        ;
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(test_options_cli_binary)
{
    char line[512];
    FILE *p;
    char cmd[1024];
    int saw_hda = 0, saw_accel = 0;

    ck_assert_int_eq(run_emu("-bogus", line, sizeof(line)), 1);
    ck_assert_str_eq(line, "emu: unknown option '-bogus' (see emu -h)\n");
    ck_assert_int_eq(run_emu("--version", line, sizeof(line)), 0);
    ck_assert(!strncmp(line, "emu version ", 12));
    ck_assert_int_eq(run_emu("-m", line, sizeof(line)), 1);
    ck_assert(strstr(line, "needs an argument") != NULL);

    snprintf(cmd, sizeof(cmd), "%s --help", test_build_path("emu"));
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    while (fgets(line, sizeof(line), p)) {
        saw_hda |= strstr(line, "-hda FILE") != NULL;
        saw_accel |= strstr(line, "-accel TYPE") != NULL;
    }
    ck_assert_int_eq(pclose(p), 0);
    ck_assert(saw_hda && saw_accel);
}
END_TEST

TEST_SUITE(options)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, test_options_defaults);
    tcase_add_test(tc, test_options_values);
    tcase_add_test(tc, test_options_errors);
    tcase_add_test(tc, test_options_cli_binary);
    suite_add_tcase(s, tc);
    return s;
}
