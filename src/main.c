/* main.c — `emu`: parse the command line, build the PC, run it. */
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/options.h"
#include "hw/machine.h"

int main(int argc, char **argv)
{
    EmuOptions opts;
    Machine *m;

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
    /* The PC board and the x86 CPU land with their own issues. */
    machine_free(m);
    fatal("no guest yet: the x86 CPU and the PC board are not built yet");
}
