/* main.c — `emu`: parse the command line, build the PC, run it. */
#include "base/log.h"
#include "base/options.h"
#include "hw/machine.h"
#include "hw/pc.h"

int main(int argc, char **argv)
{
    EmuOptions opts;
    Machine *m;
    int status;

    switch (options_parse(&opts, argc, argv)) {
    case OPTIONS_EXIT_OK:
        return 0;
    case OPTIONS_ERROR:
        return 1;
    case OPTIONS_RUN:
        break;
    }
    log_mask = opts.log_mask;
    if (opts.logfile && log_set_file(opts.logfile))
        fatal("cannot open log file '%s'", opts.logfile);

    m = machine_new(&opts);
    pc_init(m);
    machine_reset(m);
    status = machine_run(m);
    machine_free(m);
    return status;
}
