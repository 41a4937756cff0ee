/* machine.h — the Machine: owns the bus, memory, clock, CPU and devices,
 * and runs them.
 *
 * The board (pc.c) builds a Machine: it creates devices, wires them, and
 * registers what they need from the machine — reset handlers, handlers to
 * run at exit (disk flush), and host inputs to poll between CPU slices.
 * Everything guest-visible hangs off this struct; there is no other global
 * state (the log settings excepted, see base/log.h).
 *
 * Devices ask for a reset or power-off with machine_request(); the run loop
 * acts on it at the next instruction boundary.
 */
#ifndef EMU_HW_MACHINE_H
#define EMU_HW_MACHINE_H

#include "base/options.h"
#include "base/vclock.h"
#include "hw/bus.h"
#include "cpu/cpu.h"

typedef void MachineFn(void *opaque);
/* Called between CPU slices; returns true if it handled host input. */
typedef bool MachinePollFn(void *opaque);

typedef enum {
    MACHINE_REQ_NONE,
    MACHINE_REQ_RESET,      /* guest asked for a reset (or triple fault) */
    MACHINE_REQ_POWEROFF,   /* guest powered off (ACPI S5): exit 0 */
    MACHINE_REQ_QUIT,       /* user quit (monitor, window close, signal) */
    MACHINE_REQ_EXIT,       /* a test device asked to exit with exit_status */
} MachineRequest;

#define MACHINE_MAX_HANDLERS 64

typedef struct MachineHandler {
    MachineFn *fn;
    void *opaque;
} MachineHandler;

typedef struct MachinePoll {
    MachinePollFn *fn;
    void *opaque;
    int fd;                 /* wait on it when the CPU is idle; -1 if none */
} MachinePoll;

typedef struct Machine {
    EmuOptions opts;
    Bus *bus;
    MemMap *mem;
    VClock *clock;
    Cpu *cpu;
    void *board;            /* the board's own state (PcBoard) */

    MachineRequest request;
    int exit_status;
    bool stopped;           /* powered off under -no-shutdown: the CPU no longer runs */

    MachineHandler resets[MACHINE_MAX_HANDLERS];
    int nresets;
    MachineHandler exits[MACHINE_MAX_HANDLERS];
    int nexits;
    MachinePoll polls[MACHINE_MAX_HANDLERS];
    int npolls;
    int64_t poll_interval_ns;   /* how often polls run while the CPU is busy */
} Machine;

/* Bus, memory map and clock per the options; no CPU or devices yet. */
Machine *machine_new(const EmuOptions *opts);
/* Runs the exit handlers (flushes disks) and frees everything. */
void machine_free(Machine *m);

void machine_add_reset(Machine *m, MachineFn *fn, void *opaque);
void machine_add_exit(Machine *m, MachineFn *fn, void *opaque);
void machine_add_poll(Machine *m, MachinePollFn *fn, void *opaque, int fd);

/* From devices, possibly inside an instruction: also stops the CPU. */
void machine_request(Machine *m, MachineRequest req, int exit_status);

/* Reset every device (registration order) and the CPU. */
void machine_reset(Machine *m);
/* Run until power-off or quit; returns the process exit status. */
int machine_run(Machine *m);

#endif
