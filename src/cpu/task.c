/* task.c — hardware task switching (SDM Vol. 3A chapter 7).
 * TEMPORARY: the system-instructions work replaces this file with the real
 * task switch; until then a task switch is reported and shuts the CPU down. */
#include "cpu/exec.h"
#include "base/log.h"

void cpu_task_switch(CpuState *env, uint16_t selector, int source, bool has_error,
                     uint32_t error_code, uint32_t next_eip, uintptr_t ra)
{
    log_unimp("hardware task switch to selector 0x%04x", selector);
    cpu_restore_state(env, ra);
    env->exception_index = EXCP_SHUTDOWN;
    cpu_loop_exit(env);
}
