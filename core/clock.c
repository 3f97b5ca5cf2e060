/* The monotonic clock (see clock.h). */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"

#include <time.h>

static double ms_of(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

double pr_clock_ms(void)
{
    return ms_of(CLOCK_MONOTONIC);
}

double pr_now_seconds(void)
{
    return ms_of(CLOCK_MONOTONIC) * 1e-3;
}

double pr_clock_thread_cpu_ms(void)
{
    return ms_of(CLOCK_THREAD_CPUTIME_ID);
}
